// The next-generation matrix (epidemic/next_generation.h) against answers worked out by hand:
// one community layer gives back r0; households alone give SAR x the mean number of other members
// of a household-infected person (for households of one size, SAR x (n - 1), the size-biased mean
// of calibrate); households of mixed sizes give the 2 x 2 eigenvalue below; an r0 below the
// household part is refused with both figures.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "epidemic/disease_model.h"
#include "epidemic/next_generation.h"
#include "support/epidemic_parameters.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

Parameters only_households(double sar) {
  Parameters p;
  p.r0 = 5;  // above the household part: calibrate leaves the community layers at 0 (weights 0)
  p.household_sar = sar;
  p.group_weight = 0;
  p.village_weight = 0;
  p.town_weight = 0;
  return p;
}

// Households of sizes 2 and 4, as many of each: sum n = 6, sum n (n - 1) = 2 + 12 = 14,
// sum n (n - 1)^2 = 2 + 36 = 38 per pair of households.
population::Population twos_and_fours(uint32_t pairs) {
  testing::VillageShape v;
  for (uint32_t i = 0; i < pairs; ++i) {
    v.household_sizes.push_back(2);
    v.household_sizes.push_back(4);
  }
  v.groups = 4;
  return testing::make_population({{v}});
}

TEST(NextGeneration, OneHomogeneousLayerGivesBackR0) {
  const auto pop = testing::make_population({{testing::mixed_village(2000, 10)}});
  for (double r0 : {0.3, 0.8, 1.5, 2.2, 3.0}) {
    const DiseaseModel model(vg::testing::village_layer_only(r0), pop);
    const NextGeneration g = next_generation(model, pop);
    EXPECT_NEAR(g.r0, r0, 1e-12) << r0;
    EXPECT_NEAR(g.layer_share[2], 1.0, 1e-12) << r0;  // every infection in the village layer
    EXPECT_NEAR(g.household_share(), 0.0, 1e-12) << r0;
    EXPECT_NEAR(g.household_sar, 0.0, 1e-12);  // the bisection leaves ~1e-16
  }
}

TEST(NextGeneration, HouseholdsOfOneSizeAloneGiveSarTimesOthers) {
  for (const uint8_t n : {uint8_t(2), uint8_t(4), uint8_t(6)}) {
    const auto pop = testing::make_population({{testing::uniform_village(1000, n)}});
    const DiseaseModel model(only_households(0.15), pop);
    const NextGeneration g = next_generation(model, pop);
    // The SAR the rates give back (bisection to ~1e-12) is the one asked for.
    EXPECT_NEAR(g.household_sar, 0.15, 1e-9);
    EXPECT_DOUBLE_EQ(g.households.community_infected, n - 1.0);  // size-biased mean of n - 1
    EXPECT_DOUBLE_EQ(g.households.household_infected, n - 1.0);
    EXPECT_NEAR(g.r0, 0.15 * (n - 1), 1e-9) << int(n);
    EXPECT_NEAR(g.household_share(), 1.0, 1e-12);
    // The household part calibrate reports is the same figure.
    EXPECT_NEAR(g.r0, calibrate(only_households(0.15), pop).household_r, 1e-9);
  }
}

TEST(NextGeneration, HouseholdsOfMixedSizesAlone) {
  const auto pop = twos_and_fours(500);
  const DiseaseModel model(only_households(0.2), pop);
  const NextGeneration g = next_generation(model, pop);
  EXPECT_DOUBLE_EQ(g.households.community_infected, 14.0 / 6.0);
  EXPECT_DOUBLE_EQ(g.households.household_infected, 38.0 / 14.0);
  // A case infected in the community infects SAR x mu_c at home: calibrate's household part ...
  EXPECT_NEAR(g.matrix[0][1], calibrate(only_households(0.2), pop).household_r, 1e-9);
  EXPECT_NEAR(g.matrix[0][1], 0.2 * 14.0 / 6.0, 1e-9);
  // ... and households alone grow by SAR x mu_h per generation: chains at home run in the bigger
  // households (a 4-person household is 6 times as likely as a 2-person one to hold a
  // household-infected case, 3 times as likely to hold a community-infected one).
  EXPECT_NEAR(g.r0, 0.2 * 38.0 / 14.0, 1e-9);
}

