// villagegrid's command line: one subcommand per file under cli/ (run, test, compare, plan,
// explain, check, exercise, report, serve); this file builds the app from them, runs the one given
// and turns errors into the exit status (cli/common.h).
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/common.h"
#include "core/diagnostics.h"

namespace {

int run_main(int argc, char** argv) {
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
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    for (const auto& c : commands)
      if (*c.app) return c.run();
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

}  // namespace

int main(int argc, char** argv) {
  // Whatever escapes (building the app, printing an error) still ends in the failure status.
  try {
    return run_main(argc, argv);
  } catch (...) {
    return vg::cli::kExitFailure;
  }
}
