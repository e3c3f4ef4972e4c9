// `plan` on cases computed by hand. Returnees registered at day 0, 00:00 are screened in 20
// minutes by cadres working 08:00-16:00: 24 screenings per cadre-day. All of 100 within 24 h needs
// ceil(100 / 24) = 5 cadres (4 manage 96); 95% of 100 needs ceil(95 / 24) = 4, 95% of 300
// ceil(285 / 24) = 12.
#include <gtest/gtest.h>

#include "analysis/plan.h"
#include "analysis/plan_roster.h"
#include "metrics/summary.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::screen_rule;
using vg::testing::TempDir;

const std::string kClassify = R"(  - id: classify
    title: classify
    source: assumption
    note: test
    on: {task_done: screening}
    do:
      - set_class: general
)";

void write_rules(const TempDir& dir) { dir.write("rules.yaml", "\nrules:\n" + screen_rule(20) + kClassify); }

std::string write_case(const TempDir& dir, int cadres = 1,
                       const std::string& arrivals = "{first: -2, peak: -1, last: -0.5}") {
  write_rules(dir);
  return dir.write("s.yaml",
                   one_village({.name = "plan-case",
                                .horizon_days = 3,
                                .seed = 3,
                                .replicates = 5,
                                .rules = {std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/vocabulary.yaml", "rules.yaml"},
                                .residents = 100,
                                .returnees = 100,
                                .staff = "{village_cadre: {count: " + std::to_string(cadres) + ", hours_per_day: 8}}",
                                .origin_mix = "{other_province: 1.0}",
                                .arrival_days = arrivals}));
}

// Two villages of one town with no town staff: A with `a` returnees, B with `b`; `staff_a` and
// `staff_b` are their `staff:` flow mappings.
std::string write_two_villages(const TempDir& dir, int a, int b, const std::string& staff_a, const std::string& staff_b,
                               int replicates = 3, const std::string& arrivals = "{first: -2, peak: -1, last: -0.5}") {
  write_rules(dir);
  auto village = [](const std::string& name, int returnees, const std::string& staff) {
    return "        - {name: " + name + ", residents: " + std::to_string(2 * returnees + 20) +
           ", mean_household_size: 4, party_members: 5, returnees: " + std::to_string(returnees) + ", staff: " + staff +
           "}\n";
  };
  return dir.write("two.yaml",
                   "scenario: {name: two, start_date: 2020-01-24, horizon_days: 3, seed: 5, replicates: " +
                       std::to_string(replicates) + "}\npolicy: {rules: [" + VILLAGEGRID_SOURCE_DIR +
                       "/rules/vocabulary.yaml, rules.yaml]}\nregion:\n  towns:\n    - name: T\n      villages:\n" +
                       village("A", a, staff_a) + village("B", b, staff_b) +
                       "returnees:\n  origin_mix: {other_province: 1.0}\n  arrival_days: " + arrivals + "\n");
}

PlanRequest request(const std::string& target, const std::vector<std::string>& vary, double share, Diagnostics& d) {
  PlanRequest req;
  req.targets = {target};
  for (const auto& v : vary) req.vary.push_back(*parse_vary(v, d));
  req.required_share = share;
  return req;
}

int answer(const PlanPart& p, size_t role = 0) { return p.best ? p.candidates[*p.best].counts[role] : -1; }

TEST(Plan, FindsTheHandComputedRoster) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  PlanRequest req = request("screened_within_24h_share >= 1", {"village_cadre=1..8"}, 1.0, d);
  for (PlanSearch search : {PlanSearch::Smart, PlanSearch::Exhaustive}) {
    req.search = search;
    PlanResult res = run_plan(base, req, d);
    ASSERT_EQ(res.parts.size(), 1u);  // one village, its town without staff: planned as a village
    const PlanPart& p = res.parts[0];
    EXPECT_FALSE(p.is_town);
    ASSERT_TRUE(p.best.has_value());
    EXPECT_EQ(answer(p), 5);
    EXPECT_DOUBLE_EQ(p.candidates[*p.best].cost, 5);
    ASSERT_FALSE(p.runners_up.empty());
    EXPECT_EQ(p.candidates[p.runners_up[0]].counts[0], 4);  // closest: 96 of 100
    const size_t m = size_t(res.target_metrics[0][0]);
    EXPECT_EQ(res.metric_names[m], "screened_within_24h_share");
    EXPECT_DOUBLE_EQ(p.candidates[p.runners_up[0]].metric_means[m], 0.96);
    EXPECT_EQ(p.binding_roles, std::vector<std::string>{"village_cadre"});
    // The check: the answer on every replicate, with its interval.
    EXPECT_EQ(res.check.replicates, 5);
    EXPECT_EQ(res.check.met, 5);
    EXPECT_EQ(res.check.part_met[0], 5);
    EXPECT_DOUBLE_EQ(res.check.cost, 5);
    EXPECT_EQ(res.answer.towns[0].villages[0].staff[0].count, 5);
    EXPECT_TRUE(p.warnings.empty()) << p.warnings[0];
    EXPECT_EQ(p.candidates[*p.best].people, std::vector<int>{5});
    if (search == PlanSearch::Exhaustive) {  // cheapest first, nothing dearer than the answer run
      for (const auto& c : p.candidates) EXPECT_LE(c.counts[0], 5);
      EXPECT_EQ(p.candidates.size(), 5u);
    } else {
      EXPECT_LE(p.candidates.size(), 4u);  // bisection over 8 values
    }
    // A range starting at the answer: 5 is the bottom of 5..8, so fewer were not tried; said.
    PlanRequest low = request("screened_within_24h_share >= 1", {"village_cadre=5..8"}, 1.0, d);
    low.search = search;
    const PlanResult at_bottom = run_plan(base, low, d);
    EXPECT_EQ(answer(at_bottom.parts[0]), 5);
    EXPECT_TRUE(at_bottom.parts[0].binding_roles.empty());
    ASSERT_EQ(at_bottom.parts[0].warnings.size(), 1u);
    EXPECT_EQ(at_bottom.parts[0].warnings[0],
              "village_cadre=5 is the bottom of its range: fewer may meet the targets too (lower the range's "
              "minimum to find out)");
  }
}

