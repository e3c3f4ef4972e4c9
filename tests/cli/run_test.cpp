// End-to-end runs of the villagegrid binary: exit codes, outputs, byte-identical determinism.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

TEST(CliRun, DefaultScenarioWritesBothOutputs) {
  TempDir dir;
  auto r = run_cli("run --replicates 20 --out " + (dir.path() / "out").string());
  ASSERT_EQ(r.status, 0) << r.output;
  // Pushan finds its returnees days after they come home: the share within 24 hours of arrival leads
  // the answers (100% of registration, read first, hid it).
  const size_t answers = r.output.find("\nScreened within 24 hours of arrival: ");
  EXPECT_NE(answers, std::string::npos) << r.output;
  EXPECT_LT(answers, r.output.find("within 24 hours of registration (being found): ")) << r.output;
  EXPECT_NE(r.output.find("hours after arriving on average.\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("First to run out of hours"), std::string::npos) << r.output;
  const std::string summary = read_file(dir.path() / "out" / "summary.json");
  const std::string ts = read_file(dir.path() / "out" / "timeseries.csv");
  EXPECT_NE(summary.find("\"screened_within_24h_share\""), std::string::npos);
  EXPECT_NE(summary.find("\"scenario\": \"pushan-2020\""), std::string::npos);
  // Header plus one row per replicate, village and day: 20 x 1 x 60.
  EXPECT_EQ(std::count(ts.begin(), ts.end(), '\n'), 1 + 20 * 60);
  EXPECT_EQ(ts.rfind("replicate,town,village,day,date,", 0), 0u);
  // Pushan finds its returnees (a finding section): each day's channels add up to those registered
  // (care seeking and neighbours' reports had no columns, and the sum fell short).
  std::istringstream in(ts);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  for (std::istringstream h(line); std::getline(h, line, ',');) header.push_back(line);
  auto col = [&](const std::string& name) {
    return size_t(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::vector<size_t> channels = {col("found_self_report"), col("found_household_visit"), col("found_checkpoint"),
                                        col("found_care_seeking"), col("found_neighbour_report")};
  const size_t arrivals = col("arrivals");
  for (size_t c : channels) ASSERT_LT(c, header.size());
  int rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    for (std::istringstream fields(line); std::getline(fields, line, ',');) f.push_back(line);
    int sum = 0;
    for (size_t c : channels) sum += std::stoi(f[c]);
    EXPECT_EQ(sum, std::stoi(f[arrivals])) << "row " << rows;
    ++rows;
  }
  EXPECT_EQ(rows, 20 * 60);
}

// A second run into the same --out folder replaces the first run's set whole (it was refused once:
// roles.csv was missing from the names the writer knows, so the folder looked foreign).
TEST(CliRun, RunningAgainIntoTheSameFolderReplacesIt) {
  TempDir dir;
  const std::string out = (dir.path() / "out").string();
  auto first = run_cli("run --replicates 3 --seed 1 --trace --quiet --out " + out);
  ASSERT_EQ(first.status, 0) << first.output;
  const std::string summary1 = read_file(dir.path() / "out" / "summary.json");
  ASSERT_FALSE(read_file(dir.path() / "out" / "roles.csv").empty());
  ASSERT_FALSE(read_file(dir.path() / "out" / "trace.csv").empty());
  auto second = run_cli("run --replicates 3 --seed 2 --quiet --out " + out);
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(read_file(dir.path() / "out" / "summary.json"), summary1);
  EXPECT_FALSE(read_file(dir.path() / "out" / "roles.csv").empty());
  // The first run's trace goes with its set: no trace beside the second run's summary.
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "trace.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "persons.csv"));
}

TEST(CliRun, ByteIdenticalAcrossThreadCountsAndRuns) {
  TempDir dir;
  const std::string common = "run --replicates 40 --seed 11 --quiet --out ";
  ASSERT_EQ(run_cli(common + (dir.path() / "t1").string() + " --threads 1").status, 0);
  ASSERT_EQ(run_cli(common + (dir.path() / "t2").string() + " --threads 2").status, 0);
  ASSERT_EQ(run_cli(common + (dir.path() / "t2b").string() + " --threads 2").status, 0);
  for (const char* f : {"summary.json", "timeseries.csv"}) {
    const std::string a = read_file(dir.path() / "t1" / f);
    ASSERT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, read_file(dir.path() / "t2" / f)) << f << " differs between --threads 1 and 2";
    EXPECT_EQ(a, read_file(dir.path() / "t2b" / f)) << f << " differs between two runs";
  }
}

// --profile's per-core rate divides by the threads the run could use: --threads 1 is one thread,
// whatever the machine has (it once read the arena's concurrency and printed all cores).
TEST(CliRun, ProfileCountsTheThreadsAllowed) {
  TempDir dir;
  auto r = run_cli("run --replicates 2 --quiet --profile --threads 1 --out " + (dir.path() / "p").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(" replicates simulated = "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("agent-days, 1 threads\n"), std::string::npos) << r.output;
  // More threads than the machine runs: said, not capped silently.
  r = run_cli("run --replicates 2 --quiet --profile --threads 4096 --out " + (dir.path() / "q").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(" threads of the 4096 asked: this machine runs at most "), std::string::npos) << r.output;
}

TEST(CliRun, SeedChangesResults) {
  TempDir dir;
  ASSERT_EQ(run_cli("run --replicates 5 --seed 1 --quiet --out " + (dir.path() / "a").string()).status, 0);
  ASSERT_EQ(run_cli("run --replicates 5 --seed 2 --quiet --out " + (dir.path() / "b").string()).status, 0);
  EXPECT_NE(read_file(dir.path() / "a" / "timeseries.csv"), read_file(dir.path() / "b" / "timeseries.csv"));
}

TEST(CliRun, TraceNamesRulesAndLocations) {
  TempDir dir;
  auto r = run_cli("run --replicates 1 --trace --quiet --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string trace = read_file(dir.path() / "trace.csv");
  EXPECT_NE(trace.find("screen-returnee"), std::string::npos);
  EXPECT_NE(trace.find("rules/returnees.yaml:"), std::string::npos);
}

TEST(CliExitCodes, VersionHelpAndBadUsage) {
  const auto version = run_cli("--version");
  EXPECT_EQ(version.status, 0);
  EXPECT_NE(version.output.find("(MPI: "), std::string::npos) << version.output;  // the build says whether it splits
  EXPECT_EQ(run_cli("--help").status, 0);
  EXPECT_EQ(run_cli("run --help").status, 0);
  EXPECT_EQ(run_cli("").status, 2);  // a subcommand is required
  EXPECT_EQ(run_cli("frobnicate").status, 2);
  EXPECT_EQ(run_cli("run --threads 0").status, 2);
  EXPECT_EQ(run_cli("run --replicates -3").status, 2);
  EXPECT_EQ(run_cli("run /no/such/scenario.yaml").status, 2);
  // A value that is not a number says what the option takes (not CLI11's "Could not convert").
  const auto r = run_cli("run --seed abc");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--seed: expected a whole number; got abc"), std::string::npos) << r.output;
}

TEST(CliExitCodes, CheckShippedFilesIsClean) {
  const std::string root = VILLAGEGRID_SOURCE_DIR;
  auto r = run_cli("check " + root + "/scenarios/pushan-2020.yaml " + root + "/rules/vocabulary.yaml " + root +
                   "/rules/returnees.yaml " + root + "/rules/tracking/five-plus-one.yaml");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("0 error(s), 0 warning(s)"), std::string::npos) << r.output;
}

// check states the load of a grid's contact members, and says when the span does not set it (every
// member over it, cover_all dealing out the rest): a finer span there changes nothing an analyst
// expects (60 party members hold Pushan's 1,621 households under a span of 20 or of 10).
TEST(CliExitCodes, CheckStatesTheGridsLoad) {
  const std::string root = VILLAGEGRID_SOURCE_DIR;
  auto r = run_cli("check " + root + "/scenarios/pushan-2020-guidelines.yaml");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("pushan-2020-guidelines.yaml: grid three_level: 60 party_member hold 1621 households in 1 "
                          "village(s), 27.0 each on average, at most 34 (Pushan); 60 of 60 over the span of 20 "
                          "(cover_all deals out the households beyond it: the span does not set the load here"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("0 error(s), 0 warning(s)"), std::string::npos) << r.output;
  // A span of 60: the first members of each party group take 60 households each, 28 hold none.
  vg::testing::TempDir dir;
  std::string grid = vg::testing::read_file(root + "/scenarios/grids/three-level.yaml");
  grid.replace(grid.find("households_per_member: 20 "), 26, "households_per_member: 60 ");
  dir.write("grid.yaml", grid);
  std::string sc = vg::testing::read_file(root + "/scenarios/pushan-2020-guidelines.yaml");
  sc.replace(sc.find("grid: grids/three-level.yaml"), 28, "grid: grid.yaml");
  for (size_t at; (at = sc.find("../rules/")) != std::string::npos;) sc.replace(at, 9, root + "/rules/");
  dir.write("span60.yaml", sc);
  r = run_cli("check " + (dir.path() / "span60.yaml").string());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("at most 60 (Pushan); 0 of 60 over the span of 60; 28 hold no household"), std::string::npos)
      << r.output;
}

// A grid, policy or exercise file where a scenario goes: one error saying what the file is and where
// it belongs (not every scenario key missing), exit 2, for run and plan alike.
TEST(CliExitCodes, AFileThatIsNotAScenarioSaysWhatItIs) {
  const std::string root = VILLAGEGRID_SOURCE_DIR;
  const struct {
    std::string cmd, said;
  } cases[] = {
      {"run " + root + "/scenarios/grids/three-level-cadre-led.yaml",
       "three-level-cadre-led.yaml:5:1: error: this is a grid file, not a scenario: a scenario names it under "
       "policy.grid"},
      {"run " + root + "/rules/returnees.yaml", "returnees.yaml:3:1: error: this is a policy file, not a scenario"},
      {"plan " + root + "/rules/vocabulary.yaml --vary village_cadre=1..3 --target 'screened_share >= 0.9'",
       "vocabulary.yaml:3:1: error: this is a policy file, not a scenario"},
      {"run " + root + "/scenarios/exercises/spring-festival-drill.yaml",
       "spring-festival-drill.yaml:5:1: error: this is an exercise file, not a scenario: start it with 'villagegrid "
       "exercise start FILE'"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c.cmd);
    EXPECT_EQ(r.status, 2) << c.cmd << "\n" << r.output;
    EXPECT_NE(r.output.find(c.said), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("1 error(s) in the input"), std::string::npos) << r.output;
  }
}

// A run that cannot write its outputs fails with exit 1 and leaves no partial file behind.
TEST(CliExitCodes, UnwritableOutputFailsCleanly) {
  TempDir dir;
  const auto blocker = dir.write("not-a-folder", "x");
  auto r = run_cli("run --replicates 2 --quiet --out " + blocker + "/out");
  EXPECT_EQ(r.status, 1) << r.output;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) EXPECT_EQ(e.path().filename(), "not-a-folder");
}

// summary.json's tasks by kind: a rule author's new task is seen by its name (it could be seen only
// through a guideline number). Over the kinds they add up to the guidelines' counts and to the roles'
// hours, in every replicate's mean.
TEST(CliRun, TasksByKindAddUpToTheGuidelinesAndTheRolesHours) {
  TempDir dir;
  auto summary_of = [&](const std::string& scenario, const std::string& out) {
    const auto r = run_cli("run " + scenario + " --replicates 3 --quiet --out " + (dir.path() / out).string());
    EXPECT_EQ(r.status, 0) << r.output;
    return nlohmann::json::parse(read_file(dir.path() / out / "summary.json"));
  };
  auto sum = [](const nlohmann::json& records, const std::string& metric) {
    double total = 0;
    for (const auto& e : records)
      if (e["metric"] == metric) total += e["mean"].get<double>();
    return total;
  };
  auto adds_up = [&](const nlohmann::json& j) {
    ASSERT_FALSE(j["tasks"].empty());
    EXPECT_NEAR(sum(j["tasks"], "tasks_created"), sum(j["guidelines"], "tasks_created"), 1e-6);
    EXPECT_NEAR(sum(j["tasks"], "tasks_late"), sum(j["guidelines"], "tasks_late"), 1e-6);
    EXPECT_NEAR(sum(j["tasks"], "hours_worked"), sum(j["roles"], "hours_worked"), 1e-6);
  };
  auto has = [](const nlohmann::json& j, const std::string& task) {
    for (const auto& e : j["tasks"])
      if (e["task"] == task) return true;
    return false;
  };
  const std::string scenarios = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/";
  const auto j = summary_of(scenarios + "pushan-2020-guidelines.yaml", "g");
  adds_up(j);
  bool screening = false;
  for (const auto& e : j["tasks"]) screening = screening || (e["task"] == "screening" && e["guideline"] == 4);
  EXPECT_TRUE(screening && has(j, "five_plus_one/village_doctor")) << j["tasks"];
  // Villages under their own policies (policy: overrides): every program's kinds, by name. Nanba's
  // household contacts were left out (41,403 tasks by kind against 53,865 by guideline), and an
  // override listing its rule files in another order relabelled the kinds (16,342 "screening" tasks
  // for 5,660 returnees screened).
  const auto v = summary_of(scenarios + "maoming-villages.yaml", "v");
  adds_up(v);
  EXPECT_TRUE(has(v, "household-contact")) << v["tasks"];
  std::string text = read_file(scenarios + "maoming-villages.yaml");
  const std::string nanba = "../rules/tracking/five-plus-one.yaml, ../rules/villages/nanba.yaml]";
  ASSERT_NE(text.find(nanba), std::string::npos);
  text.replace(text.find(nanba), nanba.size(), "../rules/tracking/five-plus-one.yaml]");
  const std::string first = "      rules: [../rules/vocabulary.yaml, ../rules/returnees.yaml";
  const size_t at = text.find(first, text.find("villages: [Nanba]"));
  ASSERT_NE(at, std::string::npos);
  text.replace(at, first.size(),
               "      rules: [../rules/vocabulary.yaml, ../rules/villages/nanba.yaml, ../rules/returnees.yaml");
  const auto w = summary_of(write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "reordered.yaml", text), "w");
  // A per-village policy defining a task of the same name otherwise: warned, as the outputs count
  // them as one kind, by name.
  const std::string collide = dir.write("collide.yaml", R"(rules:
  - id: extra-screen
    guideline: 9
    title: Extra screening round on day 1
    source: assumption
    note: a task name shared with another guideline
    priority: 50
    on: {day: 1}
    do:
      - create_task: {name: screening, roles: [village_cadre], minutes: 10, within_hours: 24, copies: 3}
)");
  std::string clash = read_file(scenarios + "maoming-villages.yaml");
  const std::string yunshi =
      "    - villages: [Yunshi]      # report: \"5+1\" and the vanguard post, stood by the first secretary\n"
      "      rules: [../rules/vocabulary.yaml, ../rules/returnees.yaml,";
  ASSERT_NE(clash.find(yunshi), std::string::npos);
  clash.replace(clash.find(yunshi), yunshi.size(),
                "    - villages: [Yunshi]\n      rules: [../rules/vocabulary.yaml, " + collide + ",");
  const auto c = run_cli("check " + write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "clash.yaml", clash));
  EXPECT_EQ(c.status, 0) << c.output;
  EXPECT_NE(c.output.find("collide.yaml:10:29: warning: task 'screening' of this per-village policy is not the task "
                          "of that name at "),
            std::string::npos)
      << c.output;
  ASSERT_EQ(w["tasks"].size(), v["tasks"].size());
  for (size_t i = 0; i < v["tasks"].size(); ++i) {
    const auto& a = v["tasks"][i];
    bool found = false;
    for (const auto& b : w["tasks"])
      if (b["task"] == a["task"] && b["metric"] == a["metric"]) {
        found = true;
        EXPECT_EQ(b["mean"], a["mean"]) << a;
      }
    EXPECT_TRUE(found) << a;
  }
}

