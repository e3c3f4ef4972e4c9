// The rules step: each rule's trigger, period and condition, then its actions, with names resolved
// against what the earlier steps compiled. Also notes what some rule does (sets a class, raises an
// event, starts a monitoring) for the lints step.
#include <climits>
#include <set>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

void Compiler::rules() {
  monitoring_started.assign(p.monitoring_.size(), false);
  monitoring_observed.assign(p.monitoring_.size(), false);
  monitoring_uses_loc.assign(p.monitoring_.size(), {});
  p.monitoring_uses_.assign(p.monitoring_.size(), {});
  class_set_by_rule.assign(p.classes_.size(), false);
  event_raised_by_rule.assign(p.events_.size(), false);
  std::set<std::string> rule_ids;
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    const auto& r = spec.rules[ri];
    if (r.id.empty()) continue;
    if (!rule_ids.insert(r.id).second) d.error(r.loc, "duplicate rule id '" + r.id + "'");
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
      else
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
  cr.when = compile_expr(r.when, r.when_loc, p.schema_, d, Type::Bool, r.when_continuation_col);
  if (cr.when && cr.subject == Subject::Village) {
    for (int slot : cr.when->fields_read())
      if (slot < p.village_base_) {
        d.error(r.when_loc, "rule '" + r.id + "' is about a village (its trigger is " + event_name(cr.event) +
                                "), but its condition reads '" + p.schema_.fields()[size_t(slot)].name +
                                "', a fact of a person");
        break;
      }
  }
}

namespace {

// The compiled action of a spec whose names resolved to `arg` (-2: end_monitoring's "any") and, for
// a request, its channel `arg2`.
Action typed_action(const ActionSpec& a, int arg, int arg2) {
  using K = ActionSpec::Kind;
  switch (a.kind) {
    case K::CreateTask: return CreateTask{arg};
    case K::SetClass: return SetClass{arg};
    case K::StartTracking: return StartTracking{arg};
    case K::EndTracking: return EndTracking{arg};
    case K::SetAttribute: return SetAttribute{arg, a.value};
    case K::Raise: return Raise{arg, int64_t(a.value)};
    case K::StartMonitoring: return StartMonitoring{arg, int(a.value)};
    case K::EndMonitoring: return EndMonitoring{arg >= 0 ? std::optional<int>(arg) : std::nullopt};
    case K::OpenPost: return OpenPost{arg};
    case K::ClosePost: return ClosePost{arg};
    case K::Escalate: return Escalate{arg, int(a.value)};
    case K::Request: return Request{arg, arg2, int64_t(a.value)};
    case K::ObserveHousehold: return ObserveHousehold{arg, int(a.value)};
  }
  return CreateTask{arg};  // unreachable: every kind is listed
}

}  // namespace

