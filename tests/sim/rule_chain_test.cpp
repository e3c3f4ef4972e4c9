// A rule behaves the same in `villagegrid run` (the engine) and in `villagegrid test` (the rule-test
// runner): both apply actions and nest raised events through the same code (rules/apply.h), so a
// chain as deep as the compiler allows runs to its end in both.
#include <gtest/gtest.h>

#include <string>

#include "rules/program.h"
#include "rules/rule_tests.h"
#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

// Rule link-0 hears returnee_arrived and raises e1; link-k hears e<k> and raises e<k+1>; the last
// hears e<depth-1> and creates a task. `depth` events are dispatched, one inside the other.
std::string chain_policy(int depth) {
  std::string t = "vocabulary:\n  origins: [local]\n  classes: [unscreened]\n  roles: [village_cadre]\n  events:\n";
  for (int k = 1; k < depth; ++k) t += "    - {name: e" + std::to_string(k) + ", about: person}\n";
  t += "rules:\n";
  for (int k = 0; k < depth; ++k) {
    t += "  - id: link-" + std::to_string(k) + "\n    title: link " + std::to_string(k) +
         "\n    source: assumption\n    note: test\n";
    t += k == 0 ? "    on: returnee_arrived\n" : "    on: {event: e" + std::to_string(k) + "}\n";
    t += "    do:\n";
    t += k + 1 < depth ? "      - raise: e" + std::to_string(k + 1) + "\n"
                       : "      - create_task: {name: last, roles: [village_cadre], minutes: 10, within_hours: 24}\n";
  }
  return t;
}

TEST(RuleChain, DeepestChainRunsToItsEndInRunAndInTest) {
  constexpr int kDepth = rules::kMaxRuleChain;
  TempDir dir;
  dir.write("policy.yaml", chain_policy(kDepth));

  // The engine: every link fires for every returnee, and the last one creates its task.
  const std::string scenario = dir.write("s.yaml", one_village({.name = "chain", .returnees = 3}));
  Diagnostics d;
  Model m = load_model(scenario, d);
  RunResult r = run_model(m, true);
  std::vector<int> fired(size_t(kDepth), 0);
  int created = 0;
  for (const auto& t : r.trace[0]) {
    ASSERT_TRUE(t.fired);
    fired[size_t(t.rule)]++;
    created += t.created;
  }
  for (int k = 0; k < kDepth; ++k) EXPECT_EQ(fired[size_t(k)], 3) << "link-" << k;
  EXPECT_EQ(created, 3);
  EXPECT_EQ(r.replicates[0].days[0][0].tasks_created, 3);

  // The rule-test runner: the same chain, to the same end.
  std::string fired_list;
  for (int k = 0; k < kDepth; ++k) fired_list += (k ? ", link-" : "link-") + std::to_string(k);
  const std::string test = dir.write("chain.test.yaml",
                                     "policy: policy.yaml\ntests:\n  - name: the whole chain\n"
                                     "    event: returnee_arrived\n    expect:\n      fired: [" +
                                         fired_list + "]\n      tasks: [last]\n");
  Diagnostics td;
  rules::RuleTestReport report = rules::run_rule_test_files({test}, td);
  EXPECT_FALSE(td.has_errors());
  EXPECT_EQ(report.passed, 1) << report.output;
  EXPECT_EQ(report.failed, 0) << report.output;
}

// One link more than the compiler allows is refused, rather than cut short in a run or a test.
TEST(RuleChain, LongerChainIsRefused) {
  TempDir dir;
  dir.write("policy.yaml", chain_policy(rules::kMaxRuleChain + 1));
  const std::string test = dir.write("chain.test.yaml",
                                     "policy: policy.yaml\ntests:\n  - name: too deep\n"
                                     "    event: returnee_arrived\n");
  Diagnostics d;
  rules::RuleTestReport report = rules::run_rule_test_files({test}, d);
  EXPECT_NE(d.format().find("rules raise events in a chain 61 deep; at most 60 nested events are followed"),
            std::string::npos)
      << d.format();
  EXPECT_EQ(report.not_run, 1);
}

}  // namespace
}  // namespace vg::sim
