// The grid step (src/rules/compile/grid.cpp): the scenario's prevention grid, with the policy's
// roles as leaders.
#include <gtest/gtest.h>

#include "config/grid_loader.h"
#include "spec/grid.h"
#include "support/policy_text.h"
#include "support/temp_files.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

constexpr const char* kPolicy = "vocabulary: {classes: [unscreened], roles: [secretary, member]}\n";

// A grid file with these levels (YAML list items under `levels:`).
config::GridSpec grid(const testing::TempDir& dir, const std::string& levels) {
  const std::string path = dir.write("g.yaml",
                                     "grid:\n  name: g\n  title: g\n  source: report\n"
                                     "  households_per_member: 20\n  levels:\n" +
                                         levels);
  Diagnostics d;
  auto g = config::load_grid(path, d);
  EXPECT_TRUE(g && !d.has_errors()) << d.format();
  return g ? *g : config::GridSpec{};
}

// A level's name names its coordination task (grid:NAME): two levels of one name are an error at
// the second name.
TEST(CompileGrid, TwoLevelsOfOneNameAreAnError) {
  testing::TempDir dir;
  const std::string path = dir.write("g.yaml",
                                     "grid:\n  name: g\n  title: g\n  source: report\n"
                                     "  households_per_member: 20\n  levels:\n"
                                     "    - {name: branch, unit: village, led_by: secretary}\n"
                                     "    - {name: branch, unit: household, led_by: member}\n");
  Diagnostics d;
  EXPECT_FALSE(config::load_grid(path, d));
  EXPECT_NE(d.format().find("g.yaml:8:14: error: level name 'branch' is used twice (first at line 7)"),
            std::string::npos)
      << d.format();
}

// Without a household level led by a role, no household has a contact member, so tasks assigned
// to the contact member are never done.
TEST(CompileGrid, AGridWithoutAHouseholdLevelIsReported) {
  testing::TempDir dir;
  const auto g = grid(dir, "    - {name: branch, unit: village, led_by: secretary}\n");
  auto c = compile_text(kPolicy, &g);
  ASSERT_EQ(c.diags.items().size(), 1u) << c.diags.format();
  EXPECT_EQ(c.diags.items()[0].loc.str(), g.loc.str());
  EXPECT_EQ(c.diags.items()[0].message,
            "grid 'g' has no household level led by a role: no household has a contact member");
  EXPECT_TRUE(c.program);
}

TEST(CompileGrid, LeadersGetDailyWorkAndReportsClimbTheLevels) {
  testing::TempDir dir;
  const auto g = grid(dir,
                      "    - {name: branch, unit: village, led_by: secretary, leader_minutes_per_day: 30,"
                      " report_delay_hours: 1}\n"
                      "    - {name: households, unit: household, led_by: member, report_delay_hours: 2}\n");
  auto c = compile_text(kPolicy, &g);
  ASSERT_TRUE(c.program) << c.diags.format();
  EXPECT_EQ(c.messages(), Messages{});
  const Grid& compiled = *c.program->grid();
  EXPECT_EQ(compiled.contact_role, 1);  // member
  ASSERT_GE(compiled.levels[0].leader_task, 0);
  const TaskKind& work = c.program->task_kinds()[size_t(compiled.levels[0].leader_task)];
  EXPECT_EQ(work.name, "grid:branch");
  EXPECT_EQ(work.minutes, 30);
  EXPECT_EQ(compiled.levels[1].leader_task, -1);  // household contacts are tasks of their own
  EXPECT_EQ(c.program->escalation_delay(1), 120);
  EXPECT_EQ(c.program->escalation_delay(0), 180);
}

TEST(CompileGrid, ALeaderRoleThePolicyLacksIsAnError) {
  testing::TempDir dir;
  const auto g = grid(dir,
                      "    - {name: branch, unit: village, led_by: secretry}\n"
                      "    - {name: households, unit: household, led_by: member}\n");
  auto c = compile_text(kPolicy, &g);
  ASSERT_EQ(c.diags.items().size(), 1u) << c.diags.format();
  EXPECT_EQ(c.diags.items()[0].message, "unknown role 'secretry'; did you mean 'secretary'?");
  EXPECT_EQ(c.diags.items()[0].loc.line, 7);  // the grid file's `led_by: secretry`
  EXPECT_EQ(c.diags.items()[0].loc.col, 45);
}

// A two-level grid, the household level led by members, reports taking an hour a level.
constexpr const char* kTwoLevels =
    "    - {name: branch, unit: village, led_by: secretary, report_delay_hours: 1}\n"
    "    - {name: households, unit: household, led_by: member, report_delay_hours: 1}\n";

// `levels` past the grid's top used to mean "all levels" silently.
TEST(CompileGrid, EscalatingMoreLevelsThanTheGridHasIsAnError) {
  testing::TempDir dir;
  const auto g = grid(dir, kTwoLevels);
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [secretary, member], events: [{name: report, about: village}]}
rules:
  - id: up
    on: day_started
    do: [{escalate: {event: report, levels: 3}}]
  - id: arrived
    on: {event: report}
    do: [{create_task: {name: t, roles: [secretary], minutes: 5, within_hours: 24}}]
)",
                        &g);
  EXPECT_EQ(c.messages(), Messages{"p.yaml:5:45: error: escalate climbs 3 levels, but grid 'g' has 2 levels; write "
                                   "levels: 2 or less (or leave it out: to the top)"});
  EXPECT_FALSE(c.program);
}

// With a grid whose report delays add up to more than zero, an escalation arrives later: a rule
// escalating its own event repeats until the horizon, no endless loop.
TEST(CompileGrid, EscalatingOnesOwnEventUpAGridWithDelaysIsNoCycle) {
  testing::TempDir dir;
  const auto g = grid(dir, kTwoLevels);
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [secretary, member], events: [{name: report, about: village}]}
rules:
  - id: again
    on: {event: report}
    do: [{escalate: {event: report, levels: 2}}]
)",
                        &g);
  EXPECT_EQ(c.messages(), Messages{});
  EXPECT_TRUE(c.program);
}

// A task for each household's contact member on a grid that gives households none: the error
// names the grid's missing level, not a missing grid.
TEST(CompileGrid, AContactMemberTaskOnAGridWithoutALedHouseholdLevelIsAnError) {
  testing::TempDir dir;
  const std::string visits = R"(
vocabulary: {classes: [unscreened], roles: [secretary, member]}
rules:
  - id: visit
    on: day_started
    do: [{create_task: {name: visit, roles: [member], minutes: 5, within_hours: 24, for_each: household, assign: contact_member}}]
)";
  const std::string said =
      "p.yaml:5:31: error: task 'visit' goes to each household's contact member, but grid 'g' has ";
  const auto g = grid(dir, "    - {name: branch, unit: village, led_by: secretary}\n");
  auto c = compile_text(visits, &g);
  EXPECT_EQ(c.messages(),
            Messages{said + "no household level: add one (`unit: household`, `led_by: ROLE`) as its last level"});
  EXPECT_FALSE(c.program);
  // With a household level led by nobody: lead it.
  const auto h =
      grid(dir, "    - {name: branch, unit: village, led_by: secretary}\n    - {name: homes, unit: household}\n");
  auto e = compile_text(visits, &h);
  EXPECT_EQ(e.messages(), Messages{said + "no household level led by a role: give its household level `led_by: ROLE`"});
}

}  // namespace
}  // namespace vg::rules
