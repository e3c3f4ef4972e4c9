// What the subcommands of `villagegrid` share: exit codes, how each is added to the command line,
// the options of every command that runs scenarios, and printing diagnostics. One file per
// subcommand (cli/run.cpp, check.cpp, test.cpp, compare.cpp, plan.cpp, explain.cpp) adds its
// options and its action; main.cpp only dispatches.
#pragma once

#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/diagnostics.h"
#include "sim/model.h"

#ifndef VILLAGEGRID_VERSION
#define VILLAGEGRID_VERSION "0.0.0"
#endif

namespace vg::cli {

// Exit status: 0 success, 2 bad input (every problem printed as file:line:col), 1 other failure.
constexpr int kExitOk = 0, kExitFailure = 1, kExitBadInput = 2;

// A subcommand once added to the app: its CLI11 node (true when it was given) and its action,
// which reads the options the parse filled in.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Each adds one subcommand to `app`; main.cpp adds them in the order --help lists them.
Command add_run(CLI::App& app);
Command add_test(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_plan(CLI::App& app);
Command add_explain(CLI::App& app);
Command add_check(CLI::App& app);

// The shipped default scenario: $VILLAGEGRID_HOME/scenarios/pushan-2020.yaml, else the source tree.
std::string default_scenario();

void print_diagnostics(const Diagnostics& d);

// Options every command that runs scenarios takes.
struct CommonRunOptions {
  std::string out;
  int replicates = 0;  // 0: the scenario's
  int64_t seed = -1;   // -1: the scenario's
  int threads = 0;     // 0: all cores

  sim::Overrides overrides() const;
  // Caps oneTBB's worker threads for as long as the returned object lives.
  std::unique_ptr<tbb::global_control> limit_threads() const;
  void add_to(CLI::App* cmd, const std::string& default_out, int min_replicates = 1);
};

}  // namespace vg::cli
