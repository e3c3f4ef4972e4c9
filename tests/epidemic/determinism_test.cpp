// Test 4, determinism: every draw is keyed by what it is for (person, day, purpose), so
//   - the same seed gives the same run, another seed or replicate a different one;
//   - a village simulated alone gives exactly what it gives inside its town (town layer off);
//   - the number of threads and the order towns are run in change nothing;
//   - reset() gives what a fresh Epidemic gives;
//   - importation depends only on the person, not on who else is imported or in what order.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

constexpr int kDays = 90;

struct Outcome {
  std::vector<Case> cases;
  std::vector<Transition> transitions;
  std::vector<DayCounts> counts;  // [day][village of the scope]
  bool operator==(const Outcome&) const = default;
};

// Imports a few returnees per village (probability 0.3, arrivals days 0-4) and runs kDays days.
Outcome simulate(Epidemic& e, const population::Population& pop) {
  Outcome r;
  for (int32_t d = 0; d < kDays; ++d) {
    for (uint32_t v = e.villages().begin; v < e.villages().end; ++v) {
      const auto vp = pop.village_persons[v];
      for (uint32_t k = 0; k < 8; ++k) {
        const uint32_t person = vp.begin + (k * 131u + v * 17u) % vp.size();
        if (int32_t(k % 5) == d) e.import_returnee(person, 0.3, d);
      }
    }
    const auto t = e.step(d);
    r.transitions.insert(r.transitions.end(), t.begin(), t.end());
    for (uint32_t v = e.villages().begin; v < e.villages().end; ++v) r.counts.push_back(e.counts(v, d));
  }
  r.cases.assign(e.cases().begin(), e.cases().end());
  return r;
}

Parameters no_town_layer() {
  Parameters p;
  p.r0 = 2.5;
  p.town_weight = 0;
  return p;
}

population::Population three_towns() {
  return testing::make_population(
      {{testing::mixed_village(500, 5), testing::mixed_village(400, 4)},
       {testing::mixed_village(600, 6)},
       {testing::mixed_village(300, 3), testing::mixed_village(300, 3), testing::mixed_village(350, 4)}});
}

TEST(Determinism, SameSeedSameRunOtherSeedOtherRun) {
  const auto pop = three_towns();
  const DiseaseModel model(Parameters{}, pop);
  Epidemic a(model, pop, 0, 42, 0), b(model, pop, 0, 42, 0), c(model, pop, 0, 43, 0), d(model, pop, 0, 42, 1);
  const Outcome ra = simulate(a, pop);
  ASSERT_GT(ra.cases.size(), 20u);
  EXPECT_EQ(ra, simulate(b, pop));
  EXPECT_NE(ra.cases, simulate(c, pop).cases);
  EXPECT_NE(ra.cases, simulate(d, pop).cases);
}

TEST(Determinism, VillageAloneEqualsVillageInItsTown) {
  const auto pop = three_towns();
  const DiseaseModel model(no_town_layer(), pop);
  Epidemic town(model, pop, 2, 7, 3);
  const Outcome whole = simulate(town, pop);
  ASSERT_GT(whole.cases.size(), 20u);
  const auto tv = pop.town_villages[2];
  for (uint32_t v = tv.begin; v < tv.end; ++v) {
    Epidemic alone = Epidemic::for_villages(model, pop, {v, v + 1}, 7, 3);
    const Outcome part = simulate(alone, pop);
    const auto vp = pop.village_persons[v];
    auto in_village = [&](uint32_t p) { return p >= vp.begin && p < vp.end; };
    Outcome expected;
    for (const Case& c : whole.cases)
      if (in_village(c.person)) expected.cases.push_back(c);
    for (const Transition& t : whole.transitions)
      if (in_village(t.person)) expected.transitions.push_back(t);
    for (int d = 0; d < kDays; ++d) expected.counts.push_back(whole.counts[size_t(d) * tv.size() + (v - tv.begin)]);
    // Cases are listed in the order they happen, which interleaves villages in the town run but
    // keeps each village's own order.
    EXPECT_EQ(part, expected) << "village " << v;
  }
  // With the town layer on, a part of a town cannot be simulated alone.
  const DiseaseModel with_town(Parameters{}, pop);
  EXPECT_THROW(Epidemic::for_villages(with_town, pop, {tv.begin, tv.begin + 1}, 7, 3), std::invalid_argument);
  EXPECT_NO_THROW(Epidemic::for_villages(with_town, pop, tv, 7, 3));
}

