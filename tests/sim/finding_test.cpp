// Finding returnees (src/sim/town/finding.cpp), with answers worked out by hand: a household visit
// with probability 1 finds every unregistered returnee at home on the visit's day; a checkpoint
// staffed 8 of 24 hours with registers_share 1 registers about a third of arrivals spread evenly
// over the day; a staffed checkpoint never finds fewer than an unstaffed one in the same replicate
// (common random numbers); without a `finding` section everyone is registered as they arrive.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

constexpr const char* kVocabulary = R"(
vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre, party_member]
)";

// One household visit per household, released at 00:00 of day 2 and due within the day.
constexpr const char* kVisitOnDay2 = R"(
rules:
  - id: visit
    title: every household is visited on day 2
    source: assumption
    note: test
    on: {day: 2}
    do:
      - create_task: {name: visit, roles: [village_cadre], minutes: 5, within_hours: 24, for_each: household, counts_as: household_contact}
)";

Model load(TempDir& dir, const std::string& policy, vg::testing::OneVillage s) {
  dir.write("policy.yaml", std::string(kVocabulary) + policy);
  Diagnostics d;
  Model m = load_model(dir.write("s.yaml", one_village(s)), d);
  EXPECT_EQ(d.error_count(), 0u);
  return m;
}

TEST(Finding, AVisitWithProbabilityOneFindsTheWholeHouseholdOnItsDay) {
  // Three residents, all returnees home before day 0, in one household; nobody self-reports.
  TempDir dir;
  const Model m = load(dir, kVisitOnDay2,
                       {.name = "visit",
                        .horizon_days = 4,
                        .residents = 3,
                        .mean_household_size = 3,
                        .returnees = 3,
                        .extra = "finding: {household_visit: {probability: 1}}\n"});
  const auto& pop = *m.population;
  ASSERT_EQ(pop.household_size.size(), 1u);  // one household of three: the case worked out by hand
  ASSERT_EQ(pop.household_size[0], 3);
  const auto r = run_model(m);
  const auto& rep = r.replicates.at(0);
  const auto& v = rep.villages.at(0);
  EXPECT_EQ(v.returnees_arrived, 3);
  EXPECT_EQ(v.returnees, 3);
  EXPECT_EQ(v.found_household_visit, 3);
  EXPECT_EQ(v.found_self_report, 0);
  const int found_by_day[] = {0, 0, 3, 0};
  for (int day = 0; day < 4; ++day) {
    EXPECT_EQ(rep.days[0][size_t(day)].arrivals, found_by_day[day]) << day;
    EXPECT_EQ(rep.days[0][size_t(day)].found_household_visit, found_by_day[day]) << day;
  }
  EXPECT_EQ(rep.days[0][0].arrived, 3);  // home from the start, found only at the visit
}

TEST(Finding, AVisitWithProbabilityZeroFindsNobody) {
  TempDir dir;
  const Model m = load(dir, kVisitOnDay2,
                       {.name = "visit0",
                        .horizon_days = 4,
                        .residents = 3,
                        .mean_household_size = 3,
                        .returnees = 3,
                        .extra = "finding: {household_visit: {probability: 0}}\n"});
  const RunResult r = run_model(m);
  const auto& v = r.replicates.at(0).villages.at(0);
  EXPECT_EQ(v.returnees_arrived, 3);
  EXPECT_EQ(v.returnees, 0);
}

TEST(Finding, WithoutAFindingSectionEveryoneIsRegisteredOnArrival) {
  TempDir dir;
  const Model m = load(dir, kVisitOnDay2,
                       {.name = "plain", .horizon_days = 4, .residents = 3, .mean_household_size = 3, .returnees = 3});
  const RunResult r = run_model(m);
  const auto& rep = r.replicates.at(0);
  EXPECT_EQ(rep.villages.at(0).returnees, 3);
  EXPECT_EQ(rep.days[0][0].arrivals, 3);
  EXPECT_EQ(rep.villages.at(0).found_household_visit, 0);
}

