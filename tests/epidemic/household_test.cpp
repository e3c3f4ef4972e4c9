// Test 2: the household secondary attack rate the model produces is the configured one. One index
// case is seeded in each household, every other layer is off, and the share of household members
// the index case infects is measured.
#include <gtest/gtest.h>

#include <cstdio>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "helpers.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

Parameters household_only(double sar) {
  Parameters p;
  p.household_sar = sar;
  p.group_weight = p.village_weight = p.town_weight = 0;
  return p;
}

struct Sar {
  int64_t infected = 0, contacts = 0;
  double rate() const { return double(infected) / double(contacts); }
};

// Seeds the first member of every household on day 0, optionally gives each index case a care
// state or each other member contact multipliers, runs to the end, and counts the members
// infected by their index case (those infected by another member are not secondary cases).
Sar measure(const population::Population& pop, const DiseaseModel& model, uint64_t seed, Care index_care = Care::None,
            float member_household_multiplier = 1.0f) {
  Epidemic e(model, pop, 0, seed, 0);
  Sar s;
  for (uint32_t h = 0; h < pop.households(); ++h) {
    const uint32_t first = pop.household_first_person[h];
    e.seed_infection(first, 0);
    if (index_care != Care::None) e.set_care(first, index_care);
    for (uint32_t k = 1; k < pop.household_size[h]; ++k)
      e.set_contact_multipliers(first + k, member_household_multiplier, 1);
    s.contacts += pop.household_size[h] - 1;
  }
  testing::run_to_end(e);
  for (const Case& c : e.cases()) {
    if (c.layer == Layer::Imported) continue;
    EXPECT_EQ(c.layer, Layer::Household);
    if (c.infector == pop.household_first_person[pop.person_household[c.person]]) ++s.infected;
  }
  return s;
}

// Households of two: no tertiary case is possible, so the measured rate estimates the SAR
// directly. 20,000 contacts: se = sqrt(0.15 x 0.85 / 20,000) = 0.0025; tolerance 0.01 (4 se).
// Also under other natural histories, since calibration must account for them.
TEST(Household, SecondaryAttackRateMatchesConfigured) {
  const auto pop = testing::make_population({{testing::uniform_village(20000, 2)}});
  struct Variant {
    const char* name;
    double sar, asymptomatic_share, presymptomatic_days;
  };
  for (const Variant& v :
       {Variant{"default", 0.15, 0.2, 2.0}, Variant{"Bi et al. 11.2%", 0.112, 0.2, 2.0},
        Variant{"40% asymptomatic", 0.15, 0.4, 2.0}, Variant{"2.3 d presymptomatic", 0.15, 0.2, 2.3}}) {
    Parameters p = household_only(v.sar);
    p.asymptomatic_share = v.asymptomatic_share;
    p.presymptomatic_days = v.presymptomatic_days;
    const DiseaseModel model(p, pop);
    const Sar s = measure(pop, model, 77);
    EXPECT_NEAR(s.rate(), v.sar, 0.01) << v.name;
    std::printf("household SAR, %s: configured %.3f, measured %.4f over %lld contacts\n", v.name, v.sar, s.rate(),
                (long long)s.contacts);
  }
}

// Mixed sizes 1..6 (about 60,000 contacts, se 0.0015). A member infected first by another member
// cannot be infected by the index case any more, so the measured rate sits slightly below the
// configured one (by about SAR^2 x overlap, a few tenths of a point); tolerance 0.01.
TEST(Household, SecondaryAttackRateInMixedHouseholds) {
  const auto pop = testing::make_population({{testing::mixed_village(24000, 1)}});
  const DiseaseModel model(household_only(0.15), pop);
  const Sar s = measure(pop, model, 5);
  EXPECT_NEAR(s.rate(), 0.15, 0.01);
  std::printf("household SAR, sizes 1-6: measured %.4f over %lld contacts\n", s.rate(), (long long)s.contacts);
}

// Known answers for multipliers: halving the index case's household contacts (isolated with a
// household multiplier of 0.5) or the members' (their own multiplier 0.5) gives the SAR of half
// the daily probability; hospitalisation (multiplier 0) gives none. Same tolerance as above.
TEST(Household, MultipliersScaleTheDailyProbability) {
  const auto pop = testing::make_population({{testing::uniform_village(20000, 2)}});
  Parameters p = household_only(0.15);
  p.isolated_household_multiplier = 0.5;
  const DiseaseModel model(p, pop);
  const double expected = model.courses().household_sar(0.5 * model.rates().household_per_day);
  EXPECT_NEAR(measure(pop, model, 8, Care::Isolated).rate(), expected, 0.01);
  EXPECT_NEAR(measure(pop, model, 8, Care::None, 0.5f).rate(), expected, 0.01);
  EXPECT_EQ(measure(pop, model, 8, Care::Hospitalised).infected, 0);
  EXPECT_EQ(measure(pop, model, 8, Care::None, 0.0f).infected, 0);
}

}  // namespace
}  // namespace vg::epidemic
