// plan's check: its sums made means, its binding targets, and answers it cannot settle (plan_check.h).
#include "analysis/plan_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>

#include "metrics/metric_table.h"
#include "metrics/summary.h"

namespace vg::sim::detail {

namespace {
// A target's value at node `i` of its tree: `nothing` where it reads a metric with nothing to
// measure; `vacuous`, a condition that says nothing there (a comparison on such a metric).
struct Val {
  double x = 0;
  bool nothing = false, vacuous = false;
};

// The target evaluated comparison by comparison: a comparison on a metric with nothing to measure
// says nothing (a rule over no one), and `and`, `or` and `not` combine the others as written, so
// `a <= 3 and tasks_late <= 50` still needs tasks_late where there is no case (as the two targets
// given apart do), and `not (a > 3)` reads as `a <= 3`; a condition of nothing but such
// comparisons holds. The row holds the values as read (never: +inf; none of those due: 0).
Val eval_node(const rules::ExprTree& tree, int i, const double* row, const std::vector<int8_t>& undefined) {
  using K = rules::ExprTree::Kind;
  using Op = rules::CompiledExpr::Op;
  const auto& n = tree.nodes[size_t(i)];
  auto kid = [&](size_t k) { return eval_node(tree, n.kids[k], row, undefined); };
  constexpr Val kSaysNothing{1, false, true};
  switch (n.kind) {
    case K::Const: return {n.k};
    case K::Field: return {row[n.slot], undefined[size_t(n.slot)] == int8_t(metrics::Undefined::NothingToMeasure)};
    case K::Neg:
    case K::Abs: {
      const Val a = kid(0);
      return {n.kind == K::Neg ? -a.x : std::fabs(a.x), a.nothing};
    }
    case K::Not: {
      const Val a = kid(0);
      return a.vacuous ? kSaysNothing : Val{a.x != 0 ? 0.0 : 1.0, a.nothing};
    }
    case K::DaysSince: {
      const Val a = kid(0);
      return {row[n.slot] - a.x, a.nothing};
    }
    case K::Arith: {
      const Val a = kid(0), b = kid(1);
      const double x = n.op == Op::Add   ? a.x + b.x
                       : n.op == Op::Sub ? a.x - b.x
                       : n.op == Op::Mul ? a.x * b.x
                                         : a.x / b.x;
      return {x, a.nothing || b.nothing};
    }
    case K::Min:
    case K::Max: {
      Val v = kid(0);
      for (size_t k = 1; k < n.kids.size(); ++k) {
        const Val b = kid(k);
        v.x = n.kind == K::Min ? std::min(v.x, b.x) : std::max(v.x, b.x);
        v.nothing = v.nothing || b.nothing;
      }
      return v;
    }
    case K::Compare: {
      const Val a = kid(0), b = kid(1);
      if (a.nothing || b.nothing) return kSaysNothing;
      bool r = false;
      switch (n.op) {
        case Op::Eq: r = a.x == b.x; break;
        case Op::Ne: r = a.x != b.x; break;
        case Op::Lt: r = a.x < b.x; break;
        case Op::Le: r = a.x <= b.x; break;
        case Op::Gt: r = a.x > b.x; break;
        default: r = a.x >= b.x; break;
      }
      return {r ? 1.0 : 0.0};
    }
    case K::In: {
      const Val a = kid(0);
      if (a.nothing) return kSaysNothing;
      const bool in = std::find(n.list.begin(), n.list.end(), a.x) != n.list.end();
      return {in != n.negated ? 1.0 : 0.0};
    }
    case K::And:
    case K::Or: {
      const bool all = n.kind == K::And;
      bool r = all, any = false;  // any: a kid that says something
      for (size_t k = 0; k < n.kids.size(); ++k) {
        const Val b = kid(k);
        if (b.vacuous) continue;
        any = true;
        r = all ? r && b.x != 0 : r || b.x != 0;
      }
      return any ? Val{r ? 1.0 : 0.0} : kSaysNothing;
    }
  }
  return {};
}
}  // namespace

Scored score_replicate(const metrics::ReplicateResult& rep, const std::vector<size_t>& villages,
                       const Targets& targets) {
  Scored s;
  metrics::replicate_metric_values(rep, villages, s.row, s.undefined);
  std::vector<double> read = s.row;
  for (size_t i = 0; i < read.size(); ++i) {
    if (s.undefined[i] == int8_t(metrics::Undefined::Never)) read[i] = std::numeric_limits<double>::infinity();
    if (s.undefined[i] == int8_t(metrics::Undefined::NoneDone)) read[i] = 0;
  }
  for (size_t t = 0; t < targets.exprs.size(); ++t) {
    bool nothing = false;  // some metric it reads had nothing to measure
    if (t < targets.reads.size())
      for (int m : targets.reads[t])
        nothing = nothing || s.undefined[size_t(m)] == int8_t(metrics::Undefined::NothingToMeasure);
    const rules::ExprTree* tree = targets.exprs[t].tree();
    bool held = false;
    if (nothing && tree && tree->root >= 0) {
      const Val v = eval_node(*tree, tree->root, read.data(), s.undefined);
      held = v.vacuous || v.x != 0;
    } else {
      held = targets.exprs[t].eval_bool(read.data());
    }
    s.held.push_back(held ? 1 : 0);
    s.nothing.push_back(nothing ? 1 : 0);
    s.all = s.all && held;
  }
  return s;
}

Scored score_town(const TownTotals& town, const std::vector<size_t>& villages, const Targets& targets) {
  metrics::ReplicateResult rep;
  for (size_t v : villages) rep.villages.push_back(town.villages[v]);
  return score_replicate(rep, {}, targets);
}

void Tally::add(const Scored& s) {
  if (held.empty()) {
    held.assign(s.held.size(), 0);
    sums.assign(s.row.size(), 0);
    defined.assign(s.row.size(), 0);
  }
  ++n;
  met += s.all;
  for (size_t t = 0; t < s.held.size(); ++t) held[t] += s.held[t];
  for (size_t i = 0; i < s.row.size(); ++i)
    if (std::isfinite(s.row[i])) {
      sums[i] += s.row[i];
      ++defined[i];
    }
}

double Tally::mean(size_t metric) const {
  return metric < defined.size() && defined[metric] > 0 ? sums[metric] / defined[metric] : std::nan("");
}

std::vector<std::string> lowered_roles(const config::ScenarioSpec& was, const config::ScenarioSpec& now,
                                       const std::vector<size_t>& villages) {
  std::vector<std::string> out;
  // Each role's people, its entries together (shift cohorts): "Pushan party_member 60 -> 20", not
  // each cohort's "8 -> 3" in turn.
  auto compare = [&](const std::string& where, const auto& a, const auto& b) {
    std::vector<std::string> said;
    for (const auto& r : a) {
      if (std::find(said.begin(), said.end(), r.role) != said.end()) continue;
      said.push_back(r.role);
      const int was_total = config::role_limit(a, r.role).total, now_total = config::role_limit(b, r.role).total;
      if (now_total < was_total)
        out.push_back(where + " " + r.role + " " + std::to_string(was_total) + " -> " + std::to_string(now_total));
    }
  };
  size_t g = 0;
  for (size_t t = 0; t < was.towns.size() && t < now.towns.size(); ++t) {
    bool in_part = false;
    for (size_t v = 0; v < was.towns[t].villages.size() && v < now.towns[t].villages.size(); ++v, ++g) {
      if (std::find(villages.begin(), villages.end(), g) == villages.end()) continue;
      in_part = true;
      compare(was.towns[t].villages[v].name, was.towns[t].villages[v].staff, now.towns[t].villages[v].staff);
    }
    if (in_part) compare("town " + was.towns[t].name, was.towns[t].staff, now.towns[t].staff);
  }
  return out;
}

namespace {
// The work watched when the answer runs fewer staff than the scenario: a count much worse at 1.5
// times and 10 more; a share at 5 points less.
struct Watched {
  std::string_view name;
  bool share;
};
constexpr Watched kWatched[] = {{"tasks_late", false},
                                {"screened_within_24h_of_arrival_share", true},
                                {"team_complete_share", true},
                                {"households_contacted_share", true},
                                {"households_contacted_7d_share", true},
                                {"found_share", true}};

std::string shown(double x, bool share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, share ? "%.1f%%" : "%.0f", share ? 100 * x : x);
  return buf;
}
}  // namespace

