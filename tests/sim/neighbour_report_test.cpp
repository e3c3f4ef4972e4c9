// Neighbour and villager-group leader reports (finding.neighbour_report, src/sim/town/finding.cpp):
// each day at 09:00 a returnee home since an earlier day whom nobody has registered is reported
// with probability_per_day, one draw by person and day. Known answers: probability 1 reports
// everyone unregistered the day after they came home, 0 nobody; and with common random numbers a
// higher probability reports everyone a lower one does, on the same day or earlier.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "rules/facts.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

// No rule creates work: nobody is found but by the neighbours (nobody self-reports, no visits, no
// checkpoint).
constexpr const char* kPolicy = R"(
vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
rules: []
)";

Model load(TempDir& dir, double p, const std::string& arrival_days, int returnees = 200) {
  dir.write("policy.yaml", kPolicy);
  Diagnostics d;
  Model m = load_model(dir.write("s.yaml", one_village({.name = "neighbours",
                                                        .horizon_days = 12,
                                                        .seed = 7,
                                                        .residents = 400,
                                                        .returnees = returnees,
                                                        .arrival_days = arrival_days,
                                                        .extra = "finding: {household_visit: {probability: 1}, "
                                                                 "neighbour_report: {probability_per_day: " +
                                                                 std::to_string(p) + "}}\n"})),
                       d);
  EXPECT_EQ(d.error_count(), 0u) << d.format();
  return m;
}

constexpr const char* kSpread = "{first: 0, peak: 4, last: 8}";  // arrivals over days 0-8

TEST(NeighbourReport, ProbabilityOneReportsEveryoneUnregisteredTheNextDay) {
  TempDir dir;
  const RunResult r = run_model(load(dir, 1.0, kSpread), true);
  const auto& v = r.replicates.at(0).villages.at(0);
  EXPECT_EQ(v.returnees_arrived, 200);
  EXPECT_EQ(v.returnees, 200);
  EXPECT_EQ(v.found_neighbour_report, 200);
  for (const auto& p : r.persons.at(0)) {
    ASSERT_GE(p.home, 0);
    EXPECT_EQ(p.found_by, uint8_t(rules::FoundBy::NeighbourReport));
    EXPECT_EQ(p.arrival, (p.home / 1440 + 1) * 1440 + 9 * 60) << "person " << p.person << " home at " << p.home;
  }
}

TEST(NeighbourReport, ThoseHomeBeforeDayZeroAreReportedOnDayOne) {
  TempDir dir;
  const RunResult r = run_model(load(dir, 1.0, "{first: -3, peak: -2, last: -1}", 20), true);
  EXPECT_EQ(r.replicates.at(0).villages.at(0).found_neighbour_report, 20);
  EXPECT_EQ(r.replicates.at(0).days[0][0].arrivals, 0);
  EXPECT_EQ(r.replicates.at(0).days[0][1].arrivals, 20);
}

TEST(NeighbourReport, ProbabilityZeroReportsNobody) {
  TempDir dir;
  const RunResult r = run_model(load(dir, 0.0, kSpread));
  const auto& v = r.replicates.at(0).villages.at(0);
  EXPECT_EQ(v.returnees_arrived, 200);
  EXPECT_EQ(v.returnees, 0);
  EXPECT_EQ(v.found_neighbour_report, 0);
}

// Common random numbers: the draw of a person and day is the same whatever the probability, so
// whoever is reported at 0.1 is reported at 0.3 too, on the same day or earlier.
TEST(NeighbourReport, AHigherProbabilityReportsEveryoneALowerOneDoesNoLater) {
  const double ps[] = {0.02, 0.1, 0.3, 0.6};
  std::map<uint32_t, int64_t> before;  // person -> minute reported at the lower probability
  int found_before = -1;
  for (double p : ps) {
    TempDir dir;
    const RunResult r = run_model(load(dir, p, kSpread), true);
    std::map<uint32_t, int64_t> now;
    for (const auto& x : r.persons.at(0))
      if (x.arrival >= 0) now[x.person] = x.arrival;
    for (const auto& [person, at] : before) {
      ASSERT_TRUE(now.count(person)) << "person " << person << " reported at a lower probability, not at " << p;
      EXPECT_LE(now[person], at) << "person " << person << " at " << p;
    }
    EXPECT_GE(int(now.size()), found_before) << p;
    EXPECT_EQ(int(now.size()), r.replicates.at(0).villages.at(0).found_neighbour_report);
    found_before = int(now.size());
    before = now;
  }
  EXPECT_GT(found_before, 0);
}

}  // namespace
}  // namespace vg::sim
