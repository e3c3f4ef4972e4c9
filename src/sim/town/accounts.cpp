// Accounts: the end of the day's counts (households contacted, staff time, backlog) and the run's
// totals.
#include "sim/town/town.h"

#include <algorithm>
#include <span>

namespace vg::sim::town {

// A household's contact on day d: it leaves the count of the day of its previous last contact.
void Town::note_contact(size_t h, int d) {
  const size_t horizon = size_t(m_.horizon_days);
  const size_t v = pop_.group_village[pop_.household_group[first_household_ + h]] - first_village_;
  if (const int32_t last = last_contact_[h]; last >= 0) contacts_on_day_[v * horizon + size_t(last)]--;
  contacts_on_day_[v * horizon + size_t(d)]++;
  last_contact_[h] = d;
}

// Households contacted in the last 7 days (their last contact on one of days d-6..d), when the
// policy contacts households at all: kept by day, not a scan of the households.
void Town::households_contacted(int d) {
  if (!contacts_households_) {  // none contacted: a weekly coverage of 0, as households_contacted_share
    if (d >= 6)
      for (uint32_t v = 0; v < nv_; ++v) out_.villages[v].household_days_7d += out_.villages[v].households;
    return;
  }
  const size_t horizon = size_t(m_.horizon_days);
  for (uint32_t v = 0; v < nv_; ++v) {
    int32_t n = 0;
    for (int k = std::max(0, d - 6); k <= d; ++k) n += contacts_on_day_[v * horizon + size_t(k)];
    out_.days[v][size_t(d)].households_contacted_7d = n;
    if (d >= 6) {  // a full week behind it
      out_.villages[v].household_days_contacted_7d += n;
      out_.villages[v].household_days_7d += out_.villages[v].households;
    }
  }
}

// Staff time by role, and whether each role ran out of hours with its work left undone.
void Town::staff_accounts(int d, const staffing::DayStats& stats) {
  // Per role, as the scheduler summed them (not a walk over every member); backlog in scratch kept
  // across days.
  if (!out_.staff_worked.empty()) out_.staff_worked[size_t(d)] = stats.minutes_worked;
  const size_t nr = size_t(m_.roles());
  const std::span<const int64_t> avail(stats.role_minutes_available), worked(stats.role_minutes_worked);
  for (size_t r = 0; r < nr; ++r) out_.roles[r].minutes_overtime += stats.role_minutes_overtime[r];
  role_scratch_.assign(nr, 0);
  const std::span<int64_t> backlog_by_role(role_scratch_);
  // Backlog: open tasks released by the end of the day (open ones minus those released later,
  // which cannot have been completed or dropped yet), kept by counters, not a scan of the tasks.
  for (uint32_t v = 0; v < nv_; ++v) out_.days[v][size_t(d)].backlog = village_open_[v] - future_open_[v];
  for (int r = 0; r < m_.roles(); ++r)
    backlog_by_role[size_t(r)] = int64_t(sched_.open_tasks_for_role(r)) - future_role_[size_t(r)];
  for (int r = 0; r < m_.roles(); ++r) {
    auto& rt = out_.roles[size_t(r)];
    rt.minutes_available += avail[size_t(r)];
    rt.minutes_worked += worked[size_t(r)];
    auto& rd = out_.role_days[size_t(d)][size_t(r)];
    rd.minutes_available = avail[size_t(r)];
    rd.minutes_worked = worked[size_t(r)];
    if (avail[size_t(r)] > 0 && backlog_by_role[size_t(r)] > 0 &&
        double(worked[size_t(r)]) >= kOutOfHoursShare * double(avail[size_t(r)])) {
      rt.days_out_of_hours++;
      if (rt.first_day_out_of_hours < 0) rt.first_day_out_of_hours = d;
    }
  }
  village_accounts(d, stats);
}

// Whether a village's own staff ran out of hours: a role of them (the town pool serves every
// village and is left out) worked at least kOutOfHoursShare of its shift minutes, and work of the
// village was overdue at the end of the day (it went late that day, or before, and is still open;
// work released with days to do it, as a sweep's visits, is not). By role, as for the town's roles:
// a village's neighbours, on call for tracking teams, would otherwise hide its cadres' full day.
void Town::village_accounts(int d, const staffing::DayStats& stats) {
  // Overdue: reported late and still open, or late today (dropped when late included).
  const auto overdue = [&](uint32_t v) { return village_overdue_[v] > 0 || out_.days[v][size_t(d)].tasks_late > 0; };
  // Most days end with no village's work overdue: nothing to count then.
  bool any = false;
  for (uint32_t v = 0; v < nv_ && !any; ++v) any = overdue(v);
  if (!any) return;
  const size_t nr = size_t(m_.roles());
  role_scratch_.assign(2 * size_t(nv_) * nr, 0);  // [village][role]: available, worked
  for (size_t st = 0; st < roster_.staff.size(); ++st) {
    const auto& m = roster_.staff[st];
    const int64_t v = int64_t(m.village) - int64_t(first_village_);
    if (v < 0 || stats.minutes_available[st] == 0) continue;
    const size_t at = 2 * (size_t(v) * nr + m.role);
    role_scratch_[at] += stats.minutes_available[st];
    role_scratch_[at + 1] += stats.minutes_worked[st];
  }
  for (uint32_t v = 0; v < nv_; ++v) {
    if (!overdue(v)) continue;
    bool out = false;
    for (size_t r = 0; r < nr && !out; ++r) {
      const int64_t avail = role_scratch_[2 * (v * nr + r)], worked = role_scratch_[2 * (v * nr + r) + 1];
      out = avail > 0 && double(worked) >= kOutOfHoursShare * double(avail);
    }
    if (!out) continue;
    auto& vt = out_.villages[v];
    vt.out_of_hours_days++;
    if (vt.first_out_of_hours_day < 0) vt.first_out_of_hours_day = d;
  }
}

void Town::finish() {
  close_role_ledgers();
  for (size_t st = 0; st < roster_.staff.size(); ++st) {
    auto& rt = out_.roles[roster_.staff[st].role];
    rt.busiest_minutes = std::max(rt.busiest_minutes, staff_minutes_[st]);
  }
  for (const auto& t : trackings_) {
    auto& vt = out_.villages[size_t(village_of_[size_t(t.subject)])];
    vt.tracking_days += t.days_tracked;
    vt.tracking_complete_days += t.days_complete;
    if (t.key && t.days_tracked > 0 && t.days_complete == t.days_tracked) vt.key_fully_tracked++;
  }
  for (uint32_t v = 0; v < nv_; ++v) {
    if (m_.horizon_days > 0) out_.villages[v].backlog_end = out_.days[v][size_t(m_.horizon_days - 1)].backlog;
    out_.villages[v].funds_left = funds_[v];
  }
  if (!trace_on_) return;
  const int64_t horizon = int64_t(m_.horizon_days) * kDay;
  for (uint32_t i = 0; i < nr_; ++i) {
    const int32_t ti = tracking_of_[i];
    const Tracking* t = ti >= 0 ? &trackings_[size_t(ti)] : nullptr;
    const uint32_t person = pop_.returnees[first_returnee_ + i];
    out_.persons.push_back(
        {person, int32_t(first_village_) + village_of_[i], origin_[i], cls_[i],
         registered_[i] < horizon ? registered_[i] : -1, screened_[i], t ? t->start_day : -1, t ? t->days_tracked : 0,
         t ? t->days_complete : 0,
         epi_ && epi_->ever_infected(person) ? epi_->infection_day(person) : PersonRecord::kNotInfected,
         arrival_[i] < horizon ? arrival_[i] : -1, found_by_[i], onset_at_[i]});
  }
}

}  // namespace vg::sim::town
