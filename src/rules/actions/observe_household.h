// observe_household: the other members of the person's household under a kind of monitoring.
#pragma once

#include <optional>

#include "rules/actions/start_monitoring.h"
#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

struct ObserveHousehold {
  int kind;
  int days;

  static constexpr ActionSyntax syntax{"observe_household", "{kind: KIND, days: N}", "monitoring kind",
                                       ActionSyntax::For::Person,
                                       "puts the other members of the person's household under monitoring"};
  template <class In>
  static void read(In& in, ActionSpec& a) {
    read_monitoring_value(in, a, "observe_household", false);
  }
  template <class Site>
  static std::optional<ObserveHousehold> compile(const ActionSpec& a, Site& s) {
    const int k = monitoring_kind(a, s);
    if (s.subject_sure && s.cr.subject != Subject::Person && s.cr.event != Event::LocalCaseFound)
      s.c.d.error(a.loc,
                  "observe_household is for rules about a person (their household) or on local_case_found "
                  "(the case's household); rule '" +
                      s.r.id + "' is about a village");
    if (k < 0) return std::nullopt;
    s.c.monitoring_observed[size_t(k)] = true;
    return ObserveHousehold{k, int(a.value)};
  }
  template <class W>
  void apply(W& w) const {
    w.observe_household(kind, days);
  }
  template <class P, class Out>
  void changes(const P& p, Out&& slot) const {
    monitoring_changes(p, slot);
  }
  template <class Story>
  void explain(Story& s) const {
    s.say("put the rest of the household under " + s.program().monitoring()[size_t(kind)] + " for " +
          s.plural(days, "day", "days"));
  }
};

}  // namespace vg::rules
