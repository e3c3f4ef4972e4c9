// `villagegrid plan`: the smallest roster (by a stated cost) that meets every target in at least a
// given share of replicates. Candidates vary the headcount of chosen roles; all are run with the
// same seed and replicates (common random numbers), so they are compared on the same returnees.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/expr.h"
#include "sim/model.h"

namespace vg::store {
class ResultsStore;
}

namespace vg::sim {

// ROLE=MIN..MAX[:STEP]: the headcount of ROLE in every roster (village or town) that lists it.
struct VarySpec {
  std::string role;
  int min = 0, max = 0, step = 1;
};

enum class PlanCost { Headcount, Hours };

struct PlanRequest {
  std::vector<std::string> targets;  // conditions over region metrics, e.g. "screened_within_24h_share >= 0.95"
  std::vector<VarySpec> vary;
  double required_share = 0.9;  // share of replicates in which every target must hold
  PlanCost cost = PlanCost::Headcount;
  size_t max_candidates = 20000;
};

struct Candidate {
  std::vector<int> counts;           // per varied role
  double cost = 0;                   // total headcount or daily staff-hours of the whole roster
  double share_met = 0;              // share of replicates meeting every target
  std::vector<double> target_share;  // per target: share of replicates in which it held
  std::vector<double> metric_means;  // per metric of `metric_names`
  bool evaluated = false;
  bool feasible = false;
};

struct PlanResult {
  std::vector<std::string> metric_names;
  std::vector<std::vector<int>> target_metrics;  // per target: the metrics (indices) its condition reads
  std::vector<Candidate> candidates;             // every candidate evaluated, cheapest first
  std::optional<size_t> best;                    // index of the cheapest feasible one
  std::vector<size_t> runners_up;                // the closest infeasible ones at most as costly, best first
};

// Parses "ROLE=MIN..MAX" or "ROLE=MIN..MAX:STEP"; errors go to diags (located in a pseudo-file
// named after the flag, so the caret shows the offending part).
std::optional<VarySpec> parse_vary(const std::string& text, Diagnostics& diags);

// Checks the request against the model (roles, targets) and runs the search: candidates in order
// of cost, evaluated until the cheapest feasible cost level is complete. Throws InputError.
// With a results store, each roster tried is a configuration of it (in the order tried), and the
// replicates it holds are read back instead of simulated.
PlanResult run_plan(const Model& base, const PlanRequest& request, Diagnostics& diags,
                    store::ResultsStore* store = nullptr);

}  // namespace vg::sim
