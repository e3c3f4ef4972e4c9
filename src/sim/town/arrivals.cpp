// Returnees: where they come from and when they arrive (drawn once), and each day's arrivals.
#include "sim/town/town.h"

#include <algorithm>

#include "core/random.h"

namespace vg::sim::town {

// Origins and arrival times, each from its own stream keyed by the person, so that changing
// anything else in a scenario leaves them as they were (common random numbers).
void Town::draw_returnees() {
  origin_.resize(nr_);
  arrival_.resize(nr_);
  cls_.assign(nr_, uint8_t(prog_.default_class()));
  screened_.assign(nr_, -1);
  registered_.assign(nr_, -1);
  found_by_.assign(nr_, uint8_t(rules::FoundBy::None));
  tracking_of_.assign(nr_, -1);
  village_of_.resize(nr_);
  person_attr_.assign(size_t(nr_) * prog_.attributes().size(), 0.0);
  pending_check_.assign(nr_, 0);
  detected_at_.assign(nr_, -1);
  onset_at_.assign(nr_, -1);
  if (epi_) {
    staff_persons_.clear();
    for (size_t st = 0; st < roster_.staff.size(); ++st)
      if (roster_.person[st] >= 0) staff_persons_.push_back({uint32_t(roster_.person[st]), int32_t(st)});
    std::sort(staff_persons_.begin(), staff_persons_.end());
  }
  monitoring_.assign(nr_, 0);
  in_monitored_.assign(nr_, 0);
  monitoring_end_.assign(nr_, 0);
  for (uint32_t v = 0; v < nv_; ++v) {
    const auto& r = pop_.village_returnees[first_village_ + v];
    for (uint32_t i = r.begin; i < r.end; ++i) village_of_[i - first_returnee_] = int32_t(v);
  }
  for (uint32_t i = 0; i < nr_; ++i) {
    const uint32_t person = pop_.returnees[first_returnee_ + i];
    RandomStream o(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Origin});
    origin_[i] = uint8_t(o.categorical(m_.origin_cumulative));
    RandomStream a(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Arrival});
    // One wave draws nothing to choose it, so a scenario of one wave keeps its arrivals.
    const auto& w =
        m_.arrival_waves.size() == 1 ? m_.arrival_waves[0] : m_.arrival_waves[a.categorical(m_.wave_cumulative)];
    double day = a.triangular(w.first, w.peak, w.last);
    // Those home before prevention began count from when it begins (minute 0).
    arrival_[i] = day < 0 ? 0 : int64_t(day * double(kDay));
  }
  surge_returnees();
  // Away until registered: neither catches nor passes on the infection in the village.
  if (epi_)
    for (uint32_t i = 0; i < nr_; ++i)
      if (arrival_[i] > 0) epi_->set_contact_multipliers(pop_.returnees[first_returnee_ + i], 0.0f, 0.0f);
  // Arrival order: by time, then by returnee index (independent of thread count). Sorted as
  // packed (minute, index) keys: the same order as a stable sort by time, without indirection.
  // Those home at minute 0 (most, where arrivals start before prevention) come first and are in
  // index order already: only the others are sorted.
  std::vector<uint64_t> keys;
  keys.reserve(nr_);
  for (uint32_t i = 0; i < nr_; ++i)
    if (arrival_[i] == 0) keys.push_back(i);
  const auto later = keys.end() - keys.begin();
  for (uint32_t i = 0; i < nr_; ++i)  // 0 <= minute <= 3650 days < 2^32
    if (arrival_[i] != 0) keys.push_back((uint64_t(arrival_[i]) << 32) | i);
  std::sort(keys.begin() + later, keys.end());
  order_.resize(nr_);
  for (uint32_t i = 0; i < nr_; ++i) order_[i] = uint32_t(keys[i]);
  if (m_.finding) prepare_finding();
}

// A surge's returnees are the last of their village's (the first surge the very last): its origin,
// and a minute of its window from the returnee's own arrival stream.
void Town::surge_returnees() {
  std::vector<uint32_t> taken(nv_, 0);  // per village: returnees already given to a surge
  for (const auto& s : m_.surges) {
    if (s.village < int32_t(first_village_) || s.village >= int32_t(first_village_ + nv_)) continue;
    const uint32_t v = uint32_t(s.village) - first_village_;
    const auto& r = pop_.village_returnees[size_t(s.village)];
    for (int k = 0; k < s.count; ++k) {
      const uint32_t i = r.end - 1 - taken[v]++ - first_returnee_;
      const uint32_t person = pop_.returnees[first_returnee_ + i];
      RandomStream a(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Arrival});
      origin_[i] = uint8_t(s.origin);
      arrival_[i] = s.first_minute + int64_t(a.uniform() * double(s.over_minutes));
    }
  }
}

// Today's arrivals: home (contacts, and the infection they bring); registered at their minute
// (returnee_arrived) when the scenario has no `finding` section, else found later (finding.cpp).
void Town::arrivals(int d) {
  const int64_t day_start = d * kDay;
  while (next_arrival_ < nr_ && arrival_[order_[next_arrival_]] < day_start + kDay) {
    const uint32_t i = order_[next_arrival_++];
    const int32_t v = village_of_[i];
    out_.days[size_t(v)][size_t(d)].arrived++;
    out_.villages[size_t(v)].returnees_arrived++;
    if (epi_) {
      set_contact(i);  // home now: ordinary contacts (or those of a monitoring)
      epi_->import_returnee(pop_.returnees[first_returnee_ + i], m_.infection_probability[origin_[i]], d);
    }
    if (m_.finding)
      arrival_found(i, d);
    else
      register_returnee(i, arrival_[i], rules::FoundBy::Arrival);
  }
}

}  // namespace vg::sim::town
