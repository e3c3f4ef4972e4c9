// Comparing configurations run with common random numbers: replicate k of every configuration
// sees the same returnees, origins and arrival times (streams are keyed by seed, replicate and
// person, never by anything a configuration changes), so differences are paired per replicate
// and their intervals are far narrower than those of independent runs.
#pragma once

#include <string>
#include <vector>

#include "metrics/results.h"
#include "metrics/summary.h"

namespace vg::metrics {

struct Interval {
  double mean = 0, lo = 0, hi = 0;  // mean and two-sided 95% confidence interval
  int n = 0;                        // replicates with a defined value
};

// Student-t 97.5% quantile with `df` degrees of freedom (Cornish-Fisher expansion around the
// normal quantile; within 0.2% of tables for df >= 3, exact-table values below).
double t_quantile_975(int df);
// Mean and 95% interval of the finite values.
Interval mean_interval(const std::vector<double>& values);

struct ComparedMetric {
  std::string name, unit;
  std::vector<Interval> value;  // per configuration
  std::vector<Interval> diff;   // per configuration: paired difference against the first (first: zero)
};

// Per-replicate region metrics of each configuration (all with the same replicate count).
std::vector<ComparedMetric> compare_runs(const std::vector<std::vector<ReplicateResult>>& runs);

}  // namespace vg::metrics
