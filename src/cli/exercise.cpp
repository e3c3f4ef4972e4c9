// `villagegrid exercise`: a training exercise that trainees steer (docs/exercises.md). The
// exercise folder holds the log (exercise.log, the whole state), the current screen (state.txt,
// state.json) and, after `review`, review.md and review.csv. Every step writes the log first. A
// command holds the folder's lock (core/atomic_file.h's OutputLock) while it reads and writes the
// log, so two steps never interleave (a second console on the same folder is refused).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "exercise/console.h"
#include "exercise/review.h"
#include "exercise/view.h"

namespace vg::cli {

namespace {

namespace fs = std::filesystem;
using exercise::Session;

struct Options {
  std::string file, dir, command, script, out;
  int days = 0;
  bool to_next = false, json = false;
  int64_t seed = -1;
};

std::string screen_of(const exercise::View& v, bool json) {
  return json ? exercise::render_json(v) : exercise::render_screen(v);
}

int start(const Options& o) {
  const fs::path dir(o.dir);
  if (fs::exists(dir / exercise::kLogFile)) {  // bad input (exit 2), as `run --out` into a folder of other files
    Diagnostics d;
    d.error({}, o.dir + " already holds an exercise (exercise.log); continue it with 'exercise console " + o.dir +
                    "' or start into another folder");
    throw InputError(d);
  }
  if (std::error_code ec; fs::exists(dir, ec) && (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec))) {
    Diagnostics d;  // a run's outputs, say: the exercise's files would be mixed in among them
    d.error({}, o.dir + " is not an empty folder; start the exercise into a new or empty one");
    throw InputError(d);
  }
  exercise::Log log;
  log.exercise = fs::absolute(o.file).lexically_normal().string();
  Session s(log);
  const auto& injects = s.spec().injects;
  s.advance_to(injects.empty() ? 0 : std::min(injects.front().day, s.horizon()));
  fs::create_directories(dir);
  OutputLock lock(dir);
  exercise::write_log(dir, s.log());
  exercise::show(s, dir, o.json, false, std::cout);
  return kExitOk;
}

int advance(const Options& o) {
  OutputLock lock(o.dir);
  Session s(exercise::read_log(o.dir));
  const std::string line = o.to_next ? "next" : "advance " + std::to_string(o.days > 0 ? o.days : 1);
  exercise::execute_line(s, o.dir, line, {}, o.json, false, std::cout);
  return kExitOk;
}

int do_command(const Options& o) {
  if (o.command.find_first_not_of(" \t") == std::string::npos) {
    Diagnostics d;
    d.error({},
            "no command given: quote one of the console's commands (`exercise console DIR`, then `help`, lists "
            "them), e.g. \"note the surge needs more screeners\"");
    throw InputError(d);
  }
  OutputLock lock(o.dir);
  Session s(exercise::read_log(o.dir));
  auto src = std::make_shared<const SourceFile>("<command>", o.command);
  exercise::execute_line(s, o.dir, o.command, SourceLoc{src, 1, 1}, o.json, false, std::cout);
  return kExitOk;
}

// From a script or a pipe, a refused command ends the console: the lines after it were written
// expecting it to have been given (a `next` would move the drill on without the decision). At a
// keyboard the console goes on (the player types the command again).
int stop_script(const std::string& source, int line) {
  std::cerr << "villagegrid: stopped at " << source << " line " << line
            << ", the first refused command; the lines after it were not run (fix it and run the rest)\n";
  return kExitBadInput;
}

int console(const Options& o) {
  OutputLock lock(o.dir);
  Session s(exercise::read_log(o.dir));
  std::ifstream file;
  if (!o.script.empty()) {
    file.open(o.script);
    if (!file) throw std::runtime_error("cannot read " + o.script);
  }
  std::istream& in = o.script.empty() ? std::cin : file;
  const std::string source = o.script.empty() ? "<console>" : o.script;
  const bool tty = o.script.empty() && isatty(STDIN_FILENO);
  exercise::show(s, o.dir, o.json, tty && isatty(STDOUT_FILENO), std::cout);
  std::string line;
  int n = 0;
  while (true) {
    if (tty) std::cout << "exercise> " << std::flush;
    if (!std::getline(in, line)) break;
    ++n;
    try {
      auto src = std::make_shared<const SourceFile>(source, std::string(n - 1, '\n') + line);
      if (!exercise::execute_line(s, o.dir, line, SourceLoc{src, n, 1}, o.json, isatty(STDOUT_FILENO), std::cout))
        break;
    } catch (const InputError& e) {
      std::cerr << e.diagnostics().format() << "villagegrid: command refused; nothing changed\n";
      if (!tty) return stop_script(source, n);
    } catch (const std::runtime_error& e) {
      std::cerr << source << ":" << n << ": villagegrid: " << e.what() << "\n";
      if (!tty) return stop_script(source, n);
    }
  }
  return kExitOk;
}

int review(const Options& o) {
  OutputLock lock(o.dir);
  exercise::write_review(Session(exercise::read_log(o.dir)), o.dir, std::cout);
  return kExitOk;
}

int replay(const Options& o) {
  const auto log = exercise::read_log(o.dir);
  std::optional<uint64_t> seed;
  if (o.seed >= 0) seed = uint64_t(o.seed);
  Session s(log, seed);
  const fs::path out = o.out.empty() ? fs::path(o.dir) / "replay" : fs::path(o.out);
  const auto v = exercise::compute_view(s);
  const std::string text = exercise::render_screen(v), js = exercise::render_json(v);
  fs::create_directories(out);
  write_file_atomic(out / "state.txt", text);
  write_file_atomic(out / "state.json", js);
  std::cout << screen_of(v, o.json);
  if (seed) {
    std::cout << "replayed the log with seed " << *seed << " into " << out.string() << "\n";
    return kExitOk;
  }
  std::ifstream a(fs::path(o.dir) / "state.json", std::ios::binary);
  std::stringstream was;
  was << a.rdbuf();
  const bool same = was.str() == js;
  std::cout << "replay: " << (same ? "identical to" : "DIFFERS from") << " the exercise's state.json\n";
  return same ? kExitOk : kExitFailure;
}

}  // namespace

