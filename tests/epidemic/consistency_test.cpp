// Test 3, consistency (OpenABM's file concordance in spirit): every transition is an allowed edge,
// the daily states of every person follow from the transitions reported, the per-village counts
// add up to the residents every day and agree with a recount of the per-person states, and each
// infection agrees with the infector's state, layer and care on that day.
//
// The run is a town of three villages with all layers on, imported cases with infection days
// before, at and after day 0, and an engine stand-in that isolates, hospitalises, releases and
// quarantines people, so that care states and multipliers take part.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

constexpr int kDays = 120;

struct Recording {
  std::vector<std::vector<uint8_t>> states;          // [day][person]: after step(day)
  std::vector<std::vector<uint8_t>> cares;           // [day][person]: when step(day) ran
  std::vector<std::vector<Transition>> transitions;  // [day]
};

class ConsistencyTest : public ::testing::Test {
 protected:
  ConsistencyTest()
      : pop_(testing::make_population(
            {{testing::mixed_village(600, 8), testing::mixed_village(500, 6), testing::mixed_village(700, 9)}})),
        model_(params(), pop_) {}

  static Parameters params() {
    Parameters p;
    p.r0 = 2.5;
    p.isolated_household_multiplier = 0.3;  // so that isolated people still transmit at home
    return p;
  }

  // Imports: 12 people, infected between day -10 and day 5, seeded on arrival days 0..5.
  // Engine stand-in (acting after each step, effective from the next): a symptomatic person is
  // isolated 2 days after onset and hospitalised 2 days later; the hospitalised leave hospital 3
  // days after recovery into isolation, released 5 days later; household members of anyone
  // hospitalised are put on home quarantine (community multiplier 0) for 14 days.
  Recording run(Epidemic& e) {
    Recording r;
    std::map<int32_t, std::vector<std::pair<uint32_t, int32_t>>> imports;  // arrival -> (person, infection day)
    const uint32_t n = uint32_t(pop_.persons());
    for (uint32_t k = 0; k < 12; ++k) {
      const int32_t arrival = int32_t(k % 6);
      imports[arrival].push_back({(k * 7919u + 13u) % n, arrival - int32_t((k * 5) % 11)});
    }
    std::vector<int32_t> quarantine_end(n, -1), released_at(n, -1);
    for (int32_t d = 0; d < kDays; ++d) {
      for (const auto& [person, infection_day] : imports[d]) EXPECT_TRUE(e.seed_infection(person, infection_day));
      std::vector<uint8_t> cares(n);
      for (uint32_t p = 0; p < n; ++p) cares[p] = uint8_t(e.care(p));
      r.cares.push_back(std::move(cares));
      const auto t = e.step(d);
      r.transitions.emplace_back(t.begin(), t.end());
      // The active cases are exactly the infected not yet recovered, in person order.
      std::vector<uint32_t> active;
      for (uint32_t i = 0; i < e.cases().size(); ++i)
        if (e.state(e.cases()[i].person) != State::Recovered) active.push_back(i);
      std::sort(active.begin(), active.end(),
                [&](uint32_t a, uint32_t b) { return e.cases()[a].person < e.cases()[b].person; });
      EXPECT_TRUE(std::equal(active.begin(), active.end(), e.active_cases().begin(), e.active_cases().end()));
      std::vector<uint8_t> states(n);
      for (uint32_t p = 0; p < n; ++p) states[p] = uint8_t(e.state(p));
      r.states.push_back(std::move(states));
      // Engine stand-in.
      for (const Case& c : e.cases()) {
        const uint32_t p = c.person;
        const int32_t since = e.days_since_onset(p, d);
        if (since == 2 && e.care(p) == Care::None) {
          EXPECT_TRUE(e.set_care(p, Care::Isolated));
        }
        if (since == 4 && e.care(p) == Care::Isolated) {
          EXPECT_TRUE(e.set_care(p, Care::Hospitalised));
          const uint32_t h = pop_.person_household[p];
          for (uint32_t m = pop_.household_first_person[h]; m < pop_.household_first_person[h] + pop_.household_size[h];
               ++m)
            if (m != p && e.care(m) == Care::None) {
              e.set_contact_multipliers(m, 1, 0);
              quarantine_end[m] = d + 14;
            }
        }
        if (e.care(p) == Care::Hospitalised && e.state(p) == State::Recovered && d >= c.recovery_day + 3) {
          EXPECT_TRUE(e.set_care(p, Care::Isolated));
          released_at[p] = d + 5;
        }
        if (released_at[p] == d) {
          EXPECT_TRUE(e.set_care(p, Care::None));
        }
      }
      for (uint32_t p = 0; p < n; ++p)
        if (quarantine_end[p] == d) e.set_contact_multipliers(p, 1, 1);
    }
    return r;
  }

  population::Population pop_;
  DiseaseModel model_;
};

