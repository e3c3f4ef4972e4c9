#include "analysis/plan.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "metrics/summary.h"
#include "sim/runner.h"

namespace vg::sim {

namespace {

SourceLoc flag_loc(const std::string& flag, const std::string& text) {
  auto f = std::make_shared<SourceFile>(SourceFile{flag, text});
  return SourceLoc{f, 1, 1};
}

bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

}  // namespace

std::optional<VarySpec> parse_vary(const std::string& text, Diagnostics& d) {
  const SourceLoc loc = flag_loc("--vary", text);
  const size_t eq = text.find('=');
  const size_t dots = text.find("..");
  if (eq == std::string::npos || dots == std::string::npos || dots < eq) {
    d.error(loc, "expected ROLE=MIN..MAX or ROLE=MIN..MAX:STEP, for example village_cadre=5..15");
    return std::nullopt;
  }
  VarySpec v;
  v.role = text.substr(0, eq);
  std::string_view lo = std::string_view(text).substr(eq + 1, dots - eq - 1);
  std::string_view rest = std::string_view(text).substr(dots + 2);
  std::string_view hi = rest, step = "1";
  if (size_t c = rest.find(':'); c != std::string_view::npos) {
    hi = rest.substr(0, c);
    step = rest.substr(c + 1);
  }
  if (!parse_int(lo, v.min) || !parse_int(hi, v.max) || !parse_int(step, v.step) || v.min < 0 || v.step < 1 ||
      v.max < v.min || v.max > 100000) {
    d.error(loc.shifted(int(eq) + 1),
            "expected whole numbers 0 <= MIN <= MAX <= 100000 and STEP >= 1 after '" + v.role + "='");
    return std::nullopt;
  }
  return v;
}

namespace {

// Roles to vary must be rostered somewhere in the scenario.
void check_varied_roles(const Model& base, const PlanRequest& req, Diagnostics& d) {
  const auto& prog = *base.program;
  for (const auto& v : req.vary) {
    int r = prog.find_role(v.role);
    bool rostered = false;
    for (const auto& t : base.scenario.towns) {
      for (const auto& s : t.staff) rostered = rostered || s.role == v.role;
      for (const auto& vil : t.villages)
        for (const auto& s : vil.staff) rostered = rostered || s.role == v.role;
    }
    if (r < 0 || !rostered)
      d.error(flag_loc("--vary", v.role), "role '" + v.role + "' is not in any roster of scenario '" +
                                              base.scenario.name + "'" + did_you_mean(v.role, prog.roles()));
  }
}

// Targets: conditions over the region metrics of one replicate.
std::vector<rules::CompiledExpr> compile_targets(const PlanRequest& req, PlanResult& result, Diagnostics& d) {
  auto sample = metrics::replicate_metrics(metrics::ReplicateResult{}, {});
  rules::Schema schema;
  for (const auto& [ns, v] : sample) {
    schema.add_field(ns.name, rules::Type::Number, -1, ns.unit);
    result.metric_names.push_back(ns.name);
  }
  std::vector<rules::CompiledExpr> targets;
  for (const auto& t : req.targets)
    if (auto e = rules::compile_expr(t, flag_loc("--target", t), schema, d, rules::Type::Bool)) {
      targets.push_back(*e);
      result.target_metrics.push_back(e->fields_read());
    }
  return targets;
}

// The headcount of varied role k is counts[k] in every roster that lists the role (the last --vary
// of a role wins).
int count_of(const config::RosterSpec& r, const PlanRequest& req, const std::vector<int>& counts) {
  int count = r.count;
  for (size_t k = 0; k < req.vary.size(); ++k)
    if (r.role == req.vary[k].role) count = counts[k];
  return count;
}

// The scenario's rosters with the varied roles at `counts`.
void set_counts(config::ScenarioSpec& s, const PlanRequest& req, const std::vector<int>& counts) {
  for (auto& t : s.towns) {
    for (auto& r : t.staff) r.count = count_of(r, req, counts);
    for (auto& v : t.villages)
      for (auto& r : v.staff) r.count = count_of(r, req, counts);
  }
}

// Cost of a candidate: headcount or daily staff-hours of the whole roster with the varied roles at
// `counts`.
double roster_cost(const config::ScenarioSpec& s, const PlanRequest& req, const std::vector<int>& counts) {
  double c = 0;
  auto add = [&](const std::vector<config::RosterSpec>& staff) {
    for (const auto& r : staff) {
      const int count = count_of(r, req, counts);
      c += req.cost == PlanCost::Hours ? count * r.hours_per_day : count;
    }
  };
  for (const auto& t : s.towns) {
    add(t.staff);
    for (const auto& v : t.villages) add(v.staff);
  }
  return c;
}

// Candidates: the cartesian product of the ranges (`total` of them), cheapest first.
std::vector<Candidate> list_candidates(const config::ScenarioSpec& s, const PlanRequest& req, size_t total) {
  std::vector<Candidate> out;
  std::vector<int> counts(req.vary.size());
  for (size_t k = 0; k < req.vary.size(); ++k) counts[k] = req.vary[k].min;
  for (size_t n = 0; n < total; ++n) {
    Candidate c;
    c.counts = counts;
    c.cost = roster_cost(s, req, counts);
    out.push_back(std::move(c));
    for (size_t k = 0; k < counts.size(); ++k) {  // odometer
      counts[k] += req.vary[k].step;
      if (counts[k] <= req.vary[k].max) break;
      counts[k] = req.vary[k].min;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; });
  return out;
}

// A candidate's shares of replicates meeting the targets and its metric means, from its run.
void score(Candidate& c, const RunResult& run, const std::vector<rules::CompiledExpr>& targets, size_t metrics,
           double required_share) {
  std::vector<double> row(metrics);
  std::vector<int> held(targets.size(), 0);
  int all = 0;
  c.metric_means.assign(row.size(), 0.0);
  std::vector<int> defined(row.size(), 0);
  for (const auto& rep : run.replicates) {
    auto rm = metrics::replicate_metrics(rep, {});
    for (size_t i = 0; i < row.size(); ++i) {
      row[i] = rm[i].second;
      if (std::isfinite(row[i])) {
        c.metric_means[i] += row[i];
        ++defined[i];
      }
    }
    bool every = true;
    for (size_t t = 0; t < targets.size(); ++t) {
      const bool ok = targets[t].eval_bool(row.data());
      held[t] += ok;
      every = every && ok;
    }
    all += every;
  }
  for (size_t i = 0; i < row.size(); ++i)  // means over the replicates where a metric is defined
    c.metric_means[i] = defined[i] ? c.metric_means[i] / defined[i] : std::nan("");
  const double n = double(run.replicates.size());
  c.evaluated = true;
  c.share_met = all / n;
  for (int h : held) c.target_share.push_back(h / n);
  c.feasible = c.share_met >= required_share;
}

// The closest infeasible candidates evaluated, best first, at most five.
std::vector<size_t> runners_up(const std::vector<Candidate>& candidates) {
  std::vector<size_t> others;
  for (size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].evaluated && !candidates[i].feasible) others.push_back(i);
  std::stable_sort(others.begin(), others.end(), [&](size_t a, size_t b) {
    const auto& x = candidates[a];
    const auto& y = candidates[b];
    if (x.share_met != y.share_met) return x.share_met > y.share_met;
    return x.cost > y.cost;
  });
  others.resize(std::min<size_t>(others.size(), 5));
  return others;
}

// A candidate as the results store names it: "village_cadre=7, town_cadre=3".
std::string describe(const PlanRequest& req, const Candidate& c) {
  std::string out;
  for (size_t k = 0; k < req.vary.size(); ++k)
    out += (k ? ", " : "") + req.vary[k].role + "=" + std::to_string(c.counts[k]);
  return out;
}

}  // namespace

