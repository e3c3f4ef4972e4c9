// `plan` on a case computed by hand: 100 returnees registered at day 0, 00:00, screened in 20
// minutes by cadres working 08:00-16:00 (24 screenings each a day). All 100 within 24 h needs
// ceil(100 / 24) = 5 cadres; 4 manage 96.
#include <gtest/gtest.h>

#include "analysis/plan.h"
#include "metrics/summary.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::screen_rule;
using vg::testing::TempDir;

std::string write_case(const TempDir& dir, int cadres = 1) {
  dir.write("rules.yaml", R"(
rules:
)" + screen_rule(20) + R"(  - id: classify
    title: classify
    source: assumption
    note: test
    on: {task_done: screening}
    do:
      - set_class: general
)");
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
                                .arrival_days = "{first: -2, peak: -1, last: -0.5}"}));
}

// Every returnee screened within 24 h in every replicate, varying the cadres over `vary`.
PlanRequest all_screened(const std::string& vary, Diagnostics& d) {
  PlanRequest req;
  req.targets = {"screened_within_24h_share >= 1"};
  req.vary = {*parse_vary(vary, d)};
  req.required_share = 1.0;
  return req;
}

TEST(Plan, FindsTheHandComputedRoster) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  PlanResult res = run_plan(base, all_screened("village_cadre=1..8", d), d);
  ASSERT_TRUE(res.best.has_value());
  EXPECT_EQ(res.candidates[*res.best].counts[0], 5);
  EXPECT_DOUBLE_EQ(res.candidates[*res.best].cost, 5);
  ASSERT_FALSE(res.runners_up.empty());
  EXPECT_EQ(res.candidates[res.runners_up[0]].counts[0], 4);  // closest: 96 of 100
  // How close it came: the target reads one metric, whose mean for 4 cadres is 96 / 100.
  ASSERT_EQ(res.target_metrics.size(), 1u);
  ASSERT_EQ(res.target_metrics[0].size(), 1u);
  const size_t m = size_t(res.target_metrics[0][0]);
  EXPECT_EQ(res.metric_names[m], "screened_within_24h_share");
  EXPECT_DOUBLE_EQ(res.candidates[res.runners_up[0]].metric_means[m], 0.96);
  // Cheapest first, and nothing dearer than the answer was run.
  for (const auto& c : res.candidates) EXPECT_EQ(c.evaluated, c.counts[0] <= 5);
}

// A candidate roster is rebuilt on the base model's population: its numbers are those of a run of
// a scenario file that lists that roster.
TEST(Plan, ACandidateScoresAsARunOfThatRoster) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  PlanResult res = run_plan(base, all_screened("village_cadre=4..4", d), d);
  ASSERT_EQ(res.candidates.size(), 1u);
  const size_t m = size_t(res.target_metrics[0][0]);

  TempDir dir4;
  Model four = load_model(write_case(dir4, 4), d);
  const RunResult run = run_model(four, {.trace = false, .keep_days = false});
  double sum = 0;
  for (const auto& rep : run.replicates) sum += metrics::replicate_metrics(rep, {})[m].second;
  EXPECT_DOUBLE_EQ(res.candidates[0].metric_means[m], sum / double(run.replicates.size()));
  EXPECT_DOUBLE_EQ(res.candidates[0].metric_means[m], 0.96);  // as computed by hand above
  EXPECT_EQ(base.rosters[0].staff.size(), 1u);                // the base model keeps its roster
}

TEST(Plan, BadRequestsAreLocatedErrors) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(write_case(dir), d);
  Diagnostics v;
  EXPECT_FALSE(parse_vary("village_cadre=5", v));
  EXPECT_FALSE(parse_vary("village_cadre=9..2", v));
  EXPECT_EQ(v.error_count(), 2u);
  PlanRequest req;
  req.targets = {"screened_wihtin_24h_share >= 1"};
  req.vary = {VarySpec{"village_cadr", 1, 3, 1}};
  Diagnostics e;
  EXPECT_THROW(run_plan(base, req, e), InputError);
  const std::string text = e.format();
  EXPECT_NE(text.find("did you mean 'village_cadre'"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'screened_within_24h_share'"), std::string::npos) << text;
}

}  // namespace
}  // namespace vg::sim
