// Detection: the epidemic's day, and onsets found, at a visit (work.cpp) or when people seek care.
#include <algorithm>

#include "core/random.h"
#include "sim/town/town.h"

namespace vg::sim::town {

// The day's infections, onsets and recoveries. A returnee whose symptoms begin while a team or a
// monitoring watches them is found at the next visit (any task about them); one nobody watches
// seeks care `care_seeking_days` later (08:00). Residents who are not returnees are counted but
// are not yet subjects of rules.
void Town::step_epidemic(int d) {
  if (!m_.fevers.empty()) scheduled_fevers(d);
  for (const auto& tr : epi_->step(d)) {
    if (tr.to != epidemic::State::Symptomatic) continue;
    // A staff member with symptoms is off duty (ill, then isolated) from today.
    if (const int32_t st = staff_of_person(tr.person); st >= 0) {
      const auto& member = roster_.staff[size_t(st)];
      for (int k = 0; k < m_.staff_isolation_days; ++k) {
        const int day = std::max(d, tr.day) + k;
        if (day >= m_.horizon_days) break;
        if (sched_.on_duty(st, day)) out_.roles[member.role].days_ill++;
        sched_.set_unavailable(st, day);
      }
      raise(Event::StaffUnavailable, member.role, -1, member.village - int32_t(first_village_), d * kDay);
    }
    const int32_t i = returnee_of(tr.person);
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
    for (const auto& [fi, minute] : fever_minute_)
      if (fi == uint32_t(i)) onset_at_[size_t(i)] = minute;  // an exercise's fever: its minute
    out_.villages[size_t(village_of_[size_t(i)])].returnee_onsets++;
    const bool watched = monitoring_[size_t(i)] != 0 ||
                         (tracking_of_[size_t(i)] >= 0 && !trackings_[size_t(tracking_of_[size_t(i)])].ended);
    // Watched: found at the next visit, if one comes before they would have sought care anyway.
    if (watched) pending_check_[size_t(i)] = 1;
    timer_events_.push_back({TimerKind::SeekCare, -1, i, village_of_[size_t(i)], 0});
    // At 08:00, care_seeking_days after onset; a returnee whose symptoms began before they came
    // home (infected on the way) seeks care at the first 08:00 once home, never before arriving.
    int64_t when = (int64_t(tr.day) + m_.care_seeking_days) * kDay + 8 * 60;
    const int64_t earliest = std::max<int64_t>(int64_t(d) * kDay, arrival_[size_t(i)]);
    if (when < earliest) {
      when = day_of(earliest) * kDay + 8 * 60;
      if (when < earliest) when += kDay;
    }
    sched_.add_timer(when, timer_events_.size() - 1);
  }
  fever_minute_.clear();
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
    local_case_found(ev.subject, ev.village, t, false);
    return;
  }
  if (detected_at_[size_t(ev.subject)] >= 0) return;
  // Not yet registered: the health system reports them, and they are registered first.
  register_returnee(uint32_t(ev.subject), t, rules::FoundBy::CareSeeking);
  detect(uint32_t(ev.subject), t, false);
  raise(Event::SymptomsReported, -1, ev.subject, ev.village, t);
}

// A resident who is not a returnee, ill, is isolated (once) and local_case_found is raised.
void Town::local_case_found(int32_t person, int32_t village, int64_t t, bool at_visit) {
  // Found once: one found at a visit is not found again when the care-seeking timer comes (it was
  // counted twice, and its household's observation and tracing were started again).
  if (!local_cases_found_.insert(person).second) return;
  if (!epi_->set_care(uint32_t(person), epidemic::Care::Isolated)) return;
  out_.villages[size_t(village)].local_cases_isolated++;
  out_.villages[size_t(village)].local_cases_found_at_visit += at_visit;
  if (local_case_rules_) {
    local_case_person_ = person;  // the case whose household observe_household means
    raise(Event::LocalCaseFound, -1, -1, village, t);
    local_case_person_ = -1;
  }
}

// The chance that a visit by `staff` notices symptoms (finding's visit_detection, by role); a team
// notices them unless every member misses them.
double Town::visit_chance(int staff) const {
  if (staff >= 0) return m_.visit_detection[roster_.staff[size_t(staff)].role];
  double missed = 1;
  for (int32_t member : sched_.current_team()) missed *= 1 - m_.visit_detection[roster_.staff[size_t(member)].role];
  return 1 - missed;
}

// A household contact done at `now` (finding's visit_detection): each person at home with symptoms
// and not yet found is noticed with `chance` (a draw by person and day). A returnee is registered if
// need be and found at a check (fever_found); a resident who is not a returnee is isolated as a local
// case (local_case_found), as when they seek care, if the scenario isolates local cases.
void Town::household_checked(int32_t household, int32_t village, int64_t now, int d, double chance) {
  if (!epi_ || chance <= 0) return;
  const uint32_t first = pop_.household_first_person[size_t(household)];
  const uint32_t end = first + pop_.household_size[size_t(household)];
  for (uint32_t p = first; p < end; ++p) {
    if (epi_->state(p) != epidemic::State::Symptomatic || epi_->care(p) == epidemic::Care::Isolated) continue;
    const int32_t i = returnee_of(p);
    if (i >= 0 && (detected_at_[size_t(i)] >= 0 || onset_at_[size_t(i)] < 0 || onset_at_[size_t(i)] > now ||
                   arrival_[size_t(i)] > now))
      continue;
    if (i < 0 && !m_.isolate_local_cases) continue;
    RandomStream s(StreamKey{m_.seed, uint32_t(rep_), p, uint16_t(d), Purpose::VisitDetect});
    if (s.uniform() >= chance) continue;
    if (i < 0) {
      local_case_found(int32_t(p), village, now, true);
      continue;
    }
    if (registered_[size_t(i)] < 0) register_returnee(uint32_t(i), now, rules::FoundBy::HouseholdVisit);
    detect(uint32_t(i), now, true);
    raise(Event::FeverFound, -1, i, village, now);
  }
}

}  // namespace vg::sim::town
