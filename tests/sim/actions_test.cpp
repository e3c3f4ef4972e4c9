// Known answers for the actions beyond tasks and classes: posts and their shifts, monitoring
// periods and their end, delayed events, task copies, team tasks and overtime.
#include <gtest/gtest.h>

#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::read_file;
using vg::testing::TempDir;
using vg::testing::vocabulary;

const char* kPolicy = R"(
vocabulary:
  origins: [local, other_province]
  classes: [unscreened, general, observed]
  roles: [party_member, village_cadre]
  monitoring: [home_observation]
  events:
    - {name: alarm, about: village}
rules:
  - id: open-checkpoint
    title: open the checkpoint on day 0
    source: assumption
    note: test
    on: {day: 0}
    do:
      - open_post: {name: checkpoint, roles: [party_member], staff_per_shift: 2, shifts: ["06:00-14:00"]}
      - raise: {event: alarm, after_hours: 10}
      - create_task: {name: meeting-seat, roles: [village_cadre], minutes: 60, within_hours: 24, copies: 3}
  - id: close-checkpoint
    title: close it on day 2
    source: assumption
    note: test
    on: {day: 2}
    do:
      - close_post: checkpoint
  - id: respond
    title: answer the alarm
    source: assumption
    note: test
    on: {event: alarm}
    do:
      - create_task: {name: respond, roles: [village_cadre], minutes: 30, within_hours: 2}
  - id: observe
    title: home observation for every returnee
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - set_class: observed
      - start_monitoring: {kind: home_observation, days: 3}
  - id: release
    title: released after observation
    source: assumption
    note: test
    on: {monitoring_ended: home_observation}
    do:
      - set_class: general
)";

Model load_case(const TempDir& dir, const std::string& shift_start) {
  dir.write("policy.yaml", kPolicy);
  const std::string path = dir.write(
      "s.yaml", one_village({.name = "actions",
                             .horizon_days = 5,
                             .replicates = 2,
                             .residents = 40,
                             .party_members = 5,
                             .returnees = 10,
                             .staff = "party_member: {count: 2, hours_per_day: 8, shift_start: \"" + shift_start +
                                      "\"}\nvillage_cadre: {count: 1, hours_per_day: 8, shift_start: \"08:00\"}",
                             .origin_mix = "{other_province: 1.0}",
                             .arrival_days = "{first: -3, peak: -2, last: -1}"}));
  Diagnostics d;
  return load_model(path, d);
}

// Two places of 06:00-14:00 (480 min each) a day on days 0, 1 and 2 (closed from day 3). Members
// who start at 06:00 staff all of it; members who start at 08:00 work 08:00-16:00 and are at the
// post 08:00-14:00, 360 of the 480 minutes each.
TEST(Posts, ShiftsRequiredAndStaffed) {
  for (const auto& [start, staffed] : {std::pair{"06:00", 960}, std::pair{"08:00", 720}}) {
    TempDir dir;
    Model m = load_case(dir, start);
    RunResult r = run_model(m);
    const auto& days = r.replicates[0].days[0];
    for (int d = 0; d < 5; ++d) {
      EXPECT_EQ(days[size_t(d)].post_minutes_required, d <= 2 ? 960 : 0) << "day " << d;
      EXPECT_EQ(days[size_t(d)].post_minutes_staffed, d <= 2 ? staffed : 0) << "day " << d << " start " << start;
    }
    EXPECT_EQ(r.replicates[0].villages[0].post_minutes_required, 3 * 960);
  }
}

// Returnees registered on day 0 are under home observation on days 0, 1 and 2; it ends at 23:59
// of day 2, when the release rule makes them general.
TEST(Monitoring, PeriodEndsAndRaisesMonitoringEnded) {
  TempDir dir;
  Model m = load_case(dir, "06:00");
  RunResult r = run_model(m, true);
  const auto& days = r.replicates[0].days[0];
  EXPECT_EQ(days[0].monitored, 10);
  EXPECT_EQ(days[2].monitored, 10);
  EXPECT_EQ(days[3].monitored, 0);
  EXPECT_EQ(r.replicates[0].villages[0].monitored_days, 30);
  const int general = 1;
  for (const auto& p : r.persons[0]) EXPECT_EQ(p.cls, general);
  int released = 0;
  for (const auto& t : r.trace[0])
    if (m.program->rules()[size_t(t.rule)].id == "release" && t.fired) {
      ++released;
      EXPECT_EQ(t.day, 2);
      EXPECT_EQ(t.minute, 1439);
    }
  EXPECT_EQ(released, 10);
}

