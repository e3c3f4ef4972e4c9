#include "analysis/plan_search.h"

#include <algorithm>

namespace vg::sim {

bool cheaper(const GridPoint& a, double cost_a, const GridPoint& b, double cost_b) {
  if (cost_a != cost_b) return cost_a < cost_b;
  for (size_t k = a.size(); k-- > 0;)  // the odometer: the last role is the most significant
    if (a[k] != b[k]) return a[k] < b[k];
  return false;
}

namespace {

std::vector<int> clamp_sizes(const std::vector<int>& sizes) {
  std::vector<int> n(sizes);
  for (int& x : n) x = std::max(1, x);
  return n;
}

// Every point of the grid in odometer order (the first role fastest).
std::vector<GridPoint> all_points(const std::vector<int>& n) {
  std::vector<GridPoint> out;
  GridPoint p(n.size(), 0);
  while (true) {
    out.push_back(p);
    size_t k = 0;
    for (; k < p.size(); ++k) {
      if (++p[k] < n[k]) break;
      p[k] = 0;
    }
    if (k == p.size()) return out;
  }
}

class Smart {
 public:
  Smart(const std::vector<int>& n, const CostOf& cost, const Oracle& feasible)
      : n_(n), cost_(cost), feasible_(feasible) {}

  // The fewest of role d that work with the others as in p, knowing p[d] = hi works. With
  // `gallop`, steps down from hi by 1, 2, 4, ... first (the staircase's next step is usually close).
  // Only values from `lo` up are asked about (those below are known to fail).
  int bisect(GridPoint p, size_t d, int hi, bool gallop = false, int lo = 0) {
    for (int step = 1; gallop && lo < hi; step *= 2) {
      p[d] = std::max(lo, hi - step);
      if (!feasible_(p)) {
        lo = p[d] + 1;
        break;
      }
      hi = p[d];
    }
    while (lo < hi) {
      p[d] = lo + (hi - lo) / 2;
      if (feasible_(p))
        hi = p[d];
      else
        lo = p[d] + 1;
    }
    return hi;
  }

  // Whether p would beat the best so far.
  bool beats(const GridPoint& p) const { return cheaper(p, cost_(p), best_, best_cost_); }

  void consider(const GridPoint& p) {
    if (beats(p)) {
      best_ = p;
      best_cost_ = cost_(p);
    }
  }

  // The fewest of role b that work on p's line, at most ub (-1: none), asking first at `guess`
  // and one below it: on a regular frontier, two questions a line.
  int line_min(GridPoint p, size_t b, int ub, int guess) {
    p[b] = std::clamp(guess, 0, ub);
    if (feasible_(p)) return bisect(p, b, p[b], true);
    const int lo = p[b] + 1;
    if (lo > ub) return -1;
    p[b] = ub;
    if (!feasible_(p)) return -1;
    return bisect(p, b, ub, false, lo);
  }

  // The fewest of role a that work at t (t works): galloping up from 0 (1, 2, 4, ... values up:
  // no more questions than walking the lines one by one would ask while it is near), then bisection.
  int first_line(GridPoint t, size_t a) {
    int lo = 0, hi = t[a];
    for (int step = 1; lo < hi; step *= 2) {
      t[a] = std::min(hi, lo + step - 1);
      if (feasible_(t)) {
        hi = t[a];
        break;
      }
      lo = t[a] + 1;
    }
    return bisect(t, a, hi, false, lo);
  }

  // The staircase over roles a and b with the other roles as in `prefix`.
  void staircase(GridPoint p, size_t a, size_t b) {
    int hi_b = n_[b] - 1, drop = 0;
    p[a] = 0;
    p[b] = 0;
    if (!beats(p)) return;  // the sub-grid's cheapest point, and so all of it, costs more than the best
    // The sub-grid's top: when it fails, so does every point of it. Else the walk starts at the
    // first line with a point that works (every line before it fails whole).
    GridPoint t = p;
    t[a] = n_[a] - 1;
    t[b] = n_[b] - 1;
    if (!feasible_(t)) return;
    const int first = first_line(t, a);
    for (int x = first; x < n_[a]; ++x) {
      p[a] = x;
      p[b] = 0;
      if (!beats(p)) return;  // the rest of the line, and every later line, costs more
      int ub = hi_b;          // the most of b that would still beat the best
      p[b] = ub;
      while (ub > 0 && !beats(p)) p[b] = --ub;
      if (!beats(p)) continue;
      const bool opening = hint_ >= 0 && x == first;  // where the last staircase began
      const int found = line_min(p, b, ub, opening ? hint_ : hi_b - drop);
      if (found < 0) continue;
      if (x == first) hint_ = found;
      drop = hi_b - found;
      hi_b = found;
      p[b] = found;
      consider(p);
    }
  }

