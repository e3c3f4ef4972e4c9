// Every field name summary.json holds, and every metric its records name (`metric`), is documented
// in docs/metrics.md or docs/outputs.md (in backticks): a field or metric added to the file and not
// to the docs fails here with its name. Run on a scenario with a grid and an epidemic, so that the
// optional parts (`grid`, `r0`) are there.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/cli_run.h"
#include "support/doc_tables.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

void field_names(const nlohmann::json& j, const std::set<std::string>& skip, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (!skip.count(k)) out.insert(k);
      if (k == "metric" && v.is_string()) out.insert(v.get<std::string>());  // a record's metric
      field_names(v, skip, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) field_names(v, skip, out);
  }
}

TEST(SummaryDocs, EveryFieldIsDocumented) {
  TempDir dir;
  const std::string scenario = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020-guidelines.yaml";
  auto r = run_cli("run " + scenario + " --replicates 2 --quiet --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_file(dir.path() / "summary.json"));
  ASSERT_TRUE(summary.contains("grid"));
  ASSERT_TRUE(summary.contains("r0"));
  std::set<std::string> fields;
  field_names(summary, {}, fields);
  const std::string doc = vg::testing::read_doc("metrics.md") + vg::testing::read_doc("outputs.md");
  for (const auto& f : fields)
    EXPECT_NE(doc.find("`" + f + "`"), std::string::npos)
        << "summary.json's field '" << f << "' is not in docs/metrics.md or docs/outputs.md";
}

}  // namespace
