// escalate: an event raised after the report delays of the grid's bottom levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rules/actions/raise.h"
#include "spec/policy.h"

namespace vg::rules {

struct Escalate {
  int event;
  int levels;  // grid levels to climb (0 = to the top)

  static constexpr ActionSyntax syntax{"escalate", "{event: EVENT, levels?: N}", "event", ActionSyntax::For::Both,
                                       "raises an event after the report delays of the grid's bottom levels"};
  // `escalate: {event: EVENT, levels?: N}`.
  template <class In>
  static void read(In& in, ActionSpec& a) {
    auto r = in.map("escalate");
    if (!r.ok()) return;
    if (auto* e = r.require("event"))
      if (auto s = in.name(*e, "event")) a.name = *s;
    if (auto* n = r.get("levels")) {
      if (auto x = in.integer(*n, "levels", 1, 3)) a.value = double(*x);
      a.value_loc = n->loc;
    }
    r.finish();
  }
  // Needs a grid: checked with the scenario (sim::build_model). Given one, `levels` may not climb
  // past its top (compile_policy has the scenario's grid, when there is one, before the rules).
  template <class Site>
  static std::optional<Escalate> compile(const ActionSpec& a, Site& s) {
    const int e = raised_event(a, s);
    if (e < 0) return std::nullopt;
    if (const auto& g = s.c.p.grid(); g && a.value > double(g->levels.size())) {
      const size_t n = g->levels.size();
      s.c.d.error(a.value_loc, "escalate climbs " + std::to_string(int(a.value)) + " levels, but grid '" + g->name +
                                   "' has " + std::to_string(n) + (n == 1 ? " level" : " levels") +
                                   "; write levels: " + std::to_string(n) + " or less (or leave it out: to the top)");
      return std::nullopt;
    }
    return Escalate{e, int(a.value)};
  }
  // A report climbing the grid takes each level's delay.
  template <class W>
  void apply(W& w) const {
    raise_event(w, event, w.program().escalation_delay(levels));
  }
  template <class P, class Out>
  void raises(const P&, Out&& out) const {
    out(Event::Custom, event);
  }
  template <class Story>
  void explain(Story& s) const {
    const int64_t delay = s.program().escalation_delay(levels);
    s.say("escalated event " + s.program().events()[size_t(event)].name + " up the grid" +
          (delay > 0 ? ", arriving " + s.duration(delay) + " later" : std::string()));
  }
};

}  // namespace vg::rules
