// start_tracking: a tracking template for the person, once.
#pragma once

#include <optional>

#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

// The tracking template a start or end names, for rules about a person; -1 when unknown (reported).
template <class Site>
int tracking_template(const ActionSpec& a, Site& s) {
  const int t = s.c.find_tracking(a.name);
  s.for_persons_only(a, "tracking");
  return t;
}

struct StartTracking {
  int tmpl;

  static constexpr ActionSyntax syntax{"start_tracking", "TEMPLATE", "tracking template", ActionSyntax::For::Person,
                                       "starts a tracking template for the person (once)"};
  template <class Site>
  static std::optional<StartTracking> compile(const ActionSpec& a, Site& s) {
    const int t = tracking_template(a, s);
    if (t < 0) return std::nullopt;
    return StartTracking{t};
  }
  template <class W>
  void apply(W& w) const {
    if (!w.ever_tracked()) w.start_tracking(tmpl);  // tracked once already: a second start is a no-op
  }
  template <class P, class Out>
  void changes(const P&, Out&& slot) const {
    slot(kSlotTracked);
  }
  template <class Story>
  void explain(Story& s) const {
    const auto& t = s.program().tracking()[size_t(tmpl)];
    if (s.tracked_from < 0) {
      s.tracked_from = s.at;
      s.say("started tracking " + t.id + " (" + s.show_loc(t.loc.str()) + ")");
    } else {
      s.say("start_tracking " + t.id + " did nothing (already tracked once)");
    }
  }
};

}  // namespace vg::rules