PlanResult run_plan(const Model& base, const PlanRequest& req, Diagnostics& d, store::ResultsStore* store) {
  PlanResult result;
  check_varied_roles(base, req, d);
  const std::vector<rules::CompiledExpr> targets = compile_targets(req, result, d);
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
  result.candidates = list_candidates(base.scenario, req, total);

  // Evaluate in cost order; stop once the cheapest cost level with a feasible roster is complete.
  // One model for every candidate: it shares the population, program and disease model with the
  // base, and only its roster (rosters, contacts, staff residents) is rebuilt per candidate.
  Model m = base;
  std::optional<double> feasible_cost;
  for (auto& c : result.candidates) {
    if (feasible_cost && c.cost > *feasible_cost) break;
    set_counts(m.scenario, req, c.counts);
    Diagnostics quiet;
    build_staffing(m, build_rosters(m.scenario, *m.program, quiet));
    RunOptions options{.trace = false, .keep_days = false};  // totals are enough
    options.store = store;
    options.configuration = int(&c - result.candidates.data());
    options.name = base.scenario.name;
    options.description = describe(req, c);
    const RunResult run = run_model(m, options);
    score(c, run, targets, result.metric_names.size(), req.required_share);
    if (c.feasible && !feasible_cost) feasible_cost = c.cost;
  }
  for (size_t i = 0; i < result.candidates.size(); ++i)
    if (result.candidates[i].feasible) {
      result.best = i;
      break;
    }
  result.runners_up = runners_up(result.candidates);
  return result;
}

}  // namespace vg::sim
