// The frozen model of a run: the scenario and the compiled policy checked against each other,
// the population, and everything the engine needs resolved to indices. Built once, then shared
// read-only by every replicate and thread (FLAME GPU 2 clones its description for the same reason:
// nothing a user builds can change under a run).
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "epidemic/disease_model.h"
#include "epidemic/next_generation.h"
#include "population/population.h"
#include "rules/program.h"
#include "spec/scenario.h"
#include "staffing/scheduler.h"

namespace vg::sim {

struct TownRoster {
  std::vector<staffing::StaffMember> staff;  // village staff carry their village's global index
  std::vector<int> max_teams;                // per staff member; 0 = no limit
  std::vector<uint8_t> resident;          // per staff member: a resident of their village (not seconded, not town pool)
  std::vector<int32_t> person;            // per staff member: the resident they are (global index), or -1
  std::vector<std::vector<int>> by_role;  // staff indices per role
};

// "Party members contact households": each household's contact member, from the grid.
struct ContactAssignment {
  std::vector<int32_t> member;          // per household (global index): staff index in its town's roster, -1 none
  std::vector<int32_t> without_member;  // per village: households with no contact member
  std::vector<int32_t> over_span;       // per village: members given more households than the span
  std::vector<int32_t> max_load;        // per village: most households of one member
  std::vector<int32_t> members;         // per village: members of the contact role (village staff)
  std::vector<int32_t> idle_members;    // per village: of those, members given no household
};

struct Model {
  config::ScenarioSpec scenario;
  std::shared_ptr<const rules::Program> program;
  // Shared, never changed: plan's candidate models and every replicate read the same one.
  std::shared_ptr<const population::Population> population;
  std::vector<TownRoster> rosters;  // per town
  std::optional<config::GridSpec> grid;
  ContactAssignment contacts;
  // Infection, when the scenario has an `epidemic` section.
  std::shared_ptr<const epidemic::DiseaseModel> disease;
  // R0 of the disease model's rates in this population, and the share of each layer.
  std::optional<epidemic::NextGeneration> next_generation;
  std::vector<double> infection_probability;             // by origin index
  std::vector<std::array<float, 2>> monitoring_contact;  // by monitoring kind: household, community
  int care_seeking_days = 3;
  int staff_isolation_days = 14;
  bool isolate_local_cases = true;
  // Finding returnees (the scenario's `finding` section; docs/scenarios.md). Without it (finding
  // false) every returnee is registered as they arrive.
  bool finding = false;
  std::vector<double> self_report_probability;     // by origin index
  std::vector<double> self_report_median_minutes;  // by origin index: median delay from arrival
  double household_visit_probability = 0;
  double neighbour_report_probability = 0;  // per day, per unregistered returnee home since an earlier day
  // The chance that a visit by a member of each role notices symptoms (by role index); empty: the
  // old model (a task about a watched person always finds them, a household contact never does).
  std::vector<double> visit_detection;
  // Supplies, by supply index (program->supplies()); channels by the program's channel index.
  std::vector<int64_t> initial_stock;
  std::vector<double> village_funds;  // yuan, per village (global index): funds_per_village or funds allocated
  struct Channel {
    int lead_days = 0;
    int64_t max_per_request = 0;
    std::vector<double> unit_cost;  // by supply; a supply the channel does not list cannot be ordered there
    std::vector<bool> offers;
  };
  std::vector<Channel> channels;  // the scenario's policy's
  // Per-village policy (`policy: overrides:`, docs/scenarios.md): each distinct override compiled
  // once into its own program, with the supply channels its rules order through. A town runs
  // under one program: town_policy[t] indexes `policies`, -1 (or town_policy empty) `program`.
  struct Policy {
    std::shared_ptr<const rules::Program> program;
    std::vector<Channel> channels;
    std::optional<config::GridSpec> grid;
  };
  std::vector<Policy> policies;
  std::vector<int> town_policy;
  // Task kinds by name over every program the region runs: the scenario's policy's, then each
  // override's that the ones before lack, in order (index_task_kinds). ReplicateResult::tasks,
  // summary.json's `tasks` and the store's are indexed by this list; a town's own outputs by its
  // program's kinds, which task_kind_of maps here ([0]: the scenario's program, [1 + k]: policies[k]).
  std::vector<std::pair<std::string, int>> task_kinds;  // name, guideline
  std::vector<std::vector<uint32_t>> task_kind_of;
  const std::vector<uint32_t>& town_task_kinds(size_t town) const {
    const int k = town < town_policy.size() ? town_policy[town] : -1;
    return k < 0 ? task_kind_of[0] : task_kind_of[size_t(k) + 1];
  }
  const rules::Program& town_program(size_t town) const {
    const int k = town < town_policy.size() ? town_policy[town] : -1;
    return k < 0 ? *program : *policies[size_t(k)].program;
  }
  const std::vector<Channel>& town_channels(size_t town) const {
    const int k = town < town_policy.size() ? town_policy[town] : -1;
    return k < 0 ? channels : policies[size_t(k)].channels;
  }
  std::vector<double> origin_cumulative;  // over program->origins(), ascending, last = 1
  // Returnees' arrivals: waves, each a triangle (first, peak and last day), chosen by share.
  struct Wave {
    double first = 0, peak = 0, last = 0;
    bool operator==(const Wave&) const = default;
  };
  std::vector<Wave> arrival_waves;
  std::vector<double> wave_cumulative;  // ascending, last = 1
  // Scheduled events (the scenario's `schedule:`), names resolved.
  struct Absence {
    int role = 0;
    int town = -1;              // -1: every town
    int32_t village = -2;       // global index; -1: the town's own staff; -2: every village and the town's staff
    int member = 0, count = 0;  // one member (1-based) or the first `count`; both 0: by share
    double share = 0;
    int from_day = 0, to_day = 0;  // both included
  };
  std::vector<Absence> absences;
  struct StockSet {
    int day = 0;
    int32_t village = -1;  // global index; -1: every village
    int supply = 0;
    int64_t level = 0;  // the stock set to it; with add, the amount delivered
    bool add = false;
  };
  std::vector<StockSet> stock_sets;  // by day, then as written
  struct Surge {
    int32_t village = 0;  // global index
    int origin = 0;
    int count = 0;
    int64_t first_minute = 0, over_minutes = 60;
  };
  std::vector<Surge> surges;  // as written; a village's surges take its last returnees, the first surge last
  struct PostSet {
    int day = 0;
    int32_t village = 0;  // global index
    int post = 0;
    bool open = true;
  };
  std::vector<PostSet> post_sets;  // by day, then as written
  struct Order {
    int day = 0;
    int32_t village = 0;  // global index
    int supply = 0, channel = 0;
    int64_t amount = 0;
  };
  std::vector<Order> orders;  // by day, then as written
  struct Overtime {
    int role = 0;
    int32_t village = 0;  // global index
    int from_day = 0, to_day = 0;
    int minutes = 0;
  };
  std::vector<Overtime> overtime;
  struct Fever {
    int32_t village = 0;  // global index
    int key_person = 1;   // 1-based
    int day = 0, minute = 0;
  };
  std::vector<Fever> fevers;  // by day, then as written
  struct RaiseAt {
    int event = 0;        // the program's event index (about a village)
    int32_t village = 0;  // global index
    int day = 0, minute = 0;
  };
  std::vector<RaiseAt> raises;  // by day, then as written
  struct ParamSet {
    config::ParamSetSpec::What what = config::ParamSetSpec::What::Minutes;
    int index = 0;        // task kind or tracking template
    int32_t village = 0;  // global index
    int day = 0;          // from 00:00 of this day
    int value = 0;
  };
  std::vector<ParamSet> param_sets;  // by day, then as written
  // The value of a parameter in a village on a day: the last param_set for it from a day up to
  // `day`, else `otherwise`.
  int param(config::ParamSetSpec::What what, int index, int32_t village, int day, int otherwise) const {
    for (const auto& p : param_sets)
      if (p.day <= day && p.what == what && p.index == index && p.village == village) otherwise = p.value;
    return otherwise;
  }
  int horizon_days = 0;
  int replicates = 1;
  uint64_t seed = 0;
  bool has_screening_task = false;
  double population_ms = 0;  // time taken to build the population, contacts and staff persons (for --profile)

