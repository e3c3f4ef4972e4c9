#include "analysis/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "analysis/plan_check.h"
#include "analysis/plan_request.h"
#include "analysis/plan_roster.h"
#include "analysis/plan_runs.h"
#include "analysis/plan_search.h"
#include "metrics/metric_table.h"
#include "metrics/summary.h"

namespace vg::sim {

std::pair<double, double> wilson_interval(int met, int n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double p = double(met) / n, z2 = z * z, denom = 1 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {
using detail::score_replicate;
using detail::score_town;
using detail::Scored;
using detail::Tally;
// What is known of one roster of a part: the replicates run so far (0 .. n-1) and the verdict,
// once settled; in the smart search, after its first replicates, a provisional verdict that steers
// the search until the answer is known to depend on it (`confirm`: run on until settled).
struct Eval : Tally {
  size_t order = 0;  // when first run
  std::optional<bool> verdict, provisional;
  bool confirm = false;
  std::map<int, TownTotals> kept;  // a town part's town, per replicate, while this may be the answer

  // The verdict the search reads: settled, else provisional unless it is being confirmed.
  std::optional<bool> steering() const { return verdict ? verdict : confirm ? std::nullopt : provisional; }
};

// The verdict once it is known: with all replicates run; or (sequential) as soon as the rest
// could not change it, or the Wilson interval at z excludes the required share.
std::optional<bool> decide(const Eval& e, int total, const PlanRequest& req) {
  const int need = detail::needed(total, req.required_share);
  if (e.n >= total) return e.met >= need && double(e.met) / total >= req.required_share;
  if (req.search == PlanSearch::Exhaustive) return std::nullopt;
  if (e.met >= need) return true;
  if (e.met + (total - e.n) < need) return false;
  if (req.stop_z > 0 && e.n >= 10) {
    const auto [lo, hi] = wilson_interval(e.met, e.n, req.stop_z);
    if (lo > req.required_share) return true;
    if (hi < req.required_share) return false;
  }
  return std::nullopt;
}

bool dominated_by(const GridPoint& a, const GridPoint& b) {  // a <= b in every role
  for (size_t k = 0; k < a.size(); ++k)
    if (a[k] > b[k]) return false;
  return true;
}

// One part's search state across rounds.
struct PartSearch {
  std::map<GridPoint, Eval> evals;
  std::set<GridPoint> inferred;  // in the latest pass
  bool done = false;
  std::optional<GridPoint> answer;
  std::optional<GridPoint> pending;
  // Set while the search runs below a roster that met the targets where the top of the ranges did
  // not (Planner::scan): only the rosters with no more of any role than this one, and only their
  // verdicts read (the top's failure would otherwise rule out every one of them).
  std::optional<GridPoint> limit;

  bool in_box(const GridPoint& p) const { return !limit || dominated_by(p, *limit); }

  // The oracle: a verdict known (settled, or provisional while not being confirmed), or (smart
  // search) implied by monotonicity from one known, else Pending.
  bool feasible(const GridPoint& p, bool infer) {
    if (auto it = evals.find(p); it != evals.end()) {
      if (auto v = it->second.steering()) return *v;
      if (it->second.confirm) throw Pending{p};
    }
    if (infer)
      for (const auto& [q, e] : evals) {
        if (!in_box(q)) continue;
        const auto v = e.steering();
        if (v && ((*v && dominated_by(q, p)) || (!*v && dominated_by(p, q)))) {
          inferred.insert(p);
          return *v;
        }
      }
    throw Pending{p};
  }

  // Once the search has an answer from verdicts some of which are provisional: the next of those
  // its answer rests on (the answer itself, then failures covering every cheaper roster), marked
  // to be confirmed; none when every one is settled. `top`: the top of the box searched; `range_top`
  // the top of the ranges, whose failure an answer found below a limit rests on first (the reason
  // the search was rerun below it, and what the warning about it says).
  std::optional<GridPoint> to_confirm(const std::vector<int>& sizes, const CostOf& cost, const GridPoint& top,
                                      const GridPoint& range_top) {
    if (!answer) return evals[top].verdict ? std::nullopt : std::optional(top);
    if (limit && !evals[range_top].verdict) return range_top;
    if (!evals[*answer].verdict) return *answer;
    std::vector<GridPoint> settled, provisional;
    for (const auto& [q, e] : evals)
      if (in_box(q) && (e.verdict ? !*e.verdict : e.provisional && !*e.provisional))
        (e.verdict ? settled : provisional).push_back(q);
    const auto chosen = failures_to_confirm(sizes, cost, *answer, settled, provisional);
    if (chosen.empty()) return std::nullopt;
    return chosen.front();
  }
};

class Planner {
 public:
  Planner(const Model& base, const PlanRequest& req, const std::vector<rules::CompiledExpr>& targets,
          store::ResultsStore* store, PlanResult& result)
      : base_(base), req_(req), targets_(targets), store_(store), result_(result), model_(base) {}

  void search() {
    auto& parts = result_.parts;
    states_.resize(parts.size());
    for (const auto& part : parts) town_of_part_.push_back(town_index(part));
    for (size_t round = 0;; ++round) {
      bool any = false;
      for (size_t i = 0; i < parts.size(); ++i) any = step(i) || any;
      if (!any) break;
      run_round(round);
      result_.rounds = round + 1;
    }
  }

  void probe();
  void check();
  void collect();
  void compare_with_scenario(const std::vector<detail::Tally>& answer);

 private:
  std::vector<int> sizes(const PlanPart& p) const {
    std::vector<int> n;
    for (const auto& v : p.values) n.push_back(int(v.size()));
    return n;
  }

  GridPoint top(const PlanPart& p) const {
    GridPoint t;
    for (const auto& v : p.values) t.push_back(std::max(0, int(v.size()) - 1));
    return t;
  }

  // The rosters part i's search runs over: the ranges, or those below its limit.
  std::vector<int> box_sizes(size_t i) const {
    if (!states_[i].limit) return sizes(result_.parts[i]);
    std::vector<int> n;
    for (int v : *states_[i].limit) n.push_back(v + 1);
    return n;
  }

  GridPoint box_top(size_t i) const { return states_[i].limit ? *states_[i].limit : top(result_.parts[i]); }

  size_t town_index(const PlanPart& part) const {
    for (size_t t = 0; t < base_.scenario.towns.size(); ++t)
      if (base_.scenario.towns[t].name == part.town) return t;
    return 0;
  }

  // The part's villages as indices in its town.
  std::vector<size_t> local_villages(size_t i) const {
    std::vector<size_t> out;
    for (size_t v : result_.parts[i].villages)
      out.push_back(v - base_.population->town_villages[town_of_part_[i]].begin);
    return out;
  }

  // Reruns part i's search against what is known; true when it has a question.
  bool step(size_t i) {
    PartSearch& st = states_[i];
    if (st.done) return false;
    const PlanPart& part = result_.parts[i];
    const bool smart = req_.search == PlanSearch::Smart;
    st.inferred.clear();
    const CostOf cost = [&](const GridPoint& p) { return part_cost(base_.scenario, req_, part, p); };
    const Oracle oracle = [&](const GridPoint& p) { return st.feasible(p, smart); };
    for (size_t k = 0; k < part.values.size(); ++k)
      if (part.values[k].empty() && !part.out_of_range[k].empty()) {  // every value of a role out of range
        st.done = true;
        return false;
      }
    for (;;) {
      try {
        st.limit.reset();
        st.answer = smart ? search_smart(box_sizes(i), cost, oracle) : search_exhaustive(box_sizes(i), cost, oracle);
        if (!st.answer && smart) scan(i, cost, oracle);
      } catch (const Pending& p) {
        st.pending = p.point;
        return true;
      }
      const auto confirm = smart ? st.to_confirm(box_sizes(i), cost, box_top(i), top(part)) : std::nullopt;
      if (!confirm) break;
      Eval& e = st.evals[*confirm];
      if (e.confirm) {  // marked before, yet the rerun did not ask about it (its path changed): run it anyway
        st.pending = *confirm;
        return true;
      }
      e.confirm = true;  // the search reruns: it now asks about this one, if its path passes there
      st.inferred.clear();
    }
    st.done = true;
    st.pending.reset();
    return false;
  }

  // The roster each part runs with in a round: its question, else its answer, else its top.
  config::ScenarioSpec roster_spec() const {
    config::ScenarioSpec s = base_.scenario;
    for (size_t i = 0; i < result_.parts.size(); ++i) {
      const auto& st = states_[i];
      const GridPoint p = st.pending ? *st.pending : st.answer ? *st.answer : top(result_.parts[i]);
      apply_point(s, base_.scenario, req_, result_.parts[i], p);
    }
    return s;
  }

  // Sets the model's rosters to `s` and runs the (replicate, town) pairs.
  PairRunResult run(const config::ScenarioSpec& s, const std::vector<TownPair>& pairs, int configuration,
                    const std::string& description) {
    model_.scenario = s;
    Diagnostics quiet;
    build_staffing(model_, build_rosters(model_.scenario, *model_.program, quiet));
    PairRunOptions options;
    options.on_queued = req_.on_queued;
    options.on_replicate = req_.on_replicate;
    options.store = store_;
    options.configuration = configuration;
    options.name = base_.scenario.name;
    options.description = description;
    PairRunResult out = run_pairs(model_, pairs, options);
    result_.replicates_run += int64_t(out.replicates);
    result_.pairs_run += int64_t(out.pairs);
    return out;
  }

  // One run of the model: every part with a question runs it on its next replicates (sequential
  // stopping: a first window, then doubling), only its town being simulated; with `ends`, on the
  // replicates up to the part's entry.
  void run_round(size_t round, const std::vector<int>* ends = nullptr) {
    const int total = base_.replicates;
    struct Window {
      size_t part;
      int from, to;
    };
    std::vector<Window> windows;
    std::set<TownPair> wanted;
    for (size_t i = 0; i < states_.size(); ++i) {
      auto& st = states_[i];
      if (!st.pending) continue;
      Eval& e = st.evals[*st.pending];
      if (e.n == 0) {
        e.order = next_order_++;
        ++result_.evaluations;
      }
      windows.push_back({i, e.n, ends ? (*ends)[i] : detail::next_end(e.n, total, req_)});
      for (int r = e.n; r < windows.back().to; ++r) wanted.insert(TownPair{r, town_of_part_[i]});
    }
    const std::vector<TownPair> pairs(wanted.begin(), wanted.end());
    const PairRunResult run = this->run(roster_spec(), pairs, int(round), "search round " + std::to_string(round + 1));
    for (const auto& w : windows) {
      auto& st = states_[w.part];
      Eval& e = st.evals[*st.pending];
      const bool keep = result_.parts[w.part].is_town;
      const auto villages = local_villages(w.part);
      for (int r = w.from; r < w.to; ++r) {
        const size_t k =
            size_t(std::lower_bound(pairs.begin(), pairs.end(), TownPair{r, town_of_part_[w.part]}) - pairs.begin());
        e.add(score_town(run.totals[k], villages, {targets_, result_.target_metrics}));
        if (keep) e.kept[r] = run.totals[k];
      }
      e.verdict = decide(e, total, req_);
      if (!e.verdict && !e.provisional && req_.search == PlanSearch::Smart)  // screening: the first replicates' share
        e.provisional = double(e.met) / e.n >= req_.required_share;
      if (e.verdict && !*e.verdict && *st.pending != top(result_.parts[w.part]))
        e.kept.clear();  // never in the check: not the answer, nor the top a part without one runs
    }
  }

  // num/den of each varied role of the top: the value nearest num/den of the top's (the lower of
  // two as near), in the part's values.
  static GridPoint fraction(const PlanPart& p, int num, int den) {
    GridPoint h;
    for (const auto& v : p.values) {
      size_t best = 0;
      if (!v.empty())
        for (size_t j = 1; j < v.size(); ++j)
          if (std::abs(den * v[j] - num * v.back()) < std::abs(den * v[best] - num * v.back())) best = j;
      h.push_back(int(best));
    }
    return h;
  }

  GridPoint half(const PlanPart& p) const { return fraction(p, 1, 2); }

  // The smart search found no roster: its "none" rests on monotonicity (the top failed, so every
  // roster below it is taken to fail), which a plateau breaks (more staff find more returnees later,
  // and a share falls a little). So the rosters with 1/8, 2/8 ... 7/8 of each varied role of the
  // top are asked about in that order (a first window each, as any question); from the first that
  // meets the targets, the search is rerun on the rosters with no more of any role than it (`limit`),
  // reading only their verdicts. Throws Pending.
  void scan(size_t i, const CostOf& cost, const Oracle& oracle) {
    PartSearch& st = states_[i];
    const PlanPart& part = result_.parts[i];
    const GridPoint t = top(part);
    GridPoint last = t;
    for (int k = 1; k < 8; ++k) {
      const GridPoint d = fraction(part, k, 8);
      if (d == t || d == last) continue;
      last = d;
      if (!st.feasible(d, false)) continue;
      st.limit = d;
      st.answer = search_smart(box_sizes(i), cost, oracle);
      if (st.answer) return;
      st.limit.reset();
    }
  }

  // Parts without an answer whose top ran, and whose half roster differs from the top.
  bool probed(size_t i) const {
    const PartSearch& st = states_[i];
    const GridPoint t = top(result_.parts[i]);
    const auto it = st.evals.find(t);
    return !st.answer && it != st.evals.end() && it->second.n > 0 && half(result_.parts[i]) != t;
  }

  Candidate candidate(const PlanPart& part, const GridPoint& p, const Eval& e) const {
    Candidate c;
    for (size_t k = 0; k < p.size(); ++k)
      c.counts.push_back(part.values[k].empty() ? -1 : part.values[k][size_t(p[k])]);
    c.cost = part_cost(base_.scenario, req_, part, p);
    c.people = part_people(base_.scenario, req_, part, p);
    c.replicates = e.n;
    c.share_met = e.n ? double(e.met) / e.n : 0;
    for (int h : e.held) c.target_share.push_back(e.n ? double(h) / e.n : 0);
    for (size_t i = 0; i < e.sums.size(); ++i)
      c.metric_means.push_back(e.defined[i] ? e.sums[i] / e.defined[i] : std::nan(""));
    c.feasible = e.verdict.value_or(e.provisional.value_or(false));
    c.settled = e.verdict.has_value();
    return c;
  }

  void collect_part(size_t i);

  const Model& base_;
  const PlanRequest& req_;
  const std::vector<rules::CompiledExpr>& targets_;
  store::ResultsStore* store_;
  PlanResult& result_;
  Model model_;  // shares the base's population, program and disease model; its rosters change
  std::vector<PartSearch> states_;
  std::vector<size_t> town_of_part_;
  size_t next_order_ = 0;
};

// Each part without an answer also runs the roster with about half of each varied role, on the
// replicates its top ran (whichever of the two ran fewer is run on to the other's count), so that
// collect_part can say whether more of these roles move what fails. One or two more runs of the
// model, only where the search found no answer.
void Planner::probe() {
  const size_t parts = result_.parts.size();
  for (int pass = 0; pass < 2; ++pass) {  // the half rosters, then any top that ran fewer replicates
    std::vector<int> ends(parts, 0);
    bool any = false;
    for (size_t i = 0; i < parts; ++i) {
      PartSearch& st = states_[i];
      st.pending.reset();
      if (!probed(i)) continue;
      const GridPoint t = top(result_.parts[i]), h = half(result_.parts[i]);
      const int n = std::max(st.evals[t].n, st.evals[h].n);
      const GridPoint& p = pass == 0 ? h : t;
      if (st.evals[p].n >= n) continue;
      st.pending = p;
      ends[i] = n;
      any = true;
    }
    if (!any) continue;
    run_round(result_.rounds, &ends);
    ++result_.rounds;
  }
  for (auto& st : states_) st.pending.reset();
}

// A part's candidates (in the order first run), its answer, runners-up, binding roles and any
// non-monotone results seen; without an answer, how its failing targets respond to the varied roles.
void Planner::collect_part(size_t i) {
  PlanPart& part = result_.parts[i];
  const PartSearch& st = states_[i];
  part.inferred = st.inferred.size();
  std::vector<std::pair<size_t, const GridPoint*>> order;
  for (const auto& [p, e] : st.evals)
    if (e.n > 0) order.emplace_back(e.order, &p);
  std::sort(order.begin(), order.end());
  const bool probe = probed(i);
  const GridPoint tp = top(part), hp = half(part);
  for (const auto& [o, p] : order) {
    part.candidates.push_back(candidate(part, *p, st.evals.at(*p)));
    if (st.answer && *p == *st.answer) part.best = part.candidates.size() - 1;
    if (probe && *p == tp) part.top = part.candidates.size() - 1;
    if (probe && *p == hp) part.half = part.candidates.size() - 1;
    if (st.limit && *p == *st.limit) part.searched_below = part.candidates.size() - 1;
  }
  if (st.limit) {
    const Eval* ae = st.answer ? &st.evals.at(*st.answer) : nullptr;
    part.warnings.push_back(detail::searched_below_warning(
        describe_point(req_, part, tp), describe_point(req_, part, *st.limit), {st.evals.at(tp).met, st.evals.at(tp).n},
        ae ? std::optional(std::pair{ae->met, ae->n}) : std::nullopt));
  }
  const double best_cost = part.best ? part.candidates[*part.best].cost : INFINITY;
  for (size_t c = 0; c < part.candidates.size(); ++c)
    if (!part.candidates[c].feasible && part.candidates[c].cost <= best_cost) part.runners_up.push_back(c);
  std::stable_sort(part.runners_up.begin(), part.runners_up.end(), [&](size_t a, size_t b) {
    const auto& x = part.candidates[a];
    const auto& y = part.candidates[b];
    if (x.share_met != y.share_met) return x.share_met > y.share_met;
    return x.cost > y.cost;
  });
  part.runners_up.resize(std::min<size_t>(part.runners_up.size(), 3));
  if (st.answer)
    for (size_t k = 0; k < st.answer->size(); ++k) {
      if ((*st.answer)[k] == 0) {  // at the bottom of its range: fewer was not tried
        if (!part.values[k].empty() && part.values[k][0] > 0)
          part.warnings.push_back(req_.vary[k].role + "=" + std::to_string(part.values[k][0]) +
                                  " is the bottom of its range: fewer may meet the targets too (lower the "
                                  "range's minimum to find out)");
        continue;
      }
      GridPoint below = *st.answer;
      --below[k];
      for (const auto& [q, e] : st.evals)
        if (e.verdict && !*e.verdict && st.in_box(q) && dominated_by(below, q)) {
          part.binding_roles.push_back(req_.vary[k].role);
          break;
        }
    }
  if (probe) {
    const Eval &t = st.evals.at(tp), &h = st.evals.at(hp);
    std::vector<size_t> failing;
    for (size_t k = 0; k < t.held.size(); ++k)
      if (double(t.held[k]) / t.n < req_.required_share) failing.push_back(k);
    if (failing.empty())
      for (size_t k = 0; k < t.held.size(); ++k) failing.push_back(k);
    part.more_staff_helps = false;
    for (size_t k : failing)
      for (int m : result_.target_metrics[k]) {
        const size_t mi = size_t(m);
        const double a = h.defined[mi] ? h.sums[mi] / h.defined[mi] : std::nan("");
        const double b = t.defined[mi] ? t.sums[mi] / t.defined[mi] : std::nan("");
        part.response.push_back({k, mi, a, b});
        // Undefined at either end: nothing to say, so no claim that staff would not help.
        if (!std::isfinite(a) || !std::isfinite(b) || std::fabs(b - a) > 0.01 * std::max(std::fabs(a), std::fabs(b)))
          part.more_staff_helps = true;
      }
    if (part.response.empty()) part.more_staff_helps = true;
  }
  for (const auto& [p, e] : st.evals)
    for (const auto& [q, f] : st.evals)
      if (part.warnings.size() < 3 + req_.vary.size() && p != q && e.verdict.value_or(false) &&
          !f.verdict.value_or(true) && dominated_by(p, q) && !(st.limit && q == tp))
        part.warnings.push_back(describe_point(req_, part, p) + " met the targets but " +
                                describe_point(req_, part, q) +
                                ", with no fewer staff, did not: results are not monotone here (the search assumes "
                                "they are; compare both with more replicates)");
}

void Planner::collect() {
  bool all = true;
  for (size_t i = 0; i < result_.parts.size(); ++i) {
    collect_part(i);
    all = all && states_[i].answer.has_value();
    size_t n = 1;  // none when a role has no value within the limits
    for (const auto& v : result_.parts[i].values) n *= v.size();
    result_.candidates_in_ranges += n;
  }
  result_.all_parts_answered = all;
  result_.answer = roster_spec();
}

// Parts whose answer runs fewer staff than the scenario: the scenario's own roster run on the same
// replicates, in their towns, and a warning where the answer does much worse at work no target reads.
void Planner::compare_with_scenario(const std::vector<Tally>& answer) {
  std::vector<std::vector<std::string>> lowered(result_.parts.size());
  std::set<size_t> towns;
  for (size_t i = 0; i < result_.parts.size(); ++i) {
    lowered[i] = detail::lowered_roles(base_.scenario, result_.answer, result_.parts[i].villages);
    if (!lowered[i].empty()) towns.insert(town_of_part_[i]);
  }
  if (towns.empty()) return;
  std::vector<TownPair> pairs;
  for (int r = 0; r < detail::kScenarioReplicates && r < base_.replicates; ++r)
    for (size_t t : towns) pairs.push_back({r, t});
  const PairRunResult ran = run(base_.scenario, pairs, int(result_.rounds) + 1, "check: the scenario's own roster");
  std::vector<metrics::ReplicateResult> reps(size_t(std::min(detail::kScenarioReplicates, base_.replicates)));
  for (auto& rep : reps) rep.villages.resize(base_.population->villages());
  for (size_t k = 0; k < pairs.size(); ++k) {
    const auto& tt = ran.totals[k];
    const size_t begin = base_.population->town_villages[pairs[k].town].begin;
    std::copy(tt.villages.begin(), tt.villages.end(), reps[size_t(pairs[k].replicate)].villages.begin() + long(begin));
  }
  for (size_t i = 0; i < result_.parts.size(); ++i) {
    if (lowered[i].empty()) continue;
    Tally scenario;
    for (const auto& rep : reps)
      scenario.add(score_replicate(rep, result_.parts[i].villages, {targets_, result_.target_metrics}));
    const std::string w = detail::worse_than_scenario(scenario, answer[i], result_.target_metrics, lowered[i]);
    if (!w.empty()) result_.parts[i].warnings.push_back(w);
  }
}

// The combined roster on every replicate: the region's share meeting the targets (with its
// interval), each part's, the binding target, hours by role, supplies and funds.
void Planner::check() {
  PlanCheck& c = result_.check;
  const int n = base_.replicates;
  // Every (replicate, town) pair, but those a town part's answer already ran in the search (the
  // same roster on the same replicate: the same result).
  const size_t towns = base_.scenario.towns.size();
  std::vector<const std::map<int, TownTotals>*> kept(towns, nullptr);
  for (size_t i = 0; i < result_.parts.size(); ++i) {
    const GridPoint used = states_[i].answer ? *states_[i].answer : top(result_.parts[i]);
    if (auto it = states_[i].evals.find(used); result_.parts[i].is_town && it != states_[i].evals.end())
      kept[town_of_part_[i]] = &it->second.kept;
  }
  std::vector<TownPair> pairs;
  for (int r = 0; r < n; ++r)
    for (size_t t = 0; t < towns; ++t)
      if (!kept[t] || !kept[t]->count(r)) pairs.push_back({r, t});
  PairRunResult ran = run(result_.answer, pairs, int(result_.rounds), "check: the combined roster");
  result_.check_pairs_reused = int64_t(size_t(n) * towns - pairs.size());
  // Each replicate's result, from its towns' totals in town order.
  std::vector<metrics::ReplicateResult> replicates(static_cast<size_t>(n));
  const size_t roles_n = size_t(base_.roles());
  for (auto& rep : replicates) rep.roles.assign(roles_n, {});
  size_t k = 0;
  for (int r = 0; r < n; ++r)
    for (size_t t = 0; t < towns; ++t) {
      const bool simulated = k < pairs.size() && pairs[k] == TownPair{r, t};
      const TownTotals& tt = simulated ? ran.totals[k++] : kept[t]->at(r);
      auto& rep = replicates[size_t(r)];
      rep.villages.insert(rep.villages.end(), tt.villages.begin(), tt.villages.end());
      for (size_t x = 0; x < roles_n && x < tt.roles.size(); ++x)
        metrics::merge_counts(rep.roles[x], tt.roles[x], metrics::kRoleCounts);
    }
  c.replicates = n;
  c.cost = scenario_cost(result_.answer, req_.cost);
  c.target_share.assign(targets_.size(), 0);
  c.part_met.assign(result_.parts.size(), 0);
  c.part_target_share.assign(result_.parts.size(), std::vector<double>(targets_.size(), 0));
  const size_t roles = size_t(base_.roles());
  c.hours_worked_per_day.assign(roles, 0);
  c.hours_available_per_day.assign(roles, 0);
  c.hours_late.assign(roles, 0);
  c.team_days_missing.assign(roles, 0);
  Tally region;
  detail::PartScores scores(result_.parts.size(), targets_.size());
  c.metric_undefined.assign(std::size(metrics::kVillageMetrics), {});
  for (size_t ri = 0; ri < replicates.size(); ++ri) {
    const auto& rep = replicates[ri];
    const Scored s = score_replicate(rep, {}, {targets_, result_.target_metrics});
    region.add(s);
    for (size_t t = 0; t < s.held.size(); ++t) c.target_share[t] += s.held[t];
    bool every_part = true;
    for (size_t i = 0; i < result_.parts.size(); ++i) {
      const Scored part = score_replicate(rep, result_.parts[i].villages, {targets_, result_.target_metrics});
      scores.add(i, ri, part, c);
      every_part = every_part && part.all;
    }
    c.parts_met += every_part;
    detail::add_role_hours(c, rep, base_.horizon_days, n);
    detail::add_supplies(c, rep.villages);
  }
  detail::mean_supplies(c, n);
  detail::warn_unsettled(result_.parts, c.part_met, n, req_.required_share);
  compare_with_scenario(scores.tallies);
  detail::warn_nothing_to_measure(result_.parts, scores.measured, n, req_);
  c.met = region.met;
  std::tie(c.lower, c.upper) = wilson_interval(region.met, n);
  for (double& t : c.target_share) t /= n;
  for (size_t i = 0; i < region.sums.size(); ++i)
    c.metric_means.push_back(region.defined[i] ? region.sums[i] / region.defined[i] : std::nan(""));
  c.metric_defined = region.defined;
  detail::binding_targets(c, n);
  std::tie(c.parts_lower, c.parts_upper) = wilson_interval(c.parts_met, n);
  auto use_of = [&](size_t r) {  // hours worked over hours available
    const double avail = c.hours_available_per_day[r];
    return avail > 0 ? c.hours_worked_per_day[r] / avail : 0;
  };
  // Without an answer somewhere: a role not varied that is busier than every varied one.
  if (!result_.all_parts_answered) {
    double varied_most = 0;
    for (const auto& v : req_.vary)
      if (const int r = base_.program->find_role(v.role); r >= 0)
        varied_most = std::max(varied_most, use_of(size_t(r)));
    for (size_t r = 0; r < roles; ++r) {
      const std::string& name = base_.program->roles()[r];
      const bool varied =
          std::any_of(req_.vary.begin(), req_.vary.end(), [&](const auto& v) { return v.role == name; });
      const bool left_work = c.hours_late[r] > 0 || c.team_days_missing[r] > 0;
      if (!varied && left_work && use_of(r) > varied_most && use_of(r) > c.busiest_unvaried_use) {
        c.busiest_unvaried = name;
        c.busiest_unvaried_use = use_of(r);
      }
    }
  }
  // The bottleneck: the most used of the varied roles that bind somewhere; of all varied roles when
  // none is known to bind; none when no part has an answer and more of the varied roles moves none
  // of the parts' failing targets.
  // Nothing of the ranges was run (every part out of the scenario's limits): nothing is known.
  if (std::all_of(result_.parts.begin(), result_.parts.end(), [](const auto& p) { return p.none_in_limits(); })) return;
  c.varied_roles_bind = false;
  for (const auto& p : result_.parts) c.varied_roles_bind = c.varied_roles_bind || p.best || p.more_staff_helps;
  if (!c.varied_roles_bind) return;
  std::set<std::string> binding;
  for (const auto& p : result_.parts) binding.insert(p.binding_roles.begin(), p.binding_roles.end());
  double most = -1;
  for (const auto& v : req_.vary) {
    const int r = base_.program->find_role(v.role);
    if (r < 0 || (!binding.empty() && !binding.count(v.role))) continue;
    if (const double use = use_of(size_t(r)); use > most) {
      most = use;
      c.bottleneck = v.role;
    }
  }
}

}  // namespace

PlanResult run_plan(const Model& base, const PlanRequest& req, Diagnostics& d, store::ResultsStore* store) {
  PlanResult result;
  check_varied_roles(base, req, d);
  const std::vector<rules::CompiledExpr> targets = compile_targets(base, req, result, d);
  if (req.targets.empty()) d.error(SourceLoc{}, "plan needs at least one --target");
  if (req.vary.empty()) d.error(SourceLoc{}, "plan needs at least one --vary ROLE=MIN..MAX");
  size_t total = 1;
  for (const auto& v : req.vary) {
    const size_t n = size_t((v.max - v.min) / v.step) + 1;
    total = total > req.max_candidates ? total : total * n;  // stop growing once past the limit
  }
  if (total > req.max_candidates)
    d.error(SourceLoc{}, "the ranges give " + std::to_string(total) +
                             " rosters to try; narrow them or use a larger "
                             "STEP (at most " +
                             std::to_string(req.max_candidates) + ")");
  if (d.has_errors()) throw InputError(d);
  result.parts = plan_parts(base, req);
  Planner planner(base, req, targets, store, result);
  planner.search();
  planner.probe();
  planner.collect();
  planner.check();
  return result;
}

}  // namespace vg::sim
