// villagegrid command line: run a scenario, check input files.
// Exit status: 0 success, 2 bad input (every problem printed as file:line:col), 1 other failure.
#include <CLI/CLI.hpp>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "config/grid_spec.h"
#include "config/yaml_doc.h"
#include "io/compare_output.h"
#include "io/explain.h"
#include "io/outputs.h"
#include "io/plan_output.h"
#include "sim/plan.h"
#include "metrics/compare.h"
#include "metrics/summary.h"
#include "rules/program.h"
#include "rules/rule_tests.h"
#include "sim/model.h"
#include "sim/runner.h"

#ifndef VILLAGEGRID_VERSION
#define VILLAGEGRID_VERSION "0.0.0"
#endif
#ifndef VILLAGEGRID_SOURCE_DIR
#define VILLAGEGRID_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;
constexpr int kExitOk = 0, kExitFailure = 1, kExitBadInput = 2;

// The shipped default scenario: $VILLAGEGRID_HOME/scenarios/pushan-2020.yaml, else the source tree.
std::string default_scenario() {
  const char* home = std::getenv("VILLAGEGRID_HOME");
  fs::path root = home ? fs::path(home) : fs::path(VILLAGEGRID_SOURCE_DIR);
  return (root / "scenarios" / "pushan-2020.yaml").string();
}

void print_diagnostics(const vg::Diagnostics& d) {
  if (!d.empty()) std::cerr << d.format();
}

// Options every command that runs scenarios takes.
struct CommonRunOptions {
  std::string out;
  int replicates = 0;  // 0: the scenario's
  int64_t seed = -1;   // -1: the scenario's
  int threads = 0;     // 0: all cores

  vg::sim::Overrides overrides() const {
    vg::sim::Overrides ov;
    if (seed >= 0) ov.seed = uint64_t(seed);
    if (replicates > 0) ov.replicates = replicates;
    return ov;
  }
  // Caps oneTBB's worker threads for as long as the returned object lives.
  std::unique_ptr<tbb::global_control> limit_threads() const {
    if (threads <= 0) return nullptr;
    return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, size_t(threads));
  }
  void add_to(CLI::App* cmd, const std::string& default_out, int min_replicates = 1) {
    cmd->add_option("--out", out, "Output folder (default: " + default_out + ")");
    cmd->add_option("--replicates", replicates, "Replicates (overrides the scenario)")
        ->check(CLI::Range(min_replicates, 1000000));
    cmd->add_option("--seed", seed, "Random seed (overrides the scenario)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--threads", threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 4096));
  }
};

struct RunArgs : CommonRunOptions {
  std::string scenario;
  bool trace = false;
  bool quiet = false;
  bool profile = false;
};

// Peak resident memory of this process so far, in bytes (Linux: VmHWM), 0 if unknown.
size_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return size_t(std::strtoull(line.c_str() + 6, nullptr, 10)) * 1024;
  return 0;
}

