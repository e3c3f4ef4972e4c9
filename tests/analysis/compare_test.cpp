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

// Wilson score interval of 1 success in 10 trials, by hand: p = 0.1, z = 1.9599640, z^2 = 3.8414588;
// centre (p + z^2/2n) / (1 + z^2/n) = 0.29207294 / 1.38414588 = 0.2110131; half-width
// z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n) = 1.9599640 * 0.13639519 / 1.38414588 = 0.1931369:
// [0.0178762, 0.4041500] (tables give 0.0179 and 0.4042). 0 of 10: [0, z^2 / (n + z^2)] = [0, 0.2775328].
TEST(Compare, WilsonIntervalKnownAnswer) {
  Interval iv = wilson_interval(1, 10);
  EXPECT_DOUBLE_EQ(iv.mean, 0.1);
  EXPECT_NEAR(iv.lo, 0.0178762, 1e-7);
  EXPECT_NEAR(iv.hi, 0.4041500, 1e-7);
  Interval none = wilson_interval(0, 10);
  EXPECT_EQ(none.lo, 0.0);
  EXPECT_NEAR(none.hi, 0.2775328, 1e-7);
  Interval all = wilson_interval(10, 10);
  EXPECT_NEAR(all.lo, 1 - 0.2775328, 1e-7);
  EXPECT_EQ(all.hi, 1.0);  // exactly: the interval holds the share (it read 0.9999999999999998)
  for (double n : {7.0, 39.0, 3200.0, 123457.0}) {  // at any n
    EXPECT_EQ(wilson_interval(n, n).hi, 1.0) << n;
    EXPECT_EQ(wilson_interval(0, n).lo, 0.0) << n;
  }
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).mean));
}

// A share that is mostly 0 with few cases: the mean's t interval went below 0 (compare printed
// detected_at_check_share 4.5% [-0.7%, 9.8%]); the pooled share's Wilson interval stays in [0, 1].
TEST(Compare, ShareIntervalsStayWithinZeroAndOne) {
  std::vector<ReplicateResult> a;
  for (int k = 0; k < 20; ++k) {
    ReplicateResult r;
    r.villages.resize(1);
    r.villages[0].detected = 1 + k % 3;
    r.villages[0].detected_at_check = k == 0 ? 1 : 0;
    a.push_back(r);
  }
  for (const auto& m : compare_runs({a, a}))
    if (m.name == "detected_at_check_share") {
      // Pooled: 1 of 39 detected (k % 3 over 20 replicates: 7 x 1, 7 x 2, 6 x 3).
      EXPECT_DOUBLE_EQ(m.value[0].mean, 1.0 / 39);
      EXPECT_EQ(m.value[0].n, 20);
      EXPECT_GE(m.value[0].lo, 0.0);
      EXPECT_LE(m.value[0].hi, 1.0);
      const Interval w = wilson_interval(1, 39);
      EXPECT_EQ(m.value[0].lo, w.lo);
      EXPECT_EQ(m.value[0].hi, w.hi);
      // The t interval of the replicates' mean share would have gone below 0.
      std::vector<double> shares;
      for (const auto& r : a) shares.push_back(double(r.villages[0].detected_at_check) / r.villages[0].detected);
      EXPECT_LT(mean_interval(shares).lo, 0.0);
    }
}

// A count that is mostly 0: its mean's t interval would reach below 0; a count cannot, so it ends
// at 0. The difference of two such counts may be negative.
TEST(Compare, CountIntervalsEndAtZero) {
  std::vector<ReplicateResult> a, b;
  for (int k = 0; k < 10; ++k) {
    ReplicateResult r;
    r.villages.resize(1);
    r.villages[0].returnees_arrived = k == 0 ? 1 : 0;  // never_found: 1 in one replicate of 10
    a.push_back(r);
    r.villages[0].returnees_arrived = 0;
    b.push_back(r);
  }
  for (const auto& m : compare_runs({a, b}))
    if (m.name == "never_found") {
      EXPECT_DOUBLE_EQ(m.value[0].mean, 0.1);
      EXPECT_EQ(m.value[0].lo, 0.0);
      EXPECT_NEAR(m.value[0].hi, 0.1 + 2.2622 * std::sqrt(0.1 / 10), 1e-4);  // sd sqrt(0.9 / 9), t(9)
      EXPECT_LT(m.diff[1].lo, 0.0);
    }
}

