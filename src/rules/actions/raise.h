// raise: a declared event, now or some hours later.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

#include "spec/policy.h"

namespace vg::rules {

// The event a raise or escalate names, checked against what the rule is about; -1 when unknown.
template <class Site>
int raised_event(const ActionSpec& a, Site& s) {
  const int e = s.c.events.find(a.name, s.c.d);
  if (e < 0) return e;
  if (s.c.p.events()[size_t(e)].about == Subject::Person && s.cr.subject == Subject::Village && s.subject_sure)
    s.c.d.error(a.name.loc, "event '" + a.name.name + "' is about a person; rule '" + s.r.id + "' is about a village");
  s.c.event_raised_by_rule[size_t(e)] = true;
  return e;
}

// A custom event about the subject of the rule firing: `delay` minutes later, or at once, nested.
template <class W>
void raise_event(W& w, int event, int64_t delay) {
  if (delay > 0) {
    w.raise_later(event, delay);
    return;
  }
  const bool about_village = w.program().events()[size_t(event)].about == Subject::Village;
  if (about_village) w.mark_village_event(event);
  w.raise_now(Event::Custom, event, about_village);
}

struct Raise {
  int event;
  int64_t delay_minutes;  // 0: at once

  static constexpr ActionSyntax syntax{"raise", "EVENT | {event: EVENT, after_hours: H}", "event",
                                       ActionSyntax::For::Both, "raises a declared event, now or H hours later"};
  // `raise: EVENT` or `raise: {event: EVENT, after_hours: H}`.
  template <class In>
  static void read(In& in, ActionSpec& a) {
    const auto& v = in.node();
    if (!v.is_map()) {
      if (auto s = in.name(v, "event")) a.name = *s;
      return;
    }
    auto r = in.map("raise");
    if (auto* e = r.require("event"))
      if (auto s = in.name(*e, "event")) a.name = *s;
    if (auto* h = r.require("after_hours"))
      if (auto x = in.number(*h, "after_hours", 1.0 / 60, 24.0 * 365)) a.value = std::round(*x * 60);
    r.finish();
  }
  template <class Site>
  static std::optional<Raise> compile(const ActionSpec& a, Site& s) {
    const int e = raised_event(a, s);
    if (e < 0) return std::nullopt;
    return Raise{e, int64_t(a.value)};
  }
  template <class W>
  void apply(W& w) const {
    raise_event(w, event, delay_minutes);
  }
  template <class P, class Out>
  void raises(const P&, Out&& out) const {
    out(Event::Custom, event);
  }
  template <class Story>
  void explain(Story& s) const {
    s.say("raised event " + s.program().events()[size_t(event)].name +
          (delay_minutes > 0 ? " in " + s.duration(delay_minutes) : std::string()));
  }
};

}  // namespace vg::rules