// An ActionSpec becomes an Action: names resolved and checked against what the rule is about.
void Compiler::actions(const RuleSpec& r, CompiledRule& cr) {
  for (const auto& a : r.actions) {
    struct {
      int arg = -1, arg2 = -1;
    } act;  // names resolved; typed by typed_action
    switch (a.kind) {
      case ActionSpec::Kind::CreateTask: {
        auto it = task_ids.find(a.task.name.name);
        if (it != task_ids.end()) act.arg = it->second;
        break;
      }
      case ActionSpec::Kind::SetClass:
        act.arg = classes.find(a.name, d);
        if (cr.subject != Subject::Person)
          d.error(a.loc, "set_class is for rules about a person; rule '" + r.id + "' is about a village");
        if (act.arg >= 0) class_set_by_rule[size_t(act.arg)] = true;
        break;
      case ActionSpec::Kind::StartTracking:
      case ActionSpec::Kind::EndTracking:
        act.arg = find_tracking(a.name);
        if (cr.subject != Subject::Person)
          d.error(a.loc, "tracking is for rules about a person; rule '" + r.id + "' is about a village");
        break;
      case ActionSpec::Kind::SetAttribute: {
        act.arg = attrs.find(a.name, d);
        if (act.arg < 0) break;
        const Attribute& at = p.attributes_[size_t(act.arg)];
        if (at.about == Subject::Person && cr.subject == Subject::Village)
          d.error(a.name.loc,
                  "attribute '" + at.name + "' belongs to a person; rule '" + r.id + "' is about a village");
        if (at.is_bool != a.value_is_bool)
          d.error(a.value_loc, "attribute '" + at.name + "' is " +
                                   (at.is_bool ? "a bool: expected true or false" : "a number: expected a number"));
        break;
      }
      case ActionSpec::Kind::StartMonitoring:
        act.arg = monitoring.find(a.name, d);
        if (cr.subject != Subject::Person)
          d.error(a.loc, "monitoring is for rules about a person; rule '" + r.id + "' is about a village");
        if (act.arg >= 0) {
          // Supplies per person and day belong to the kind: every start of a kind must agree.
          std::vector<std::pair<int, int>> uses;
          for (const auto& [sn, amount] : a.uses_per_day)
            if (int sup = supplies.find(sn, d); sup >= 0) uses.push_back({sup, amount});
          const size_t k = size_t(act.arg);
          if (!monitoring_started[k]) {
            p.monitoring_uses_[k] = std::move(uses);
            monitoring_uses_loc[k] = a.loc;
          } else if (p.monitoring_uses_[k] != uses) {
            d.error(a.loc,
                    "monitoring '" + p.monitoring_[k] + "' is started with other uses_per_day at " +
                        monitoring_uses_loc[k].str() +
                        "; supplies per day belong to the kind, so every start_monitoring of it must say the same");
          }
          monitoring_started[k] = true;
        }
        break;
      case ActionSpec::Kind::ObserveHousehold:
        act.arg = monitoring.find(a.name, d);
        if (cr.subject != Subject::Person && cr.event != Event::LocalCaseFound)
          d.error(a.loc,
                  "observe_household is for rules about a person (their household) or on local_case_found "
                  "(the case's household); rule '" +
                      r.id + "' is about a village");
        if (act.arg >= 0) monitoring_observed[size_t(act.arg)] = true;
        break;
      case ActionSpec::Kind::EndMonitoring:
        act.arg = a.name.name == "any" ? INT32_MAX : monitoring.find(a.name, d);
        if (cr.subject != Subject::Person)
          d.error(a.loc, "monitoring is for rules about a person; rule '" + r.id + "' is about a village");
        if (act.arg == INT32_MAX) act.arg = -2;  // any kind; kept below
        break;
      case ActionSpec::Kind::OpenPost:
      case ActionSpec::Kind::ClosePost: {
        auto it = post_ids.find(a.name.name);
        if (it != post_ids.end())
          act.arg = it->second;
        else if (!a.name.name.empty())
          d.error(a.name.loc,
                  "no rule opens a post named '" + a.name.name + "'" + did_you_mean(a.name.name, post_names));
        break;
      }
      case ActionSpec::Kind::Request: {  // the channel is the scenario's: checked in sim::build_model
        act.arg = supplies.find(a.name, d);
        auto it = std::find(p.channels_.begin(), p.channels_.end(), a.channel.name);
        act.arg2 = int(it - p.channels_.begin());
        if (it == p.channels_.end()) p.channels_.push_back(a.channel.name);
        break;
      }
      case ActionSpec::Kind::Escalate:  // needs a grid: checked with the scenario (sim::build_model)
      case ActionSpec::Kind::Raise: {
        act.arg = events.find(a.name, d);
        if (act.arg < 0) break;
        if (p.events_[size_t(act.arg)].about == Subject::Person && cr.subject == Subject::Village)
          d.error(a.name.loc, "event '" + a.name.name + "' is about a person; rule '" + r.id + "' is about a village");
        event_raised_by_rule[size_t(act.arg)] = true;
        break;
      }
    }
    if (act.arg >= 0 || act.arg == -2) cr.actions.push_back(typed_action(a, act.arg, act.arg2));
  }
}

}  // namespace vg::rules::compile
