#include "sim/engine.h"

#include <algorithm>
#include <array>

#include "core/random.h"

namespace vg::sim {

namespace {

using rules::ActionSpec;
using rules::Event;

constexpr int64_t kDay = 1440;

// Share of a role's available minutes that, together with work left undone that the role could
// have done, counts as "out of hours" that day (docs/metrics.md).
constexpr double kOutOfHoursShare = 0.95;

struct TaskRec {
  int32_t kind;
  int32_t subject;   // returnee index within the town, or -1
  int32_t tracking;  // tracking instance, or -1
  int32_t village;   // index within the town
};

struct Tracking {
  int32_t subject;
  int32_t tmpl;
  int32_t start_day;
  int32_t end_day;         // last day tracked
  uint32_t member_offset;  // into members_ (one slot per template member)
  int32_t done_today = 0;
  int32_t days_tracked = 0;
  int32_t days_complete = 0;
};

class TownSim {
 public:
  TownSim(const Model& m, int replicate, int town, bool trace)
      : m_(m), prog_(*m.program), pop_(m.population), rep_(replicate), town_(town), trace_on_(trace),
        roster_(m.rosters[size_t(town)]), sched_(roster_.staff, m.roles()) {
    const auto& tv = pop_.town_villages[size_t(town)];
    first_village_ = tv.begin;
    nv_ = tv.size();
    first_returnee_ = pop_.village_returnees[tv.begin].begin;
    nr_ = pop_.village_returnees[tv.end - 1].end - first_returnee_;
    out_.days.assign(nv_, std::vector<metrics::DayRow>(size_t(m.horizon_days)));
    for (auto& v : out_.days)
      for (auto& row : v) row.minutes_worked.assign(size_t(m.roles()), 0);
    out_.villages.assign(nv_, {});
    out_.roles.assign(size_t(m.roles()), {});
    team_count_.assign(roster_.staff.size(), 0);
  }

  TownOutput run() {
    draw_returnees();
    for (int d = 0; d < m_.horizon_days; ++d) run_day(d);
    finish();
    return std::move(out_);
  }

