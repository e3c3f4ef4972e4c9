// The synthetic population: sizes add up, the hierarchy is contiguous, and it is a function of the seed.
#include <gtest/gtest.h>

#include <numeric>

#include "population/population.h"

namespace vg::population {
namespace {

config::ScenarioSpec spec(uint64_t seed) {
  config::ScenarioSpec s;
  s.seed = seed;
  config::TownSpec t;
  t.name = "T";
  for (int v = 0; v < 3; ++v) {
    config::VillageSpec vs;
    vs.name = "V" + std::to_string(v);
    vs.residents = 6400 + 1000 * v;
    vs.mean_household_size = 3.9;
    vs.villager_groups = 16;
    vs.party_members = 100;
    vs.returnees = 1600;
    t.villages.push_back(vs);
  }
  s.towns.push_back(t);
  return s;
}

TEST(Population, SizesAddUpAndHierarchyIsContiguous) {
  Population p = build_population(spec(42));
  ASSERT_EQ(p.villages(), 3u);
  size_t persons = 0;
  for (size_t v = 0; v < p.villages(); ++v) {
    const auto& pr = p.village_persons[v];
    EXPECT_EQ(pr.size(), 6400u + 1000u * v);
    persons += pr.size();
    EXPECT_EQ(p.village_returnees[v].size(), 1600u);
    EXPECT_EQ(p.village_groups[v].size(), 16u);
    // Households of the village tile its persons, each household's people stored together.
    uint32_t next = pr.begin;
    for (uint32_t h = p.village_households[v].begin; h < p.village_households[v].end; ++h) {
      EXPECT_EQ(p.household_first_person[h], next);
      EXPECT_GE(p.household_size[h], 1);
      EXPECT_LE(p.household_size[h], kMaxHouseholdSize);
      for (uint32_t k = 0; k < p.household_size[h]; ++k) EXPECT_EQ(p.person_household[next + k], h);
      next += p.household_size[h];
      EXPECT_EQ(p.group_village[p.household_group[h]], v);
    }
    EXPECT_EQ(next, pr.end);
    // Returnees are distinct residents of the village, sorted.
    for (uint32_t i = p.village_returnees[v].begin; i < p.village_returnees[v].end; ++i) {
      EXPECT_GE(p.returnees[i], pr.begin);
      EXPECT_LT(p.returnees[i], pr.end);
      if (i > p.village_returnees[v].begin) {
        EXPECT_LT(p.returnees[i - 1], p.returnees[i]);
      }
    }
  }
  EXPECT_EQ(p.persons(), persons);
}

// Mean household size: 1 + Poisson(2.9) truncated at 12 has mean 3.9 to within 0.001; over ~5,800
// households the sample mean's sd is about sqrt(2.9 / 5800) ~ 0.022, so 0.1 is over 4 sd.
TEST(Population, MeanHouseholdSizeMatchesSpec) {
  Population p = build_population(spec(7));
  const double mean = double(p.persons()) / double(p.households());
  EXPECT_NEAR(mean, 3.9, 0.1);
}

TEST(Population, DeterministicInTheSeed) {
  Population a = build_population(spec(1)), b = build_population(spec(1)), c = build_population(spec(2));
  EXPECT_EQ(a.household_size, b.household_size);
  EXPECT_EQ(a.returnees, b.returnees);
  EXPECT_NE(a.returnees, c.returnees);
}

}  // namespace
}  // namespace vg::population
