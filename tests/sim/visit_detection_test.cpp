// Who notices illness (finding's visit_detection, src/sim/town/detection.cpp): the chance that a
// visit finds a person's symptoms depends on the visitor's role. Worked out by hand:
//  - with chance 1 for the doctor and 0 for everyone else, a "5+1" team finds every fever of a
//    tracked person at the doctor's duty, so as many are found at a check as when everyone's chance
//    is 1, never sooner; with 0 for everyone, nobody is found at a check (all seek care);
//  - a household contact with chance 1 finds ill residents at home (isolated as local cases), and
//    with chance 0 finds none.
#include <gtest/gtest.h>

#include <string>

#include "sim/runner.h"
#include "support/key_area_case.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

const std::string kRoot = VILLAGEGRID_SOURCE_DIR;

Model load(const TempDir& dir, const std::string& scenario) {
  Diagnostics d;
  Model m = load_model(dir.write("s.yaml", scenario), d);
  EXPECT_EQ(d.error_count(), 0u) << d.format();
  return m;
}

// Every returnee comes from the key area infected, reports at arrival, is screened and tracked by a
// "5+1" team (ample staff); transmission is all but off, so the counts are the returnees' own.
Model tracked_case(const TempDir& dir, const std::string& detection) {
  return load(dir, vg::testing::key_area_case(dir, true, 4,
                                              "finding:\n  self_report: {key_area: {probability: 1, "
                                              "median_delay_hours: 0}}\n  visit_detection: " +
                                                  detection + "\n"));
}

TEST(VisitDetection, TheDoctorAloneFindsAsManyFeversAsEveryoneButNeverSooner) {
  TempDir a, b;
  const RunResult doctor = run_model(tracked_case(a, "{probability: 0, by_role: {village_doctor: 1}}"));
  const RunResult everyone = run_model(tracked_case(b, "{probability: 1}"));
  int64_t found = 0;
  for (size_t k = 0; k < doctor.replicates.size(); ++k) {
    const auto& v = doctor.replicates[k].villages[0];
    const auto& e = everyone.replicates[k].villages[0];
    EXPECT_EQ(v.returnee_onsets, e.returnee_onsets);  // common random numbers
    EXPECT_EQ(v.detected_at_check, e.detected_at_check) << k;
    EXPECT_GE(v.detection_delay_minutes, e.detection_delay_minutes) << k;
    found += v.detected_at_check;
  }
  EXPECT_GT(found, 0);
}

TEST(VisitDetection, NobodyWhoNoticesMeansEveryoneSeeksCare) {
  TempDir dir;
  const RunResult r = run_model(tracked_case(dir, "{probability: 0}"));
  for (const auto& rep : r.replicates) {
    const auto& v = rep.villages[0];
    EXPECT_EQ(v.detected_at_check, 0);
    EXPECT_EQ(v.detected, v.returnee_onsets);  // all by seeking care, within the horizon
  }
}

// Residents catch it from infected returnees (r0 3); every household is visited each day by a
// cadre. With chance 1 the visits find ill residents at home; with chance 0 none.
Model household_case(const TempDir& dir, const std::string& chance) {
  dir.write("rules.yaml", R"(
rules:
  - id: visit
    title: every household every day
    source: assumption
    note: test
    on: {day: 0}
    do:
      - create_task: {name: visit, roles: [village_cadre], minutes: 1, within_hours: 24, for_each: household, counts_as: household_contact, repeat: {every_days: 1, times: 30}}
)");
  return load(dir, one_village({.name = "hh",
                                .horizon_days = 30,
                                .seed = 3,
                                .replicates = 4,
                                .rules = {kRoot + "/rules/vocabulary.yaml", "rules.yaml"},
                                .residents = 300,
                                .returnees = 20,
                                .staff = "{village_cadre: {count: 4, hours_per_day: 8}}",
                                .origin_mix = "{key_area: 1.0}",
                                .arrival_days = "{first: 0, peak: 1, last: 2}",
                                .extra = R"(
epidemic:
  r0: 3.0
  infection_probability: {key_area: 1.0}
  care_seeking_days: 3
finding:
  self_report: {key_area: {probability: 1, median_delay_hours: 0}}
  visit_detection: {probability: )" + chance +
                                         "}\n"}));
}

TEST(VisitDetection, AHouseholdContactFindsIllResidentsAtHome) {
  TempDir a, b;
  const RunResult sure = run_model(household_case(a, "1"));
  const RunResult never = run_model(household_case(b, "0"));
  int64_t found = 0;
  for (size_t k = 0; k < sure.replicates.size(); ++k) {
    const auto& v = sure.replicates[k].villages[0];
    EXPECT_LE(v.local_cases_found_at_visit, v.local_cases_isolated);
    EXPECT_EQ(never.replicates[k].villages[0].local_cases_found_at_visit, 0);
    // Each ill resident is isolated once: one found at a visit was counted again when their
    // care-seeking came, days later (more isolated than fell ill).
    for (const RunResult* run : {&sure, &never}) {
      const auto& rep = run->replicates[k];
      int64_t onsets = 0;
      for (const auto& day : rep.days[0]) onsets += day.onsets;
      EXPECT_LE(rep.villages[0].local_cases_isolated, onsets - rep.villages[0].returnee_onsets) << "replicate " << k;
    }
    found += v.local_cases_found_at_visit;
  }
  EXPECT_GT(found, 0);
}

TEST(VisitDetection, AnUnknownRoleIsAnErrorWithASuggestion) {
  TempDir dir;
  dir.write("rules.yaml", "rules: []\n");
  std::string message;
  try {
    Diagnostics d;
    (void)load_model(dir.write("s.yaml", one_village({.name = "bad",
                                                      .rules = {kRoot + "/rules/vocabulary.yaml", "rules.yaml"},
                                                      .extra = "finding:\n  visit_detection: {probability: 0.5, "
                                                               "by_role: {village_docter: 0.9}}\n"})),
                     d);
  } catch (const InputError& e) {
    message = e.diagnostics().format();
  }
  EXPECT_NE(message.find("unknown role 'village_docter'; did you mean 'village_doctor'"), std::string::npos) << message;
}

}  // namespace
}  // namespace vg::sim
