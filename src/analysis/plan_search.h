// Plan's searches over one part's grid of rosters (a point: an index per varied role), written
// against an oracle that says whether a point meets the targets, or throws Pending when that is
// not known yet: run_plan reruns each part's search from the start once per round, evaluates every
// part's pending point in one run of the whole model, and stops when no search is pending. The
// searches are deterministic, so each rerun retraces the last one up to its new question.
#pragma once

#include <functional>
#include <optional>
#include <vector>

namespace vg::sim {

using GridPoint = std::vector<int>;

struct Pending {
  GridPoint point;
};

using Oracle = std::function<bool(const GridPoint&)>;
using CostOf = std::function<double(const GridPoint&)>;

// Points ordered by (cost, position in the odometer order with the first role fastest): the order
// the exhaustive search runs them in, and how ties between equally cheap answers are broken.
bool cheaper(const GridPoint& a, double cost_a, const GridPoint& b, double cost_b);

// Every point by cost; stops once the cheapest cost level with a feasible point is complete.
// `sizes`: values per role (0 counts as 1).
std::optional<GridPoint> search_exhaustive(const std::vector<int>& sizes, const CostOf& cost, const Oracle& feasible);

// The same answer when feasibility is monotone (more of any role never hurts), with far fewer
// questions: bisection for one role; for more, a staircase over the Pareto frontier of the last two
// roles (for each value of the first, the fewest of the second that work never rises) for every
// value of the others (a value whose top roster fails is skipped whole, and the walk starts at the
// first line with a roster that works, found by bisection, asked first where the previous
// walk's first line ended), when those lines number at most `exact_limit`; else
// coordinate descent from the top (each role in turn bisected down to its fewest, until none moves): a roster from
// which no single role can drop, not always the cheapest. Questions whose answer would not change the result (points
// dearer than the best so far) are not asked. Whether search_smart walks the whole frontier for these sizes (else:
// coordinate descent only).
bool smart_search_is_exact(const std::vector<int>& sizes, size_t exact_limit = 4096);

std::optional<GridPoint> search_smart(const std::vector<int>& sizes, const CostOf& cost, const Oracle& feasible,
                                      size_t exact_limit = 4096);

// What proves `answer` the cheapest point that works, when feasibility is monotone: every point
// cheaper than it (by `cheaper`) must lie below a point that fails. Given the points known to fail
// for certain (`settled`) and those only thought to (`provisional`), returns the provisional ones
// to make certain: a few covering every cheaper point the settled ones do not (greedy, the one
// covering most first; ties to the earlier in `provisional`).
std::vector<GridPoint> failures_to_confirm(const std::vector<int>& sizes, const CostOf& cost, const GridPoint& answer,
                                           const std::vector<GridPoint>& settled,
                                           const std::vector<GridPoint>& provisional);

}  // namespace vg::sim
