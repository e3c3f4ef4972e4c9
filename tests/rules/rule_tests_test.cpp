#include "rules/rule_tests.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spec/policy.h"
#include "support/rule_test_run.h"
#include "support/temp_files.h"

namespace vg::rules {
namespace {

using vg::testing::has_error;
using vg::testing::TempDir;

// A small policy with nested events, a tracking, periods and after_event gating.
constexpr const char* kPolicy = R"(vocabulary:
  origins: [local, key_area]
  classes: [unscreened, general, key]
  key_classes: [key]
  roles: [village_cadre, village_doctor]
  attributes:
    - {name: flag_count, about: person, type: number}
    - {name: home_observation, about: person, type: bool}
    - {name: alert, about: village, type: bool}
  events:
    - {name: flagged, about: person}
    - {name: cleared, about: person}
    - {name: wartime, about: village}
rules:
  - id: screen
    title: Screen every returnee
    source: report
    priority: 80
    on: returnee_arrived
    do:
      - create_task: {name: screening, roles: [village_cadre], minutes: 20, within_hours: 24}
  - id: flag-key-area
    title: Flag a returnee from a key area
    source: report
    priority: 70
    on: returnee_arrived
    when: origin == "key_area"
    do:
      - raise: flagged
  - id: observe-flagged
    title: Observe a flagged person at home
    source: report
    on: {event: flagged}
    do:
      - set_class: key
      - set_attribute: {home_observation: true}
  - id: track-key
    title: Track a key person
    source: report
    on: {class_changed: key}
    do:
      - start_tracking: team
  - id: count-arrival
    title: Count an arrival
    source: report
    priority: 10
    on: returnee_arrived
    do:
      - set_attribute: {flag_count: 1}
  - id: spring-check
    title: A check in days 3 to 5 only
    source: report
    priority: 5
    from_day: 3
    until_day: 5
    on: returnee_arrived
    do:
      - set_attribute: {flag_count: 2}
  - id: classify-key-area
    title: Key area is key
    source: report
    priority: 90
    on: {task_done: screening}
    when: origin == "key_area"
    do:
      - set_class: key
  - id: classify-other
    title: Others are general
    source: report
    priority: 50
    on: {task_done: screening}
    when: origin != "key_area"
    do:
      - set_class: general
  - id: declare-wartime
    title: Day 10 the village goes on a wartime footing
    source: report
    priority: 100
    on: {day: 10}
    do:
      - raise: wartime
  - id: alarm
    title: Wartime raises the alarm
    source: report
    on: {event: wartime}
    do:
      - set_attribute: {alert: true}
  - id: first-wartime-measure
    title: On day 10, once at war, visit every household
    source: report
    priority: 50
    after_event: wartime
    on: {day: 10}
    do:
      - create_task: {name: first-visit, roles: [village_cadre], minutes: 10, within_hours: 24, for_each: household}
  - id: wartime-rounds
    title: Daily rounds once at war
    source: report
    after_event: wartime
    on: day_started
    do:
      - create_task: {name: rounds, roles: [village_cadre], minutes: 30, within_hours: 24}
  - id: release
    title: A cleared person is no longer tracked
    source: report
    on: {event: cleared}
    do:
      - end_tracking: team
  - id: after-release
    title: Home observation ends with the tracking
    source: report
    on: {tracking_ended: team}
    do:
      - set_attribute: {home_observation: false}
tracking:
  - id: team
    title: A team
    source: report
    days: 14
    team:
      - role: village_doctor
        duty: temperature check
        minutes_per_day: 15
)";

vg::testing::RuleTestRun run_tests(const TempDir& dir, const std::string& tests, const char* policy = kPolicy) {
  return vg::testing::run_rule_tests(dir, policy, tests);
}

TEST(RuleTests, ShippedReturneeTestsPass) {
  Diagnostics d;
  auto r = run_rule_test_files({VILLAGEGRID_SOURCE_DIR "/rules/tests/returnees.test.yaml"}, d);
  EXPECT_FALSE(d.has_errors()) << d.format();
  EXPECT_EQ(r.failed, 0) << r.output;
  EXPECT_EQ(r.not_run, 0);
  EXPECT_GE(r.passed, 5);
  EXPECT_EQ(r.output, std::to_string(r.passed) + " passed, 0 failed\n");
  EXPECT_EQ(r.exit_code(d), 0);
}

TEST(RuleTests, PassingTestsPass) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: key area screened is key
    event: {task_done: screening}
    person: {origin: key_area}
    expect:
      fired: [classify-key-area, track-key]
      not_fired: [classify-other]
      class: key
      tasks: []
      tracking: team
  - name: local screened is general
    event: {task_done: screening}
    expect:
      fired: [classify-other]
      class: general
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.passed, 2);
  EXPECT_EQ(r.report.failed, 0);
  EXPECT_EQ(r.report.output, "2 passed, 0 failed\n");
  EXPECT_EQ(r.report.exit_code(r.diags), 0);
}

