// Rule-test coverage (src/rules/coverage.h, `villagegrid test --coverage`): the shipped rule tests
// (rules/tests/*.test.yaml) make every shipped rule fire at least once, since a rule no test fires
// is a rule nobody has checked does what it says; and the report names what a test left out.
#include "rules/coverage.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "rules/policy_loader.h"
#include "rules/rule_tests.h"
#include "spec/policy.h"

namespace vg::rules {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> files_in(const fs::path& dir, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > suffix.size() && name.ends_with(suffix)) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every shipped policy file: rules/ and its folders (tracking templates, per-village overrides),
// not the rule tests themselves.
std::vector<std::string> shipped_policy_files(const fs::path& rules_dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(rules_dir)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !name.ends_with(".yaml") || name.ends_with(".test.yaml")) continue;
    if (e.path().parent_path().filename() == "tests") continue;
    out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShippedRuleTests, FireEveryShippedRule) {
  const fs::path rules_dir = fs::path(VILLAGEGRID_SOURCE_DIR) / "rules";
  Diagnostics d;
  RuleCoverage coverage;
  const RuleTestReport report = run_rule_test_files(files_in(rules_dir / "tests", ".test.yaml"), d, &coverage);
  ASSERT_FALSE(d.has_errors()) << d.format();
  EXPECT_EQ(report.failed, 0) << report.output;

  std::map<std::pair<std::string, int>, int> fired;  // (canonical file, line) -> times fired
  for (const auto& [key, r] : coverage.rules()) fired[{fs::weakly_canonical(key.path).string(), key.line}] += r.fired;
  std::string missing;
  int rules = 0;
  for (const std::string& file : shipped_policy_files(rules_dir)) {
    Diagnostics load;
    const PolicySpec spec = load_policy({file}, load);
    ASSERT_FALSE(load.has_errors()) << load.format();
    for (const RuleSpec& r : spec.rules) {
      ++rules;
      auto it = fired.find({fs::weakly_canonical(file).string(), r.loc.line});
      if (it == fired.end())
        missing += r.loc.str() + ": '" + r.id + "': no rule test runs against its file\n";
      else if (it->second == 0)
        missing += r.loc.str() + ": '" + r.id + "': no rule test makes it fire\n";
    }
  }
  EXPECT_GE(rules, 40) << "the shipped policy should hold some 50 rules; found " << rules;
  EXPECT_EQ(missing, "") << "add tests to rules/tests/ for these rules (villagegrid test --coverage "
                            "rules/tests/*.test.yaml shows what is covered)";
}

// The report names each rule with its counts, and each outcome of a condition part no test produced,
// at the part's file:line:col.
TEST(RuleCoverageReport, NamesRulesCountsAndMissedOutcomes) {
  const fs::path dir = fs::temp_directory_path() / ("villagegrid-coverage-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "policy.yaml") << R"(vocabulary:
  origins: [local, key_area]
  classes: [unscreened, general, key]
rules:
  - id: classify
    title: t
    source: report
    on: returnee_arrived
    when: origin == "key_area" or household_size > 4
    do:
      - set_class: key
  - id: never-tested
    title: t
    source: report
    on: {class_changed: general}
    when: household_size > 2
    do:
      - set_class: key
)";
  std::ofstream(dir / "policy.test.yaml") << R"(policy: policy.yaml
tests:
  - name: a key-area returnee is key
    event: returnee_arrived
    person: {origin: key_area}
    expect: {class: key}
)";
  Diagnostics d;
  RuleCoverage coverage;
  const RuleTestReport report = run_rule_test_files({(dir / "policy.test.yaml").string()}, d, &coverage);
  const std::string policy = (dir / "policy.yaml").string();
  fs::remove_all(dir);
  ASSERT_FALSE(d.has_errors()) << d.format();
  EXPECT_EQ(report.passed, 1);
  EXPECT_EQ(coverage.report(), "coverage of " + policy +
                                   ":\n"
                                   "  " +
                                   policy +
                                   ":5: classify: fired 1 of 1 times considered\n"
                                   "    " +
                                   policy +
                                   ":9:11: 'origin == \"key_area\"' never false\n"
                                   "    " +
                                   policy +
                                   ":9:35: 'household_size > 4' never reached\n"
                                   "    " +
                                   policy +
                                   ":9:11: 'origin == \"key_area\" or household_size > 4' never false\n"
                                   "  " +
                                   policy +
                                   ":12: never-tested: fired 0 of 0 times considered (NOT FIRED)\n"
                                   "    " +
                                   policy +
                                   ":16:11: the condition was never evaluated (no test's event reached the rule)\n"
                                   "coverage: 1 of 2 rules fired, 2 of 8 condition outcomes seen\n");
}

// Two rules written on one line (flow style) are two rules, not one (they were keyed by file and
// line); a condition's parts in a `|` block are listed at their own lines and columns.
TEST(RuleCoverageReport, RulesOnOneLineAndPartsOfABlockConditionAreTheirOwn) {
  const fs::path dir = fs::temp_directory_path() / ("villagegrid-coverage-flow-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "policy.yaml") << R"(vocabulary:
  origins: [local, key_area]
  classes: [unscreened, key]
rules: [{id: flow-a, title: t, source: report, on: returnee_arrived, do: [set_class: key]}, {id: flow-b, title: t, source: report, on: fever_found, do: [set_class: key]}]
tracking: []
)";
  std::ofstream(dir / "block.yaml") << R"(rules:
  - id: block
    title: t
    source: report
    on: symptoms_reported
    when: |
      origin == "key_area"
        or household_size > 4
    do:
      - set_class: key
)";
  std::ofstream(dir / "policy.test.yaml") << R"(policy: [policy.yaml, block.yaml]
tests:
  - name: a returnee is key
    event: returnee_arrived
    expect: {class: key}
  - name: a key-area case reporting symptoms is key
    event: symptoms_reported
    person: {origin: key_area}
    expect: {class: key}
)";
  Diagnostics d;
  RuleCoverage coverage;
  const RuleTestReport report = run_rule_test_files({(dir / "policy.test.yaml").string()}, d, &coverage);
  const std::string policy = (dir / "policy.yaml").string(), block = (dir / "block.yaml").string();
  fs::remove_all(dir);
  ASSERT_FALSE(d.has_errors()) << d.format();
  EXPECT_EQ(report.passed, 2) << report.output;
  EXPECT_EQ(coverage.report(),
            "coverage of " + block + ":\n  " + block + ":2: block: fired 1 of 1 times considered\n    " + block +
                ":7:7: 'origin == \"key_area\"' never false\n    " + block +
                ":8:12: 'household_size > 4' never reached\n    " + block +
                ":7:7: 'origin == \"key_area\" or household_size > 4' never false\n"
                "coverage of " +
                policy + ":\n  " + policy + ":4: flow-a: fired 1 of 1 times considered\n  " + policy +
                ":4: flow-b: fired 0 of 0 times considered (NOT FIRED)\n"
                "coverage: 2 of 3 rules fired, 2 of 6 condition outcomes seen\n");
}

}  // namespace
}  // namespace vg::rules