// No answer, and more cadres would help: 1 cadre screens 24 of the 100 within 24 h, 2 cadres 48 (the
// hand-computed case), so doubling them moves the failing target's metric from 0.24 to 0.48, and
// the plan says to widen the ranges; the bottleneck is named.
// An answer met in enough of the replicates run, but too few to show the share asked: said with the
// part (a newcomer's "90% of runs" answer was a different roster at 20, 60 and 100 replicates).
// Here every one of 5 replicates meets the targets at village_cadre 5; 90% asked needs 35.
TEST(Plan, AnAnswerTooFewReplicatesCanSettleIsWarnedOf) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  const PlanRequest req = request("screened_within_24h_share >= 1", {"village_cadre=1..8"}, 0.9, d);
  const PlanResult res = run_plan(base, req, d);
  const PlanPart& p = res.parts[0];
  ASSERT_TRUE(p.best.has_value());
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0],
            "the answer meets the targets in 5 of 5 replicates (100%; 95% Wilson interval 57% to 100%), an interval "
            "that reaches below the 90% asked: not settled, and more replicates may fail it (--replicates; even all "
            "meeting them shows 90% only from 35 replicates)");
}

TEST(Plan, WithoutAnAnswerSaysWhetherMoreStaffWouldHelp) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  PlanRequest req = request("screened_within_24h_share >= 1", {"village_cadre=1..2"}, 1.0, d);
  for (PlanSearch search : {PlanSearch::Smart, PlanSearch::Exhaustive}) {
    req.search = search;
    const PlanResult res = run_plan(base, req, d);
    ASSERT_EQ(res.parts.size(), 1u);
    const PlanPart& p = res.parts[0];
    EXPECT_FALSE(p.best.has_value());
    ASSERT_TRUE(p.half && p.top);
    EXPECT_EQ(p.candidates[*p.half].counts[0], 1);
    EXPECT_EQ(p.candidates[*p.top].counts[0], 2);
    EXPECT_EQ(p.candidates[*p.half].replicates, p.candidates[*p.top].replicates);  // the same replicates
    ASSERT_EQ(p.response.size(), 1u);
    EXPECT_EQ(res.metric_names[p.response[0].metric], "screened_within_24h_share");
    EXPECT_DOUBLE_EQ(p.response[0].half, 0.24);
    EXPECT_DOUBLE_EQ(p.response[0].top, 0.48);
    EXPECT_TRUE(p.more_staff_helps);
    EXPECT_TRUE(res.check.varied_roles_bind);
    EXPECT_EQ(res.check.bottleneck, "village_cadre");
  }
}

