// Work: the scheduler's day, and what follows a task done, a task late, or a timer.
#include "sim/town/town.h"

#include <algorithm>

#include "epidemic/importation.h"

namespace vg::sim::town {

// The scheduler's day: tasks compete for staff time; each task done or late, and each timer, comes
// back here at its minute (its time counted as the rules' in the profile).
const staffing::DayStats& Town::work(int d) {
  PhaseLap lap(ph_, PhaseTimes::Scheduling);
  auto on_complete = [&](const staffing::Task& task, int64_t finish, int staff) {
    CallbackLap cb(ph_);
    task_done(task, finish, staff, d);
  };
  auto on_late = [&](const staffing::Task& task) {
    CallbackLap cb(ph_);
    task_late(task, d);
  };
  auto on_timer = [&](uint64_t id, int64_t t) {
    CallbackLap cb(ph_);
    timer(id, t);
  };
  if (!checkpoints_register_) {
    sched_.run_day(d, day_stats_, on_complete, on_late, {}, on_timer);
    return day_stats_;
  }
  // Registering posts: the minutes someone is at them today, for the arrivals passing.
  for (size_t slot : post_staffed_touched_) post_staffed_[slot].clear();
  post_staffed_touched_.clear();
  auto on_start = [&](const staffing::Task& task, int64_t start, int) { post_started(task, start); };
  sched_.run_day(d, day_stats_, on_complete, on_late, on_start, on_timer);
  return day_stats_;
}

// A task done at `finish` by `staff` (a team: every member).
[[gnu::always_inline]] inline void Town::task_done(const staffing::Task& task, int64_t finish, int staff, int d) {
  const TaskRec rec = tasks_[task.id];
  const auto& kind = prog_.task_kinds()[size_t(rec.kind)];
  auto& row = out_.days[size_t(rec.village)][size_t(d)];
  auto& kind_totals = out_.tasks[size_t(rec.kind)];
  if (task.team) {  // every member's time
    for (int32_t member : sched_.current_team()) {
      row.minutes_worked[roster_.staff[size_t(member)].role] += task.minutes;
      staff_minutes_[size_t(member)] += task.minutes;
      kind_totals.minutes_worked += task.minutes;
    }
  } else {
    row.minutes_worked[roster_.staff[size_t(staff)].role] += task.minutes;
    staff_minutes_[size_t(staff)] += task.minutes;
    kind_totals.minutes_worked += task.minutes;
  }
  village_open_[size_t(rec.village)]--;
  if (task.id < late_open_.size() && late_open_[task.id]) {
    late_open_[task.id] = 0;
    village_overdue_[size_t(rec.village)]--;
  }
  // Supplies the task uses, from the village's stock. When one is short the task's if_short
  // says what happens: done anyway (proceed), not done (skip: the time is spent, nothing else
  // happens), or done less well (degrade: a fever is found only with degraded_detection).
  const size_t ns = prog_.supplies().size();
  bool short_of_supplies = false;
  for (const auto& [sup, amount] : kind.uses)
    short_of_supplies = short_of_supplies || stock_[size_t(rec.village) * ns + size_t(sup)] < amount;
  if (short_of_supplies && kind.if_short == rules::IfShort::Skip) {
    out_.villages[size_t(rec.village)].tasks_skipped_for_supplies++;
    return;
  }
  for (const auto& [sup, amount] : kind.uses) {
    if (stock_[size_t(rec.village) * ns + size_t(sup)] >= amount)
      change_stock(rec.village, sup, -amount, finish);
    else
      out_.villages[size_t(rec.village)].tasks_without_supplies++;
  }
  const bool degraded = short_of_supplies && kind.if_short == rules::IfShort::Degrade;
  if (degraded) out_.villages[size_t(rec.village)].tasks_degraded++;
  row.tasks_done++;
  kind_totals.tasks_done++;
  if (finish > task.deadline) out_.villages[size_t(rec.village)].tasks_done_after_deadline++;
  if (rec.tracking >= 0) {
    trackings_[size_t(rec.tracking)].done_today++;
    duty_done_[trackings_[size_t(rec.tracking)].member_offset + size_t(rec.slot)] = 1;
  }
  if (kind.counts_as_household_contact && rec.household >= 0) {
    const size_t h = size_t(rec.household) - first_household_;
    if (last_contact_[h] < 0) out_.villages[size_t(rec.village)].households_contacted++;
    note_contact(h, d);
    if (m_.finding) household_visited(rec.household, finish, d);
    if (!m_.visit_detection.empty())
      household_checked(rec.household, rec.village, finish, d, visit_chance(task.team ? -1 : staff));
  }
  if (kind.post >= 0) {  // minutes someone was at the post within the shift's hours
    const int64_t win_from = d * kDay + kind.shift_from, win_to = d * kDay + kind.shift_to;
    const int64_t staffed = std::max<int64_t>(0, std::min(finish, win_to) - std::max(finish - task.minutes, win_from));
    row.post_minutes_staffed += int32_t(staffed);
    out_.villages[size_t(rec.village)].post_minutes_staffed += staffed;
  }
  // Any task about a person is a visit: symptoms that began are found there, with the visitor's
  // chance (finding's visit_detection; 1 without it). A check done short of supplies (degrade)
  // finds them only with the task's degraded_detection as well: the draw is keyed by (person, day,
  // task kind), so it does not depend on anything else.
  if (rec.subject >= 0 && pending_check_[size_t(rec.subject)] && detected_at_[size_t(rec.subject)] < 0 &&
      onset_at_[size_t(rec.subject)] <= finish &&
      epi_->state(pop_.returnees[first_returnee_ + uint32_t(rec.subject)]) == epidemic::State::Symptomatic) {
    double chance = degraded ? kind.degraded_detection : 1.0;
    if (!m_.visit_detection.empty()) chance *= visit_chance(task.team ? -1 : staff);
    if (chance >= 1 ||
        epidemic::detection_draw(m_.seed, uint32_t(rep_), pop_.returnees[first_returnee_ + uint32_t(rec.subject)], d,
                                 uint32_t(rec.kind)) < chance) {
      detect(uint32_t(rec.subject), finish, true);
      raise(Event::FeverFound, -1, rec.subject, rec.village, finish);
    }
  }
  if (rec.subject >= 0 && kind.counts_as_screening && screened_[size_t(rec.subject)] < 0) {
    const uint32_t i = uint32_t(rec.subject);
    screened_[i] = finish;
    row.screened++;
    auto& vt = out_.villages[size_t(rec.village)];
    vt.screened++;
    vt.screened_minutes_from_arrival += finish - arrival_[i];
    if (finish - registered_[i] <= kDay) {
      row.screened_within_24h++;
      vt.screened_within_24h++;
    }
    if (finish - arrival_[i] <= kDay) vt.screened_within_24h_of_arrival++;
  }
  raise(Event::TaskDone, rec.kind, rec.subject, rec.village, finish);
}

void Town::task_late(const staffing::Task& task, int d) {
  const TaskRec& rec = tasks_[task.id];
  out_.days[size_t(rec.village)][size_t(d)].tasks_late++;
  out_.villages[size_t(rec.village)].tasks_late++;
  out_.guidelines[size_t(prog_.task_kinds()[size_t(rec.kind)].guideline)].tasks_late++;
  out_.tasks[size_t(rec.kind)].tasks_late++;
  for (uint32_t m = role_mask_of(task); m != 0; m &= m - 1)  // work each role that may do it left unmet
    out_.roles[size_t(std::countr_zero(m))].minutes_unmet += task.minutes;
  // Removed by the scheduler: dropped when late, or past its latest start (never to be started).
  if (task.drop_when_late || task.latest_start < (int64_t(d) + 1) * kDay) {
    village_open_[size_t(rec.village)]--;
  } else {  // open still, and overdue until done
    if (late_open_.size() <= task.id) late_open_.resize(tasks_.size(), 0);
    late_open_[task.id] = 1;
    village_overdue_[size_t(rec.village)]++;
  }
}

// A timer falls due: someone seeks care, an order arrives, or a delayed raise comes back.
void Town::timer(uint64_t id, int64_t t) {
  const TimerEvent ev = timer_events_[id];
  switch (ev.kind) {
    case TimerKind::LocalCase:
    case TimerKind::SeekCare: care_sought(ev, t); return;
    case TimerKind::Delivery: change_stock(ev.village, ev.subject, ev.amount, t); return;
    case TimerKind::SelfReport: register_returnee(uint32_t(ev.subject), t, rules::FoundBy::SelfReport); return;
    case TimerKind::Checkpoint: checkpoint_passed(uint32_t(ev.subject), t); return;
    case TimerKind::NeighbourReport: neighbour_reported(t); return;
    case TimerKind::Raise: break;
  }
  if (prog_.events()[size_t(ev.event)].about == Subject::Village) {
    village_raised_[size_t(ev.village) * prog_.events().size() + size_t(ev.event)] = 1;
    raise(Event::Custom, ev.event, -1, ev.village, t);
  } else {
    raise(Event::Custom, ev.event, ev.subject, ev.village, t);
  }
}

}  // namespace vg::sim::town
