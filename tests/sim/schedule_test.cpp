// Scheduled events (a scenario's `schedule:` and `arrival_waves`), by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/diagnostics.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;
using vg::testing::vocabulary;

// Two cadres of 8 hours and more work than they can do every day (20 one-hour visits, dropped when
// late): each day both work 480 minutes. Cadre 1 is absent on days 1 and 2 (both included), so
// the role works 480 minutes on those days and 960 on the others; staff_unavailable is raised once,
// at 00:00 of day 1, about the village (its rule's one-hour task is one of the hours worked).
const char* const kBusyPolicy = R"(
rules:
  - id: visits
    title: more visits than two cadres can make
    source: assumption
    note: test
    on: day_started
    do:
      - create_task: {name: visit, roles: [village_cadre], minutes: 60, within_hours: 24, copies: 20, if_late: drop}
  - id: cover
    title: someone is off duty
    source: assumption
    note: test
    on: {staff_unavailable: village_cadre}
    do:
      - create_task: {name: cover, roles: [village_cadre], minutes: 60, within_hours: 24}
)";

std::string busy_scenario(TempDir& dir, const std::string& schedule) {
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}) + kBusyPolicy);
  return dir.write("s.yaml", one_village({.name = "absent",
                                          .horizon_days = 4,
                                          .staff = "{village_cadre: {count: 2, hours_per_day: 8}}",
                                          .extra = schedule}));
}

TEST(Schedule, AnAbsentMemberWorksNoMinutesOnTheDaysOfTheAbsence) {
  TempDir dir;
  const std::string path = busy_scenario(
      dir, "schedule:\n  absences:\n    - {role: village_cadre, village: V, member: 1, from: 1, to: 2}\n");
  Diagnostics d;
  const Model m = load_model(path, d);
  RunResult r = run_model(m, true);
  const auto& days = r.replicates[0].days[0];
  const int expected[] = {960, 480, 480, 960};
  for (size_t day = 0; day < 4; ++day) EXPECT_EQ(days[day].minutes_worked[0], expected[day]) << "day " << day;
  int raised = 0;
  for (const auto& t : r.trace[0])
    if (t.event == uint8_t(rules::Event::StaffUnavailable)) {
      ++raised;
      EXPECT_EQ(t.day, 1);
      EXPECT_EQ(t.minute, 0);
      EXPECT_EQ(t.person, -1);
    }
  EXPECT_EQ(raised, 1);
}

// The first trigger added through kTriggerSyntax alone (issue 10's "two files": src/spec/policy.h
// and src/sim/town/schedule.cpp): staff_returned fires at 00:00 of the day after the absence, for
// the role it names, and its rule's task is done that day.
TEST(Schedule, StaffReturnedIsRaisedTheDayAfterTheAbsence) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}) + R"(
rules:
  - id: back
    title: a cadre is back
    source: assumption
    note: test
    on: {staff_returned: village_cadre}
    do:
      - create_task: {name: handover, roles: [village_cadre], minutes: 30, within_hours: 24}
)");
  const std::string path = dir.write(
      "s.yaml",
      one_village({.name = "back",
                   .horizon_days = 5,
                   .staff = "{village_cadre: {count: 2, hours_per_day: 8}}",
                   .extra = "schedule:\n  absences:\n    - {role: village_cadre, member: 2, from: 1, to: 2}\n"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d), true);
  int fired = 0;
  for (const auto& t : r.trace[0])
    if (t.fired && t.event == uint8_t(rules::Event::StaffReturned)) {
      ++fired;
      EXPECT_EQ(t.day, 3);
      EXPECT_EQ(t.minute, 0);
      EXPECT_EQ(t.created, 1);
    }
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(r.replicates[0].days[0][3].minutes_worked[0], 30);
}

TEST(Schedule, AShareOfARoleIsTheFirstRoundedMembers) {
  TempDir dir;
  // share 0.5 of 2 cadres: one absent on day 3 only; share 1: both absent on day 0.
  const std::string path = busy_scenario(dir, R"(schedule:
  absences:
    - {role: village_cadre, share: 0.5, from: 3, to: 3}
    - {role: village_cadre, village: V, share: 1, from: 0, to: 0}
)");
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  const auto& days = r.replicates[0].days[0];
  const int expected[] = {0, 960, 960, 480};
  for (size_t day = 0; day < 4; ++day) EXPECT_EQ(days[day].minutes_worked[0], expected[day]) << "day " << day;
}

std::string errors_of(const std::string& path) {
  Diagnostics d;
  try {
    (void)load_model(path, d);
  } catch (const InputError& e) {
    return e.diagnostics().format();
  }
  return "no error";
}

