// The engine driving the infection model: returnees arrive infected by origin, symptoms are found
// at the next visit of a watched person or reported when an unwatched one seeks care, and rules
// isolate them.
#include <gtest/gtest.h>

#include "sim/runner.h"
#include "support/key_area_case.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::TempDir;

// Every returnee comes from the key area and arrives infected; transmission is all but off so the
// counts are the returnees' own. With `tracked`, a key person gets a "5+1" team (ample staff), so
// symptoms that begin while tracked are found at the next duty; without, everyone seeks care.
Model load_case(const TempDir& dir, bool tracked) {
  Diagnostics d;
  return load_model(dir.write("s.yaml", vg::testing::key_area_case(dir, tracked, 6)), d);
}

TEST(EpidemicEngine, UnwatchedCasesAreReportedWhenTheySeekCare) {
  TempDir dir;
  RunResult r = run_model(load_case(dir, false));
  for (const auto& rep : r.replicates) {
    const auto& v = rep.villages[0];
    EXPECT_EQ(v.infections_imported, 40);
    EXPECT_GT(v.returnee_onsets, 30);          // onsets within 40 days of arrival: nearly all (incubation ~5 d)
    EXPECT_EQ(v.detected, v.returnee_onsets);  // everyone seeks care within the horizon
    EXPECT_EQ(v.detected_at_check, 0);
    // Seeking care 3 days after onset at 08:00 (later only for onsets before arrival).
    EXPECT_GE(v.detection_delay_minutes, int64_t(v.detected) * (3 * 1440 + 480));
  }
}

TEST(EpidemicEngine, TrackedCasesAreFoundAtTheNextVisitAndIsolated) {
  TempDir dir;
  RunResult watched = run_model(load_case(dir, true));
  TempDir dir2;
  RunResult unwatched = run_model(load_case(dir2, false));
  for (size_t k = 0; k < watched.replicates.size(); ++k) {
    const auto& v = watched.replicates[k].villages[0];
    const auto& u = unwatched.replicates[k].villages[0];
    EXPECT_EQ(v.infections_imported, u.infections_imported);  // common random numbers
    EXPECT_GT(v.detected_at_check, 0);
    EXPECT_EQ(v.detected, v.returnee_onsets);
    // Found at a visit on the day of onset or the next: far sooner than seeking care.
    EXPECT_LT(v.detection_delay_minutes, u.detection_delay_minutes);
    EXPECT_GT(v.monitored_days, 0);  // isolation followed
  }
}

// Staff are residents: resident staff are distinct residents who are not returnees; seconded staff
// and the town pool are nobody of the village. When a resident staff member falls ill they are off
// duty for staff_isolation_days, so available hours fall by exactly their shifts on those days.
TEST(EpidemicEngine, StaffFallIllAndLoseTheirShifts) {
  TempDir dir;
  Model m = load_case(dir, true);
  const auto& roster = m.rosters[0];
  std::vector<int32_t> seen;
  for (size_t s = 0; s < roster.staff.size(); ++s) {
    if (roster.staff[s].village < 0) {
      EXPECT_EQ(roster.person[s], -1);  // town pool
      continue;
    }
    ASSERT_GE(roster.person[s], 0);
    EXPECT_TRUE(std::find(seen.begin(), seen.end(), roster.person[s]) == seen.end());
    seen.push_back(roster.person[s]);
    EXPECT_FALSE(
        std::binary_search(m.population->returnees.begin(), m.population->returnees.end(), uint32_t(roster.person[s])));
  }
  // Spread among residents: make transmission strong enough that staff catch it.
  std::string text = vg::testing::read_file(m.scenario.path);
  text.replace(text.find("r0: 0.02"), 8, "r0: 4.0");
  TempDir dir2;
  dir2.write("rules.yaml", vg::testing::read_file(dir.path() / "rules.yaml") + R"(
  - id: cover-for-ill-cadre
    title: a party member covers when a cadre falls ill
    source: assumption
    note: test
    on: {staff_unavailable: village_cadre}
    do:
      - create_task: {name: cover, roles: [party_member], minutes: 30, within_hours: 24}
)");
  Diagnostics d;
  Model hot = load_model(dir2.write("s.yaml", text), d);
  RunResult r = run_model(hot, true);
  int64_t covers = 0;
  for (const auto& tr : r.trace)
    for (const auto& t : tr)
      if (hot.program->rules()[size_t(t.rule)].id == "cover-for-ill-cadre" && t.fired) ++covers;
  const int cadre = hot.program->find_role("village_cadre");
  int64_t ill = 0;
  for (const auto& rep : r.replicates) {
    const auto& rt = rep.roles[size_t(cadre)];
    ill += rt.days_ill;
    EXPECT_EQ(rt.minutes_available, (10LL * 40 - rt.days_ill) * 600);  // 10 cadres x 40 days x 10 h
  }
  EXPECT_GT(ill, 0);
  EXPECT_GT(covers, 0);  // staff_unavailable raised for the cadres who fell ill
}

// Residents who are not returnees are isolated by the health system when they seek care; turning
// that off lets their outbreaks run: over the same replicates (common random numbers) isolation
// gives fewer local infections in total.
TEST(EpidemicEngine, LocalCasesIsolatedWhenTheySeekCare) {
  auto run_with = [](bool isolate) {
    TempDir dir;
    Model base = load_case(dir, false);
    std::string text = vg::testing::read_file(base.scenario.path);
    text.replace(text.find("r0: 0.02"), 8, "r0: 3.0");
    text.replace(text.find("  care_seeking_days: 3"), 22,
                 std::string("  care_seeking_days: 1\n  isolate_local_cases: ") + (isolate ? "true" : "false"));
    Diagnostics d;
    return run_model(load_model(dir.write("s2.yaml", text), d));
  };
  RunResult on = run_with(true), off = run_with(false);
  int64_t local_on = 0, local_off = 0, isolated = 0;
  for (size_t k = 0; k < on.replicates.size(); ++k) {
    local_on += on.replicates[k].villages[0].infections_local;
    local_off += off.replicates[k].villages[0].infections_local;
    isolated += on.replicates[k].villages[0].local_cases_isolated;
    EXPECT_EQ(off.replicates[k].villages[0].local_cases_isolated, 0);
  }
  EXPECT_GT(isolated, 0);
  EXPECT_LT(local_on, local_off);
}

}  // namespace
}  // namespace vg::sim