// Not monotone: the targets hold in a middle band (screened within 24 h: 1 cadre 24%, 2 48%, 3 72%,
// 4 or more 96%, against 40% to 80%), so the top of 1..8 fails while 2 and 3 meet them. The smart
// search took the top's failure to rule out every roster below it and answered none; it now asks
// about 1/8, 2/8 ... of the top, and from the first that meets the targets (2) searches below it:
// the exhaustive search's answer, with a warning that says so.
TEST(Plan, ATopThatFailsDoesNotRuleOutEveryRosterBelowIt) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  PlanRequest req = request("screened_within_24h_share >= 0.4", {"village_cadre=1..8"}, 1.0, d);
  req.targets.push_back("screened_within_24h_share <= 0.8");
  for (PlanSearch search : {PlanSearch::Exhaustive, PlanSearch::Smart}) {
    req.search = search;
    const PlanResult res = run_plan(base, req, d);
    ASSERT_FALSE(d.has_errors());
    const PlanPart& p = res.parts[0];
    EXPECT_EQ(answer(p), 2);
    EXPECT_TRUE(res.all_parts_answered);
    if (search == PlanSearch::Exhaustive) {
      EXPECT_FALSE(p.searched_below.has_value());  // it assumes nothing: no rerun to report
      continue;
    }
    ASSERT_TRUE(p.searched_below.has_value());
    EXPECT_EQ(p.candidates[*p.searched_below].counts[0], 2);
    ASSERT_FALSE(p.warnings.empty());
    // Both shares, settled: the top's failure and the answer's success.
    EXPECT_NE(
        p.warnings[0].find("the top of the ranges (village_cadre=8) failed the targets (met in 0 of 5 replicates, 0%; "
                           "95% Wilson interval 0% to 43%) but rosters with fewer of the varied roles met them "
                           "(the answer, met in 5 of 5 replicates, 100%; 95% Wilson interval 57% to 100%)"),
        std::string::npos)
        << p.warnings[0];
    EXPECT_NE(p.warnings[0].find("no more of any role than village_cadre=2 (--search"), std::string::npos)
        << p.warnings[0];
    EXPECT_EQ(p.warnings[0].find("may be chance"), std::string::npos) << p.warnings[0];  // 0% against 100%
    EXPECT_EQ(p.candidates[*p.best].replicates, 5);  // the answer settled on every replicate
  }
}

// The same band with 20 replicates and half of them asked: the top's first window (5 replicates,
// none meeting the targets) leaves its failure provisional. An answer found below it rests on that
// failure (it is why the search went below), so the top is run on until settled before the answer
// stands (it stayed at 5 replicates, and the warning said "failed" from them).
TEST(Plan, AnAnswerFoundBelowAFailingTopWaitsForTheTopToSettle) {
  TempDir dir;
  Diagnostics d;
  const std::string file = write_case(dir);
  Model base = load_model(file, d);
  base.replicates = 20;
  PlanRequest req = request("screened_within_24h_share >= 0.4", {"village_cadre=1..8"}, 0.5, d);
  req.targets.push_back("screened_within_24h_share <= 0.8");
  const PlanResult res = run_plan(base, req, d);
  ASSERT_FALSE(d.has_errors());
  const PlanPart& p = res.parts[0];
  EXPECT_EQ(answer(p), 2);
  ASSERT_TRUE(p.searched_below.has_value());
  const Candidate* top = nullptr;
  for (const auto& c : p.candidates)
    if (c.counts[0] == 8) top = &c;
  ASSERT_NE(top, nullptr);
  EXPECT_TRUE(top->settled);
  EXPECT_FALSE(top->feasible);
  EXPECT_EQ(top->replicates, 10);  // settled at 10: 0 of 10, the 99% Wilson interval below 50%
  ASSERT_FALSE(p.warnings.empty());
  EXPECT_NE(p.warnings[0].find("failed the targets (met in 0 of 10 replicates"), std::string::npos) << p.warnings[0];
}

