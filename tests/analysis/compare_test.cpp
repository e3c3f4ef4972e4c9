#include <gtest/gtest.h>

#include <cmath>

#include "analysis/compare.h"

namespace vg::metrics {
namespace {

// Student-t 97.5% quantiles from tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
TEST(Compare, TQuantileMatchesTables) {
  EXPECT_NEAR(t_quantile_975(1), 12.706, 1e-3);
  EXPECT_NEAR(t_quantile_975(5), 2.571, 1e-3);
  EXPECT_NEAR(t_quantile_975(10), 2.228, 1e-3);
  EXPECT_NEAR(t_quantile_975(20), 2.086, 2e-3);
  EXPECT_NEAR(t_quantile_975(30), 2.042, 2e-3);
  EXPECT_NEAR(t_quantile_975(100), 1.984, 1e-3);
  EXPECT_NEAR(t_quantile_975(100000), 1.960, 1e-3);
}

// Values 1..5: mean 3, sd sqrt(2.5), half-width t(4) * sd / sqrt(5) = 2.7764 * 0.70711.
TEST(Compare, MeanIntervalKnownAnswer) {
  Interval iv = mean_interval({1, 2, 3, 4, 5});
  EXPECT_EQ(iv.n, 5);
  EXPECT_DOUBLE_EQ(iv.mean, 3.0);
  EXPECT_NEAR(iv.hi - iv.mean, 2.7764 * std::sqrt(2.5 / 5), 1e-4);
  EXPECT_NEAR(iv.mean - iv.lo, iv.hi - iv.mean, 1e-12);
  // Undefined values (NaN) are left out, not counted as zero.
  Interval with_nan = mean_interval({1, NAN, 3});
  EXPECT_EQ(with_nan.n, 2);
  EXPECT_DOUBLE_EQ(with_nan.mean, 2.0);
  EXPECT_TRUE(std::isnan(mean_interval({NAN}).mean));
}

TEST(Compare, IdenticalRunsDifferByExactlyZero) {
  ReplicateResult r;
  r.villages.resize(1);
  std::vector<ReplicateResult> a;
  for (int k = 0; k < 10; ++k) {
    r.villages[0].returnees = 100;
    r.villages[0].screened_within_24h = 40 + k;
    a.push_back(r);
  }
  auto ms = compare_runs({a, a});
  for (const auto& m : ms) {
    if (m.diff[1].n == 0) continue;  // undefined in every replicate (no tracking here)
    EXPECT_EQ(m.diff[1].mean, 0.0) << m.name;
    EXPECT_EQ(m.diff[1].lo, 0.0) << m.name;
    EXPECT_EQ(m.diff[1].hi, 0.0) << m.name;
  }
}

}  // namespace
}  // namespace vg::metrics
