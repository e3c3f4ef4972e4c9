// Test 1, known answer: with homogeneous mixing (one village, household and group layers off, no
// intervention) the final attack rate z of a major outbreak solves
//     1 - z = (1 - e) exp(-R0 z),      e = seeds / N
// (Kermack-McKendrick; it holds for any distribution of infectious periods and of infectiousness
// between people, so asymptomatic cases and whole-day steps do not change it). Below R0 = 1 the
// expected total size, seeds included, is seeds / (1 - R0) (branching process).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "epidemic/next_generation.h"
#include "helpers.h"
#include "support/epidemic_parameters.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

constexpr uint32_t kHouseholds = 5000;  // x 4 = 20,000 people
constexpr uint32_t kSeeds = 10;

double final_size(double r0, double e) {
  double z = 0.5;
  for (int i = 0; i < 10000; ++i) z = 1 - (1 - e) * std::exp(-r0 * z);
  return z;
}

struct Runs {
  double r0 = 0;  // of the model's rates, from the next-generation matrix
  std::vector<double> attack_rates;
};

// Attack rates of `replicates` runs from 10 seeds infected on day 0, spread over the village, and
// the R0 of the model (next_generation, the function `check` and summary.json report).
Runs attack_rates(double r0, uint32_t replicates) {
  const auto pop = testing::make_population({{testing::uniform_village(kHouseholds, 4)}});
  const DiseaseModel model(vg::testing::village_layer_only(r0), pop);
  const uint32_t n = uint32_t(pop.persons());
  Runs runs{next_generation(model, pop).r0, {}};
  std::vector<double>& z = runs.attack_rates;
  Epidemic e(model, pop, 0, 1234, 0);
  for (uint32_t rep = 0; rep < replicates; ++rep) {
    e.reset(rep);
    for (uint32_t k = 0; k < kSeeds; ++k) e.seed_infection(k * (n / kSeeds) + 1, 0);
    testing::run_to_end(e);
    z.push_back(testing::attack_rate(e));
  }
  return runs;
}

// N = 20,000, 12 replicates. The sd of one major outbreak's attack rate is about
// sqrt(z (1 - z) / N) / (1 - R0 (1 - z)): 0.009 at R0 = 1.5, 0.005 at 2, 0.002 at 3, so the mean
// of >= 10 major outbreaks has se <= 0.003. The tolerance, 2 percentage points, is > 6 se and
// also covers the O(1/N) and seeding effects (about 0.1 pp). Runs under 5% attack count as minor
// outbreaks and are left out (with 10 seeds there should be none).
TEST(FinalSize, MajorOutbreaksMatchTheFinalSizeRelation) {
  for (double asked : {1.5, 2.0, 3.0}) {
    const auto [r0, z] = attack_rates(asked, 12);
    ASSERT_NEAR(r0, asked, 1e-9);
    double sum = 0;
    int major = 0;
    for (double a : z)
      if (a >= 0.05) {
        sum += a;
        ++major;
      }
    ASSERT_GE(major, 10) << "R0 " << r0;
    const double expected = final_size(r0, double(kSeeds) / (4.0 * kHouseholds));
    EXPECT_NEAR(sum / major, expected, 0.02) << "R0 " << r0;
    std::printf("R0 %.1f: mean attack %.4f over %d major outbreaks, final-size relation %.4f\n", r0, sum / major, major,
                expected);
  }
}

// R0 = 0.8, 10 seeds: expected total size 10 / 0.2 = 50. The sd of one run's size is about 30
// (offspring variance about 1.1 x R0, total variance seeds x var / (1 - R0)^3); over 1,000 runs the
// mean has se of about 1. Checked: within 5 sample se of 50, and below twice 50.
TEST(FinalSize, SubcriticalOutbreaksStaySmall) {
  const auto [r0, z] = attack_rates(0.8, 1000);
  ASSERT_NEAR(r0, 0.8, 1e-9);
  const double n = 4.0 * kHouseholds;
  double sum = 0, sum2 = 0, largest = 0;
  for (double a : z) {
    sum += a * n;
    sum2 += a * n * a * n;
    largest = std::max(largest, a);
  }
  const double mean = sum / double(z.size());
  const double sd = std::sqrt(sum2 / double(z.size()) - mean * mean);
  const double se = sd / std::sqrt(double(z.size()));
  const double expected = kSeeds / (1 - r0);
  EXPECT_NEAR(mean, expected, 5 * se) << "sd " << sd;
  EXPECT_LT(mean, 2 * expected);
  EXPECT_LT(largest, 0.05);
  std::printf("R0 0.8: mean size %.1f (sd %.1f, se %.2f), expected %.1f\n", mean, sd, se, expected);
}

}  // namespace
}  // namespace vg::epidemic
