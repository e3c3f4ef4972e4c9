// `villagegrid plan`: the smallest roster that meets every target in a share of replicates.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>

#include "analysis/plan.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "io/plan_output.h"
#include "sim/ranks.h"
#include "sim/runner.h"

namespace vg::cli {

namespace {

namespace fs = std::filesystem;

struct PlanArgs : CommonRunOptions {
  std::string scenario;
  std::vector<std::string> targets, vary;
  double share = 0.9;
  std::string cost = "headcount";
  int per = 0;  // 0: headcounts per roster
  bool total = false;
  std::string search = "smart";
  bool exact = false;
};

// The shortest text that reads back as `x` (0.9, not 0.90000000000000002).
std::string shortest(double x) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

// The staff entries that the combined roster sets below the scenario's own in the villages of parts
// without an answer (run at the top of their ranges, which can be below what the scenario has):
// "Dacun party_member 75 -> 20".
std::vector<std::string> lowered_without_answer(const config::ScenarioSpec& was, const sim::PlanResult& res) {
  std::vector<bool> unanswered;  // by global village index
  for (const auto& p : res.parts)
    if (!p.best && !p.none_in_limits())
      for (size_t v : p.villages) {
        if (unanswered.size() <= v) unanswered.resize(v + 1, false);
        unanswered[v] = true;
      }
  std::vector<std::string> out;
  const auto& now = res.answer;
  size_t g = 0;
  for (size_t t = 0; t < was.towns.size() && t < now.towns.size(); ++t)
    for (size_t v = 0; v < was.towns[t].villages.size() && v < now.towns[t].villages.size(); ++v, ++g) {
      if (g >= unanswered.size() || !unanswered[g]) continue;
      const auto &a = was.towns[t].villages[v].staff, &b = now.towns[t].villages[v].staff;
      for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        if (b[i].count < a[i].count)
          out.push_back(was.towns[t].villages[v].name + " " + a[i].role + " " + std::to_string(a[i].count) + " -> " +
                        std::to_string(b[i].count));
    }
  return out;
}

int cmd_plan(const PlanArgs& a) {
  auto threads = a.limit_threads();
  Diagnostics diags;
  sim::Model base = sim::load_model(a.scenario, diags, a.overrides());
  sim::PlanRequest req;
  req.targets = a.targets;
  req.required_share = a.share;
  req.cost = a.cost == "hours" ? sim::PlanCost::Hours : sim::PlanCost::Headcount;
  req.mode = a.total ? sim::VaryMode::TownTotal : a.per > 0 ? sim::VaryMode::PerResidents : sim::VaryMode::PerRoster;
  if (a.per > 0) req.per = a.per;
  req.search = a.search == "exhaustive" ? sim::PlanSearch::Exhaustive : sim::PlanSearch::Smart;
  if (a.exact) req.stop_z = 0;
  for (const auto& v : a.vary)
    if (auto spec = sim::parse_vary(v, diags)) req.vary.push_back(*spec);
  if (diags.has_errors()) throw InputError(diags);
  sim::check_memory(base, false, false);
  const fs::path out = a.out.empty() ? fs::path("runs") / (base.scenario.name + "-plan") : fs::path(a.out);
  // Each roster tried is a configuration of the results store, for --resume.
  std::vector<store::Input> inputs;
  add_model_inputs(inputs, base, "");
  for (size_t i = 0; i < a.targets.size(); ++i) inputs.push_back({"target " + std::to_string(i + 1), a.targets[i]});
  for (size_t i = 0; i < a.vary.size(); ++i) inputs.push_back({"vary " + std::to_string(i + 1), a.vary[i]});
  inputs.push_back({"share", shortest(a.share)});  // exact, and what a refused --resume shows
  inputs.push_back({"cost", a.cost});
  inputs.push_back({"headcounts", a.total ? "per town" : a.per > 0 ? "per " + std::to_string(a.per) : "per roster"});
  inputs.push_back({"search", a.search + (a.exact ? " exact" : "")});
  StoredSweep sweep(out, "plan", std::move(inputs), a.resume);
  Progress progress("plan", "replicates", a.quiet);
  req.on_queued = [&](size_t n) { progress.queue(n); };
  req.on_replicate = [&] { progress.done(); };
  auto res = sim::run_plan(base, req, diags, sweep.store());
  progress.finish();
  print_diagnostics(diags);
  if (sim::is_root()) {  // under mpirun, rank 0 alone writes (sim/ranks.h)
    io::write_plan_outputs(out, base, req, res, VILLAGEGRID_VERSION, sweep.finish());
    sweep.done();
    // Said even with --quiet: plan.yaml then holds a roster that does not meet the targets.
    // A part whose ranges all lie beyond the scenario's limits ran nothing: said apart (it keeps
    // the scenario's roster, which may well meet the targets).
    const size_t outside = size_t(
        std::count_if(res.parts.begin(), res.parts.end(), [](const auto& p) { return !p.best && p.none_in_limits(); }));
    const size_t unanswered =
        size_t(std::count_if(res.parts.begin(), res.parts.end(), [](const auto& p) { return !p.best; })) - outside;
    const auto parts = [&](size_t n) {
      return std::to_string(n) + " of " + std::to_string(res.parts.size()) +
             (res.parts.size() == 1 ? " part" : " parts");
    };
    if (unanswered > 0)
      std::cerr << "villagegrid plan: warning: no roster in the ranges meets the targets for " << parts(unanswered)
                << (unanswered == 1 ? "; plan.yaml runs it at the top of its ranges"
                                    : "; plan.yaml runs them at the top of their ranges")
                << " (plan.md: whether more staff would help)\n";
    // The top of a range can be below the scenario's own roster (a small village caps every
    // village's headcount): plan.yaml would run fewer staff there than the input, unsaid.
    if (const auto lower = lowered_without_answer(base.scenario, res); !lower.empty()) {
      // A limit stopped the ranges in some such part (the smallest village's, with one headcount
      // for all): raising them runs nothing more there.
      const bool capped = std::any_of(res.parts.begin(), res.parts.end(), [](const auto& p) {
        return !p.best && std::any_of(p.out_of_range.begin(), p.out_of_range.end(),
                                      [](const std::string& why) { return !why.empty(); });
      });
      std::string list;
      for (size_t i = 0; i < lower.size() && i < 4; ++i) list += (i ? ", " : "") + lower[i];
      if (lower.size() > 4) list += " and " + std::to_string(lower.size() - 4) + " more";
      std::cerr << "villagegrid plan: warning: in the parts without an answer, the top of the ranges is below the "
                   "scenario's own roster ("
                << list << "), so plan.yaml runs fewer staff in them than the scenario does"
                << (req.mode == sim::VaryMode::PerRoster && capped
                        ? ": --per 1000 sizes each village's roster to its residents"
                    : req.mode == sim::VaryMode::PerResidents ? ": raise the ranges, or where a limit stops them (out "
                                                                "of range), give a finer rate (--per 10000)"
                                                              : ": raise the ranges")
                << "\n";
    }
    if (outside > 0)
      std::cerr << "villagegrid plan: warning: no roster of the ranges is within the scenario's limits for "
                << parts(outside) << ", so none was run there; plan.yaml keeps the scenario's own roster for "
                << (outside == 1 ? "it" : "them") << " (out of range: plan.md)\n";
  }
  if (a.quiet) {  // nothing but warnings: the parts' too (an answer not settled, a range's bottom)
    if (sim::is_root()) std::cerr << io::plan_warnings(res);
    return kExitOk;
  }
  std::cout << io::plan_table(base, req, res);
  std::cout << "\nOutputs written to " << out.string()
            << "/ (plan.yaml: the scenario with this roster, plan.md, plan.csv, plan.json, results.sqlite)\n";
  return kExitOk;
}

// --share: more than 0 and at most 1; a per cent (95) is answered with the share it likely meant.
// (CLI11's Range said "Value 95 not in range 0.000000 to 1.000000".)
const CLI::Validator kShare(
    [](const std::string& s) {
      double x = 0;
      const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
      if (res.ec != std::errc() || res.ptr != s.data() + s.size())
        return "expected a share of replicates, more than 0 and at most 1; got " + s;
      if (x > 0 && x <= 1) return std::string();
      if (x == 0)
        return std::string("a share of 0 lets every roster meet the targets; give one more than 0 and at most 1");
      return "a share of replicates is more than 0 and at most 1; got " + s +
             (x >= 2 && x <= 100 ? "; did you mean " + shortest(x / 100) + "?" : "");  // a per cent
    },
    "0 < SHARE <= 1");

// --per: a whole number of residents, 1 to 10,000,000. (CLI11's Range said "not in range" of 1000.5.)
const CLI::Validator kPer(
    [](const std::string& s) {
      int64_t x = 0;
      const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
      if (res.ec == std::errc() && res.ptr == s.data() + s.size() && x >= 1 && x <= sim::kMaxPerResidents)
        return std::string();
      return "expected a whole number of residents, 1 to " + std::to_string(sim::kMaxPerResidents) + "; got " + s;
    },
    "INT in 1.." + std::to_string(sim::kMaxPerResidents));

}  // namespace

Command add_plan(CLI::App& app) {
  auto args = std::make_shared<PlanArgs>();
  auto* plan = app.add_subcommand("plan", "Find the smallest roster that meets every target in a share of replicates");
  plan->add_option("scenario", args->scenario, "Scenario file")->required()->check(CLI::ExistingFile);
  plan->add_option("--target", args->targets,
                   "Condition on region metrics, e.g. 'screened_within_24h_of_arrival_share >= 0.3' (repeatable)")
      ->required();
  plan->add_option("--vary", args->vary,
                   "ROLE=MIN..MAX[:STEP]: the role's headcount to try in each roster listing it (a village's, a "
                   "town's own), split over its shift entries in proportion (repeatable)")
      ->required();
  auto* per = plan->add_option("--per", args->per,
                               "Headcounts per this many residents of each roster (--per 1000: staff per 1,000 "
                               "residents, rounded to the nearest person)")
                  ->check(kPer);
  plan->add_flag("--total", args->total,
                 "Headcounts per town in total (its own roster and its villages'), split over the entries in "
                 "proportion: a town pool")
      ->excludes(per);
  plan->add_option(
          "--search", args->search,
          "smart (default: bisection or a staircase per village or town, screening and sequential stopping) or "
          "exhaustive (every roster by cost on every replicate)")
      ->check(CLI::IsMember({"smart", "exhaustive"}));
  plan->add_flag("--exact", args->exact,
                 "Stop a roster's replicates early only once the rest could not change its verdict (default: also "
                 "once the 99% Wilson interval excludes --share)");
  plan->add_option("--share", args->share, "Share of replicates in which all targets must hold (default 0.9)")
      ->check(kShare);
  plan->add_option("--cost", args->cost, "What to minimise: headcount (default) or hours (daily staff-hours)")
      ->check(CLI::IsMember({"headcount", "hours"}));
  args->add_to(plan, "runs/<scenario>-plan; replicates are per roster");
  return {plan, [args] { return cmd_plan(*args); }};
}

}  // namespace vg::cli
