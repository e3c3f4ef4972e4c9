// The lints step: warnings about a policy that compiles but is likely not what its author meant —
// rules that can never fire, names declared and never used, rules fighting over a class. A run
// still works; the user hears it at `villagegrid check`. Lints that need what one step resolves
// live in that step (a duplicate rule id in rules.cpp); the rest go here, after the index. To add
// one: a check here (or a function it calls) and a test in tests/rules/compile/lint_test.cpp.
#include <algorithm>
#include <string>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

void Compiler::lints() {
  for (size_t t = 0; t < p.tracking_.size(); ++t) {
    bool used = false;
    for (const auto& r : p.rules_)
      for (const auto& a : r.actions)
        if (auto* start = std::get_if<StartTracking>(&a)) used = used || start->tmpl == int(t);
    if (!used && !p.rules_.empty())
      d.warning(p.tracking_[t].loc, "tracking template '" + p.tracking_[t].id + "' is never started by a rule");
  }
  for (const auto& r : p.rules_) {
    never_fires(r);
    unwatched_checks(r);
  }
  const auto& voc = spec.vocabulary;
  for (size_t c = 1; c < p.classes_.size(); ++c) {
    if (class_set_by_rule[c] || p.rules_.empty()) continue;
    auto it = std::find_if(voc.classes.begin(), voc.classes.end(),
                           [&](const NameSpec& n) { return n.name == p.classes_[c]; });
    d.warning(it->loc, "class '" + p.classes_[c] + "' is declared but no rule sets it");
  }
  class_conflicts();
}

// A rule whose trigger nothing raises, or whose period is empty, is dead text in the policy.
void Compiler::never_fires(const CompiledRule& r) {
  if (r.event == Event::Custom && r.filter >= 0 && !event_raised_by_rule[size_t(r.filter)])
    d.warning(r.loc,
              "rule '" + r.id + "' can never fire: no rule raises event '" + p.events_[size_t(r.filter)].name + "'");
  if (r.event == Event::ClassChanged && r.filter >= 0 && !class_set_by_rule[size_t(r.filter)])
    d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule sets class '" + p.classes_[size_t(r.filter)] + "'");
  if (r.after_event >= 0 && !event_raised_by_rule[size_t(r.after_event)])
    d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule raises event '" +
                         p.events_[size_t(r.after_event)].name + "'");
  if (r.from_day > r.until_day) d.warning(r.loc, "rule '" + r.id + "' can never fire: its period is empty");
  // A rule on one day outside its own period: whatever the scenario, that day is never in it.
  if (r.event == Event::OnDay && r.from_day <= r.until_day && r.filter > r.until_day)
    d.warning(r.loc, "rule '" + r.id + "' can never fire: it is on day " + std::to_string(r.filter) +
                         ", after its until_day " + std::to_string(r.until_day));
  if (r.event == Event::OnDay && r.from_day <= r.until_day && r.filter < r.from_day)
    d.warning(r.loc, "rule '" + r.id + "' can never fire: it is on day " + std::to_string(r.filter) +
                         ", before its from_day " + std::to_string(r.from_day));
  if (r.event == Event::MonitoringEnded && r.filter >= 0 && !monitoring_started[size_t(r.filter)] &&
      !monitoring_observed[size_t(r.filter)])
    d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule starts monitoring '" +
                         p.monitoring_[size_t(r.filter)] + "'");
}

// A rule about a person that makes a repeating task about them (a daily temperature check) but
// neither starts a monitoring nor a tracking: a visit finds symptoms only in a watched person
// (docs/epidemic.md), so in a scenario with an epidemic those checks cost hours and find nothing.
void Compiler::unwatched_checks(const CompiledRule& r) {
  // Only where the person is not known to be watched: a returnee registered or a task done about
  // them, with a condition that does not ask whether they are tracked or monitored. (A class
  // change, a raised event or a fever found often follows the rule that starts the watch.)
  if (r.subject != Subject::Person || (r.event != Event::ReturneeArrived && r.event != Event::TaskDone)) return;
  const uint32_t watch_facts = (1u << kSlotTracked) | (1u << kSlotMonitoring);
  if (r.when && (r.person_facts & watch_facts) != 0) return;
  bool watches = false;
  for (const auto& a : r.actions)
    watches = watches || std::holds_alternative<StartMonitoring>(a) || std::holds_alternative<StartTracking>(a);
  if (watches) return;
  for (const auto& a : r.actions) {
    const auto* create = std::get_if<CreateTask>(&a);
    if (!create) continue;
    const TaskKind& k = p.task_kinds_[size_t(create->task_kind)];
    if (k.for_each_household || k.repeat.every_days <= 0 || k.repeat.times <= 1) continue;
    d.warning(k.loc, "task '" + k.name + "' repeats about the person, but rule '" + r.id +
                         "' neither starts a monitoring nor a tracking of them: a visit finds symptoms only in a "
                         "watched person, so these visits find no fever unless another rule watches them (add "
                         "start_monitoring to the rule if they are meant to)");
  }
}

// Two unconditional rules on the same event that set different classes: the first wins (by
// priority, then order), which is rarely what the author meant.
void Compiler::class_conflicts() {
  for (size_t a = 0; a < p.rules_.size(); ++a)
    for (size_t b = a + 1; b < p.rules_.size(); ++b) {
      const auto& x = p.rules_[a];
      const auto& y = p.rules_[b];
      if (x.event != y.event || x.filter != y.filter) continue;
      const std::string cx = x.when ? x.when->source() : "", cy = y.when ? y.when->source() : "";
      if (cx != cy) continue;
      int kx = -1, ky = -1;
      for (const auto& act : x.actions)
        if (auto* set = std::get_if<SetClass>(&act)) kx = set->cls;
      for (const auto& act : y.actions)
        if (auto* set = std::get_if<SetClass>(&act)) ky = set->cls;
      if (kx >= 0 && ky >= 0 && kx != ky) {
        const auto& loser = (x.priority >= y.priority) ? y : x;
        const auto& winner = (x.priority >= y.priority) ? x : y;
        d.warning(loser.loc, "rules '" + x.id + "' and '" + y.id + "' set different classes ('" +
                                 p.classes_[size_t(kx)] + "', '" + p.classes_[size_t(ky)] +
                                 "') on the same event under the same condition; '" + winner.id +
                                 "' fires first and wins");
      }
    }
}

}  // namespace vg::rules::compile
