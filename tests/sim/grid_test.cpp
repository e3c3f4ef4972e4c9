// Grids: sharing households among contact members within a span (computed by hand), the daily
// coordination work of level leaders, and reports escalating with each level's delay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "metrics/metric_table.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

const char* kPolicy = R"(
vocabulary:
  origins: [local, other_province]
  classes: [unscreened, general]
  roles: [party_member, village_cadre, first_secretary]
  events:
    - {name: alarm, about: village}
rules:
  - id: contact-round
    title: weekly contact of every household by its member
    source: assumption
    note: test
    on: {day: 0}
    do:
      - create_task: {name: contact, roles: [party_member], minutes: 5, within_hours: 24, for_each: household, assign: contact_member, counts_as: household_contact, if_late: drop}
      - escalate: {event: alarm, levels: 2}
  - id: respond
    title: answer the alarm
    source: assumption
    note: test
    on: {event: alarm}
    do:
      - create_task: {name: respond, roles: [village_cadre], minutes: 30, within_hours: 2}
  - id: register
    title: register returnees
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - set_class: general
)";

std::string grid_file(bool cover_all, int span = 20) {
  return std::string(R"(
grid:
  name: test-grid
  source: assumption
  note: test
  households_per_member: )") +
         std::to_string(span) + R"(
  cover_all: )" +
         (cover_all ? "true" : "false") +
         R"(
  levels:
    - {name: branch, unit: village, led_by: first_secretary, leader_minutes_per_day: 60, report_delay_hours: 1}
    - {name: group, unit: villager_group, led_by: village_cadre, leader_minutes_per_day: 20, report_delay_hours: 2}
    - {name: member, unit: household, led_by: party_member, report_delay_hours: 3}
)";
}

// 100 one-person households in 2 villager groups of 50; 3 contact members with a span of 20.
Model load_case(const TempDir& dir, bool cover_all, Diagnostics* diags = nullptr, int span = 20, int horizon = 3) {
  dir.write("policy.yaml", kPolicy);
  dir.write("grid.yaml", grid_file(cover_all, span));
  const std::string path = dir.write("s.yaml", one_village({.name = "grid-case",
                                                            .horizon_days = horizon,
                                                            .grid = "grid.yaml",
                                                            .residents = 100,
                                                            .mean_household_size = 1,
                                                            .villager_groups = 2,
                                                            .party_members = 3,
                                                            .returnees = 0,
                                                            .staff = R"(
party_member: {count: 3, hours_per_day: 8}
village_cadre: {count: 2, hours_per_day: 8}
first_secretary: {count: 1, hours_per_day: 8}
)",
                                                            .origin_mix = "{other_province: 1.0}"}));
  Diagnostics d;
  return load_model(path, diags ? *diags : d);
}

// Members go to groups in proportion to households: 1.5 and 1.5, the odd one to the first group.
// Group 1: 2 members x 20 = 40 of 50 households; group 2: 1 x 20 = 20 of 50. 40 households have no
// member. With cover_all the rest are dealt out: 25 + 25 in group 1, 50 in group 2.
TEST(Grid, ContactAssignmentWithinTheSpan) {
  TempDir dir;
  Diagnostics d;
  Model m = load_case(dir, false, &d);
  // Said before any run, at the village.
  EXPECT_NE(d.format().find("warning: grid 'test-grid': 40 of V's 100 households have no contact member "
                            "(3 party_member x households_per_member 20, cover_all false)"),
            std::string::npos)
      << d.format();
  ASSERT_EQ(m.population->households(), 100u);
  EXPECT_EQ(m.contacts.without_member[0], 40);
  EXPECT_EQ(m.contacts.over_span[0], 0);
  EXPECT_EQ(m.contacts.max_load[0], 20);
  RunResult r = run_model(m);
  const auto& v = r.replicates[0].villages[0];
  EXPECT_EQ(v.households_without_contact_member, 40);
  // Households with no member go to any party member: 100 x 5 min fit in 3 x 8 h, so all are contacted.
  EXPECT_EQ(v.households_contacted, 100);
  EXPECT_EQ(r.replicates[0].days[0][0].households_contacted_7d, 100);
}

