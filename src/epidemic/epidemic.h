// The epidemic in one town (or a run of villages of one town) for one replicate: who is in which
// state, who infects whom, day by day. One thread owns one Epidemic; the DiseaseModel and the
// Population are shared read-only.
//
// Work is proportional to what happens. Each day only the people currently infected are visited:
// their scheduled transitions are applied, and each infectious person draws, from its own stream,
// how many people it infects in each layer and who they are. The susceptible majority is never
// visited; per person the model keeps 15 bytes (state, care, two contact multipliers, case index, a reset flag).
//
// Determinism. Every draw is keyed, never taken from a shared generator:
//   the course of an infection: Purpose::Infection, entity = person, day 0 (natural_history.h);
//   transmission by infector i on day d: Purpose::Transmission, entity = i, day = d.
// Within a day, infectors act in increasing person order, and a person hit by two infectors on one
// day is infected by the first (the second contact is spent on someone no longer susceptible).
// Nobody infected on day d transmits before day d + 1, so the order only decides who is named as
// infector, never how many are infected. Results therefore depend on nothing but the keys: not on
// thread count, not on the order towns are run, and with town_per_day = 0 a village simulated on
// its own gives exactly what it gives inside its town.
//
// The stream of one infector-day is laid out layer by layer (household, group, village, town):
// per layer the count of contacts (2 words; skipped for a layer whose rate is 0 or that has no
// one else), then per contact the person (below(): 1 word, rarely more) and the acceptance draw
// (2 words), drawn whether or not the contact is still susceptible. A change in who is
// susceptible or isolated thus leaves the other contacts of that infector-day where they were.
//
// Using it from the engine, each day d (from first_day on, no day skipped):
//   1. seed_infection / import_returnee for people who arrive today (infection days up to d);
//   2. step(d): applies the day's transitions and transmission and returns the transitions;
//   3. react: set_care, set_contact_multipliers; they take effect from step(d + 1).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "epidemic/disease_model.h"
#include "epidemic/importation.h"
#include "epidemic/states.h"
#include "population/population.h"

namespace vg::epidemic {

class Epidemic {
 public:
  // Every village of town `town`.
  Epidemic(const DiseaseModel& model, const population::Population& pop, uint32_t town, uint64_t seed,
           uint32_t replicate, int32_t first_day = 0);
  // Villages [villages.begin, villages.end), all of one town. Town-layer transmission needs the
  // whole town: throws std::invalid_argument if town_per_day > 0 and the range is not a town.
  static Epidemic for_villages(const DiseaseModel& model, const population::Population& pop, population::Range villages,
                               uint64_t seed, uint32_t replicate, int32_t first_day = 0);

  // Back to the start (everyone susceptible, no care, multipliers 1) for another replicate,
  // touching only the people that changed: far cheaper than building a new one for a big town.
  void reset(uint32_t replicate);

  // ---- infections from outside -----------------------------------------------------------------
  // Infects `person` (who must be in scope) on `infection_day` <= day(): the person enters the
  // model now, in the state its course gives for day(), earlier transitions included (they are
  // returned by the next step with their own days). Returns false, changing nothing, if the person
  // is not susceptible. Throws std::invalid_argument for a person out of scope or a future day.
  bool seed_infection(uint32_t person, int32_t infection_day);
  // A fever at a given day (an exercise's inject): infects `person` from outside so that symptoms
  // begin on `onset_day`: the person's own course (incubation and day fraction drawn as for any
  // infection), made symptomatic if it was not, its days shifted to end the incubation on
  // onset_day. Returns false, changing nothing, if the person is not susceptible. Throws
  // std::invalid_argument for a person out of scope, or an onset_day before day() or so late that
  // the infection day would be after day().
  bool seed_onset(uint32_t person, int32_t onset_day);
  // A returnee arriving on `arrival_day` (<= day()) is infected with `probability` (that of their
  // origin), on a day drawn by draw_importation within the model's importation window; seeds it if
  // so. Returns the draw (infected is false also when the person was not susceptible).
  Importation import_returnee(uint32_t person, double probability, int32_t arrival_day);

  // ---- the day -----------------------------------------------------------------------------------
  // Simulates day `day`, which must be day(). Returns every transition since the previous step
  // (imports included), sorted by person, a person's own in the order taken. The span stays valid
  // until the next call that changes the epidemic.
  std::span<const Transition> step(int32_t day);
  // The next day to simulate.
  int32_t day() const { return next_day_; }