// No answer, and more cadres would not help: the screening is asked for 48 hours after arrival (a
// rule's delayed raise), so none is screened within 24 h of arrival whatever the roster. The half
// roster (4 of 1..8) and the top (8) both give 0: the plan says staff are not what holds the target
// back, and names no bottleneck role.
TEST(Plan, WithoutAnAnswerSaysWhenMoreStaffWouldNotHelp) {
  TempDir dir;
  Diagnostics d;
  dir.write("delayed.yaml", R"(
vocabulary:
  events:
    - {name: came_forward, about: person}
rules:
  - id: wait
    title: wait
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - raise: {event: came_forward, after_hours: 48}
  - id: screen
    title: screen
    source: assumption
    note: test
    on: {event: came_forward}
    do:
      - create_task: {name: screening, roles: [village_cadre], minutes: 20, within_hours: 24, counts_as: screening}
)");
  Model base = load_model(
      dir.write("s.yaml",
                one_village({.name = "delayed",
                             .horizon_days = 4,
                             .seed = 3,
                             .replicates = 5,
                             .rules = {std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/vocabulary.yaml", "delayed.yaml"},
                             .residents = 100,
                             .returnees = 100,
                             .staff = "{village_cadre: {count: 1, hours_per_day: 8}}",
                             .origin_mix = "{other_province: 1.0}",
                             .arrival_days = "{first: -2, peak: -1, last: -0.5}"})),
      d);
  ASSERT_FALSE(d.has_errors());
  PlanRequest req = request("screened_within_24h_of_arrival_share >= 0.5", {"village_cadre=1..8"}, 1.0, d);
  for (PlanSearch search : {PlanSearch::Smart, PlanSearch::Exhaustive}) {
    req.search = search;
    const PlanResult res = run_plan(base, req, d);
    const PlanPart& p = res.parts[0];
    EXPECT_FALSE(p.best.has_value());
    ASSERT_TRUE(p.half && p.top);
    EXPECT_EQ(p.candidates[*p.half].counts[0], 4);
    EXPECT_EQ(p.candidates[*p.top].counts[0], 8);
    ASSERT_EQ(p.response.size(), 1u);
    EXPECT_EQ(p.response[0].half, 0);
    EXPECT_EQ(p.response[0].top, 0);
    EXPECT_FALSE(p.more_staff_helps);
    EXPECT_FALSE(res.check.varied_roles_bind);
    EXPECT_EQ(res.check.bottleneck, "");
  }
  // With one value there is no half roster to compare: nothing is claimed.
  const PlanResult one =
      run_plan(base, request("screened_within_24h_of_arrival_share >= 0.5", {"village_cadre=3..3"}, 1.0, d), d);
  EXPECT_FALSE(one.parts[0].half.has_value());
  EXPECT_TRUE(one.parts[0].more_staff_helps);
  EXPECT_TRUE(one.check.varied_roles_bind);
}

// The issue's case: each village sized to its own returnees.
TEST(Plan, EachVillageSizedToItsReturnees) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_two_villages(dir, 100, 300, "{village_cadre: {count: 1, hours_per_day: 8}}",
                                             "{village_cadre: {count: 1, hours_per_day: 8}}"),
                          d);
  PlanResult res = run_plan(base, request("screened_within_24h_share >= 0.95", {"village_cadre=1..20"}, 1.0, d), d);
  ASSERT_EQ(res.parts.size(), 2u);
  EXPECT_EQ(res.parts[0].name, "A");
  EXPECT_EQ(answer(res.parts[0]), 4);
  EXPECT_EQ(res.parts[1].name, "B");
  EXPECT_EQ(answer(res.parts[1]), 12);
  EXPECT_DOUBLE_EQ(res.check.cost, 16);  // what the check simulated
  EXPECT_EQ(res.check.met, 3);
  EXPECT_TRUE(res.all_parts_answered);
  // Both villages are searched in the same runs of the model: bisection over 20 values each.
  EXPECT_LE(res.rounds, 6u);
}

