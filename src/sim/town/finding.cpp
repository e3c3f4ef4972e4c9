// Finding: a returnee is home at arrival but registered (returnee_arrived) only when found, by one
// of the channels of rules::FoundBy: reporting themselves (a chance and a delay by origin), a
// household visit (a task counting as a household contact), a staffed checkpoint (a post with a
// registers_share), or seeking care with symptoms (detection.cpp). docs/scenarios.md, `finding`.
// Every draw is keyed by (person, purpose) or (person, day, purpose), never by thread or by order.
#include <algorithm>
#include <cmath>

#include "core/random.h"
#include "sim/town/town.h"

namespace vg::sim::town {

// The returnees of each household of the town (CSR), and whether some post registers arrivals.
void Town::prepare_finding() {
  const size_t nh = last_contact_.size();
  household_returnee_begin_.assign(nh + 1, 0);
  for (uint32_t i = 0; i < nr_; ++i)
    household_returnee_begin_[pop_.person_household[pop_.returnees[first_returnee_ + i]] - first_household_ + 1]++;
  for (size_t h = 0; h < nh; ++h) household_returnee_begin_[h + 1] += household_returnee_begin_[h];
  household_returnees_.resize(nr_);
  std::vector<uint32_t> next(household_returnee_begin_.begin(), household_returnee_begin_.end() - 1);
  for (uint32_t i = 0; i < nr_; ++i)  // in returnee order within a household
    household_returnees_[next[pop_.person_household[pop_.returnees[first_returnee_ + i]] - first_household_]++] = i;
  for (const auto& post : prog_.posts()) checkpoints_register_ = checkpoints_register_ || post.registers_share > 0;
  post_staffed_.assign(size_t(nv_) * prog_.posts().size(), {});
}

// An arrival's own channels: whether and when they report themselves (one draw of each, always,
// so that a changed probability moves no other draw), and the village's checkpoints at their
// minute. Those home before day 0 (minute 0) passed no checkpoint.
void Town::arrival_found(uint32_t i, int /*d*/) {
  const uint32_t person = pop_.returnees[first_returnee_ + i];
  RandomStream s(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::SelfReport});
  const double u = s.uniform();
  const double e = s.exponential(1.0);  // in units of the mean; median = mean * ln 2
  const double p = m_.self_report_probability[origin_[i]], median = m_.self_report_median_minutes[origin_[i]];
  if (u < p) {
    const int64_t when = arrival_[i] + int64_t(std::llround(e * median / std::log(2.0)));
    if (when == arrival_[i]) {
      register_returnee(i, when, rules::FoundBy::SelfReport);
    } else {
      timer_events_.push_back({TimerKind::SelfReport, -1, int32_t(i), village_of_[i], 0});
      sched_.add_timer(when, timer_events_.size() - 1);
    }
  }
  if (checkpoints_register_ && arrival_[i] > 0 && registered_[i] < 0) {
    timer_events_.push_back({TimerKind::Checkpoint, -1, int32_t(i), village_of_[i], 0});
    sched_.add_timer(arrival_[i], timer_events_.size() - 1);
  }
}

// Registers a returnee found now (once): counted, and returnee_arrived raised about them.
void Town::register_returnee(uint32_t i, int64_t now, rules::FoundBy how) {
  if (registered_[i] >= 0) return;
  registered_[i] = now;
  found_by_[i] = uint8_t(how);
  const size_t v = size_t(village_of_[i]);
  const int d = int(now / kDay);
  if (d >= m_.horizon_days) return;
  auto& row = out_.days[v][size_t(d)];
  auto& vt = out_.villages[v];
  row.arrivals++;
  vt.returnees++;
  vt.found_minutes += now - arrival_[i];
  switch (how) {
    case rules::FoundBy::SelfReport:
      row.found_self_report++;
      vt.found_self_report++;
      break;
    case rules::FoundBy::HouseholdVisit:
      row.found_household_visit++;
      vt.found_household_visit++;
      break;
    case rules::FoundBy::Checkpoint:
      row.found_checkpoint++;
      vt.found_checkpoint++;
      break;
    case rules::FoundBy::CareSeeking:
      row.found_care_seeking++;
      vt.found_care_seeking++;
      break;
    case rules::FoundBy::NeighbourReport:
      row.found_neighbour_report++;
      vt.found_neighbour_report++;
      break;
    default: break;
  }
  village_registered_[v]++;
  raise(Event::ReturneeArrived, -1, int32_t(i), int32_t(v), now);
}