std::string worse_than_scenario(const Tally& scenario, const Tally& answer,
                                const std::vector<std::vector<int>>& target_reads,
                                const std::vector<std::string>& lowered) {
  std::string worse;
  for (const Watched& w : kWatched) {
    size_t m = 0;
    while (m < std::size(metrics::kVillageMetrics) && metrics::kVillageMetrics[m].name != w.name) ++m;
    const bool read = std::any_of(target_reads.begin(), target_reads.end(), [&](const auto& reads) {
      return std::find(reads.begin(), reads.end(), int(m)) != reads.end();
    });
    const double a = scenario.mean(m), b = answer.mean(m);
    if (read || std::isnan(a) || std::isnan(b)) continue;
    const bool much = w.share ? b <= a - 0.05 : b >= 1.5 * a && b >= a + 10;
    if (much)
      worse += std::string(worse.empty() ? "" : "; ") + std::string(w.name) + " " + shown(a, w.share) + " -> " +
               shown(b, w.share);
  }
  if (worse.empty() || lowered.empty()) return {};
  std::string roles;
  for (size_t i = 0; i < lowered.size() && i < 3; ++i) roles += (i ? ", " : "") + lowered[i];
  if (lowered.size() > 3) roles += " and " + std::to_string(lowered.size() - 3) + " more";
  return std::string(sim::kFewerAndWorse) + roles +
         ") and does much worse than the scenario's own roster, on the same replicates, at work no target reads: " +
         worse +
         " (means). plan finds the cheapest roster that meets the targets, nothing else: add a target on what must "
         "not get worse (docs/planning.md)";
}