TEST(RuleTests, WrongExpectationsFailWithMessageAndLocation) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: wrong class
    event: {task_done: screening}
    person: {origin: local}
    expect:
      class: key
      tasks: [screening]
      tracking: team
      not_fired: [classify-key-area, classify-other]
      attributes: {home_observation: true, flag_count: 3}
      fired: []
      raised: [flagged]
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.passed, 0);
  EXPECT_EQ(r.report.failed, 1);
  const std::string f = r.path + ":";
  EXPECT_EQ(r.report.output,
            f + "7:7: FAIL: test 'wrong class': expected class key, got general\n" + f +
                "8:7: FAIL: test 'wrong class': expected tasks [screening], got []\n" + f +
                "9:7: FAIL: test 'wrong class': expected tracking team, got none\n" + f +
                "10:38: FAIL: test 'wrong class': expected 'classify-other' not to fire, but it fired\n" + f +
                "11:20: FAIL: test 'wrong class': expected attribute home_observation true, got false\n" + f +
                "11:44: FAIL: test 'wrong class': expected attribute flag_count 3, got 0\n" + f +
                "12:7: FAIL: test 'wrong class': expected fired [], got [classify-other]\n" + f +
                "13:7: FAIL: test 'wrong class': expected raised [flagged], got []\n" + "0 passed, 1 failed\n");
  EXPECT_EQ(r.report.exit_code(r.diags), 1);
}

TEST(RuleTests, UnknownRuleIdIsADiagnosticWithDidYouMean) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: typo
    event: {task_done: screening}
    expect:
      fired: [classify-othr]
  - name: fine
    event: {task_done: screening}
    expect:
      fired: [classify-other]
)");
  EXPECT_TRUE(has_error(r.diags, r.path + ":6:15: unknown rule 'classify-othr'; did you mean 'classify-other'?"))
      << r.diags.format();
  EXPECT_EQ(r.report.not_run, 1);
  EXPECT_EQ(r.report.passed, 1);
  EXPECT_EQ(r.report.output, "1 passed, 0 failed, 1 not run\n");
  EXPECT_EQ(r.report.exit_code(r.diags), 2);
}

TEST(RuleTests, EveryNameIsChecked) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: many typos
    event: {task_done: screenin}
    person: {origin: key_aera, clas: key, residents: 3}
    village: {today: 4, housholds: 3}
    raised: [wartme, flagged]
    expect:
      class: kye
      tasks: [screning]
      tracking: tem
      attributes: {home_observaton: true, alert: 1}
      raised: [flaged]
      fird: []
  - name: village event
    event: day_started
    person: {origin: local}
    expect:
      class: key
  - name: bad event
    event: task_done
    expect: {}
)");
  const std::string f = r.path + ":";
  const std::vector<std::string> expected = {
      f + "4:24: unknown task 'screenin'; did you mean 'screening'?",
      f + "5:22: unknown origin 'key_aera'; did you mean 'key_area'?",
      f + "5:32: unknown key 'clas' in person; did you mean 'class'?",
      f + "5:43: 'residents' is about the village: write it under 'village'",
      f + "6:15: 'today' is the test's 'day'",
      f + "6:25: unknown key 'housholds' in village; did you mean 'households'?",
      f + "7:14: unknown event 'wartme'; did you mean 'wartime'?",
      f + "7:22: event 'flagged' is about a person",
      f + "9:14: unknown class 'kye'; did you mean 'key'?",
      f + "10:15: unknown task 'screning'; did you mean 'screening'?",
      f + "11:17: unknown tracking template 'tem'; did you mean 'team'?",
      f + "12:20: unknown attribute 'home_observaton'; did you mean 'home_observation'?",
      f + "12:50: expected true or false for attribute 'alert'",
      f + "13:16: unknown event 'flaged'; did you mean 'flagged'?",
      f + "14:7: unknown key 'fird' in expect; did you mean 'fired'?",
      f + "17:5: this test's event (day_started) is about a village; 'person' is only for events about a person",
      f + "19:7: 'class' is about a person, but this test's event (day_started) is about a village",
      f + "21:12: event 'task_done' needs a value in a test: write `event: {task_done: TASK}`",
  };
  for (const auto& e : expected) EXPECT_TRUE(has_error(r.diags, e)) << e << "\n" << r.diags.format();
  EXPECT_EQ(r.report.not_run, 3);
  EXPECT_EQ(r.report.exit_code(r.diags), 2);
}

