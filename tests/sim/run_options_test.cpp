// run_model without daily rows (compare, plan): the same per-replicate totals, no rows kept.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "metrics/summary.h"
#include "sim/runner.h"

namespace vg::sim {
namespace {

TEST(RunOptions, DroppingDailyRowsKeepsEveryTotal) {
  Diagnostics d;
  Overrides ov;
  ov.replicates = 3;
  const Model m = load_model(std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/maoming-villages.yaml", d, ov);
  const RunResult full = run_model(m, RunOptions{});
  const RunResult lean = run_model(m, RunOptions{.trace = false, .keep_days = false});
  ASSERT_EQ(full.replicates.size(), 3u);
  ASSERT_EQ(lean.replicates.size(), 3u);
  for (size_t r = 0; r < 3; ++r) {
    EXPECT_FALSE(full.replicates[r].days.empty());
    EXPECT_TRUE(lean.replicates[r].days.empty());
    const auto a = metrics::replicate_metrics(full.replicates[r], {});
    const auto b = metrics::replicate_metrics(lean.replicates[r], {});
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].first.name, b[i].first.name);
      if (std::isnan(a[i].second)) {
        EXPECT_TRUE(std::isnan(b[i].second)) << a[i].first.name;
      } else {
        EXPECT_EQ(a[i].second, b[i].second) << a[i].first.name;
      }
    }
  }
  // The estimate before a run counts the rows a run keeps.
  EXPECT_LT(estimate_run_bytes(m, false, false), estimate_run_bytes(m, false, true));
}

}  // namespace
}  // namespace vg::sim
