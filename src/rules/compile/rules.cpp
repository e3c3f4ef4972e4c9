// The rules step: each rule's trigger, period and condition, then its actions, with names resolved
// against what the earlier steps compiled. Also notes what some rule does (sets a class, raises an
// event, starts a monitoring) for the lints step.
#include <algorithm>
#include <climits>
#include <map>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

void Compiler::rules() {
  monitoring_started.assign(p.monitoring_.size(), false);
  monitoring_observed.assign(p.monitoring_.size(), false);
  monitoring_uses_loc.assign(p.monitoring_.size(), {});
  p.monitoring_uses_.assign(p.monitoring_.size(), {});
  class_set_by_rule.assign(p.classes_.size(), false);
  event_raised_by_rule.assign(p.events_.size(), false);
  std::map<std::string, SourceLoc> rule_ids;  // id -> where the first rule with it is
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    const auto& r = spec.rules[ri];
    if (r.id.empty()) continue;
    if (auto [it, fresh] = rule_ids.try_emplace(r.id, r.loc); !fresh)
      d.error(r.loc, "duplicate rule id '" + r.id + "' (first defined at " + it->second.str() + ")");
    CompiledRule cr = rule_head(ri);
    condition(r, cr);
    actions(r, cr);
    p.rules_.push_back(std::move(cr));
  }
}

// Who the rule is and when it listens: its trigger with the value it filters on, its period and
// after_event.
CompiledRule Compiler::rule_head(size_t ri) {
  const auto& r = spec.rules[ri];
  CompiledRule cr;
  cr.id = r.id;
  cr.loc = r.loc;
  cr.guideline = r.guideline;
  cr.title = r.title;
  cr.from_report = r.from_report;
  cr.priority = r.priority;
  cr.subject = subject[ri];
  cr.event = r.trigger.event;
  cr.from_day = r.from_day.value_or(0);
  cr.until_day = r.until_day.value_or(INT32_MAX);
  if (!r.after_event.name.empty()) {
    cr.after_event = events.find(r.after_event, d);
    if (cr.after_event >= 0 && p.events_[size_t(cr.after_event)].about != Subject::Village)
      d.error(r.after_event.loc, "after_event needs an event about a village; '" + r.after_event.name +
                                     "' is about a person (use it as a trigger instead)");
  }
  if (!r.trigger_read) return cr;  // the loader reported why: the rule listens to nothing known
  // The value the rule listens to, found in the list the trigger's value names ("" = any value).
  const auto& tn = r.trigger.name;
  const TriggerSyntax& syntax = trigger(cr.event);
  if (syntax.value == TriggerSyntax::Value::Optional && tn.name.empty()) return cr;
  using N = TriggerSyntax::Names;
  switch (syntax.names) {
    case N::Task: {
      auto it = task_ids.find(tn.name);
      if (it != task_ids.end())
        cr.filter = it->second;
      else if (!tasks_unread)  // else perhaps the task whose name could not be read
        d.error(tn.loc, "no rule creates a task named '" + tn.name + "'" + did_you_mean(tn.name, task_names));
      break;
    }
    case N::Class: cr.filter = classes.find(tn, d); break;
    case N::Template: cr.filter = find_tracking(tn); break;
    case N::Event: cr.filter = events.find(tn, d); break;
    case N::Monitoring: cr.filter = monitoring.find(tn, d); break;
    case N::Supply:
      cr.filter = supplies.find(tn, d);
      cr.level = r.trigger.day;
      break;
    case N::Role: cr.filter = roles.find(tn, d); break;
    case N::Day: cr.filter = r.trigger.day; break;
    case N::Nothing: break;
  }
  return cr;
}

void Compiler::condition(const RuleSpec& r, CompiledRule& cr) {
  if (r.when.empty()) return;
  cr.when = r.when_origin.pieces.empty() ? compile_expr(r.when, r.when_loc, p.schema_, d, Type::Bool)
                                         : compile_expr(r.when, r.when_origin, p.schema_, d, Type::Bool);
  const size_t ri = size_t(&r - spec.rules.data());
  if (cr.when && cr.subject == Subject::Village && !subject_unsure[ri]) {
    for (int slot : cr.when->fields_read())
      if (slot < p.village_base_) {
        d.error(r.when_loc, "rule '" + r.id + "' is about a village (its trigger is " + event_name(cr.event) +
                                "), but its condition reads '" + p.schema_.fields()[size_t(slot)].name +
                                "', a fact of a person");
        break;
      }
  }
}

// An ActionSpec becomes an Action: names resolved and checked against what the rule is about, by
// the action's own `compile` (rules/actions/).
void Compiler::actions(const RuleSpec& r, CompiledRule& cr) {
  ActionSite site{*this, r, cr, !subject_unsure[size_t(&r - spec.rules.data())]};
  for (const auto& a : r.actions)
    if (a.read)  // an action not read whole was reported by the loader: its names may be missing
      if (auto act = compile_action(a, site)) cr.actions.push_back(*act);
}

void ActionSite::for_persons_only(const ActionSpec& a, const char* what) const {
  if (subject_sure && cr.subject != Subject::Person)
    c.d.error(a.loc, std::string(what) + " is for rules about a person; rule '" + r.id + "' is about a village");
}

// Supplies per person and day belong to the kind: every start of a kind must agree.
void Compiler::monitoring_uses_per_day(const ActionSpec& a, int kind) {
  std::vector<std::pair<int, int>> uses;
  for (const auto& [sn, amount] : a.uses_per_day)
    if (int sup = supplies.find(sn, d); sup >= 0) uses.push_back({sup, amount});
  const size_t k = size_t(kind);
  if (!monitoring_started[k]) {
    p.monitoring_uses_[k] = std::move(uses);
    monitoring_uses_loc[k] = a.loc;
  } else if (p.monitoring_uses_[k] != uses) {
    d.error(a.loc, "monitoring '" + p.monitoring_[k] + "' is started with other uses_per_day at " +
                       monitoring_uses_loc[k].str() +
                       "; supplies per day belong to the kind, so every start_monitoring of it must say the same");
  }
  monitoring_started[k] = true;
}

// A channel named by a request: the scenario defines it (checked in sim::build_model).
int Compiler::channel(const std::string& name) {
  auto it = std::find(p.channels_.begin(), p.channels_.end(), name);
  if (it != p.channels_.end()) return int(it - p.channels_.begin());
  p.channels_.push_back(name);
  return int(p.channels_.size()) - 1;
}

}  // namespace vg::rules::compile
