// Detection: the epidemic's day, and onsets found, at a visit (work.cpp) or when people seek care.
#include "sim/town/town.h"

#include <algorithm>

namespace vg::sim::town {

// The day's infections, onsets and recoveries. A returnee whose symptoms begin while a team or a
// monitoring watches them is found at the next visit (any task about them); one nobody watches
// seeks care `care_seeking_days` later (08:00). Residents who are not returnees are counted but
// are not yet subjects of rules.
void Town::step_epidemic(int d) {
  for (const auto& tr : epi_->step(d)) {
    if (tr.to != epidemic::State::Symptomatic) continue;
    // A staff member with symptoms is off duty (ill, then isolated) from today.
    if (const int32_t st = staff_of_person_[tr.person - first_person_]; st >= 0) {
      const auto& member = roster_.staff[size_t(st)];
      for (int k = 0; k < m_.staff_isolation_days; ++k) {
        const int day = std::max(d, tr.day) + k;
        if (day >= m_.horizon_days) break;
        if (sched_.on_duty(st, day)) out_.roles[member.role].days_ill++;
        sched_.set_unavailable(st, day);
      }
      raise(Event::StaffUnavailable, member.role, -1, member.village - int32_t(first_village_), d * kDay);
    }
    const int32_t i = returnee_of_[tr.person - first_person_];
    if (i < 0) {
      // Not a returnee, so not a subject of the village's rules: the health system isolates
      // them when they seek care (a scenario setting).
      if (m_.isolate_local_cases) {
        timer_events_.push_back({TimerKind::LocalCase, -1, int32_t(tr.person), village_index_of(tr.person), 0});
        sched_.add_timer(std::max<int64_t>(d * kDay, (tr.day + m_.care_seeking_days) * kDay + 8 * 60),
                         timer_events_.size() - 1);
      }
      continue;
    }
    if (detected_at_[size_t(i)] >= 0 || onset_at_[size_t(i)] >= 0) continue;
    onset_at_[size_t(i)] = int64_t(tr.day) * kDay;
    out_.villages[size_t(village_of_[size_t(i)])].returnee_onsets++;
    const bool watched = monitoring_[size_t(i)] != 0 ||
                         (tracking_of_[size_t(i)] >= 0 && !trackings_[size_t(tracking_of_[size_t(i)])].ended);
    // Watched: found at the next visit, if one comes before they would have sought care anyway.
    if (watched) pending_check_[size_t(i)] = 1;
    timer_events_.push_back({TimerKind::SeekCare, -1, i, village_of_[size_t(i)], 0});
    const int64_t when = std::max<int64_t>(d * kDay, (tr.day + m_.care_seeking_days) * kDay + 8 * 60);
    sched_.add_timer(when, timer_events_.size() - 1);
  }
  for (uint32_t v = 0; v < nv_; ++v) {
    const auto& c = epi_->counts(first_village_ + v, d);
    auto& row = out_.days[v][size_t(d)];
    row.infections_local = c.infected;
    row.infections_imported = c.imported;
    row.onsets = c.onsets;
    row.infectious =
        c[epidemic::State::Presymptomatic] + c[epidemic::State::Symptomatic] + c[epidemic::State::Asymptomatic];
    out_.villages[v].infections_local += c.infected;
    out_.villages[v].infections_imported += c.imported;
  }
}

void Town::detect(uint32_t i, int64_t when, bool at_check) {
  detected_at_[i] = when;
  pending_check_[i] = 0;
  auto& vt = out_.villages[size_t(village_of_[i])];
  vt.detected++;
  vt.detected_at_check += at_check;
  vt.detection_delay_minutes += when - onset_at_[i];
  if (when / kDay < m_.horizon_days) out_.days[size_t(village_of_[i])][size_t(when / kDay)].detected++;
}

// A returnee with symptoms nobody found seeks care (symptoms_reported), or a resident who is
// not a returnee does and is isolated (local_case_found).
void Town::care_sought(const TimerEvent& ev, int64_t t) {
  if (ev.kind == TimerKind::LocalCase) {
    if (epi_->set_care(uint32_t(ev.subject), epidemic::Care::Isolated)) {
      out_.villages[size_t(ev.village)].local_cases_isolated++;
      if (local_case_rules_) {
        local_case_person_ = ev.subject;  // the case whose household observe_household means
        raise(Event::LocalCaseFound, -1, -1, ev.village, t);
        local_case_person_ = -1;
      }
    }
    return;
  }
  if (detected_at_[size_t(ev.subject)] >= 0) return;
  // Not yet registered: the health system reports them, and they are registered first.
  register_returnee(uint32_t(ev.subject), t, rules::FoundBy::CareSeeking);
  detect(uint32_t(ev.subject), t, false);
  raise(Event::SymptomsReported, -1, ev.subject, ev.village, t);
}

}  // namespace vg::sim::town
