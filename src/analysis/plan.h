// `villagegrid plan`: the smallest roster (by a stated cost) that meets every target in at least a
// given share of replicates, found for each part of the region that can be planned on its own (a
// village whose town has no staff of its own, else a town) and combined into one roster.
// Candidates are run with the same seed and replicates (common random numbers), so they are
// compared on the same returnees; docs/planning.md has the semantics and the search.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/expr.h"
#include "sim/model.h"

namespace vg::store {
class ResultsStore;
}

namespace vg::sim {

// ROLE=MIN..MAX[:STEP]: values of the role's headcount (what the value means: VaryMode).
struct VarySpec {
  std::string role;
  int min = 0, max = 0, step = 1;
};

// What a --vary value counts. PerRoster: the role's headcount in each roster that lists it (a
// village's, or a town's own); PerResidents: the headcount per `per` residents of each roster
// (rounded to the nearest person); TownTotal: the role's headcount over a whole town (its own
// roster and its villages'). In each roster (or town) the headcount is split over the role's
// shift entries (cohorts) in proportion to their counts in the scenario.
enum class VaryMode { PerRoster, PerResidents, TownTotal };

enum class PlanCost { Headcount, Hours };

// Smart: bisection or a staircase per part (headcount effects are monotone), sequential stopping;
// Exhaustive: every candidate in cost order on every replicate until the cheapest feasible level is
// complete (the reference the smart search is tested against).
enum class PlanSearch { Smart, Exhaustive };

// The largest --per (residents a rate is per) plan accepts.
constexpr int kMaxPerResidents = 10'000'000;

struct PlanRequest {
  std::vector<std::string> targets;  // conditions over metrics, e.g. "screened_within_24h_share >= 0.95"
  std::vector<VarySpec> vary;
  double required_share = 0.9;  // share of replicates in which every target must hold
  PlanCost cost = PlanCost::Headcount;
  VaryMode mode = VaryMode::PerRoster;
  int per = 1000;  // residents, with VaryMode::PerResidents
  PlanSearch search = PlanSearch::Smart;
  // Sequential stopping of the smart search: a roster's verdict is taken as soon as the Wilson
  // interval at this z excludes the required share; 0: only once all replicates could not change it.
  double stop_z = 2.576;
  size_t max_candidates = 20000;  // per part
  // Progress: replicates queued for a round, and each one finished (from a worker, never two at once).
  std::function<void(size_t)> on_queued{};
  std::function<void()> on_replicate{};
};

// One roster of one part, as evaluated.
struct Candidate {
  std::vector<int> counts;  // per varied role: the value (-1: the role is not rostered in the part)
  std::vector<int> people;  // per varied role: its people in the part's rosters, as simulated (-1: none)
  double cost = 0;          // headcount or daily staff-hours of the part's rosters, as simulated
  int replicates = 0;       // replicates it was run on (sequential stopping: often fewer than all)
  bool settled = true;      // false: a provisional verdict (smart search's screening) the answer does not rest on
  double share_met = 0;     // share of those meeting every target
  std::vector<double> target_share;  // per target: share of those in which it held
  std::vector<double> metric_means;  // per metric of `metric_names`, over those replicates
  bool feasible = false;             // the verdict
};

// A part of the region planned on its own: a village when its town has no staff of its own (and
// no town-level transmission couples its villages), else a town.
// How a part's warning that its answer does much worse than the scenario's own roster begins
// (detail::worse_than_scenario): said once for several parts on stderr, without their figures.
inline constexpr std::string_view kFewerAndWorse = "the answer runs fewer staff than the scenario (";
// The same for a part's target that held mostly where it had nothing to measure
// (detail::warn_nothing_to_measure): the phrase its warning holds.
inline constexpr std::string_view kNothingToMeasure = " replicates with nothing to measure for it";

struct PlanPart {
  std::string name;
  std::string town;
  bool is_town = false;
  std::string only_village;               // a town part of one village: its name (planners know villages)
  std::vector<size_t> villages;           // global indices of the villages whose metrics it is judged on
  std::vector<std::vector<int>> values;   // per varied role: the values in the scenario's limits
  std::vector<std::string> out_of_range;  // per varied role: why larger values were not run ("": none)
  std::vector<Candidate> candidates;      // evaluated, in the order first run
  // No roster of the ranges is within the scenario's limits (a role's every value out of range):
  // nothing of this part was run, and the combined roster keeps the scenario's own there.
  bool none_in_limits() const {
    return std::any_of(values.begin(), values.end(), [](const auto& v) { return v.empty(); });
  }
  std::optional<size_t> best;              // the answer
  std::vector<size_t> runners_up;          // closest that fell short, at most as costly, best first
  std::vector<std::string> binding_roles;  // varied roles one step below which the answer is known to fail
  size_t inferred = 0;                     // verdicts taken from monotonicity, not run
  std::vector<std::string> warnings;       // an answer at the bottom of a range; non-monotone results seen

