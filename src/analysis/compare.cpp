#include "analysis/compare.h"

#include <cmath>
#include <limits>

namespace vg::metrics {

double t_quantile_975(int df) {
  static constexpr double kTable[] = {0,      12.7062, 4.3027, 3.1824, 2.7764, 2.5706,
                                      2.4469, 2.3646,  2.3060, 2.2622, 2.2281};
  if (df <= 0) return std::numeric_limits<double>::quiet_NaN();
  if (df <= 10) return kTable[df];
  const double z = 1.959963984540054, n = df;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

Interval mean_interval(const std::vector<double>& values) {
  Interval iv;
  double sum = 0;
  for (double x : values)
    if (std::isfinite(x)) {
      sum += x;
      ++iv.n;
    }
  if (iv.n == 0) {
    iv.mean = iv.lo = iv.hi = std::numeric_limits<double>::quiet_NaN();
    return iv;
  }
  iv.mean = sum / iv.n;
  if (iv.n == 1) {
    iv.lo = iv.hi = iv.mean;  // no spread to estimate from one replicate
    return iv;
  }
  double ss = 0;
  for (double x : values)
    if (std::isfinite(x)) ss += (x - iv.mean) * (x - iv.mean);
  const double half = t_quantile_975(iv.n - 1) * std::sqrt(ss / (iv.n - 1) / iv.n);
  iv.lo = iv.mean - half;
  iv.hi = iv.mean + half;
  return iv;
}

std::vector<ComparedMetric> compare_runs(const std::vector<std::vector<ReplicateResult>>& runs) {
  std::vector<ComparedMetric> out;
  if (runs.empty() || runs[0].empty()) return out;
  // values[config][metric][replicate]
  std::vector<std::vector<std::vector<double>>> values(runs.size());
  for (size_t c = 0; c < runs.size(); ++c) {
    for (const auto& rep : runs[c]) {
      auto row = replicate_metrics(rep, {});
      if (out.empty())
        for (const auto& [ns, v] : row) out.push_back({ns.name, ns.unit, {}, {}});
      values[c].resize(row.size());
      for (size_t m = 0; m < row.size(); ++m) values[c][m].push_back(row[m].second);
    }
  }
  for (size_t m = 0; m < out.size(); ++m) {
    for (size_t c = 0; c < runs.size(); ++c) {
      out[m].value.push_back(mean_interval(values[c][m]));
      std::vector<double> d;
      const auto& a = values[0][m];
      const auto& b = values[c][m];
      for (size_t r = 0; r < std::min(a.size(), b.size()); ++r) d.push_back(b[r] - a[r]);  // NaN if either undefined
      out[m].diff.push_back(mean_interval(d));
    }
  }
  return out;
}

}  // namespace vg::metrics