// Each part's own binding target, from the check: with 4 cadres each, A screens 96 of its 100
// within 24 h (both targets hold in every replicate: none binds there), B 96 of its 300 (0.32: the
// first target holds, the second never does, so the second binds, not merely the first listed).
TEST(Plan, EachPartNamesItsOwnBindingTarget) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_two_villages(dir, 100, 300, "{village_cadre: {count: 1, hours_per_day: 8}}",
                                             "{village_cadre: {count: 1, hours_per_day: 8}}"),
                          d);
  PlanRequest req = request("screened_within_24h_share >= 0.3", {"village_cadre=4..4"}, 1.0, d);
  req.targets.push_back("screened_within_24h_share >= 0.9");
  const PlanResult res = run_plan(base, req, d);
  ASSERT_EQ(res.parts.size(), 2u);
  ASSERT_EQ(res.check.part_target_share.size(), 2u);
  EXPECT_EQ(res.check.part_target_share[0], (std::vector<double>{1, 1}));
  EXPECT_EQ(res.check.part_target_share[1], (std::vector<double>{1, 0}));
  EXPECT_FALSE(res.check.part_binding[0].has_value());
  EXPECT_EQ(res.check.part_binding[1], std::optional<size_t>{1});
  EXPECT_EQ(res.check.part_met, (std::vector<int>{3, 0}));
}

// A role on two shifts: the headcount is the role's in the village, split over the entries in
// proportion (here 1:1), and the cost is the people simulated.
TEST(Plan, HeadcountIsSplitOverShiftEntries) {
  TempDir dir;
  Diagnostics d;
  const std::string cohorts =
      "{village_cadre: [{count: 1, hours_per_day: 8}, {count: 1, hours_per_day: 8, shift_start: \"09:00\"}]}";
  Model base = load_model(write_two_villages(dir, 100, 300, cohorts, cohorts), d);
  PlanResult res = run_plan(base, request("screened_within_24h_share >= 0.95", {"village_cadre=1..20"}, 1.0, d), d);
  EXPECT_EQ(answer(res.parts[0]), 4);
  EXPECT_EQ(answer(res.parts[1]), 12);
  const auto& a = res.answer.towns[0].villages[0].staff;
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].count, 2);
  EXPECT_EQ(a[1].count, 2);
  EXPECT_EQ(res.answer.towns[0].villages[1].staff[0].count, 6);
  EXPECT_DOUBLE_EQ(res.check.cost, 16);
  EXPECT_EQ(split_in_proportion(7, {1, 3}), (std::vector<int>{2, 5}));
  EXPECT_EQ(split_in_proportion(5, {0, 0}), (std::vector<int>{3, 2}));
  EXPECT_EQ(split_in_proportion(10, {60, 30, 10}), (std::vector<int>{6, 3, 1}));
}

// Per 1,000 residents: A (220 residents) and B (620) get round(rate x residents / 1000).
TEST(Plan, PerResidentsSizesEachVillage) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_two_villages(dir, 100, 300, "{village_cadre: 1}", "{village_cadre: 1}"), d);
  PlanRequest req = request("screened_within_24h_share >= 0.95", {"village_cadre=10..30:5"}, 1.0, d);
  req.mode = VaryMode::PerResidents;
  const std::vector<PlanPart> parts = plan_parts(base, req);
  config::ScenarioSpec s = base.scenario;
  apply_point(s, base.scenario, req, parts[0], {2});  // 20 per 1,000
  apply_point(s, base.scenario, req, parts[1], {2});
  EXPECT_EQ(s.towns[0].villages[0].staff[0].count, 4);   // 4.4
  EXPECT_EQ(s.towns[0].villages[1].staff[0].count, 12);  // 12.4
  // The people a rate ran, as the outputs give them beside the rate.
  EXPECT_EQ(part_people(base.scenario, req, parts[0], {2}), std::vector<int>{4});
  EXPECT_EQ(part_people(base.scenario, req, parts[1], {4}), std::vector<int>{19});  // 30 x 0.62 = 18.6
}

