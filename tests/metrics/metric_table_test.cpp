// The metrics tables merge the counts of two parts (a region's villages, a replicate's towns) the
// way summary.json reports them: sums, the largest, either flag, the earlier day.
#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <variant>
#include <vector>

#include "metrics/metric_table.h"

namespace vg::metrics {
namespace {

TEST(MetricTable, AShareAndOnlyAShareHasItsCounts) {
  for (const auto& m : kVillageMetrics)
    EXPECT_EQ(m.unit == std::string_view("share"), m.numerator != nullptr) << m.name;
}

TEST(MetricTable, TownsOfAReplicateMergeRoleCountsAsTheTableSays) {
  std::vector<RoleTotals> towns(3);  // north never ran out of hours, south on day 4, east on day 1
  towns[0].minutes_worked = 600;
  towns[0].days_out_of_hours = 2;
  towns[0].busiest_minutes = 500;
  towns[1].minutes_worked = 300;
  towns[1].days_out_of_hours = 5;
  towns[1].busiest_minutes = 200;
  towns[1].first_day_out_of_hours = 4;
  towns[2].first_day_out_of_hours = 1;
  RoleTotals region{};
  merge_counts(region, towns[0], kRoleCounts);  // -1 stays "never"
  EXPECT_EQ(region.first_day_out_of_hours, -1);
  for (size_t t = 1; t < towns.size(); ++t) merge_counts(region, towns[t], kRoleCounts);
  EXPECT_EQ(region.minutes_worked, 900);        // added
  EXPECT_EQ(region.days_out_of_hours, 5);       // the most of any town
  EXPECT_EQ(region.busiest_minutes, 500);       // the busiest person of any town
  EXPECT_EQ(region.first_day_out_of_hours, 1);  // the earliest town
}

// Every count of a village reaches the region: a field whose row merged nothing would read 0.
TEST(MetricTable, EveryVillageCountReachesTheRegion) {
  for (const auto& c : kVillageCounts) {
    VillageTotals region{}, village{};
    std::visit([&](auto m) { village.*m = 1; }, c.field);
    merge_counts(region, village, kVillageCounts);
    merge_counts(region, VillageTotals{}, kVillageCounts);
    EXPECT_EQ(count_value(region, c), 1.0) << c.name;
  }
}

TEST(MetricTable, RegionMetricsAreUndefinedWhereTheScenarioHasNoneOfIt) {
  VillageTotals t{};
  t.returnees = 4;
  t.screened = 3;
  auto value = [&](std::string_view name) {
    for (const auto& m : kVillageMetrics)
      if (m.name == name) return m.value(t);
    ADD_FAILURE() << "no metric " << name;
    return 0.0;
  };
  EXPECT_EQ(value("screened_share"), 0.75);
  EXPECT_TRUE(std::isnan(value("team_complete_share")));  // nobody tracked
  EXPECT_TRUE(std::isnan(value("infections_local")));     // no epidemic
  EXPECT_TRUE(std::isnan(value("money_spent")));          // no supplies
  t.supplies = true;
  EXPECT_EQ(value("money_spent"), 0.0);
}

// Why a metric is undefined says how plan's targets read it (docs/planning.md): a rule over no one
// holds, a case never detected or a returnee never found is later than any time, a share of
// returnees who arrived with none found is 0, and what the scenario does not model fails. Each
// reason is keyed to what the totals hold, not to the metric alone.
TEST(MetricTable, AnUndefinedMetricSaysWhy) {
  VillageTotals t{};
  auto why = [&](std::string_view name) {
    for (const auto& m : kVillageMetrics)
      if (m.name == name) {
        if (!std::isnan(m.value(t))) return -1;
        return int(m.undefined ? m.undefined(t) : Undefined::NothingToMeasure);
      }
    ADD_FAILURE() << "no metric " << name;
    return -2;
  };
  constexpr int kNothing = int(Undefined::NothingToMeasure), kNever = int(Undefined::Never);
  EXPECT_EQ(why("detection_delay_days"), int(Undefined::NotModelled));  // no epidemic
  EXPECT_EQ(why("returnee_cases_detected_share"), int(Undefined::NotModelled));
  EXPECT_EQ(why("infections_local"), int(Undefined::NotModelled));
  t.epidemic = true;
  EXPECT_EQ(why("detection_delay_days"), kNothing);  // no case
  EXPECT_EQ(why("screened_share"), kNothing);        // no returnee
  EXPECT_EQ(why("arrival_to_found_hours"), kNothing);
  EXPECT_EQ(why("first_stockout_day"), kNever);
  EXPECT_EQ(why("infections_local"), -1);                      // 0 with an epidemic
  EXPECT_EQ(why("money_spent"), int(Undefined::NotModelled));  // no supplies
  t.returnee_onsets = 2;                                       // cases, none detected
  t.returnees_arrived = 5;                                     // returnees, none found
  EXPECT_EQ(why("detection_delay_days"), kNever);
  EXPECT_EQ(why("arrival_to_found_hours"), kNever);
  EXPECT_EQ(why("arrival_to_screened_hours"), kNever);
  EXPECT_EQ(why("screened_share"), int(Undefined::NoneDone));
  EXPECT_EQ(why("returnee_cases_detected_share"), -1);  // 0 of 2: defined
  EXPECT_EQ(why("team_complete_share"), kNothing);      // nobody tracked
  t.detected = 1;
  t.detection_delay_minutes = 1440;
  EXPECT_EQ(why("detection_delay_days"), -1);
}

}  // namespace
}  // namespace vg::metrics
