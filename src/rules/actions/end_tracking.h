// end_tracking: the person's tracking ends at the end of today.
#pragma once

#include <optional>

#include "rules/actions/start_tracking.h"
#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

struct EndTracking {
  int tmpl;

  static constexpr ActionSyntax syntax{"end_tracking", "TEMPLATE", "tracking template", ActionSyntax::For::Person,
                                       "ends the person's tracking at the end of today"};
  template <class Site>
  static std::optional<EndTracking> compile(const ActionSpec& a, Site& s) {
    const int t = tracking_template(a, s);
    if (t < 0) return std::nullopt;
    return EndTracking{t};
  }
  template <class W>
  void apply(W& w) const {
    if (w.tracked_with(tmpl)) w.end_tracking(tmpl);  // the world raises tracking_ended
  }
  template <class P, class Out>
  void raises(const P&, Out&& event) const {
    event(Event::TrackingEnded, tmpl);
    event(Event::TrackingEnded, -1);
  }
  template <class P, class Out>
  void changes(const P&, Out&& slot) const {
    slot(kSlotTracked);
  }
  template <class Story>
  void explain(Story& s) const {
    s.say("ended tracking " + s.program().tracking()[size_t(tmpl)].id);
  }
};

}  // namespace vg::rules
