// What the players see at a stop (docs/exercises.md, "The console"): per village they play, the
// state at 00:00 of the day the exercise stands at (the days before it simulated), and what is new
// since the last stop: injects delivered and alerts. Rendered as a plain, wide text screen for a
// projector, or as one JSON line (the web app drives the console the same way).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "exercise/session.h"

namespace vg::exercise {

// One role's staff of one place: a village's own staff, or a town's (its pool, serving every
// village of the town: their hours are on the town's line, never on a village's).
struct RoleLine {
  std::string role;
  int on_duty_today = 0;           // the place's own staff of the role on duty today (absences out)
  double hours_per_day = 0;        // summed over those on duty today, overtime excluded
  double worked_yesterday = 0;     // hours of work those staff started yesterday, overtime included
  double available_yesterday = 0;  // hours of those staff on duty yesterday
};

struct VillageView {
  std::string village;
  int64_t home = 0, registered = 0, screened = 0, not_screened = 0;
  int64_t backlog = 0, late_yesterday = 0, late_total = 0;
  int64_t key_identified = 0, tracked = 0, teams_incomplete = 0;
  // Identified so far less tracked yesterday: identified yesterday (their teams form today), never
  // given a tracking, or their tracking over. Shown when not 0, as the ones not yet screened are.
  int64_t not_tracked = 0;
  std::vector<RoleLine> roles;
  std::vector<std::pair<std::string, int64_t>> stocks;
  double funds = 0;
  bool has_funds = false;
  std::vector<std::string> alerts;  // since the last stop
};

// A town some played village is in, when it has staff of its own (the town pool).
struct TownView {
  std::string town;
  std::vector<RoleLine> roles;
};

struct View {
  std::string exercise, title, date;
  int day = 0, horizon = 0, next_inject = 0;
  bool finished = false;
  std::vector<std::string> injects;    // delivered at this stop: "[day 3 08:00] id (team): synopsis"
  std::vector<std::string> decisions;  // every command so far: "day 3: add 2 ..."
  std::vector<VillageView> villages;
  std::vector<TownView> towns;
};

// The state of the session's live run (replicate 0) at its current day.
View compute_view(const Session& s);

std::string render_screen(const View& v);
std::string render_json(const View& v);  // one line, ending in a newline

}  // namespace vg::exercise
