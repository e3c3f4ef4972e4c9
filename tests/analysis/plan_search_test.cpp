// The smart search gives the exhaustive search's answer with far fewer rosters run: on random
// monotone grids (any number of roles), and on random small scenarios run through run_plan.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>

#include "analysis/plan.h"
#include "analysis/plan_search.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::TempDir;

// A random monotone grid: a point works when a weighted sum of its values reaches a threshold (or,
// with `corner`, also every point above a random corner); each role's values cost a random
// increasing amount.
struct Grid {
  std::vector<int> sizes;
  std::vector<std::vector<double>> cost;  // per role, per value
  std::vector<double> weight;
  double threshold = 0;
  GridPoint corner;

  explicit Grid(std::mt19937& rng) {
    const int roles = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int k = 0; k < roles; ++k) {
      sizes.push_back(std::uniform_int_distribution<int>(1, 9)(rng));
      std::vector<double> c{double(std::uniform_int_distribution<int>(0, 3)(rng))};
      for (int x = 1; x < sizes.back(); ++x) c.push_back(c.back() + std::uniform_int_distribution<int>(1, 4)(rng));
      cost.push_back(c);
      weight.push_back(std::uniform_int_distribution<int>(1, 5)(rng));
      corner.push_back(std::uniform_int_distribution<int>(0, sizes.back() - 1)(rng));
    }
    double most = 0;
    for (size_t k = 0; k < sizes.size(); ++k) most += weight[k] * (sizes[k] - 1);
    threshold = std::uniform_real_distribution<double>(0, most * 1.1)(rng);
  }
  bool feasible(const GridPoint& p) const {
    double s = 0;
    bool above = true;
    for (size_t k = 0; k < p.size(); ++k) {
      s += weight[k] * p[k];
      above = above && p[k] >= corner[k];
    }
    return s >= threshold || above;
  }
  double price(const GridPoint& p) const {
    double c = 0;
    for (size_t k = 0; k < p.size(); ++k) c += cost[k][size_t(p[k])];
    return c;
  }
};

TEST(PlanSearch, SmartMatchesExhaustiveOnRandomMonotoneGrids) {
  std::mt19937 rng(14);
  size_t asked_smart = 0, asked_all = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Grid g(rng);
    std::set<GridPoint> smart, all, known_yes, known_no;
    const CostOf cost = [&](const GridPoint& p) { return g.price(p); };
    // As run_plan's oracle: a verdict implied by one known (more staff never hurts) is not asked.
    auto dominated = [](const GridPoint& x, const GridPoint& y) {
      for (size_t k = 0; k < x.size(); ++k)
        if (x[k] > y[k]) return false;
      return true;
    };
    const Oracle infer = [&](const GridPoint& p) {
      for (const auto& q : known_yes)
        if (dominated(q, p)) return true;
      for (const auto& q : known_no)
        if (dominated(p, q)) return false;
      smart.insert(p);
      const bool ok = g.feasible(p);
      (ok ? known_yes : known_no).insert(p);
      return ok;
    };
    const auto a = search_smart(g.sizes, cost, infer, 64);
    const auto b = search_exhaustive(g.sizes, cost, [&](const GridPoint& p) { return all.insert(p), g.feasible(p); });
    ASSERT_EQ(a.has_value(), b.has_value()) << "trial " << trial;
    if (a && smart_search_is_exact(g.sizes, 64)) {
      EXPECT_EQ(*a, *b) << "trial " << trial;
    } else if (a) {  // coordinate descent: a feasible roster from which no role can drop a step
      EXPECT_TRUE(g.feasible(*a));
      for (size_t k = 0; k < a->size(); ++k) {
        GridPoint below = *a;
        if (below[k]-- > 0) {
          EXPECT_FALSE(g.feasible(below)) << "trial " << trial;
        }
      }
    }
    asked_smart += smart.size();
    asked_all += all.size();
  }
  EXPECT_LT(asked_smart * 3, asked_all) << asked_smart << " vs " << asked_all;
  std::printf("random grids: smart search asked %zu questions, exhaustive %zu\n", asked_smart, asked_all);
}

// One rule: every returnee is screened (20 minutes, within 24 h) by one of `roles`.
std::string screening_rules(const std::string& roles) {
  return R"(
rules:
  - id: screen
    title: screen
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - create_task: {name: screening, roles: [)" +
         roles + R"(], minutes: 20, within_hours: 24, counts_as: screening}
)";
}

