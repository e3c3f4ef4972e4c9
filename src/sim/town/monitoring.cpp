// Monitoring: returnees under a kind of monitoring, residents observed with a household, the
// contacts they keep, and the end of each at 23:59 of its last day.
#include "sim/town/town.h"

namespace vg::sim::town {

// A new monitoring of returnee i replaces the current one, from `day` for `days` days.
void Town::start_monitoring(int32_t i, int32_t v, int kind, int day, int days) {
  if (monitoring_[size_t(i)] == 0)
    village_monitored_[size_t(v)]++;
  else
    monitored_of_kind(v, monitoring_[size_t(i)] - 1)--;
  monitored_of_kind(v, kind)++;
  if (!in_monitored_[size_t(i)]) {
    in_monitored_[size_t(i)] = 1;
    monitored_.push_back(i);
  }
  monitoring_[size_t(i)] = uint8_t(kind + 1);
  monitoring_end_[size_t(i)] = day + days - 1;
  set_contact(uint32_t(i));
}

// The other members of the household of the rule's person (or of the local case): a returnee
// registered here gets the monitoring as by start_monitoring; a resident who is not a returnee
// (not a rule subject) has their contacts reduced and is counted as monitored until the last
// day, with no events.
void Town::observe_household(int kind, int days) {
  const int32_t i = ctx_.subject;
  const int64_t now = ctx_.now;
  const int day = int(now / kDay);
  const int64_t person = i >= 0 ? int64_t(pop_.returnees[first_returnee_ + uint32_t(i)]) : local_case_person_;
  if (person < 0) return;
  const uint32_t h = pop_.person_household[size_t(person)];
  const uint32_t first = pop_.household_first_person[h];
  for (uint32_t m = first; m < first + pop_.household_size[h]; ++m) {
    if (int64_t(m) == person) continue;
    const int32_t j = returnee_of(m);
    if (j >= 0) {
      // Home (registered as they arrive), or, when returnees are found, found already: one nobody
      // found yet is not known to be there.
      const int64_t known = m_.finding ? registered_[size_t(j)] : arrival_[size_t(j)];
      if (known >= 0 && known <= now) start_monitoring(j, village_of_[size_t(j)], kind, day, days);
    } else {
      observe_resident(m, village_index_of(m), kind, day + days - 1);
    }
  }
}

// A resident who is not a returnee, observed with a case's household until `last_day` (23:59);
// a new observation replaces the current one.
void Town::observe_resident(uint32_t person, int32_t v, int kind, int last_day) {
  auto [it, added] = resident_obs_index_.try_emplace(person, uint32_t(resident_obs_.size()));
  if (added) {
    resident_obs_.push_back({person, v, kind, last_day});
    village_monitored_[size_t(v)]++;
  } else {
    ResidentObs& o = resident_obs_[it->second];
    monitored_of_kind(v, o.kind)--;
    o.kind = kind;
    o.last_day = last_day;
  }
  monitored_of_kind(v, kind)++;
  if (epi_) {
    const auto& mc = m_.monitoring_contact[size_t(kind)];
    epi_->set_contact_multipliers(person, mc[0], mc[1]);
  }
}

// Contact multipliers follow the person's monitoring (scenario `epidemic.contact`).
void Town::set_contact(uint32_t i) {
  if (!epi_) return;
  const uint32_t person = pop_.returnees[first_returnee_ + i];
  if (monitoring_[i] == 0) {
    epi_->set_contact_multipliers(person, 1.0f, 1.0f);
  } else {
    const auto& mc = m_.monitoring_contact[size_t(monitoring_[i] - 1)];
    epi_->set_contact_multipliers(person, mc[0], mc[1]);
  }
}

// Today's count of people under monitoring; then monitoring that ends today ends at 23:59.
void Town::monitoring_day_end(int d) {
  const int64_t day_start = d * kDay;
  for (uint32_t v = 0; v < nv_; ++v) {
    out_.days[v][size_t(d)].monitored = village_monitored_[v];
    out_.villages[v].monitored_days += village_monitored_[v];
  }
  // Only those listed when the pass begins: a monitoring a rule starts at 23:59 is looked at
  // from tomorrow (so a rule restarting monitoring when it ends cannot loop within the day).
  const size_t listed = monitored_.size();
  size_t keep_m = 0;
  for (size_t k = 0; k < listed; ++k) {
    const int32_t i = monitored_[k];
    if (monitoring_[size_t(i)] != 0 && monitoring_end_[size_t(i)] <= d) {
      const int kind = monitoring_[size_t(i)] - 1;
      monitoring_[size_t(i)] = 0;
      village_monitored_[size_t(village_of_[size_t(i)])]--;
      monitored_of_kind(village_of_[size_t(i)], kind)--;
      set_contact(uint32_t(i));
      raise(Event::MonitoringEnded, kind, i, village_of_[size_t(i)], day_start + kDay - 1);
    }
    if (monitoring_[size_t(i)] != 0)
      monitored_[keep_m++] = i;  // still (or again) monitored
    else
      in_monitored_[size_t(i)] = 0;
  }
  for (size_t k = listed; k < monitored_.size(); ++k) monitored_[keep_m++] = monitored_[k];
  monitored_.resize(keep_m);
  // Residents observed with a household: their last day ends at 23:59 (no event).
  for (size_t k = 0; k < resident_obs_.size();) {
    const ResidentObs o = resident_obs_[k];
    if (o.last_day > d) {
      ++k;
      continue;
    }
    village_monitored_[size_t(o.village)]--;
    monitored_of_kind(o.village, o.kind)--;
    if (epi_) epi_->set_contact_multipliers(o.person, 1.0f, 1.0f);
    resident_obs_index_.erase(o.person);
    resident_obs_[k] = resident_obs_.back();  // order does not matter: each entry is on its own
    resident_obs_.pop_back();
    if (k < resident_obs_.size()) resident_obs_index_[resident_obs_[k].person] = uint32_t(k);
  }
}

}  // namespace vg::sim::town
