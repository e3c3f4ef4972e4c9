// The compiled policy: an immutable program built once from a PolicySpec and shared read-only by
// every thread of a run. Names are resolved to small integers, conditions are compiled, and rules
// are indexed by the event that triggers them, so dispatching an event costs only the rules that
// listen to it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rules/expr.h"
#include "rules/policy_spec.h"

namespace vg::rules {

// The facts a condition can read about a person, in slot order. The engine fills one small array
// per evaluation; docs/rules.md lists them.
enum PersonSlot : int { kSlotOrigin, kSlotClass, kSlotArrivalDay, kSlotToday, kSlotHouseholdSize, kSlotIsReturnee, kSlotCount };

struct TaskKind {
  std::string name;
  SourceLoc loc;
  uint32_t role_mask = 0;     // roles that may do it
  int primary_role = -1;      // the first role listed: demand is attributed to it
  int minutes = 0;
  int within_minutes = 0;     // deadline after creation; tracking duties: the end of the day
  int priority = 0;
  bool drop_when_late = false;
  bool counts_as_screening = false;
  int tracking = -1;          // duties of a tracking template: its index
  int rule = -1;              // the rule that creates it (first one)
};

struct Action {
  ActionSpec::Kind kind;
  int arg;  // task kind, class or tracking template index
};

struct CompiledRule {
  std::string id;
  SourceLoc loc;
  int guideline = 0;
  std::string title;
  bool from_report = false;
  int priority = 0;
  Event event = Event::ReturneeArrived;
  int task_filter = -1;  // TaskDone: the task kind
  std::optional<CompiledExpr> when;
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

class Program {
 public:
  const std::vector<std::string>& roles() const { return roles_; }
  const std::vector<std::string>& origins() const { return origins_; }
  const std::vector<std::string>& classes() const { return classes_; }
  bool is_key_class(int c) const { return c >= 0 && (key_class_mask_ >> c) & 1u; }
  int find_role(std::string_view name) const;
  int find_origin(std::string_view name) const;
  int default_class() const { return 0; }  // the first class declared: a person not yet classified

  const std::vector<TaskKind>& task_kinds() const { return task_kinds_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<TrackingTemplate>& tracking() const { return tracking_; }
  const Schema& schema() const { return schema_; }
  const PolicySpec& spec() const { return spec_; }

  // Rules to evaluate for an event, already in firing order (priority, then file order).
  std::span<const int> rules_for(Event e, int task_kind = -1) const;

 private:
  friend std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& diags);
  PolicySpec spec_;
  std::vector<std::string> roles_, origins_, classes_;
  uint64_t key_class_mask_ = 0;
  Schema schema_;
  std::vector<TaskKind> task_kinds_;
  std::vector<CompiledRule> rules_;
  std::vector<TrackingTemplate> tracking_;
  std::vector<int> arrival_rules_;
  std::vector<std::vector<int>> task_done_rules_;  // by task kind
};

// Checks and compiles. Errors and warnings go to diags; returns null if there was any error.
std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& diags);

}  // namespace vg::rules