Command add_exercise(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* ex = app.add_subcommand("exercise", "Run a training exercise: injects, players' commands, a review");
  ex->require_subcommand(1);
  auto* st = ex->add_subcommand("start", "Start an exercise file into a folder; stops at the first inject");
  st->add_option("file", opts->file, "Exercise file (YAML)")->required()->check(CLI::ExistingFile);
  st->add_option("--out", opts->dir, "Exercise folder (holds the log and the state)")->required();
  auto* adv = ex->add_subcommand("advance", "Move the exercise on");
  adv->add_option("dir", opts->dir, "Exercise folder")->required()->check(CLI::ExistingDirectory);
  auto* days = adv->add_option("--days", opts->days,
                               "Days to move on (injects of the days passed over are delivered together at the new "
                               "stop; --to-next-inject stops at each)")
                   ->check(whole_in_range(1, 3650));
  days->excludes(adv->add_flag("--to-next-inject", opts->to_next, "Move on to the day of the next inject"));
  auto* dc = ex->add_subcommand("do", "Give a players' command (see 'help' in the console)");
  dc->add_option("dir", opts->dir, "Exercise folder")->required()->check(CLI::ExistingDirectory);
  dc->add_option("command", opts->command, "The command, quoted")->required();
  auto* con = ex->add_subcommand("console", "The players' console: commands from the keyboard, stdin or --script");
  con->add_option("dir", opts->dir, "Exercise folder")->required()->check(CLI::ExistingDirectory);
  con->add_option("--script", opts->script,
                  "Read the commands from this file (as from a pipe: stops at the first refused command, exit 2)")
      ->check(CLI::ExistingFile);
  auto* rv = ex->add_subcommand("review", "Write the after-action review (review.md, review.csv)");
  rv->add_option("dir", opts->dir, "Exercise folder")->required()->check(CLI::ExistingDirectory);
  auto* rp = ex->add_subcommand("replay", "Rebuild the state from the log and compare it with the exercise's");
  rp->add_option("dir", opts->dir, "Exercise folder")->required()->check(CLI::ExistingDirectory);
  rp->add_option("--seed", opts->seed, "Replay the decisions with another seed")->check(kNonNegative);
  rp->add_option("--out", opts->out, "Where to write the replayed state (default DIR/replay)");
  for (auto* c : {st, adv, dc, con, rp}) c->add_flag("--json", opts->json, "Emit the state as one JSON line a step");
  Command cmd;
  cmd.app = ex;
  cmd.run = [opts, st, adv, dc, con, rv, rp]() {
    if (*st) return start(*opts);
    if (*adv) return advance(*opts);
    if (*dc) return do_command(*opts);
    if (*con) return console(*opts);
    if (*rv) return review(*opts);
    if (*rp) return replay(*opts);
    return kExitFailure;
  };
  return cmd;
}

}  // namespace vg::cli