// Values beyond the scenario's limits are not run and are said; a range wholly beyond them gives no answer.
TEST(Plan, OutOfRangeRostersAreRefused) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(
      write_two_villages(dir, 100, 300, "{village_cadre: 4, party_member: 2}", "{village_cadre: 12, party_member: 2}"),
      d);
  PlanResult res = run_plan(base, request("screened_within_24h_share >= 0.95", {"party_member=3..8"}, 1.0, d), d);
  ASSERT_EQ(res.parts.size(), 2u);
  EXPECT_EQ(res.parts[0].values[0], (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(res.parts[0].out_of_range[0], "party_member=6..8 not run: village 'A' has only 5 party members");
  for (const auto& p : res.parts)
    for (const auto& c : p.candidates) EXPECT_LE(c.counts[0], 5);
  EXPECT_EQ(answer(res.parts[0]), 3);
  PlanResult none = run_plan(base, request("screened_within_24h_share >= 0.95", {"party_member=6..8"}, 1.0, d), d);
  EXPECT_FALSE(none.parts[0].best.has_value());
  EXPECT_TRUE(none.parts[0].candidates.empty());
  EXPECT_FALSE(none.all_parts_answered);
}

TEST(Plan, WilsonInterval) {
  const auto [lo, hi] = wilson_interval(9, 10);
  EXPECT_NEAR(lo, 0.5958, 1e-4);
  EXPECT_NEAR(hi, 0.9821, 1e-4);
  const auto [lo0, hi0] = wilson_interval(0, 20);
  EXPECT_DOUBLE_EQ(lo0, 0);
  EXPECT_NEAR(hi0, 0.1611, 1e-4);
}

// A candidate roster is rebuilt on the base model's population: its numbers are those of a run of
// a scenario file that lists that roster.
TEST(Plan, ACandidateScoresAsARunOfThatRoster) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  PlanRequest req = request("screened_within_24h_share >= 1", {"village_cadre=4..4"}, 1.0, d);
  req.search = PlanSearch::Exhaustive;
  PlanResult res = run_plan(base, req, d);
  ASSERT_EQ(res.parts[0].candidates.size(), 1u);
  const size_t m = size_t(res.target_metrics[0][0]);

  TempDir dir4;
  Model four = load_model(write_case(dir4, 4), d);
  const RunResult run = run_model(four, {.trace = false, .keep_days = false});
  double sum = 0;
  for (const auto& rep : run.replicates) sum += metrics::replicate_metrics(rep, {})[m].second;
  EXPECT_DOUBLE_EQ(res.parts[0].candidates[0].metric_means[m], sum / double(run.replicates.size()));
  EXPECT_DOUBLE_EQ(res.parts[0].candidates[0].metric_means[m], 0.96);  // as computed by hand above
  EXPECT_EQ(base.rosters[0].staff.size(), 1u);                         // the base model keeps its roster
}

