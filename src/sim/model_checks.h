// The checks build_model makes of a scenario against its policy: work no roster can do, supplies
// never stocked, rules and returnees past the horizon, teams that cannot be filled (warnings), and
// what the policy needs of the grid (errors). Internal to the sim library.
#pragma once

#include <vector>

#include "core/diagnostics.h"
#include "rules/program.h"
#include "sim/model.h"
#include "spec/scenario.h"

namespace vg::sim::detail {

// Roles the policy needs that no roster provides: that work can never be done (warnings). Returns
// whether some task counts as screening.
bool warn_unstaffed_tasks(const config::ScenarioSpec& scenario, const rules::Program& prog,
                          const std::vector<TownRoster>& rosters, Diagnostics& d);
// A village none of whose staff, nor its town's, may do a task of its policy (warnings).
void warn_unstaffed_villages(const config::ScenarioSpec& scenario, const Model& m,
                             const std::vector<TownRoster>& rosters, Diagnostics& d);
void warn_unstocked_supplies(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d);
void warn_rules_after_horizon(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d);
void warn_after_horizon(const config::ScenarioSpec& scenario, Diagnostics& d);
void warn_short_teams(const config::ScenarioSpec& scenario, const rules::Program& prog,
                      const std::vector<TownRoster>& rosters, Diagnostics& d);
// A task name that a per-village policy defines otherwise than one before it (warnings).
void warn_task_kind_clashes(const Model& m, Diagnostics& d);
// `whose`: the per-village policy's words ("the policy of Nanba"), "" for the scenario's.
void check_grid_needs(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d,
                      const std::string& whose = "");
// Returnees to be found who arrive after the policy's last household visit (warnings).
void warn_arrivals_after_visits(const config::ScenarioSpec& scenario, const Model& m, Diagnostics& d);
// A grid level whose daily coordination in a village asks more hours than its leaders there have.
void warn_grid_hours(const Model& m, Diagnostics& d);

}  // namespace vg::sim::detail