// A random small scenario: two villages of one town with no town staff, screened by cadres or
// doctors, returnees arriving over two days.
std::string random_scenario(const TempDir& dir, std::mt19937& rng, int replicates = 8) {
  dir.write("rules.yaml", screening_rules("village_cadre, village_doctor"));
  auto village = [&](const std::string& name) {
    const int returnees = std::uniform_int_distribution<int>(100, 300)(rng);
    return "        - {name: " + name + ", residents: " + std::to_string(2 * returnees + 20) +
           ", mean_household_size: 4, returnees: " + std::to_string(returnees) +
           ", staff: {village_cadre: {count: 1, hours_per_day: 8}, village_doctor: {count: 1, hours_per_day: 4}}}\n";
  };
  return dir.write(
      "r.yaml", "scenario: {name: r, start_date: 2020-01-24, horizon_days: 3, seed: " + std::to_string(rng() % 1000) +
                    ", replicates: " + std::to_string(replicates) + "}\npolicy: {rules: [" + VILLAGEGRID_SOURCE_DIR +
                    "/rules/vocabulary.yaml, rules.yaml]}\nregion:\n  towns:\n    - name: T\n"
                    "      villages:\n" +
                    village("A") + village("B") +
                    "returnees:\n  origin_mix: {other_province: 1.0}\n"
                    "  arrival_days: {first: -1, peak: 0, last: 1}\n");
}

// Replicates simulated by the search alone: (replicate, town) pairs, less the check's.
int64_t search_pairs(const PlanResult& r) {
  return r.pairs_run - (int64_t(r.check.replicates) * int64_t(r.answer.towns.size()) - r.check_pairs_reused);
}

TEST(PlanSearch, SmartMatchesExhaustiveOnRandomScenarios) {
  std::mt19937 rng(2026);
  size_t smart_runs = 0, all_runs = 0, unsettled = 0;
  int64_t smart_reps = 0, all_reps = 0;
  // Eight replicates (the first two screen), then 30 (the first five screen; then 10, 20, 30 to settle).
  for (int trial = 0; trial < 9; ++trial) {
    TempDir dir;
    Diagnostics d;
    Model base = load_model(random_scenario(dir, rng, trial < 6 ? 8 : 30), d);
    PlanRequest req;
    const double target = std::array{0.8, 0.9, 0.95}[rng() % 3];
    req.targets = {"screened_within_24h_share >= " + std::to_string(target)};
    req.vary = {*parse_vary("village_cadre=0..15", d), *parse_vary("village_doctor=0..15", d)};
    req.required_share = std::array{0.5, 0.75, 1.0}[rng() % 3];
    req.stop_z = 0;  // stop early only where the verdict on every replicate is settled
    req.search = PlanSearch::Exhaustive;
    const PlanResult all = run_plan(base, req, d);
    req.search = PlanSearch::Smart;
    const PlanResult smart = run_plan(base, req, d);
    ASSERT_EQ(all.parts.size(), 2u);
    ASSERT_EQ(smart.parts.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      const auto& a = all.parts[i];
      const auto& s = smart.parts[i];
      ASSERT_EQ(a.best.has_value(), s.best.has_value()) << "trial " << trial << " part " << i;
      if (a.best) {
        EXPECT_EQ(a.candidates[*a.best].counts, s.candidates[*s.best].counts) << "trial " << trial;
        EXPECT_TRUE(s.candidates[*s.best].settled);  // the answer rests on settled verdicts only
      }
      // No warning but the one that 8 replicates cannot settle the share asked (the answer's interval).
      for (const auto& w : s.warnings)
        EXPECT_EQ(w.rfind("the answer meets the targets in ", 0), 0u) << "trial " << trial << ": " << w;
      for (const auto& c : s.candidates) unsettled += !c.settled;
      for (const auto& c : a.candidates) EXPECT_TRUE(c.settled);  // the exhaustive search never screens
    }
    EXPECT_EQ(all.check.met, smart.check.met);
    smart_runs += smart.evaluations;
    all_runs += all.evaluations;
    smart_reps += search_pairs(smart);
    all_reps += search_pairs(all);
  }
  // Rosters run, and replicates simulated (screening: a roster's first window of replicates steers the
  // search, and only the verdicts the answer rests on are run until settled).
  EXPECT_LT(smart_runs * 3, all_runs * 2) << smart_runs << " vs " << all_runs;
  EXPECT_LT(smart_reps * 3, all_reps) << smart_reps << " vs " << all_reps;
  EXPECT_GT(unsettled, 0u);
  std::printf("random scenarios: smart search ran %zu rosters (%lld replicates), exhaustive %zu (%lld)\n", smart_runs,
              static_cast<long long>(smart_reps), all_runs, static_cast<long long>(all_reps));
}

