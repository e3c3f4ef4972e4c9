// start_monitoring: the person under a kind of monitoring for some days.
#pragma once

#include <optional>

#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

// `{kind: K, days: N}`, and `uses_per_day` where `per_day` (start_monitoring; observe_household's
// household members use the kind's supplies per day).
template <class In>
void read_monitoring_value(In& in, ActionSpec& a, const char* action, bool per_day) {
  auto r = in.map(action);
  if (!r.ok()) return;
  if (auto* k = r.require("kind"))
    if (auto s = in.name(*k, "monitoring kind")) a.name = *s;
  if (auto* n = r.require("days"))
    if (auto x = in.integer(*n, "days", 1, 365)) a.value = double(*x);
  if (per_day)
    if (auto* u = r.get("uses_per_day")) a.uses_per_day = in.amounts(*u, "uses_per_day");
  r.finish();
}

// The monitoring kind an action names; -1 when unknown (reported).
template <class Site>
int monitoring_kind(const ActionSpec& a, Site& s) {
  return s.c.monitoring.find(a.name, s.c.d);
}

// What starting or ending a monitoring changes: the person's monitoring, the village's monitored.
template <class P, class Out>
void monitoring_changes(const P& p, Out&& slot) {
  slot(kSlotMonitoring);
  slot(p.village_slot(kVillageMonitored));
}

struct StartMonitoring {
  int kind;
  int days;

  static constexpr ActionSyntax syntax{"start_monitoring", "{kind: KIND, days: N, uses_per_day?}", "monitoring kind",
                                       ActionSyntax::For::Person,
                                       "puts the person under a kind of monitoring for N days"};
  template <class In>
  static void read(In& in, ActionSpec& a) {
    read_monitoring_value(in, a, "start_monitoring", true);
  }
  template <class Site>
  static std::optional<StartMonitoring> compile(const ActionSpec& a, Site& s) {
    const int k = monitoring_kind(a, s);
    s.for_persons_only(a, "monitoring");
    if (k < 0) return std::nullopt;
    s.c.monitoring_uses_per_day(a, k);  // every start of a kind must agree
    return StartMonitoring{k, int(a.value)};
  }
  template <class W>
  void apply(W& w) const {
    w.start_monitoring(kind, days);  // replaces any current monitoring
  }
  template <class P, class Out>
  void changes(const P& p, Out&& slot) const {
    monitoring_changes(p, slot);
  }
  template <class Story>
  void explain(Story& s) const {
    s.say("started " + s.program().monitoring()[size_t(kind)] + " for " + s.plural(days, "day", "days"));
  }
};

}  // namespace vg::rules
