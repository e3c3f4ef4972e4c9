// The lints step (src/rules/compile/lints.cpp): warnings about a policy that compiles but cannot do
// what its author meant. Each test removes the lint's cause in a second policy where that is short,
// so the warning is shown to come from the cause, not from the policy's shape.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

// A policy with one rule (line 3), `id` on `trigger`, creating a task for a cadre, and `more` rules
// after it; `vocabulary` is what it declares besides the role.
std::string task_rule(const std::string& vocabulary, const std::string& id, const std::string& trigger,
                      const std::string& more = "") {
  return "vocabulary: {" + vocabulary + ", roles: [cadre]}\nrules:\n  - id: " + id + "\n    on: " + trigger +
         "\n    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]\n" + more;
}

std::string on_alarm(const std::string& more = "") {
  return task_rule("classes: [unscreened], events: [{name: alarm, about: village}]", "on-alarm", "{event: alarm}",
                   more);
}

TEST(CompileLints, RuleOnAnEventNoRuleRaisesCanNeverFire) {
  auto c = compile_text(on_alarm());
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:3:5: warning: rule 'on-alarm' can never fire: no rule raises event 'alarm'"});
  EXPECT_TRUE(c.program);  // a warning: the policy still runs
}

TEST(CompileLints, RuleOnAnEventSomeRuleRaisesIsQuiet) {
  auto c = compile_text(on_alarm("  - id: sound-alarm\n    on: day_started\n    do: [{raise: alarm}]\n"));
  EXPECT_EQ(c.messages(), Messages{});
}

TEST(CompileLints, RuleOnAClassNoRuleSetsCanNeverFire) {
  auto c = compile_text(task_rule("classes: [unscreened, key]", "on-key", "{class_changed: key}"));
  EXPECT_EQ(c.messages(), (Messages{"p.yaml:3:5: warning: rule 'on-key' can never fire: no rule sets class 'key'",
                                    "p.yaml:1:36: warning: class 'key' is declared but no rule sets it"}));
}

TEST(CompileLints, RuleAfterAnEventNoRuleRaisesCanNeverFire) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], events: [{name: wartime, about: village}], roles: [cadre]}
rules:
  - id: broadcast
    after_event: wartime
    on: day_started
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:3:5: warning: rule 'broadcast' can never fire: no rule raises event 'wartime'"});
}

// The loader already refuses `until_day` before `from_day`, so no YAML reaches this check: it guards
// a spec built or changed in code, as this test does.
TEST(CompileLints, RuleWithAnEmptyPeriodCanNeverFire) {
  Diagnostics read;
  auto spec = testing::read_policy_text(task_rule("classes: [unscreened]", "short", "day_started"), read);
  ASSERT_FALSE(read.has_errors()) << read.format();
  spec.rules[0].from_day = 5;
  spec.rules[0].until_day = 4;
  auto c = testing::compile_spec(std::move(spec));
  EXPECT_EQ(c.messages(), Messages{"p.yaml:3:5: warning: rule 'short' can never fire: its period is empty"});
}

// A rule on one day outside its own period never fires, whatever the scenario's length.
TEST(CompileLints, RuleOnADayAfterItsUntilDayCanNeverFire) {
  auto c = compile_text(task_rule("classes: [unscreened]", "late", "{day: 20}\n    until_day: 10"));
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:3:5: warning: rule 'late' can never fire: it is on day 20, after its until_day 10"});
  EXPECT_TRUE(c.program);
}

TEST(CompileLints, RuleOnADayBeforeItsFromDayCanNeverFire) {
  auto c = compile_text(task_rule("classes: [unscreened]", "early", "{day: 2}\n    from_day: 3"));
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:3:5: warning: rule 'early' can never fire: it is on day 2, before its from_day 3"});
}

TEST(CompileLints, RuleOnADayInsideItsPeriodIsFine) {
  auto c =
      compile_text(task_rule("classes: [unscreened]", "on-time", "{day: 10}\n    from_day: 10\n    until_day: 10"));
  EXPECT_EQ(c.messages(), Messages{});
}

// A rule on the end of `isolation`, and `more` rules after it.
std::string on_release(const std::string& more = "") {
  return task_rule("classes: [unscreened], monitoring: [isolation]", "released", "{monitoring_ended: isolation}", more);
}

