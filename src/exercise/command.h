// The players' commands, in words a cadre would use (docs/exercises.md, "Commands"):
//   add 2 village_cadre to Pushan [from day 4]      staff called in from the town pool or volunteers
//   overtime 2 hours for village_doctor in Pushan [for 5 days]
//   open checkpoint-1 in Pushan | close checkpoint-1 in Pushan
//   request 500 masks via sending_unit for Pushan
//   note <anything: a decision and its reason>
// Each takes effect at 00:00 of the day the exercise stands at (or the later day it names). Names
// are checked against the scenario and its policy, with a "did you mean" where one is close.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "spec/scenario.h"

namespace vg::exercise {

// What commands may name: from the scenario and its compiled policy.
struct Names {
  std::vector<std::string> villages, roles, posts, supplies, channels;
};

struct Command {
  enum class Kind : uint8_t { Add, Overtime, Open, Close, Request, Note };
  Kind kind = Kind::Note;
  std::string text;  // as given
  int day = 0;       // takes effect at 00:00 of this day
  std::string role, village, post, supply, channel;
  int count = 0;       // add: people
  double hours = 0;    // overtime: hours a day past the shift end
  int days = 0;        // overtime: for this many days
  int64_t amount = 0;  // request
  // What an expected action and a player's command are matched on: the kind and what it names,
  // not how many ("add village_cadre Pushan").
  std::string key() const;
};

const char* kind_name(Command::Kind k);

// Parses and checks one command given at day `today`; problems go to `diags` at `loc` shifted to
// the word at fault. Returns nullopt when there was an error.
std::optional<Command> parse_command(std::string_view text, const SourceLoc& loc, const Names& names, int today,
                                     Diagnostics& diags);

// The command's effect on the scenario, as scheduled events and staff called in (nothing for a note).
void apply_command(const Command& c, config::ScenarioSpec& s);

}  // namespace vg::exercise
