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

}  // namespace
}  // namespace vg::metrics
