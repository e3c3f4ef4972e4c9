// The console's words and the players' commands executed on a session (console.h).
#include "exercise/console.h"

#include <sstream>
#include <stdexcept>

#include "core/atomic_file.h"
#include "exercise/review.h"

namespace vg::exercise {

std::string help_text() {
  return "  advance [N]   move on N days (default 1)      next   move on to the next inject\n"
         "  review        write review.md and review.csv   quit   leave (the exercise stays in its folder)\n"
         "  add 2 village_cadre to Pushan [from day D]     (or call ...: from the town pool, volunteers)\n"
         "  move 2 village_cadre from Pushan to Yunshi [from day D]\n"
         "  overtime 2 hours for village_doctor in Pushan [for D days]\n"
         "  open POST in VILLAGE | close POST in VILLAGE   request 500 masks via sending_unit for Pushan\n"
         "  raise EVENT in VILLAGE [at HOUR]               set screening minutes to 15 in Pushan\n"
         "  set TASK every_days to N in VILLAGE            set TEMPLATE days to N in VILLAGE\n"
         "  note TEXT (a decision and its reason)\n";
}

std::string write_review(const Session& s, const std::filesystem::path& dir) {
  const std::filesystem::path obs = dir / kObservationsFile;
  if (!std::filesystem::exists(obs)) write_file_atomic(obs, kObservationsTemplate);
  const auto files = make_review(s, read_observations(obs));
  write_file_atomic(dir / "review.md", files.markdown);
  write_file_atomic(dir / "review.csv", files.csv);
  std::string out;
  for (const auto& r : files.objectives) out += r.id + ": " + verdict_name(r.verdict) + " (" + r.evidence + ")\n";
  return out + "review written to " + (dir / "review.md").string() + " and review.csv\n";
}

StepResult execute(Session& s, const std::filesystem::path& dir, std::string_view line, const SourceLoc& loc) {
  std::istringstream in{std::string(line)};
  std::string verb;
  in >> verb;
  if (verb.empty()) return {};
  if (verb == "quit" || verb == "exit") return {StepResult::Kind::Quit, ""};
  if (verb == "help") return {StepResult::Kind::Help, help_text()};
  if (verb == "review") return {StepResult::Kind::Review, write_review(s, dir)};
  if (verb == "advance" || verb == "next") {
    if (s.day() >= s.horizon())
      throw std::runtime_error("the exercise is over (day " + std::to_string(s.day()) + "); run 'review'");
    int days = 1;
    if (verb == "advance" && !(in >> days)) days = 1;
    if (days < 1) throw std::runtime_error("advance takes a number of days, at least 1");
    s.advance_to(verb == "next" ? s.next_inject_day() : std::min(s.horizon(), s.day() + days));
  } else {
    s.record(s.check(line, loc));  // a bad command throws: nothing is logged
  }
  write_log(dir, s.log());  // before the step takes effect: a kill loses nothing
  return {StepResult::Kind::Changed, ""};
}

}  // namespace vg::exercise
