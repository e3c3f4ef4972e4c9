// `villagegrid run`: runs a scenario and writes its outputs (and, with --profile, where the time went).
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/common.h"
#include "cli/progress.h"
#include "io/outputs.h"
#include "metrics/summary.h"
#include "sim/ranks.h"
#include "sim/runner.h"

namespace vg::cli {

namespace {

namespace fs = std::filesystem;

struct RunArgs : CommonRunOptions {
  std::string scenario;
  bool trace = false;
  bool profile = false;
  bool store = false;
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
  Diagnostics diags;
  const sim::Overrides ov = a.overrides();
  const std::string path = a.scenario.empty() ? default_scenario() : a.scenario;
  auto threads = a.limit_threads();

  const auto t0 = std::chrono::steady_clock::now();
  sim::Model model = sim::load_model(path, diags, ov);
  print_diagnostics(diags);  // warnings
  const auto t1 = std::chrono::steady_clock::now();
  sim::check_memory(model, a.trace);
  const fs::path out = a.out.empty() ? fs::path("runs") / model.scenario.name : fs::path(a.out);
  if (sim::is_root()) refuse_wrong_out(out);  // before the work, not after it
  std::optional<StoredSweep> sweep;
  // The folder is held from here to the end, as a stored sweep holds it: a second run into it is
  // refused at once, not simulated in full to lose its outputs at the end, or to replace this one's.
  std::optional<OutputLock> lock;
  std::optional<InterruptNotice> notice;  // Ctrl-C says that nothing was written
  sim::PhaseTimes phases;
  sim::RunOptions options{a.trace, true, a.profile ? &phases : nullptr};
  if (a.store || a.resume) {  // --trace excludes both (its rows are not stored)
    std::vector<store::Input> inputs;
    add_model_inputs(inputs, model, "");
    sweep.emplace(out, "run", std::move(inputs), a.resume);
    options.store = sweep->store();
    options.name = model.scenario.name;
    options.description = path;
  } else if (sim::is_root()) {
    lock.emplace(out);
    notice.emplace(*lock, false, !a.trace);  // --trace excludes --store
  }
  // Replicates a --resume reads back from the store rather than simulating (for --profile's rates).
  const int64_t read_back = sweep && sweep->store() ? sweep->store()->replicates() : 0;
  Progress progress("run", "replicates", a.quiet);
  progress.queue(size_t(model.replicates));
  options.on_replicate = progress.on_replicate();
  sim::RunResult run = sim::run_model(model, options);
  progress.finish();
  const auto t2 = std::chrono::steady_clock::now();

