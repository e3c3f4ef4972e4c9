// `villagegrid test`: runs rule unit tests written in YAML.
#include <iostream>

#include "cli/common.h"
#include "rules/rule_tests.h"

namespace vg::cli {

Command add_test(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* test = app.add_subcommand("test", "Run rule unit tests written in YAML (given facts and an event, expect "
                                          "rules fired, class, tasks, tracking, attributes)");
  test->add_option("files", *files, "Rule test files (*.test.yaml)")->required()->check(CLI::ExistingFile);
  return {test, [files] {
            Diagnostics diags;
            auto report = rules::run_rule_test_files(*files, diags);
            print_diagnostics(diags);
            std::cout << report.output;
            return report.exit_code(diags);
          }};
}

}  // namespace vg::cli