  std::optional<GridPoint> run(size_t exact_limit) {
    GridPoint top(n_.size());
    for (size_t k = 0; k < n_.size(); ++k) top[k] = n_[k] - 1;
    if (!feasible_(top)) return std::nullopt;
    best_ = top;
    best_cost_ = cost_(top);
    std::vector<size_t> dims;  // roles with more than one value
    for (size_t k = 0; k < n_.size(); ++k)
      if (n_[k] > 1) dims.push_back(k);
    if (dims.empty()) return best_;
    if (dims.size() == 1) {
      GridPoint p = top;
      p[dims[0]] = bisect(p, dims[0], top[dims[0]]);
      consider(p);
      return best_;
    }
    const size_t a = dims[dims.size() - 2], b = dims.back();
    size_t lines = size_t(n_[a]);
    for (size_t i = 0; i + 2 < dims.size(); ++i) lines = std::min(exact_limit + 1, lines * size_t(n_[dims[i]]));
    if (lines <= exact_limit) {
      std::vector<int> outer_sizes(n_.size(), 1);
      for (size_t i = 0; i + 2 < dims.size(); ++i) outer_sizes[dims[i]] = n_[dims[i]];
      for (const GridPoint& q : all_points(outer_sizes)) staircase(q, a, b);
      return best_;
    }
    // Too many lines to walk: coordinate descent, a roster from which no single role can drop.
    GridPoint p = top;
    for (bool moved = true; moved;) {
      moved = false;
      for (size_t d : dims) {
        const int x = bisect(p, d, p[d]);
        moved = moved || x < p[d];
        p[d] = x;
      }
    }
    consider(p);
    return best_;
  }

  // Whether the walk is exact for these sizes.
  static bool exact(const std::vector<int>& n, size_t exact_limit) {
    std::vector<size_t> dims;
    for (size_t k = 0; k < n.size(); ++k)
      if (n[k] > 1) dims.push_back(k);
    size_t lines = 1;
    for (size_t i = 0; i + 1 < dims.size(); ++i) lines = std::min(exact_limit + 1, lines * size_t(n[dims[i]]));
    return lines <= exact_limit;
  }

 private:
  std::vector<int> n_;
  const CostOf& cost_;
  const Oracle& feasible_;
  GridPoint best_;
  double best_cost_ = 0;
  int hint_ = -1;  // the fewest of b on the previous staircase's first line
};

}  // namespace

std::optional<GridPoint> search_exhaustive(const std::vector<int>& sizes, const CostOf& cost, const Oracle& feasible) {
  std::vector<std::pair<double, GridPoint>> order;
  for (GridPoint& p : all_points(clamp_sizes(sizes))) order.emplace_back(cost(p), std::move(p));
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::optional<GridPoint> found;
  double found_cost = 0;
  for (const auto& [c, p] : order) {
    if (found && c > found_cost) break;
    if (feasible(p) && !found) {
      found = p;
      found_cost = c;
    }
  }
  return found;
}

bool smart_search_is_exact(const std::vector<int>& sizes, size_t exact_limit) {
  return Smart::exact(clamp_sizes(sizes), exact_limit);
}

std::optional<GridPoint> search_smart(const std::vector<int>& sizes, const CostOf& cost, const Oracle& feasible,
                                      size_t exact_limit) {
  return Smart(clamp_sizes(sizes), cost, feasible).run(exact_limit);
}

std::vector<GridPoint> failures_to_confirm(const std::vector<int>& sizes, const CostOf& cost, const GridPoint& answer,
                                           const std::vector<GridPoint>& settled,
                                           const std::vector<GridPoint>& provisional) {
  auto below = [](const GridPoint& a, const GridPoint& b) {
    for (size_t k = 0; k < a.size(); ++k)
      if (a[k] > b[k]) return false;
    return true;
  };
  const double answer_cost = cost(answer);
  std::vector<GridPoint> open;  // cheaper points not yet under a settled failure
  for (GridPoint& c : all_points(clamp_sizes(sizes)))
    if (cheaper(c, cost(c), answer, answer_cost) &&
        std::none_of(settled.begin(), settled.end(), [&](const GridPoint& q) { return below(c, q); }))
      open.push_back(std::move(c));
  std::vector<GridPoint> chosen;
  std::vector<char> used(provisional.size(), 0);
  while (!open.empty()) {
    size_t best = provisional.size(), most = 0;
    for (size_t i = 0; i < provisional.size(); ++i) {
      if (used[i]) continue;
      const auto n =
          size_t(std::count_if(open.begin(), open.end(), [&](const GridPoint& c) { return below(c, provisional[i]); }));
      if (n > most) {
        most = n;
        best = i;
      }
    }
    if (best == provisional.size()) break;  // nothing covers the rest (the search ruled them out otherwise)
    used[best] = 1;
    chosen.push_back(provisional[best]);
    std::erase_if(open, [&](const GridPoint& c) { return below(c, provisional[best]); });
  }
  return chosen;
}

}  // namespace vg::sim
