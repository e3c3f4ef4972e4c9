// The rules step (src/rules/compile/rules.cpp): triggers, periods, conditions and actions, with
// names resolved against what the earlier steps compiled.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

TEST(CompileRules, ARuleIdUsedTwiceIsAnError) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key]}
rules:
  - id: classify
    on: returnee_arrived
    do: [{set_class: key}]
  - id: classify
    on: fever_found
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:6:5: error: duplicate rule id 'classify' (first defined at p.yaml:3:5)"});
  EXPECT_FALSE(c.program);
}

// A village rule is evaluated once per village, with no person whose facts it could read.
TEST(CompileRules, AVillageRuleReadingAPersonFactIsAnError) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre]}
rules:
  - id: daily
    on: day_started
    when: household_size > 3
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:5:11: error: rule 'daily' is about a village (its trigger is day_started), "
                                   "but its condition reads 'household_size', a fact of a person"});
}

TEST(CompileRules, AfterEventNeedsAVillageEvent) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key], events: [{name: flagged, about: person}]}
rules:
  - id: flag
    on: returnee_arrived
    do: [{raise: flagged}]
  - id: late
    after_event: flagged
    on: fever_found
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:7:18: error: after_event needs an event about a village; 'flagged' is "
                                   "about a person (use it as a trigger instead)"});
}

TEST(CompileRules, TaskDoneOfATaskNoRuleCreatesIsAnError) {
  auto c = compile_text(testing::task_then_class("returnee_arrived", "swep"));
  EXPECT_EQ(c.messages(), Messages{"p.yaml:7:21: error: no rule creates a task named 'swep'; did you mean 'sweep'?"});
}

TEST(CompileRules, ActionsResolveTheirNames) {
  auto c = compile_text(R"(
vocabulary:
  classes: [unscreened, key]
  monitoring: [home, isolation]
  attributes: [{name: flags, about: person, type: number}]
rules:
  - id: isolate
    on: fever_found
    do:
      - set_class: key
      - start_monitoring: {kind: isolation, days: 14}
      - set_attribute: {flags: 2}
  - id: release
    on: {monitoring_ended: isolation}
    do: [{set_attribute: {flags: 0}}]
  - id: clear
    on: symptoms_reported
    do: [{end_monitoring: any}]
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  const auto& acts = c.program->rules()[0].actions;
  ASSERT_EQ(acts.size(), 3u);
  EXPECT_EQ(std::get<SetClass>(acts[0]).cls, 1);          // key
  EXPECT_EQ(std::get<StartMonitoring>(acts[1]).kind, 1);  // isolation
  EXPECT_EQ(std::get<StartMonitoring>(acts[1]).days, 14);
  EXPECT_EQ(std::get<SetAttribute>(acts[2]).value, 2);
  EXPECT_EQ(c.program->rules()[1].filter, 1);
  EXPECT_FALSE(std::get<EndMonitoring>(c.program->rules()[2].actions[0]).kind);  // any kind
}

// Errors in a condition over several lines point at the offending token, whatever the block style
// (before, a `|` block's errors landed one line early at the first line's columns, and the first
// line's at the `|`; other styles' past the end of the `when:` line).
TEST(CompileRules, ErrorsInAMultiLineConditionPointAtTheirToken) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key], origins: [local, key_area, other_province]}
rules:
  - id: literal
    on: returnee_arrived
    when: |
      origni in ["key_area", "other_province"]
        and days_since(arival_day) <= 14
        and household_size > "2"
    do: [{set_class: key}]
  - id: folded
    on: returnee_arrived
    when: >-
      origin == "key_area"
        and days_since(arival_day) <= 14
    do: [{set_class: key}]
  - id: quoted
    on: returnee_arrived
    when: "origin == 'key_area'
      and arival_day > 2"
    do: [{set_class: key}]
  - id: plain
    on: returnee_arrived
    when: origin == "key_area"
      and arival_day > 2
    do: [{set_class: key}]
)");
  std::vector<std::string> places;
  for (const auto& d : c.diags.items()) places.push_back(d.loc.str() + " " + d.message.substr(0, 24));
  EXPECT_EQ(places, (Messages{"p.yaml:6:7 unknown name 'origni'; d", "p.yaml:7:24 unknown name 'arival_day",
                              "p.yaml:8:30 a string is only valid c", "p.yaml:14:24 unknown name 'arival_day",
                              "p.yaml:19:11 unknown name 'arival_day", "p.yaml:24:11 unknown name 'arival_day"}));
}

}  // namespace
}  // namespace vg::rules