TEST(RuleTests, NestedFiringsAppearInOrder) {
  TempDir dir;
  // flag-key-area raises `flagged`; observe-flagged hears it and sets class key, which
  // dispatches class_changed to track-key; then the arrival rules go on with count-arrival.
  auto r = run_tests(dir, R"(  - name: nested
    event: returnee_arrived
    person: {origin: key_area}
    expect:
      fired: [screen, flag-key-area, observe-flagged, track-key, count-arrival]
      tasks: [screening]
      class: key
      tracking: team
      raised: [flagged]
      attributes: {home_observation: true, flag_count: 1}
  - name: not nested for a local
    event: returnee_arrived
    expect:
      fired: [screen, count-arrival]
      class: unscreened
      tracking: none
      raised: []
  - name: already tracked, a second start is a no-op
    event: {class_changed: key}
    person: {class: key, tracked: true}
    expect:
      fired: [track-key]
      tracking: none
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "3 passed, 0 failed\n");
}

TEST(RuleTests, SetClassToTheSameClassDispatchesNothing) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: already key
    event: {event: flagged}
    person: {class: key}
    expect:
      fired: [observe-flagged]
      class: key
      tracking: none
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "1 passed, 0 failed\n");
}

TEST(RuleTests, AfterEventGating) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: no rounds before the war
    event: day_started
    day: 4
    expect:
      fired: []
      tasks: []
  - name: rounds once the war was declared
    event: day_started
    day: 4
    raised: [wartime]
    expect:
      fired: [wartime-rounds]
      tasks: [rounds]
  - name: a rule raising the event opens the gate for the rules after it
    event: {day: 10}
    village: {households: 3}
    expect:
      fired: [declare-wartime, alarm, first-wartime-measure]
      raised: [wartime]
      tasks: [first-visit]
      attributes: {alert: true}
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "3 passed, 0 failed\n");
}

TEST(RuleTests, EffectivePeriods) {
  TempDir dir;
  std::string tests;
  for (int day : {2, 3, 5, 6}) {
    const bool in = day >= 3 && day <= 5;
    tests += "  - name: day " + std::to_string(day) + "\n    event: returnee_arrived\n    day: " + std::to_string(day) +
             "\n    expect:\n      fired: [screen, count-arrival" + (in ? ", spring-check" : "") +
             "]\n      attributes: {flag_count: " + (in ? "2" : "1") + "}\n";
  }
  auto r = run_tests(dir, tests);
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "4 passed, 0 failed\n");
}

TEST(RuleTests, EndTrackingDispatchesTrackingEndedAtOnce) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: cleared
    event: {event: cleared}
    person: {tracked: true, home_observation: true}
    expect:
      fired: [release, after-release]
      tracked: false
      attributes: {home_observation: false}
  - name: not tracked, nothing ends
    event: {event: cleared}
    person: {home_observation: true}
    expect:
      fired: [release]
      tracked: false
      attributes: {home_observation: true}
  - name: wrongly expected to be still tracked
    event: {event: cleared}
    person: {tracked: true}
    expect:
      tracked: true
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_NE(r.report.output.find(":21:7: FAIL: test 'wrongly expected to be still tracked': expected the person "
                                 "tracked afterwards, got not tracked\n"),
            std::string::npos)
      << r.report.output;
  EXPECT_NE(r.report.output.find("2 passed, 1 failed\n"), std::string::npos) << r.report.output;
}

