// Plain records of what a scenario file says, each with the location it came from. Nothing here
// runs: the simulation is built from these records after they are checked (describe, then run).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/source.h"
#include "spec/date.h"

namespace vg::config {

// One role's roster in a village or a town: `count` people, each working `hours_per_day` hours
// from `shift_start`, from day `available_from_day` (0 = start date) on.
struct RosterSpec {
  std::string role;
  SourceLoc loc;
  int count = 0;
  double hours_per_day = 8;
  double overtime_hours_per_day = 0;  // may keep working this long past the shift end (assumption)
  int shift_start_min = 8 * 60;
  int available_from_day = 0;
  // Called in during a run (an exercise's decision, not read from scenario files): placed after
  // every other member of the town's roster, so that the others keep their places and what they
  // did before the member came stays as it was.
  bool reinforcement = false;
  // Most people of this role the roster may have (its entries together: a village committee of 3
  // to 7 by law, the posts a town funds); plan runs no more. 0 = no limit. Scenario files only.
  int max_count = 0;
  int max_teams = 0;          // most tracking teams one person may serve in; 0 = no limit
  int max_tasks_per_day = 0;  // most tasks one person starts in a day (a doctor's visits); 0 = no limit
  bool seconded = false;      // from outside the village (first secretary, instructor): not a resident
};

// A role's people in a roster (its entries together) and the least max_count its entries give:
// `limiting` is that entry, null where none gives one. The loader's check and plan's both read it.
struct RoleLimit {
  int total = 0;
  int most = 0;  // 0 = no limit
  const RosterSpec* limiting = nullptr;
  bool exceeded() const { return limiting && total > most; }
};

inline RoleLimit role_limit(const std::vector<RosterSpec>& staff, const std::string& role) {
  RoleLimit out;
  for (const auto& r : staff)
    if (r.role == role) {
      out.total += r.count;
      if (r.max_count > 0 && (!out.limiting || r.max_count < out.most)) {
        out.most = r.max_count;
        out.limiting = &r;
      }
    }
  return out;
}

struct VillageSpec {
  std::string name;
  SourceLoc loc;
  int residents = 0;
  double mean_household_size = 0;
  int villager_groups = 1;
  int party_members = 0;
  int returnees = 0;
  std::vector<RosterSpec> staff;
};

struct TownSpec {
  std::string name;
  std::string county;
  SourceLoc loc;
  std::vector<RosterSpec> staff;  // shared by every village of the town
  std::vector<VillageSpec> villages;
};

// Returnees' arrival days, relative to the start date: one triangular curve over [first_day,
// last_day] peaking at peak_day (`arrival_days`), or a sum of such waves, each with its share of
// the returnees (`arrival_waves`: a second wave on top of the first). Those who arrived before
// day 0 were already home when prevention work began.
struct ArrivalWave {
  std::string name;  // "" for `arrival_days`
  SourceLoc loc;
  double share = 1;  // of the returnees; the waves' shares add up to 1
  double first_day = 0;
  double peak_day = 0;
  double last_day = 0;
};

struct ArrivalSpec {
  SourceLoc loc;
  std::vector<ArrivalWave> waves;  // at least one
};

// Scheduled events (`schedule:`): what happens on given days whatever the rules do - staff absent
// for a period, a stock set to a level. Exercises inject these; planners test a plan against them.
struct AbsenceSpec {
  SourceLoc loc;
  std::string role;
  SourceLoc role_loc;
  std::string place;  // a village or a town ("" = every village and town); `town` says which
  SourceLoc place_loc;
  bool town = false;             // place names a town: its town-level staff
  int member = 0;                // one member (1-based, in roster order), or
  int count = 0;                 // the first `count` members, or
  double share = 0;              // the first round(share x members) members
  int from_day = 0, to_day = 0;  // absent on these days, both included
  bool moved = false;            // an exercise's `move` lent this member to another village (not from a file)
};

struct StockSetSpec {
  SourceLoc loc;
  std::string supply;
  SourceLoc supply_loc;
  std::string village;  // "" = every village
  SourceLoc village_loc;
  int day = 0;        // at 00:00
  int64_t level = 0;  // the stock set to this (which may lower it), or, with `add`, this many delivered
  bool add = false;
};

// The scheduled events below are what exercises inject and decide (src/exercise/); scenario
// files do not read them yet. A returnee surge: `count` returnees more in a village, all from one
// origin, home at a uniform minute of [day x 1440 + minute, + over_minutes). They are the last
// `count` returnees of the village (after any earlier surge's).
struct SurgeSpec {
  SourceLoc loc;
  std::string village, origin;
  SourceLoc village_loc, origin_loc;
  int count = 0;
  int day = 0, minute = 0, over_minutes = 60;
};

// A post of the policy opened or closed in a village at 00:00 of a day (closing: from that day's
// shifts on, as a rule's close_post does from the next day).
struct PostSetSpec {
  SourceLoc loc;
  std::string post, village;
  SourceLoc post_loc, village_loc;
  int day = 0;
  bool open = true;
};

// A request of a supply through a channel for a village at 00:00 of a day (as a rule's request).
struct OrderSpec {
  SourceLoc loc;
  std::string supply, channel, village;
  SourceLoc supply_loc, channel_loc, village_loc;
  int day = 0;
  int64_t amount = 0;
};

// A village's staff of a role may work `hours` past their shift end on days [from_day, to_day].
struct OvertimeSpec {
  SourceLoc loc;
  std::string role, village;
  SourceLoc role_loc, village_loc;
  int from_day = 0, to_day = 0;
  double hours = 0;
};

// A fever in a key person: symptoms begin at a minute of a day in the `key_person`-th key person
// of a village (1-based; key persons as of 00:00 of that day, in the order they were found, and
// the next one when that one was already infected). Needs the scenario's `epidemic` section.
struct FeverSpec {
  SourceLoc loc;
  std::string village;
  SourceLoc village_loc;
  int key_person = 1;
  int day = 0, minute = 0;
};

// An event the policy declares (`vocabulary: events`, about a village) raised in a village at a
// minute of a day, as a rule's raise would.
struct RaiseSpec {
  SourceLoc loc;
  std::string event, village;
  SourceLoc event_loc, village_loc;
  int day = 0, minute = 0;
};

// A rule's parameter changed in a village from 00:00 of a day on: a task's minutes, a repeated
// task's days between repeats (`every_days`), a tracking template's days, or a task's priority
// (staff take higher-priority ready tasks first: raising one moves the village's effort to it).
struct ParamSetSpec {
  enum class What : uint8_t { Minutes, EveryDays, TrackingDays, Priority };
  SourceLoc loc;
  What what = What::Minutes;
  std::string name, village;  // the task or tracking template; the village
  SourceLoc name_loc, village_loc;
  int day = 0;
  int value = 0;
};

struct ScheduleSpec {
  std::vector<AbsenceSpec> absences;
  std::vector<StockSetSpec> stocks;
  std::vector<SurgeSpec> surges;
  std::vector<PostSetSpec> posts;
  std::vector<OrderSpec> orders;
  std::vector<OvertimeSpec> overtime;
  std::vector<FeverSpec> fevers;
  std::vector<RaiseSpec> raises;
  std::vector<ParamSetSpec> params;
};

struct OriginShare {
  std::string origin;
  SourceLoc loc;
  double share = 0;
};

// Infection (optional): overrides of the model's defaults (docs/epidemic.md), each returnee's
// chance of arriving infected by origin, how long an unchecked person with symptoms takes to seek
// care, and what each kind of monitoring leaves of a person's contacts.
struct EpidemicSpec {
  SourceLoc loc;
  std::optional<double> r0, household_sar, asymptomatic_share;
  SourceLoc r0_loc;  // where r0 is given (an r0 below the household part is reported there)
  std::vector<OriginShare> infection_probability;  // share = probability
  int care_seeking_days = 3;
  int staff_isolation_days = 14;  // a resident staff member with symptoms is off duty this long
  // Residents who are not returnees are not subjects of village rules; the health system isolates
  // those who seek care with symptoms (after care_seeking_days) when this is true.
  bool isolate_local_cases = true;
  struct Contact {
    std::string kind;
    SourceLoc loc;
    double household = 1, community = 1;
  };
  std::vector<Contact> contact;
};

// Supplies (optional): what every village holds at the start, the funds it may spend, and the
// procurement channels of the report (on-site purchase, online buying, the sending unit, town
// allocation), each with a lead time, a most per request and a unit cost per supply.
struct SuppliesSpec {
  SourceLoc loc;
  double funds_per_village = 0;  // yuan
  // Or funds from sources above the village (the report's prefecture-level party fees and matching
  // funds), pooled and shared among the scenario's villages by a rule, in whole yuan.
  struct FundSource {
    std::string name;
    SourceLoc loc;
    int64_t amount = 0;  // yuan
    std::string level;   // "prefecture": shared among all the scenario's villages
  };
  std::vector<FundSource> fund_sources;
  enum class Allocate : uint8_t { Equal, PerResident, PerReturnee } allocate = Allocate::Equal;
  bool has_funds = false;           // a `funds` section was given
  std::vector<OriginShare> stocks;  // supply name and initial amount (in `share`)
  SourceLoc stocks_loc;             // the `stocks` mapping, when given
  struct Channel {
    std::string name;
    SourceLoc loc;
    int lead_days = 0;
    int64_t max_per_request = 0;         // 0: no limit
    std::vector<OriginShare> unit_cost;  // supply name and yuan per unit
  };
  std::vector<Channel> channels;
};

// `finding.visit_detection`, outside FindingSpec: a nested struct with default member initializers
// is not default-constructible inside its enclosing class for clang, so optional::emplace() fails.
struct VisitDetectionSpec {
  SourceLoc loc;
  double probability = 0;
  std::vector<OriginShare> by_role;  // role name and probability (in `share`)
};

// Finding returnees (optional). Without it every returnee registers at arrival (those home before
// day 0 at 00:00 of day 0): the simple model of rule tests and small scenarios. With it a returnee
// is home at arrival but registered only when found: by reporting themselves (a probability and an
// exponential delay with the given median, by origin; origins not listed never self-report), by a
// household visit (a task counting as a household contact finds each unregistered returnee at home
// in the household with `household_visit_probability`), by a staffed checkpoint (a post's
// `registers_share`, in the policy), or when seeking care with symptoms.
struct FindingSpec {
  SourceLoc loc;
  struct SelfReport {
    std::string origin;
    SourceLoc loc;
    double probability = 0;
    double median_delay_hours = 0;
  };
  std::vector<SelfReport> self_report;
  double household_visit_probability = 0.9;  // assumption (docs/assumptions.md)
  // `neighbour_report: {probability_per_day}`: each day, the chance that a neighbour or the
  // villager-group leader reports a returnee home since an earlier day whom nobody has registered
  // (0 when absent: nobody reports; docs/assumptions.md, "Finding").
  double neighbour_report_probability = 0;
  // `visit_detection`: the chance that a visit notices a person's symptoms, by the visitor's role
  // (`probability` for roles not listed). Given, a household contact also finds the ill at home;
  // absent, a task about a watched person always finds their symptoms and a household contact none.
  std::optional<VisitDetectionSpec> visit_detection;
};

// `policy: overrides:` one entry: villages that run under their own policy files and/or grid
// (docs/scenarios.md, "Per-village policy"). An empty rule list or grid file: the scenario's.
struct PolicyOverrideSpec {
  SourceLoc loc;
  std::vector<std::string> villages;
  std::vector<SourceLoc> village_locs;
  std::vector<std::string> rule_files;  // resolved relative to the scenario file
  std::vector<SourceLoc> rule_file_locs;
  std::string grid_file;  // resolved
  SourceLoc grid_file_loc;
};

struct ScenarioSpec {
  std::string path;  // the scenario file
  SourceLoc loc;
  std::string name;
  std::string title;
  Date start_date;
  int horizon_days = 0;
  uint64_t seed = 0;
  int replicates = 1;
  std::vector<std::string> rule_files;  // resolved relative to the scenario file
  std::vector<SourceLoc> rule_file_locs;
  std::string grid_file;  // resolved; "" when the scenario has no grid
  SourceLoc grid_file_loc;
  std::vector<PolicyOverrideSpec> policy_overrides;
  std::vector<TownSpec> towns;
  std::vector<OriginShare> origin_mix;
  ArrivalSpec arrivals;
  std::optional<EpidemicSpec> epidemic;
  std::optional<SuppliesSpec> supplies;
  ScheduleSpec schedule;
  std::optional<FindingSpec> finding;
};

// Limits that refuse absurd inputs with a message instead of exhausting memory later.
struct ScenarioLimits {
  static constexpr int64_t max_residents_per_village = 1'000'000;
  static constexpr int64_t max_villages = 100'000;
  static constexpr int64_t max_horizon_days = 3650;
  static constexpr int64_t max_replicates = 1'000'000;
  static constexpr int64_t max_staff_per_role = 1'000'000;
};

}  // namespace vg::config