TEST(Schedule, NamesThatAreNotThePolicysOrTheRegionsAreErrors) {
  TempDir dir;
  const std::string text = errors_of(busy_scenario(dir, R"(schedule:
  absences:
    - {role: village_cadr, village: V, member: 1, from: 1, to: 2}
    - {role: village_cadre, village: W, count: 1, from: 1, to: 2}
    - {role: village_cadre, village: V, member: 3, from: 1, to: 2}
  stocks:
    - {supply: gloves, day: 1, level: 0}
)"));
  EXPECT_NE(text.find("s.yaml:18:14: error: unknown role 'village_cadr'; did you mean 'village_cadre'?"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("s.yaml:19:38: error: unknown village 'W'; did you mean 'V'?"), std::string::npos) << text;
  EXPECT_NE(text.find("V has 2 village_cadre; there is no member 3"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown supply 'gloves'"), std::string::npos) << text;
}

TEST(Schedule, AnAbsenceSaysWhoAndWhenOnce) {
  TempDir dir;
  const std::string text = errors_of(busy_scenario(dir, R"(schedule:
  absences:
    - {role: village_cadre, village: V, from: 2, to: 1}
    - {role: village_cadre, count: 1, share: 0.5, from: 1, to: 1}
)"));
  EXPECT_NE(text.find("s.yaml:18:7: error: an absence names one of: member (which one, from 1), count or share"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("s.yaml:18:7: error: an absence ends (to) before it begins (from)"), std::string::npos) << text;
  EXPECT_NE(text.find("s.yaml:19:7: error: an absence names one of"), std::string::npos) << text;
}

// A stock set to 0 on day 2 from 50: the day's stock column shows it, and stock_below (level 10)
// fires then, once, at 00:00. A delivery of 20 (`add`) on day 3 adds to what is there; a level
// sets the stock whatever it was (a "delivery" written as a level had taken masks away).
TEST(Schedule, AStockSetOnADayChangesTheStockAndRaisesStockBelow) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]", .supplies = "[masks]"}) + R"(
rules:
  - id: low
    title: masks are low
    source: assumption
    note: test
    on: {stock_below: {supply: masks, level: 10}}
    do:
      - create_task: {name: buy, roles: [village_cadre], minutes: 30, within_hours: 24}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "stock", .horizon_days = 6, .extra = R"(
supplies:
  stocks: {masks: 50}
schedule:
  stocks:
    - {supply: masks, village: V, day: 2, level: 0}
    - {supply: masks, village: V, day: 3, add: 20}
    - {supply: masks, village: V, day: 4, add: 15}
    - {supply: masks, village: V, day: 5, level: 30}
)"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d), true);
  const auto& days = r.replicates[0].days[0];
  const int64_t stock[] = {50, 50, 0, 20, 35, 30};
  for (size_t day = 0; day < 6; ++day) EXPECT_EQ(days[day].stock[0], stock[day]) << "day " << day;
  int fired = 0;
  for (const auto& t : r.trace[0])
    if (t.fired && t.event == uint8_t(rules::Event::StockBelow)) {
      ++fired;
      EXPECT_EQ(t.day, 2);
      EXPECT_EQ(t.minute, 0);
    }
  EXPECT_EQ(fired, 1);
}

// Two waves, 30% on days 1-2 and 70% on days 10-11: registrations per window follow the shares
// (1,000 returnees: binomial sd sqrt(1000 x 0.3 x 0.7) = 14.5; 5 sd = 72).
TEST(Schedule, ArrivalWavesShareTheReturnees) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}) + "rules: []\n");
  std::string text = one_village({.name = "waves", .horizon_days = 14, .residents = 3000, .returnees = 1000});
  const std::string one = "  arrival_days: {first: -3, peak: -2, last: -1}\n";
  text.replace(text.find(one), one.size(), R"(  arrival_waves:
    - {name: festival, share: 0.3, first: 1, peak: 1.5, last: 2}
    - {name: second, share: 0.7, first: 10, peak: 10.5, last: 11}
)");
  const std::string path = dir.write("s.yaml", text);
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  const auto& days = r.replicates[0].days[0];
  int first = 0, second = 0, other = 0;
  for (size_t day = 0; day < days.size(); ++day)
    (day >= 1 && day <= 2 ? first : day >= 10 && day <= 11 ? second : other) += days[day].arrivals;
  EXPECT_EQ(other, 0);
  EXPECT_EQ(first + second, 1000);
  EXPECT_NEAR(first, 300, 72);
}

TEST(Schedule, WavesMustAddUpAndExcludeArrivalDays) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}) + "rules: []\n");
  std::string text = one_village({.name = "waves"});
  const std::string one = "  arrival_days: {first: -3, peak: -2, last: -1}\n";
  text.replace(text.find(one), one.size(), one + R"(  arrival_waves:
    - {name: a, share: 0.5, first: 1, peak: 1.5, last: 2}
    - {name: b, share: 0.4, first: 3, peak: 2, last: 4}
)");
  const std::string path = dir.write("s.yaml", text);
  Diagnostics d;
  std::string out;
  try {
    (void)load_model(path, d);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    out = e.diagnostics().format();
  }
  EXPECT_NE(out.find("give arrival_days (one wave) or arrival_waves (several), not both"), std::string::npos) << out;
}

}  // namespace
}  // namespace vg::sim