// The alarm raised at 00:00 with a 10-hour delay is dispatched at 10:00 (a scheduler timer), and the
// rule hearing it creates its task then. Three copies of the meeting seat are three tasks.
TEST(DelayedRaise, FiresAtItsMinute) {
  TempDir dir;
  Model m = load_case(dir, "06:00");
  RunResult r = run_model(m, true);
  bool seen = false;
  for (const auto& t : r.trace[0])
    if (m.program->rules()[size_t(t.rule)].id == "respond") {
      seen = true;
      EXPECT_EQ(t.day, 0);
      EXPECT_EQ(t.minute, 600);
      EXPECT_TRUE(t.fired);
      EXPECT_EQ(t.created, 1);
    }
  EXPECT_TRUE(seen);
  // Day 0 creates 2 post places, 3 seats and 1 response (the returnee rules create no tasks).
  EXPECT_EQ(r.replicates[0].days[0][0].tasks_created, 2 + 3 + 1);
  EXPECT_EQ(r.replicates[0].days[0][0].tasks_late, 0);
}

// The issue's hand-computed post: 2 people x 24 h a day with 5 people at 8 h a day. Two start at
// 00:00, two at 08:00 and one at 16:00, so the night and day shifts are covered and the evening
// shift has one of its two places: 5 x 8 = 40 of 48 hours staffed, every day.
TEST(Posts, TwoPeopleRoundTheClockWithFive) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[party_member]"}) + R"(
rules:
  - id: open
    title: a post staffed round the clock
    source: assumption
    note: test
    on: {day: 0}
    do:
      - open_post: {name: gate, roles: [party_member], staff_per_shift: 2, shifts: ["00:00-08:00", "08:00-16:00", "16:00-24:00"]}
)");
  const std::string path =
      dir.write("s.yaml", one_village({.name = "post24", .horizon_days = 3, .party_members = 5, .staff = R"(
party_member:
  - {count: 2, hours_per_day: 8, shift_start: "00:00"}
  - {count: 2, hours_per_day: 8, shift_start: "08:00"}
  - {count: 1, hours_per_day: 8, shift_start: "16:00"}
)"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  for (const auto& day : r.replicates[0].days[0]) {
    EXPECT_EQ(day.post_minutes_required, 48 * 60);
    EXPECT_EQ(day.post_minutes_staffed, 40 * 60);
  }
}

// A post whose night shift (00:00-08:00) nobody can take, and a day shift (08:00-16:00), one place
// each; two people work 08:00-16:00. The night shift is over when they arrive, so it is never taken
// (its latest start is 07:59): one person staffs the day shift, the other has nothing to do. Staffed
// 480 of 960 minutes and 480 minutes worked a day (taking the stale night shift at 08:00 would have
// cost the second person's whole day for 0 staffed minutes); the night place is late once a day.
TEST(Posts, ShiftsAreNotTakenAfterTheyEnd) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[party_member]"}) + R"(
rules:
  - id: open
    title: a post with a night and a day shift
    source: assumption
    note: test
    on: {day: 0}
    do:
      - open_post: {name: gate, roles: [party_member], staff_per_shift: 1, shifts: ["00:00-08:00", "08:00-16:00"]}
)");
  const std::string path = dir.write(
      "s.yaml", one_village({.name = "stale", .horizon_days = 2, .party_members = 2, .staff = "{party_member: 2}"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  ASSERT_FALSE(d.has_errors());
  for (const auto& day : r.replicates[0].days[0]) {
    EXPECT_EQ(day.post_minutes_required, 960);
    EXPECT_EQ(day.post_minutes_staffed, 480);
    EXPECT_EQ(day.tasks_late, 1);
  }
  EXPECT_EQ(r.replicates[0].roles[0].minutes_worked, 2 * 480);
}

// A first visit by a village cadre and the doctor together (`team:`). The cadre works 08:00-16:00,
// the doctor 10:00-18:00; two returnees are registered on day 0. The visits run 10:00-11:00 and
// 11:00-12:00, each taking an hour of both: 120 minutes worked and demanded for each role, two tasks
// done.
TEST(TeamTasks, JointVisitTakesEveryRole) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre, village_doctor]"}) + R"(
rules:
  - id: visit
    title: a joint first visit
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - create_task: {name: first_visit, team: [village_cadre, village_doctor], minutes: 60, within_hours: 24}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "team",
                                                            .horizon_days = 1,
                                                            .returnees = 2,
                                                            .staff = R"(
village_cadre: 1
village_doctor: {count: 1, shift_start: "10:00"}
)",
                                                            .arrival_days = "{first: -3, peak: -2, last: -1}"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  ASSERT_FALSE(d.has_errors());
  const auto& rep = r.replicates[0];
  EXPECT_EQ(rep.days[0][0].tasks_done, 2);
  for (int role = 0; role < 2; ++role) {
    EXPECT_EQ(rep.roles[size_t(role)].minutes_worked, 120) << role;
    EXPECT_EQ(rep.roles[size_t(role)].minutes_demanded, 120) << role;
    EXPECT_EQ(rep.roles[size_t(role)].busiest_minutes, 120) << role;
  }

  // Without a doctor the visits never start (late, kept): `check` warns that the team lacks a role.
  std::string text = read_file(path);
  text.replace(text.find("village_doctor: {count: 1,"), std::string("village_doctor: {count: 1,").size(),
               "village_doctor: {count: 0,");
  const std::string no_doctor = dir.write("s0.yaml", text);
  Diagnostics d0;
  const Model m0 = load_model(no_doctor, d0);
  ASSERT_FALSE(d0.has_errors());
  EXPECT_NE(d0.format().find("has role 'village_doctor' that team task 'first_visit' needs"), std::string::npos)
      << d0.format();
  const RunResult r0 = run_model(m0);
  EXPECT_EQ(r0.replicates[0].days[0][0].tasks_done, 0);
  EXPECT_EQ(r0.replicates[0].days[0][0].tasks_late, 2);
  EXPECT_EQ(r0.replicates[0].roles[0].minutes_worked, 0);
}

