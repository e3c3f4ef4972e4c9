// Per-village policy (`policy: overrides:`): a village given its own rule files and grid runs
// under them (its rules fire, its households get contact members from its grid), a village
// without an override runs under the scenario's policy, and each distinct override is compiled once.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sim/runner.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::TempDir;

const char* kVocabulary = R"(
vocabulary:
  origins: [local, other_province]
  classes: [unscreened, general]
  roles: [party_member, village_cadre, first_secretary]
)";

// The scenario's policy: every returnee is registered as general.
const char* kDefaultRules = R"(
rules:
  - id: register-default
    title: register returnees
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - set_class: general
)";

// The override's own: the same registration, and every household contacted on day 0 by its member.
const char* kOwnRules = R"(
rules:
  - id: register-own
    title: register returnees
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - set_class: general
  - id: contact-own
    title: every household contacted by its member on day 0
    source: assumption
    note: test
    on: {day: 0}
    do:
      - create_task: {name: contact, roles: [party_member], minutes: 5, within_hours: 24, for_each: household, assign: contact_member, counts_as: household_contact, if_late: drop}
)";

const char* kGrid = R"(
grid:
  name: own-grid
  source: assumption
  note: test
  households_per_member: 20
  cover_all: true
  levels:
    - {name: branch, unit: village, led_by: first_secretary, leader_minutes_per_day: 30, report_delay_hours: 1}
    - {name: member, unit: household, led_by: party_member, report_delay_hours: 2}
)";

// Two towns of one village each (40 one-person households, 10 returnees): Alpha runs under the
// scenario's policy, Beta under `beta_override` (the YAML of its override entry) when given.
std::string scenario(const std::string& overrides) {
  std::string village_staff = R"(
          staff:
            party_member: {count: 2, hours_per_day: 8}
            village_cadre: {count: 1, hours_per_day: 8}
            first_secretary: {count: 1, hours_per_day: 8}
)";
  auto village = [&](const std::string& town, const std::string& name) {
    return "    - name: " + town + "\n      villages:\n        - name: " + name +
           "\n          residents: 40\n          mean_household_size: 1\n          party_members: 2\n"
           "          returnees: 10" +
           village_staff;
  };
  return R"(
scenario:
  name: override-case
  start_date: 2020-01-24
  horizon_days: 3
  seed: 7
  replicates: 1
policy:
  rules: [vocabulary.yaml, default.yaml]
)" + overrides +
         "region:\n  towns:\n" + village("Town-A", "Alpha") + village("Town-B", "Beta") + R"(
returnees:
  origin_mix: {other_province: 1.0}
  arrival_days: {first: -3, peak: -2, last: -1}
)";
}

const char* kBetaOverride = R"(  overrides:
    - villages: [Beta]
      rules: [vocabulary.yaml, own.yaml]
      grid: grid.yaml
)";

Model load_case(const TempDir& dir, const std::string& overrides) {
  dir.write("vocabulary.yaml", kVocabulary);
  dir.write("default.yaml", kDefaultRules);
  dir.write("own.yaml", kOwnRules);
  dir.write("grid.yaml", kGrid);
  Diagnostics d;
  return load_model(dir.write("s.yaml", scenario(overrides)), d);
}

// The files of the rules that fired for each village (0: Alpha, 1: Beta) in the trace.
std::array<std::set<std::string>, 2> rule_files_fired(const Model& m, const RunResult& r) {
  std::array<std::set<std::string>, 2> out;
  for (const auto& t : r.trace[0]) {
    if (!t.fired) continue;
    const auto& prog = m.town_program(m.population->village_town[size_t(t.village)]);
    out[size_t(t.village)].insert(std::filesystem::path(prog.rules()[size_t(t.rule)].loc.path()).filename().string());
  }
  return out;
}

TEST(PolicyOverride, VillageWithItsOwnGridRunsUnderIt) {
  TempDir dir;
  const Model m = load_case(dir, kBetaOverride);
  ASSERT_EQ(m.policies.size(), 1u);
  ASSERT_EQ(m.town_policy, (std::vector<int>{-1, 0}));
  EXPECT_FALSE(m.town_program(0).grid().has_value());
  ASSERT_TRUE(m.town_program(1).grid().has_value());
  // Beta's 40 households go to its 2 party members (20 each, the span); Alpha has no grid.
  EXPECT_EQ(m.contacts.without_member[0], 40);
  EXPECT_EQ(m.contacts.without_member[1], 0);
  EXPECT_EQ(m.contacts.max_load[1], 20);

  const RunResult r = run_model(m, true);
  const auto files = rule_files_fired(m, r);
  EXPECT_EQ(files[0], (std::set<std::string>{"default.yaml"}));
  EXPECT_EQ(files[1], (std::set<std::string>{"own.yaml"}));
  // Beta's own rule contacted every household on day 0 (40 x 5 minutes by 2 members in 8 hours);
  // Alpha's policy contacts none.
  EXPECT_EQ(r.replicates[0].villages[1].households_contacted, 40);
  EXPECT_EQ(r.replicates[0].villages[0].households_contacted, 0);
  // Both register their 10 returnees (arrived before day 0: at 00:00 on day 0).
  EXPECT_EQ(r.replicates[0].villages[0].returnees, 10);
  EXPECT_EQ(r.replicates[0].villages[1].returnees, 10);
}