int cmd_run(const RunArgs& a) {
  vg::Diagnostics diags;
  const vg::sim::Overrides ov = a.overrides();
  const std::string path = a.scenario.empty() ? default_scenario() : a.scenario;
  auto threads = a.limit_threads();

  const auto t0 = std::chrono::steady_clock::now();
  vg::sim::Model model = vg::sim::load_model(path, diags, ov);
  print_diagnostics(diags);  // warnings
  const auto t1 = std::chrono::steady_clock::now();
  vg::sim::check_memory(model, a.trace);
  vg::sim::PhaseTimes phases;
  vg::sim::RunResult run = vg::sim::run_model(model, {a.trace, true, a.profile ? &phases : nullptr});
  const auto t2 = std::chrono::steady_clock::now();

  std::vector<std::string> vnames, vtowns;
  for (size_t v = 0; v < model.population->villages(); ++v) {
    vnames.push_back(model.population->village_name[v]);
    vtowns.push_back(model.population->town_name[model.population->village_town[v]]);
  }
  auto summary = vg::metrics::summarise(run.replicates, model.program->roles(), vnames, vtowns);
  const auto t2b = std::chrono::steady_clock::now();
  const fs::path out = a.out.empty() ? fs::path("runs") / model.scenario.name : fs::path(a.out);
  vg::io::write_run_outputs(out, model, run, summary, VILLAGEGRID_VERSION, a.trace);
  const auto t3 = std::chrono::steady_clock::now();
  if (a.profile) {
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    const double persons = double(model.population->persons());
    const double agent_days = persons * model.horizon_days * model.replicates;
    const int nthreads = tbb::this_task_arena::max_concurrency();
    const double sim_s = ms(t2 - t1) / 1000;
    double thread_ticks = 0;
    for (int64_t x : phases.ticks) thread_ticks += double(x);
    std::printf("Profile: %.0f persons x %d days x %d replicates = %.4g agent-days, %d threads\n", persons,
                model.horizon_days, model.replicates, agent_days, nthreads);
    std::printf("  load      %8.1f ms (population %.1f ms)\n", ms(t1 - t0), model.population_ms);
    std::printf("  simulate  %8.1f ms: %.1f M agent-days/s, %.1f M per core\n", ms(t2 - t1),
                agent_days / sim_s / 1e6, agent_days / sim_s / 1e6 / nthreads);
    std::printf("            thread time by phase:");
    for (int k = 0; k < vg::sim::PhaseTimes::Count; ++k)
      std::printf(" %s %.1f%%", vg::sim::PhaseTimes::name(k), thread_ticks > 0 ? 100.0 * double(phases.ticks[size_t(k)]) / thread_ticks : 0.0);
    std::printf("\n  outputs   %8.1f ms (metrics summary %.1f ms, files %.1f ms)\n", ms(t3 - t2), ms(t2b - t2), ms(t3 - t2b));
    const size_t rss = peak_rss_bytes();
    std::printf("  peak RSS  %8.1f MB (%.1f bytes per person)\n", double(rss) / 1e6, double(rss) / persons);
    std::fflush(stdout);
  }

  if (!a.quiet) {
    std::cout << vg::io::summary_table(model, summary);
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::cout << "\nOutputs written to " << out.string() << "/ (summary.json, timeseries.csv"
              << (a.trace ? ", trace.csv, persons.csv" : "") << ")\n";
    std::fprintf(stdout, "Time: load %.0f ms, simulate %.0f ms, outputs %.0f ms\n", ms(t1 - t0), ms(t2 - t1),
                 ms(t3 - t2));
  }
  return kExitOk;
}

struct CompareArgs : CommonRunOptions {
  std::vector<std::string> scenarios;
};

// Runs each configuration with the same seed and replicate count (common random numbers) and
// reports each metric with a 95% interval and the paired difference against the first.
int cmd_compare(const CompareArgs& a) {
  auto threads = a.limit_threads();
  vg::Diagnostics diags;
  std::vector<vg::sim::Model> models;
  vg::sim::Overrides ov = a.overrides();
  // Every configuration gets the first one's seed and replicate count unless given here.
  for (size_t i = 0; i < a.scenarios.size(); ++i) {
    models.push_back(vg::sim::load_model(a.scenarios[i], diags, ov));
    if (i == 0) {
      ov.seed = models[0].seed;
      ov.replicates = models[0].replicates;
    }
  }
  print_diagnostics(diags);
  std::vector<std::vector<vg::metrics::ReplicateResult>> runs;
  std::vector<vg::io::ComparedConfig> configs;
  for (size_t i = 0; i < models.size(); ++i) {
    vg::sim::check_memory(models[i], false, false);
    runs.push_back(vg::sim::run_model(models[i], {.trace = false, .keep_days = false}).replicates);
    configs.push_back({models[i].scenario.name, a.scenarios[i]});
  }
  auto ms = vg::metrics::compare_runs(runs);
  const fs::path out = a.out.empty() ? fs::path("runs") / "compare" : fs::path(a.out);
  vg::io::write_compare_outputs(out, configs, ms, models[0].replicates, models[0].seed, VILLAGEGRID_VERSION);
  std::cout << vg::io::compare_table(configs, ms, models[0].replicates, models[0].seed);
  std::cout << "\nOutputs written to " << out.string() << "/ (compare.csv, compare.json)\n";
  return kExitOk;
}

