// The compiled policy: an immutable program built once from a PolicySpec and shared read-only by
// every thread of a run. Names are resolved to small integers, conditions are compiled, and rules
// are indexed by (event, filter), so dispatching an event costs only the rules that listen to it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rules/actions/actions.h"
#include "rules/expr.h"
#include "rules/facts.h"
#include "spec/grid.h"
#include "spec/policy.h"

namespace vg::rules {

struct TaskKind {
  std::string name;
  SourceLoc loc;
  Subject subject = Subject::Person;
  uint32_t role_mask = 0;  // roles that may do it
  int primary_role = -1;   // the first role listed: demand is attributed to it (team tasks: every role)
  bool team = false;       // needs one member of every role in role_mask at once
  int minutes = 0;
  int within_minutes = 0;  // deadline after creation; tracking duties: the end of the day
  int priority = 0;
  bool drop_when_late = false;
  bool counts_as_screening = false;
  bool counts_as_household_contact = false;
  bool assign_contact_member = false;
  std::vector<std::pair<int, int>> uses;  // (supply, amount) used when the task is done
  IfShort if_short = IfShort::Proceed;    // when a supply it uses is short (docs/rules.md)
  double degraded_detection = 1.0;        // degrade: the chance a check done short finds a fever
  bool for_each_household = false;
  int copies = 1;
  RepeatSpec repeat;
  int tracking = -1;   // duties of a tracking template: its index
  int post = -1;       // shifts of a post: its index
  int shift_from = 0;  // post shifts: minutes after midnight
  int shift_to = 0;
  int rule = -1;      // the rule that creates it (first one)
  int guideline = 0;  // that rule's guideline number (0: none, or a tracking duty)
};

// `if_short: degrade` without `degraded_detection`: the chance that a check done without its supplies
// (a temperature check without a thermometer gun) still finds a fever. An assumption
// (docs/assumptions.md): the report gives no figure.
inline constexpr double kDefaultDegradedDetection = 0.5;

// A level of the prevention grid, compiled: who leads each unit, the daily coordination work it
// takes (a task kind), and how long a report takes to pass to the level above.
struct GridLevel {
  std::string name;
  enum class Unit : uint8_t { Village, VillagerGroup, Household } unit = Unit::Village;
  int leader_role = -1;
  int leader_task = -1;  // task kind, or -1 when the level asks no daily work
  int report_delay_minutes = 0;
};

struct Grid {
  std::string name;
  std::vector<GridLevel> levels;  // village first
  int households_per_member = 0;
  bool cover_all = false;
  int contact_role = -1;  // who contacts households: the household level's leader
  SourceLoc contact_loc;  // where the grid file names it (the household level's led_by)
};

struct Post {
  std::string name;
  SourceLoc loc;
  uint32_t role_mask = 0;
  int staff_per_shift = 1;
  std::vector<int> shift_tasks;  // task kind of each shift
  double registers_share = 0;    // of arrivals passing during a staffed minute (finding: checkpoint)
};

struct CompiledRule {
  std::string id;
  SourceLoc loc;
  int guideline = 0;
  std::string title;
  bool from_report = false;
  int priority = 0;
  Subject subject = Subject::Person;
  Event event = Event::ReturneeArrived;
  int filter = -1;  // task kind, class, template or event; -1 = any
  int from_day = 0, until_day = INT32_MAX;
  int after_event = -1;  // only once this event was raised in the village
  int level = 0;         // StockBelow: fires when the stock falls from >= level to below it
  std::optional<CompiledExpr> when;
  bool when_reads_village = true;  // the condition reads a village fact (else the person's alone)
  // The person facts the condition reads: bit f for fact f < kPersonFactCount (rules::Slot), bit
  // kPersonFactCount for any person attribute.
  uint32_t person_facts = ~0u;
  std::vector<Action> actions;
};

struct TrackingMember {
  int role = -1;
  int duty_task = -1;  // task kind created each day for this member
};

struct TrackingTemplate {
  std::string id;
  SourceLoc loc;
  std::string title;
  int days = 0;
  int priority = 0;
  std::vector<TrackingMember> members;
};

struct Attribute {
  std::string name;
  Subject about;
  bool is_bool;
};

struct EventDecl {
  std::string name;
  Subject about;
};

// What dispatch asks of the one who runs it (the engine, or the rule-test runner).
class DispatchHooks {
 public:
  virtual ~DispatchHooks() = default;
  // Fills every slot the subject has (person rules: person and village facts; village rules: village
  // facts). Called only before evaluating a condition, and again only after actions were applied.
  virtual void fill(double* slots) = 0;
  // Fills the person's slots only (facts and attributes), for a condition that reads no village
  // fact; the village's slots may keep older values. By default, everything.
  virtual void fill_person(double* slots) { fill(slots); }
  // Fills at least the person facts in `facts` (CompiledRule::person_facts): what a condition that
  // reads no village fact needs; other slots may keep older values. By default, every person slot.
  virtual void fill_person_facts(double* slots, uint32_t /*facts*/) { fill_person(slots); }
  // Whether `event` has been raised in the subject's village (for `after_event`).
  virtual bool event_raised(int event) = 0;
  // Carries out one action of a firing rule.
  virtual void apply(int rule, const Action& action) = 0;
  // For tracing: a rule matched the event; `fired` is false when its period, `after_event` or
  // condition kept it from firing. `slots`: the facts its condition saw, or nullptr (no condition,
  // or it was not reached).
  virtual void considered(int /*rule*/, bool /*fired*/, const double* /*slots*/) {}
  // A set_class skipped because a rule that fired earlier for the same event already set the class.
  virtual void overridden(int /*rule*/, const Action& /*action*/) {}
  // StockBelow: whether the change that raised the event crossed the rule's level.
  virtual bool crossed(int /*level*/) { return true; }
};

// Deepest chain of events raising events that a policy may have (rules::RuleChain, apply.h, follows
// one more level of nesting per link, with a scratch slot array per level, in runs and tests alike).
inline constexpr int kMaxRuleChain = 60;

namespace compile {
struct Compiler;
}

class Program {
 public:
  const std::vector<std::string>& roles() const { return roles_; }
  const std::vector<std::string>& origins() const { return origins_; }
  const std::vector<std::string>& classes() const { return classes_; }
  const std::vector<Attribute>& attributes() const { return attributes_; }
  const std::vector<EventDecl>& events() const { return events_; }
  const std::vector<std::string>& monitoring() const { return monitoring_; }  // kinds; person fact value k+1
  // Supplies used per person and day under a kind of monitoring (start_monitoring: uses_per_day).
  const std::vector<std::pair<int, int>>& monitoring_uses(int kind) const { return monitoring_uses_[size_t(kind)]; }
  const std::vector<Post>& posts() const { return posts_; }
  const std::vector<std::string>& supplies() const { return supplies_; }
  const std::vector<std::string>& channels() const { return channels_; }  // named by request actions
  int stock_slot(int supply) const { return stock_slot_[size_t(supply)]; }
  const std::optional<Grid>& grid() const { return grid_; }
  // Delay for a report to climb `levels` levels from the bottom of the grid (0 = to the top).
  int escalation_delay(int levels) const;
  bool is_key_class(int c) const { return c >= 0 && (key_class_mask_ >> c) & 1u; }
  int find_role(std::string_view name) const;
  int find_origin(std::string_view name) const;
  int default_class() const { return 0; }  // the first class declared: a person not yet classified
  // The values a trigger's filter takes, by what the trigger's value names (kTriggerSyntax): how
  // many the program declares (0 for Nothing and Day: days are numbers) and the name of one
  // ("screening", "key", a day's number).
  size_t value_count(TriggerSyntax::Names n) const;
  std::string value_name(TriggerSyntax::Names n, int v) const;

