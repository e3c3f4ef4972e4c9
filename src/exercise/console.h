// The console's steps (docs/exercises.md, "The console"): one line of the players' console executed
// on a session, writing the log before the step takes effect, then the state beside it (state.txt,
// state.json). `villagegrid exercise` (cli/exercise.cpp) and the web control room
// (report/control_room.h) both execute commands through execute_line, so a command means the same
// from a terminal and from a browser. The caller holds the folder's lock (core/atomic_file.h).
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "core/diagnostics.h"
#include "exercise/session.h"

namespace vg::exercise {

// The state after a step: written beside the log (state.txt, state.json), then shown on `out`
// (the screen, or its JSON line); `clear` clears a terminal first.
void show(const Session& s, const std::filesystem::path& dir, bool json, bool clear, std::ostream& out);

// review.md and review.csv (and an empty observations.csv for the trainer when there is none);
// each objective's verdict printed on `out`.
void write_review(const Session& s, const std::filesystem::path& dir, std::ostream& out);

// One console line or command-line step on the session; returns false on "quit". A bad command
// throws (InputError with its position, or std::runtime_error) and nothing is logged.
bool execute_line(Session& s, const std::filesystem::path& dir, const std::string& line, const SourceLoc& loc,
                  bool json, bool clear, std::ostream& out);

}  // namespace vg::exercise
