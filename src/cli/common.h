// What the subcommands of `villagegrid` share: exit codes, how each is added to the command line,
// the options of every command that runs scenarios, and printing diagnostics. One file per
// subcommand (cli/run.cpp, check.cpp, test.cpp, compare.cpp, plan.cpp, explain.cpp, exercise.cpp,
// report.cpp, serve.cpp) adds its options and its action; main.cpp only dispatches.
#pragma once

#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/diagnostics.h"
#include "sim/model.h"
#include "store/results_store.h"

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
// A whole number, 0 or more (--seed, --day, --replicate), at most the largest 64-bit one as a
// scenario's seed: CLI11's NonNegativeNumber says "not in range 0.000000 to 1797693..." with the
// largest double written out, and its conversion turns a larger number into the largest silently.
inline const CLI::Validator kNonNegative(
    [](const std::string& s) {
      int64_t v = 0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (!s.empty() && s[0] != '-' && s[0] != '+' && ec == std::errc::result_out_of_range &&
          std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string("expected a whole number from 0 to 9223372036854775807; got " + s);
      return !s.empty() && s[0] != '-' ? std::string() : std::string("expected a whole number, 0 or more; got " + s);
    },
    "INT >= 0");

// A whole number from `min` to `max`: CLI11's Range says "Value abc not in range 1 to 1000000" for
// a word, as if it were a number out of range.
inline CLI::Validator whole_in_range(int64_t min, int64_t max) {
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](const std::string& s) {
        int64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        const bool whole = !s.empty() && ec == std::errc() && end == s.data() + s.size();
        return whole && v >= min && v <= max ? std::string()
                                             : std::string("expected a whole number from " + range + "; got " + s);
      },
      "INT in [" + std::to_string(min) + " - " + std::to_string(max) + "]");
}

Command add_run(CLI::App& app);
Command add_test(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_plan(CLI::App& app);
Command add_explain(CLI::App& app);
Command add_check(CLI::App& app);
Command add_exercise(CLI::App& app);
Command add_report(CLI::App& app);
Command add_serve(CLI::App& app);

// The shipped default scenario: $VILLAGEGRID_HOME/scenarios/pushan-2020.yaml, else the source tree.
std::string default_scenario();

void print_diagnostics(const Diagnostics& d);
// "PATH: error: no such file" (or folder), with the closest name in its folder when one is close
// ("; did you mean 'scenarios/pushan-2020.yaml'?") and the folder when it is missing too.
std::string no_such_path(const std::filesystem::path& p, bool folder);

// A --out that is a file, or a folder of other files, refused before any work, as the command-line
// mistake it is (bad input, exit 2): check_output_folder's refusal as an InputError.
void refuse_wrong_out(const std::filesystem::path& out);

// Options every command that runs scenarios takes.
struct CommonRunOptions {
  std::string out;
  int replicates = 0;   // 0: the scenario's
  int64_t seed = -1;    // -1: the scenario's
  int threads = 0;      // 0: all cores
  bool resume = false;  // continue an unfinished run's results store (StoredSweep)
  bool quiet = false;   // print nothing on success (no progress, no table)

  sim::Overrides overrides() const;
  // Caps oneTBB's worker threads for as long as the returned object lives.
  std::unique_ptr<tbb::global_control> limit_threads() const;
  void add_to(CLI::App* cmd, const std::string& default_out, int min_replicates = 1);
};

// What a model's results depend on, for the results store: the content of every file it read
// (scenario, rule files, grid), its seed and replicates; `prefix` names the configuration.
void add_model_inputs(std::vector<store::Input>& inputs, const sim::Model& model, const std::string& prefix);

// A sweep that records each finished (configuration, replicate) in a results store
// (store/results_store.h): it holds the output folder's lock from the start, so a second run into
// the folder is refused while it simulates, and gives the store to the output set at the end.
class StoredSweep {
 public:
  // Prints what happened to an earlier unfinished store (resumed, discarded) on stderr.
  StoredSweep(const std::filesystem::path& out, const std::string& command, std::vector<store::Input> inputs,
              bool resume);
  store::ResultsStore* store() { return store_.get(); }
  // Closes the store: what the output writer needs to make it part of the set.
  OutputExtras finish();
  // Once the set is written: removes the folder the store lay in while the run went on.
  void done();
  // A sweep that ends before recording anything (a bad --target, say) leaves no store behind.
  ~StoredSweep();
  StoredSweep(const StoredSweep&) = delete;
  StoredSweep& operator=(const StoredSweep&) = delete;

 private:
  std::filesystem::path out_;
  std::unique_ptr<OutputLock> lock_;
  std::unique_ptr<store::ResultsStore> store_;
  std::unique_ptr<InterruptNotice> notice_;  // Ctrl-C says what is kept for --resume
  bool finished_ = false;
};

}  // namespace vg::cli