  std::vector<std::string> vnames, vtowns;
  for (size_t v = 0; v < model.population->villages(); ++v) {
    vnames.push_back(model.population->village_name[v]);
    vtowns.push_back(model.population->town_name[model.population->village_town[v]]);
  }
  auto summary = metrics::summarise(run.replicates, model.program->roles(), vnames, vtowns, model.task_kinds);
  io::add_supply_stockouts(summary, model, run);
  const auto t2b = std::chrono::steady_clock::now();
  if (sim::is_root()) {  // under mpirun, rank 0 alone writes (sim/ranks.h)
    io::write_run_outputs(out, model, run, summary, VILLAGEGRID_VERSION, a.trace,
                          sweep ? sweep->finish() : OutputExtras{lock ? &*lock : nullptr, {}});
    if (sweep) sweep->done();
  }
  const auto t3 = std::chrono::steady_clock::now();
  if (a.profile) {
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    const double persons = double(model.population->persons());
    // Agent-days simulated: a --resume's replicates read back from the store were not.
    const double agent_days = persons * model.horizon_days * double(model.replicates - read_back);
    // The threads the run could use: the arena's, capped by --threads (a global_control lowers
    // the cap without changing what the arena reports).
    const int nthreads =
        int(std::min<size_t>(size_t(tbb::this_task_arena::max_concurrency()),
                             tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)));
    const double sim_s = ms(t2 - t1) / 1000;
    double thread_ticks = 0;
    for (int64_t x : phases.ticks) thread_ticks += double(x);
    // Under mpirun, every rank runs as many threads (rank 0's count; its phases are its own).
    const int ranks = sim::ranks().size(), cores = nthreads * ranks;
    std::printf("Profile: %.0f persons x %d days x %d replicates simulated = %.4g agent-days, %d threads%s\n", persons,
                model.horizon_days, int(model.replicates - read_back), agent_days, nthreads,
                ranks > 1 ? (" x " + std::to_string(ranks) + " ranks").c_str() : "");
    std::printf("  load      %8.1f ms (population %.1f ms)\n", ms(t1 - t0), model.population_ms);
    if (a.threads > nthreads)
      std::printf("  (%d threads of the %d asked: this machine runs at most %d)\n", nthreads, a.threads, nthreads);
    if (read_back > 0)
      std::printf("  (%lld of the %d replicates read back from the store: the rates are over the %lld simulated)\n",
                  static_cast<long long>(read_back), model.replicates,
                  static_cast<long long>(model.replicates - read_back));
    std::printf("  simulate  %8.1f ms: %.1f M agent-days/s, %.1f M per core (wall time; a busy machine lowers it)%s\n",
                ms(t2 - t1), agent_days / sim_s / 1e6, agent_days / sim_s / 1e6 / cores,
                sweep ? "; writing each replicate to results.sqlite included" : "");
    std::printf("            thread time by phase:");
    for (int k = 0; k < sim::PhaseTimes::Count; ++k)
      std::printf(" %s %.1f%%", sim::PhaseTimes::name(k),
                  thread_ticks > 0 ? 100.0 * double(phases.ticks[size_t(k)]) / thread_ticks : 0.0);
    std::printf("\n  outputs   %8.1f ms (metrics summary %.1f ms, files %.1f ms)\n", ms(t3 - t2), ms(t2b - t2),
                ms(t3 - t2b));
    const size_t rss = peak_rss_bytes();
    std::printf("  peak RSS  %8.1f MB (%.1f bytes per person)\n", double(rss) / 1e6, double(rss) / persons);
    std::fflush(stdout);
  }

  if (!a.quiet) {
    std::cout << io::summary_table(model, summary);
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::cout << "\nOutputs written to " << out.string()
              << "/ (summary.json, timeseries.csv, roles_by_day.csv, roles.csv"
              << (a.trace ? ", trace.csv, persons.csv" : "") << (sweep ? ", results.sqlite" : "") << ")\n";
    std::fprintf(stdout, "Time: load %.0f ms, simulate %.0f ms, outputs %.0f ms\n", ms(t1 - t0), ms(t2 - t1),
                 ms(t3 - t2));
  }
  return kExitOk;
}

}  // namespace

Command add_run(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* run = app.add_subcommand("run", "Run a scenario (default: the shipped Pushan 2020 scenario)");
  run->add_option("scenario", args->scenario, "Scenario YAML file")->check(CLI::ExistingFile);
  args->add_to(run, "runs/<scenario name>");
  run->add_flag("--trace", args->trace,
                "Also write trace.csv (every rule considered for an event, fired or not, with its file and line) and "
                "persons.csv");
  auto* store = run->add_flag("--store", args->store,
                              "Record each finished replicate in OUT/results.sqlite (one transaction each; tables in "
                              "docs/outputs.md), so that --resume can continue the run if it is killed");
  run->get_option("--resume")->excludes("--trace");
  store->excludes("--trace");
  run->add_flag("--profile", args->profile,
                "Print where the time went: load (population), simulation by phase (setup, rules, scheduling, "
                "infection, metrics; thread time), outputs, agent-days per second per core and peak memory per person");
  return {run, [args] { return cmd_run(*args); }};
}

}  // namespace vg::cli
