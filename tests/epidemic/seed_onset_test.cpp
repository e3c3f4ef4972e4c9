// Epidemic::seed_onset (an exercise's fever in a key person): whoever the person is, and whatever
// their drawn course (asymptomatic ones too), symptoms begin on the day asked, the infection lies
// before it by the person's own incubation, and the onset is reported by that day's step.
#include <gtest/gtest.h>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "test_population.h"

namespace vg::epidemic {
namespace {

TEST(SeedOnset, SymptomsBeginOnTheDayAskedForEveryone) {
  const auto pop = testing::make_population({{testing::uniform_village(200, 2)}});
  Parameters p;
  p.asymptomatic_share = 0.5;  // half the drawn courses asymptomatic: each is made symptomatic
  p.household_sar = 0;
  p.group_weight = p.village_weight = p.town_weight = 0;
  const DiseaseModel model(p, pop);
  Epidemic e(model, pop, 0, 42, 0);
  for (int d = 0; d < 20; ++d) e.step(d);
  int drawn_asymptomatic = 0;
  for (uint32_t person = 0; person < 100; ++person) {
    drawn_asymptomatic += model.course(42, 0, person).asymptomatic;
    ASSERT_TRUE(e.seed_onset(person, 20));
    const Case* c = e.find_case(person);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->onset_day, 20);
    EXPECT_FALSE(c->asymptomatic);
    EXPECT_LT(c->infection_day, 20);
    EXPECT_EQ(c->layer, Layer::Imported);
    EXPECT_EQ(e.state(person), State::Symptomatic);
    EXPECT_FALSE(e.seed_onset(person, 20));  // not susceptible any more: nothing changes
  }
  EXPECT_GT(drawn_asymptomatic, 20);
  int onsets = 0;
  for (const auto& t : e.step(20)) onsets += t.to == State::Symptomatic && t.day == 20;
  EXPECT_EQ(onsets, 100);
  EXPECT_EQ(e.counts(0, 20).onsets, 100);
  EXPECT_THROW(e.seed_onset(150, 3), std::invalid_argument);  // a day already simulated
}

}  // namespace
}  // namespace vg::epidemic