TEST_F(ConsistencyTest, TransitionsCountsAndCasesAgree) {
  Epidemic e(model_, pop_, 0, 99, 0);
  // Hospitalising someone never infected is refused.
  EXPECT_FALSE(e.set_care(3, Care::Hospitalised));
  EXPECT_EQ(e.care(3), Care::None);
  const Recording r = run(e);
  const uint32_t n = uint32_t(pop_.persons());
  ASSERT_GT(e.cases().size(), 200u) << "the run should have an outbreak to check";
  ASSERT_LT(e.cases().size(), n) << "and not everyone infected";

  std::vector<uint8_t> previous(n, uint8_t(State::Susceptible));
  std::vector<int> infections(n, 0);
  int hospitalised_seen = 0, isolated_seen = 0;
  for (int32_t d = 0; d < kDays; ++d) {
    // Replaying the day's transitions on yesterday's states gives today's.
    std::vector<uint8_t> replay = previous;
    uint32_t last_person = 0;
    int32_t last_day = kNoDay;
    std::vector<DayCounts> events(pop_.villages());
    for (const Transition& t : r.transitions[size_t(d)]) {
      ASSERT_TRUE(allowed_transition(t.from, t.to)) << "person " << t.person << " day " << d;
      ASSERT_EQ(replay[t.person], uint8_t(t.from)) << "person " << t.person << " day " << d;
      ASSERT_GE(t.person, last_person) << "sorted by person";
      if (t.person == last_person) {
        ASSERT_GE(t.day, last_day) << "a person's transitions in time order";
      }
      ASSERT_LE(t.day, d);
      last_person = t.person;
      last_day = t.day;
      replay[t.person] = uint8_t(t.to);
      const Case* c = e.find_case(t.person);
      ASSERT_NE(c, nullptr);
      if (c->layer != Layer::Imported) {
        ASSERT_EQ(t.day, d) << "local cases move on the day itself";
      }
      if (t.to == State::Exposed) ++infections[t.person];
      DayCounts& ev = events[pop_.group_village[pop_.household_group[pop_.person_household[t.person]]]];
      if (t.to == State::Exposed) ++(c->layer == Layer::Imported ? ev.imported : ev.infected);
      if (t.to == State::Symptomatic) ++ev.onsets;
      if (t.to == State::Recovered) ++ev.recovered;
    }
    ASSERT_EQ(replay, r.states[size_t(d)]) << "day " << d;
    previous = r.states[size_t(d)];

    // Counts: add up to the residents and agree with a recount.
    for (uint32_t v = 0; v < pop_.villages(); ++v) {
      const DayCounts& c = e.counts(v, d);
      DayCounts recount;
      const auto vp = pop_.village_persons[v];
      for (uint32_t p = vp.begin; p < vp.end; ++p) ++recount.state[r.states[size_t(d)][p]];
      int32_t total = 0;
      for (int s = 0; s < kStates; ++s) {
        ASSERT_GE(c.state[size_t(s)], 0);
        total += c.state[size_t(s)];
      }
      ASSERT_EQ(total, int32_t(vp.size())) << "village " << v << " day " << d;
      ASSERT_EQ(c.state, recount.state) << "village " << v << " day " << d;
      ASSERT_EQ(c.infected, events[v].infected);
      ASSERT_EQ(c.imported, events[v].imported);
      ASSERT_EQ(c.onsets, events[v].onsets);
      ASSERT_EQ(c.recovered, events[v].recovered);
      // Care counts are those in force during the step (the engine changes care between steps).
      int32_t isolated = 0, hospitalised = 0;
      for (uint32_t p = vp.begin; p < vp.end; ++p) {
        isolated += r.cares[size_t(d)][p] == uint8_t(Care::Isolated);
        hospitalised += r.cares[size_t(d)][p] == uint8_t(Care::Hospitalised);
      }
      ASSERT_EQ(c.isolated, isolated);
      ASSERT_EQ(c.hospitalised, hospitalised);
    }
  }
  for (uint32_t p = 0; p < n; ++p) ASSERT_LE(infections[p], 1) << "person " << p << " infected twice";

  // Every infection: the infector was infectious that day, the target in the layer's range, and
  // the care state allowed it (hospitalised: nothing; isolated: household only, default 0 outside).
  for (const Case& c : e.cases()) {
    ASSERT_LE(c.infection_day, c.infectious_day - 1);
    if (!c.asymptomatic) {
      ASSERT_GE(c.onset_day, c.infectious_day);
      ASSERT_GT(c.recovery_day, c.onset_day);
    } else {
      ASSERT_EQ(c.onset_day, kNoDay);
      ASSERT_GT(c.recovery_day, c.infectious_day);
    }
    const Course k = model_.course(99, 0, c.person);
    ASSERT_EQ(c.infectious_day - c.infection_day, k.infectious_offset);
    ASSERT_EQ(c.recovery_day - c.infection_day, k.recovery_offset);
    if (c.layer == Layer::Imported) {
      ASSERT_EQ(c.infector, kNoPerson);
      continue;
    }
    const size_t d = size_t(c.infection_day);
    ASSERT_TRUE(is_infectious(State(r.states[d][c.infector]))) << "infector " << c.infector << " day " << d;
    const Care care = Care(r.cares[d][c.infector]);
    hospitalised_seen += care == Care::Hospitalised;
    isolated_seen += care == Care::Isolated;
    ASSERT_NE(care, Care::Hospitalised);
    if (care == Care::Isolated) {
      ASSERT_EQ(c.layer, Layer::Household);
    }
    ASSERT_NE(Care(r.cares[d][c.person]), Care::Hospitalised);
    const auto hh = [&](uint32_t p) { return pop_.person_household[p]; };
    const auto group = [&](uint32_t p) { return pop_.household_group[hh(p)]; };
    const auto village = [&](uint32_t p) { return pop_.group_village[group(p)]; };
    switch (c.layer) {
      case Layer::Household: ASSERT_EQ(hh(c.person), hh(c.infector)); break;
      case Layer::Group: ASSERT_EQ(group(c.person), group(c.infector)); break;
      case Layer::Village: ASSERT_EQ(village(c.person), village(c.infector)); break;
      case Layer::Town: break;
      case Layer::Imported: break;
    }
  }
  EXPECT_EQ(hospitalised_seen, 0);
  std::printf("consistency run: %zu infections of %u people, %d by isolated infectors\n", e.cases().size(), n,
              isolated_seen);
}

}  // namespace
}  // namespace vg::epidemic