// `compare` of a scenario with itself: every paired difference is exactly zero; and the outputs exist.
TEST(CliCompare, SameScenarioTwiceGivesZeroDifferences) {
  TempDir dir;
  const std::string s = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020.yaml";
  auto r = run_cli("compare " + s + " " + s + " --replicates 10 --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("+0.0 pp [+0.0, +0.0]"), std::string::npos) << r.output;
  // The same scenario twice: its names made distinct.
  EXPECT_NE(r.output.find("[2] pushan-2020-2 ("), std::string::npos) << r.output;
  const std::string csv = read_file(dir.path() / "compare.csv");
  ASSERT_FALSE(csv.empty());
  size_t lines = 0;
  for (size_t pos = 0; (pos = csv.find('\n', pos)) != std::string::npos; ++pos) ++lines;
  EXPECT_GT(lines, 10u);
  EXPECT_NE(csv.find(",2,pushan-2020-2,pushan-2020,"), std::string::npos) << csv;
  const auto json = nlohmann::json::parse(read_file(dir.path() / "compare.json"));
  const auto& first = json["metrics"]["screened_within_24h_share"]["configurations"];
  EXPECT_TRUE(first[0]["diff_vs_first"].is_null()) << first;  // nothing to difference the first against
  EXPECT_TRUE(first[1]["diff_vs_first"].is_object()) << first;
  EXPECT_EQ(run_cli("compare " + s).status, 2);  // needs two configurations
}

// A run that would not fit is refused before it allocates, with the estimate and what is available.
TEST(CliExitCodes, RunThatWouldNotFitIsRefused) {
  TempDir dir;
  auto r = run_cli("run " + std::string(VILLAGEGRID_SOURCE_DIR) +
                   "/scenarios/maoming-prefecture.yaml --replicates 100000 --out " + (dir.path() / "out").string());
  EXPECT_EQ(r.status, 2) << r.output;  // bad input for this machine, as the README says
  EXPECT_NE(r.output.find("maoming-prefecture.yaml:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("would need about"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("is available"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

// Sizes are estimated from the spec before anything is built: a generated region of 10,000
// villages of 100,000 residents (a billion people) under a 2 GB address-space limit is refused
// with the figures and exit 2, instead of allocating until bad_alloc or the OOM killer.
TEST(CliRun, AnAbsurdRegionIsRefusedBeforeAllocation) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "under AddressSanitizer (tools/sanitize.sh), which reserves terabytes of address space: no "
                  "address-space limit can be set; the ordinary suite runs this test";
#endif
  TempDir dir;
  std::string yaml = read_file(std::string(VILLAGEGRID_TEST_DATA) + "/bad/region-over-index-limit.yaml");
  const std::string from = "towns: 100, villages_per_town: 1000", to = "towns: 10, villages_per_town: 1000";
  ASSERT_NE(yaml.find(from), std::string::npos);
  yaml.replace(yaml.find(from), from.size(), to);
  for (size_t at; (at = yaml.find("../../../rules/")) != std::string::npos;)
    yaml.replace(at, 15, std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/");
  const std::filesystem::path file = dir.write("big.yaml", yaml);
  for (const char* cmd : {"run", "check"}) {
    const std::string sh = "bash -c 'ulimit -v 2000000; exec timeout 20 " + std::string(VILLAGEGRID_CLI) + " " + cmd +
                           " " + file.string() +
                           (cmd == std::string("run") ? " --out " + (dir.path() / "out").string() : "") + "' 2>&1";
    FILE* p = popen(sh.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    std::array<char, 4096> buf;
    for (size_t n; (n = fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
    const int st = pclose(p);
    ASSERT_TRUE(WIFEXITED(st)) << cmd << ": " << out;
    EXPECT_EQ(WEXITSTATUS(st), 2) << cmd << ": " << out;
    EXPECT_NE(out.find("big.yaml:19:5: error: the region is too large for this machine: 1,000,000,000 residents in "
                       "256,420,000 households of 10,000 villages need about"),
              std::string::npos)
        << cmd << ": " << out;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out")) << cmd;
  }
}

}  // namespace