struct PlanArgs : CommonRunOptions {
  std::string scenario;
  std::vector<std::string> targets, vary;
  double share = 0.9;
  std::string cost = "headcount";
};

int cmd_plan(const PlanArgs& a) {
  auto threads = a.limit_threads();
  vg::Diagnostics diags;
  vg::sim::Model base = vg::sim::load_model(a.scenario, diags, a.overrides());
  vg::sim::PlanRequest req;
  req.targets = a.targets;
  req.required_share = a.share;
  req.cost = a.cost == "hours" ? vg::sim::PlanCost::Hours : vg::sim::PlanCost::Headcount;
  for (const auto& v : a.vary)
    if (auto spec = vg::sim::parse_vary(v, diags)) req.vary.push_back(*spec);
  if (diags.has_errors()) throw vg::InputError(diags);
  vg::sim::check_memory(base, false, false);
  auto res = vg::sim::run_plan(base, req, diags);
  print_diagnostics(diags);
  const fs::path out = a.out.empty() ? fs::path("runs") / (base.scenario.name + "-plan") : fs::path(a.out);
  vg::io::write_plan_outputs(out, base, req, res, VILLAGEGRID_VERSION);
  std::cout << vg::io::plan_table(base, req, res);
  std::cout << "\nOutputs written to " << out.string() << "/ (plan.csv, plan.json)\n";
  return kExitOk;
}

