// villagegrid's command line: one subcommand per file under cli/ (run, test, compare, plan,
// explain, check, exercise, report, serve); this file builds the app from them, runs the one given
// and turns errors into the exit status (cli/common.h).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/common.h"
#include "cli/mpi.h"
#include "core/diagnostics.h"

namespace {

// Under mpirun (cli/mpi.h): run, compare and plan split their work over the ranks, every other
// command runs on rank 0 alone. Ranks other than 0 print nothing: their standard output and error
// go to /dev/null, and an error that is not the input's (rank 0 reports that one) goes to the
// stderr they had, kept in *saved_stderr. Returns false when this rank has nothing to do.
bool take_part(const vg::cli::MpiSession& mpi, const CLI::App& app, int* saved_stderr) {
  if (mpi.size() <= 1) return true;
  bool split = false;
  for (const char* name : {"run", "compare", "plan"}) split = split || app.got_subcommand(name);
  if (!split && mpi.rank() != 0) return false;
  mpi.use_ranks(split);
  if (mpi.rank() != 0) {
    std::fflush(nullptr);
    *saved_stderr = dup(2);
    if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))
      throw std::runtime_error("cannot silence rank " + std::to_string(mpi.rank()));
  }
  return true;
}

int run_main(int argc, char** argv, const vg::cli::MpiSession& mpi) {
  using namespace vg::cli;
  CLI::App app{
      "villagegrid: policy rules for village epidemic-prevention grids, compiled and simulated.\n"
      "Runs staffing and tracking scenarios (returnees, screening, \"5+1\" teams) and reports what is\n"
      "covered, what is late and which role runs out of hours first.",
      "villagegrid"};
  app.set_version_flag("--version", std::string("villagegrid ") + VILLAGEGRID_VERSION);
  app.require_subcommand(1);
  // In the order --help lists them.
  const std::vector<Command> commands = {add_run(app),      add_test(app),    add_compare(app),
                                         add_plan(app),     add_explain(app), add_check(app),
                                         add_exercise(app), add_report(app),  add_serve(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Under mpirun every rank parses the same arguments: rank 0 alone prints the error (or --help).
    const int code = mpi.rank() == 0 ? app.exit(e) : e.get_exit_code();
    return code == 0 ? kExitOk : kExitBadInput;
  }
  int saved_stderr = -1;
  // With several ranks, a rank that fails ends them all (the others would wait for it).
  auto fail = [&](int code) {
    if (mpi.size() > 1) {
      std::fflush(nullptr);
      mpi.abort(code);
    }
    return code;
  };
  try {
    if (!take_part(mpi, app, &saved_stderr)) return kExitOk;
    for (const auto& c : commands)
      if (*c.app) return c.run();
  } catch (const vg::InputError& e) {
    std::cerr << e.diagnostics().format();
    std::cerr << "villagegrid: " << e.diagnostics().error_count() << " error(s) in the input; nothing was run\n";
    return fail(kExitBadInput);
  } catch (const std::exception& e) {
    std::cerr << "villagegrid: error: " << e.what() << "\n";
    if (saved_stderr >= 0) {
      const std::string line = "villagegrid (rank " + std::to_string(mpi.rank()) + "): error: " + e.what() + "\n";
      [[maybe_unused]] const auto n = write(saved_stderr, line.data(), line.size());
    }
    return fail(kExitFailure);
  }
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever escapes (building the app, printing an error) still ends in the failure status.
  try {
    const vg::cli::MpiSession mpi(argc, argv);
    return run_main(argc, argv, mpi);
  } catch (...) {
    return vg::cli::kExitFailure;
  }
}