TEST(CompileLints, RuleOnAMonitoringNoRuleStartsCanNeverFire) {
  EXPECT_EQ(compile_text(on_release()).messages(),
            Messages{"p.yaml:3:5: warning: rule 'released' can never fire: no rule starts monitoring 'isolation'"});
}

// observe_household starts the monitoring too (for the household's other members).
TEST(CompileLints, MonitoringStartedByObserveHouseholdCanEnd) {
  auto c = compile_text(
      on_release("  - id: observe\n    on: fever_found\n    do: [{observe_household: {kind: isolation, days: 14}}]\n"));
  EXPECT_EQ(c.messages(), Messages{});
}

TEST(CompileLints, RuleWhoseConditionIsAlwaysFalseCanNeverFire) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre]}
rules:
  - id: never
    on: returnee_arrived
    when: 1 > 2
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:5:11: warning: rule 'never' can never fire: its condition is always false"});
}

TEST(CompileLints, RulesSettingDifferentClassesOnOneEventConflict) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, general, key]}
rules:
  - id: general
    on: returnee_arrived
    do: [{set_class: general}]
  - id: key
    priority: 10
    on: returnee_arrived
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:3:5: warning: rules 'general' and 'key' set different classes ('general', "
                                   "'key') on the same event under the same condition; 'key' fires first and wins"});
}

// Different conditions: both may fire for different people; the author meant that.
TEST(CompileLints, RulesSettingClassesUnderDifferentConditionsDoNotConflict) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, general, key], origins: [local, key_area]}
rules:
  - id: general
    on: returnee_arrived
    when: origin == "local"
    do: [{set_class: general}]
  - id: key
    on: returnee_arrived
    when: origin == "key_area"
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.messages(), Messages{});
}

TEST(CompileLints, ClassNoRuleSetsIsReportedAtItsDeclaration) {
  auto c = compile_text(R"(
vocabulary:
  classes: [unscreened, general, key]
rules:
  - id: general
    on: returnee_arrived
    do: [{set_class: general}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:2:34: warning: class 'key' is declared but no rule sets it"});
}

TEST(CompileLints, TrackingTemplateNoRuleStartsIsReported) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre]}
tracking:
  - id: team
    days: 14
    team: [{role: cadre, duty: visit, minutes_per_day: 10}]
rules:
  - id: screen
    on: returnee_arrived
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:3:5: warning: tracking template 'team' is never started by a rule"});
}

TEST(CompileLints, TrackingTemplateARuleStartsIsQuiet) {
  EXPECT_EQ(compile_text(testing::tracking_policy("team")).messages(), Messages{});
}

// A repeating check of a returnee that watches nobody: visits find symptoms only in a watched
// person, so a rule author's "temperature check twice a day" found no fever and nothing said so.
TEST(CompileLints, RepeatedChecksOfAnUnwatchedPersonAreWarnedOf) {
  const std::string head =
      "vocabulary: {classes: [unscreened], roles: [cadre], monitoring: [observation]}\nrules:\n"
      "  - id: checks\n    on: returnee_arrived\n    do:\n"
      "      - create_task: {name: check, roles: [cadre], minutes: 5, within_hours: 24, repeat: {every_days: 1, "
      "times: 14}}\n";
  auto c = compile_text(head);
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:6:29: warning: task 'check' repeats about the person, but rule 'checks' neither starts "
                     "a monitoring nor a tracking of them: a visit finds symptoms only in a watched person, so these "
                     "visits find no fever unless another rule watches them (add start_monitoring to the rule if "
                     "they are meant to)"});
  // The same rule starting a monitoring: quiet.
  auto watched = compile_text(head + "      - start_monitoring: {kind: observation, days: 14}\n");
  EXPECT_EQ(watched.messages(), Messages{});
  // A condition asking whether the person is watched: quiet (a newcomer's `when: tracked` was warned of).
  std::string asks = head;
  asks.replace(asks.find("    do:"), 7, "    when: tracked\n    do:");
  EXPECT_EQ(compile_text(asks).messages(), Messages{});
}

}  // namespace
}  // namespace vg::rules
