// The console's words, in one place for every front end: the terminal console and `exercise do`
// / `advance` (src/cli/exercise.cpp), scripts from a file or standard input, and the web control
// room. One line is either a console word (advance [N], next, review, help, quit) or a players'
// command (command.h); execute() checks it, writes the log to the exercise folder before the step
// takes effect, and says what happened. A refused line throws (InputError with its position, or
// std::runtime_error) and changes nothing: neither the session nor the log.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "exercise/session.h"

namespace vg::exercise {

struct StepResult {
  enum class Kind : uint8_t {
    Nothing,  // an empty line
    Quit,     // quit or exit: the caller leaves (the exercise stays in its folder)
    Help,     // `text` holds the help
    Review,   // review.md and review.csv written; `text` says the verdicts and where
    Changed,  // the log grew (a command, or days advanced): show the new state
  };
  Kind kind = Kind::Nothing;
  std::string text;
};

// The console's help (its words and the players' commands).
std::string help_text();

// Writes DIR/review.md and DIR/review.csv (and an empty DIR/observations.csv for the trainer when
// there is none); returns the verdicts, a line each, and where the review is.
std::string write_review(const Session& s, const std::filesystem::path& dir);

// Executes one line on the session in exercise folder `dir`; `loc` is where the line is (for
// messages: a file's line, "<command>", "<console>").
StepResult execute(Session& s, const std::filesystem::path& dir, std::string_view line, const SourceLoc& loc);

}  // namespace vg::exercise