void add_supplies(PlanCheck& c, const std::vector<metrics::VillageTotals>& villages) {
  for (size_t vi = 0; vi < villages.size(); ++vi) {
    const auto& v = villages[vi];
    c.money_spent += v.money_spent;
    c.funds_left += v.funds_left;
    c.stockout_days += double(v.stockout_days);
    c.tasks_without_supplies += double(v.tasks_without_supplies);
    c.requests_refused_for_funds += double(v.requests_refused_for_funds);
    if (!v.supplies) continue;
    c.village_supplies.resize(villages.size());
    auto& vs = c.village_supplies[vi];
    vs.money_spent += v.money_spent;
    vs.funds_left += v.funds_left;
    vs.stockout_days += double(v.stockout_days);
    vs.tasks_without_supplies += double(v.tasks_without_supplies);
    vs.requests_refused_for_funds += double(v.requests_refused_for_funds);
    vs.tasks_skipped_for_supplies += double(v.tasks_skipped_for_supplies);
    vs.monitoring_days_without_supplies += double(v.monitoring_days_without_supplies);
  }
}

void mean_supplies(PlanCheck& c, int n) {
  for (double* x :
       {&c.money_spent, &c.funds_left, &c.stockout_days, &c.tasks_without_supplies, &c.requests_refused_for_funds})
    *x /= n;
  for (auto& vs : c.village_supplies)
    for (double* x :
         {&vs.money_spent, &vs.funds_left, &vs.stockout_days, &vs.tasks_without_supplies,
          &vs.requests_refused_for_funds, &vs.tasks_skipped_for_supplies, &vs.monitoring_days_without_supplies})
      *x /= n;
}

void binding_targets(PlanCheck& c, int n) {
  for (size_t t = 0; t < c.target_share.size(); ++t)
    if (c.target_share[t] < 1 && (!c.binding_target || c.target_share[t] < c.target_share[*c.binding_target]))
      c.binding_target = t;
  for (size_t i = 0; i < c.part_target_share.size(); ++i) {
    auto& shares = c.part_target_share[i];
    std::optional<size_t> binding;
    for (size_t t = 0; t < shares.size(); ++t) {
      shares[t] /= n;
      if (shares[t] < 1 && (!binding || shares[t] < shares[*binding])) binding = t;
    }
    c.part_binding.push_back(binding);
    // Of every part's, the least held (the first part on a tie).
    if (binding && (!c.parts_binding_target ||
                    shares[*binding] < c.part_target_share[*c.parts_binding_part][*c.parts_binding_target])) {
      c.parts_binding_target = binding;
      c.parts_binding_part = i;
    }
  }
}

void warn_unsettled(std::vector<PlanPart>& parts, const std::vector<int>& part_met, int n, double share) {
  // (All of them asked: no number of replicates settles it further; the share is what was run.)
  if (n <= 0 || share >= 1) return;
  for (size_t i = 0; i < parts.size() && i < part_met.size(); ++i) {
    if (!parts[i].best) continue;
    const auto [lo, hi] = wilson_interval(part_met[i], n);
    if (lo >= share) continue;
    // Even every replicate meeting them shows the share only from n >= share z^2 / (1 - share).
    const double z2 = 1.959964 * 1.959964;
    const int needed = int(std::ceil(share * z2 / (1 - share)));
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "the answer meets the targets in %d of %d replicates (%.0f%%; 95%% Wilson interval %.0f%% to "
                  "%.0f%%), an interval that reaches below the %.0f%% asked: not settled, and more replicates may "
                  "fail it (--replicates; even all meeting them shows %.0f%% only from %d replicates)",
                  part_met[i], n, 100.0 * part_met[i] / n, 100 * lo, 100 * hi, 100 * share, 100 * share, needed);
    parts[i].warnings.push_back(buf);
  }
}

