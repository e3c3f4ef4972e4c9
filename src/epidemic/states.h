// The vocabulary of the epidemic model: disease states, care states, transmission layers, and the
// records the model hands to the engine (transitions, per-village daily counts, the line list).
// Every enum is one byte; the numeric values appear in outputs, so only ever append.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

namespace vg::epidemic {

// Where a person is in the natural history of infection. "Recovered" means no longer infectious
// (removed); it says nothing about clinical recovery, which the care state tracks.
enum class State : uint8_t {
  Susceptible = 0,
  Exposed = 1,         // infected, not yet infectious
  Presymptomatic = 2,  // infectious, symptoms to come
  Symptomatic = 3,     // infectious, after symptom onset
  Asymptomatic = 4,    // infectious, never develops symptoms
  Recovered = 5,       // no longer infectious; immune for the rest of the run
};
inline constexpr int kStates = 6;

// The edges of the natural history. Every transition the model makes is one of these:
//   Susceptible -> Exposed            (infection: transmission or importation)
//   Exposed -> Presymptomatic         (infectiousness begins; symptoms will follow)
//   Exposed -> Asymptomatic           (infectiousness begins; no symptoms ever)
//   Presymptomatic -> Symptomatic     (symptom onset)
//   Symptomatic -> Recovered, Asymptomatic -> Recovered   (infectiousness ends)
// Several edges may be taken on one day (an imported case is brought up to date on arrival; with
// a zero-length presymptomatic phase Exposed -> Presymptomatic -> Symptomatic happen together),
// but each is reported separately and in this order.
constexpr bool allowed_transition(State from, State to) {
  switch (from) {
    case State::Susceptible: return to == State::Exposed;
    case State::Exposed: return to == State::Presymptomatic || to == State::Asymptomatic;
    case State::Presymptomatic: return to == State::Symptomatic;
    case State::Symptomatic: return to == State::Recovered;
    case State::Asymptomatic: return to == State::Recovered;
    case State::Recovered: return false;
  }
  return false;
}

constexpr bool is_infectious(State s) {
  return s == State::Presymptomatic || s == State::Symptomatic || s == State::Asymptomatic;
}

// Where the engine has put a person, independent of the disease state. Set only by the engine
// (detection by checks, isolation by rules); the model applies the contact multipliers of the
// care state (Parameters) on top of the person's own multipliers.
//   None <-> Isolated, None <-> Hospitalised, Isolated <-> Hospitalised are all allowed, except
//   that only someone who has been infected can be Hospitalised (Epidemic::set_care refuses
//   otherwise: a suspected case that is not infected is Isolated, not Hospitalised).
enum class Care : uint8_t {
  None = 0,
  Isolated = 1,      // quarantine or isolation away from others (see Parameters for the household)
  Hospitalised = 2,  // in hospital: no contact with the village
};
inline constexpr int kCares = 3;

// Where an infection happened.
enum class Layer : uint8_t {
  Household = 0,
  Group = 1,     // villager group (村民小组): neighbours, the hamlet
  Village = 2,   // the whole administrative village
  Town = 3,      // any village of the same town (markets, township seat)
  Imported = 4,  // infected outside the simulated region (seed_infection)
};
inline constexpr int kLayers = 5;

inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();
inline constexpr uint32_t kNoPerson = std::numeric_limits<uint32_t>::max();

// One edge taken by one person. `day` is the day it happened, which for an imported case brought
// up to date on arrival can be earlier than the step that reports it.
struct Transition {
  uint32_t person;  // global person index (population::Population)
  int32_t day;
  State from, to;
  bool operator==(const Transition&) const = default;
};

// One infection, from infection to the end of infectiousness. All days are absolute simulation
// days and are fixed when the infection happens: onset_day and recovery_day may lie in the
// future. The engine must base decisions only on what has happened (the person's state), never
// on planned days; they are here for line lists, tests and `explain`.
struct Case {
  uint32_t person;
  uint32_t infector;  // kNoPerson for an imported case
  int32_t infection_day;
  int32_t infectious_day;  // first day infectious
  int32_t onset_day;       // kNoDay for an asymptomatic case
  int32_t recovery_day;    // first day no longer infectious
  Layer layer;
  bool asymptomatic;
  bool operator==(const Case&) const = default;
};

// One village on one day. The state counts are taken at the end of the day's step and always add
// up to the village's residents; the care counts are as of the end of the step; the event counts
// are what that step processed (for an imported case brought up to date on arrival, its earlier
// onset or recovery counts on the step that registers it).
struct DayCounts {
  std::array<int32_t, kStates> state{};
  int32_t isolated = 0;
  int32_t hospitalised = 0;
  int32_t infected = 0;   // local infections (Susceptible -> Exposed by transmission)
  int32_t imported = 0;   // infections seeded by seed_infection
  int32_t onsets = 0;     // Presymptomatic -> Symptomatic
  int32_t recovered = 0;  // -> Recovered
  int32_t operator[](State s) const { return state[static_cast<size_t>(s)]; }
  bool operator==(const DayCounts&) const = default;
};

}  // namespace vg::epidemic