TEST(RuleTests, TrackedIsAboutAPerson) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: village event
    event: day_started
    expect:
      tracked: false
)");
  EXPECT_TRUE(has_error(r.diags, "'tracked' is about a person, but this test's event (day_started) is about a village"))
      << r.diags.format();
}

TEST(RuleTests, DayEventFixesToday) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: conflicting day
    event: {day: 10}
    day: 9
    expect: {}
)");
  EXPECT_TRUE(has_error(r.diags, ":5:10: a {day: 10} event happens on day 10")) << r.diags.format();
}

TEST(RuleTests, BadPolicyIsExitTwo) {
  TempDir dir;
  dir.write("bad.yaml", "rules:\n  - id: x\n    title: t\n    source: report\n    on: returnee_arived\n    do: []\n");
  auto path =
      dir.write("t.test.yaml",
                "policy: [bad.yaml, missing.yaml]\ntests:\n  - name: a\n    event: returnee_arrived\n    expect: {}\n");
  Diagnostics d;
  auto r = run_rule_test_files({path}, d);
  EXPECT_TRUE(has_error(d, path + ":1:20: no such policy file 'missing.yaml'")) << d.format();
  EXPECT_EQ(r.not_run, 1);
  EXPECT_EQ(r.exit_code(d), 2);

  auto path2 =
      dir.write("t2.test.yaml", "policy: bad.yaml\ntests:\n  - name: a\n    event: returnee_arrived\n    expect: {}\n");
  Diagnostics d2;
  auto r2 = run_rule_test_files({path2}, d2);
  EXPECT_TRUE(has_error(d2, "unknown trigger 'returnee_arived'; did you mean 'returnee_arrived'?")) << d2.format();
  EXPECT_EQ(r2.not_run, 1);
  EXPECT_EQ(r2.output, "0 passed, 0 failed, 1 not run\n");
  EXPECT_EQ(r2.exit_code(d2), 2);
}

TEST(RuleTests, UnknownTopLevelKeyAndMissingExpect) {
  TempDir dir;
  dir.write("policy.yaml", kPolicy);
  auto path = dir.write("t.test.yaml", "policy: [policy.yaml]\ntest: []\n");
  Diagnostics d;
  auto r = run_rule_test_files({path}, d);
  EXPECT_TRUE(has_error(d, path + ":2:1: unknown key 'test' in rule test file; did you mean 'tests'?")) << d.format();
  EXPECT_EQ(r.exit_code(d), 2);

  auto path2 = dir.write("t2.test.yaml", "policy: [policy.yaml]\ntests:\n  - name: a\n    event: returnee_arrived\n");
  Diagnostics d2;
  auto r2 = run_rule_test_files({path2}, d2);
  EXPECT_TRUE(has_error(d2, path2 + ":3:5: missing required key 'expect' in test")) << d2.format();
  EXPECT_EQ(r2.not_run, 1);
  EXPECT_EQ(r2.exit_code(d2), 2);
}

TEST(RuleTests, SeveralFilesShareOnePolicy) {
  TempDir dir;
  dir.write("policy.yaml", kPolicy);
  const std::string body =
      "policy: [policy.yaml]\ntests:\n  - name: a\n    event: returnee_arrived\n    expect:\n      fired: [screen, "
      "count-arrival]\n";
  auto a = dir.write("a.test.yaml", body);
  auto b = dir.write("sub/b.test.yaml",
                     "policy: [../policy.yaml]\ntests:\n  - name: b\n    event: returnee_arrived\n    expect:\n      "
                     "fired: [screen]\n");
  Diagnostics d;
  auto r = run_rule_test_files({a, b}, d);
  EXPECT_FALSE(d.has_errors()) << d.format();
  EXPECT_EQ(r.passed, 1);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.output,
            b + ":6:7: FAIL: test 'b': expected fired [screen], got [screen, count-arrival]\n1 passed, 1 failed\n");
}