  const std::vector<TaskKind>& task_kinds() const { return task_kinds_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<TrackingTemplate>& tracking() const { return tracking_; }
  const Schema& schema() const { return schema_; }
  const PolicySpec& spec() const { return spec_; }

  // Slot layout: [person facts][person attributes][village facts][village attributes].
  int person_attribute_slot(int attr) const { return attribute_slot_[size_t(attr)]; }
  int village_slot(VillageFact f) const { return village_base_ + int(f); }
  int attribute_slot(int attr) const { return attribute_slot_[size_t(attr)]; }
  int slot_count() const { return int(schema_.slot_count()); }
  int first_village_slot() const { return village_base_; }

  // Rules listening to an event with this filter value (a specific task kind, class, template,
  // event or day), including those listening to any value, in firing order: higher priority
  // first, then the order the rules were read.
  // Inline: every event raised asks it first, to skip events nobody listens to.
  std::span<const int> rules_for(Event e, int filter = -1) const {
    const auto& by_filter = index_[size_t(e)];
    const size_t k = size_t(filter) + 1;  // filter -1 (any) is list 0
    if (k < by_filter.size()) return by_filter[k];
    return by_filter.empty() ? std::span<const int>() : std::span<const int>(by_filter[0]);
  }
  bool has_rules(Event e) const;

  // Evaluates the rules for one event about one subject and applies the actions of those that
  // fire. `slots` is scratch space of slot_count() doubles. The first set_class for the event
  // wins; a later one is reported to hooks.overridden and skipped (docs/rules.md).
  void dispatch(Event e, int filter, int today, double* slots, DispatchHooks& hooks) const;
  // The same for hooks of a known type (the engine's Town, final): its calls are direct, not virtual.
  template <class Hooks>
  void dispatch_with(Event e, int filter, int today, double* slots, Hooks& hooks) const;

 private:
  friend struct compile::Compiler;  // the compiler's steps fill in what follows (rules/compile/)
  friend std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& diags,
                                                       const config::GridSpec* grid);
  PolicySpec spec_;
  std::vector<std::string> roles_, origins_, classes_;
  std::vector<Attribute> attributes_;
  std::vector<EventDecl> events_;
  std::vector<std::string> monitoring_;
  std::vector<std::vector<std::pair<int, int>>> monitoring_uses_;  // by monitoring kind
  std::vector<Post> posts_;
  std::vector<std::string> supplies_, channels_;
  std::vector<int> stock_slot_;
  std::optional<Grid> grid_;
  std::vector<int> attribute_slot_;
  int village_base_ = 0;
  uint64_t key_class_mask_ = 0;
  Schema schema_;
  std::vector<TaskKind> task_kinds_;
  std::vector<CompiledRule> rules_;
  std::vector<TrackingTemplate> tracking_;
  // index_[event][filter + 1]: rules for that filter value, "any" rules merged in.
  std::vector<std::vector<std::vector<int>>> index_;
};

// Checks and compiles, with the scenario's grid if it has one. Errors and warnings go to diags;
// returns null if there was any error.
std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& diags,
                                              const config::GridSpec* grid = nullptr);