TEST(NextGeneration, AllLayersWithHouseholdsOfOneSizeGiveBackR0) {
  const auto pop = testing::make_population({{testing::uniform_village(1600, 4, 16)}});
  const Parameters p;  // defaults: r0 2.2, SAR 0.15, weights 0.5 / 0.4 / 0.1
  const DiseaseModel model(p, pop);
  const NextGeneration g = next_generation(model, pop);
  EXPECT_NEAR(g.r0, 2.2, 1e-9);
  EXPECT_NEAR(g.household_share(), 0.15 * 3 / 2.2, 1e-9);
  const double community = 2.2 - 0.45;
  EXPECT_NEAR(g.layer_share[1], community * 0.5 / 2.2, 1e-9);
  EXPECT_NEAR(g.layer_share[2], community * 0.4 / 2.2, 1e-9);
  EXPECT_NEAR(g.layer_share[3], community * 0.1 / 2.2, 1e-9);
}

// Mixed sizes with every layer: K has two distinct columns (household-infected, community-infected),
// so its non-zero eigenvalues are those of [[SAR mu_h, SAR mu_c], [R_c, R_c]]:
//   lambda = (t + sqrt(t^2 - 4 d)) / 2,  t = SAR mu_h + R_c,  d = R_c SAR (mu_h - mu_c),
// with eigenvector (household : community) = (lambda - R_c) : R_c.
TEST(NextGeneration, MixedSizesMatchTheTwoTypeEigenvalue) {
  const auto pop = twos_and_fours(800);
  Parameters p;
  p.household_sar = 0.2;
  const DiseaseModel model(p, pop);
  const NextGeneration g = next_generation(model, pop);
  const double sar = g.household_sar, mu_c = 14.0 / 6.0, mu_h = 38.0 / 14.0;
  const double rc = 2.2 - sar * mu_c;
  const double t = sar * mu_h + rc, d = rc * sar * (mu_h - mu_c);
  const double lambda = (t + std::sqrt(t * t - 4 * d)) / 2;
  EXPECT_NEAR(g.r0, lambda, 1e-9);
  EXPECT_GT(g.r0, 2.2);  // size bias: household chains run in the bigger households
  EXPECT_NEAR(g.household_share(), (lambda - rc) / lambda, 1e-9);
  double sum = 0;
  for (double s : g.layer_share) sum += s;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(NextGeneration, NothingTransmittedGivesZero) {
  const NextGeneration g = next_generation(0.0, {0.0, 0.0, 0.0}, HouseholdMoments{3, 4});
  EXPECT_EQ(g.r0, 0.0);
  for (double s : g.layer_share) EXPECT_EQ(s, 0.0);
}

TEST(NextGeneration, R0BelowTheHouseholdPartIsRefusedWithBothFigures) {
  const auto pop = testing::make_population({{testing::uniform_village(1000, 5)}});  // 4 others
  Parameters p;
  p.household_sar = 0.15;  // household part 0.6
  for (double r0 : {0.1, 0.3, 0.5}) {
    p.r0 = r0;
    const auto why = r0_below_households(p, calibrate(p, pop));
    ASSERT_TRUE(why.has_value()) << r0;
    char asked[32];
    std::snprintf(asked, sizeof asked, "r0 %.3g is below", r0);
    EXPECT_NE(why->find(asked), std::string::npos) << *why;
    EXPECT_NE(why->find("households alone give, 0.6 "), std::string::npos) << *why;
    char most[32];
    std::snprintf(most, sizeof most, "at most %.3g", r0 / 4);
    EXPECT_NE(why->find(most), std::string::npos) << *why;
  }
  p.r0 = 0.6;  // exactly the household part: allowed
  EXPECT_FALSE(r0_below_households(p, calibrate(p, pop)).has_value());
  p.r0 = 2.2;
  EXPECT_FALSE(r0_below_households(p, calibrate(p, pop)).has_value());
}

}  // namespace
}  // namespace vg::epidemic
