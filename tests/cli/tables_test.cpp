// Tables that say what they mean: the run's role table and roles.csv, compare's columns, percentage
// points, distinct names, CSV numbers, --metrics, the region warning, and the options every
// subcommand that runs scenarios shares (--quiet, --threads, --replicates, --seed).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/csv.h"
#include "io/compare_output.h"
#include "io/plan_output.h"
#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;
namespace fs = std::filesystem;

std::string scenario(const std::string& name) { return std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/" + name; }

TEST(CsvNumbers, ShortestRoundTripAndBlankWhenUndefined) {
  EXPECT_EQ(vg::csv_number(0.1 + 0.2), "0.30000000000000004");  // what it is, and no more digits
  EXPECT_EQ(vg::csv_number(0.3), "0.3");
  EXPECT_EQ(vg::csv_number(1600), "1600");
  EXPECT_EQ(vg::csv_number(std::nan("")), "");
  EXPECT_EQ(std::stod(vg::csv_number(2.0 / 3)), 2.0 / 3);
}

// Text is quoted only where it must be, and reads back field for field.
TEST(CsvText, QuotedWhereNeededAndReadBack) {
  EXPECT_EQ(vg::csv_field("share_x >= 0.9"), "share_x >= 0.9");
  EXPECT_EQ(vg::csv_field("a, b"), "\"a, b\"");
  EXPECT_EQ(vg::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  const std::vector<std::string> fields{"plain", "a, b", "say \"hi\"", "", "x in [\"a\", \"b\"]"};
  std::string line;
  for (const auto& f : fields) line += (line.empty() ? "" : ",") + vg::csv_field(f);
  EXPECT_EQ(vg::csv_fields(line), fields) << line;
  EXPECT_EQ(vg::csv_fields(""), std::vector<std::string>{""});
  EXPECT_EQ(vg::csv_fields("1,,2"), (std::vector<std::string>{"1", "", "2"}));
}

TEST(CompareNames, RepeatedNamesMadeDistinct) {
  using vg::io::distinct_names;
  EXPECT_EQ(distinct_names({"a", "b"}), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(distinct_names({"a", "a", "a"}), (std::vector<std::string>{"a", "a-2", "a-3"}));
  // A suffix another configuration already has as its name is skipped.
  EXPECT_EQ(distinct_names({"a", "a", "a-2"}), (std::vector<std::string>{"a", "a-3", "a-2"}));
}

// Two configurations of one metric: the baseline's differences are blank; a share's difference is
// in percentage points, labelled so, in the CSV and the table.
TEST(CompareOutputs, BaselineBlankAndSharesInPercentagePoints) {
  vg::io::CompareReport r;
  r.configs = {{"a", "a", "a.yaml", "", {}, {}}, {"b", "b", "b.yaml", "g", {}, {}}};
  r.replicates = 10;
  vg::metrics::ComparedMetric share{"screened_share", "share", "region", {}, {}};
  share.value = {{0.3, 0.25, 0.35, 10}, {0.4, 0.35, 0.45, 10}};
  share.diff = {{0, 0, 0, 10}, {0.1, 0.05, 0.15, 10}};
  vg::metrics::ComparedMetric hours{"hours_worked", "hours", "cadre", {}, {}};
  hours.value = {{10, 9, 11, 10}, {12, 11, 13, 10}};
  hours.diff = {{0, 0, 0, 10}, {2, 1.5, 2.5, 10}};
  r.metrics = {share, hours};
  const std::string csv = vg::io::compare_csv(r);
  EXPECT_NE(csv.find("screened_share,region,share,1,a,a,0.3,0.25,0.35,10,,,,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("screened_share,region,share,2,b,b,0.4,0.35,0.45,10,percentage_points,10,5,15,no\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("hours_worked,cadre,hours,2,b,b,12,11,13,10,hours,2,1.5,2.5,no\n"), std::string::npos) << csv;
  const std::string table = vg::io::compare_table(r);
  EXPECT_NE(table.find("+10.0 pp [+5.0, +15.0]"), std::string::npos) << table;
  EXPECT_NE(table.find("30.0% [25.0%, 35.0%]"), std::string::npos) << table;
  EXPECT_NE(table.find("role cadre"), std::string::npos) << table;
  // --metrics: only those named.
  const std::string only = vg::io::compare_table(r, {"hours_worked"});
  EXPECT_EQ(only.find("screened_share"), std::string::npos) << only;
  EXPECT_NE(only.find("hours_worked"), std::string::npos) << only;
}

// A difference of pooled shares that rests on one replicate (one outbreak's cases are most of a
// configuration's denominator) is marked in the table, with its note, and in compare.json (it read
// as a settled -13.5 pp between two grids that could not differ).
TEST(CompareOutputs, ADifferenceRestingOnOneReplicateIsMarked) {
  vg::io::CompareReport r;
  r.configs = {{"a", "a", "a.yaml", "", {}, {}}, {"b", "b", "b.yaml", "", {}, {}}};
  r.replicates = 7;
  vg::metrics::ComparedMetric share{"detected_at_check_share", "share", "region", {}, {}};
  share.value = {{0.405, 0.263, 0.565, 7}, {0.27, 0.154, 0.43, 7}};
  share.diff = {{0, 0, 0, 7}, {-0.135, -0.208, -0.062, 7, 0.7}};
  vg::metrics::ComparedMetric spread{"screened_share", "share", "region", {}, {}};
  spread.value = {{0.3, 0.25, 0.35, 7}, {0.4, 0.35, 0.45, 7}};
  spread.diff = {{0, 0, 0, 7}, {0.1, 0.05, 0.15, 7, 0.2}};
  r.metrics = {share, spread};
  const std::string table = vg::io::compare_table(r);
  EXPECT_NE(table.find("-13.5 pp [-20.8, -6.2] (one replicate)"), std::string::npos) << table;
  EXPECT_EQ(table.find("+10.0 pp [+5.0, +15.0] (one replicate)"), std::string::npos) << table;
  EXPECT_NE(table.find("(one replicate): more than half of a pooled share's denominator"), std::string::npos) << table;
  const auto json = nlohmann::json::parse(vg::io::compare_json(r, "test"));
  EXPECT_EQ(json["metrics"]["detected_at_check_share"]["configurations"][1]["diff_vs_first"]["one_replicate"], true);
  EXPECT_FALSE(json["metrics"]["screened_share"]["configurations"][1]["diff_vs_first"].contains("one_replicate"));
  const std::string csv = vg::io::compare_csv(r);
  EXPECT_NE(
      csv.find("detected_at_check_share,region,share,2,b,b,0.27,0.154,0.43,7,percentage_points,-13.5,-20.8,-6.2,yes\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",percentage_points,10,5,15,no\n"), std::string::npos) << csv;
}

// Wide numbers do not push a row's columns out of line (a count in the tens of thousands with its
// interval is wider than the 26 characters a column had), and --metrics keeps the order asked.
TEST(CompareOutputs, ColumnsLineUpAndMetricsKeepTheirOrder) {
  vg::io::CompareReport r;
  r.configs = {{"a", "a", "a.yaml", "", {}, {}}, {"b", "b", "b.yaml", "", {}, {}}};
  r.replicates = 10;
  vg::metrics::ComparedMetric share{"screened_share", "share", "region", {}, {}};
  share.value = {{0.3, 0.25, 0.35, 10}, {0.4, 0.35, 0.45, 10}};
  share.diff = {{0, 0, 0, 10}, {0.1, 0.05, 0.15, 10}};
  vg::metrics::ComparedMetric days{"monitored_person_days", "person-days", "region", {}, {}};
  days.value = {{10768.9, 10354.3, 11183.5, 10}, {10746.7, 10300.1, 11190.2, 10}};
  days.diff = {{0, 0, 0, 10}, {-22.2, -150.5, 106.1, 10}};
  r.metrics = {share, days};
  const std::string table = vg::io::compare_table(r, {"monitored_person_days", "screened_share"});
  const size_t first = table.find("  monitored_person_days"), second = table.find("  screened_share");
  ASSERT_NE(first, std::string::npos) << table;
  ASSERT_NE(second, std::string::npos) << table;
  EXPECT_LT(first, second) << table;
  // The second configuration's column starts at the same place in both rows.
  auto column_two = [&](size_t row) {
    const std::string line = table.substr(row, table.find('\n', row) - row);
    const size_t one = line.find_first_not_of(' ', line.find(' ', 2));
    return line.find_first_not_of(' ', line.find("] ", one) + 1);
  };
  EXPECT_EQ(column_two(first), column_two(second)) << table;
}

// A metric undefined in some replicates: its mean in each configuration is over the replicates
// that define it, its difference over those where both do, so the three need not agree: the
// difference says how many it paired, and a legend says why. A share's difference (of the pooled
// shares) and a fully paired one are not marked.
TEST(CompareOutputs, ADifferenceOverFewerReplicatesSaysSo) {
  vg::io::CompareReport r;
  r.configs = {{"a", "a", "a.yaml", "", {}, {}}, {"b", "b", "b.yaml", "g", {}, {}}};
  r.replicates = 10;
  vg::metrics::ComparedMetric delay{"detection_delay_days", "days", "region", {}, {}};
  delay.value = {{3.0, 2.0, 4.0, 8}, {2.0, 1.5, 2.5, 10}};  // undefined in 2 replicates of a
  delay.diff = {{0, 0, 0, 8}, {-0.5, -1.0, 0.0, 8}};        // -0.5 over the 8 both define, not 2 - 3
  vg::metrics::ComparedMetric hours{"hours_worked", "hours", "region", {}, {}};
  hours.value = {{10, 9, 11, 10}, {12, 11, 13, 10}};
  hours.diff = {{0, 0, 0, 10}, {2, 1.5, 2.5, 10}};
  r.metrics = {delay, hours};
  const std::string table = vg::io::compare_table(r);
  EXPECT_NE(table.find("-0.5 [-1.0, +0.0] (8 paired)"), std::string::npos) << table;
  EXPECT_EQ(table.find("+2.0 [+1.5, +2.5] ("), std::string::npos) << table;
  EXPECT_NE(table.find("(K paired): the metric is undefined in some replicates"), std::string::npos) << table;
  // The mean itself says over how many replicates it is, when fewer than were run.
  EXPECT_NE(table.find("3.0 [2.0, 4.0] (n=8)"), std::string::npos) << table;
  EXPECT_EQ(table.find("2.0 [1.5, 2.5] (n="), std::string::npos) << table;
  EXPECT_NE(table.find("(n=K): the mean is over the K replicates in which the metric is defined"), std::string::npos)
      << table;
  r.metrics = {hours};
  EXPECT_EQ(vg::io::compare_table(r).find("paired):"), std::string::npos);
  EXPECT_EQ(vg::io::compare_table(r).find("(n="), std::string::npos);
  // Defined in one replicate: no interval, rather than [4.0, 4.0].
  delay.value = {{4.0, 4.0, 4.0, 1}, {2.0, 1.5, 2.5, 10}};
  delay.diff = {{0, 0, 0, 1}, {-0.33, -0.33, -0.33, 1}};
  r.metrics = {delay};
  const std::string one = vg::io::compare_table(r);
  EXPECT_NE(one.find("4.0 [one replicate: no interval]  "), std::string::npos) << one;
  EXPECT_NE(one.find("-0.3 [one replicate: no interval] (1 paired)"), std::string::npos) << one;
  EXPECT_EQ(one.find("[4.0, 4.0]"), std::string::npos) << one;
}

// A difference that rounds to zero prints "+0.0", a value "0.0": never "-0.0" (a negative zero, or
// a tiny negative, rounded).
TEST(CompareOutputs, ZeroIsNeverNegative) {
  vg::io::CompareReport r;
  r.configs = {{"a", "a", "a.yaml", "", {}, {}}, {"b", "b", "b.yaml", "g", {}, {}}};
  r.replicates = 10;
  vg::metrics::ComparedMetric hours{"hours_worked", "hours", "region", {}, {}};
  hours.value = {{-0.0, -0.04, 0.0, 10}, {-0.0, -0.01, 0.01, 10}};
  hours.diff = {{0, 0, 0, 10}, {-0.0, -0.04, 0.02, 10}};
  vg::metrics::ComparedMetric share{"screened_share", "share", "region", {}, {}};
  share.value = {{0.5, 0.4, 0.6, 10}, {0.5, 0.4, 0.6, 10}};
  share.diff = {{0, 0, 0, 10}, {-0.0, -0.0004, 0.0001, 10}};
  r.metrics = {hours, share};
  const std::string table = vg::io::compare_table(r);
  EXPECT_EQ(table.find("-0.0"), std::string::npos) << table;
  EXPECT_NE(table.find("0.0 [0.0, 0.0]"), std::string::npos) << table;
  EXPECT_NE(table.find("+0.0 [+0.0, +0.0]"), std::string::npos) << table;
  EXPECT_NE(table.find("+0.0 pp [+0.0, +0.0]"), std::string::npos) << table;
  // compare.json names each configuration's grid (null without one).
  const auto j = nlohmann::json::parse(vg::io::compare_json(r, "test"));
  EXPECT_TRUE(j["configurations"][0]["grid"].is_null());
  EXPECT_EQ(j["configurations"][1]["grid"], "g");
}

// A first day that never came in a configuration reads "never" there, not "-" (the trial saw
// "-  0.0 [0.0, 0.0]  -" for a stock-out that a change brought on).
TEST(CompareOutputs, AFirstDayThatNeverCameSaysNever) {
  vg::io::CompareReport r;
  r.configs = {{"a", "a", "a.yaml", "", {}, {}}, {"b", "b", "b.yaml", "", {}, {}}};
  r.replicates = 10;
  const double nan = std::nan("");
  vg::metrics::ComparedMetric first{"first_stockout_day", "day", "region", {}, {}};
  first.value = {{nan, nan, nan, 0}, {0, 0, 0, 10}};
  first.diff = {{0, 0, 0, 10}, {nan, nan, nan, 0}};
  r.metrics = {first};
  const std::string table = vg::io::compare_table(r);
  EXPECT_NE(table.find("  first_stockout_day    never    "), std::string::npos) << table;
  EXPECT_NE(table.find("0.0 [0.0, 0.0]"), std::string::npos) << table;
}

// The role table shows days out of hours, what each role could do and what stayed unmet, with a
// legend; roles.csv has every role metric.
TEST(CliRunTables, RoleTableAndRolesCsv) {
  TempDir dir;
  auto r = run_cli("run --replicates 4 --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* column : {"avail h", "worked h", "could do h", "unmet h", "days out", "first out", "busiest h"})
    EXPECT_NE(r.output.find(column), std::string::npos) << column << "\n" << r.output;
  EXPECT_NE(r.output.find("  unmet h: of those, hours of tasks that passed their deadline undone"), std::string::npos);
  const size_t header = r.output.find("\nrole ");
  ASSERT_NE(header, std::string::npos) << r.output;
  const std::string columns = r.output.substr(header, r.output.find('\n', header + 1) - header);
  EXPECT_EQ(columns.find("ran out"), std::string::npos) << columns;  // the column that read as a contradiction
  const std::string roles = read_file(dir.path() / "roles.csv");
  EXPECT_EQ(roles.rfind("role,metric,unit,mean,p5,p95,n\n", 0), 0u) << roles;
  EXPECT_NE(roles.find("\nvillage_cadre,hours_could_do,hours,"), std::string::npos) << roles;
  EXPECT_NE(roles.find("\nvillage_cadre,days_out_of_hours,days,"), std::string::npos) << roles;
  EXPECT_EQ(roles.find("e+"), std::string::npos);
}

// A role nobody has cannot run out of hours: its row says "no staff", not "never", and the legend
// says what that means; its tasks' hours still show as work it could do.
TEST(CliRunTables, ARoleNobodyHasSaysSo) {
  TempDir dir;
  std::string text = read_file(scenario("pushan-2020.yaml"));
  const size_t at = text.find("party_building_instructor: {count: 1");
  ASSERT_NE(at, std::string::npos);
  text.erase(at, text.find('\n', at) + 1 - at);
  text.erase(text.rfind('\n', at - 1) + 1, at - text.rfind('\n', at - 1) - 1);  // the line's indent
  const std::string path = vg::testing::write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "no-instructor.yaml", text);
  auto r = run_cli("run " + path + " --replicates 2 --out " + (dir.path() / "out").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const size_t row = r.output.find("\nparty_building_instructor ");
  ASSERT_NE(row, std::string::npos) << r.output;
  const std::string line = r.output.substr(row + 1, r.output.find('\n', row + 1) - row - 1);
  EXPECT_NE(line.find(" no staff "), std::string::npos) << line;
  EXPECT_EQ(line.find("never"), std::string::npos) << line;
  EXPECT_NE(r.output.find("  no staff: nobody of the role is on duty"), std::string::npos) << r.output;
  EXPECT_EQ(run_cli("run --replicates 2 --out " + (dir.path() / "shipped").string()).output.find("no staff"),
            std::string::npos);  // every role staffed: no legend line
}

// Which villages ran short: the region's village-days out of hours are its villages' added, its
// first day the earliest of theirs, and the summary names the villages, most days first.
TEST(CliRunTables, VillagesOutOfHoursAddUpAndAreNamed) {
  TempDir dir;
  auto r = run_cli("run " + scenario("maoming-villages.yaml") + " --replicates 3 --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_file(dir.path() / "summary.json"));
  double villages_days = 0, region_days = -1, region_first = -1, earliest = 1e9;
  std::string most;
  double most_days = 0;
  for (const auto& m : summary["metrics"]) {
    if (m["scope"] == "town") continue;
    const bool region = m["scope"] == "region";
    if (m["metric"] == "out_of_hours_village_days") {
      const double mean = m["mean"].get<double>();
      if (region) {
        region_days = mean;
      } else {
        villages_days += mean;
        if (mean > most_days) most_days = mean, most = m["village"].get<std::string>();
      }
    } else if (m["metric"] == "first_out_of_hours_day" && m["n"].get<int>() > 0) {
      (region ? region_first : earliest) =
          region ? m["mean"].get<double>() : std::min(earliest, m["mean"].get<double>());
    }
  }
  ASSERT_GT(region_days, 0) << "no village ran out of hours; the test needs one that does";
  EXPECT_NEAR(region_days, villages_days, 1e-9);  // a mean of sums is the sum of the means
  EXPECT_LE(region_first, earliest);              // the earliest village each replicate
  EXPECT_NE(
      r.output.find(
          "Villages whose own staff ran out of hours with work overdue (days, means over replicates): " + most + " "),
      std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("No village ran out of a supply."), std::string::npos) << r.output;
}

TEST(CliCompare, UnknownMetricIsAnErrorWithDidYouMean) {
  auto r = run_cli("compare " + scenario("pushan-2020.yaml") + " " + scenario("returnees-low.yaml") +
                   " --replicates 2 --metrics screened_share,screend_within_24h_share");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean 'screened_within_24h_share'"), std::string::npos) << r.output;
  // At its column in the list, the list shown with the caret under it.
  EXPECT_NE(r.output.find("--metrics:1:16: error: unknown metric 'screend_within_24h_share'"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  screened_share,screend_within_24h_share\n                 ^"), std::string::npos)
      << r.output;
}

// An empty name in --metrics is an error at its column, not a silent "every metric".
TEST(CliCompare, AnEmptyMetricNameIsAnError) {
  const std::string two = "compare " + scenario("pushan-2020.yaml") + " " + scenario("returnees-low.yaml");
  auto r = run_cli(two + " --replicates 2 --metrics ''");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--metrics:1:1: error: empty metric name; give names separated by commas"), std::string::npos)
      << r.output;
  r = run_cli(two + " --replicates 2 --metrics screened_share,,hours_worked");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--metrics:1:16: error: empty metric name"), std::string::npos) << r.output;
}

// A misspelt command or option is named with the closest, before anything else reads it.
TEST(CliMistakes, MisspeltCommandsOptionsAndFilesGetDidYouMean) {
  auto r = run_cli("rnu");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("unknown command 'rnu' for 'villagegrid'; did you mean 'run'?"), std::string::npos)
      << r.output;
  r = run_cli("exercise strat x");
  EXPECT_NE(r.output.find("unknown command 'strat' for 'villagegrid exercise'; did you mean 'start'?"),
            std::string::npos)
      << r.output;
  r = run_cli("run " + scenario("pushan-2020.yaml") + " --replicate 5");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("unknown option '--replicate' for 'villagegrid run'; did you mean '--replicates'?"),
            std::string::npos)
      << r.output;
  r = run_cli("run " + std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan2020.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("pushan2020.yaml: error: no such file; did you mean '" + scenario("pushan-2020.yaml") + "'?"),
            std::string::npos)
      << r.output;
  // check with one file missing still checks the others, and fails.
  r = run_cli("check " + scenario("pushan-2020.yaml") + " " + std::string(VILLAGEGRID_SOURCE_DIR) +
              "/scenarios/pushan2020.yaml");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("pushan2020.yaml: error: no such file; did you mean '" + scenario("pushan-2020.yaml") + "'?"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("pushan-2020.yaml: R0 2.23"), std::string::npos) << r.output;  // the one found, checked
  EXPECT_NE(r.output.find("1 file(s) checked: 0 error(s), 0 warning(s); 1 not checked (not found, or not a file)"),
            std::string::npos)
      << r.output;
  r = run_cli("report " + std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios -o /nonexistent-villagegrid-folder/x.html");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("/nonexistent-villagegrid-folder: error: no such folder (the folder of -o "),
            std::string::npos)
      << r.output;
  r = run_cli("check " + std::string(VILLAGEGRID_SOURCE_DIR) + "/rules");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("/rules: error: a folder; check takes files ("), std::string::npos) << r.output;
  // A rule test file given to check: run it with `villagegrid test`, not the scenario keys it lacks.
  r = run_cli("check " + std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/tests/detection.test.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("detection.test.yaml:2:1: error: this is a rule test file: run it with `villagegrid test "),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("missing required key"), std::string::npos) << r.output;
  // An exercise's command script is played, not checked; a missing exercise folder reads as a missing file.
  r = run_cli("check " + std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/spring-festival-drill.commands");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("this is an exercise's command script: play it with `villagegrid exercise console DIR "
                          "--script "),
            std::string::npos)
      << r.output;
  r = run_cli("exercise console /nonexistent-villagegrid-folder");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/nonexistent-villagegrid-folder: error: no such folder"), std::string::npos) << r.output;
  r = run_cli("run --seed -1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--seed: expected a whole number, 0 or more; got -1"), std::string::npos) << r.output;
  // A word where a count goes is not "not in range": what is expected, with the range.
  r = run_cli("run --replicates abc");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--replicates: expected a whole number from 1 to 1000000; got abc"), std::string::npos)
      << r.output;
  // Past the largest seed: refused as in a scenario file (it was turned into the largest silently).
  r = run_cli("run --seed 9223372036854775808");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--seed: expected a whole number from 0 to 9223372036854775807; got 9223372036854775808"),
            std::string::npos)
      << r.output;
}

// Tasks by kind and by guideline, compared: printed when --metrics names them, always in the files,
// and the same counts as `run`'s summary.json for the same seed and replicates.
TEST(CliCompare, TaskKindsAndGuidelinesAreComparedAsRunCountsThem) {
  TempDir dir;
  const std::string two = "compare " + scenario("pushan-2020.yaml") + " " + scenario("returnees-low.yaml");
  auto r = run_cli(two + " --replicates 3 --metrics task:screening,guideline:4 --out " + (dir.path() / "c").string());
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* s : {"\ntask screening ", "\n  tasks_done ", "\n  hours_worked ", "\nguideline 4 "})
    EXPECT_NE(r.output.find(s), std::string::npos) << s << "\n" << r.output;
  EXPECT_EQ(r.output.find("\nregion"), std::string::npos) << r.output;  // only what was asked
  const std::string csv = read_file(dir.path() / "c" / "compare.csv");
  EXPECT_NE(csv.find("\ntasks_created,task:screening,tasks,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ntasks_late,guideline:4,tasks,2,"), std::string::npos) << csv;
  const auto j = nlohmann::json::parse(read_file(dir.path() / "c" / "compare.json"));
  ASSERT_TRUE(j["tasks"].contains("screening")) << j.dump();
  ASSERT_EQ(
      run_cli("run " + scenario("pushan-2020.yaml") + " --replicates 3 --quiet --out " + (dir.path() / "r").string())
          .status,
      0);
  const auto summary = nlohmann::json::parse(read_file(dir.path() / "r" / "summary.json"));
  int matched = 0;
  for (const auto& t : summary["tasks"]) {
    const auto& c = j["tasks"][t["task"].get<std::string>()][t["metric"].get<std::string>()]["configurations"][0];
    EXPECT_DOUBLE_EQ(c["value"]["mean"].get<double>(), t["mean"].get<double>()) << t.dump();
    ++matched;
  }
  for (const auto& g : summary["guidelines"]) {
    const auto& c = j["guidelines"][std::to_string(g["guideline"].get<int>())][g["metric"].get<std::string>()];
    EXPECT_DOUBLE_EQ(c["configurations"][0]["value"]["mean"].get<double>(), g["mean"].get<double>()) << g.dump();
    ++matched;
  }
  EXPECT_GT(matched, 10);
  // Sections in the order asked; a guideline asked for that created no task is said to have none.
  r = run_cli(two + " --replicates 2 --metrics task:household-sweep,task:screening,guideline:17 --out " +
              (dir.path() / "o").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_LT(r.output.find("\ntask household-sweep "), r.output.find("\ntask screening ")) << r.output;
  EXPECT_NE(r.output.find("\nguideline 17: no task of it was created in any configuration\n"), std::string::npos)
      << r.output;
  // Without --metrics the table says where they are; a misspelt kind is an error with "did you mean".
  r = run_cli(two + " --replicates 2 --out " + (dir.path() / "d").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("--metrics tasks, task:NAME, guidelines or guideline:N prints them"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("\ntask screening"), std::string::npos) << r.output;
  r = run_cli(two + " --replicates 2 --metrics task:screenig,guideline:27 --out " + (dir.path() / "e").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--metrics:1:1: error: unknown task kind 'screenig'; did you mean 'screening'?"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("--metrics:1:15: error: 'guideline:27': a guideline is a number from 0 to 26"),
            std::string::npos)
      << r.output;
}

// A village's own policy (policy: overrides) with a grid of its own: check gives its grid's load,
// compare names it per configuration and says what changed (both read "grid none" and said
// nothing, while the results differed).
TEST(CliCompare, AVillagesOwnGridIsNamedAndItsChangeSaid) {
  TempDir dir;
  const std::string shipped = scenario("maoming-villages.yaml");
  auto c = run_cli("check " + shipped);
  ASSERT_EQ(c.status, 0) << c.output;
  EXPECT_NE(c.output.find("maoming-villages.yaml: grid three_level (the per-village policy of Nanba): 30 party_member "
                          "hold 821 households in 1 village(s)"),
            std::string::npos)
      << c.output;
  std::string text = read_file(shipped);
  const std::string grid = "      grid: grids/three-level.yaml";
  ASSERT_NE(text.find(grid), std::string::npos);
  text.replace(text.find(grid), grid.size(), "      grid: grids/two-level.yaml");
  const std::string two = write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "two.yaml", text);
  auto r = run_cli("compare " + shipped + " " + two + " --replicates 2 --metrics screened_share --out " +
                   (dir.path() / "c").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("maoming-villages.yaml; grid none; Nanba's grid three_level)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("two.yaml; grid none; Nanba's grid two_level)\n      differs from [1] in: Nanba: grid "
                          "two_level (first: three_level)"),
            std::string::npos)
      << r.output;
  const auto j = nlohmann::json::parse(read_file(dir.path() / "c" / "compare.json"));
  EXPECT_EQ(j["configurations"][1]["village_grids"]["Nanba"], "two_level");
}

// --village compares a village on its own: the region's metrics over it alone, paired. Nanba on
// another grid against the shipped one: Pushan, in a town of its own, is the same replicate for
// replicate (every difference exactly 0); Nanba's contact members change. A trial could not ask
// "which villages run out of hours more under each" of compare at all.
TEST(CliCompare, AVillageIsComparedOnItsOwn) {
  TempDir dir;
  const std::string shipped = scenario("maoming-villages.yaml");
  std::string text = read_file(shipped);
  const std::string grid = "      grid: grids/three-level.yaml";
  ASSERT_NE(text.find(grid), std::string::npos);
  text.replace(text.find(grid), grid.size(), "      grid: grids/two-level.yaml");
  const std::string two = write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "two.yaml", text);
  const std::string run = "compare " + shipped + " " + two + " --replicates 3 --out " + (dir.path() / "c").string();
  auto r = run_cli(run + " --village Nanba --village Pushan --metrics tasks_late,households_without_contact_member");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("\nvillage Nanba "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\nvillage Pushan "), std::string::npos) << r.output;
  const auto j = nlohmann::json::parse(read_file(dir.path() / "c" / "compare.json"));
  for (const auto& [name, m] : j["villages"]["Pushan"].items()) {
    const auto& d = m["configurations"][1]["diff_vs_first"];
    if (!d["mean"].is_null()) {
      EXPECT_EQ(d["mean"].get<double>(), 0.0) << "Pushan " << name;
    }
  }
  EXPECT_NE(j["villages"]["Nanba"]["households_without_contact_member"]["configurations"][1]["diff_vs_first"]["mean"]
                .get<double>(),
            0.0);
  // The villages' own tasks late add up to the region's (a mean of sums is the sum of the means).
  const std::string csv = read_file(dir.path() / "c" / "compare.csv");
  EXPECT_NE(csv.find("\ntasks_late,village:Nanba,tasks,1,"), std::string::npos) << csv;
  auto bad = run_cli(run + " --village Nanbaa");
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("--village:1:1: error: unknown village 'Nanbaa'; did you mean 'Nanba'?"), std::string::npos)
      << bad.output;
}

// A copy of a grid (or rule file) with the same content is the same input: nothing to tell apart.
// A trial's copy of three-level.yaml read "Nanba: grid three_level of another file".
TEST(CliCompare, ACopyOfAFileIsNoDifference) {
  TempDir dir;
  const std::string shipped = scenario("maoming-villages.yaml");
  const fs::path copy = dir.path() / "my-three-level.yaml";
  fs::copy_file(fs::path(VILLAGEGRID_SOURCE_DIR) / "scenarios" / "grids" / "three-level.yaml", copy);
  std::string text = read_file(shipped);
  const std::string grid = "      grid: grids/three-level.yaml";
  ASSERT_NE(text.find(grid), std::string::npos);
  text.replace(text.find(grid), grid.size(), "      grid: " + copy.string());
  const std::string mine = write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "mine.yaml", text);
  auto r = run_cli("compare " + shipped + " " + mine + " --replicates 2 --metrics screened_share --out " +
                   (dir.path() / "c").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("of another file"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("differs from [1]"), std::string::npos) << r.output;
}

// --metrics before the scenarios takes one list (not the scenarios), and may be repeated.
TEST(CliCompare, MetricsListsBeforeAndAfterTheScenarios) {
  TempDir dir;
  auto r =
      run_cli("compare --metrics screened_share,tasks_late " + scenario("pushan-2020.yaml") + " " +
              scenario("returnees-low.yaml") + " --metrics hours_unmet --replicates 2 --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* m : {"  screened_share ", "  tasks_late ", "  hours_unmet "})
    EXPECT_NE(r.output.find(m), std::string::npos) << m << "\n" << r.output;
  EXPECT_EQ(r.output.find("  hours_worked "), std::string::npos) << r.output;
}

// Configurations of other regions: a warning on stderr, in the table and in compare.json.
TEST(CliCompare, OtherRegionsAreWarnedAbout) {
  TempDir dir;
  auto r = run_cli("compare " + scenario("pushan-2020.yaml") + " " + scenario("maoming-villages.yaml") +
                   " --replicates 2 --metrics screened_share,hours_worked --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("villagegrid: warning: [2] maoming-villages has another region than [1] pushan-2020"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("Warning: [2] maoming-villages has another region"), std::string::npos) << r.output;
  EXPECT_NE(read_file(dir.path() / "compare.json").find("paired differences mean nothing"), std::string::npos);
  EXPECT_NE(r.output.find("role village_cadre"), std::string::npos) << r.output;
  // The same region with other returnees pairs: no warning.
  auto same = run_cli("compare " + scenario("pushan-2020.yaml") + " " + scenario("returnees-low.yaml") +
                      " --replicates 2 --quiet --out " + (dir.path() / "b").string());
  ASSERT_EQ(same.status, 0) << same.output;
  EXPECT_EQ(same.output, "");
}

// What sets a configuration apart includes what a staffing comparison is about: 90 party members
// against 60 is named (it had no line at all); another horizon and a seed of its own, which the
// first's replaces, are warned of (they went unsaid beside "the same returnees").
TEST(CliCompare, SaysTheStaffHorizonAndSeedThatDiffer) {
  TempDir dir;
  const std::string shipped = read_file(scenario("pushan-2020.yaml"));
  auto variant = [&](const std::string& name, const std::string& from, const std::string& to) {
    std::string text = shipped;
    EXPECT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
    return vg::testing::write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, name, text);
  };
  const auto more = variant("more.yaml", "party_member: {count: 60,", "party_member: {count: 90,");
  const auto shorter = variant("shorter.yaml", "horizon_days: 60", "horizon_days: 30");
  const auto own_seed = variant("own-seed.yaml", "seed: 20200124", "seed: 42");
  const auto longer = variant("longer.yaml", "party_member: {count: 60, hours_per_day: 2,",
                              "party_member: {count: 60, hours_per_day: 4,");
  auto r = run_cli("compare " + scenario("pushan-2020.yaml") + " " + more + " " + shorter + " " + own_seed + " " +
                   longer + " --replicates 2 --metrics tasks_late --out " + (dir.path() / "c").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("differs from [1] in: staff party_member 90 (first: 60)"), std::string::npos) << r.output;
  // The same 60 people working twice as long: their hours a day (it had no line at all).
  EXPECT_NE(r.output.find("differs from [1] in: staff party_member hours 240 a day (first: 120)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("differs from [1] in: horizon 30 days (first: 60)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("villagegrid: warning: [3] pushan-2020-3 runs 30 days, [1] 60: its paired differences mix "
                          "the horizon"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("villagegrid: warning: [4] pushan-2020-4's own seed (42) is not used: every configuration "
                          "runs [1]'s seed 20200124"),
            std::string::npos)
      << r.output;
  const auto json = nlohmann::json::parse(read_file(dir.path() / "c" / "compare.json"));
  EXPECT_EQ(json["warnings"].size(), 2u) << json["warnings"];
  // With --seed every configuration runs the seed asked for: nothing to warn of.
  r = run_cli("compare " + scenario("pushan-2020.yaml") + " " + own_seed + " --seed 7 --replicates 2 --quiet --out " +
              (dir.path() / "s").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "");
}

// The table's first line says whether replicate k of every configuration has the same returnees
// arriving at the same minutes: the same scenario with another grid does; 800 returnees against
// 1,600 do not (it said they did), nor the same returnees in a late surge.
TEST(CliCompare, SaysWhetherTheReturneesAreTheSame) {
  TempDir dir;
  const std::string same_line = "replicate k of every configuration has the same returnees and arrivals.";
  const std::string other_line =
      "the configurations' residents, returnees or their arrivals differ, so replicate k of each draws other ones; "
      "pairs match "
      "by replicate only.";
  // The same returnees, origins and waves in households of another size: other people (it said the
  // same, above the warning that the region differs).
  std::string text = read_file(scenario("returnees-central.yaml"));
  for (size_t at; (at = text.find("../rules/")) != std::string::npos;)
    text.replace(at, 9, std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/");
  text.replace(text.find("mean_household_size: 3.9"), 24, "mean_household_size: 3.5");
  dir.write("smaller-households.yaml", text);
  int n = 0;
  for (const auto& [b, same] : {std::pair<std::string, bool>{scenario("pushan-2020-guidelines.yaml"), true},
                                {scenario("returnees-low.yaml"), false},
                                {scenario("returnees-late-surge.yaml"), false},
                                {(dir.path() / "smaller-households.yaml").string(), false}}) {
    const std::filesystem::path out = dir.path() / std::to_string(n++);
    auto r = run_cli("compare " + scenario("returnees-central.yaml") + " " + b +
                     " --replicates 2 --metrics screened_share --out " + out.string());
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find(same ? same_line : other_line), std::string::npos) << b << "\n" << r.output;
    EXPECT_EQ(nlohmann::json::parse(read_file(out / "compare.json"))["same_returnees"], same) << b;
  }
  // The last one says how its region differs.
  const auto j = nlohmann::json::parse(read_file(dir.path() / "3" / "compare.json"));
  const std::string differs = j["configurations"][1]["differs_from_first"][0];
  EXPECT_EQ(differs.rfind("region: 1 villages, 1814 households", 0), 0u) << differs;
}

// Each configuration names its grid, and what sets it apart from the first (rule files, grid,
// returnees) in the table and in compare.json: the scenario with twice the returnees has neither
// the guidelines nor the grid, which the numbers alone hid (it seemed to cut late tasks by two
// thirds).
TEST(CliCompare, SaysWhatSetsAConfigurationApart) {
  TempDir dir;
  auto r = run_cli("compare " + scenario("pushan-2020-guidelines.yaml") + " " + scenario("returnees-high.yaml") + " " +
                   scenario("pushan-2020-guidelines.yaml") + " --replicates 2 --metrics tasks_late --out " +
                   (dir.path() / "c").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("(" + scenario("pushan-2020-guidelines.yaml") + "; grid three_level)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("      differs from [1] in: rule files -guidelines-vocabulary.yaml, -guidelines.yaml; "
                          "grid none (first: three_level); 3200 returnees (first: 1600)\n"),
            std::string::npos)
      << r.output;
  const auto j = nlohmann::json::parse(read_file(dir.path() / "c" / "compare.json"));
  EXPECT_EQ(j["configurations"][0]["differs_from_first"].size(), 0u);
  EXPECT_EQ(j["configurations"][1]["differs_from_first"].size(), 3u);
  EXPECT_EQ(j["configurations"][2]["differs_from_first"].size(), 0u);  // the same file again
}

// Every subcommand that runs scenarios takes the same options, and --quiet prints nothing (but
// warnings: the plan asked here has none, its answer inside its range and every replicate asked for).
TEST(CliOptions, SameOptionsAcrossSubcommands) {
  for (const char* cmd : {"run", "compare", "plan"}) {
    auto help = run_cli(std::string(cmd) + " --help");
    ASSERT_EQ(help.status, 0) << help.output;
    for (const char* option : {"--out", "--replicates", "--seed", "--threads", "--resume", "--quiet"})
      EXPECT_NE(help.output.find(option), std::string::npos) << cmd << " lacks " << option << "\n" << help.output;
  }
  TempDir dir;
  const std::string s = scenario("pushan-2020.yaml");
  const std::string common = " --replicates 2 --seed 3 --threads 1 --quiet --out ";
  const std::vector<std::string> commands = {"run " + s + common + (dir.path() / "run").string(),
                                             "compare " + s + " " + s + common + (dir.path() / "compare").string(),
                                             "plan " + s +
                                                 " --target 'screened_within_24h_of_arrival_share >= 0.3' --vary "
                                                 "village_cadre=8..12 --share 1" +
                                                 common + (dir.path() / "plan").string()};
  for (const auto& c : commands) {
    auto r = run_cli(c);
    EXPECT_EQ(r.status, 0) << c << "\n" << r.output;
    EXPECT_EQ(r.output, "") << c;
  }
}

// plan's per cents: whole, but a share that is not all or none never reads 100% or 0% (199 of 200
// read "100%" beside a note that the target failed once).
TEST(PlanTables, APerCentIsNeverAllOrNoneWhenTheShareIsNot) {
  EXPECT_EQ(vg::io::percent(0.75), "75%");
  EXPECT_EQ(vg::io::percent(1.0), "100%");
  EXPECT_EQ(vg::io::percent(0.0), "0%");
  EXPECT_EQ(vg::io::percent(199.0 / 200), "99.5%");
  EXPECT_EQ(vg::io::percent(1999.0 / 2000), "99.95%");
  EXPECT_EQ(vg::io::percent(1.0 / 300), "0.3%");
}

}  // namespace
