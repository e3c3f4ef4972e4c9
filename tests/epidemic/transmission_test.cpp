// Transmission in layers: calibration reproduces R0 in the full layered model, care states and
// multipliers cut what they should, the town layer is the only one that crosses villages, and the
// API refuses what it cannot do.
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "helpers.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

TEST(Calibration, SharesR0BetweenLayers) {
  const auto pop = testing::make_population({{testing::mixed_village(1000, 10)}});
  Parameters p;
  const Calibration c = calibrate(p, pop);
  // The household of a random person: sum n(n - 1) / sum n.
  double pairs = 0, persons = 0;
  for (uint8_t n : pop.household_size) {
    pairs += n * (n - 1.0);
    persons += n;
  }
  EXPECT_NEAR(c.mean_household_contacts, pairs / persons, 1e-12);
  EXPECT_NEAR(c.mean_household_contacts, 70.0 / 21.0, 0.01);  // sizes 1..6 about equally often
  EXPECT_NEAR(c.household_r, p.household_sar * c.mean_household_contacts, 1e-12);
  EXPECT_NEAR(c.household_r + c.community_r, p.r0, 1e-12);
  EXPECT_NEAR(c.rates.group_per_day / c.rates.village_per_day, p.group_weight / p.village_weight, 1e-12);
  EXPECT_NEAR(c.rates.town_per_day / c.rates.village_per_day, p.town_weight / p.village_weight, 1e-12);
  const DiseaseModel m(p, c.rates);
  EXPECT_NEAR(m.r0(c.mean_household_contacts), p.r0, 1e-9);
  // A household part larger than R0 leaves nothing for the community.
  p.r0 = 0.2;
  EXPECT_EQ(calibrate(p, pop).community_r, 0);
  EXPECT_EQ(calibrate(p, pop).rates.village_per_day, 0);
}

// The individual reproduction number of the full default model (household, group, village; R0
// 2.2): index cases drawn evenly from 100,000 people (mixed households, 200 groups of 500) are
// seeded, 25 per replicate over 40 replicates, and the people each index case infects are
// counted. The offspring sd is about 1.7, so the mean of 1,000 has se 0.055; depletion (a
// household member infected first by someone else) lowers it by under 0.01. Tolerance 0.25.
TEST(Calibration, IndexCasesInfectR0OthersOnAverage) {
  const auto pop = testing::make_population({{testing::mixed_village(28572, 200)}});
  Parameters p;
  p.town_weight = 0;  // one village: the town layer would only add to the village layer
  const DiseaseModel model(p, pop);
  Epidemic e(model, pop, 0, 31, 0);
  const uint32_t n = uint32_t(pop.persons());
  int64_t index_cases = 0, secondary = 0;
  for (uint32_t rep = 0; rep < 40; ++rep) {
    e.reset(rep);
    std::vector<uint32_t> index;
    for (uint32_t k = 0; k < 25; ++k) index.push_back((k * 4001u + rep * 97u) % n);
    for (uint32_t i : index) e.seed_infection(i, 0);
    auto all_recovered = [&] {
      for (uint32_t i : index)
        if (e.state(i) != State::Recovered) return false;
      return true;
    };
    while (!all_recovered()) e.step(e.day());
    for (const Case& c : e.cases())
      if (c.infector != kNoPerson && std::find(index.begin(), index.end(), c.infector) != index.end()) ++secondary;
    index_cases += int64_t(index.size());
  }
  const double r = double(secondary) / double(index_cases);
  EXPECT_NEAR(r, p.r0, 0.25);
  std::printf("secondary cases per index case: %.3f (R0 %.2f)\n", r, p.r0);
}

TEST(Transmission, CareStatesStopTransmission) {
  const auto pop = testing::make_population({{testing::mixed_village(2000, 10)}});
  const DiseaseModel model(Parameters{}, pop);
  for (Care care : {Care::Isolated, Care::Hospitalised}) {
    Epidemic e(model, pop, 0, 3, 0);
    for (uint32_t i = 0; i < pop.persons(); i += 97) {
      e.seed_infection(i, 0);
      ASSERT_TRUE(e.set_care(i, care));
    }
    const size_t seeded = e.cases().size();
    testing::run_to_end(e);
    EXPECT_EQ(e.cases().size(), seeded) << "default multipliers for care states are 0";
  }
}

TEST(Transmission, CommunityMultiplierZeroLeavesOnlyHouseholds) {
  const auto pop = testing::make_population({{testing::mixed_village(2000, 10)}});
  const DiseaseModel model(Parameters{}, pop);
  Epidemic e(model, pop, 0, 3, 0);
  for (uint32_t i = 0; i < pop.persons(); ++i) e.set_contact_multipliers(i, 1, 0);
  for (uint32_t i = 0; i < pop.persons(); i += 97) e.seed_infection(i, 0);
  testing::run_to_end(e);
  int local = 0;
  for (const Case& c : e.cases()) {
    if (c.layer == Layer::Imported) continue;
    ++local;
    EXPECT_EQ(c.layer, Layer::Household);
  }
  EXPECT_GT(local, 5);
}

