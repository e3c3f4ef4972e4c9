// The policy compiler, in steps (after cel-cpp's PolicyCompiler): one context holding what each
// step found, one method per element of a policy, and one issue reporter, the Diagnostics. Steps
// run in the order compile_policy calls them (compiler.cpp), and the order matters: a step reads
// what earlier steps resolved. (Diagnostics are printed in source order whatever step found them:
// Diagnostics::format.) Internal to the rules library: callers use rules::compile_policy.
//
//   names      vocabulary names -> indices (names.cpp)
//   schema     fact slots: built-in facts, attributes, stocks (schema.cpp)
//   templates  tracking templates and their duties (templates.cpp)
//   subjects   what each rule is about, person or village (tasks.cpp)
//   tasks      task kinds created by rules; posts and their shifts (tasks.cpp)
//   grid       the scenario's prevention grid (grid.cpp)
//   rules      triggers, conditions, actions (rules.cpp)
//   index      rules by (event, filter) in firing order (index.cpp)
//   lints      warnings about rules that cannot fire or fight (lints.cpp)
//   cycles     events raising their own trigger; chains too deep (cycles.cpp)
//
// Members are named as the steps use them (p, d, roles...), not with a trailing underscore: this is
// a plain working context, and the steps read like the one function they were split from.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "rules/program.h"
#include "spec/grid.h"

namespace vg::rules::compile {

// Declared names of one kind: repeats across files are fine; lookups report "did you mean".
class NameTable {
 public:
  NameTable() = default;
  // `section`: the vocabulary key declaring them ("attributes"); `vocabulary_given`: whether the
  // policy has a vocabulary at all (none of a kind then means: declare it, not: pass the file).
  NameTable(const char* kind, const std::vector<NameSpec>& decl, Diagnostics& d, size_t max, const char* section = "",
            bool vocabulary_given = false);
  int find(std::string_view name) const;
  // The index of a declared name, or -1 after an "unknown KIND" error at the name.
  int find(const NameSpec& n, Diagnostics& d) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  const char* kind_ = "";
  const char* section_ = "";
  bool vocabulary_given_ = false;
  std::vector<std::string> names_;
};

struct Compiler {
  Compiler(PolicySpec& policy, Diagnostics& diags, Program& prog) : spec(policy), d(diags), p(prog) {}

  // The steps, in the order they run.
  void names();
  void schema();
  void templates();
  void subjects();
  void tasks();
  void posts();
  void grid(const config::GridSpec& grid);
  void rules();
  void index();
  void lints();
  void cycles();

  // Lookups and pieces the steps share.
  int find_tracking(const NameSpec& n);
  void compile_uses(const UsesSpec& u, TaskKind& k);
  uint32_t role_mask(const std::vector<NameSpec>& listed, int& primary);
  void compile_task(size_t ri, const CreateTaskSpec& ts, bool read);
  void compile_post(size_t ri, const PostSpec& ps, bool read);
  CompiledRule rule_head(size_t ri);
  void condition(const RuleSpec& r, CompiledRule& cr);
  void actions(const RuleSpec& r, CompiledRule& cr);
  void monitoring_uses_per_day(const ActionSpec& a, int kind);
  int channel(const std::string& name);
  void never_fires(const CompiledRule& r);
  void unwatched_checks(const CompiledRule& r);
  void class_conflicts();

  PolicySpec& spec;
  Diagnostics& d;
  Program& p;

  // names
  NameTable roles, origins, classes, attrs, events, monitoring, supplies;
  // templates
  std::map<std::string, int> tracking_ids;
  std::vector<std::string> tracking_names;  // sorted: hints and lists name them in this order
  // subjects: what each rule (by index in spec.rules) is about; unsure where its trigger (or the
  // trigger of the rule creating the task it is on) could not be read: checks of it are left out
  std::vector<Subject> subject;
  std::vector<bool> subject_unsure;
  // Names some element could not be read under (reported by the loader; found by subjects): a name
  // not found may be the unread one, so it is not called unknown.
  bool tracking_unread = false, tasks_unread = false, posts_unread = false;
  std::vector<bool> task_kind_unread;  // by task kind: its create_task had a reading error
  std::vector<bool> post_unread;       // by post: its open_post had a reading error
  // tasks and posts, by name
  std::map<std::string, int> task_ids, post_ids;
  std::vector<std::string> task_names, post_names;
  // rules: what some rule does, for the lints
  std::vector<bool> class_set_by_rule, event_raised_by_rule;
  std::vector<bool> monitoring_started, monitoring_observed;  // observed: by observe_household
  std::vector<SourceLoc> monitoring_uses_loc;                 // the first start of each kind
};

// Where an action compiles (the `compile` of rules/actions/*.h): the compiler, with its name tables
// and what the lints note, and the rule the action is in.
struct ActionSite {
  Compiler& c;
  const RuleSpec& r;
  const CompiledRule& cr;
  bool subject_sure = true;  // false: the rule's trigger could not be read; checks of its subject are left out
  // "WHAT is for rules about a person; rule 'ID' is about a village", when it is about a village.
  void for_persons_only(const ActionSpec& a, const char* what) const;
};

}  // namespace vg::rules::compile