  // ---- what the engine controls ----------------------------------------------------------------
  // The person's own contact multipliers, in [0, 1]: household contacts, and contacts outside the
  // household (villager group, village, town). They scale both what the person transmits and
  // what the person receives, and multiply with those of the care state. Defaults 1, 1. For
  // example home quarantine could be (1, 0), home observation (1, 0.5) (engine's choice).
  void set_contact_multipliers(uint32_t person, float household, float community);
  // Moves the person to a care state. Returns false, changing nothing, for Hospitalised when the
  // person has never been infected (see states.h for the allowed changes).
  bool set_care(uint32_t person, Care care);

  // ---- queries (global person and village indices) -----------------------------------------------
  State state(uint32_t person) const { return State(state_[local(person)]); }
  Care care(uint32_t person) const { return Care(care_[local(person)]); }
  bool is_infectious(uint32_t person) const { return epidemic::is_infectious(state(person)); }
  bool ever_infected(uint32_t person) const { return case_of_[local(person)] >= 0; }
  // Days since symptom onset as of `day`: 0 on the day of onset; -1 if the person has had no onset
  // (never infected, not yet, or asymptomatic).
  int32_t days_since_onset(uint32_t person, int32_t day) const;
  // kNoDay if never infected.
  int32_t infection_day(uint32_t person) const;
  // The person's infection, or nullptr. Holds planned days: see Case.
  const Case* find_case(uint32_t person) const;
  // Every infection so far, in the order they happened (imports in call order, then by day and
  // infector).
  std::span<const Case> cases() const { return cases_; }
  // Indices into cases() of the people infected and not yet Recovered, sorted by person.
  std::span<const uint32_t> active_cases() const { return active_; }
  std::array<float, 2> contact_multipliers(uint32_t person) const {
    return {mult_h_[local(person)], mult_c_[local(person)]};
  }

  // Counts for village `village` (global index) at the end of step(`day`); requires
  // first_day <= day < day(). `current` is the running count, including imports since the last step.
  const DayCounts& counts(uint32_t village, int32_t day) const;
  const DayCounts& current(uint32_t village) const { return current_[village - first_village_]; }

  // Scope.
  population::Range villages() const { return {first_village_, first_village_ + nv_}; }
  population::Range persons() const { return {first_person_, first_person_ + np_}; }
  bool in_scope(uint32_t person) const { return person - first_person_ < np_; }
  const DiseaseModel& model() const { return *model_; }
  uint64_t seed() const { return seed_; }
  uint32_t replicate() const { return replicate_; }

 private:
  struct VillageRangeTag {};
  Epidemic(const DiseaseModel& model, const population::Population& pop, population::Range villages, uint64_t seed,
           uint32_t replicate, int32_t first_day, VillageRangeTag);

  uint32_t local(uint32_t person) const { return person - first_person_; }
  uint32_t village_of(uint32_t person) const;
  void infect(uint32_t person, uint32_t infector, int32_t day, Layer layer);
  void infect_with(uint32_t person, uint32_t infector, int32_t day, Layer layer, const Course& k);
  void activate(uint32_t case_index);  // a seeded case brought up to day(), listed as active unless over
  void advance(uint32_t case_index, int32_t day);
  void move(uint32_t person, State from, State to, int32_t day);
  void transmit(uint32_t person, int32_t day);
  void contact(uint32_t infector, uint32_t target, double u, Layer layer, int32_t day);
  void touch(uint32_t l);

  const DiseaseModel* model_;
  const population::Population* pop_;
  uint64_t seed_;
  uint32_t replicate_;
  int32_t first_day_, next_day_;
  uint32_t first_village_, nv_;
  uint32_t first_person_, np_;
  population::Range town_persons_;

  // Per person in scope (index person - first_person_).
  std::vector<uint8_t> state_, care_;
  std::vector<float> mult_h_, mult_c_;
  std::vector<int32_t> case_of_;  // index into cases_, -1 if never infected
  std::vector<uint8_t> touched_flag_;
  std::vector<uint32_t> touched_;  // people whose care or multipliers changed (for reset)

  std::vector<Case> cases_;
  std::vector<uint32_t> active_;  // cases not yet Recovered, sorted by person
  std::vector<uint32_t> infected_today_;
  std::vector<Transition> pending_;  // since the last step returned (seeds between steps, then the step)
  std::vector<Transition> out_;      // the last step's
  std::vector<DayCounts> current_;   // per village
  std::vector<DayCounts> history_;   // [day - first_day][village]
};

}  // namespace vg::epidemic
