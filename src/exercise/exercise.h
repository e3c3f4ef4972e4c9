// A training exercise (docs/exercises.md): a scenario, the teams of players and what they control,
// the objectives, and the master scenario events list (MSEL, after HSEEP): dated injects, each with
// what it does to the simulation, the player it is meant for, the actions expected and the
// objective it tests. Plain records with source locations, read strictly from YAML like the other
// input files (unknown keys are errors with a "did you mean").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "spec/scenario.h"

namespace vg::exercise {

struct Team {
  std::string name;
  SourceLoc loc;
  std::vector<std::string> villages;  // the villages the team plays (shown on its screen)
  std::vector<SourceLoc> village_locs;
  std::vector<std::string> roles;  // the roles the team plays (staff it may call in)
  std::vector<SourceLoc> role_locs;
};

// How an objective is measured on a finished run (review.cpp), over the players' villages.
struct Objective {
  enum class Measure : uint8_t {
    ScreenWithin,     // share of an inject's surge returnees screened within `hours` of being found (or home)
    TeamsComplete,    // share of tracking-days with every team place filled and every duty done
    SupplyOutAtMost,  // longest run of days a village ends with none of `supply`, at most `days`
  };
  std::string id, title;
  SourceLoc loc;
  Measure measure = Measure::ScreenWithin;
  std::string inject;  // ScreenWithin: the surge inject
  SourceLoc inject_loc;
  double hours = 24;
  bool from_found = true;  // ScreenWithin: hours counted from being found (registered), else from arriving home
  std::string supply;      // SupplyOutAtMost
  SourceLoc supply_loc;
  int days = 1;
  double partly = 0.8;  // shares: met at 1, partly from this share on; supply: partly up to twice `days`
};

// What an inject does to the simulation: a scheduled event of the scenario's kinds (spec/scenario.h),
// or nothing (a directive, a rumour: it only tells the players something).
struct Effect {
  enum class Kind : uint8_t { None, Surge, Absence, Stock, Fever, Raise };
  Kind kind = Kind::None;
  config::SurgeSpec surge;
  config::AbsenceSpec absence;
  config::StockSetSpec stock;
  config::FeverSpec fever;  // a fever in a key person
  config::RaiseSpec raise;  // an event the policy declares, raised in a village
};

// An action expected of the players: a console command (command.h), by a day.
struct Expected {
  std::string command;
  SourceLoc loc, day_loc;
  int day = 0;  // expected at the stop of this day (00:00) at the latest
};

struct Inject {
  std::string id, synopsis, player, objective;
  SourceLoc loc, day_loc, player_loc, objective_loc;
  int day = 0, hour = 0;  // when it happens (its effect) ; it is delivered at the stop of its day
  Effect effect;
  std::vector<Expected> expected;
};

struct ExerciseSpec {
  std::string path;  // the exercise file
  std::string name, title;
  std::string scenario_file;  // resolved relative to the exercise file
  SourceLoc scenario_loc;
  int horizon_days = 0;  // 0: the scenario's; no more than the scenario's
  SourceLoc horizon_loc;
  int background_replicates = 20;
  std::vector<Team> teams;
  std::vector<Objective> objectives;
  std::vector<Inject> injects;  // by day, then hour, as written
};

// Reads an exercise file; every problem goes to `diags` (nullopt when any is an error). Names of
// villages, roles, origins and supplies are checked against the scenario when the model is built.
std::optional<ExerciseSpec> load_exercise(const std::string& path, Diagnostics& diags);

// The inject of that id, or nullptr.
const Inject* find_inject(const ExerciseSpec& x, const std::string& id);

}  // namespace vg::exercise
