// Returnees are away until they are registered: they neither catch nor pass on the infection in
// the village before. Some returnees arrive infected (key area, probability 1) early; the others
// (local origin, never imported) arrive over 40 days into a village with much transmission. No
// local-origin returnee may be infected before the day they were registered (statistical only in
// that a wrong engine would show it: with this much transmission it did, in every seed tried).
#include <gtest/gtest.h>

#include <string>

#include "rules/facts.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::OneVillage;
using vg::testing::screen_rule;
using vg::testing::TempDir;

constexpr int64_t kDayMinutes = 1440;

// One village whose returnees are screened (10 minutes) by ten cadres; the rest as `v` says.
Model screened_village(const TempDir& dir, OneVillage v) {
  dir.write("rules.yaml", "\nrules:\n" + screen_rule(10));
  v.rules = {std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/vocabulary.yaml", "rules.yaml"};
  v.staff = "{village_cadre: {count: 10, hours_per_day: 10}}";
  Diagnostics d;
  return load_model(dir.write("s.yaml", one_village(v)), d);
}

TEST(Away, NoReturneeIsInfectedInTheVillageBeforeArriving) {
  TempDir dir;
  const Model m = screened_village(dir, {.name = "away",
                                         .horizon_days = 60,
                                         .seed = 3,
                                         .replicates = 4,
                                         .residents = 600,
                                         .returnees = 300,
                                         .origin_mix = "{key_area: 0.05, within_province: 0.95}",
                                         .arrival_days = "{first: -1, peak: 5, last: 45}",
                                         .extra = R"(
epidemic:
  r0: 3.0
  household_sar: 0.4
  infection_probability: {key_area: 1.0, within_province: 0.0}
  isolate_local_cases: false
)"});
  const RunResult r = run_model(m, /*trace=*/true);
  int64_t local_origin_infected = 0, late_arrivals = 0;
  for (const auto& rep : r.persons)
    for (const auto& p : rep) {
      if (m.program->origins()[p.origin] == "key_area") continue;
      if (p.arrival >= kDayMinutes) ++late_arrivals;
      if (p.infection_day == PersonRecord::kNotInfected) continue;
      ++local_origin_infected;
      ASSERT_GE(p.arrival, 0);
      EXPECT_GE(int64_t(p.infection_day), p.arrival / kDayMinutes) << "person " << p.person;
    }
  EXPECT_GT(late_arrivals, 100);         // the test means something: many arrive late
  EXPECT_GT(local_origin_infected, 10);  // and the village's outbreak reaches returnees
}

// A returnee infected on the way whose symptoms began before they came home seeks care at the
// first 08:00 once home: never registered (found by care seeking) before arriving. (A newcomer's
// persons.csv showed returnees registered at 00:00 and screened hours before they arrived.) And
// persons.csv's infection_day tells an infection before the start date (negative) from none.
TEST(Away, NobodySeeksCareBeforeComingHome) {
  TempDir dir;
  const Model m = screened_village(dir, {.name = "care",
                                         .horizon_days = 40,
                                         .seed = 5,
                                         .replicates = 2,
                                         .residents = 800,
                                         .returnees = 300,
                                         .origin_mix = "{key_area: 1.0}",
                                         .arrival_days = "{first: 0, peak: 5, last: 20}",
                                         .extra = R"(
epidemic:
  r0: 1.0
  care_seeking_days: 1
  infection_probability: {key_area: 1.0}
  isolate_local_cases: false
finding:
  self_report:
    key_area: {probability: 0.0, median_delay_hours: 24}
)"});
  const RunResult r = run_model(m, /*trace=*/true);
  int64_t ill_before_home = 0, before_start = 0;
  for (const auto& rep : r.persons)
    for (const auto& p : rep) {
      ASSERT_NE(p.infection_day, PersonRecord::kNotInfected)
          << "person " << p.person << ": infected with probability 1";
      if (p.infection_day < 0) ++before_start;
      if (p.arrival < 0) continue;  // not found within the horizon
      EXPECT_GE(p.arrival, p.home) << "person " << p.person << " registered before coming home";
      if (rules::kFoundBy[p.found_by] != "care_seeking") continue;
      EXPECT_EQ(p.arrival % kDayMinutes, 8 * 60) << "person " << p.person << " sought care at minute " << p.arrival;
      if (p.onset >= 0 && p.onset < p.home) ++ill_before_home;
    }
  EXPECT_GT(ill_before_home, 5);  // the test means something: many fell ill on the way
  EXPECT_GT(before_start, 5);     // and some were infected before the start date
}

}  // namespace
}  // namespace vg::sim
