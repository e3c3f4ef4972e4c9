// The cycles step (src/rules/compile/cycles.cpp): rules raising their own trigger, and chains of
// events deeper than the engine follows, are refused before a run.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

// Two events, `ping` raised every day and `pong` raised on `ping`; a test appends a rule on `pong`
// (its raw string starts with a newline, so the rule's `- id:` is line 13).
constexpr const char* kPingPong = R"(vocabulary:
  classes: [unscreened]
  roles: [cadre]
  events: [{name: ping, about: village}, {name: pong, about: village}]
rules:
  - id: start
    on: day_started
    do: [{raise: ping}]
  - id: ping-pong
    on: {event: ping}
    do: [{raise: pong}]
)";

TEST(CompileCycles, TwoRulesRaisingEachOthersEventAreACycle) {
  auto c = compile_text(std::string(kPingPong) + R"(
  - id: pong-ping
    on: {event: pong}
    do: [{raise: ping}]
)");
  // Only the rules in the cycle: `start` leads into it but is no part of it.
  EXPECT_EQ(c.messages(), Messages{"p.yaml:13:5: error: rules raise their own trigger at once in a cycle: ping-pong "
                                   "-> pong-ping -> ping-pong; a run would never end"});
  EXPECT_FALSE(c.program);
}

// A rule for any class hears the class it sets itself.
TEST(CompileCycles, SettingAClassOnAnyClassChangeIsACycle) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key]}
rules:
  - id: reclassify
    on: class_changed
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:3:5: error: rules raise their own trigger at once in a cycle: reclassify -> "
                                   "reclassify; a run would never end"});
}

// A raise some hours later is queued, not nested: a rule repeating itself daily ends at the horizon.
TEST(CompileCycles, ARuleRaisingItsOwnEventLaterIsNoCycle) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], events: [{name: tick, about: village}]}
rules:
  - id: a
    on: {event: tick}
    do: [{raise: {event: tick, after_hours: 24}}]
)");
  EXPECT_EQ(c.messages(), Messages{});
  EXPECT_TRUE(c.program);
}

// One delayed raise anywhere in the loop is enough; the immediate raises around it are fine.
TEST(CompileCycles, ACycleThroughADelayedRaiseIsNoError) {
  auto c = compile_text(std::string(kPingPong) + R"(
  - id: pong-ping
    on: {event: pong}
    do: [{raise: {event: ping, after_hours: 1}}]
)");
  EXPECT_EQ(c.messages(), Messages{});
  EXPECT_TRUE(c.program);
}

// Without a grid (as in rule tests) an escalation arrives at once, so a loop through it is endless.
TEST(CompileCycles, EscalatingWithoutAGridIsImmediate) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], events: [{name: tick, about: village}]}
rules:
  - id: a
    on: {event: tick}
    do: [{escalate: {event: tick}}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:3:5: error: rules raise their own trigger at once in a cycle: a -> a; a "
                                   "run would never end"});
}

TEST(CompileCycles, AChainWithoutACycleIsFine) {
  auto c = compile_text(std::string(kPingPong) + R"(
  - id: pong
    on: {event: pong}
    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.messages(), Messages{});
  EXPECT_TRUE(c.program);
}

// Events e0 -> e1 -> ... -> e<links>: a rule on day_started raises e0, and a rule on each e<k>
// raises e<k+1>, so the chain from day_started is links + 2 events deep.
std::string chain_policy(int links) {
  std::string events, rules;
  for (int k = 0; k <= links; ++k)
    events += std::string(k ? ", " : "") + "{name: e" + std::to_string(k) + ", about: village}";
  rules += "  - id: start\n    on: day_started\n    do: [{raise: e0}]\n";
  for (int k = 0; k < links; ++k)
    rules += "  - id: r" + std::to_string(k) + "\n    on: {event: e" + std::to_string(k) + "}\n    do: [{raise: e" +
             std::to_string(k + 1) + "}]\n";
  rules += "  - id: last\n    on: {event: e" + std::to_string(links) +
           "}\n    do: [{create_task: {name: t, roles: [cadre], minutes: 5, within_hours: 24}}]\n";
  return "vocabulary: {classes: [unscreened], roles: [cadre], events: [" + events + "]}\nrules:\n" + rules;
}

TEST(CompileCycles, AChainDeeperThanTheEngineFollowsIsRefused) {
  auto c = compile_text(chain_policy(kMaxRuleChain - 1));
  EXPECT_EQ(c.messages(), Messages{"p.yaml:3:5: error: rules raise events in a chain 61 deep; at most 60 nested "
                                   "events are followed"});
  EXPECT_FALSE(c.program);
}

TEST(CompileCycles, AChainAsDeepAsTheEngineFollowsIsFine) {
  auto c = compile_text(chain_policy(kMaxRuleChain - 2));
  EXPECT_EQ(c.messages(), Messages{});
}

}  // namespace
}  // namespace vg::rules