  int roles() const { return int(program->roles().size()); }
};

// Shares each village's households among the members of the grid's contact role: members are
// given to villager groups in proportion to their households (largest remainder), and in a group
// each takes up to the span of consecutive households; with cover_all the rest are dealt out in
// turn beyond the span. Deterministic.
// `program_of_town` gives each town's program (its grid).
ContactAssignment assign_contacts(const population::Population& pop, const std::vector<TownRoster>& rosters,
                                  const std::function<const rules::Program&(size_t town)>& program_of_town);

// Shares `total` whole yuan among villages in proportion to `weights` (>= 0): each gets the floor of
// its exact share, and the yuan left over (fewer than the villages with a weight) go one each to
// villages with a weight, in village order. Villages without weight get nothing; all zero: nothing.
std::vector<int64_t> allocate_funds(int64_t total, const std::vector<int64_t>& weights);

// Links each resident staff member to a distinct resident of their village who is not a returnee.
void assign_staff_persons(const population::Population& pop, uint64_t seed, std::vector<TownRoster>& rosters);

// The scenario's arrival waves and scheduled events, checked against the program and the region
// (unknown roles, villages, towns and supplies are errors in `diags`, with a "did you mean").
void resolve_schedule(const config::ScenarioSpec& scenario, const rules::Program& program, Model& m,
                      Diagnostics& diags);

// Command-line values that take precedence over the scenario file.
struct Overrides {
  std::optional<uint64_t> seed;
  std::optional<int> replicates;
  // Applied to the scenario as read, before anything is checked or built: an exercise adds its
  // injects and the players' decisions as scheduled events and staff called in (src/exercise/).
  std::function<void(config::ScenarioSpec&)> amend;
};

// Loads the scenario, its policy files, checks them against each other and builds the population.
// Throws InputError (every problem found) when the inputs cannot be run. Warnings go to `diags`.
Model load_model(const std::string& scenario_path, Diagnostics& diags, const Overrides& overrides = {});
// The staff of each town from the scenario's rosters (unknown roles are errors in `diags`).
std::vector<TownRoster> build_rosters(const config::ScenarioSpec& scenario, const rules::Program& program,
                                      Diagnostics& diags);
// Gives the model its staff over its population: `rosters` (build_rosters of its scenario), each
// household's contact member and the resident each resident staff member is. build_model calls it
// once; plan once per candidate roster, on a model that shares the population.
void build_staffing(Model& m, std::vector<TownRoster> rosters);
// Builds from specs already loaded (tests build scenarios in memory this way).
// `policies` and `town_policy`: the per-village overrides (load_policy_overrides), none by default.
Model build_model(config::ScenarioSpec scenario, std::shared_ptr<const rules::Program> program, Diagnostics& diags,
                  std::vector<Model::Policy> policies = {}, std::vector<int> town_policy = {});

// Compiles each distinct override of the scenario's `policy: overrides:` once (config::town_overrides)
// and checks that it declares the same vocabulary as the scenario's program `base` (roles, origins,
// classes, key classes, monitoring kinds, supplies): outputs and the model's tables are indexed by
// them. Fills `policies` (channels left to build_model) and `town_policy`; errors in `diags`.
void load_policy_overrides(const config::ScenarioSpec& scenario, const rules::Program& base,
                           std::vector<Model::Policy>& policies, std::vector<int>& town_policy, Diagnostics& diags);
// The villages of `scenario` that run under policies[k] (town_policy), comma-separated: how
// messages name a per-village policy.
std::string policy_villages(const config::ScenarioSpec& scenario, const std::vector<int>& town_policy, size_t k);
// Model::task_kinds and task_kind_of from its program and policies (build_model calls it).
void index_task_kinds(Model& m);

}  // namespace vg::sim