TEST(PolicyOverride, WithoutOverridesEveryTownRunsUnderTheScenarioPolicy) {
  TempDir dir;
  const Model m = load_case(dir, "");
  EXPECT_TRUE(m.policies.empty());
  EXPECT_EQ(&m.town_program(0), m.program.get());
  EXPECT_EQ(&m.town_program(1), m.program.get());
  const auto files = rule_files_fired(m, run_model(m, true));
  EXPECT_EQ(files[0], (std::set<std::string>{"default.yaml"}));
  EXPECT_EQ(files[1], (std::set<std::string>{"default.yaml"}));
}

// Two overrides with the same rule files and grid share one program.
TEST(PolicyOverride, SameOverrideIsCompiledOnce) {
  TempDir dir;
  const Model m = load_case(dir, R"(  overrides:
    - villages: [Alpha]
      rules: [vocabulary.yaml, own.yaml]
      grid: grid.yaml
    - villages: [Beta]
      rules: [vocabulary.yaml, own.yaml]
      grid: grid.yaml
)");
  ASSERT_EQ(m.policies.size(), 1u);
  EXPECT_EQ(m.town_policy, (std::vector<int>{0, 0}));
  EXPECT_EQ(&m.town_program(0), &m.town_program(1));
}

// An override that gives only a grid keeps the scenario's rule files.
TEST(PolicyOverride, GridOnlyOverrideKeepsTheScenarioRules) {
  TempDir dir;
  const Model m = load_case(dir, R"(  overrides:
    - villages: [Beta]
      grid: grid.yaml
)");
  ASSERT_EQ(m.policies.size(), 1u);
  ASSERT_TRUE(m.town_program(1).grid().has_value());
  EXPECT_EQ(m.town_program(1).rules().size(), 1u);
  EXPECT_EQ(m.town_program(1).rules()[0].id, "register-default");
}

// A scheduled order (an exercise's) names a channel; it is resolved in the policy of the village it
// is for. Beta's own rules name `cheap` before `dear`, the scenario's only `dear`, so the two
// programs number `dear` differently: Beta's 5 masks via dear cost 10 yuan each, not cheap's 1.
TEST(PolicyOverride, ScheduledOrderUsesTheVillagesOwnChannels) {
  TempDir dir;
  dir.write("vocabulary.yaml", std::string(kVocabulary) + "  supplies: [masks]\n");
  const char* rule = R"(
  - id: ID
    title: order later
    source: assumption
    note: test
    on: {day: 50}
    do:
)";
  auto rules_with = [&](const std::string& id, const std::vector<std::string>& channels) {
    std::string r = std::string(kDefaultRules) + rule;
    r.replace(r.find("ID"), 2, id);
    for (const auto& c : channels) r += "      - request: {supply: masks, amount: 1, channel: " + c + "}\n";
    return r;
  };
  dir.write("default.yaml", rules_with("order-default", {"dear"}));
  dir.write("own.yaml", rules_with("order-own", {"cheap", "dear"}));
  dir.write("grid.yaml", kGrid);
  std::string text = scenario(kBetaOverride);
  text += R"(supplies:
  funds_per_village: 1000
  stocks: {masks: 0}
  channels:
    - {name: cheap, lead_days: 1, max_per_request: 100, unit_cost: {masks: 1}}
    - {name: dear, lead_days: 1, max_per_request: 100, unit_cost: {masks: 10}}
)";
  Overrides ov;
  ov.amend = [](config::ScenarioSpec& s) {
    config::OrderSpec o;
    o.supply = "masks";
    o.channel = "dear";
    o.village = "Beta";
    o.day = 1;
    o.amount = 5;
    s.schedule.orders.push_back(o);
  };
  Diagnostics d;
  const Model m = load_model(dir.write("s.yaml", text), d, ov);
  ASSERT_EQ(m.orders.size(), 1u);
  EXPECT_EQ(m.town_program(1).channels()[size_t(m.orders[0].channel)], "dear");
  const RunResult r = run_model(m);
  EXPECT_DOUBLE_EQ(r.replicates[0].villages[1].money_spent, 50.0);
  EXPECT_DOUBLE_EQ(r.replicates[0].villages[0].money_spent, 0.0);
}

}  // namespace
}  // namespace vg::sim
