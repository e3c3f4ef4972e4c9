// Plan's rosters: the parts of a region that can be planned on their own, what a --vary value
// means in a part's rosters (headcount per roster, per residents or per town, split over the
// role's shift entries in proportion), the scenario's limits on them, and their cost.
#pragma once

#include <string>
#include <vector>

#include "analysis/plan.h"

namespace vg::sim {

// `total` shared over entries in proportion to `weights` (all zero: equally), by largest remainder,
// ties to the earlier entry. Deterministic; the parts add up to `total`.
std::vector<int> split_in_proportion(int total, const std::vector<int>& weights);

// The parts of the region, each with the values of every varied role within the scenario's limits
// (a value breaking one, such as more party_member staff than the village has party members, ends
// the role's values there and is said in out_of_range). Roles a part does not roster have no values.
std::vector<PlanPart> plan_parts(const Model& base, const PlanRequest& req);

// A part's roster: per varied role, an index into part.values[k] (ignored where that is empty).
using PartPoint = std::vector<int>;

// Sets the part's rosters in `s` (a copy of `base`) to `point`.
void apply_point(config::ScenarioSpec& s, const config::ScenarioSpec& base, const PlanRequest& req,
                 const PlanPart& part, const PartPoint& point);

// Headcount or daily staff-hours of the part's rosters (every role) at `point`, as they would run.
double part_cost(const config::ScenarioSpec& base, const PlanRequest& req, const PlanPart& part,
                 const PartPoint& point);

// Per varied role: the people of that role in the part's rosters at `point`, as they would run (the
// value itself with headcounts per roster in a village part, not with --per or --total; -1: the role
// is not rostered in the part).
std::vector<int> part_people(const config::ScenarioSpec& base, const PlanRequest& req, const PlanPart& part,
                             const PartPoint& point);

// Headcount or daily staff-hours of every roster of `s`.
double scenario_cost(const config::ScenarioSpec& s, PlanCost cost);

// "village_cadre=5, party_member=30" (roles a part does not roster left out).
std::string describe_point(const PlanRequest& req, const PlanPart& part, const PartPoint& point);

}  // namespace vg::sim
