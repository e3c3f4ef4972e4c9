// villagegrid's command line: one subcommand per file under cli/ (run, test, compare, plan,
// explain, check, exercise, report, serve); this file builds the app from them, runs the one given
// and turns errors into the exit status (cli/common.h).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
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

// A misspelt command or long option, caught before CLI11 parses (which would say "A subcommand is
// required", or take `--replicate 5` for a scenario named 5): the word, what it may be, and the
// closest name. Walks the words as CLI11 will: a word naming a subcommand of the current command
// descends into it; "--" ends the options. Empty when every word is known.
std::string unknown_word(const CLI::App& root, int argc, char** argv) {
  const CLI::App* app = &root;
  std::string path = "villagegrid";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") break;
    if (word.rfind("--", 0) == 0) {
      const std::string name = word.substr(2, word.find('=') - 2);
      std::vector<std::string> known;
      for (const CLI::App* a = app; a; a = a->get_parent())
        for (const CLI::Option* o : a->get_options())
          for (const auto& l : o->get_lnames()) known.push_back(l);
      if (name.empty() || std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string hint = vg::closest_match(name, known);
      return "unknown option '--" + name + "' for '" + path + "'" +
             (hint.empty() ? "" : "; did you mean '--" + hint + "'?");
    }
    if (word.empty() || word[0] == '-') continue;
    std::vector<std::string> subs;
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      subs.push_back(sub->get_name());
      if (sub->get_name() == word) next = sub;
    }
    if (next) {
      app = next;
      path += " " + word;
    } else if (!subs.empty() && app->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty()) {
      // A command whose words are all subcommands (villagegrid, exercise): this one is misspelt.
      return "unknown command '" + word + "' for '" + path + "'" + vg::did_you_mean(word, subs) + " (" + path +
             " --help lists them)";
    }
  }
  return "";
}

// CLI11's "files: File does not exist: DIR/NAME" as the other input errors read ("DIR/NAME: error:
// no such file"), with the closest name in DIR if one is close; "" for another error.
std::string missing_file_message(const std::string& message) {
  std::string key = "File does not exist: ";
  size_t at = message.find(key);
  if (at == std::string::npos) {  // an exercise folder (CLI11's ExistingDirectory)
    key = "Directory does not exist: ";
    at = message.find(key);
  }
  if (at == std::string::npos) return "";
  return vg::cli::no_such_path(message.substr(at + key.size()), key[0] == 'D');
}

// "Could not convert: --seed = abc" (CLI11): what the option takes, in the words of the other
// options' messages ("--seed: expected a whole number; got abc"); "" for another error, or an
// option whose type is not a number. The option is looked up in the command given (the deepest
// subcommand parsed first).
std::string conversion_message(const CLI::App& app, const std::string& message) {
  const std::string key = "Could not convert: ";
  const size_t at = message.find(key);
  const size_t eq = message.find(" = ", at == std::string::npos ? 0 : at);
  if (at == std::string::npos || eq == std::string::npos) return "";
  const std::string name = message.substr(at + key.size(), eq - at - key.size());
  const std::string value = message.substr(eq + 3);
  std::vector<const CLI::App*> chain{&app};  // the command given: villagegrid, then each subcommand parsed
  while (!chain.back()->get_subcommands().empty()) chain.push_back(chain.back()->get_subcommands().front());
  std::string type;
  for (auto a = chain.rbegin(); a != chain.rend() && type.empty(); ++a)
    for (const CLI::Option* o : (*a)->get_options())
      if (o->check_name(name)) type = o->get_type_name();
  const char* what = type.rfind("UINT", 0) == 0  ? "a whole number, 0 or more"
                     : type.rfind("INT", 0) == 0 ? "a whole number"
                     : type == "FLOAT"           ? "a number"
                                                 : nullptr;
  return what ? name + ": expected " + what + "; got " + value : "";
}

// CLI11's help, but a positional taking a range of values ("two or more") reads "scenarios..." in
// the usage line, not "scenarios(2x)" as if exactly two.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_usage(const CLI::Option* opt) const override {
    if (opt->get_expected_max() <= opt->get_expected_min()) return CLI::Formatter::make_option_usage(opt);
    const std::string usage = make_option_name(opt, true) + "...";
    return opt->get_required() ? usage : "[" + usage + "]";
  }
};

int run_main(int argc, char** argv, const vg::cli::MpiSession& mpi) {
  using namespace vg::cli;
  CLI::App app{
      "villagegrid: policy rules for village epidemic-prevention grids, compiled and simulated.\n"
      "Runs staffing and tracking scenarios (returnees, screening, \"5+1\" teams) and reports what is\n"
      "covered, what is late and which role runs out of hours first.",
      "villagegrid"};
  app.formatter(std::make_shared<HelpFormatter>());  // before the subcommands, which copy it
  // Whether mpirun can split the work is a property of the build: said here, before a cluster job.
#ifdef VILLAGEGRID_MPI
  const char* mpi_build = " (MPI: yes, mpirun -np K splits run, compare and plan)";
#else
  const char* mpi_build = " (MPI: no; build with -DVILLAGEGRID_MPI=ON to split work over mpirun ranks)";
#endif
  app.set_version_flag("--version", std::string("villagegrid ") + VILLAGEGRID_VERSION + mpi_build);
  app.require_subcommand(1);
  // In the order --help lists them.
  const std::vector<Command> commands = {add_run(app),      add_test(app),    add_compare(app),
                                         add_plan(app),     add_explain(app), add_check(app),
                                         add_exercise(app), add_report(app),  add_serve(app)};

  if (const std::string what = unknown_word(app, argc, argv); !what.empty()) {
    if (mpi.rank() == 0) std::cerr << "villagegrid: error: " << what << "\nRun with --help for more information.\n";
    return kExitBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Under mpirun every rank parses the same arguments: rank 0 alone prints the error (or --help).
    if (const std::string said = conversion_message(app, e.what()); !said.empty()) {
      if (mpi.rank() == 0) std::cerr << said << "\nRun with --help for more information.\n";
      return kExitBadInput;
    }
    if (const std::string said = missing_file_message(e.what()); !said.empty()) {
      if (mpi.rank() == 0) std::cerr << said << "\n";
      return kExitBadInput;
    }
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
    std::cerr << "villagegrid: " << e.diagnostics().error_count() << " error(s) in the input; nothing was done\n";
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