// A household contact done at `now`: each returnee at home in the household and not yet registered
// is found with the scenario's household_visit probability (a draw by person and day).
void Town::household_visited(int32_t household, int64_t now, int d) {
  const size_t h = size_t(household) - first_household_;
  for (uint32_t k = household_returnee_begin_[h]; k < household_returnee_begin_[h + 1]; ++k) {
    const uint32_t i = household_returnees_[k];
    if (registered_[i] >= 0 || arrival_[i] > now) continue;
    RandomStream s(
        StreamKey{m_.seed, uint32_t(rep_), pop_.returnees[first_returnee_ + i], uint16_t(d), Purpose::HouseholdFind});
    if (s.uniform() < m_.household_visit_probability) register_returnee(i, now, rules::FoundBy::HouseholdVisit);
  }
}

// Neighbours and villager-group leaders report at 09:00 (kNeighbourReportMinute) each day, when the
// scenario gives them a chance (finding.neighbour_report.probability_per_day > 0).
void Town::neighbour_reports(int d) {
  if (!m_.finding || m_.neighbour_report_probability <= 0) return;
  timer_events_.push_back({TimerKind::NeighbourReport, -1, -1, -1, 0});
  sched_.add_timer(int64_t(d) * kDay + kNeighbourReportMinute, timer_events_.size() - 1);
}

// Each returnee home since an earlier day (those home before day 0: from day 1) whom nobody has
// registered yet is reported with the day's probability: one draw by person and day, so a higher
// probability reports everyone a lower one does, on the same day or earlier.
void Town::neighbour_reported(int64_t t) {
  const int d = int(t / kDay);
  for (uint32_t i = 0; i < nr_; ++i) {
    if (registered_[i] >= 0 || arrival_[i] > t || arrival_[i] / kDay >= d) continue;
    RandomStream s(
        StreamKey{m_.seed, uint32_t(rep_), pop_.returnees[first_returnee_ + i], uint16_t(d), Purpose::NeighbourReport});
    if (s.uniform() < m_.neighbour_report_probability) register_returnee(i, t, rules::FoundBy::NeighbourReport);
  }
}

// A place of a registering post taken at `start`: staffed from then to the end of its time or of
// the shift, whichever comes first.
void Town::post_started(const staffing::Task& task, int64_t start) {
  const TaskRec& rec = tasks_[task.id];
  const auto& kind = prog_.task_kinds()[size_t(rec.kind)];
  if (kind.post < 0 || prog_.posts()[size_t(kind.post)].registers_share <= 0) return;
  const int64_t day0 = (start / kDay) * kDay;
  const int64_t from = std::max(start, day0 + kind.shift_from);
  const int64_t to = std::min(start + task.minutes, day0 + kind.shift_to);
  if (to <= from) return;
  const size_t slot = size_t(rec.village) * prog_.posts().size() + size_t(kind.post);
  if (post_staffed_[slot].empty()) post_staffed_touched_.push_back(slot);
  post_staffed_[slot].emplace_back(from, to);
}

// A returnee passes the village's checkpoints at `t`: registered with the largest registers_share
// of the posts someone is at now (one draw by person), none when no registering post is staffed.
void Town::checkpoint_passed(uint32_t i, int64_t t) {
  if (registered_[i] >= 0) return;
  const size_t v = size_t(village_of_[i]), np = prog_.posts().size();
  double share = 0;
  for (size_t post = 0; post < np; ++post)
    for (const auto& [from, to] : post_staffed_[v * np + post])
      if (from <= t && t < to) share = std::max(share, prog_.posts()[post].registers_share);
  if (share <= 0) return;
  RandomStream s(StreamKey{m_.seed, uint32_t(rep_), pop_.returnees[first_returnee_ + i], 0, Purpose::CheckpointFind});
  if (s.uniform() < share) register_returnee(i, t, rules::FoundBy::Checkpoint);
}

}  // namespace vg::sim::town
