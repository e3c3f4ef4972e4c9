// Comparing configurations run with common random numbers: replicate k of every configuration
// sees the same returnees, origins and arrival times (streams are keyed by seed, replicate and
// person, never by anything a configuration changes), so differences are paired per replicate
// and their intervals are far narrower than those of independent runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/results.h"
#include "metrics/summary.h"

namespace vg::metrics {

struct Interval {
  double mean = 0, lo = 0, hi = 0;  // estimate and two-sided 95% confidence interval
  int n = 0;                        // replicates with a defined value
  // A pooled share's difference: the most of either configuration's denominator that one replicate
  // holds (one outbreak's cases). Above a half, the interval from the replicates' spread says
  // little: the replicate that dominates the pooled share has a residual near zero by construction.
  double top_share = 0;
};

// Student-t 97.5% quantile with `df` degrees of freedom (Cornish-Fisher expansion around the
// normal quantile; within 0.2% of tables for df >= 3, exact-table values below).
double t_quantile_975(int df);
// Mean and 95% interval (Student t) of the finite values.
Interval mean_interval(const std::vector<double>& values);
// The share k / n with its Wilson score 95% interval, which stays within [0, 1]; NaN when n is 0.
// `n` of the result is left 0 (the caller knows over how many replicates k and n were pooled).
Interval wilson_interval(double k, double n);

struct ComparedMetric {
  std::string name, unit;
  // "region"; "village:NAME", a village's alone (the region's metrics); a role's name (kRoleMetrics);
  // "task:NAME", a task kind's counts (kTaskCounts, its minutes as hours_worked); "guideline:N", a
  // guideline's (kGuidelineCounts).
  std::string scope;
  std::vector<Interval> value;  // per configuration
  std::vector<Interval> diff;   // per configuration: paired difference against the first (first: zero)
};

// A difference of pooled shares (configuration c against the first) that rests on one replicate:
// more than half of either configuration's denominator (cases, say: one outbreak) is one
// replicate's, so the interval from the spread over replicates understates the uncertainty.
inline bool rests_on_one_replicate(const ComparedMetric& m, size_t c) {
  return m.unit == "share" && c > 0 && c < m.diff.size() && m.diff[c].n > 0 && m.diff[c].top_share > 0.5;
}
inline constexpr std::string_view kOneReplicateNote =
    "more than half of a pooled share's denominator (its cases, say: one outbreak) is one replicate's, in the "
    "first configuration or this one, so the interval, from the spread over replicates, understates the "
    "uncertainty: read the difference as unsettled and run more replicates";

// Per-replicate region metrics (kVillageMetrics), then each role's (kRoleMetrics) for every role
// name of `roles` (roles[c]: configuration c's, in its ReplicateResult order; a role a
// configuration lacks is undefined there), of each configuration; then each task kind's counts for
// every name of `tasks` (tasks[c]: configuration c's kinds, in ReplicateResult::tasks' order; a
// kind a configuration lacks is undefined there), and each guideline's that created a task in some
// replicate of some configuration.
//
// A region share is the pooled share (its numerator summed over replicates over its denominator
// summed) with a Wilson interval, and its difference the difference of pooled shares with a paired
// interval from the replicates' linearised residuals; a share of replicates (a 0/1 role metric)
// the same with each replicate one trial; every other metric the mean with a Student t interval,
// and its difference the mean of the per-replicate differences. A value's interval ends at 0: no
// metric is negative (a mean of counts near 0 would otherwise reach below it).
//
// `villages`: villages to compare on their own (scope "village:NAME", after the region's), each with
// its index in each configuration's ReplicateResult::villages (none: undefined there), every region
// metric over that village alone, as the region's.
struct ComparedVillage {
  std::string name;
  std::vector<std::optional<size_t>> index;  // per configuration
};
std::vector<ComparedMetric> compare_runs(const std::vector<std::vector<ReplicateResult>>& runs,
                                         const std::vector<std::vector<std::string>>& roles = {},
                                         const std::vector<std::vector<std::string>>& tasks = {},
                                         const std::vector<ComparedVillage>& villages = {});

// The metrics of a task kind's scope ("task:NAME"), then of a guideline's ("guideline:N"), in order.
inline constexpr const char* kComparedTaskMetrics[] = {"tasks_created", "tasks_done", "tasks_late", "hours_worked"};
inline constexpr const char* kComparedGuidelineMetrics[] = {"tasks_created", "tasks_late"};

}  // namespace vg::metrics