TEST(Determinism, ThreadCountAndOrderDoNotMatter) {
  const auto pop = three_towns();
  const DiseaseModel model(Parameters{}, pop);
  const uint32_t jobs = uint32_t(pop.towns()) * 2;  // (town, replicate)
  auto job = [&](uint32_t k) {
    Epidemic e(model, pop, k % 3, 2020, k / 3);
    return simulate(e, pop);
  };
  std::vector<Outcome> serial(jobs);
  for (uint32_t k = 0; k < jobs; ++k) serial[k] = job(k);
  for (uint32_t threads : {2u, 3u, 6u}) {
    std::vector<Outcome> parallel(jobs);
    std::vector<std::thread> pool;
    for (uint32_t t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        // Each thread takes its jobs in reverse order, so the interleaving differs from the serial run.
        for (uint32_t k = jobs; k-- > 0;)
          if (k % threads == t) parallel[k] = job(k);
      });
    for (auto& th : pool) th.join();
    EXPECT_EQ(parallel, serial) << threads << " threads";
  }
}

TEST(Determinism, ResetGivesAFreshRun) {
  const auto pop = three_towns();
  const DiseaseModel model(Parameters{}, pop);
  Epidemic reused(model, pop, 0, 5, 0);
  const Outcome first = simulate(reused, pop);
  reused.set_contact_multipliers(pop.village_persons[0].begin, 0, 0);
  reused.reset(1);
  EXPECT_EQ(reused.contact_multipliers(pop.village_persons[0].begin), (std::array<float, 2>{1, 1}));
  const Outcome second = simulate(reused, pop);
  Epidemic fresh(model, pop, 0, 5, 1);
  EXPECT_EQ(second, simulate(fresh, pop));
  reused.reset(0);
  EXPECT_EQ(simulate(reused, pop), first);
}

TEST(Determinism, ImportationDependsOnlyOnThePerson) {
  const auto pop = three_towns();
  const DiseaseModel model(Parameters{}, pop);
  const auto vp = pop.village_persons[0];
  std::vector<uint32_t> people;
  for (uint32_t p = vp.begin; p < vp.end; p += 3) people.push_back(p);
  Epidemic forward(model, pop, 0, 11, 0), backward(model, pop, 0, 11, 0), alone(model, pop, 0, 11, 0);
  for (uint32_t p : people) forward.import_returnee(p, 0.5, 0);
  for (auto it = people.rbegin(); it != people.rend(); ++it) backward.import_returnee(*it, 0.5, 0);
  int infected = 0;
  for (uint32_t p : people) {
    const Importation expected = draw_importation(11, 0, p, 0.5, 0, model.parameters().importation_window_days);
    ASSERT_EQ(forward.ever_infected(p), expected.infected);
    ASSERT_EQ(backward.ever_infected(p), expected.infected);
    if (!expected.infected) continue;
    ++infected;
    ASSERT_EQ(forward.infection_day(p), expected.infection_day);
    ASSERT_EQ(*forward.find_case(p), *backward.find_case(p));
    ASSERT_EQ(forward.state(p), backward.state(p));
  }
  EXPECT_GT(infected, 100);
  // Seeding one of them alone gives the same case.
  const uint32_t p = *std::find_if(people.begin(), people.end(), [&](uint32_t q) { return forward.ever_infected(q); });
  alone.import_returnee(p, 0.5, 0);
  EXPECT_EQ(*alone.find_case(p), *forward.find_case(p));
}

}  // namespace
}  // namespace vg::epidemic