// A checkpoint staffed 08:00-16:00 by a party member whose shift is exactly that, from day 0.
std::string checkpoint_policy(double share) {
  return R"(
rules:
  - id: checkpoint
    title: a checkpoint from day 0
    source: assumption
    note: test
    on: {day: 0}
    do:
      - open_post: {name: gate, roles: [party_member], shifts: ["08:00-16:00"], registers_share: )" +
         std::to_string(share) + "}\n";
}

TEST(Finding, ACheckpointStaffedEightHoursOfTwentyFourRegistersAThird) {
  // Arrival days are a triangle over [0, 20] peaking at 10, so the minute of the day is uniform
  // (the triangle's pieces add to a constant density over each day); all 600 arrive within the
  // horizon. The post is staffed over [08:00, 16:00) every day: each arrival is registered with
  // probability 1/3, so found ~ Binomial(600, 1/3): mean 200, sd sqrt(600 * 1/3 * 2/3) = 11.5.
  // Tolerance: 4 sd (46), so a correct engine fails about once in 16,000 seeds; this seed passes.
  TempDir dir;
  const Model m = load(dir, checkpoint_policy(1.0),
                       {.name = "gate",
                        .horizon_days = 21,
                        .residents = 600,
                        .party_members = 1,
                        .returnees = 600,
                        .staff = "{party_member: {count: 1, hours_per_day: 8, shift_start: \"08:00\"}}",
                        .arrival_days = "{first: 0, peak: 10, last: 20}",
                        .extra = "finding: {household_visit: {probability: 1}}\n"});
  const RunResult r = run_model(m);
  const auto& v = r.replicates.at(0).villages.at(0);
  EXPECT_EQ(v.returnees_arrived, 600);
  EXPECT_EQ(v.found_checkpoint, v.returnees);  // no other channel in this policy
  EXPECT_NEAR(double(v.found_checkpoint), 200.0, 46.0);
  RecordProperty("found_checkpoint", v.found_checkpoint);
  EXPECT_EQ(v.post_minutes_staffed, v.post_minutes_required);  // staffed every day, the whole shift
}

TEST(Finding, AStaffedCheckpointNeverFindsFewerThanAnUnstaffedOne) {
  // Same seed, same returnees (common random numbers); self-report and household visits by
  // cadres as well. Unstaffed: the only party member starts at 16:00, when the post's shift ends.
  const std::string policy = checkpoint_policy(0.8) + R"(
  - id: visit
    title: every household is visited every 3 days
    source: assumption
    note: test
    on: {day: 1}
    do:
      - create_task: {name: visit, roles: [village_cadre], minutes: 30, within_hours: 24, if_late: drop, for_each: household, counts_as: household_contact, repeat: {every_days: 3, times: 5}}
)";
  const std::string finding =
      "finding:\n  self_report: {local: {probability: 0.3, median_delay_hours: 48}}\n"
      "  household_visit: {probability: 0.7}\n";
  auto run = [&](const char* shift_start) {
    TempDir dir;
    const Model m = load(
        dir, policy,
        {.name = "crn",
         .horizon_days = 16,
         .replicates = 20,
         .residents = 400,
         .party_members = 1,
         .returnees = 200,
         .staff =
             std::string("{village_cadre: {count: 1, hours_per_day: 8}, party_member: {count: 1, hours_per_day: 8, "
                         "shift_start: \"") +
             shift_start + "\"}}",
         .arrival_days = "{first: -4, peak: 3, last: 10}",
         .extra = finding});
    return run_model(m);
  };
  const auto staffed = run("08:00"), unstaffed = run("16:00");
  int more = 0;
  for (size_t k = 0; k < staffed.replicates.size(); ++k) {
    const auto &s = staffed.replicates[k].villages.at(0), &u = unstaffed.replicates[k].villages.at(0);
    EXPECT_EQ(u.found_checkpoint, 0) << k;
    EXPECT_GE(s.returnees, u.returnees) << k;
    EXPECT_EQ(s.returnees_arrived, u.returnees_arrived) << k;
    more += s.returnees > u.returnees;
  }
  EXPECT_GT(more, 0);  // the checkpoint makes a difference somewhere, or the test says nothing
}

}  // namespace
}  // namespace vg::sim
