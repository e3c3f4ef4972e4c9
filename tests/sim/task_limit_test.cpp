// max_tasks_per_day from the scenario to the scheduler, by hand: one cadre who may start 2 tasks a
// day, 5 returnees registered at day 0, 00:00, each screened in 20 minutes (due within 24 h,
// kept when late). Day 0: 2 screenings (08:00-08:40), both within 24 h; day 1: 2; day 2: 1.
#include <gtest/gtest.h>

#include <string>

#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::screen_rule;
using vg::testing::TempDir;

TEST(TaskLimit, ACadreWhoMayStartTwoTasksADay) {
  TempDir dir;
  dir.write("rules.yaml", R"(
rules:
)" + screen_rule(20));
  Diagnostics d;
  const Model m = load_model(
      dir.write("s.yaml",
                one_village({.name = "limit",
                             .horizon_days = 3,
                             .rules = {std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/vocabulary.yaml", "rules.yaml"},
                             .residents = 5,
                             .returnees = 5,
                             .staff = "{village_cadre: {count: 1, hours_per_day: 8, max_tasks_per_day: 2}}",
                             .origin_mix = "{other_province: 1.0}"})),
      d);
  const RunResult r = run_model(m);
  const auto& rep = r.replicates.at(0);
  EXPECT_EQ(rep.days[0][0].screened, 2);
  EXPECT_EQ(rep.days[0][1].screened, 2);
  EXPECT_EQ(rep.days[0][2].screened, 1);
  EXPECT_EQ(rep.villages[0].screened_within_24h, 2);
  EXPECT_EQ(rep.villages[0].screened, 5);
}

}  // namespace
}  // namespace vg::sim
