// A rule test's `event` is read from the triggers table (kTriggerSyntax): every trigger a rule may
// listen to is one a test may raise, written the way a rule's `on` writes it.
#include <gtest/gtest.h>

#include <string>

#include "spec/policy.h"
#include "support/rule_test_run.h"
#include "support/temp_files.h"

namespace vg::rules {
namespace {

using vg::testing::has_error;
using vg::testing::TempDir;

constexpr const char* kPolicy = R"(vocabulary:
  origins: [local]
  classes: [unscreened, key]
  roles: [village_cadre, village_doctor]
  supplies: [masks]
rules:  # one rule per line: on any staff member, on the doctor, on masks below 100
  - {id: any-staff, title: t, source: assumption, note: n, on: staff_unavailable,
     do: [create_task: {name: cover, roles: [village_cadre], minutes: 10, within_hours: 24}]}
  - {id: doctor-off, title: t, source: assumption, note: n, on: {staff_unavailable: village_doctor},
     do: [create_task: {name: call-town, roles: [village_cadre], minutes: 10, within_hours: 24}]}
  - {id: masks-low, title: t, source: assumption, note: n, on: {stock_below: {supply: masks, level: 100}},
     do: [create_task: {name: buy-masks, roles: [village_cadre], minutes: 30, within_hours: 24}]}
)";

vg::testing::RuleTestRun run_tests(const TempDir& dir, const std::string& tests) {
  return vg::testing::run_rule_tests(dir, kPolicy, tests);
}

// Written alone, a trigger without a value is raised; one that takes a value (even an optional
// one in a rule: the engine always raises it with its value) says how to write it. Written with a
// value, a trigger without one says how to write it alone.
TEST(RuleTestEvents, EveryTriggerOfTheTableIsATestEvent) {
  for (const auto& s : kTriggerSyntax) {
    const std::string name(s.name);
    TempDir dir;
    auto alone = run_tests(dir, "  - name: a\n    event: " + name + "\n    expect: {}\n");
    auto keyed = run_tests(dir, "  - name: a\n    event: {" + name + ": x}\n    expect: {}\n");
    EXPECT_FALSE(has_error(alone.diags, "unknown event")) << alone.diags.format();
    EXPECT_FALSE(has_error(keyed.diags, "unknown event '" + name + "'")) << keyed.diags.format();
    if (s.value == TriggerSyntax::Value::None) {
      EXPECT_FALSE(alone.diags.has_errors()) << name << ": " << alone.diags.format();
      EXPECT_EQ(alone.report.passed, 1) << name;
      EXPECT_TRUE(has_error(keyed.diags, ":4:13: event '" + name + "' takes no value: write `event: " + name + "`"))
          << keyed.diags.format();
    } else {
      EXPECT_TRUE(
          has_error(alone.diags, ":4:12: event '" + name + "' needs a value in a test: write `event: {" + name + ": "))
          << alone.diags.format();
      EXPECT_EQ(alone.report.not_run, 1) << name;
    }
  }
}

TEST(RuleTestEvents, AMisspeltEventSaysWhatItMeant) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: typo alone
    event: local_case_fund
    expect: {}
  - name: typo with a value
    event: {stok_below: {supply: masks, from: 100, to: 99}}
    expect: {}
)");
  EXPECT_TRUE(has_error(r.diags, ":4:12: unknown event 'local_case_fund'; did you mean 'local_case_found'?"))
      << r.diags.format();
  EXPECT_TRUE(has_error(r.diags, ":7:13: unknown event 'stok_below'; did you mean 'stock_below'?")) << r.diags.format();
  EXPECT_EQ(r.report.not_run, 2);
}

// The message for an event that is neither a name nor `{NAME: VALUE}` lists every trigger.
TEST(RuleTestEvents, ANonEventListsEveryTrigger) {
  TempDir dir;
  auto r = run_tests(dir, "  - name: a list\n    event: [returnee_arrived]\n    expect: {}\n");
  std::string message;
  for (const auto& x : r.diags.items())
    if (x.message.starts_with("expected an event: ")) message = x.message;
  ASSERT_FALSE(message.empty()) << r.diags.format();
  for (const auto& s : kTriggerSyntax) {
    const std::string name(s.name);
    const std::string written = s.value == TriggerSyntax::Value::None ? name : "{" + name + ": ";
    EXPECT_NE(message.find(written), std::string::npos) << written << " missing from: " << message;
  }
  EXPECT_NE(message.find("{stock_below: {supply: S, from: N, to: M}}"), std::string::npos) << message;
}

// {staff_unavailable: ROLE} fires the rules on that role and those on any role, as the engine's
// event does; another role fires only the latter.
TEST(RuleTestEvents, StaffUnavailableGivesTheRole) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: the doctor
    event: {staff_unavailable: village_doctor}
    expect: {fired: [any-staff, doctor-off], tasks: [cover, call-town]}
  - name: a cadre
    event: {staff_unavailable: village_cadre}
    expect: {fired: [any-staff]}
  - name: unknown role
    event: {staff_unavailable: village_docter}
    expect: {}
)");
  EXPECT_TRUE(has_error(r.diags, ":10:32: unknown role 'village_docter'; did you mean 'village_doctor'?"))
      << r.diags.format();
  EXPECT_EQ(r.report.output, "2 passed, 0 failed, 1 not run\n");
}

// {stock_below: {supply, from, to}} fires a rule whose level the change crosses, and only then.
TEST(RuleTestEvents, StockBelowGivesTheChange) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: crosses 100
    event: {stock_below: {supply: masks, from: 100, to: 99}}
    expect: {fired: [masks-low]}
  - name: stays above
    event: {stock_below: {supply: masks, from: 150, to: 100}}
    expect: {fired: []}
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "2 passed, 0 failed\n");
}

// The stock_<supply> facts: in a stock_below test, what the stock fell to (as the engine's fact
// reads after the fall); otherwise what the test's village gives (0 when it gives none).
TEST(RuleTestEvents, StockFactsFollowTheEventAndTheVillage) {
  TempDir dir;
  const std::string policy = R"(vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
  supplies: [masks]
rules:
  - {id: top-up, title: t, source: assumption, note: n, on: {stock_below: {supply: masks, level: 300}},
     when: stock_masks > 200, do: [create_task: {name: order, roles: [village_cadre], minutes: 10, within_hours: 24}]}
  - {id: short, title: t, source: assumption, note: n, on: day_started,
     when: stock_masks < 100, do: [create_task: {name: count, roles: [village_cadre], minutes: 10, within_hours: 24}]}
)";
  auto r = vg::testing::run_rule_tests(dir, policy, R"(  - name: fell to 299, above 200
    event: {stock_below: {supply: masks, from: 301, to: 299}}
    expect: {fired: [top-up]}
  - name: fell to 150
    event: {stock_below: {supply: masks, from: 301, to: 150}}
    expect: {fired: []}
  - name: plenty
    event: day_started
    village: {stock_masks: 5000}
    expect: {fired: []}
  - name: none given
    event: day_started
    expect: {fired: [short]}
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "4 passed, 0 failed\n") << r.report.output;
}

}  // namespace
}  // namespace vg::rules
