// The figures of plan's check that are sums over replicates made means, the binding targets, and the
// search's small rules (replicates needed, the next window, first-day metrics):
// helpers of Planner (plan.cpp), apart so that each file stays short. Not part of the
// analysis interface: include plan.h.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/plan.h"
#include "metrics/results.h"

namespace vg::sim::detail {

// One replicate's villages' supplies and funds added to the check's sums (the region's, and each
// village's when the policy names supplies).
void add_supplies(PlanCheck& c, const std::vector<metrics::VillageTotals>& villages);
// Sums over replicates, then the means: as `run` takes them (a mean of 99.45 prints 99.5 in both,
// where adding each replicate's share of it printed 99.4).
void mean_supplies(PlanCheck& c, int n);
// The region's binding target: the one held least often, when one fails in some replicate (a
// target held in every replicate binds nowhere); each part's the same on its own metrics (its
// shares made means here).
void binding_targets(PlanCheck& c, int n);
// An answer whose share of replicates meeting the targets (part_met of n) is not clearly above the
// share asked: the 95% interval of that share reaches below it, so more replicates may well fail
// it (a newcomer's answer held in 90% of 20, 60 and 100 replicates, each time a different roster,
// and in 171 of 200 on a confirming run). A warning of the part, not hidden in the check's line.
void warn_unsettled(std::vector<PlanPart>& parts, const std::vector<int>& part_met, int n, double share);
// The warning of a part whose top of the ranges failed the targets (top: met of n) while a roster
// with no more of any role than `limit` met them, so the search was rerun below it; with both
// shares, settled (the answer's, when there is one, as met of n), and where their intervals
// overlap, that the difference may be chance rather than a dip.
std::string searched_below_warning(const std::string& top, const std::string& limit, std::pair<int, int> top_met,
                                   std::optional<std::pair<int, int>> answer_met);

// The fewest replicates of `n` that must meet the targets: the smallest m with m / n >= share.
int needed(int n, double share);
// The replicates a roster is run on next: [n, next_end(n)).
int next_end(int n, int total, const PlanRequest& req);

}  // namespace vg::sim::detail