TEST(Transmission, OnlyTheTownLayerCrossesVillages) {
  const auto pop = testing::make_population(
      {{testing::mixed_village(500, 4), testing::mixed_village(500, 4), testing::mixed_village(500, 4)}});
  auto village = [&](uint32_t p) { return pop.group_village[pop.household_group[pop.person_household[p]]]; };
  for (double town_weight : {0.0, 0.5}) {
    Parameters p;
    p.r0 = 2.5;
    p.town_weight = town_weight;
    const DiseaseModel model(p, pop);
    Epidemic e(model, pop, 0, 8, 0);
    for (uint32_t k = 0; k < 10; ++k) e.seed_infection(pop.village_persons[0].begin + 37 * k, 0);
    testing::run_to_end(e);
    int crossing = 0;
    for (const Case& c : e.cases()) {
      if (c.layer == Layer::Imported) continue;
      if (village(c.person) != village(c.infector)) {
        ++crossing;
        EXPECT_EQ(c.layer, Layer::Town);
      }
    }
    if (town_weight == 0) {
      EXPECT_EQ(crossing, 0);
      for (const Case& c : e.cases()) EXPECT_EQ(village(c.person), 0u);
    } else {
      EXPECT_GT(crossing, 0);
    }
  }
}

TEST(Epidemic, SeedingBringsPastInfectionsUpToDate) {
  const auto pop = testing::make_population({{testing::uniform_village(100, 3)}});
  const DiseaseModel model(Parameters{}, pop);
  Epidemic e(model, pop, 0, 1, 0);
  for (int d = 0; d < 30; ++d) e.step(d);
  // Person 5 infected on day 10, arriving on day 30: its state is what its course gives today.
  const Course k = model.course(1, 0, 5);
  ASSERT_TRUE(e.seed_infection(5, 10));
  State expected = State::Exposed;
  if (30 >= 10 + k.infectious_offset) expected = k.asymptomatic ? State::Asymptomatic : State::Presymptomatic;
  if (!k.asymptomatic && 30 >= 10 + k.onset_offset) expected = State::Symptomatic;
  if (30 >= 10 + k.recovery_offset) expected = State::Recovered;
  EXPECT_EQ(e.state(5), expected);
  EXPECT_EQ(e.infection_day(5), 10);
  EXPECT_FALSE(e.seed_infection(5, 20)) << "already infected";
  const auto t = e.step(30);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.front().day, 10);
  EXPECT_EQ(t.front().to, State::Exposed);
  EXPECT_EQ(t.back().to, expected);
  if (!k.asymptomatic && expected != State::Exposed && expected != State::Presymptomatic) {
    EXPECT_EQ(e.days_since_onset(5, 30), 30 - (10 + k.onset_offset));
  } else {
    EXPECT_EQ(e.days_since_onset(5, 30), -1);
  }
  EXPECT_EQ(e.counts(0, 30).imported, 1);
}

TEST(Epidemic, InfectedTodayTransmitsFromTomorrow) {
  const auto pop = testing::make_population({{testing::uniform_village(10, 3)}});
  const DiseaseModel model(Parameters{}, pop);
  Epidemic e(model, pop, 0, 1, 0);
  e.seed_infection(0, 0);
  EXPECT_EQ(e.state(0), State::Exposed);
  EXPECT_FALSE(e.is_infectious(0));
  EXPECT_EQ(e.days_since_onset(0, 0), -1);
  EXPECT_EQ(e.infection_day(1), kNoDay);
  EXPECT_EQ(e.find_case(1), nullptr);
}

TEST(Epidemic, RefusesWhatItCannotDo) {
  const auto pop = testing::make_population({{testing::uniform_village(10, 3)}, {testing::uniform_village(10, 3)}});
  const DiseaseModel model(Parameters{}, pop);
  Epidemic e(model, pop, 0, 1, 0);
  EXPECT_THROW(e.step(1), std::invalid_argument);                                         // day 0 comes first
  EXPECT_THROW(e.seed_infection(0, 1), std::invalid_argument);                            // a future infection
  EXPECT_THROW(e.seed_infection(35, 0), std::invalid_argument);                           // person of the other town
  EXPECT_THROW(e.import_returnee(0, 0.5, 3), std::invalid_argument);                      // a future arrival
  EXPECT_THROW(e.counts(0, 0), std::out_of_range);                                        // not stepped yet
  EXPECT_THROW(Epidemic(model, pop, 2, 1, 0), std::invalid_argument);                     // no such town
  EXPECT_THROW(Epidemic::for_villages(model, pop, {0, 2}, 1, 0), std::invalid_argument);  // two towns
  e.step(0);
  EXPECT_NO_THROW(e.counts(0, 0));
  EXPECT_THROW(e.counts(1, 0), std::out_of_range);  // village of the other town
}

}  // namespace
}  // namespace vg::epidemic