// Monitoring, posts, delayed raises and task copies.
constexpr const char* kMonitoringPolicy = R"(vocabulary:
  origins: [local, key_area]
  classes: [unscreened, key]
  key_classes: [key]
  roles: [village_cadre, village_doctor, party_member]
  monitoring: [home_observation, key_monitoring, isolation]
  attributes:
    - {name: released, about: person, type: bool}
    - {name: rechecked, about: person, type: bool}
    - {name: crowded, about: person, type: bool}
    - {name: at_peace, about: village, type: bool}
  events:
    - {name: exposed, about: person}
    - {name: fever, about: person}
    - {name: cleared, about: person}
    - {name: discharged, about: person}
    - {name: recheck, about: person}
    - {name: wartime, about: village}
    - {name: peace, about: village}
rules:
  - id: observe-exposed
    title: An exposed person is observed at home for 14 days and rechecked 2 h later
    source: report
    on: {event: exposed}
    do:
      - start_monitoring: {kind: home_observation, days: 14}
      - raise: {event: recheck, after_hours: 2}
  - id: isolate-fever
    title: A person with fever is isolated for 7 days
    source: report
    priority: 10
    on: {event: fever}
    do:
      - start_monitoring: {kind: isolation, days: 7}
  - id: crowded
    title: Two or more under monitoring, with this one isolated
    source: report
    on: {event: fever}
    when: monitoring == "isolation" and monitored >= 2
    do:
      - set_attribute: {crowded: true}
  - id: clear-observation
    title: A cleared person leaves home observation
    source: report
    on: {event: cleared}
    do:
      - end_monitoring: home_observation
  - id: discharge
    title: A discharged person leaves any monitoring
    source: report
    on: {event: discharged}
    do:
      - end_monitoring: any
  - id: after-observation
    title: Released from home observation
    source: report
    on: {monitoring_ended: home_observation}
    do:
      - set_attribute: {released: true}
  - id: after-any
    title: A follow-up call after any monitoring
    source: report
    on: monitoring_ended
    do:
      - create_task: {name: follow-up, roles: [village_doctor], minutes: 10, within_hours: 24}
  - id: recheck
    title: The recheck
    source: report
    on: {event: recheck}
    do:
      - set_attribute: {rechecked: true}
  - id: declare-wartime
    title: Day 3 the village goes on a wartime footing
    source: report
    on: {day: 3}
    do:
      - raise: wartime
  - id: open-checkpoint
    title: At war, a checkpoint is staffed in two shifts and the party members meet
    source: report
    on: {event: wartime}
    do:
      - open_post: {name: checkpoint, roles: [village_cadre, party_member], staff_per_shift: 2, shifts: ["06:00-14:00", "14:00-22:00"]}
      - create_task: {name: meeting-seat, roles: [party_member], minutes: 60, within_hours: 12, copies: 3}
  - id: stand-down
    title: Day 20 the checkpoint closes; peace is declared in half an hour
    source: report
    on: {day: 20}
    do:
      - close_post: checkpoint
      - raise: {event: peace, after_hours: 0.5}
  - id: celebrate
    title: Peace
    source: report
    on: {event: peace}
    do:
      - set_attribute: {at_peace: true}
)";

TEST(RuleTests, StartAndEndMonitoringLikeTheEngine) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: exposed, observed at home; the recheck is raised for later
    event: {event: exposed}
    expect:
      fired: [observe-exposed]
      monitoring: {kind: home_observation, days: 14}
      raised: [recheck]
      attributes: {rechecked: false}
  - name: isolation replaces home observation; monitored stays 1
    event: {event: fever}
    person: {monitoring: home_observation}
    expect:
      fired: [isolate-fever]
      monitoring: isolation
      attributes: {crowded: false}
  - name: a newly monitored person adds to monitored
    event: {event: fever}
    village: {monitored: 1}
    expect:
      fired: [isolate-fever, crowded]
      monitoring: {kind: isolation, days: 7}
      attributes: {crowded: true}
  - name: the end of home observation dispatches monitoring_ended at once
    event: {event: cleared}
    person: {monitoring: home_observation}
    expect:
      fired: [clear-observation, after-observation, after-any]
      monitoring: none
      tasks: [follow-up]
      attributes: {released: true}
  - name: end_monitoring of another kind does nothing
    event: {event: cleared}
    person: {monitoring: isolation}
    expect:
      fired: [clear-observation]
      monitoring: isolation
      tasks: []
  - name: end_monitoring any ends isolation
    event: {event: discharged}
    person: {monitoring: isolation}
    expect:
      fired: [discharge, after-any]
      monitoring: none
      attributes: {released: false}
  - name: end_monitoring any of nobody monitored does nothing
    event: {event: discharged}
    expect:
      fired: [discharge]
      monitoring: none
)",
                     kMonitoringPolicy);
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "7 passed, 0 failed\n");
}

