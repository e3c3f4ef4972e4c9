// The players' commands, in words a cadre would use (docs/exercises.md, "Commands"):
//   add 2 village_cadre to Pushan [from day 4]      staff called in from the town pool or volunteers
//   overtime 2 hours for village_doctor in Pushan [for 5 days]
//   open checkpoint-1 in Pushan | close checkpoint-1 in Pushan
//   request 500 masks via sending_unit for Pushan
//   move 2 village_cadre from Pushan to Yunshi [from day 4]   staff lent from one village to another
//   raise wartime_declared in Pushan [at 9]                   an event the policy declares (about a village)
//   set screening minutes to 15 in Pushan                     a rule's parameter in a village from today:
//   set household-sweep every_days to 3 in Pushan               a task's minutes, a repeat's days between,
//   set five_plus_one days to 10 in Pushan                      a tracking template's days
//   note <anything: a decision and its reason>
// Each takes effect at 00:00 of the day the exercise stands at (or the later day it names). Names
// are checked against the scenario and its policy, with a "did you mean" where one is close.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "spec/scenario.h"

namespace vg::exercise {

// The names one policy declares that may differ between villages: a village under its own policy
// (`policy: overrides:`, docs/scenarios.md) may declare posts, events and tasks the others lack,
// and order through other channels. Roles and supplies are the same in every village's policy.
struct PolicyNames {
  std::vector<std::string> posts, channels;
  std::vector<std::string> events;     // declared events about a village (raise)
  std::vector<std::string> tasks;      // task kinds (set minutes, priority)
  std::vector<std::string> repeated;   // task kinds with a repeat (set every_days)
  std::vector<std::string> templates;  // tracking templates (set days)
};

// What commands may name: from the scenario and the compiled policies of the players' villages.
// The PolicyNames part is the union over those villages (what the console offers, and what a
// misspelling is compared with); a command is accepted only when the village it names has the name.
struct Names : PolicyNames {
  std::vector<std::string> villages, roles, supplies;
  // The towns of the played villages, each with its played villages (a command naming a town is
  // told which villages it may name instead).
  std::vector<std::pair<std::string, std::vector<std::string>>> towns;
  std::vector<PolicyNames> of_village;  // by index in `villages`; empty: every village has the union
  // The names of the village's own policy (the union when `of_village` is empty or it is unknown).
  const PolicyNames& policy_of(const std::string& village) const;
};

struct Command {
  enum class Kind : uint8_t { Add, Overtime, Open, Close, Request, Note, Move, Raise, Set };
  Kind kind = Kind::Note;
  std::string text;  // as given
  int day = 0;       // takes effect at 00:00 of this day
  int given = 0;     // the day it was given (parse_command's `today`: the log's day for a decision)
  std::string role, village, post, supply, channel;
  std::string to_village;  // move: where the staff go (`village` is where they come from)
  std::string event;       // raise
  int minute = 0;          // raise: minute of the day
  std::string name;        // set: the task or tracking template
  config::ParamSetSpec::What what = config::ParamSetSpec::What::Minutes;  // set: which parameter
  int value = 0;                                                          // set: the new value
  int count = 0;                                                          // add: people
  double hours = 0;                                                       // overtime: hours a day past the shift end
  int days = 0;                                                           // overtime: for this many days
  int64_t amount = 0;                                                     // request
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
// A move takes the village's last `count` members of the role off duty from its day to the end
// and gives the other village as many called-in members working the same hours.
void apply_command(const Command& c, config::ScenarioSpec& s);
// The members of `role` in `village` that a move from `day` may take, 1-based in roster order (as
// an absence's `member`): those on the village's roster by that day (not called in later) and not
// moved away by an earlier move.
std::vector<int> movable_members(const config::ScenarioSpec& s, const std::string& role, const std::string& village,
                                 int day);

}  // namespace vg::exercise
