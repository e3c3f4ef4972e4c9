// A running exercise: the exercise file plus an append-only log (docs/exercises.md, "How it
// works"). The log is the state: the days advanced to, the injects delivered and the players'
// commands with the day they were given. Every step rebuilds the model from the exercise file with
// the injects as scheduled events and the log's commands as dated changes, and simulates the
// whole horizon; the screen shows days before the day the exercise stands at, which no later
// command can change (commands act from 00:00 of their day on). So the same log gives the same
// state byte for byte: replay, and resuming after a kill, are a rebuild.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "exercise/command.h"
#include "exercise/exercise.h"
#include "sim/engine.h"
#include "sim/model.h"

namespace vg::exercise {

struct LogEntry {
  enum class Kind : uint8_t { Advance, Inject, Do };
  Kind kind = Kind::Advance;
  int day = 0;       // Advance: the day reached (00:00); Inject: the day delivered; Do: the day given
  std::string text;  // Inject: its id; Do: the command
  int line = 0;      // in the log file (for messages)
};

struct Log {
  std::string exercise;  // the exercise file, absolute
  // A digest of the exercise file, its scenario and the scenario's rule and grid files when the
  // exercise started ("" in a log from before it was kept): if they change, replaying the log
  // would change the days already played, so a session refuses to (Session::Session).
  std::string inputs;
  std::vector<LogEntry> entries;
  int day() const;  // the day the exercise stands at (00:00): the last Advance's
};

inline constexpr const char* kLogFile = "exercise.log";
std::string render_log(const Log& log);
// Reads DIR/exercise.log; a bad line is an InputError at its file:line:col.
Log read_log(const std::filesystem::path& dir);
// Writes DIR/exercise.log atomically (before the step it records takes effect).
void write_log(const std::filesystem::path& dir, const Log& log);

// One replicate of a model, every town: days [global village][day], totals, persons (when traced).
struct RunOutput {
  std::vector<std::vector<metrics::DayRow>> days;
  std::vector<metrics::VillageTotals> villages;
  std::vector<sim::PersonRecord> persons;
  std::vector<std::vector<double>> funds;                       // [global village][day], empty without supplies
  std::vector<std::vector<std::vector<int32_t>>> staff_worked;  // [town][day][roster member], with staff_days
  std::vector<int64_t> orders_filled;                        // [index in Model::orders]: units bought (sim::TownOutput)
  std::vector<std::vector<metrics::RoleTotals>> town_roles;  // [town][role]
};
// `staff_days`: fill staff_worked (sim::TownOutput::staff_worked), for the console's staff lines.
RunOutput simulate(const sim::Model& m, int replicate, bool trace, bool staff_days = false);

class Session {
 public:
  // Loads the exercise file the log names (and its scenario); `seed` replaces the scenario's.
  explicit Session(Log log, std::optional<uint64_t> seed = std::nullopt);

  const ExerciseSpec& spec() const { return spec_; }
  const Log& log() const { return log_; }
  int day() const { return log_.day(); }
  int horizon() const { return base_.horizon_days; }
  const sim::Model& base() const { return base_; }  // the injects without any command
  const Names& names() const { return names_; }
  std::vector<std::string> played_villages() const;

  // Checks a command given now (InputError with its position when it is bad).
  Command check(std::string_view text, const SourceLoc& loc) const;
  // Members of the role the village may lend from `day` (a move): the scenario's and those called in
  // by then, less those moved away already (exercise/command.h, movable_members).
  int members_left(const std::string& role, const std::string& village, int day) const;
  // The log's commands, in order, parsed again (each at the day it was given).
  std::vector<Command> decisions() const;
  // The expected actions of the MSEL, each at its expected day.
  std::vector<Command> expected_actions() const;
  // The next inject's day after today (the horizon when none is left).
  int next_inject_day() const;

  // Log changes (the caller writes the log before anything else).
  void record(const Command& c);
  void advance_to(int day);  // also records the injects delivered on the days reached

  // The model with the injects and these commands, with this seed (nullopt: the session's).
  sim::Model model(const std::vector<Command>& commands, std::optional<uint64_t> seed = std::nullopt) const;

 private:
  Log log_;
  ExerciseSpec spec_;
  std::optional<uint64_t> seed_;
  sim::Model base_;
  Names names_;
};

}  // namespace vg::exercise
