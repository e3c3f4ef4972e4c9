// Tracking duties that use supplies, computed by hand. One returnee from the key area, home before
// day 0, is screened on day 0 and tracked from day 1 for 5 days by a team of one doctor whose daily
// check uses 1 thermometer cover. The village has 3 covers and no way to buy more: the checks of
// days 1-3 take them; those of days 4 and 5 are short.
//   skip:    2 checks not done, so 3 of the 5 tracking days are complete (the person is not fully
//            tracked); the covers run out at the end of day 3, so days 3-9 end out of stock (7).
//   proceed: the 2 short checks are done without covers; all 5 tracking days complete.
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
using vg::testing::vocabulary;

metrics::VillageTotals run_case(const std::string& if_short) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.origins = "[key_area]",
                                       .classes = "[unscreened, key]",
                                       .key_classes = "[key]",
                                       .roles = "[village_cadre, village_doctor]",
                                       .supplies = "[covers]"}) +
                               R"(
tracking:
  - id: doctor_watch
    title: a doctor's daily check
    source: assumption
    note: test
    days: 5
    team:
      - role: village_doctor
        duty: temperature check
        minutes_per_day: 15
        uses: {covers: 1}
        if_short: )" + if_short +
                               R"(
rules:
)" + screen_rule(20) + R"(  - id: track
    title: track
    source: assumption
    note: test
    on: {task_done: screening}
    do:
      - set_class: key
      - start_tracking: doctor_watch
)");
  const std::string path = dir.write(
      "s.yaml",
      one_village(
          {.name = "duty-supplies",
           .horizon_days = 10,
           .returnees = 1,
           .staff = "{village_cadre: {count: 1, hours_per_day: 8}, village_doctor: {count: 1, hours_per_day: 8}}",
           .origin_mix = "{key_area: 1.0}",
           .extra = "supplies: {funds_per_village: 0, stocks: {covers: 3}}\n"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  return r.replicates.at(0).villages.at(0);
}

TEST(DutySupplies, SkippedChecksLeaveTrackingDaysIncomplete) {
  const auto v = run_case("skip");
  EXPECT_EQ(v.key_tracked, 1);
  EXPECT_EQ(v.tracking_days, 5);
  EXPECT_EQ(v.tracking_complete_days, 3);
  EXPECT_EQ(v.key_fully_tracked, 0);
  EXPECT_EQ(v.tasks_skipped_for_supplies, 2);
  EXPECT_EQ(v.tasks_without_supplies, 0);
  EXPECT_EQ(v.stockout_days, 7);
}

TEST(DutySupplies, ProceedDoesTheChecksWithoutCovers) {
  const auto v = run_case("proceed");
  EXPECT_EQ(v.tracking_days, 5);
  EXPECT_EQ(v.tracking_complete_days, 5);
  EXPECT_EQ(v.key_fully_tracked, 1);
  EXPECT_EQ(v.tasks_skipped_for_supplies, 0);
  EXPECT_EQ(v.tasks_without_supplies, 2);
  EXPECT_EQ(v.stockout_days, 7);
}

}  // namespace
}  // namespace vg::sim