TEST(RuleTests, MonitoringEndedEvent) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: home observation ran out
    event: {monitoring_ended: home_observation}
    expect:
      fired: [after-observation, after-any]
      monitoring: none
      tasks: [follow-up]
  - name: isolation ran out
    event: {monitoring_ended: isolation}
    expect:
      fired: [after-any]
      attributes: {released: false}
)",
                     kMonitoringPolicy);
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "2 passed, 0 failed\n");
}

TEST(RuleTests, PostsOpenAndCloseAndCopiesAreListed) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: wartime opens the checkpoint and seats three
    event: {day: 3}
    expect:
      fired: [declare-wartime, open-checkpoint]
      posts_opened: [checkpoint]
      posts_closed: []
      tasks: [meeting-seat, meeting-seat, meeting-seat]
  - name: a post open already is not opened again
    event: {event: wartime}
    open_posts: [checkpoint]
    expect:
      fired: [open-checkpoint]
      posts_opened: []
  - name: the checkpoint closes; peace comes later
    event: {day: 20}
    open_posts: [checkpoint]
    expect:
      fired: [stand-down]
      posts_closed: [checkpoint]
      raised: [peace]
      attributes: {at_peace: false}
  - name: a closed post is not closed again
    event: {day: 20}
    expect:
      posts_closed: []
)",
                     kMonitoringPolicy);
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "4 passed, 0 failed\n");
}

TEST(RuleTests, NewExpectationsFailWithMessages) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: wrong monitoring
    event: {event: exposed}
    expect:
      monitoring: isolation
      raised: []
  - name: wrong days
    event: {event: exposed}
    expect:
      monitoring: {kind: home_observation, days: 7}
  - name: days unknown
    event: {event: cleared}
    person: {monitoring: isolation}
    expect:
      monitoring: {kind: isolation, days: 7}
  - name: posts
    event: {day: 20}
    expect:
      posts_opened: [checkpoint]
      posts_closed: [checkpoint]
)",
                     kMonitoringPolicy);
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  const std::string f = r.path + ":";
  EXPECT_EQ(r.report.output,
            f + "6:7: FAIL: test 'wrong monitoring': expected monitoring isolation, got home_observation\n" + f +
                "7:7: FAIL: test 'wrong monitoring': expected raised [], got [recheck (in 2 h, not dispatched)]\n" + f +
                "11:7: FAIL: test 'wrong days': expected monitoring home_observation for 7 days, got home_observation "
                "for 14 days\n" +
                f +
                "16:7: FAIL: test 'days unknown': expected monitoring isolation for 7 days, got isolation (as the test "
                "set it: no rule started it, so its days are not known)\n" +
                f + "20:7: FAIL: test 'posts': expected posts_opened [checkpoint], got []\n" + f +
                "21:7: FAIL: test 'posts': expected posts_closed [checkpoint], got [] (close_post closes only an open "
                "post: list 'checkpoint' in the test's open_posts)\n" +
                "0 passed, 4 failed\n");
}