TEST(Plan, BadRequestsAreLocatedErrors) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  Diagnostics v;
  EXPECT_FALSE(parse_vary("village_cadre=5", v));
  EXPECT_FALSE(parse_vary("village_cadre=9..2", v));
  EXPECT_EQ(v.error_count(), 2u);
  EXPECT_NE(v.format().find("--vary:1:18: error: MAX 2 is below MIN 9 (write village_cadre=2..9)"), std::string::npos)
      << v.format();
  // Each broken part of a range said at its number (they all got one message at MIN).
  for (const auto& [text, said] : std::vector<std::pair<std::string, std::string>>{
           {"village_cadre=5..200000", "--vary:1:18: error: MAX 200000 is above 100000"},
           {"village_cadre=5..15:0", "--vary:1:21: error: STEP 0 is below 1"},
           {"village_cadre=-1..15", "--vary:1:15: error: MIN -1 is below 0"},
           {"village_cadre=5..x", "--vary:1:18: error: MAX 'x' is not a whole number"}}) {
    Diagnostics r;
    EXPECT_FALSE(parse_vary(text, r));
    EXPECT_NE(r.format().find(said), std::string::npos) << r.format();
  }
  // A MAX the steps miss is tried no more (5 and 10 of 5..12:5): said, at MAX, with the range that
  // reaches past it.
  Diagnostics w;
  ASSERT_TRUE(parse_vary("village_cadre=5..12:5", w));
  EXPECT_EQ(w.error_count(), 0u);
  EXPECT_NE(w.format().find("--vary:1:18: warning: MAX 12 is not MIN plus a whole number of steps of 5: the last value "
                            "tried is 10 (write village_cadre=5..15:5 to try 15)"),
            std::string::npos)
      << w.format();
  Diagnostics x;
  ASSERT_TRUE(parse_vary("village_cadre=5..15:5", x));
  EXPECT_TRUE(x.empty());
  PlanRequest req;
  req.targets = {"screened_wihtin_24h_share >= 1"};
  req.vary = {VarySpec{"village_cadr", 1, 3, 1}};
  Diagnostics e;
  EXPECT_THROW(run_plan(base, req, e), InputError);
  const std::string text = e.format();
  EXPECT_NE(text.find("did you mean 'village_cadre'"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'screened_within_24h_share'"), std::string::npos) << text;
  // A role varied twice (the last range would win unseen); a share compared with 95 (a percentage).
  req.targets = {"screened_within_24h_share >= 95", "0 <= screened_within_24h_share"};
  req.vary = {VarySpec{"village_cadre", 1, 3, 1}, VarySpec{"village_cadre", 2, 2, 1}};
  Diagnostics f;
  EXPECT_THROW(run_plan(base, req, f), InputError);
  const std::string twice = f.format();
  EXPECT_EQ(f.error_count(), 2u) << twice;
  EXPECT_NE(twice.find("role 'village_cadre' is given twice"), std::string::npos) << twice;
  EXPECT_NE(twice.find("--target:1:30: error: 'screened_within_24h_share' is a share, from 0 to 1; 95 is outside it; "
                       "did you mean 0.95?"),
            std::string::npos)
      << twice;
  // A role metric as a target: said to be one (it was an unknown name); an unknown role with no near
  // name: the roles the rosters list.
  req.targets = {"hours_worked < 100"};
  req.vary = {VarySpec{"group_leader", 1, 3, 1}};
  Diagnostics g;
  EXPECT_THROW(run_plan(base, req, g), InputError);
  EXPECT_NE(g.format().find("--target:1:1: error: 'hours_worked' is a role metric (one value per role)"),
            std::string::npos)
      << g.format();
  EXPECT_NE(g.format().find("role 'group_leader' is not in any roster of scenario '"), std::string::npos) << g.format();
  EXPECT_NE(g.format().find("; the rosters list: village_cadre"), std::string::npos) << g.format();
  // A count of the results store (a trial typed them from docs/outputs.md's tables and got "did you
  // mean 'first_stockout_day'"): the metrics made from it; a metric in capitals: its name.
  req.targets = {"stockout_days <= 0", "tracking_days > 3", "Out_Of_Hours_Village_Days <= 2"};
  req.vary = {VarySpec{"village_cadre", 1, 3, 1}};
  Diagnostics h;
  EXPECT_THROW(run_plan(base, req, h), InputError);
  const std::string counts = h.format();
  EXPECT_EQ(h.error_count(), 3u) << counts;
  EXPECT_NE(counts.find("'stockout_days' is a count of the results store (results.sqlite's village_counts), not a "
                        "metric; the metrics made from it: 'stockout_village_days'"),
            std::string::npos)
      << counts;
  EXPECT_NE(counts.find("the metrics made from it: 'team_complete_share'"), std::string::npos) << counts;
  EXPECT_NE(counts.find("metric names are lower case: 'out_of_hours_village_days'"), std::string::npos) << counts;
}

}  // namespace
}  // namespace vg::sim
