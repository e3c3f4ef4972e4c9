// `plan`'s request checked against the model (plan.cpp): the roles it varies and its targets.
#pragma once

#include <vector>

#include "analysis/plan.h"

namespace vg::sim {

// Roles to vary must be rostered somewhere in the scenario, each given once.
void check_varied_roles(const Model& base, const PlanRequest& req, Diagnostics& d);

// Targets: conditions over the metrics of one replicate, compiled; result.metric_names and
// result.target_metrics filled. A share compared with a number outside 0..1 is an error.
std::vector<rules::CompiledExpr> compile_targets(const Model& m, const PlanRequest& req, PlanResult& result,
                                                 Diagnostics& d);

}  // namespace vg::sim
