// `villagegrid compare`: runs configurations with common random numbers and reports each metric
// with a 95% interval and the paired difference against the first.
#include <filesystem>
#include <iostream>

#include "analysis/compare.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "io/compare_output.h"
#include "sim/runner.h"

namespace vg::cli {

namespace {

namespace fs = std::filesystem;

struct CompareArgs : CommonRunOptions {
  std::vector<std::string> scenarios;
};

// Runs each configuration with the same seed and replicate count (common random numbers) and
// reports each metric with a 95% interval and the paired difference against the first.
int cmd_compare(const CompareArgs& a) {
  auto threads = a.limit_threads();
  Diagnostics diags;
  std::vector<sim::Model> models;
  sim::Overrides ov = a.overrides();
  // Every configuration gets the first one's seed and replicate count unless given here.
  for (size_t i = 0; i < a.scenarios.size(); ++i) {
    models.push_back(sim::load_model(a.scenarios[i], diags, ov));
    if (i == 0) {
      ov.seed = models[0].seed;
      ov.replicates = models[0].replicates;
    }
  }
  print_diagnostics(diags);
  for (const auto& m : models) sim::check_memory(m, false, false);
  const fs::path out = a.out.empty() ? fs::path("runs") / "compare" : fs::path(a.out);
  // Each finished (configuration, replicate) goes to the results store, for --resume.
  std::vector<store::Input> inputs;
  for (size_t i = 0; i < models.size(); ++i) add_model_inputs(inputs, models[i], std::to_string(i) + ": ");
  StoredSweep sweep(out, "compare", std::move(inputs), a.resume);
  std::vector<std::vector<metrics::ReplicateResult>> runs;
  std::vector<io::ComparedConfig> configs;
  Progress progress("compare", "replicates", a.quiet);
  progress.queue(models.size() * size_t(models[0].replicates));
  for (size_t i = 0; i < models.size(); ++i) {
    sim::RunOptions options{.trace = false, .keep_days = false};
    options.store = sweep.store();
    options.configuration = int(i);
    options.name = models[i].scenario.name;
    options.description = a.scenarios[i];
    options.on_replicate = progress.on_replicate();
    runs.push_back(sim::run_model(models[i], options).replicates);
    configs.push_back({models[i].scenario.name, a.scenarios[i]});
  }
  progress.finish();
  auto ms = metrics::compare_runs(runs);
  io::write_compare_outputs(out, configs, ms, models[0].replicates, models[0].seed, VILLAGEGRID_VERSION,
                            sweep.finish());
  sweep.done();
  if (a.quiet) return kExitOk;
  std::cout << io::compare_table(configs, ms, models[0].replicates, models[0].seed);
  std::cout << "\nOutputs written to " << out.string() << "/ (compare.csv, compare.json, results.sqlite)\n";
  return kExitOk;
}

}  // namespace

Command add_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  auto* compare = app.add_subcommand(
      "compare",
      "Run configurations with common random numbers; report each metric with a 95% interval and the "
      "paired difference against the first");
  compare->add_option("scenarios", args->scenarios, "Scenario files (two or more)")
      ->required()
      ->expected(2, 64)
      ->check(CLI::ExistingFile);
  args->add_to(compare, "runs/compare; seed and replicates default to the first scenario's", 2);
  return {compare, [args] { return cmd_compare(*args); }};
}

}  // namespace vg::cli
