#include "io/plan_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "analysis/run_files.h"
#include "core/atomic_file.h"
#include "core/csv.h"
#include "io/compare_output.h"
#include "io/plan_scenario.h"
#include "metrics/metric_table.h"

namespace vg::io {

namespace {

// What a value counts (--per, --total), after the value: " per 1000 residents", " in the town", "".
std::string value_unit(const sim::PlanRequest& req) {
  switch (req.mode) {
    case sim::VaryMode::PerResidents: return " per " + std::to_string(req.per) + " residents";
    case sim::VaryMode::TownTotal: return " in the town";
    default: return "";
  }
}

// "village_cadre 2 per 1000 residents (13 people), party_member 30": each value with what it counts,
// and the people it gave where that is another number (a rate, or a headcount in each of a town's
// rosters).
std::string roster_text(const sim::PlanRequest& req, const sim::Candidate& c) {
  std::string s;
  for (size_t k = 0; k < req.vary.size(); ++k) {
    if (c.counts[k] < 0) continue;
    s += (s.empty() ? "" : ", ") + req.vary[k].role + " " + std::to_string(c.counts[k]);
    const int people = k < c.people.size() ? c.people[k] : -1;
    if (req.mode == sim::VaryMode::PerRoster && people >= 0 && people != c.counts[k]) s += " in each roster";
    s += value_unit(req);
    if (people >= 0 && people != c.counts[k]) s += " (" + std::to_string(people) + " people)";
  }
  return s;
}

std::string fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

std::string pct(double x) { return percent(x); }

std::string interval(int met, int n) {
  const auto [lo, hi] = sim::wilson_interval(met, n);
  return pct(double(met) / n) + " of " + std::to_string(n) + " (95% Wilson interval " + pct(lo) + " to " + pct(hi) +
         ")";
}

// A part's own binding target in the check, when there are several targets to choose from and one
// of them fails at all: "; binding target: 'T' (held in P%)".
std::string part_binding_text(const sim::PlanRequest& req, const sim::PlanCheck& c, size_t part) {
  const auto& b = c.part_binding[part];
  if (req.targets.size() < 2 || !b) return "";
  return "; binding target: '" + req.targets[*b] + "' (held in " + pct(c.part_target_share[part][*b]) + ")";
}

// A metric of the targets' rows (metrics::kVillageMetrics, in order) that is a first day.
bool first_day(size_t m) {
  return m < std::size(metrics::kVillageMetrics) && metrics::is_first_day(metrics::kVillageMetrics[m].unit);
}

// A metric's mean as the table prints it: a first day that never came is "never", another
// undefined value "undefined" (never a raw "nan").
std::string mean_text(size_t m, double x) {
  if (std::isnan(x)) return first_day(m) ? "never" : "undefined";
  return fmt("%.4g", x);
}

// Targets reading a metric that some of the check's (part, replicate) pairs left undefined, and how
// the target read it there (metrics::Undefined; plan.cpp's score_replicate).
std::string undefined_notes(const sim::PlanRequest& req, const sim::PlanResult& res, const std::string& prefix) {
  std::string out;
  const auto& c = res.check;
  const size_t parts = std::max<size_t>(1, res.parts.size());
  const int pairs = c.replicates * int(parts);
  for (size_t t = 0; t < req.targets.size() && t < res.target_metrics.size(); ++t)
    for (int m : res.target_metrics[t]) {
      if (size_t(m) >= c.metric_undefined.size()) continue;
      const std::string& name = res.metric_names[size_t(m)];
      const std::string target = "'" + req.targets[t] + "'";
      for (size_t why = 0; why < 4; ++why) {
        const int k = c.metric_undefined[size_t(m)][why];
        if (k == 0) continue;
        const std::string in =
            std::to_string(k) + " of " + std::to_string(pairs) +
            (parts > 1 ? " (part, replicate) pairs (" + std::to_string(parts) + " parts)" : " replicates");
        switch (metrics::Undefined(why)) {
          case metrics::Undefined::NothingToMeasure:
            out += prefix + name + " had nothing to measure (none of what it counts) in " + in +
                   ", where a comparison on it in " + target + " holds (a rule over no one)\n";
            break;
          case metrics::Undefined::Never:
            out += prefix + name +
                   (first_day(size_t(m)) ? ": it never happened in " + in + ", where " + target +
                                               " takes it as later than any day (so a target 'at least day D' holds "
                                               "there)\n"
                                         : " never came though it was due (a case never detected, a returnee never "
                                           "found) in " +
                                               in + ", where " + target +
                                               " takes it as longer than any (so a target 'at most N' fails there)\n");
            break;
          case metrics::Undefined::NoneDone:
            out += prefix + name + ": returnees arrived but none was found in " + in + ", where " + target +
                   " takes it as 0\n";
            break;
          case metrics::Undefined::NotModelled:
            out += prefix + name + " is not modelled in " + in + " (their villages' policy names no supplies), where " +
                   target + " counts as failed\n";
            break;
        }
      }
    }
  return out;
}

const char* unit_of(const sim::PlanRequest& req) {
  return req.cost == sim::PlanCost::Hours ? " staff-hours/day" : " people";
}

// What every --vary value counts, said once at the top of the table and of plan.md.
std::string mode_text(const sim::PlanRequest& req) {
  switch (req.mode) {
    case sim::VaryMode::PerResidents:
      return "each value is the role's people per " + std::to_string(req.per) +
             " residents of each roster (--per), rounded; the people it gives follow in brackets";
    case sim::VaryMode::TownTotal:
      return "each value is the role's people over the whole town (--total), split over its rosters";
    default: return "each value is the role's headcount in each roster that lists it";
  }
}

std::string part_title(const sim::PlanPart& p) {
  if (!p.is_town) return "village " + p.name + " (" + p.town + ")";
  return "town " + p.name + (p.only_village.empty() ? "" : " (" + p.only_village + ")");
}

// One roster of a part: values, cost, replicates and how close each target came.
std::string candidate_line(const sim::PlanRequest& req, const sim::PlanResult& res, const sim::Candidate& c) {
  std::string s = roster_text(req, c) + " (cost " + fmt("%.0f", c.cost) + unit_of(req) + "): all targets in " +
                  pct(c.share_met) + " of " + std::to_string(c.replicates) + " replicates";
  for (size_t t = 0; t < req.targets.size() && t < c.target_share.size(); ++t) {
    s += "; '" + req.targets[t] + "' in " + pct(c.target_share[t]);
    std::string means;
    for (int m : res.target_metrics[t])
      means += (means.empty() ? " (mean " : ", ") + res.metric_names[size_t(m)] + " " +
               mean_text(size_t(m), c.metric_means[size_t(m)]);
    if (!means.empty()) s += means + ")";
  }
  return s;
}

// Why rosters of the ranges were not run: dearer than an answer (when there is one), or (smart
// search) settled by monotonicity.
std::string not_needed_text(bool smart, bool any_answer) {
  const std::string dearer = any_answer ? "dearer than the answer" : "";
  const std::string settled =
      smart ? "settled by monotonicity: fewer staff of every role do no better than a roster that fails" : "";
  if (dearer.empty() && settled.empty()) return " not run";
  return " not needed (" + dearer + (!dearer.empty() && !settled.empty() ? ", or " : "") + settled + ")";
}

// The busiest role not varied, when it is busier than every varied role: it may bind.
std::string busiest_unvaried_text(const sim::Model& base, const sim::PlanCheck& c) {
  if (c.busiest_unvaried.empty()) return "";
  const auto r = size_t(base.program->find_role(c.busiest_unvaried));
  std::string undone;
  if (c.hours_late[r] > 0) undone = fmt("%.1f", c.hours_late[r]) + " hours of its work late";
  if (c.team_days_missing[r] > 0)
    undone += (undone.empty() ? "" : ", ") + fmt("%.1f", c.team_days_missing[r]) +
              " tracking-days its team place empty or duty undone";
  return "Busier than every varied role: " + c.busiest_unvaried + ", not varied (" + pct(c.busiest_unvaried_use) +
         " of its hours worked; " + undone + "): it may be what holds the targets back; --vary " + c.busiest_unvaried +
         "=MIN..MAX to find out\n";
}

// What a part without an answer should do next (the table, plan.md, plan.json's response.advice).
std::string no_answer_advice(const sim::PlanRequest& req, const sim::PlanPart& p) {
  if (!p.more_staff_helps)
    return "no roster in the ranges meets the targets, and more of the varied roles would not help: doubling them "
           "moves no metric a failing target reads by more than 1%; what holds it back is not these roles' hours (how "
           "soon returnees are found, the rules, supplies): relax the targets or change what limits them";
  // A range cut by one of the scenario's limits (more party members than the village has) cannot
  // be widened: the advice names the roles that can, and quotes the limits.
  std::string open, limits;
  size_t capped = 0;
  for (size_t k = 0; k < req.vary.size() && k < p.out_of_range.size(); ++k) {
    if (!p.out_of_range[k].empty()) {
      limits += (limits.empty() ? "" : "; ") + p.out_of_range[k];
      ++capped;
    } else if (!p.values[k].empty()) {  // rostered in this part
      open += (open.empty() ? "" : ", ") + req.vary[k].role;
    }
  }
  const std::string none = "no roster in the ranges meets the targets; ";
  if (p.none_in_limits())  // nothing of the ranges could run here: nothing was judged
    return "no roster of the ranges is within the scenario's limits here, so none was run (" + limits +
           "); plan.yaml keeps the scenario's own roster for it: lower the range, or vary another role";
  if (capped == 0) return none + "widen the ranges (--vary) or relax the targets";
  // With --per a rate's step can jump past a limit (1 per 1000 is 6 people, 2 is 13, the limit 8):
  // the role is not at its limit, a finer rate runs the counts between.
  if (open.empty() && req.mode == sim::VaryMode::PerResidents && int64_t(req.per) * 10 <= sim::kMaxPerResidents)
    return none + "the next step of the varied " + (capped == 1 ? "role" : "roles") +
           " per residents is beyond the scenario's limits (" + limits + "): a finer --per (" +
           std::to_string(int64_t(req.per) * 10) +
           ") runs the counts between, or vary another role, or relax the targets";
  if (open.empty())
    return none + (capped == 1 ? "the varied role is at the scenario's limit" : "the varied roles are at its limits") +
           ", so wider ranges cannot be run (" + limits + "): vary another role, or relax the targets";
  return none + "widen the range of " + open + " or relax the targets (" + limits + ")";
}

// A part without an answer: whether more of the varied roles would help, and the figures that say so.
std::string no_answer_text(const sim::PlanRequest& req, const sim::PlanResult& res, const sim::PlanPart& p,
                           const std::string& indent) {
  std::string out = no_answer_advice(req, p) + "\n";
  if (!p.half || !p.top) return out;
  out += indent + "from about half (" + roster_text(req, p.candidates[*p.half]) + ") to the top (" +
         roster_text(req, p.candidates[*p.top]) + "), same " + std::to_string(p.candidates[*p.top].replicates) +
         " replicates:";
  for (size_t i = 0; i < p.response.size(); ++i) {
    const auto& r = p.response[i];
    out += std::string(i ? ";" : "") + " " + res.metric_names[r.metric] + " " + mean_text(r.metric, r.half) + " -> " +
           mean_text(r.metric, r.top) + " ('" + req.targets[r.target] + "')";
  }
  return out + "\n";
}

// The villages that ran short (funds gone, requests refused, tasks or monitoring without their
// supplies, a day ending with a supply out), worst first by tasks without supplies, at most 20: the
// region's line above can hide one village going without.
std::string village_supplies_table(const sim::Model& base, const sim::PlanCheck& c) {
  std::vector<size_t> short_of;
  for (size_t v = 0; v < c.village_supplies.size(); ++v) {
    const auto& s = c.village_supplies[v];
    if (s.funds_left < 1 || s.requests_refused_for_funds > 0 || s.tasks_without_supplies > 0 ||
        s.tasks_skipped_for_supplies > 0 || s.monitoring_days_without_supplies > 0 || s.stockout_days > 0)
      short_of.push_back(v);
  }
  if (short_of.empty()) return "";
  std::stable_sort(short_of.begin(), short_of.end(), [&](size_t a, size_t b) {
    return c.village_supplies[a].tasks_without_supplies > c.village_supplies[b].tasks_without_supplies;
  });
  std::string out =
      "## Villages short of supplies or funds (mean over replicates)\n\n"
      "| village | yuan spent | yuan left | requests refused for funds | tasks without supplies | tasks skipped | "
      "monitoring days without supplies | days ending with a supply out |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
  const size_t shown = std::min<size_t>(short_of.size(), 20);
  for (size_t i = 0; i < shown; ++i) {
    const auto& s = c.village_supplies[short_of[i]];
    out += "| " + base.population->village_name[short_of[i]] + " | " + fmt("%.0f", s.money_spent) + " | " +
           fmt("%.0f", s.funds_left) + " | " + fmt("%.1f", s.requests_refused_for_funds) + " | " +
           fmt("%.1f", s.tasks_without_supplies) + " | " + fmt("%.1f", s.tasks_skipped_for_supplies) + " | " +
           fmt("%.1f", s.monitoring_days_without_supplies) + " | " + fmt("%.1f", s.stockout_days) + " |\n";
  }
  if (short_of.size() > shown)
    out += "\n" + std::to_string(short_of.size() - shown) + " more villages ran short (plan.json lists them all).\n";
  return out + "\n";
}

}  // namespace

// The target held least often. With several parts it is a part's (each is judged on its own
// metrics), then the region's when that differs: the region sums counts over its villages, so a
// per-village target (`tasks_late <= 10`) can hold in every part and fail for the region.
std::string binding_target_text(const sim::PlanRequest& req, const sim::PlanResult& res, const std::string& prefix) {
  const auto& c = res.check;
  std::string out;
  if (res.parts.size() <= 1) {
    if (c.binding_target)
      out += prefix + "Binding target: '" + req.targets[*c.binding_target] + "' (held in " +
             pct(c.target_share[*c.binding_target]) + " of replicates, whole region)\n";
    return out;
  }
  if (c.parts_binding_target)
    out += prefix + "Binding target: '" + req.targets[*c.parts_binding_target] + "' (held in " +
           pct(c.part_target_share[*c.parts_binding_part][*c.parts_binding_target]) + " of replicates in " +
           part_title(res.parts[*c.parts_binding_part]) + ", the least of any part)\n";
  else
    out += prefix + "Binding target: none (every part held every target in every replicate)\n";
  if (c.binding_target && c.binding_target != c.parts_binding_target)
    out += prefix + "On the whole region's metrics (counts summed over its villages): '" +
           req.targets[*c.binding_target] + "' held in " + pct(c.target_share[*c.binding_target]) + " of replicates\n";
  return out;
}

std::string plan_warnings(const sim::PlanResult& res) {
  // A warning several parts give in the same words is said once, naming them (a few, then how
  // many more): the prefecture's per-town plan gave the same three lines for each of 114 towns.
  std::vector<std::pair<std::string, std::vector<std::string>>> said;  // text, parts: in the order first given
  for (const auto& p : res.parts)
    for (const auto& given : p.warnings) {
      // Said without its figures (each part's differ), which the table and plan.md give.
      const std::string w =
          given.rfind(sim::kFewerAndWorse, 0) == 0
              ? "the answer runs fewer staff than the scenario and does much worse than the scenario's own roster at "
                "work no target reads (the figures: plan.md); add a target on what must not get worse"
          : given.find(sim::kNothingToMeasure) != std::string::npos
              ? "a target held mostly in replicates where it had nothing to measure (no case, no returnee), and too "
                "seldom where it had (the figures: plan.md)"
              : given;
      auto it = std::find_if(said.begin(), said.end(), [&](const auto& x) { return x.first == w; });
      if (it == said.end()) it = said.insert(said.end(), {w, {}});
      it->second.push_back(part_title(p));
    }
  constexpr size_t kNamed = 3;
  std::string out;
  for (const auto& [w, parts] : said) {
    std::string who;
    for (size_t i = 0; i < parts.size() && i < kNamed; ++i) who += (i ? ", " : "") + parts[i];
    if (parts.size() > kNamed)
      who +=
          " and " + std::to_string(parts.size() - kNamed) + (parts.size() - kNamed == 1 ? " more part" : " more parts");
    out += "villagegrid plan: warning: " + who + ": " + w + "\n";
  }
  return out;
}

std::string plan_table(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res) {
  const bool smart = req.search == sim::PlanSearch::Smart;
  std::string out = "Plan for " + base.scenario.name + ": at most " +
                    plural(base.replicates, "replicate", "replicates") + " per roster, seed " +
                    std::to_string(base.seed) + " (common random numbers); " +
                    (smart ? "smart search" : "exhaustive search") + "; " + mode_text(req) +
                    ".\nTargets, to hold together in at least " + pct(req.required_share) +
                    " of replicates, each part of the region on its own metrics:\n";
  for (const auto& t : req.targets) out += "  " + t + "\n";
  // The rosters not run were not needed: dearer than the answer, or (smart search) settled by
  // monotonicity (fewer staff of every role do no better than a roster that fails).
  const size_t not_run = res.candidates_in_ranges > res.evaluations ? res.candidates_in_ranges - res.evaluations : 0;
  const bool any_answer = std::any_of(res.parts.begin(), res.parts.end(), [](const auto& p) { return p.best; });
  out += res.candidates_in_ranges == 0
             ? std::string(
                   "No roster of the ranges is within the scenario's limits (out of range, below), so none was "
                   "run")
             : std::to_string(res.evaluations) + " of the " + std::to_string(res.candidates_in_ranges) +
                   " rosters in the ranges and limits run" +
                   (not_run > 0 ? "; the other " + std::to_string(not_run) + not_needed_text(smart, any_answer)
                                : std::string());
  out += "; " + plural(int64_t(res.rounds), "run", "runs") + " of the model in the search, and one for the check; " +
         std::to_string(res.pairs_run) + " (replicate, town) pairs simulated with the check (" +
         std::to_string(res.check_pairs_reused) + " of the check's taken from the search).\n";
  for (const auto& p : res.parts) {
    out += "\n" + part_title(p) + ":\n";
    if (p.best)
      out += "  answer: " + candidate_line(req, res, p.candidates[*p.best]) + "\n";
    else
      out += "  " + no_answer_text(req, res, p, "  ");
    if (!p.binding_roles.empty()) {
      // Each on its own: one step fewer of any of them fails ("of a, or of b, fails").
      out += "  binding: one step fewer of";
      for (size_t i = 0; i < p.binding_roles.size(); ++i) out += (i ? ", or of " : " ") + p.binding_roles[i];
      out += p.binding_roles.size() > 1 ? ", fails\n" : " fails\n";
    }
    for (const auto& o : p.out_of_range)
      if (!o.empty()) out += "  out of range: " + o + "\n";
    for (size_t i : p.runners_up) out += "  short: " + candidate_line(req, res, p.candidates[i]) + "\n";
    for (const auto& w : p.warnings) out += "  warning: " + w + "\n";
  }
  const auto& c = res.check;
  out += "\nThe combined roster (cost " + fmt("%.0f", c.cost) + unit_of(req) + "), run on every replicate:\n";
  for (size_t i = 0; i < res.parts.size(); ++i)
    out += "  " + part_title(res.parts[i]) + " meets the targets in " + interval(c.part_met[i], c.replicates) +
           part_binding_text(req, c, i) + "\n";
  if (res.parts.size() > 1)
    out += "  every part meets its targets (together) in " + interval(c.parts_met, c.replicates) +
           "\n  the whole region's metrics meet them in " + interval(c.met, c.replicates) +
           " (the region's metrics: a count sums its villages', a first day is their earliest)\n";
  out += binding_target_text(req, res, "");
  out += undefined_notes(req, res, "Note: ");
  if (!c.bottleneck.empty()) out += "Bottleneck role (of the varied roles): " + c.bottleneck + "\n";
  if (res.candidates_in_ranges == 0) out += "Bottleneck role: not known (no roster of the ranges was run)\n";
  if (!c.varied_roles_bind)
    out += "Bottleneck role: none of the varied roles (more of them moves none of the failing targets)\n";
  out += busiest_unvaried_text(base, c);
  return out;
}

std::string plan_csv(const sim::PlanRequest& req, const sim::PlanResult& res) {
  std::string out = "part,town,";
  for (const auto& v : req.vary) out += v.role + ",";
  out += "cost,";
  for (const auto& v : req.vary) out += "people_" + v.role + ",";
  out += "replicates,feasible,settled,answer,share_all_targets";
  // A target's share is named after the target itself (quoted where it holds a comma).
  std::vector<std::string> shares;
  for (const auto& t : req.targets) shares.push_back("share_" + t);
  for (const auto& name : distinct_names(shares)) out += "," + csv_field(name);
  for (const auto& m : res.metric_names) out += ",mean_" + m;
  out += "\n";
  for (const auto& p : res.parts)
    for (size_t i = 0; i < p.candidates.size(); ++i) {
      const auto& c = p.candidates[i];
      out += csv_field(p.name) + "," + csv_field(p.town) + ",";
      for (int k : c.counts) out += (k >= 0 ? std::to_string(k) : "") + ",";
      out += csv_number(c.cost) + ",";
      for (size_t k = 0; k < req.vary.size(); ++k)
        out += (k < c.people.size() && c.people[k] >= 0 ? std::to_string(c.people[k]) : "") + ",";
      out += std::to_string(c.replicates) + "," + (c.feasible ? "1" : "0") + "," + (c.settled ? "1" : "0") + "," +
             (p.best == i ? "1" : "0") + "," + csv_number(c.share_met);
      for (double s : c.target_share) out += "," + csv_number(s);
      for (double m : c.metric_means) out += "," + csv_number(m);
      out += "\n";
    }
  return out;
}

namespace {

// One roster in plan.json: its values, the people they ran, cost and shares.
nlohmann::ordered_json candidate_json(const sim::PlanRequest& req, const sim::Candidate& c) {
  using J = nlohmann::ordered_json;
  J r = J::object(), people = J::object();
  for (size_t k = 0; k < req.vary.size(); ++k) {
    if (c.counts[k] >= 0) r[req.vary[k].role] = c.counts[k];
    if (k < c.people.size() && c.people[k] >= 0) people[req.vary[k].role] = c.people[k];
  }
  return J{{"roster", r},
           {"people", people},
           {"cost", c.cost},
           {"replicates", c.replicates},
           {"share_all_targets", c.share_met},
           {"share_per_target", c.target_share}};
}

// Part i in plan.json: its answer, check, runners-up, and without an answer its response.
nlohmann::ordered_json part_json(const sim::PlanRequest& req, const sim::PlanResult& res, size_t i) {
  using J = nlohmann::ordered_json;
  const auto cand = [&](const sim::Candidate& c) { return candidate_json(req, c); };
  const auto& chk = res.check;
  const auto& p = res.parts[i];
  J q{{"name", p.name},
      {"town", p.town},
      {"kind", p.is_town ? "town" : "village"},
      {"only_village", p.only_village.empty() ? J(nullptr) : J(p.only_village)}};
  q["best"] = p.best ? cand(p.candidates[*p.best]) : J(nullptr);
  const auto [lo, hi] = sim::wilson_interval(chk.part_met[i], chk.replicates);
  const auto& pb = chk.part_binding[i];
  q["check"] = {{"share_all_targets", double(chk.part_met[i]) / chk.replicates},
                {"lower", lo},
                {"upper", hi},
                {"share_per_target", chk.part_target_share[i]},
                {"binding_target", pb ? J(req.targets[*pb]) : J(nullptr)}};
  q["binding_roles"] = p.binding_roles;
  J ru = J::array();
  for (size_t r : p.runners_up) ru.push_back(cand(p.candidates[r]));
  q["runners_up"] = ru;
  J oor = J::array();
  for (const auto& o : p.out_of_range)
    if (!o.empty()) oor.push_back(o);
  q["out_of_range"] = oor;
  q["warnings"] = p.warnings;
  q["searched_below"] = p.searched_below ? cand(p.candidates[*p.searched_below]) : J(nullptr);
  if (!p.best) {  // no answer: does more of the varied roles move what fails?
    J resp{{"more_staff_helps", p.more_staff_helps}, {"advice", no_answer_advice(req, p)}};
    resp["half"] = p.half ? cand(p.candidates[*p.half]) : J(nullptr);
    resp["top"] = p.top ? cand(p.candidates[*p.top]) : J(nullptr);
    J ms = J::array();
    for (const auto& r : p.response)
      ms.push_back({{"target", req.targets[r.target]},
                    {"metric", res.metric_names[r.metric]},
                    {"half", std::isfinite(r.half) ? J(r.half) : J(nullptr)},
                    {"top", std::isfinite(r.top) ? J(r.top) : J(nullptr)}});
    resp["metrics"] = ms;
    q["response"] = resp;
  }
  return q;
}

}  // namespace

std::string plan_json(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res,
                      const std::string& version) {
  using J = nlohmann::ordered_json;
  J j;
  j["villagegrid"] = version;
  j["scenario"] = base.scenario.name;
  j["replicates"] = base.replicates;
  j["seed"] = base.seed;
  j["targets"] = req.targets;
  J vary = J::array();
  for (const auto& v : req.vary) vary.push_back({{"role", v.role}, {"min", v.min}, {"max", v.max}, {"step", v.step}});
  j["vary"] = vary;
  // What a value counts: each roster's headcount, per `per` residents, or the town's total.
  j["per"] = req.mode == sim::VaryMode::PerResidents ? "residents"
             : req.mode == sim::VaryMode::TownTotal  ? "town"
                                                     : "roster";
  if (req.mode == sim::VaryMode::PerResidents) j["per_residents"] = req.per;
  j["required_share"] = req.required_share;
  j["cost"] = req.cost == sim::PlanCost::Hours ? "hours" : "headcount";
  j["search"] = req.search == sim::PlanSearch::Smart ? "smart" : "exhaustive";
  j["all_parts_answered"] = res.all_parts_answered;
  j["rosters_run"] = res.evaluations;
  j["rosters_in_ranges"] = res.candidates_in_ranges;
  j["runs_of_the_model"] = res.rounds;
  j["pairs_run"] = res.pairs_run;  // (replicate, town) pairs, search and check
  j["check_pairs_from_search"] = res.check_pairs_reused;
  J parts = J::array();
  for (size_t i = 0; i < res.parts.size(); ++i) parts.push_back(part_json(req, res, i));
  const auto& chk = res.check;
  j["parts"] = parts;
  J busiest = nullptr;
  if (!chk.busiest_unvaried.empty()) {
    const auto r = size_t(base.program->find_role(chk.busiest_unvaried));
    busiest = {{"role", chk.busiest_unvaried},
               {"used", chk.busiest_unvaried_use},
               {"hours_late", chk.hours_late[r]},
               {"team_days_missing", chk.team_days_missing[r]}};
  }
  j["check"] = {
      {"replicates", chk.replicates},
      {"cost", chk.cost},
      {"share_all_targets", double(chk.met) / chk.replicates},
      {"lower", chk.lower},
      {"upper", chk.upper},
      {"share_per_target", chk.target_share},
      {"binding_target", chk.binding_target ? J(req.targets[*chk.binding_target]) : J(nullptr)},
      {"share_all_parts", double(chk.parts_met) / chk.replicates},
      {"parts_lower", chk.parts_lower},
      {"parts_upper", chk.parts_upper},
      {"parts_binding_target", chk.parts_binding_target ? J(req.targets[*chk.parts_binding_target]) : J(nullptr)},
      {"parts_binding_part", chk.parts_binding_part ? J(part_title(res.parts[*chk.parts_binding_part])) : J(nullptr)},
      {"bottleneck_role", chk.bottleneck.empty() ? J(nullptr) : J(chk.bottleneck)},
      {"busiest_unvaried_role", busiest},
      {"varied_roles_bind", chk.varied_roles_bind},
      {"money_spent", chk.money_spent},
      {"funds_left", chk.funds_left},
      {"requests_refused_for_funds", chk.requests_refused_for_funds},
      {"tasks_without_supplies", chk.tasks_without_supplies},
      {"stockout_days", chk.stockout_days}};
  J villages = J::array();
  for (size_t v = 0; v < chk.village_supplies.size(); ++v) {
    const auto& s = chk.village_supplies[v];
    villages.push_back({{"village", base.population->village_name[v]},
                        {"money_spent", s.money_spent},
                        {"funds_left", s.funds_left},
                        {"requests_refused_for_funds", s.requests_refused_for_funds},
                        {"tasks_without_supplies", s.tasks_without_supplies},
                        {"tasks_skipped_for_supplies", s.tasks_skipped_for_supplies},
                        {"monitoring_days_without_supplies", s.monitoring_days_without_supplies},
                        {"stockout_days", s.stockout_days}});
  }
  j["check"]["villages_supplies"] = villages;
  return j.dump(2) + "\n";
}

std::string plan_report(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res) {
  const auto& c = res.check;
  std::string out = "# Plan for " + base.scenario.name + "\n\n";
  out += "The roster in `plan.yaml`, run on " + std::to_string(c.replicates) + " replicates (seed " +
         std::to_string(base.seed) + ").\n\n";
  out += "- Rosters: " + mode_text(req) + ".\n";
  out += "- Cost: " + fmt("%.0f", c.cost) + unit_of(req) + " (every roster of the region, as simulated).\n";
  out += "- Targets, to hold together in at least " + pct(req.required_share) + " of replicates:\n";
  const bool parts = res.parts.size() > 1;
  for (size_t t = 0; t < req.targets.size(); ++t) {
    out += "  - `" + req.targets[t] + "`: held in ";
    if (parts) {  // each part on its own metrics: the part where it held least, then the region's sum
      size_t least = 0;
      for (size_t i = 1; i < c.part_target_share.size(); ++i)
        if (c.part_target_share[i][t] < c.part_target_share[least][t]) least = i;
      out += (c.part_target_share[least][t] >= 1 ? std::string("100% of replicates in every part")
                                                 : pct(c.part_target_share[least][t]) + " of replicates in " +
                                                       part_title(res.parts[least]) + " (the least of any part)") +
             ", " + pct(c.target_share[t]) + " on the whole region's metrics";
    } else {
      out += pct(c.target_share[t]) + " of replicates (whole region)";
    }
    out += ((parts ? c.parts_binding_target : c.binding_target) == t ? ", the binding target" : "") + std::string("\n");
  }
  if (parts)
    out +=
        "- Every part meeting its targets (together, each on its own metrics): " + interval(c.parts_met, c.replicates) +
        ".\n";
  out +=
      "- Every target together, whole region" +
      std::string(parts ? " (the region's metrics: a count sums its villages', a first day is their earliest)" : "") +
      ": " + interval(c.met, c.replicates) + ".\n";
  if (parts) out += binding_target_text(req, res, "- ");
  out += undefined_notes(req, res, "- Note: ");
  out += "- Parts planned on their own, each on its own metrics:\n";
  for (size_t i = 0; i < res.parts.size(); ++i) {
    const auto& p = res.parts[i];
    out += "  - " + part_title(p) + ": " +
           (p.best ? roster_text(req, p.candidates[*p.best]) : std::string("no roster in the ranges meets them")) +
           "; " + interval(c.part_met[i], c.replicates) + part_binding_text(req, c, i) + "\n";
    if (!p.best) out += "    - " + no_answer_text(req, res, p, "    - ");
    for (const auto& w : p.warnings) out += "    - Warning: " + w + "\n";  // as the table's
  }
  if (!c.bottleneck.empty()) out += "- Bottleneck role (of the varied roles): " + c.bottleneck + ".\n";
  if (res.candidates_in_ranges == 0) out += "- Bottleneck role: not known (no roster of the ranges was run).\n";
  if (!c.varied_roles_bind)
    out += "- Bottleneck role: none of the varied roles (more of them moves none of the failing targets).\n";
  if (const std::string b = busiest_unvaried_text(base, c); !b.empty()) out += "- " + b;
  out += "- Supplies and funds (mean over replicates, whole region): " + fmt("%.0f", c.money_spent) + " yuan spent, " +
         fmt("%.0f", c.funds_left) + " yuan left; " + fmt("%.1f", c.requests_refused_for_funds) +
         " requests that bought nothing for want of funds; " + fmt("%.1f", c.tasks_without_supplies) +
         " tasks done without their supplies (short when the task was done); " + fmt("%.1f", c.stockout_days) +
         " village-days ending with a used supply out (at 23:59, after the day's deliveries).\n\n";
  out += village_supplies_table(base, c);
  out +=
      "## Hours by role (per day, whole region, mean over replicates)\n\n| role | worked | available | used |\n"
      "|---|---:|---:|---:|\n";
  const auto& roles = base.program->roles();
  for (size_t r = 0; r < roles.size() && r < c.hours_available_per_day.size(); ++r) {
    if (c.hours_available_per_day[r] <= 0) continue;
    out += "| " + roles[r] + " | " + fmt("%.1f", c.hours_worked_per_day[r]) + " | " +
           fmt("%.1f", c.hours_available_per_day[r]) + " | " +
           pct(c.hours_worked_per_day[r] / c.hours_available_per_day[r]) + " |\n";
  }
  return out;
}

void write_plan_outputs(const std::filesystem::path& dir, const sim::Model& base, const sim::PlanRequest& req,
                        const sim::PlanResult& res, const std::string& version, const OutputExtras& extras) {
  write_files_atomic(dir,
                     {{"plan.csv", plan_csv(req, res)},
                      {"plan.json", plan_json(base, req, res, version)},
                      {"plan.yaml", plan_scenario_text(base, req, res, dir)},
                      {"plan.md", plan_report(base, req, res)}},
                     extras);
}

// A whole per cent, but never 100% or 0% for a share that is not (199 of 200 read "100%" beside a
// note that the target failed once): one decimal there.
std::string percent(double x) {
  std::string out;
  for (const char* f : {"%.0f%%", "%.1f%%", "%.2f%%", "%.3f%%"}) {
    out = fmt(f, x * 100);
    const double shown = std::strtod(out.c_str(), nullptr);
    if (!(x < 1 && shown >= 100) && !(x > 0 && shown <= 0)) break;
  }
  return out;
}

}  // namespace vg::io