std::string searched_below_warning(const std::string& top, const std::string& limit, std::pair<int, int> top_met,
                                   std::optional<std::pair<int, int>> answer_met) {
  auto share_of = [](std::pair<int, int> mn) {
    const auto [met, n] = mn;
    const auto [lo, hi] = wilson_interval(met, n);
    char buf[160];
    std::snprintf(buf, sizeof buf, "met in %d of %d replicates, %.0f%%; 95%% Wilson interval %.0f%% to %.0f%%", met, n,
                  n ? 100.0 * met / n : 0.0, 100 * lo, 100 * hi);
    return std::string(buf);
  };
  std::string w = "the top of the ranges (" + top + ") failed the targets (" + share_of(top_met) +
                  ") but rosters with fewer of the varied roles met them (" +
                  (answer_met ? "the answer, " + share_of(*answer_met) : std::string("one")) +
                  "): results are not monotone here, so the search was rerun on the rosters with no more of any "
                  "role than " +
                  limit + " (--search exhaustive runs every roster)";
  if (answer_met && top_met.second > 0 && answer_met->second > 0 &&
      wilson_interval(top_met.first, top_met.second).second >=
          wilson_interval(answer_met->first, answer_met->second).first)
    w += "; the two intervals overlap, so the difference may be chance: the targets may hold in about the same "
         "share of replicates across the ranges, near the share asked, whatever the roster";
  return w;
}

void warn_nothing_to_measure(std::vector<PlanPart>& parts, const std::vector<std::vector<Measured>>& measured, int n,
                             const PlanRequest& req) {
  auto pct = [](double x) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100 * x);
    return std::string(buf);
  };
  for (size_t i = 0; i < parts.size() && i < measured.size(); ++i)
    for (size_t t = 0; t < measured[i].size() && t < req.targets.size(); ++t) {
      const Measured& m = measured[i][t];
      if (m.held_with_nothing == 0 || (m.measured > 0 && m.held >= needed(m.measured, req.required_share))) continue;
      const std::string target = "'" + req.targets[t] + "'";
      const std::string nothing = target + " held in " + std::to_string(m.held_with_nothing) + " of the check's " +
                                  std::to_string(n - m.measured) + std::string(kNothingToMeasure) +
                                  " (a rule over no one)";
      parts[i].warnings.push_back(
          m.measured == 0
              ? nothing +
                    ", and every replicate had nothing: the check says nothing of how this roster does when "
                    "there is"
              : nothing + "; in the " + std::to_string(m.measured) + " with something to measure it held in " +
                    std::to_string(m.held) + " (" + pct(double(m.held) / m.measured) + "), below the " +
                    pct(req.required_share) + " asked: the share met rests on the replicates with nothing");
    }
}

void PartScores::add(size_t i, size_t r, const Scored& s, PlanCheck& c) {
  if (r < size_t(kScenarioReplicates)) tallies[i].add(s);
  for (size_t t = 0; t < s.held.size(); ++t) {
    Measured& m = measured[i][t];
    if (s.nothing[t]) {
      m.held_with_nothing += s.held[t];
    } else {
      ++m.measured;
      m.held += s.held[t];
    }
    c.part_target_share[i][t] += s.held[t];
  }
  for (size_t k = 0; k < s.undefined.size(); ++k)
    if (s.undefined[k] >= 0) ++c.metric_undefined[k][size_t(s.undefined[k])];
  c.part_met[i] += s.all;
}

void add_role_hours(PlanCheck& c, const metrics::ReplicateResult& rep, int horizon_days, int n) {
  for (size_t r = 0; r < c.hours_worked_per_day.size() && r < rep.roles.size(); ++r) {
    c.hours_worked_per_day[r] += double(rep.roles[r].minutes_worked) / 60.0 / horizon_days / n;
    c.hours_available_per_day[r] += double(rep.roles[r].minutes_available) / 60.0 / horizon_days / n;
    c.hours_late[r] += double(rep.roles[r].minutes_unmet) / 60.0 / n;
    c.team_days_missing[r] += double(rep.roles[r].team_days_missing) / n;
  }
}

int needed(int n, double share) {
  int m = std::clamp(int(std::ceil(share * n)), 0, n);
  while (m > 0 && double(m - 1) / n >= share) --m;
  while (m < n && double(m) / n < share) ++m;
  return m;
}

int next_end(int n, int total, const PlanRequest& req) {
  if (req.search == PlanSearch::Exhaustive) return total;
  // The first window screens: a quarter of the replicates, 2 to 5 (all of fewer than 8).
  return std::min(total, n == 0 ? (total < 8 ? total : std::clamp(total / 4, 2, 5)) : 2 * n);
}

}  // namespace vg::sim::detail
