// Tasks: creating them (copies, households, post shifts, tracking duties) and counting them; the
// day start's posts' shifts, the grid's coordination tasks and repeated tasks falling due.
#include "sim/town/town.h"

#include <bit>

namespace vg::sim::town {

// Tasks released today stop counting as released later (backlog).
void Town::release_today(int d) {
  cur_day_ = d;
  for (uint32_t v = 0; v < nv_; ++v) future_open_[v] -= release_count_[size_t(d) * nv_ + v];
  for (size_t r = 0; r < future_role_.size(); ++r)
    future_role_[r] -= release_role_count_[size_t(d) * future_role_.size() + r];
}

// At 00:00: today's shifts of posts open since an earlier day (a post opened today made its own),
// then the grid's coordination tasks.
void Town::day_start_tasks(int d) {
  const int64_t day_start = d * kDay;
  const size_t np = prog_.posts().size();
  for (uint32_t v = 0; v < nv_; ++v)
    for (size_t p = 0; p < np; ++p)
      if (post_open_[v * np + p]) create_post_shifts(int(p), int32_t(v), day_start);
  // The grid's daily coordination: one task for the leader of each unit of a level that asks it.
  if (const auto& grid = prog_.grid())
    for (const auto& level : grid->levels) {
      if (level.leader_task < 0) continue;
      for (uint32_t v = 0; v < nv_; ++v) {
        const uint32_t units =
            level.unit == rules::GridLevel::Unit::Village ? 1 : pop_.village_groups[first_village_ + v].size();
        const auto& k = prog_.task_kinds()[size_t(level.leader_task)];
        for (uint32_t u = 0; u < units; ++u)
          add_task(level.leader_task, -1, -1, int32_t(v), -1, day_start, day_start + kDay, -1, k.primary_role);
      }
    }
}

// Repeated tasks falling due today.
void Town::repeats_due(int d) {
  const int64_t day_start = d * kDay;
  while (!repeats_.empty() && repeats_.top().when < day_start + kDay) {
    Repeat r = repeats_.top();
    repeats_.pop();
    create_task(r.kind, r.subject, r.village, r.when);
    if (--r.remaining > 0) {
      r.when += every_days(r.kind, r.village, int(r.when / kDay)) * kDay;
      r.seq = repeat_seq_++;
      repeats_.push(r);
    }
  }
}

// A rule's task, or a repeat of it: its copies, each one task per household for a for_each task.
void Town::create_task(int kind_index, int32_t subject, int32_t village, int64_t now) {
  const auto& k = prog_.task_kinds()[size_t(kind_index)];
  for (int c = 0; c < k.copies; ++c) {
    if (k.for_each_household) {
      const auto& hr = pop_.village_households[first_village_ + uint32_t(village)];
      for (uint32_t h = hr.begin; h < hr.end; ++h) {
        // The household's contact member when the grid gives it one; otherwise anyone eligible.
        const int member = k.assign_contact_member ? m_.contacts.member[h] : -1;
        add_task(kind_index, subject, -1, village, int32_t(h), now, now + k.within_minutes, member,
                 member >= 0 ? int(roster_.staff[size_t(member)].role) : k.primary_role);
      }
    } else {
      add_task(kind_index, subject, -1, village, -1, now, now + k.within_minutes, -1, k.primary_role);
    }
  }
}

// Today's shifts of an open post that have not ended by `now`, each for every place of the shift.
void Town::create_post_shifts(int post, int32_t village, int64_t now) {
  const auto& ps = prog_.posts()[size_t(post)];
  const int64_t day_start = (now / kDay) * kDay;
  for (int kind : ps.shift_tasks) {
    const auto& k = prog_.task_kinds()[size_t(kind)];
    const int64_t from = std::max(day_start + k.shift_from, now), to = day_start + k.shift_to;
    if (to <= from) continue;
    for (int place = 0; place < ps.staff_per_shift; ++place) {
      // Not started once the shift is over (a late start still covers the rest of it).
      add_task(kind, -1, -1, village, -1, from, to, -1, k.primary_role, int32_t(to - from), -1, to - 1);
      if (int(now / kDay) < m_.horizon_days) {
        out_.days[size_t(village)][size_t(now / kDay)].post_minutes_required += int32_t(to - from);
        out_.villages[size_t(village)].post_minutes_required += to - from;
      }
    }
  }
}

// A tracking's duties today: one for each member of its team, assigned to that member.
void Town::create_duties(int32_t ti, int day) {
  Tracking& t = trackings_[size_t(ti)];
  const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
  for (size_t s = 0; s < tmpl.members.size(); ++s) {
    const int32_t member = members_[t.member_offset + s];
    if (member < 0) continue;
    const auto& kind = prog_.task_kinds()[size_t(tmpl.members[s].duty_task)];
    add_task(tmpl.members[s].duty_task, t.subject, ti, village_of_[size_t(t.subject)], -1, day * kDay, (day + 1) * kDay,
             member, kind.primary_role, 0, int32_t(s));
  }
}

// Inline into the creators above (one translation unit): every task passes here.
[[gnu::always_inline]] inline void Town::add_task(int kind_index, int32_t subject, int32_t tracking, int32_t village,
                                                  int32_t household, int64_t release, int64_t deadline, int assignee,
                                                  int demand_role, int32_t minutes, int32_t slot,
                                                  int64_t latest_start) {
  const auto& k = prog_.task_kinds()[size_t(kind_index)];
  const int day = int(release / kDay);
  staffing::Task t;
  t.priority = k.priority;
  const bool kind_minutes = minutes <= 0;  // else given (a post's shift)
  if (kind_minutes) minutes = k.minutes;
  if (!m_.param_sets.empty()) {  // the task's minutes or priority changed in the village (an exercise's decision)
    const int32_t gv = int32_t(first_village_) + village;
    const int on_day = int(std::max<int64_t>(release, 0) / kDay);
    if (kind_minutes) minutes = m_.param(config::ParamSetSpec::What::Minutes, kind_index, gv, on_day, minutes);
    t.priority = m_.param(config::ParamSetSpec::What::Priority, kind_index, gv, on_day, k.priority);
  }
  t.id = tasks_.size();
  t.release = release;
  t.deadline = deadline;
  t.minutes = minutes;
  t.role_mask = k.role_mask;
  t.village = int32_t(first_village_) + village;
  t.assignee = assignee;
  t.drop_when_late = k.drop_when_late;
  t.team = k.team;
  t.latest_start = latest_start;
  t.rotate = k.post >= 0 && !k.team;  // a post's shifts are taken in turn (docs/time-and-scheduling.md)
  tasks_.push_back({kind_index, subject, tracking, village, household, slot});
  out_.guidelines[size_t(k.guideline)].tasks_created++;
  out_.tasks[size_t(kind_index)].tasks_created++;
  sched_.add_task(t);
  village_open_[size_t(village)]++;
  const bool in_horizon = day < m_.horizon_days;
  if (release >= 0 && day > cur_day_) {  // released on a later day: not backlog until then
    future_open_[size_t(village)]++;
    for (uint32_t mask = t.role_mask; mask != 0; mask &= mask - 1) {
      const size_t r = size_t(std::countr_zero(mask));
      future_role_[r]++;
      if (in_horizon) release_role_count_[size_t(day) * size_t(m_.roles()) + r]++;
    }
    if (in_horizon) release_count_[size_t(day) * nv_ + size_t(village)]++;
  }
  if (in_horizon) out_.days[size_t(village)][size_t(day)].tasks_created++;
  // Every role that may do it: its assignee's alone (a duty), else every role it lists. Demanded
  // of every role of a team (each gives its time), else of demand_role. Into the pair's ledger
  // (the kind's last one, mostly), under its release day.
  const uint32_t could = assignee >= 0 ? 1u << roster_.staff[size_t(assignee)].role : t.role_mask;
  const uint32_t demand = k.team ? k.role_mask : demand_role >= 0 ? 1u << demand_role : 0u;
  uint32_t& li = ledger_of_kind_[size_t(kind_index)];
  if (role_ledgers_[li].could != could || role_ledgers_[li].demand != demand) li = role_ledger(could, demand);
  role_ledgers_[li].minutes[day >= 0 && in_horizon ? size_t(day) : size_t(m_.horizon_days)] += minutes;
}

uint32_t Town::role_ledger(uint32_t could, uint32_t demand) {
  for (uint32_t i = 1; i < role_ledgers_.size(); ++i)
    if (role_ledgers_[i].could == could && role_ledgers_[i].demand == demand) return i;
  role_ledgers_.push_back({could, demand, std::vector<int64_t>(size_t(m_.horizon_days) + 1, 0)});
  return uint32_t(role_ledgers_.size() - 1);
}

// The ledgers into the roles' accounts: each day's minutes to the roles that could do them, the
// whole to those too and to the roles they were demanded of.
void Town::close_role_ledgers() {
  for (const RoleLedger& l : role_ledgers_) {
    if (l.could == 0) continue;
    int64_t total = 0;
    for (size_t d = 0; d < l.minutes.size(); ++d) {
      const int64_t minutes = l.minutes[d];
      if (minutes == 0) continue;
      total += minutes;
      if (d < size_t(m_.horizon_days))
        for (uint32_t m = l.could; m != 0; m &= m - 1)
          out_.role_days[d][size_t(std::countr_zero(m))].minutes_could_do += minutes;
    }
    for (uint32_t m = l.could; m != 0; m &= m - 1) out_.roles[size_t(std::countr_zero(m))].minutes_could_do += total;
    for (uint32_t m = l.demand; m != 0; m &= m - 1) out_.roles[size_t(std::countr_zero(m))].minutes_demanded += total;
  }
}

}  // namespace vg::sim::town
