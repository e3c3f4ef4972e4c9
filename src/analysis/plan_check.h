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
#include "analysis/plan_runs.h"
#include "metrics/results.h"

namespace vg::sim::detail {

// What one replicate says of a set of villages: every metric, and which targets held.
struct Scored {
  std::vector<double> row;
  std::vector<int8_t> undefined;  // per metric: why undefined (metrics::Undefined), -1 where defined
  std::vector<char> held;
  std::vector<char> nothing;  // per target: a metric it reads had nothing to measure
  bool all = true;
};

// The targets and the metrics each reads (PlanResult::target_metrics).
struct Targets {
  const std::vector<rules::CompiledExpr>& exprs;
  const std::vector<std::vector<int>>& reads;
};

// A metric undefined in the replicate reads as its reason says (metrics::Undefined): due and never
// come, later than any day or hour (`first_stockout_day >= 5` holds where no supply ran out, and
// `detection_delay_days <= 5` fails where no case was detected); a share of what was due with
// none of it, 0; nothing to measure (no returnee, no case), a comparison on it holds there, as a
// rule over no one, and `and`, `or`, `not` combine the comparisons as they are; not modelled, it
// fails. Only for the targets: the row keeps it undefined, out of the means.
Scored score_replicate(const metrics::ReplicateResult& rep, const std::vector<size_t>& villages,
                       const Targets& targets);
// The same, from the totals of the villages' town (villages: indices in the town).
Scored score_town(const TownTotals& town, const std::vector<size_t>& villages, const Targets& targets);

// Replicates scored: how many met every target, each target, and each metric's sum where defined.
struct Tally {
  int n = 0, met = 0;
  std::vector<int> held;
  std::vector<double> sums;
  std::vector<int> defined;

  void add(const Scored& s);
  double mean(size_t metric) const;  // NaN where defined in none
};

// The roles a part's answer (`now`) runs fewer of than the scenario (`was`) in the part's villages
// (global indices) or their towns' own rosters, as "Pushan party_member 60 -> 10".
std::vector<std::string> lowered_roles(const config::ScenarioSpec& was, const config::ScenarioSpec& now,
                                       const std::vector<size_t>& villages);
// A part whose answer runs fewer staff than the scenario (`lowered`) and does much worse than the
// scenario's own roster, on the same replicates, at work that no target reads (late tasks, the
// shares screened in 24 h, tracked in full, households contacted, found): plan finds the cheapest
// roster that meets the targets, and nothing else, so the warning says what it gave up ("" when
// nothing got much worse).
// The replicates the scenario's own roster is run on for that comparison (the first ones; the
// answer's means are taken on the same): enough for a warning of much worse, at a fraction of
// the check's cost (the 12-village town's check is 200 replicates).
inline constexpr int kScenarioReplicates = 40;
std::string worse_than_scenario(const Tally& scenario, const Tally& answer,
                                const std::vector<std::vector<int>>& target_reads,
                                const std::vector<std::string>& lowered);

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

// Per part and target in the check: replicates with something to measure and those of them it
// held in, and those with nothing to measure in which it held.
struct Measured {
  int measured = 0, held = 0, held_with_nothing = 0;
};
// The check's scores by part: the tallies compare_with_scenario reads (the first
// kScenarioReplicates replicates) and what each target measured.
struct PartScores {
  std::vector<Tally> tallies;
  std::vector<std::vector<Measured>> measured;
  PartScores(size_t parts, size_t targets) : tallies(parts), measured(parts, std::vector<Measured>(targets)) {}
  // Replicate r's score of part i, here and into c (part_met, part_target_share, metric_undefined).
  void add(size_t i, size_t r, const Scored& s, PlanCheck& c);
};
// One replicate's hours by role into the check's means (n replicates of horizon_days).
void add_role_hours(PlanCheck& c, const metrics::ReplicateResult& rep, int horizon_days, int n);

// A part's target that held where it had nothing to measure (no case to time) and, in the
// replicates with something to measure, in fewer than the share asked (or there were none): a
// warning of the part, since the share met rests on replicates that say nothing of the roster.
void warn_nothing_to_measure(std::vector<PlanPart>& parts, const std::vector<std::vector<Measured>>& measured, int n,
                             const PlanRequest& req);

// The fewest replicates of `n` that must meet the targets: the smallest m with m / n >= share.
int needed(int n, double share);
// The replicates a roster is run on next: [n, next_end(n)).
int next_end(int n, int total, const PlanRequest& req);

}  // namespace vg::sim::detail
