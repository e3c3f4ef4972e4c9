// Test helper: runs rule-test YAML (`villagegrid test`) against a policy, both written to a
// temporary folder, and finds diagnostics by their text.
#pragma once

#include <string>

#include "core/diagnostics.h"
#include "rules/rule_tests.h"
#include "support/temp_files.h"

namespace vg::testing {

struct RuleTestRun {
  rules::RuleTestReport report;
  Diagnostics diags;
  std::string path;  // of the test file
};

// Writes `policy` to policy.yaml and `tests` (the items of `tests:`) to t.test.yaml in `dir`, and runs them.
inline RuleTestRun run_rule_tests(const TempDir& dir, const std::string& policy, const std::string& tests) {
  dir.write("policy.yaml", policy);
  RuleTestRun r;
  r.path = dir.write("t.test.yaml", "policy: [policy.yaml]\ntests:\n" + tests);
  r.report = rules::run_rule_test_files({r.path}, r.diags);
  return r;
}

// Whether an error's "file:line:col: message" contains `text`.
inline bool has_error(const Diagnostics& d, const std::string& text) {
  for (const auto& x : d.items())
    if (x.severity == Severity::Error && (x.loc.str() + ": " + x.message).find(text) != std::string::npos) return true;
  return false;
}

}  // namespace vg::testing