TEST(RuleTests, NewNamesAreChecked) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: typos
    event: {monitoring_ended: isolaton}
    person: {monitoring: home_observaton, monitored: 1}
    village: {monitoring: none}
    open_posts: [chekpoint]
    expect:
      monitoring: isolaton
      posts_opened: [chekpoint]
      posts_closed: [checkpoin]
  - name: days of none
    event: {event: fever}
    expect:
      monitoring: {kind: none, days: 3}
  - name: a village event
    event: {day: 3}
    expect:
      monitoring: none
  - name: no kind
    event: monitoring_ended
    expect: {}
  - name: monitoring at monitoring_ended
    event: {monitoring_ended: isolation}
    person: {monitoring: isolation}
    expect: {}
  - name: monitored too small
    event: {event: fever}
    person: {monitoring: isolation}
    village: {monitored: 0}
    expect: {}
)",
                     kMonitoringPolicy);
  const std::string f = r.path + ":";
  const std::vector<std::string> expected = {
      f + "4:31: unknown monitoring kind 'isolaton'; did you mean 'isolation'?",
      f + "5:26: unknown monitoring kind 'home_observaton'; did you mean 'home_observation'?",
      f + "5:43: 'monitored' is about the village: write it under 'village'",
      f + "6:15: 'monitoring' is about the person: write it under 'person'",
      f + "7:18: unknown post 'chekpoint'; did you mean 'checkpoint'?",
      f + "9:19: unknown monitoring kind 'isolaton'; did you mean 'isolation'?",
      f + "10:22: unknown post 'chekpoint'; did you mean 'checkpoint'?",
      f + "11:22: unknown post 'checkpoin'; did you mean 'checkpoint'?",
      f + "15:32: 'days' is for a monitoring; write `monitoring: none` to expect none",
      f + "19:7: 'monitoring' is about a person, but this test's event ({day: 3}) is about a village",
      f + "21:12: event 'monitoring_ended' needs a value in a test: write `event: {monitoring_ended: KIND}`",
      f + "25:14: at monitoring_ended the person's monitoring has ended already",
      f + "30:15: the person is under monitoring (isolation), so the village's 'monitored' is at least 1",
  };
  for (const auto& e : expected) EXPECT_TRUE(has_error(r.diags, e)) << e << "\n" << r.diags.format();
  EXPECT_EQ(r.report.not_run, 6);
  EXPECT_EQ(r.report.exit_code(r.diags), 2);
}

// The supply keys of actions (uses, if_short, degraded_detection, uses_per_day) are read by rule
// tests like any other: the actions are listed, the supplies are the engine's business.
TEST(RuleTests, SupplyKeysInActionsAreAccepted) {
  TempDir dir;
  auto r = run_tests(dir, R"(  - name: a returnee is screened, observed and a post opens
    event: returnee_arrived
    expect:
      fired: [screen-and-observe, post]
      tasks: [screening]
      monitoring: {kind: home_observation, days: 14}
      posts_opened: [gate]
)",
                     R"(vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
  monitoring: [home_observation]
  supplies: [masks, thermometer_guns]
rules:
  - id: screen-and-observe
    title: screen and observe
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - create_task: {name: screening, roles: [village_cadre], minutes: 10, within_hours: 24,
                      uses: {thermometer_guns: 1}, if_short: degrade, degraded_detection: 0.4}
      - start_monitoring: {kind: home_observation, days: 14, uses_per_day: {masks: 2}}
  - id: post
    title: a post
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - open_post: {name: gate, roles: [village_cadre], shifts: ["08:00-16:00"], uses: {masks: 1}, if_short: skip}
)");
  EXPECT_FALSE(r.diags.has_errors()) << r.diags.format();
  EXPECT_EQ(r.report.output, "1 passed, 0 failed\n");
}

// The policy loader and the rule-test reader read triggers from one table (kTriggerSyntax): every
// trigger is known to both, and every trigger that needs a value says so
// (rule_test_events_test.cpp has the test side).
TEST(RuleTests, EveryTriggerOfTheTableIsReadByPoliciesAndTests) {
  for (const auto& syntax : kTriggerSyntax) {
    TempDir dir;
    const std::string name(syntax.name);
    dir.write("p.yaml",
              "vocabulary:\n  origins: [local]\n  classes: [unscreened]\n  roles: [village_cadre]\n"
              "rules:\n  - id: r\n    title: t\n    source: assumption\n    note: n\n    on: " +
                  name +
                  "\n    do:\n      - create_task: {name: x, roles: [village_cadre], minutes: 1, within_hours: 1}\n");
    auto path =
        dir.write("t.test.yaml", "policy: [p.yaml]\ntests:\n  - name: a\n    event: " + name + "\n    expect: {}\n");
    Diagnostics d;
    run_rule_test_files({path}, d);
    if (syntax.value == TriggerSyntax::Value::Required) {
      EXPECT_TRUE(has_error(d, "trigger '" + name + "' needs a value: write `on: {" + name + ": ")) << d.format();
    } else {
      EXPECT_FALSE(has_error(d, "unknown trigger")) << d.format();
      if (syntax.value == TriggerSyntax::Value::None) {
        EXPECT_FALSE(has_error(d, "unknown event")) << d.format();
      }
    }
  }
}

}  // namespace
}  // namespace vg::rules