template <class Hooks>
void Program::dispatch_with(Event e, int filter, int today, double* slots, Hooks& hooks) const {
  auto ids = rules_for(e, filter);
  bool class_set = false;
  // What the slots hold as it is now (no action applied since): 0 nothing, 1 some of the person's
  // facts (those in `have`), 2 every fact.
  int fresh = 0;
  uint32_t have = 0;
  for (int id : ids) {
    const CompiledRule& r = rules_[size_t(id)];
    if (e == Event::StockBelow && !hooks.crossed(r.level)) continue;  // another level: not this rule's event
    if (today < r.from_day || today > r.until_day || (r.after_event >= 0 && !hooks.event_raised(r.after_event))) {
      hooks.considered(id, false, nullptr);
      continue;
    }
    // Facts are filled only for a condition, and refreshed after actions: a rule sees what the
    // rules before it changed.
    if (r.when) {
      if (r.subject == Subject::Person && !r.when_reads_village) {
        if (fresh < 2) {
          const uint32_t need = r.person_facts & ~have;
          if (fresh == 0 || need != 0) hooks.fill_person_facts(slots, need);
          have |= need;
          fresh = 1;
        }
      } else {
        if (fresh < 2) hooks.fill(slots);
        fresh = 2;
      }
      if (!r.when->eval_bool(slots)) {
        hooks.considered(id, false, slots);
        continue;
      }
    }
    hooks.considered(id, true, r.when ? slots : nullptr);
    fresh = 0;
    have = 0;
    for (const Action& a : r.actions) {
      if (std::holds_alternative<SetClass>(a)) {
        if (class_set) {
          hooks.overridden(id, a);
          continue;
        }
        class_set = true;
      }
      hooks.apply(id, a);
    }
  }
}

}  // namespace vg::rules