 private:
  // Origins and arrival times, each from its own stream keyed by the person, so that changing
  // anything else in a scenario leaves them as they were (common random numbers).
  void draw_returnees() {
    origin_.resize(nr_);
    arrival_.resize(nr_);
    cls_.assign(nr_, uint8_t(prog_.default_class()));
    screened_.assign(nr_, -1);
    tracking_of_.assign(nr_, -1);
    village_of_.resize(nr_);
    const auto& ar = m_.scenario.arrivals;
    for (uint32_t v = 0; v < nv_; ++v) {
      const auto& r = pop_.village_returnees[first_village_ + v];
      for (uint32_t i = r.begin; i < r.end; ++i) village_of_[i - first_returnee_] = int32_t(v);
    }
    for (uint32_t i = 0; i < nr_; ++i) {
      const uint32_t person = pop_.returnees[first_returnee_ + i];
      RandomStream o(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Origin});
      origin_[i] = uint8_t(o.categorical(m_.origin_cumulative));
      RandomStream a(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Arrival});
      double day = a.triangular(ar.first_day, ar.peak_day, ar.last_day);
      // Those home before prevention began are registered when it begins.
      arrival_[i] = day < 0 ? 0 : int64_t(day * double(kDay));
    }
    // Arrival order: by time, then by person (stable and independent of thread count).
    order_.resize(nr_);
    for (uint32_t i = 0; i < nr_; ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) { return arrival_[a] < arrival_[b]; });
  }

  void fill_slots(Tracking& t, int day) {
    const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
    const int village = int(first_village_) + village_of_[size_t(t.subject)];
    for (size_t s = 0; s < tmpl.members.size(); ++s) {
      int32_t& slot = members_[t.member_offset + s];
      if (slot >= 0) continue;
      const int role = tmpl.members[s].role;
      int best = -1;
      for (int si : roster_.by_role[size_t(role)]) {
        const auto& st = roster_.staff[size_t(si)];
        if (st.village != -1 && st.village != village) continue;
        if (st.available_from_day > day) continue;
        const int cap = roster_.max_teams[size_t(si)];
        if (cap > 0 && team_count_[size_t(si)] >= cap) continue;
        if (best < 0 || team_count_[size_t(si)] < team_count_[size_t(best)]) best = si;
      }
      if (best >= 0) {
        slot = best;
        ++team_count_[size_t(best)];
      }
    }
  }

  void create_duties(int32_t ti, int64_t release, int day) {
    Tracking& t = trackings_[size_t(ti)];
    const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
    for (size_t s = 0; s < tmpl.members.size(); ++s) {
      const int32_t member = members_[t.member_offset + s];
      if (member < 0) continue;
      const auto& kind = prog_.task_kinds()[size_t(tmpl.members[s].duty_task)];
      add_task(tmpl.members[s].duty_task, t.subject, ti, release, (day + 1) * kDay, member, kind.primary_role);
    }
  }

  void add_task(int kind_index, int32_t subject, int32_t tracking, int64_t release, int64_t deadline, int assignee,
                int demand_role) {
    const auto& k = prog_.task_kinds()[size_t(kind_index)];
    const int32_t village = subject >= 0 ? village_of_[size_t(subject)] : 0;
    staffing::Task t;
    t.id = tasks_.size();
    t.priority = k.priority;
    t.release = release;
    t.deadline = deadline;
    t.minutes = k.minutes;
    t.role_mask = k.role_mask;
    t.village = int32_t(first_village_) + village;
    t.assignee = assignee;
    t.drop_when_late = k.drop_when_late;
    tasks_.push_back({kind_index, subject, tracking, village});
    sched_.add_task(t);
    const int day = int(release / kDay);
    if (day < m_.horizon_days) out_.days[size_t(village)][size_t(day)].tasks_created++;
    if (demand_role >= 0) out_.roles[size_t(demand_role)].minutes_demanded += k.minutes;
  }

  void fill_slots_facts(uint32_t i, int day) {
    const uint32_t person = pop_.returnees[first_returnee_ + i];
    slots_[rules::kSlotOrigin] = origin_[i];
    slots_[rules::kSlotClass] = cls_[i];
    slots_[rules::kSlotArrivalDay] = double(arrival_[i] / kDay);
    slots_[rules::kSlotToday] = day;
    slots_[rules::kSlotHouseholdSize] = pop_.household_size[pop_.person_household[person]];
    slots_[rules::kSlotIsReturnee] = 1.0;
  }

  // Fires the rules listening to an event about returnee i at time `now`, in program order.
  void raise(Event e, int task_kind, uint32_t i, int64_t now) {
    auto rule_ids = prog_.rules_for(e, task_kind);
    if (rule_ids.empty()) return;
    const int day = int(now / kDay);
    for (int ri : rule_ids) {
      const auto& r = prog_.rules()[size_t(ri)];
      // Facts are refreshed per rule: an earlier rule's set_class is visible to later ones.
      fill_slots_facts(i, day);
      if (r.when && !r.when->eval_bool(slots_.data())) continue;
      if (trace_on_)
        out_.trace.push_back({day, int32_t(now % kDay), pop_.returnees[first_returnee_ + i], ri, task_kind});
      for (const auto& a : r.actions) apply(a, i, now, day);
    }
  }

  void apply(const rules::Action& a, uint32_t i, int64_t now, int day) {
    switch (a.kind) {
      case ActionSpec::Kind::CreateTask: {
        const auto& k = prog_.task_kinds()[size_t(a.arg)];
        add_task(a.arg, int32_t(i), -1, now, now + k.within_minutes, -1, k.primary_role);
        break;
      }
      case ActionSpec::Kind::SetClass: {
        const bool was_key = prog_.is_key_class(cls_[i]);
        cls_[i] = uint8_t(a.arg);
        if (!was_key && prog_.is_key_class(a.arg) && day < m_.horizon_days) {
          out_.days[size_t(village_of_[i])][size_t(day)].key_identified++;
          out_.villages[size_t(village_of_[i])].key_identified++;
        }
        break;
      }
      case ActionSpec::Kind::StartTracking: {
        if (tracking_of_[i] >= 0) break;  // already tracked: a second start is a no-op
        const auto& tmpl = prog_.tracking()[size_t(a.arg)];
        // Tracking begins the morning after the person is identified and runs `days` days.
        Tracking t{int32_t(i), a.arg, day + 1, day + tmpl.days, uint32_t(members_.size())};
        members_.resize(members_.size() + tmpl.members.size(), -1);
        const int32_t ti = int32_t(trackings_.size());
        trackings_.push_back(t);
        tracking_of_[i] = ti;
        active_.push_back(ti);
        out_.villages[size_t(village_of_[i])].key_tracked++;
        break;
      }
    }
  }

  void run_day(int d) {
    const int64_t day_start = d * kDay;
    // Trackings under way: fill empty team slots, then today's duties.
    for (int32_t ti : active_) {
      Tracking& t = trackings_[size_t(ti)];
      fill_slots(t, d);
      create_duties(ti, day_start, d);
    }
    // Today's arrivals.
    while (next_arrival_ < nr_ && arrival_[order_[next_arrival_]] < day_start + kDay) {
      const uint32_t i = order_[next_arrival_++];
      out_.days[size_t(village_of_[i])][size_t(d)].arrivals++;
      out_.villages[size_t(village_of_[i])].returnees++;
      raise(Event::ReturneeArrived, -1, i, arrival_[i]);
    }

    auto on_complete = [&](const staffing::Task& task, int64_t finish, int staff) {
      const TaskRec rec = tasks_[task.id];
      const auto& kind = prog_.task_kinds()[size_t(rec.kind)];
      auto& row = out_.days[size_t(rec.village)][size_t(d)];
      row.tasks_done++;
      row.minutes_worked[roster_.staff[size_t(staff)].role] += task.minutes;
      if (rec.tracking >= 0) trackings_[size_t(rec.tracking)].done_today++;
      if (rec.subject < 0) return;
      const uint32_t i = uint32_t(rec.subject);
      if (kind.counts_as_screening && screened_[i] < 0) {
        screened_[i] = finish;
        row.screened++;
        out_.villages[size_t(rec.village)].screened++;
        if (finish - arrival_[i] <= kDay) {
          row.screened_within_24h++;
          out_.villages[size_t(rec.village)].screened_within_24h++;
        }
      }
      raise(Event::TaskDone, rec.kind, i, finish);
    };
    auto on_late = [&](const staffing::Task& task) {
      const TaskRec& rec = tasks_[task.id];
      out_.days[size_t(rec.village)][size_t(d)].tasks_late++;
      out_.villages[size_t(rec.village)].tasks_late++;
    };
    staffing::DayStats stats = sched_.run_day(d, on_complete, on_late);

    // Tracking outcome of the day.
    size_t keep = 0;
    for (int32_t ti : active_) {
      Tracking& t = trackings_[size_t(ti)];
      if (t.start_day > d) {  // identified today; tracked from tomorrow
        active_[keep++] = ti;
        continue;
      }
      const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
      const int v = village_of_[size_t(t.subject)];
      auto& row = out_.days[size_t(v)][size_t(d)];
      row.tracking_active++;
      t.days_tracked++;
      if (t.done_today == int32_t(tmpl.members.size())) {
        row.tracking_complete++;
        t.days_complete++;
      }
      t.done_today = 0;
      if (t.end_day > d) {
        active_[keep++] = ti;
      } else {  // the team is released
        for (size_t s = 0; s < tmpl.members.size(); ++s)
          if (members_[t.member_offset + s] >= 0) --team_count_[size_t(members_[t.member_offset + s])];
      }
    }
    active_.resize(keep);

    // Staff time by role, and whether each role ran out of hours with its work left undone.
    std::vector<int64_t> avail(size_t(m_.roles()), 0), worked(size_t(m_.roles()), 0);
    for (size_t s = 0; s < roster_.staff.size(); ++s) {
      avail[roster_.staff[s].role] += stats.minutes_available[s];
      worked[roster_.staff[s].role] += stats.minutes_worked[s];
    }
    std::vector<int32_t> backlog_by_role(size_t(m_.roles()), 0);
    sched_.for_each_open_task([&](const staffing::Task& t, bool) {
      if (t.release >= day_start + kDay) return;
      out_.days[size_t(tasks_[t.id].village)][size_t(d)].backlog++;
      for (int r = 0; r < m_.roles(); ++r)
        if ((t.role_mask >> r) & 1u) backlog_by_role[size_t(r)]++;
    });
    for (int r = 0; r < m_.roles(); ++r) {
      auto& rt = out_.roles[size_t(r)];
      rt.minutes_available += avail[size_t(r)];
      rt.minutes_worked += worked[size_t(r)];
      if (avail[size_t(r)] > 0 && backlog_by_role[size_t(r)] > 0 &&
          double(worked[size_t(r)]) >= kOutOfHoursShare * double(avail[size_t(r)])) {
        rt.days_out_of_hours++;
        if (rt.first_day_out_of_hours < 0) rt.first_day_out_of_hours = d;
      }
    }
  }

  void finish() {
    for (const auto& t : trackings_) {
      auto& vt = out_.villages[size_t(village_of_[size_t(t.subject)])];
      vt.tracking_days += t.days_tracked;
      vt.tracking_complete_days += t.days_complete;
      if (t.days_tracked > 0 && t.days_complete == t.days_tracked) vt.key_fully_tracked++;
    }
    for (uint32_t v = 0; v < nv_; ++v)
      if (m_.horizon_days > 0) out_.villages[v].backlog_end = out_.days[v][size_t(m_.horizon_days - 1)].backlog;
  }

  const Model& m_;
  const rules::Program& prog_;
  const population::Population& pop_;
  const int rep_;
  const int town_;
  const bool trace_on_;
  const TownRoster& roster_;
  staffing::Scheduler sched_;
  uint32_t first_village_ = 0, nv_ = 0, first_returnee_ = 0, nr_ = 0;

  // Per returnee of the town (struct of arrays).
  std::vector<uint8_t> origin_, cls_;
  std::vector<int64_t> arrival_, screened_;
  std::vector<int32_t> tracking_of_, village_of_;
  std::vector<uint32_t> order_;
  uint32_t next_arrival_ = 0;

  std::vector<TaskRec> tasks_;
  std::vector<Tracking> trackings_;
  std::vector<int32_t> members_;  // team slots of all trackings: staff index or -1
  std::vector<int32_t> active_;
  std::vector<int32_t> team_count_;
  std::array<double, rules::kSlotCount> slots_{};
  TownOutput out_;
};

}  // namespace

TownOutput simulate_town(const Model& model, int replicate, int town, bool trace) {
  return TownSim(model, replicate, town, trace).run();
}

}  // namespace vg::sim
