#include "exercise/console.h"

#include <sstream>
#include <stdexcept>

#include "core/atomic_file.h"
#include "exercise/review.h"
#include "exercise/view.h"

namespace vg::exercise {

namespace fs = std::filesystem;

// The state after a step: written beside the log, then shown.
void show(const Session& s, const fs::path& dir, bool json, bool clear, std::ostream& out) {
  const auto v = compute_view(s);
  const std::string text = render_screen(v), js = render_json(v);
  write_file_atomic(dir / "state.txt", text);
  write_file_atomic(dir / "state.json", js);
  if (clear && !json) out << "\033[H\033[2J";
  out << (json ? js : text) << std::flush;
}

// review.md and review.csv (and an empty observations.csv for the trainer when there is none).
void write_review(const Session& s, const fs::path& dir, std::ostream& out) {
  const fs::path obs = dir / kObservationsFile;
  if (!fs::exists(obs)) write_file_atomic(obs, kObservationsTemplate);
  const auto files = make_review(s, read_observations(obs));
  write_file_atomic(dir / "review.md", files.markdown);
  write_file_atomic(dir / "review.csv", files.csv);
  for (const auto& r : files.objectives) out << r.id << ": " << verdict_name(r.verdict) << " (" << r.evidence << ")\n";
  out << "review written to " << (dir / "review.md").string() << " and review.csv\n";
}

// One console line or command-line step on the session; returns false on "quit".
bool execute_line(Session& s, const fs::path& dir, const std::string& line, const SourceLoc& loc, bool json, bool clear,
                  std::ostream& out) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  if (verb.empty() || verb[0] == '#') return true;  // a blank line, or a comment (a script's)
  if (verb == "quit" || verb == "exit") return false;
  if (verb == "help") {
    // The examples name this exercise's villages (the first two played).
    const auto& villages = s.names().villages;
    const std::string v = villages.empty() ? "VILLAGE" : villages[0];
    const std::string w = villages.size() > 1 ? villages[1] : "OTHER_VILLAGE";
    out << "  advance [N]   move on N days (default 1)      next   move on to the next inject\n"
           "  review        write review.md and review.csv   quit   leave (the exercise stays in its folder)\n"
        << "  add 2 village_cadre to " << v << " [from day D]     (or call ...: the town pool, volunteers)\n"
        << "  move 2 village_cadre from " << v << " to " << w << " [from day D]\n"
        << "  overtime 2 hours for village_doctor in " << v << " [for D days]\n"
        << "  open POST in VILLAGE | close POST in VILLAGE   request 500 masks via CHANNEL for " << v << "\n"
        << "  raise EVENT in VILLAGE [at HOUR]               set screening minutes to 15 in " << v << "\n"
        << "  set TASK every_days to N in VILLAGE            set TEMPLATE days to N in VILLAGE\n"
           "  set TASK priority to N in VILLAGE (staff take higher-priority tasks first: moves effort to it)\n"
           "  note TEXT (a decision and its reason)          # TEXT: a comment, ignored (in a script)\n";
    return true;
  }
  if (verb == "advance" || verb == "next") {
    if (s.day() >= s.horizon())
      throw std::runtime_error("the exercise is over (day " + std::to_string(s.day()) + "); run 'review'");
    int days = 1;
    if (verb == "advance" && !(in >> days)) days = 1;
    if (days < 1) throw std::runtime_error("advance takes a number of days, at least 1");
    s.advance_to(verb == "next" ? s.next_inject_day() : std::min(s.horizon(), s.day() + days));
  } else if (verb == "review") {
    write_review(s, dir, out);
    return true;
  } else {
    s.record(s.check(line, loc));  // a bad command throws: nothing is logged
  }
  write_log(dir, s.log());  // before the step takes effect: a kill loses nothing
  show(s, dir, json, clear, out);
  return true;
}

}  // namespace vg::exercise
