// The index step (src/rules/compile/index.cpp): the rules an event reaches, in firing order.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;

// Higher priority first, then the order read; a rule for any class is heard for each class.
TEST(CompileIndex, RulesForAValueIncludeRulesForAnyValueInFiringOrder) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, general, key], roles: [cadre]}
rules:
  - id: classify
    on: returnee_arrived
    do: [{set_class: key}]
  - id: any-low
    on: class_changed
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
  - id: key-high
    priority: 10
    on: {class_changed: key}
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
  - id: key-low
    on: {class_changed: key}
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
  - id: classify-general
    on: fever_found
    do: [{set_class: general}]
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  const Program& p = *c.program;
  auto ids = [&](std::span<const int> rules) {
    std::vector<std::string> out;
    for (int r : rules) out.push_back(p.rules()[size_t(r)].id);
    return out;
  };
  EXPECT_EQ(ids(p.rules_for(Event::ClassChanged, 2)), (std::vector<std::string>{"key-high", "any-low", "key-low"}));
  EXPECT_EQ(ids(p.rules_for(Event::ClassChanged, 1)), (std::vector<std::string>{"any-low"}));
  EXPECT_EQ(ids(p.rules_for(Event::ReturneeArrived)), (std::vector<std::string>{"classify"}));
  EXPECT_TRUE(p.has_rules(Event::FeverFound));
  EXPECT_FALSE(p.has_rules(Event::DayStarted));
}

}  // namespace
}  // namespace vg::rules