// Overtime: one cadre on 08:00-16:00 with one hour of overtime, nine returnees each needing a
// 60-minute screening on day 0. Eight fit the shift, the ninth runs 16:00-17:00 in overtime:
// 540 minutes worked, 60 of them overtime, 480 available (utilisation 540 / 480 > 1).
TEST(Overtime, WorkPastTheShiftEndIsCounted) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}) + R"(
rules:
  - id: screen
    title: screen
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - create_task: {name: screening, roles: [village_cadre], minutes: 60, within_hours: 24}
)");
  const std::string path =
      dir.write("s.yaml", one_village({.name = "overtime",
                                       .horizon_days = 1,
                                       .residents = 40,
                                       .returnees = 9,
                                       .staff = "{village_cadre: {count: 1, overtime_hours_per_day: 1}}",
                                       .arrival_days = "{first: -3, peak: -2, last: -1}"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  ASSERT_FALSE(d.has_errors());
  const auto& rt = r.replicates[0].roles[0];
  EXPECT_EQ(rt.minutes_worked, 540);
  EXPECT_EQ(rt.minutes_overtime, 60);
  EXPECT_EQ(rt.minutes_available, 480);
  EXPECT_EQ(r.replicates[0].days[0][0].tasks_done, 9);
}

// A rule restarting a one-day monitoring whenever it ends: each ends at 23:59 and starts again,
// looked at from the next day; the run ends and everyone stays monitored every day.
TEST(Monitoring, RestartingWhenItEndsDoesNotLoop) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]", .monitoring = "[home_observation]"}) + R"(
rules:
  - id: start
    title: start
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - start_monitoring: {kind: home_observation, days: 1}
  - id: again
    title: again
    source: assumption
    note: test
    on: {monitoring_ended: home_observation}
    do:
      - start_monitoring: {kind: home_observation, days: 1}
)");
  const std::string path = dir.write(
      "s.yaml",
      one_village(
          {.name = "loop", .horizon_days = 4, .returnees = 5, .arrival_days = "{first: -3, peak: -2, last: -1}"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  for (const auto& day : r.replicates[0].days[0]) EXPECT_EQ(day.monitored, 5);
}

// Lateness is judged at the end of the deadline's day. A 10-minute task due at 01:00 on day 0 (no
// cadre until day 1) is late at the end of day 0 and done at 08:00-08:10 on day 1; day 1's own,
// due at 01:00, is done at 08:10-08:20 that day: after its deadline, not late. So 1 late and 2 done
// after their deadline.
TEST(Deadlines, LateAtTheDaysEndAndDoneAfterTheDeadline) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}) + R"(
rules:
  - id: early
    title: a task due an hour after midnight
    source: assumption
    note: test
    on: {day: 0}
    do:
      - create_task: {name: early, roles: [village_cadre], minutes: 10, within_hours: 1}
  - id: early-again
    title: the same the next day
    source: assumption
    note: test
    on: {day: 1}
    do:
      - create_task: {name: early, roles: [village_cadre], minutes: 10, within_hours: 1}
)");
  const std::string path =
      dir.write("s.yaml", one_village({.name = "deadlines",
                                       .horizon_days = 3,
                                       .staff = "{village_cadre: {count: 1, hours_per_day: 8, available_from: 1}}"}));
  Diagnostics d;
  const RunResult r = run_model(load_model(path, d));
  const auto& days = r.replicates[0].days[0];
  EXPECT_EQ(days[0].tasks_late, 1);
  EXPECT_EQ(days[1].tasks_late, 0);
  EXPECT_EQ(days[1].tasks_done, 2);
  EXPECT_EQ(r.replicates[0].villages[0].tasks_late, 1);
  EXPECT_EQ(r.replicates[0].villages[0].tasks_done_after_deadline, 2);
}

}  // namespace
}  // namespace vg::sim
