// docs/metrics.md lists exactly the metrics of the code's tables (metrics/metric_table.h), with
// their units: a metric added to a table and not to the docs, or left in the docs after it went,
// fails here with the names.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "metrics/metric_table.h"
#include "support/doc_tables.h"

namespace vg::metrics {
namespace {

using namespace vg::testing;  // doc_table, first_column_names, name_drift, read_doc, table_names

// The docs' unit of each metric that the code's table has, against the table's.
template <class Table>
void expect_units(const std::vector<std::vector<std::string>>& rows, const Table& table) {
  std::map<std::string, std::string> units;
  for (const auto& m : table) units[std::string(m.name)] = std::string(m.unit);
  for (const auto& row : rows)
    for (const auto& name : vg::testing::code_names(row[0]))
      if (units.count(name)) {
        EXPECT_EQ(row[1], units[name]) << "unit of " << name << " in docs/metrics.md";
      }
}

TEST(MetricsDocs, VillageMetricsAreTheTable) {
  auto rows = doc_table(read_doc("metrics.md"), "Region and village metrics", "metric");
  ASSERT_FALSE(rows.empty()) << "docs/metrics.md has no table under 'Region and village metrics'";
  EXPECT_EQ(name_drift(first_column_names(rows), table_names(kVillageMetrics), "docs/metrics.md's region metrics"), "");
  expect_units(rows, kVillageMetrics);
}

TEST(MetricsDocs, RoleMetricsAreTheTable) {
  auto rows = doc_table(read_doc("metrics.md"), "Roles", "metric");
  ASSERT_FALSE(rows.empty()) << "docs/metrics.md has no table under 'Roles'";
  EXPECT_EQ(name_drift(first_column_names(rows), table_names(kRoleMetrics), "docs/metrics.md's role metrics"), "");
  expect_units(rows, kRoleMetrics);
}

TEST(MetricsDocs, GuidelineMetricsAreTheTable) {
  auto rows = doc_table(read_doc("metrics.md"), "Guidelines", "metric");
  ASSERT_FALSE(rows.empty()) << "docs/metrics.md has no table under 'Guidelines'";
  EXPECT_EQ(name_drift(first_column_names(rows), table_names(kGuidelineCounts), "docs/metrics.md's guideline metrics"),
            "");
}

TEST(MetricsDocs, DailyColumnsAreTheTable) {
  auto rows = doc_table(read_doc("metrics.md"), "Daily series", "column");
  ASSERT_FALSE(rows.empty()) << "docs/metrics.md has no table under 'Daily series'";
  // The keys of a row come first; then the table's columns (then one per role and supply, which
  // the docs write as patterns).
  std::set<std::string> columns = table_names(kDayColumns);
  for (const char* key : {"replicate", "town", "village", "day", "date"}) columns.insert(key);
  EXPECT_EQ(name_drift(first_column_names(rows), columns, "docs/metrics.md's daily columns"), "");
}

}  // namespace
}  // namespace vg::metrics
