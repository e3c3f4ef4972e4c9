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

// Dispatch fills the facts before a condition: the person's only for a condition that reads no
// village fact, everything for one that does, and again after a rule's actions were applied.
TEST(CompileIndex, DispatchFillsOnlyTheFactsAConditionReads) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, general, key], roles: [cadre], origins: [local, key_area]}
rules:
  - id: by-origin
    priority: 30
    on: returnee_arrived
    when: origin == "key_area"
    do: [{set_class: key}]
  - id: by-origin-too
    priority: 20
    on: returnee_arrived
    when: origin != "key_area"
    do: [{set_class: general}]
  - id: by-village
    priority: 10
    on: returnee_arrived
    when: residents > 100
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  const Program& p = *c.program;
  EXPECT_FALSE(p.rules()[0].when_reads_village);
  EXPECT_TRUE(p.rules()[2].when_reads_village);
  struct Hooks : DispatchHooks {
    std::vector<std::string> calls;
    double origin = 1;  // key_area
    void fill(double* s) override {
      calls.push_back("fill");
      std::fill(s, s + slots, 0.0);
      s[kSlotOrigin] = origin;
      s[village_residents] = 500;
    }
    void fill_person(double* s) override {
      calls.push_back("person");
      s[kSlotOrigin] = origin;
    }
    bool event_raised(int) override { return false; }
    void apply(int rule, const Action&) override { calls.push_back("apply " + std::to_string(rule)); }
    size_t slots = 0;
    int village_residents = 0;
  } hooks;
  hooks.slots = size_t(p.slot_count());
  hooks.village_residents = p.village_slot(kVillageResidents);
  std::vector<double> slots(hooks.slots, 0.0);
  p.dispatch(Event::ReturneeArrived, -1, 0, slots.data(), hooks);
  // by-origin: the person's facts; it fires; by-origin-too after an action: the person's again; it
  // does not fire, so by-village finds the person's facts current and fills the rest.
  EXPECT_EQ(hooks.calls, (std::vector<std::string>{"person", "apply 0", "person", "fill", "apply 2"}));
}

}  // namespace
}  // namespace vg::rules