// Two towns, each with a town cadre of its own (so each town is a part), of one village with 100
// and 300 returnees registered at day 0: 4 and 12 cadres screen 95% within 24 h (plan_test.cpp).
std::string two_towns(const TempDir& dir) {
  dir.write("rules.yaml", screening_rules("village_cadre"));
  auto town = [](const std::string& name, int returnees) {
    return "    - name: " + name + "\n      staff: {town_cadre: {count: 1, hours_per_day: 8}}\n      villages:\n" +
           "        - {name: " + name + "-v, residents: " + std::to_string(2 * returnees + 20) +
           ", mean_household_size: 4, returnees: " + std::to_string(returnees) +
           ", staff: {village_cadre: {count: 1, hours_per_day: 8}}}\n";
  };
  return dir.write("two.yaml",
                   "scenario: {name: two, start_date: 2020-01-24, horizon_days: 3, seed: 5, replicates: 6}\n"
                   "policy: {rules: [" VILLAGEGRID_SOURCE_DIR
                   "/rules/vocabulary.yaml, rules.yaml]}\n"
                   "region:\n  towns:\n" +
                       town("T1", 100) + town("T2", 300) +
                       "returnees:\n  origin_mix: {other_province: 1.0}\n"
                       "  arrival_days: {first: -2, peak: -1, last: -0.5}\n");
}

// A round simulates only the towns with a question, each on its own replicates; the check takes
// the replicates a town's answer already ran from the search. Counted in (replicate, town) pairs.
TEST(PlanSearch, OnlyTownsWithAQuestionAreSimulated) {
  TempDir dir;
  Diagnostics d;
  Model base = load_model(two_towns(dir), d);
  PlanRequest req;
  req.targets = {"screened_within_24h_share >= 0.95"};
  req.vary = {*parse_vary("village_cadre=1..20", d)};
  req.required_share = 1.0;
  for (PlanSearch search : {PlanSearch::Exhaustive, PlanSearch::Smart}) {
    req.search = search;
    const PlanResult res = run_plan(base, req, d);
    ASSERT_EQ(res.parts.size(), 2u);
    EXPECT_TRUE(res.parts[0].is_town);
    ASSERT_TRUE(res.parts[0].best && res.parts[1].best);
    EXPECT_EQ(res.parts[0].candidates[*res.parts[0].best].counts[0], 4);
    EXPECT_EQ(res.parts[1].candidates[*res.parts[1].best].counts[0], 12);
    int64_t searched = 0;  // each roster's replicates, in its town only
    for (const auto& p : res.parts)
      for (const auto& c : p.candidates) searched += c.replicates;
    // Both answers ran all six replicates (a success settles only there): the check simulates nothing.
    EXPECT_EQ(res.check_pairs_reused, 12);
    EXPECT_EQ(res.pairs_run, searched);
    EXPECT_EQ(res.check.met, 6);
    EXPECT_EQ(res.check.part_met, (std::vector<int>{6, 6}));
    if (search == PlanSearch::Exhaustive) {  // 1..4 and 1..12, all replicates: 16 rosters, 96 pairs
      EXPECT_EQ(res.evaluations, 16u);
      EXPECT_EQ(res.pairs_run, 96);  // a run of the whole model each round would be 12 x 6 x 2 = 144
      EXPECT_EQ(res.rounds, 12u);
    }
  }
  // No answer: the check runs each town at the top of the range, which the search ran already.
  req.vary = {*parse_vary("village_cadre=1..3", d)};
  for (PlanSearch search : {PlanSearch::Exhaustive, PlanSearch::Smart}) {
    req.search = search;
    const PlanResult res = run_plan(base, req, d);
    ASSERT_EQ(res.parts.size(), 2u);
    int64_t top_runs = 0;
    for (const auto& p : res.parts) {
      EXPECT_FALSE(p.best.has_value());
      for (const auto& c : p.candidates)
        if (c.counts[0] == 3) top_runs += c.replicates;
    }
    EXPECT_GT(top_runs, 0);
    EXPECT_EQ(res.check_pairs_reused, top_runs);
  }
}

}  // namespace
}  // namespace vg::sim