// The paired difference of two pooled shares, by hand. Screened / returnees in two replicates:
// A (1/2, 3/4): R_A = 4/6; B (2/2, 3/4): R_B = 5/6; the difference 1/6. Residuals (num - R den) /
// mean den (3): A -1/9, +1/9; B +1/9, -1/9; their differences +2/9, -2/9: mean 0, sd (2/9) sqrt 2,
// half-width t(1) sd / sqrt 2 = 12.7062 * 2/9.
TEST(Compare, PooledShareDifferenceKnownAnswer) {
  auto rep = [](int screened, int returnees) {
    ReplicateResult r;
    r.villages.resize(1);
    r.villages[0].screened = screened;
    r.villages[0].returnees = returnees;
    return r;
  };
  const std::vector<ReplicateResult> a = {rep(1, 2), rep(3, 4)}, b = {rep(2, 2), rep(3, 4)};
  for (const auto& m : compare_runs({a, b}))
    if (m.name == "screened_share") {
      EXPECT_DOUBLE_EQ(m.value[0].mean, 4.0 / 6);
      EXPECT_DOUBLE_EQ(m.value[1].mean, 5.0 / 6);
      EXPECT_NEAR(m.diff[1].mean, 1.0 / 6, 1e-12);
      // Residuals -1/9, 1/9 and 1/9, -1/9: differences 2/9 and -2/9, a half-width of 12.7062 x 2/9.
      // 1/6 +- 2.82 lies past a difference of two shares' bounds, -1 and 1: the interval is cut there.
      EXPECT_DOUBLE_EQ(m.diff[1].hi, 1.0);
      EXPECT_DOUBLE_EQ(m.diff[1].lo, -1.0);
      EXPECT_EQ(m.diff[1].n, 2);
      EXPECT_GT(m.diff[1].top_share, 0.5);  // 4 of a's 6 returnees are one replicate's
    }
  // Four replicates: a 1 of 2 in each (residuals 0), b 2 of 2 and 1 of 2 in turn (pooled 3/4,
  // residuals (2 - 1.5) / 2 = 1/4 and -1/4): differences +-1/4, sd sqrt(1/12), and a half-width of
  // t(3) = 3.1824 x sqrt(1/12) / 2 about 1/4, inside -1 and 1. No replicate holds half a denominator.
  const std::vector<ReplicateResult> c(4, rep(1, 2)), d = {rep(2, 2), rep(1, 2), rep(2, 2), rep(1, 2)};
  for (const auto& m : compare_runs({c, d}))
    if (m.name == "screened_share") {
      EXPECT_NEAR(m.diff[1].mean, 0.25, 1e-12);
      EXPECT_NEAR(m.diff[1].hi - m.diff[1].mean, 3.1824 * std::sqrt(1.0 / 12) / 2, 1e-9);
      EXPECT_NEAR(m.diff[1].mean - m.diff[1].lo, 3.1824 * std::sqrt(1.0 / 12) / 2, 1e-9);
      EXPECT_DOUBLE_EQ(m.diff[1].top_share, 0.25);
      EXPECT_FALSE(rests_on_one_replicate(m, 1));
    }
}

