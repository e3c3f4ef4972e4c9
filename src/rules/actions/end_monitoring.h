// end_monitoring: the person's monitoring of a kind, or of any kind, ends now.
#pragma once

#include <optional>

#include "rules/actions/start_monitoring.h"
#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

struct EndMonitoring {
  std::optional<int> kind;  // nullopt: whatever monitoring the person is under

  static constexpr ActionSyntax syntax{"end_monitoring", "KIND | any", "monitoring kind", ActionSyntax::For::Person,
                                       "ends the person's monitoring of that kind now"};
  template <class Site>
  static std::optional<EndMonitoring> compile(const ActionSpec& a, Site& s) {
    const bool any = a.name.name == "any";
    const int k = any ? -1 : monitoring_kind(a, s);
    s.for_persons_only(a, "monitoring");
    if (any) return EndMonitoring{std::nullopt};
    if (k < 0) return std::nullopt;
    return EndMonitoring{k};
  }
  template <class W>
  void apply(W& w) const {
    const int now = w.monitoring_kind();
    if (now < 0 || (kind && *kind != now)) return;
    w.end_monitoring(now);
    w.raise_now(Event::MonitoringEnded, now, false);
  }
  template <class P, class Out>
  void raises(const P& p, Out&& event) const {
    for (int k = 0; k < int(p.monitoring().size()); ++k)
      if (kind.value_or(k) == k) event(Event::MonitoringEnded, k);
    event(Event::MonitoringEnded, -1);
  }
  template <class P, class Out>
  void changes(const P& p, Out&& slot) const {
    monitoring_changes(p, slot);
  }
  template <class Story>
  void explain(Story& s) const {
    s.say(kind ? "ended monitoring " + s.program().monitoring()[size_t(*kind)] : std::string("ended monitoring"));
  }
};

}  // namespace vg::rules
