// A policy the loader could not read whole (src/rules/compile/compiler.cpp): the compiler still
// checks what was read, so one run reports every independent error of a rule, and leaves out what
// depends on the part not read (no follow-on errors); no program comes of it.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using Messages = std::vector<std::string>;

// Reads `yaml` and compiles what was read, as `villagegrid check` does.
testing::CompiledPolicy read_and_compile(const std::string& yaml) {
  testing::CompiledPolicy c;
  PolicySpec spec = testing::read_policy_text(yaml, c.diags);
  c.program = compile_policy(std::move(spec), c.diags);
  return c;
}

// The user's case: a task's if_short wrong and a role misspelt: both at once, not one per run.
TEST(CompileReadErrors, ATasksReadingErrorAndItsUnknownRoleAreBothReported) {
  auto c = read_and_compile(R"(
vocabulary: {classes: [unscreened, key], roles: [cadre], supplies: [masks]}
rules:
  - id: screen
    on: returnee_arrived
    do:
      - create_task: {name: screening, roles: [cadr], minutes: 5, within_hours: 24, uses: {masks: 1}, if_short: never}
      - set_class: kee
)");
  EXPECT_EQ(c.messages(),
            (Messages{"p.yaml:6:113: error: unknown if_short policy 'never'; expected one of: proceed, skip, degrade",
                      "p.yaml:6:48: error: unknown role 'cadr'; did you mean 'cadre'?",
                      "p.yaml:7:20: error: unknown class 'kee'; did you mean 'key'?"}))
      << c.diags.format();
  EXPECT_FALSE(c.program);
}

// A trigger not read leaves what the rule is about unknown: its task's for_each (for rules about a
// village) is not judged against a guess, but its unknown role is still reported.
TEST(CompileReadErrors, ARuleWhoseTriggerIsUnreadStillHasItsNamesChecked) {
  auto c = read_and_compile(R"(
vocabulary: {classes: [unscreened], roles: [cadre]}
rules:
  - id: sweep
    on: day_strated
    do:
      - create_task: {name: sweep, roles: [cadr], minutes: 5, within_hours: 24, for_each: household}
)");
  const auto m = c.messages();
  ASSERT_EQ(m.size(), 2u) << c.diags.format();
  EXPECT_TRUE(m[0].starts_with("p.yaml:4:9: error: unknown trigger 'day_strated'")) << m[0];
  EXPECT_EQ(m[1], "p.yaml:6:44: error: unknown role 'cadr'; did you mean 'cadre'?");
  EXPECT_FALSE(c.program);
}

// Names whose element could not be read are not called unknown where they are used: the task's
// name, the action's class; and a spec read with errors gives no program even when the rest compiles.
TEST(CompileReadErrors, NoFollowOnErrorsFromWhatWasNotRead) {
  auto c = read_and_compile(R"(
vocabulary: {classes: [unscreened, key], roles: [cadre]}
rules:
  - id: visit
    on: returnee_arrived
    do:
      - create_task: {name: [visit], roles: [cadre], minutes: 5, within_hours: 24}
      - set_class: [key]
  - id: after
    on: {task_done: visit}
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.diags.error_count(), 2u) << c.diags.format();  // the two reading errors, nothing after
  EXPECT_EQ(c.diags.warning_count(), 0u) << c.diags.format();
  EXPECT_FALSE(c.program);
}

// Without the whole vocabulary every name is in doubt: nothing is compiled.
TEST(CompileReadErrors, AnUnreadVocabularyCompilesNothing) {
  auto c = read_and_compile(R"(
vocabulary: {classes: [unscreened], roles: cadre}
rules:
  - id: visit
    on: returnee_arrived
    do: [{create_task: {name: visit, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.diags.error_count(), 1u) << c.diags.format();
  EXPECT_FALSE(c.program);
}

}  // namespace
}  // namespace vg::rules
