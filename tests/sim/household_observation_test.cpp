// observe_household, computed by hand from the population: one returnee, registered at day 0, and
// a rule that puts the rest of their household under home observation for 3 days. The household's
// other members are residents (the only returnee is the subject), so each is counted as monitored
// on days 0, 1 and 2: (household size - 1) x 3 person-days; nobody on day 3. A second returnee in
// the same household would be a rule subject and get the monitoring itself (the other test).
#include <gtest/gtest.h>

#include <string>

#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

constexpr const char* kPolicy = R"(
vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
  monitoring: [home_observation]
rules:
  - id: observe
    title: the returnee's household is observed
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - observe_household: {kind: home_observation, days: 3}
)";

TEST(HouseholdObservation, ResidentsAreCountedForTheirDays) {
  TempDir dir;
  dir.write("policy.yaml", kPolicy);
  const std::string path = dir.write(
      "s.yaml",
      one_village({.name = "observe", .horizon_days = 5, .residents = 40, .mean_household_size = 4, .returnees = 1}));
  Diagnostics d;
  const Model m = load_model(path, d);
  const auto& pop = *m.population;
  const uint32_t person = pop.returnees.at(0);
  const int size = pop.household_size[pop.person_household[person]];
  ASSERT_GT(size, 1);  // the seed gives the returnee company; otherwise the test says nothing
  const RunResult r = run_model(m);
  const auto& v = r.replicates.at(0);
  EXPECT_EQ(v.villages.at(0).monitored_days, int64_t(size - 1) * 3);
  for (int day = 0; day < 5; ++day) EXPECT_EQ(v.days[0][size_t(day)].monitored, day < 3 ? size - 1 : 0) << day;
}

TEST(HouseholdObservation, AReturneeInTheHouseholdIsMonitoredAsASubject) {
  // Every resident a returnee: each returnee's rule observes the others, who are subjects; a later
  // observation replaces an earlier one, so everyone is monitored for days 0-2 and nobody after.
  TempDir dir;
  dir.write("policy.yaml", kPolicy);
  const std::string path = dir.write(
      "s.yaml",
      one_village(
          {.name = "observe-all", .horizon_days = 5, .residents = 12, .mean_household_size = 4, .returnees = 12}));
  Diagnostics d;
  const Model m = load_model(path, d);
  const auto& pop = *m.population;
  int64_t in_company = 0;  // returnees whose household has someone else
  for (uint32_t p : pop.returnees) in_company += pop.household_size[pop.person_household[p]] > 1;
  ASSERT_GT(in_company, 0);
  const RunResult r = run_model(m);
  const auto& v = r.replicates.at(0);
  EXPECT_EQ(v.villages.at(0).monitored_days, in_company * 3);
  for (int day = 0; day < 5; ++day) EXPECT_EQ(v.days[0][size_t(day)].monitored, day < 3 ? in_company : 0) << day;
}

}  // namespace
}  // namespace vg::sim
