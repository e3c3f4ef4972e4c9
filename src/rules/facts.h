// The built-in facts a condition can read: the one table the compiler's schema, the rule-test
// reader and the docs check read (docs/rules.md lists them). Person facts come first, in slot order
// (rules::Slot), then village facts (rules::VillageFact); `category` facts take their values from a
// vocabulary list.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "rules/expr.h"

namespace vg::rules {

// Facts a condition can read, in slot order: the person's first, then the village's. A rule about
// a village may read only village facts (checked at load time). docs/rules.md lists them.
enum Slot : int {
  kSlotOrigin,
  kSlotClass,
  kSlotArrivalDay,
  kSlotHouseholdSize,
  kSlotIsReturnee,
  kSlotTracked,
  kSlotMonitoring,
  kSlotFoundBy,
  kPersonFactCount,
  // village facts follow the person attributes; their slots are Program::village_slot(k)
};
enum VillageFact : int {
  kVillageToday,
  kVillageResidents,
  kVillageHouseholds,
  kVillagePartyMembers,
  kVillageReturneesRegistered,
  kVillageKeyPersons,
  kVillageOpenTasks,
  kVillageMonitored,
  kVillageFactCount,
};

struct FactInfo {
  std::string_view name;
  Type type;
  std::string_view doc;
};

inline constexpr std::array<FactInfo, kPersonFactCount> kPersonFacts{{
    {"origin", Type::Category, "where a returnee came from"},
    {"class", Type::Category, "the person's current class"},
    {"arrival_day", Type::Number, "day the returnee arrived home (0 = start date, or before)"},
    {"household_size", Type::Number, "people in the person's household"},
    {"is_returnee", Type::Bool, "whether the person is a returnee"},
    {"tracked", Type::Bool, "whether a tracking team follows the person now"},
    {"monitoring", Type::Category, "the person's monitoring now (none, or a declared kind)"},
    {"found_by", Type::Category, "how the returnee was found (registered): a channel of kFoundBy"},
}};

// The channels by which a returnee is found (registered), the values of the `found_by` fact in
// order: `arrival` when the scenario has no `finding` section (registered as they arrive).
enum class FoundBy : uint8_t {
  None,
  Arrival,
  SelfReport,
  HouseholdVisit,
  Checkpoint,
  CareSeeking,
  NeighbourReport,
  Count
};
inline constexpr std::array<std::string_view, size_t(FoundBy::Count)> kFoundBy{
    "none", "arrival", "self_report", "household_visit", "checkpoint", "care_seeking", "neighbour_report"};

inline constexpr std::array<FactInfo, kVillageFactCount> kVillageFacts{{
    {"today", Type::Number, "the current day (0 = start date)"},
    {"residents", Type::Number, "residents of the village"},
    {"households", Type::Number, "households of the village"},
    {"party_members", Type::Number, "party members of the village"},
    {"returnees_registered", Type::Number, "returnees registered in the village so far"},
    {"key_persons", Type::Number, "people of the village now in a key class"},
    {"open_tasks", Type::Number, "open tasks of the village now"},
    {"monitored", Type::Number, "people of the village under monitoring now"},
}};

// Whether `name` is a built-in person or village fact.
constexpr bool is_person_fact(std::string_view name) {
  for (const auto& f : kPersonFacts)
    if (f.name == name) return true;
  return false;
}
constexpr bool is_village_fact(std::string_view name) {
  for (const auto& f : kVillageFacts)
    if (f.name == name) return true;
  return false;
}

}  // namespace vg::rules
