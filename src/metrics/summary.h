// Aggregation over replicates: each metric's mean and 5th/95th percentiles (linear interpolation
// between order statistics, as numpy's default), plus which role runs out of hours first.
// Defined in docs/metrics.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/results.h"

namespace vg::metrics {

struct Stat {
  double mean = 0, p5 = 0, p95 = 0;
  int n = 0;  // replicates with a defined value (a share with a zero denominator is undefined)
};

// Mean and percentiles of the finite values; n = 0 when none is.
Stat describe(std::vector<double> values);
// Linear-interpolation percentile of sorted values, q in [0, 1].
double percentile_sorted(const std::vector<double>& sorted, double q);

struct NamedStat {
  std::string name;
  std::string unit;  // "people", "share", "hours", "tasks", "day"
  Stat stat;
};

// The statistic of the metric named `name` (one of the table's: a programming error otherwise).
const Stat& stat_of(const std::vector<NamedStat>& metrics, std::string_view name);

struct RoleSummary {
  std::string role;
  std::vector<NamedStat> metrics;  // kRoleMetrics' (metric_table.h), in order; a share's in `mean`
  const Stat& stat(std::string_view name) const { return stat_of(metrics, name); }
};

struct VillageSummary {
  std::string name, town;
  std::vector<NamedStat> metrics;
};

struct GuidelineSummary {
  int guideline = 0;               // 0: tasks of rules without a guideline number, and tracking duties
  std::vector<NamedStat> metrics;  // kGuidelineCounts' (metric_table.h), in order
};

struct TaskSummary {
  std::string task;                // the task's name in the policy
  int guideline = 0;               // of the rule that creates it (0: none, or a tracking duty)
  std::vector<NamedStat> metrics;  // tasks_created, tasks_done, tasks_late, hours_worked
};

// A supply a village ran out of: a day ended with none of a supply its tasks or monitoring use.
struct SupplyStockout {
  std::string village, town, supply;
  Stat days;       // days ended out of it, over every replicate
  Stat first_day;  // the first such day, over the replicates in which there was one
};

struct Summary {
  std::vector<NamedStat> metrics;            // whole region
  std::vector<VillageSummary> towns;         // per town (name in `name`, `town` empty)
  std::vector<GuidelineSummary> guidelines;  // those with any task
  std::vector<TaskSummary> tasks;            // by task kind, those with any task created
  std::vector<RoleSummary> roles;
  std::vector<VillageSummary> villages;
  // Roles among the first to run out of hours in at least half of the replicates, most often
  // first first (ties: more hours worked); empty when no role ran out in most replicates.
  std::vector<std::string> first_roles_out;
  std::vector<double> first_roles_out_share;
  double first_day_out_mean = 0;  // mean over replicates in which some role ran out
  // Village and supply pairs out in some replicate, in village then supply order: filled from the
  // daily rows by io::add_supply_stockouts (which knows the programs' supplies), `run` only.
  std::vector<SupplyStockout> supplies_out;
  int replicates = 0;
};

// Per-replicate scalar metrics of a set of villages (all when `villages` is empty).
std::vector<std::pair<NamedStat, double>> replicate_metrics(const ReplicateResult& r,
                                                            const std::vector<size_t>& villages);
// Their values alone, in the same order, into `out` (replaced): no names made.
void replicate_metric_values(const ReplicateResult& r, const std::vector<size_t>& villages, std::vector<double>& out);
// The same, and per metric why it is undefined where it is (VillageMetric::undefined; -1 where
// defined): how plan's targets read it (docs/planning.md).
void replicate_metric_values(const ReplicateResult& r, const std::vector<size_t>& villages, std::vector<double>& out,
                             std::vector<int8_t>& undefined);

// `tasks`: each task kind's name and guideline, in the program's order (ReplicateResult::tasks).
Summary summarise(const std::vector<ReplicateResult>& reps, const std::vector<std::string>& role_names,
                  const std::vector<std::string>& village_names, const std::vector<std::string>& village_towns,
                  const std::vector<std::pair<std::string, int>>& tasks = {});

// The roles that ran out of hours first in one replicate: all those whose first day out of hours
// is the earliest (roles sharing one pool of work run out together). Empty when none ran out.
std::vector<int> first_roles_out(const ReplicateResult& r);

}  // namespace vg::metrics
