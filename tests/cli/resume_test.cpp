// Resumable sweeps (store/results_store.h, docs/outputs.md): a run, compare or plan killed (kill -9)
// at several points and resumed writes outputs byte-identical to an uninterrupted one, and a store
// with the same rows; resuming with other inputs is refused; a second run into the folder is
// refused while one runs; the analyst's query of docs/outputs.md gives what summary.json says.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

namespace fs = std::filesystem;
using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

std::string scenario(const std::string& name) { return std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/" + name; }

// Every row of every table of a store, in a fixed order, values exactly (REAL as hex float).
std::string store_rows(const fs::path& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << db_path;
  std::string out;
  for (const char* table : {"runs", "inputs", "configurations", "towns", "villages", "roles", "replicates",
                            "village_counts", "role_counts", "guideline_counts", "day_counts"}) {
    sqlite3_stmt* st = nullptr;
    std::string sql = std::string("SELECT * FROM ") + table;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << table;
    const int columns = sqlite3_column_count(st);
    sqlite3_finalize(st);
    for (int c = 1; c <= columns; ++c) sql += (c == 1 ? " ORDER BY " : ", ") + std::to_string(c);
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    out += std::string("[") + table + "]\n";
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        char buf[64];
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_INTEGER: out += std::to_string(sqlite3_column_int64(st, c)); break;
          case SQLITE_FLOAT:
            std::snprintf(buf, sizeof buf, "%a", sqlite3_column_double(st, c));
            out += buf;
            break;
          case SQLITE_NULL: out += "NULL"; break;
          default: out += reinterpret_cast<const char*>(sqlite3_column_text(st, c));
        }
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

// The folder's files, name -> content; results.sqlite by its rows.
std::map<std::string, std::string> outputs(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    out[name] = name == "results.sqlite" ? store_rows(e.path()) : read_file(e.path());
  }
  return out;
}

void expect_same_outputs(const fs::path& a, const fs::path& b, const std::string& what) {
  const auto x = outputs(a), y = outputs(b);
  ASSERT_EQ(x.size(), y.size()) << what;
  for (const auto& [name, content] : x) {
    ASSERT_TRUE(y.count(name)) << what << ": " << name;
    EXPECT_TRUE(content == y.at(name)) << what << ": " << name << " differs";
  }
  EXPECT_FALSE(fs::exists(b.parent_path() / ("." + b.filename().string() + ".partial"))) << what;
}

// Runs `args` killed after each of `kills` replicates committed (in turn, each resuming the last),
// then resumes to the end: the outputs are those of an uninterrupted run.
void kill_and_resume(const std::string& args, const std::vector<int>& kills, const std::string& what) {
  TempDir t;
  const fs::path ref = t.path() / "ref", out = t.path() / "out";
  const auto full = run_cli(args + " --out " + ref.string());
  ASSERT_EQ(full.status, 0) << full.output;
  bool first = true;
  for (int k : kills) {
    const auto r = run_cli(args + " --out " + out.string() + (first ? "" : " --resume"),
                           "VILLAGEGRID_KILL_AFTER_REPLICATES=" + std::to_string(k));
    ASSERT_EQ(r.status, 137) << what << " not killed after " << k << ": " << r.output;
    EXPECT_FALSE(fs::exists(out)) << what;  // nothing of a killed run is shown
    EXPECT_TRUE(fs::exists(t.path() / ".out.partial" / "results.sqlite")) << what;
    first = false;
  }
  const auto resumed = run_cli(args + " --out " + out.string() + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  int total = 0;
  for (int k : kills) total += k;
  EXPECT_NE(resumed.output.find("resuming: " + std::to_string(total) + " replicates finished earlier"),
            std::string::npos)
      << resumed.output;
  expect_same_outputs(ref, out, what);
}

TEST(Resume, AKilledRunResumesToTheSameOutputs) {
  const std::string run = "run " + scenario("pushan-2020.yaml") + " --replicates 12 --quiet --store";
  kill_and_resume(run, {1}, "run killed after 1");
  kill_and_resume(run, {5, 6}, "run killed after 5, then 6 more");
  kill_and_resume(run, {12}, "run killed after its last replicate");
}

// Ctrl-C (SIGINT) says what it leaves: nothing written to the folder, the finished replicates kept
// for --resume, which then goes on from them (it ended silently, and left the lock file behind).
// The process still ends by the signal (a shell sees 130).
TEST(Resume, AnInterruptedRunSaysWhatResumeGoesOnFrom) {
  TempDir t;
  const fs::path out = t.path() / "out";
  const std::string run =
      "run " + scenario("pushan-2020.yaml") + " --replicates 8 --quiet --store --out " + out.string();
  const auto r = run_cli(run, "VILLAGEGRID_KILL_AFTER_REPLICATES=3:INT");
  ASSERT_EQ(r.status, 130) << r.output;
  EXPECT_NE(r.output.find("villagegrid: interrupted: nothing was written to " + out.string() +
                          "; the replicates finished so far are kept in " + (t.path() / ".out.partial").string() +
                          ": the same command with --resume goes on from them"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(t.path() / ".out.lock"));  // removed, as on release
  const auto resumed = run_cli(run + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming: 3 replicates finished earlier"), std::string::npos) << resumed.output;
}

TEST(Resume, AKilledCompareResumesToTheSameOutputs) {
  const std::string compare = "compare " + scenario("pushan-2020.yaml") + " " + scenario("returnees-high.yaml") + " " +
                              scenario("returnees-low.yaml") + " --replicates 5";
  kill_and_resume(compare, {3}, "compare killed within its first configuration");
  kill_and_resume(compare, {5, 4}, "compare killed at the end of one configuration, then within the next");
  kill_and_resume(compare, {14}, "compare killed one replicate short");
}

TEST(Resume, AKilledPlanResumesToTheSameOutputs) {
  const std::string plan =
      "plan " + scenario("pushan-2020.yaml") +
      " --target 'screened_within_24h_of_arrival_share >= 0.3' --vary village_cadre=5..9 --replicates 4"
      " --search exhaustive";
  kill_and_resume(plan, {2}, "plan killed within its first roster");
  kill_and_resume(plan, {4, 7}, "plan killed after one roster, then within the third");
  // The smart search: rounds of windows of replicates (3, 3, then 6), then the check on all.
  const std::string smart = "plan " + scenario("pushan-2020.yaml") +
                            " --target 'screened_within_24h_of_arrival_share >= 0.28' --vary village_cadre=3..10"
                            " --replicates 12 --share 0.5";
  kill_and_resume(smart, {5}, "smart plan killed within its first round");
  kill_and_resume(smart, {16, 8}, "smart plan killed in a later round, then again");
}

// A plan of several towns: a later round runs only the towns not settled yet, and the store holds
// each (configuration, replicate)'s rows of those towns only, and no counts by task or guideline
// (plan keeps none: no rows, rather than zeros read as "no task made"). Killed and resumed, it
// reads those rows back to the same outputs.
TEST(Resume, APlanStoresOnlyTheTownsItRanAndResumes) {
  const std::string plan = "plan " + scenario("maoming-villages.yaml") +
                           " --target 'screened_within_24h_of_arrival_share >= 0.3' --vary village_cadre=2..12"
                           " --replicates 12 --share 0.5";
  TempDir t;
  ASSERT_EQ(run_cli(plan + " --quiet --out " + (t.path() / "p").string()).status, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((t.path() / "p" / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  auto rows = [&](const std::string& sql) {
    std::vector<std::vector<int64_t>> out;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(st) == SQLITE_ROW) {
      out.emplace_back();
      for (int c = 0; c < sqlite3_column_count(st); ++c) out.back().push_back(sqlite3_column_int64(st, c));
    }
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(rows("SELECT count(*) FROM task_counts")[0][0], 0);
  EXPECT_EQ(rows("SELECT count(*) FROM guideline_counts")[0][0], 0);
  // Each (configuration, replicate): its villages' towns are the towns of its role rows.
  const auto by_villages = rows(
      "SELECT c.configuration, c.replicate, count(DISTINCT t.town) FROM village_counts c JOIN villages v USING "
      "(configuration, village) JOIN towns t ON t.configuration = c.configuration AND t.name = v.town GROUP BY 1, 2");
  const auto by_roles = rows(
      "SELECT configuration, replicate, count(DISTINCT town) FROM role_counts WHERE town IS NOT NULL GROUP BY 1, 2");
  EXPECT_EQ(by_villages, by_roles);
  const int64_t towns = rows("SELECT count(*) FROM towns WHERE configuration = 0")[0][0];
  ASSERT_GT(towns, 1);
  size_t fewer = 0;
  for (const auto& r : by_roles) fewer += r[2] < towns ? 1 : 0;
  EXPECT_GT(fewer, 0u) << "no round ran fewer than the " << towns << " towns: the test no longer covers it";
  EXPECT_EQ(rows("SELECT count(*) FROM replicates")[0][0], int64_t(by_roles.size()));
  sqlite3_close(db);
  kill_and_resume(plan, {30}, "a plan of six towns killed after rounds of one town");
}

// Killed while writing its outputs (VILLAGEGRID_KILL_AT, core/atomic_file.cpp): after the store
// was linked into the staging folder, before the swap. The store beside the folder survives.
TEST(Resume, ARunKilledWhileWritingItsOutputsResumes) {
  TempDir t;
  const std::string args = "run " + scenario("pushan-2020.yaml") + " --replicates 6 --quiet --store --out ";
  ASSERT_EQ(run_cli(args + (t.path() / "ref").string()).status, 0);
  for (int step : {1, 3, 4}) {  // timeseries.csv staged; the store linked in; the set staged
    const fs::path out = t.path() / ("out" + std::to_string(step));
    const auto r = run_cli(args + out.string(), "VILLAGEGRID_KILL_AT=" + std::to_string(step));
    ASSERT_EQ(r.status, 137) << r.output;
    const auto resumed = run_cli(args + out.string() + " --resume");
    ASSERT_EQ(resumed.status, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resuming: 6 replicates"), std::string::npos) << resumed.output;
    expect_same_outputs(t.path() / "ref", out, "killed at step " + std::to_string(step));
  }
}

TEST(Resume, ResumingWithOtherInputsIsRefused) {
  TempDir t;
  // A scenario of our own, so that its content can change; its rule files are the shipped ones.
  fs::create_directories(t.path() / "scenarios");
  fs::create_symlink(fs::path(VILLAGEGRID_SOURCE_DIR) / "rules", t.path() / "rules");
  const std::string text = read_file(scenario("pushan-2020.yaml"));
  const std::string s = t.write("scenarios/pushan.yaml", text);
  const std::string args = "run " + s + " --replicates 6 --quiet --store --out " + (t.path() / "out").string();
  ASSERT_EQ(run_cli(args, "VILLAGEGRID_KILL_AFTER_REPLICATES=2").status, 137);

  auto r = run_cli(args + " --resume --seed 99");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("was started with other inputs (seed is 99, was 20200124)"), std::string::npos) << r.output;
  r = run_cli("run " + s + " --replicates 7 --quiet --resume --out " + (t.path() / "out").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("replicates is 7, was 6"), std::string::npos) << r.output;
  t.write("scenarios/pushan.yaml", text + "# edited\n");
  r = run_cli(args + " --resume");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("scenario " + fs::weakly_canonical(s).string() + " changed"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(t.path() / "out"));
  EXPECT_TRUE(fs::exists(t.path() / ".out.partial" / "results.sqlite"));  // kept for a resume with its inputs

  t.write("scenarios/pushan.yaml", text);  // the inputs again: it continues
  r = run_cli(args + " --resume");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("resuming: 2 replicates"), std::string::npos) << r.output;
  // --trace keeps rows the store does not hold: not with --store or --resume.
  r = run_cli(args + " --trace");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--trace excludes --store"), std::string::npos) << r.output;
}

// A village's own policy (policy.overrides) is an input too: its rule file and grid changed, the
// resume is refused (it was accepted, mixing replicates of the old policy with the new).
TEST(Resume, AVillagesOwnPolicyChangedIsRefused) {
  TempDir t;
  fs::copy(fs::path(VILLAGEGRID_SOURCE_DIR) / "rules", t.path() / "rules", fs::copy_options::recursive);
  fs::copy(fs::path(VILLAGEGRID_SOURCE_DIR) / "scenarios", t.path() / "scenarios", fs::copy_options::recursive);
  const std::string s = (t.path() / "scenarios" / "maoming-villages.yaml").string();
  const std::string args =
      "run " + s + " --replicates 4 --threads 2 --quiet --store --out " + (t.path() / "out").string();
  ASSERT_EQ(run_cli(args, "VILLAGEGRID_KILL_AFTER_REPLICATES=1").status, 137);
  for (const char* file : {"rules/villages/nanba.yaml", "scenarios/grids/three-level.yaml"}) {
    const std::string text = read_file(t.path() / file);
    t.write(file, text + "# edited\n");
    const auto r = run_cli(args + " --resume");
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(fs::weakly_canonical(t.path() / file).string() + " changed"), std::string::npos)
        << r.output;
    t.write(file, text);
  }
  EXPECT_EQ(run_cli(args + " --resume").status, 0);
}

// A sweep refused before it records anything (a bad --target) leaves no store behind it.
TEST(Resume, ASweepRefusedBeforeAnyReplicateLeavesNoStore) {
  TempDir t;
  const auto r =
      run_cli("plan " + scenario("pushan-2020.yaml") +
              " --target 'no_such_metric >= 1' --vary village_cadre=5..6 --out " + (t.path() / "p").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_FALSE(fs::exists(t.path() / ".p.partial"));
  EXPECT_FALSE(fs::exists(t.path() / "p"));
}

// `villagegrid run` of Pushan into `out` in a child process, with `args` (the argument list built
// before the fork: the child only execs).
pid_t pushan_run_in_child(const fs::path& out, const std::vector<std::string>& args) {
  std::vector<std::string> words = {VILLAGEGRID_CLI, "run", scenario("pushan-2020.yaml")};
  words.insert(words.end(), args.begin(), args.end());
  words.insert(words.end(), {"--out", out.string()});
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    execv(VILLAGEGRID_CLI, argv.data());
    _exit(127);
  }
  return pid;
}

// Kills a child started above and checks that it died of it.
void kill_child(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

// While a sweep simulates it holds the folder's lock: a second run into the folder is refused at
// once, with or without a store, and leaves the first one's store alone.
TEST(Resume, ASecondRunIsRefusedWhileASweepRuns) {
  TempDir t;
  const fs::path out = t.path() / "out";
  const pid_t pid = pushan_run_in_child(out, {"--replicates", "5000", "--quiet", "--store"});
  ASSERT_GE(pid, 0);
  const fs::path store = t.path() / ".out.partial" / "results.sqlite";
  for (int i = 0; i < 2000 && !fs::exists(store); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGSTOP);  // it holds the lock, stopped mid-sweep
  ASSERT_TRUE(fs::exists(store));
  const std::vector<std::string> seconds = {"run --replicates 2 --quiet --out ",
                                            "run --replicates 2 --quiet --store --out ",
                                            "compare " + scenario("pushan-2020.yaml") + " " +
                                                scenario("returnees-high.yaml") + " --replicates 2 --resume --out "};
  for (const std::string& second : seconds) {
    const auto r = run_cli(second + out.string());
    EXPECT_EQ(r.status, 1) << second << r.output;
    EXPECT_NE(r.output.find("another villagegrid command is using the same folder"), std::string::npos)
        << second << r.output;
  }
  EXPECT_TRUE(fs::exists(store));
  kill_child(pid);
  EXPECT_FALSE(fs::exists(out));
}

// The first ```sql block of docs/outputs.md, as an analyst would run it.
std::string documented_query() {
  const std::string doc = read_file(fs::path(VILLAGEGRID_SOURCE_DIR) / "docs" / "outputs.md");
  const size_t begin = doc.find("```sql\n");
  const size_t end = doc.find("```", begin + 7);
  EXPECT_NE(begin, std::string::npos) << "docs/outputs.md has no ```sql block";
  return begin == std::string::npos ? "" : doc.substr(begin + 7, end - begin - 7);
}

// A plain run (no store) holds the folder from its start too: a second run is refused at once,
// rather than the first simulating in full and losing its outputs at the end, or the last writer's
// set silently replacing the other's. The first here is a child stopped while it simulates; the
// folder's lock file appears when it takes the lock, before any replicate.
TEST(Resume, APlainRunHoldsItsFolderFromTheStart) {
  TempDir t;
  const fs::path out = t.path() / "out";
  const pid_t pid = pushan_run_in_child(out, {"--replicates", "100000", "--threads", "1", "--quiet"});
  ASSERT_GE(pid, 0);
  const fs::path lock = t.path() / ".out.lock";
  for (int i = 0; i < 2000 && !fs::exists(lock); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(fs::exists(lock));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // from the file's creation to its lock
  const auto r = run_cli("run --replicates 2 --quiet --out " + out.string());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("another villagegrid command is using the same folder"), std::string::npos) << r.output;
  kill_child(pid);
  EXPECT_FALSE(fs::exists(out));
}

TEST(Resume, TheDocumentedQueryGivesWhatTheSummarySays) {
  TempDir t;
  const fs::path out = t.path() / "out";
  ASSERT_EQ(
      run_cli("run " + scenario("pushan-2020.yaml") + " --replicates 20 --quiet --store --out " + out.string()).status,
      0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const std::string sql = documented_query();
  ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
  double sum = 0;
  int rows = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    EXPECT_EQ(sqlite3_column_int(st, 0), rows);  // replicate
    sum += sqlite3_column_double(st, 1);
    ++rows;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(rows, 20);
  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  double mean = -1;
  for (const auto& m : summary["metrics"])  // records (docs/outputs.md); the region's comes first
    if (m["metric"] == "screened_within_24h_of_arrival_share" && m["scope"] == "region") mean = m["mean"].get<double>();
  EXPECT_NEAR(sum / rows, mean, 1e-12);
}

// docs/planning.md's interaction query (does the inflow change the design's answer?) on the
// compare its block runs: its mean is the difference of compare.json's differences (a share whose
// denominator, the returnees arrived, is the same in every replicate: the pooled share is the mean).
TEST(Resume, TheDocumentedInteractionQueryIsTheDifferenceOfDifferences) {
  TempDir t;
  const fs::path root = VILLAGEGRID_SOURCE_DIR;
  for (const char* d : {"scenarios", "rules"}) fs::copy(root / d, t.path() / d, fs::copy_options::recursive);
  const std::string base = read_file(root / "scenarios" / "pushan-2020-guidelines.yaml");
  std::string configs;
  for (const std::string n : {"1600", "2400"})
    for (const std::string g : {"three-level", "two-level"}) {
      std::string s = base;
      auto swap = [&s](const std::string& from, const std::string& to) {
        const size_t at = s.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        s.replace(at, from.size(), to);
      };
      swap("grid: grids/three-level.yaml", "grid: grids/" + g + ".yaml");
      swap("name: pushan-2020-guidelines", "name: grid-" + g + "-" + n);
      swap("returnees: 1600 ", "returnees: " + n + " ");
      const fs::path file = t.path() / "scenarios" / ("grid-" + g + "-" + n + ".yaml");
      std::ofstream(file) << s;
      configs += " " + file.string();
    }
  const fs::path out = t.path() / "inflow";
  const auto r = run_cli("compare" + configs + " --replicates 8 --quiet --out " + out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string doc = read_file(root / "docs" / "planning.md");
  const size_t section = doc.find("### Does the inflow change the design's answer?");
  ASSERT_NE(section, std::string::npos);
  const size_t begin = doc.find("```sql\n", section), end = doc.find("```", begin + 7);
  ASSERT_NE(begin, std::string::npos);
  const std::string sql = doc.substr(begin + 7, end - begin - 7);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const int n = sqlite3_column_int(st, 0);
  const double interaction = sqlite3_column_double(st, 1), half = sqlite3_column_double(st, 2);
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(n, 8);
  const auto j = nlohmann::json::parse(read_file(out / "compare.json"));
  const auto& c = j["metrics"]["screened_within_24h_of_arrival_share"]["configurations"];
  auto mean = [&c](int i) { return c[i]["value"]["mean"].get<double>(); };
  EXPECT_NEAR(interaction, 100 * ((mean(3) - mean(2)) - (mean(1) - mean(0))), 1e-9);
  EXPECT_GT(half, 0);
}

}  // namespace
