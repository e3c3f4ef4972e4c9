// `villagegrid report`: the page is one self-contained file (data and scripts inlined), the same
// bytes for the same inputs, and a folder that is not an output folder is refused with a clear
// message. tests/browser/report_test.mjs opens the page in a browser.
#include <gtest/gtest.h>

#include <string>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

const std::string kScenario = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020.yaml";

TEST(Report, SameInputsGiveTheSameBytes) {
  TempDir dir;
  // Two runs of the same inputs, in folders of the same name under different parents.
  for (const char* parent : {"a", "b"}) {
    const auto out = dir.path() / parent / "pushan";
    auto r = run_cli("run " + kScenario + " --replicates 5 --quiet --out " + out.string());
    ASSERT_EQ(r.status, 0) << r.output;
    r = run_cli("report " + out.string() + " -o " + (dir.path() / parent / "report.html").string());
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const std::string a = read_file(dir.path() / "a" / "report.html");
  EXPECT_GT(a.size(), 100000u) << "the page holds the charting library";
  EXPECT_EQ(a, read_file(dir.path() / "b" / "report.html"));
  // Again from the same folder: the same bytes.
  ASSERT_EQ(run_cli("report " + (dir.path() / "a" / "pushan").string() + " -o " + (dir.path() / "again.html").string())
                .status,
            0);
  EXPECT_EQ(a, read_file(dir.path() / "again.html"));
}

TEST(Report, PageIsSelfContained) {
  TempDir dir;
  const auto out = dir.path() / "run";
  ASSERT_EQ(run_cli("run " + kScenario + " --replicates 3 --quiet --out " + out.string()).status, 0);
  const auto r = run_cli("report " + out.string());  // default: beside the folder, run.html
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string html = read_file(dir.path() / "run.html");
  EXPECT_NE(html.find("<script type=\"application/json\" id=\"vg-data\">{\"kind\":\"run\""), std::string::npos);
  // Nothing to fetch: no script, style or image from elsewhere, and a policy that forbids it.
  for (const char* fetch : {"<script src", "<link", "<img", "@import", "url("})
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  // The data cannot end its script element early.
  const auto data = html.find("id=\"vg-data\">");
  EXPECT_EQ(html.find('<', data + 13), html.find("</script>", data));
}

TEST(Report, RefusesWhatIsNotAnOutputFolder) {
  TempDir dir;
  dir.write("notes/readme.txt", "hello\n");
  auto r = run_cli("report " + (dir.path() / "notes").string() + " -o " + (dir.path() / "x.html").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no summary.json, compare.json, plan.json or exercise.log here"), std::string::npos)
      << r.output;
  r = run_cli("report " + (dir.path() / "missing").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("missing: no such folder"), std::string::npos) << r.output;
  dir.write("broken/summary.json", "{\"metrics\": [");
  r = run_cli("report " + (dir.path() / "broken").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("summary.json: not valid JSON"), std::string::npos) << r.output;
  // Valid JSON, but not what villagegrid writes; a file given for the folder.
  dir.write("other/summary.json", "{\"a\": 1}");
  r = run_cli("report " + (dir.path() / "other").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("summary.json: not a villagegrid output (no 'villagegrid', 'scenario', 'metrics')"),
            std::string::npos)
      << r.output;
  r = run_cli("report " + (dir.path() / "notes" / "readme.txt").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("readme.txt: a file, not a folder"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "x.html"));
}

}  // namespace