  // A part without an answer: do more of the varied roles move what fails? The top roster against
  // the one with about half of each varied role, on the same replicates. For each target the top
  // fails (held in fewer than the required share of its replicates; every target if none alone
  // does), each metric the target reads, with its mean at both.
  struct Response {
    size_t target = 0;  // index in the request's targets
    size_t metric = 0;  // index in PlanResult::metric_names
    double half = 0, top = 0;
  };
  std::optional<size_t> half, top;  // the two rosters (indices in candidates), when both ran
  // Smart search: the top failed but the half roster met the targets (not monotone), so the search
  // was rerun on the rosters with no more of any role than this one (index in candidates).
  std::optional<size_t> searched_below;
  std::vector<Response> response;
  // False when doubling the varied roles moved no such metric by more than 1% of its value: what
  // keeps the targets out of reach is not these roles' hours, so wider ranges will not help.
  bool more_staff_helps = true;
};

// The combined roster, run on every replicate.
struct PlanCheck {
  int replicates = 0;
  int met = 0;                                         // replicates meeting every target on the region's metrics
  double lower = 0, upper = 0;                         // 95% Wilson interval of met / replicates
  std::vector<double> target_share;                    // per target, on the region's metrics
  std::optional<size_t> binding_target;                // the target held least often
  std::vector<int> part_met;                           // per part: replicates meeting every target on its own metrics
  std::vector<std::vector<double>> part_target_share;  // per part, per target: share held on its own metrics
  std::vector<std::optional<size_t>> part_binding;     // per part: its target held least often, if any fails
  // Every part on its own metrics together: replicates in which each part met all its targets (the
  // answer's verdict; the region's metrics sum counts over villages, which per-part targets do not
  // mean), its 95% Wilson interval, and the target held least often in some part, and that part.
  int parts_met = 0;
  double parts_lower = 0, parts_upper = 0;
  std::optional<size_t> parts_binding_target, parts_binding_part;
  std::vector<double> metric_means;  // region metrics
  std::vector<int> metric_defined;   // per region metric: replicates it was defined in
  // Per metric, per reason it was undefined (metrics::Undefined, in order): (part, replicate) pairs
  // of the check, on the parts' own metrics, as the targets read them (docs/planning.md).
  std::vector<std::array<int, 4>> metric_undefined;
  std::vector<double> hours_worked_per_day;              // per role: mean over replicates, whole region
  std::vector<double> hours_available_per_day;           // per role
  double money_spent = 0, funds_left = 0;                // yuan, mean over replicates, whole region
  double stockout_days = 0, tasks_without_supplies = 0;  // mean over replicates, summed over villages
  double requests_refused_for_funds = 0;                 // mean over replicates, summed over villages
  // Per village (global index), means over replicates: where the region's figures above fall.
  struct VillageSupplies {
    double money_spent = 0, funds_left = 0, stockout_days = 0, tasks_without_supplies = 0;
    double requests_refused_for_funds = 0, tasks_skipped_for_supplies = 0, monitoring_days_without_supplies = 0;
  };
  std::vector<VillageSupplies> village_supplies;  // empty when the policy names no supplies
  double cost = 0;                                // of the whole region's rosters, as simulated
  std::string bottleneck;                         // varied role most used among the binding ones
  // When a part has no answer: the role not varied that is most used (hours worked over available),
  // when more used than every varied role: it may be what binds, which no varied range can show.
  // Only a role that left work undone (minutes of its tasks late, or tracking-days its place in a
  // team was empty or its duty undone): one that did all its work holds nothing back.
  std::string busiest_unvaried;
  double busiest_unvaried_use = 0;
  std::vector<double> hours_late;         // per role: hours of tasks it could do that went late, mean over replicates
  std::vector<double> team_days_missing;  // per role: mean over replicates
  // False when no part has an answer and doubling the varied roles moves none of its failing
  // targets (PlanPart::more_staff_helps): no varied role is the bottleneck, and none is named.
  bool varied_roles_bind = true;
};

struct PlanResult {
  std::vector<std::string> metric_names;
  std::vector<std::vector<int>> target_metrics;  // per target: the metrics (indices) its condition reads
  std::vector<PlanPart> parts;
  config::ScenarioSpec answer;  // the scenario with the combined roster (parts without an answer: top of range)
  bool all_parts_answered = false;
  PlanCheck check;
  size_t evaluations = 0;           // (part, roster) pairs run, on however many replicates
  size_t candidates_in_ranges = 0;  // (part, roster) pairs within the ranges and limits
  size_t rounds = 0;                // runs of the whole model during the search (parts are run together)
  int64_t replicates_run = 0;       // replicates with a town simulated (or read back), search and check
  int64_t pairs_run = 0;            // (replicate, town) pairs simulated (or read back), search and check
  int64_t check_pairs_reused = 0;   // the check's pairs taken from the search (a town part's answer, same replicate)
};

// Parses "ROLE=MIN..MAX" or "ROLE=MIN..MAX:STEP"; errors go to diags (located in a pseudo-file
// named after the flag, so the caret shows the offending part).
std::optional<VarySpec> parse_vary(const std::string& text, Diagnostics& diags);

// Checks the request against the model (roles, targets), searches each part and runs the combined
// roster on every replicate. Throws InputError. With a results store, each run of the whole model
// is a configuration of it (in the order run), and the replicates it holds are read back instead of
// simulated.
PlanResult run_plan(const Model& base, const PlanRequest& request, Diagnostics& diags,
                    store::ResultsStore* store = nullptr);

// The 95% (z = 1.96) Wilson score interval of `met` successes in `n` trials.
std::pair<double, double> wilson_interval(int met, int n, double z = 1.96);

}  // namespace vg::sim