// Role metrics follow the region's, by role name; a role one configuration lacks is undefined there.
TEST(Compare, RoleMetricsByName) {
  ReplicateResult r;
  r.villages.resize(1);
  r.roles.resize(2);
  r.roles[0].minutes_worked = 120;
  r.roles[1].minutes_worked = 60;
  std::vector<ReplicateResult> a(3, r), b(3, r);
  for (auto& x : b) std::swap(x.roles[0], x.roles[1]);  // b lists the roles the other way round
  for (auto& x : b) x.roles.resize(1);
  auto ms = compare_runs({a, b}, {{"cadre", "doctor"}, {"doctor"}});
  int seen = 0;
  for (const auto& m : ms) {
    if (m.name != "hours_worked") continue;
    ++seen;
    if (m.scope == "cadre") {
      EXPECT_DOUBLE_EQ(m.value[0].mean, 2.0);
      EXPECT_EQ(m.value[1].n, 0);  // b has no cadre
      EXPECT_EQ(m.diff[1].n, 0);
    } else {
      EXPECT_EQ(m.scope, "doctor");
      EXPECT_DOUBLE_EQ(m.value[0].mean, 1.0);
      EXPECT_DOUBLE_EQ(m.value[1].mean, 1.0);
      EXPECT_EQ(m.diff[1].mean, 0.0);
    }
  }
  EXPECT_EQ(seen, 2);
}

// Task kinds follow the roles, by name, then the guidelines that created a task: each count the
// mean over replicates, its difference paired; a kind one configuration lacks is undefined there.
TEST(Compare, TaskKindsByNameAndGuidelinesThatCreatedTasks) {
  ReplicateResult r;
  r.villages.resize(1);
  r.guidelines.resize(kGuidelineSlots);
  r.tasks.resize(2);
  std::vector<ReplicateResult> a(3, r), b(3, r);
  for (int k = 0; k < 3; ++k) {
    a[size_t(k)].tasks[0] = {10 + k, 9 + k, 1, 120};  // screening: created, done, late, minutes
    a[size_t(k)].tasks[1] = {4, 4, 0, 30};            // sweep
    a[size_t(k)].guidelines[4] = {14 + k, 1};
    b[size_t(k)].tasks[0] = {4, 4, 0, 60};  // b lists sweep first, and has no screening
    b[size_t(k)].tasks.resize(1);
    b[size_t(k)].guidelines[4] = {4 + 2 * k, 0};
  }
  const auto ms = compare_runs({a, b}, {}, {{"screening", "sweep"}, {"sweep"}});
  auto find = [&](const std::string& scope, const std::string& name) -> const ComparedMetric& {
    for (const auto& m : ms)
      if (m.scope == scope && m.name == name) return m;
    ADD_FAILURE() << scope << " " << name;
    return ms.front();
  };
  EXPECT_DOUBLE_EQ(find("task:screening", "tasks_created").value[0].mean, 11.0);
  EXPECT_EQ(find("task:screening", "tasks_created").value[1].n, 0);  // b has no screening
  EXPECT_EQ(find("task:screening", "hours_worked").unit, "hours");
  EXPECT_DOUBLE_EQ(find("task:screening", "hours_worked").value[0].mean, 2.0);
  EXPECT_DOUBLE_EQ(find("task:sweep", "tasks_created").value[1].mean, 4.0);
  EXPECT_DOUBLE_EQ(find("task:sweep", "hours_worked").diff[1].mean, 0.5);  // 60 - 30 minutes
  const auto& g = find("guideline:4", "tasks_created");
  EXPECT_DOUBLE_EQ(g.diff[1].mean, -9.0);  // (4, 6, 8) - (14, 15, 16)
  EXPECT_EQ(g.diff[1].n, 3);
  EXPECT_EQ(g.unit, "tasks");
  // Only guideline 4 created tasks: the other 26 are left out. Scopes in order: region, tasks, guideline.
  size_t guidelines = 0;
  for (const auto& m : ms) guidelines += m.scope.starts_with("guideline:");
  EXPECT_EQ(guidelines, std::size(kComparedGuidelineMetrics));
  EXPECT_EQ(ms.back().scope, "guideline:4");
}

}  // namespace
}  // namespace vg::metrics