// Weekly coverage: the one round contacts all 100 households on day 0. Over days 0..8, a full
// week lies behind days 6, 7 and 8: day 6's week holds the round (100), days 7 and 8's do not (0),
// so 100 of 300 household-days, a share of 1/3, where "at least once" reads 100%. Over 3 days no
// full week lies behind any day: nothing to measure.
TEST(Grid, WeeklyCoverageCountsTheDaysAFullWeekLiesBehind) {
  TempDir dir;
  RunResult r = run_model(load_case(dir, true, nullptr, 20, 9));
  const auto& v = r.replicates[0].villages[0];
  EXPECT_EQ(v.households_contacted, 100);
  EXPECT_EQ(v.household_days_contacted_7d, 100);
  EXPECT_EQ(v.household_days_7d, 300);
  const auto* m = std::find_if(std::begin(metrics::kVillageMetrics), std::end(metrics::kVillageMetrics),
                               [](const auto& x) { return x.name == "households_contacted_7d_share"; });
  ASSERT_NE(m, std::end(metrics::kVillageMetrics));
  EXPECT_DOUBLE_EQ(m->value(v), 1.0 / 3);
  TempDir short_dir;
  RunResult s = run_model(load_case(short_dir, true, nullptr, 20, 3));
  EXPECT_EQ(s.replicates[0].villages[0].household_days_7d, 0);
  EXPECT_TRUE(std::isnan(m->value(s.replicates[0].villages[0])));
}

TEST(Grid, CoverAllGoesPastTheSpan) {
  TempDir dir;
  Diagnostics d;
  Model m = load_case(dir, true, &d);
  EXPECT_EQ(d.format().find("contact member"), std::string::npos) << d.format();
  EXPECT_EQ(m.contacts.without_member[0], 0);
  EXPECT_EQ(m.contacts.over_span[0], 3);
  EXPECT_EQ(m.contacts.max_load[0], 50);
  // Every contact task goes to the household's own member: the busiest does 50 x 5 = 250 minutes.
  RunResult r = run_model(m);
  EXPECT_EQ(r.replicates[0].villages[0].households_contacted, 100);
}

// A span larger than a villager group's households never binds: group 1's first member takes its
// 50, the second none; group 2's one member takes its 50. Said before a run.
TEST(Grid, ASpanThatNeverBindsLeavesMembersWithoutHouseholdsAndSaysSo) {
  TempDir dir;
  Diagnostics d;
  Model m = load_case(dir, false, &d, 60);
  EXPECT_EQ(m.contacts.without_member[0], 0);
  EXPECT_EQ(m.contacts.max_load[0], 50);
  EXPECT_EQ(m.contacts.idle_members[0], 1);
  EXPECT_NE(d.format().find("warning: grid 'test-grid': 1 of V's 3 party_member look after no household "
                            "(households_per_member 60 is more than a villager group's households"),
            std::string::npos)
      << d.format();
}

// Delays: 3 h from households to groups, 2 h from groups to the branch. Escalating two levels from
// 00:00 arrives at 05:00. Each day the branch leader and each of the 2 group leaders get one task.
TEST(Grid, EscalationAndLeaderWork) {
  TempDir dir;
  Model m = load_case(dir, false);
  EXPECT_EQ(m.program->escalation_delay(1), 180);
  EXPECT_EQ(m.program->escalation_delay(2), 300);
  EXPECT_EQ(m.program->escalation_delay(0), 360);
  RunResult r = run_model(m, true);
  bool seen = false;
  for (const auto& t : r.trace[0])
    if (m.program->rules()[size_t(t.rule)].id == "respond") {
      seen = true;
      EXPECT_EQ(t.day, 0);
      EXPECT_EQ(t.minute, 300);
    }
  EXPECT_TRUE(seen);
  EXPECT_EQ(r.replicates[0].days[0][1].tasks_created, 3);  // day 1: leader work only
  EXPECT_EQ(r.replicates[0].days[0][0].tasks_created, 3 + 100 + 1);
}

TEST(Grid, ContactTasksNeedAGridOfTheRightRole) {
  TempDir dir;
  dir.write("policy.yaml", kPolicy);
  dir.write("grid.yaml", grid_file(false));
  std::string s = vg::testing::read_file(load_case(dir, false).scenario.path);
  const std::string with_grid = "policy: {rules: [policy.yaml], grid: grid.yaml}";
  s.replace(s.find(with_grid), with_grid.size(), "policy: {rules: [policy.yaml]}");
  const std::string path = dir.write("nogrid.yaml", s);
  Diagnostics d;
  EXPECT_THROW(load_model(path, d), InputError);
  const std::string text = d.format();
  EXPECT_NE(text.find("goes to each household's contact member"), std::string::npos) << text;
  EXPECT_NE(text.find("escalates up the grid"), std::string::npos) << text;
}

}  // namespace
}  // namespace vg::sim
