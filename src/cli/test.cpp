// `villagegrid test`: runs rule unit tests written in YAML; with --coverage, which rules and which
// outcomes of their conditions the tests exercised.
#include <iostream>

#include "cli/common.h"
#include "rules/coverage.h"
#include "rules/rule_tests.h"

namespace vg::cli {

Command add_test(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto coverage = std::make_shared<bool>(false);
  auto* test = app.add_subcommand("test",
                                  "Run rule unit tests written in YAML (given facts and an event, expect "
                                  "rules fired, class, tasks, tracking, attributes)");
  test->add_option("files", *files, "Rule test files (*.test.yaml)")->required()->check(CLI::ExistingFile);
  test->add_flag("--coverage", *coverage,
                 "Also report, per policy file, the rules the tests fired and the outcomes of condition parts no "
                 "test produced");
  return {test, [files, coverage] {
            Diagnostics diags;
            rules::RuleCoverage cov;
            auto report = rules::run_rule_test_files(*files, diags, *coverage ? &cov : nullptr);
            print_diagnostics(diags);
            std::cout << report.output;
            if (*coverage) std::cout << cov.report();
            return report.exit_code(diags);
          }};
}

}  // namespace vg::cli