// Checks scenario and policy files. Policy files given together are compiled together (pass the
// vocabulary with the rules that use it); a scenario is checked with the policy it names.
int cmd_check(const std::vector<std::string>& files) {
  vg::Diagnostics diags;
  std::vector<std::string> policy_files;
  int scenarios = 0;
  for (const auto& f : files) {
    vg::Diagnostics local;
    auto root = vg::config::load_yaml_file(f, local);
    if (!root) {
      diags.merge(local);
      continue;
    }
    if (root->is_map() && root->find("grid")) {  // a grid file on its own: its structure
      vg::config::load_grid(f, local);
      diags.merge(local);
      continue;
    }
    if (root->is_map() && root->find("scenario")) {
      ++scenarios;
      try {
        vg::sim::load_model(f, local);
      } catch (const vg::InputError&) {
      }
      diags.merge(local);
    } else {
      policy_files.push_back(f);
    }
  }
  if (!policy_files.empty()) {
    vg::Diagnostics local;
    auto policy = vg::rules::load_policy(policy_files, local);
    if (!local.has_errors()) vg::rules::compile_policy(std::move(policy), local);
    diags.merge(local);
  }
  print_diagnostics(diags);
  std::cerr << files.size() << " file(s) checked: " << diags.error_count() << " error(s), " << diags.warning_count()
            << " warning(s)\n";
  (void)scenarios;
  return diags.has_errors() ? kExitBadInput : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"villagegrid: policy rules for village epidemic-prevention grids, compiled and simulated.\n"
               "Runs staffing and tracking scenarios (returnees, screening, \"5+1\" teams) and reports what is\n"
               "covered, what is late and which role runs out of hours first.",
               "villagegrid"};
  app.set_version_flag("--version", std::string("villagegrid ") + VILLAGEGRID_VERSION);
  app.require_subcommand(1);

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "Run a scenario (default: the shipped Pushan 2020 scenario)");
  run->add_option("scenario", run_args.scenario, "Scenario YAML file")->check(CLI::ExistingFile);
  run_args.add_to(run, "runs/<scenario name>");
  run->add_flag("--trace", run_args.trace, "Also write trace.csv (every rule considered for an event, fired or not, with its file and line) and persons.csv");
  run->add_flag("--quiet", run_args.quiet, "Print nothing on success (except what --profile asks for)");
  run->add_flag("--profile", run_args.profile,
                "Print where the time went: load (population), simulation by phase (setup, rules, scheduling, "
                "infection, metrics; thread time), outputs, agent-days per second per core and peak memory per person");

  std::vector<std::string> test_files;
  auto* test = app.add_subcommand("test", "Run rule unit tests written in YAML (given facts and an event, expect "
                                          "rules fired, class, tasks, tracking, attributes)");
  test->add_option("files", test_files, "Rule test files (*.test.yaml)")->required()->check(CLI::ExistingFile);

  CompareArgs cmp_args;
  auto* compare = app.add_subcommand(
      "compare", "Run configurations with common random numbers; report each metric with a 95% interval and the "
                 "paired difference against the first");
  compare->add_option("scenarios", cmp_args.scenarios, "Scenario files (two or more)")
      ->required()
      ->expected(2, 64)
      ->check(CLI::ExistingFile);
  cmp_args.add_to(compare, "runs/compare; seed and replicates default to the first scenario's", 2);

  PlanArgs plan_args;
  auto* plan = app.add_subcommand("plan", "Find the smallest roster that meets every target in a share of replicates");
  plan->add_option("scenario", plan_args.scenario, "Scenario file")->required()->check(CLI::ExistingFile);
  plan->add_option("--target", plan_args.targets,
                   "Condition on region metrics, e.g. 'screened_within_24h_share >= 0.95' (repeatable)")
      ->required();
  plan->add_option("--vary", plan_args.vary, "ROLE=MIN..MAX[:STEP]: headcount to try in every roster listing ROLE (repeatable)")
      ->required();
  plan->add_option("--share", plan_args.share, "Share of replicates in which all targets must hold (default 0.9)")
      ->check(CLI::Range(0.0, 1.0));
  plan->add_option("--cost", plan_args.cost, "What to minimise: headcount (default) or hours (daily staff-hours)")
      ->check(CLI::IsMember({"headcount", "hours"}));
  plan_args.add_to(plan, "runs/<scenario>-plan; replicates are per roster");

  std::string explain_run;
  uint32_t explain_person = 0;
  int explain_day = -1, explain_replicate = 0;
  auto* explain = app.add_subcommand("explain", "Why was this person (not) tracked? Reads a run made with --trace");
  explain->add_option("--run", explain_run, "Output folder of a run made with --trace")->required();
  explain->add_option("--person", explain_person, "Person id (the person column of persons.csv)")->required();
  explain->add_option("--day", explain_day, "Only this day of the timeline")->check(CLI::NonNegativeNumber);
  explain->add_option("--replicate", explain_replicate, "Replicate (default 0)")->check(CLI::NonNegativeNumber);

  std::vector<std::string> check_files;
  auto* check = app.add_subcommand("check", "Validate scenario, grid and rule files without running");
  check->add_option("files", check_files, "Files to check")->required()->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    if (*run) return cmd_run(run_args);
    if (*check) return cmd_check(check_files);
    if (*compare) return cmd_compare(cmp_args);
    if (*plan) return cmd_plan(plan_args);
    if (*explain) {
      std::cout << vg::io::explain_person(explain_run, explain_person,
                                          explain_day >= 0 ? std::optional<int>(explain_day) : std::nullopt,
                                          explain_replicate);
      return kExitOk;
    }
    if (*test) {
      vg::Diagnostics diags;
      auto report = vg::rules::run_rule_test_files(test_files, diags);
      print_diagnostics(diags);
      std::cout << report.output;
      return report.exit_code(diags);
    }
  } catch (const vg::InputError& e) {
    std::cerr << e.diagnostics().format();
    std::cerr << "villagegrid: " << e.diagnostics().error_count() << " error(s) in the input; nothing was run\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "villagegrid: error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitFailure;
}
