// `explain`: why a person was (not) tracked, from a traced run of the default scenario.
#include "analysis/explain.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "core/diagnostics.h"
#include "support/temp_files.h"

namespace {

namespace fs = std::filesystem;
using vg::io::explain_person;
using vg::testing::read_file;
using vg::testing::TempDir;

// The CLI's exit status, run in `cwd` when one is given.
int run_cli(const std::string& args, std::string* output = nullptr, const fs::path& cwd = {}) {
  const std::string cmd = (cwd.empty() ? "" : "cd '" + cwd.string() + "' && ") + "timeout 120 " +
                          std::string(VILLAGEGRID_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  size_t n;
  std::string out;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int st = pclose(p);
  if (output) *output = out;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  std::string x;
  while (std::getline(ss, x, ',')) f.push_back(x);
  return f;
}

// A CSV file of a run, read by header name: a column added to the file later must not shift the
// ones a test reads (persons.csv gained infection_day once and the tests silently stopped running).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  explicit Csv(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    if (std::getline(in, line)) header = split(line);
    while (std::getline(in, line)) rows.push_back(split(line));
  }
  // The index of column `name`; fails the test (and returns the width) when the header lacks it.
  size_t col(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << "no column '" << name << "' in the header";
    return size_t(it - header.begin());
  }
  // Field `name` of `row`, "" when the row is too short for it.
  std::string at(const std::vector<std::string>& row, const std::string& name) const {
    const size_t c = col(name);
    return c < row.size() ? row[c] : std::string();
  }
};

std::string join_fields(const std::vector<std::string>& f) {
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + f[i];
  return out;
}

struct Person {
  uint32_t id = 0;
  std::string origin;
  int64_t registered = -1, screened = -1;
  int start = -1, days = 0, complete = 0;
  int64_t arrival = -1;
  std::string found_by;
};

// What explain says at the registration: the wording depends on the channel that found them.
std::string registration(const Person& p) {
  if (p.found_by == "arrival") return "came home and registered (event returnee_arrived)";
  return "registered, found by " + p.found_by + " (event returnee_arrived)";
}

// "rules/returnees.yaml:L:C" of the rule `id`, from the file itself (L: the line of `- id: <id>`,
// C: the column of `id`), so the test does not break when comments above it change.
std::string rule_loc(const std::string& file, const std::string& id) {
  std::ifstream in(fs::path(VILLAGEGRID_SOURCE_DIR) / file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto pos = line.find("id: " + id);
    if (pos != std::string::npos && line.substr(pos + 4 + id.size()).find_first_not_of(" \r") == std::string::npos)
      return file + ":" + std::to_string(n) + ":" + std::to_string(pos + 1);
  }
  return file + ": rule " + id + " not found";
}

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const vg::InputError& e) {
    return e.what();
  }
  return "(no InputError thrown)";
}

void copy_dir(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(from)) fs::copy_file(e.path(), to / e.path().filename());
}

// Replaces line `n` (1-based) of a file.
void replace_line(const fs::path& p, int n, const std::string& text) {
  std::ifstream in(p);
  std::string out, line;
  for (int i = 1; std::getline(in, line); ++i) out += (i == n ? text : line) + "\n";
  in.close();
  std::ofstream(p) << out;
}

std::string line_of(const fs::path& p, int n) {
  std::ifstream in(p);
  std::string line;
  for (int i = 1; i <= n; ++i) std::getline(in, line);
  return line;
}

class Explain : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::string out;
    ASSERT_EQ(run_cli("run --replicates 2 --seed 7 --trace --quiet --out " + run().string(), &out), 0) << out;
    ASSERT_EQ(run_cli("run --replicates 1 --seed 7 --quiet --out " + (dir_->path() / "plain").string(), &out), 0)
        << out;
    const Csv persons(run() / "persons.csv");
    for (const auto& f : persons.rows) {
      ASSERT_EQ(f.size(), persons.header.size()) << join_fields(f);
      if (persons.at(f, "replicate") != "0") continue;
      Person p{uint32_t(std::stoul(persons.at(f, "person"))),
               persons.at(f, "origin"),
               std::stoll(persons.at(f, "registered_minute")),
               std::stoll(persons.at(f, "screened_minute")),
               std::stoi(persons.at(f, "tracking_start_day")),
               std::stoi(persons.at(f, "tracking_days")),
               std::stoi(persons.at(f, "tracking_complete_days")),
               std::stoll(persons.at(f, "arrival_minute")),
               persons.at(f, "found_by")};
      returnees_.insert(p.id);
      if (p.registered > p.arrival + 1440 && p.arrival > 0 && !late_) late_ = p;
      if (p.registered > 0 && p.arrival == 0 && p.found_by != "arrival" && !at_start_) at_start_ = p;
      if (p.registered < 0 && p.arrival >= 0 && !never_) never_ = p;
      if (p.origin == "key_area" && p.days > 0 && !key_) key_ = p;
      if (p.origin == "other_province" && p.screened >= 0 && !other_) other_ = p;
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(key_) << "no tracked key_area person in replicate 0";
    ASSERT_TRUE(other_) << "no screened other_province person in replicate 0";
  }
  static fs::path run() { return dir_->path() / "run"; }

  static inline TempDir* dir_ = nullptr;
  static inline std::optional<Person> key_, other_;  // from replicate 0
  static inline std::optional<Person> late_;         // found more than a day after coming home
  static inline std::optional<Person> at_start_;     // home at the start (arrival_minute 0), found later
  static inline std::optional<Person> never_;        // home but never found within the run
  static inline std::set<uint32_t> returnees_;       // ids in replicate 0
};

#define EXPECT_HAS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "missing: " << (part) << "\nin:\n" << (text)
#define EXPECT_LACKS(text, part) \
  EXPECT_EQ((text).find(part), std::string::npos) << "unexpected: " << (part) << "\nin:\n" << (text)

TEST_F(Explain, TrackedKeyPersonNamesTheRuleThatStartedTracking) {
  const std::string s = explain_person(run(), key_->id, std::nullopt, 0);
  const std::string key = rule_loc("rules/returnees.yaml", "classify-key-area");
  const std::string screen = rule_loc("rules/returnees.yaml", "screen-returnee");
  const std::string five = rule_loc("rules/tracking/five-plus-one.yaml", "five_plus_one");
  EXPECT_HAS(s, "Person " + std::to_string(key_->id) + " (replicate 0) lives in household ");
  EXPECT_HAS(s, "A returnee from key_area, class key at the end.");
  EXPECT_HAS(s, registration(*key_));
  EXPECT_HAS(s, "screen-returnee (");
  EXPECT_HAS(s, screen + "): created 1 task");
  EXPECT_HAS(s, "fired      classify-key-area (");
  EXPECT_HAS(s, key + "): set class key, started tracking five_plus_one (");
  EXPECT_HAS(s, "not fired  classify-other (");
  EXPECT_HAS(s, "its condition `origin != \"key_area\"` was false for this person (origin is key_area)");
  EXPECT_HAS(s, "Tracked: classify-key-area (");
  EXPECT_HAS(s, key + ") fired on day ");
  EXPECT_HAS(s, "started five_plus_one (");
  EXPECT_HAS(s, five + "), a 14-day tracking.");
  EXPECT_HAS(s, "Tracking ran from day " + std::to_string(key_->start) + " (");
  EXPECT_HAS(s, std::to_string(key_->days) + " days tracked");
  if (key_->complete == key_->days) {
    EXPECT_HAS(s, "all " + std::to_string(key_->days) + " with a complete team");
  } else {
    EXPECT_HAS(s, std::to_string(key_->complete) + " with a complete team");
    EXPECT_HAS(s, "Which days is not recorded per person");
  }
  EXPECT_HAS(s, "tracking five_plus_one begins");
  EXPECT_LACKS(s, "Not tracked");
  EXPECT_LACKS(s, "Note:");
}

TEST_F(Explain, OtherProvincePersonIsNotTrackedAndSaysWhy) {
  const std::string s = explain_person(run(), other_->id, std::nullopt, 0);
  const std::string key = rule_loc("rules/returnees.yaml", "classify-key-area");
  const std::string other = rule_loc("rules/returnees.yaml", "classify-other");
  EXPECT_HAS(s, "Person " + std::to_string(other_->id) + " (replicate 0)");
  EXPECT_HAS(s, "A returnee from other_province, class general at the end.");
  EXPECT_HAS(s, "not fired  classify-key-area (");
  EXPECT_HAS(s, key + "): its condition `origin == \"key_area\"` was false for this person (origin is other_province)");
  EXPECT_HAS(s, "fired      classify-other (");
  EXPECT_HAS(s, other + "): set class general");
  EXPECT_HAS(s, "Not tracked: tracking starts only from classify-key-area (");
  EXPECT_HAS(s, key + "), which did not fire: its condition `origin == \"key_area\"` was false");
  EXPECT_LACKS(s, "Tracked:");
  EXPECT_LACKS(s, "begins");
}

TEST_F(Explain, ScreeningDelayAndTheTwentyFourHourDeadline) {
  for (const Person* p : {&*key_, &*other_}) {
    const std::string s = explain_person(run(), p->id, std::nullopt, 0);
    const bool within = p->screened - p->registered <= 1440;
    EXPECT_HAS(s, "task screening done, ");
    EXPECT_HAS(s, std::string(" after registration (") + (within ? "within 24 h)" : "not within 24 h)"));
  }
}

// arrival_minute 0 is "home by the run's first minute", perhaps days before (the shipped arrivals
// begin on day -20): the story says so, not "came home Day 0 00:00 ... 10 h after coming home".
TEST_F(Explain, HomeAtTheStartIsNotAnArrivalAtMidnight) {
  ASSERT_TRUE(at_start_) << "no person in replicate 0 home at the start and found later";
  const std::string s = explain_person(run(), at_start_->id, std::nullopt, 0);
  EXPECT_HAS(s, "home at the start (came home on day 0 or before it");
  EXPECT_HAS(s, " after the start (home since it or before)");
  EXPECT_LACKS(s, "came home (not registered yet)");
  EXPECT_LACKS(s, "after coming home");
}

// The day of arrival is persons.csv's arrival_minute, not the registration's: a person found by a
// channel days after coming home has both in the timeline, and arrival_day is the day home.
TEST_F(Explain, ArrivalAndRegistrationAreToldApart) {
  ASSERT_TRUE(late_) << "no person in replicate 0 found more than a day after coming home";
  const std::string s = explain_person(run(), late_->id, std::nullopt, 0);
  const int home = int(late_->arrival / 1440), reg = int(late_->registered / 1440);
  EXPECT_NE(late_->found_by, "arrival");
  EXPECT_HAS(s, "came home (not registered yet)");
  EXPECT_HAS(s, registration(*late_) + ", ");
  EXPECT_HAS(s, " after coming home");
  EXPECT_LT(s.find("came home (not registered yet)"), s.find(registration(*late_)));
  EXPECT_LACKS(s, "arrival_day is " + std::to_string(reg) + ")");
  const std::string before = explain_person(run(), late_->id, home, 0);
  EXPECT_HAS(before, "On day " + std::to_string(home) + " (");
  EXPECT_HAS(before, "home, not yet registered.");
  if (never_) {
    const std::string n = explain_person(run(), never_->id, std::nullopt, 0);
    EXPECT_HAS(n, "Came home on day " + std::to_string(never_->arrival / 1440) + " (");
    EXPECT_HAS(n, "but not registered within the run: nobody found the person by the run's last day");
  }
}

TEST_F(Explain, DayLimitsTheTimeline) {
  const int reg_day = int(other_->registered / 1440), scr_day = int(other_->screened / 1440);
  const std::string on_reg = explain_person(run(), other_->id, reg_day, 0);
  EXPECT_HAS(on_reg, "Day " + std::to_string(reg_day) + " (");
  EXPECT_HAS(on_reg, registration(*other_));
  if (scr_day != reg_day) {
    EXPECT_LACKS(on_reg, "task screening done");
  }
  EXPECT_HAS(on_reg, "Not tracked: tracking starts only from classify-key-area");  // the verdict stays

  const std::string late = explain_person(run(), other_->id, 59, 0);
  EXPECT_HAS(late, "Day 59 (2020-03-23): nothing happened for this person");
  EXPECT_HAS(late, "On day 59 (2020-03-23): not tracked.");
  EXPECT_LACKS(late, "(event returnee_arrived)");

  const int during = key_->start + 1;
  const std::string tracked = explain_person(run(), key_->id, during, 0);
  EXPECT_HAS(tracked, "On day " + std::to_string(during) + " (");
  EXPECT_HAS(tracked, "tracked, day 2 of " + std::to_string(key_->days));
}

TEST_F(Explain, ReplicateSelectsItsOwnRows) {
  const std::string s = explain_person(run(), key_->id, std::nullopt, 1);
  EXPECT_HAS(s, "Person " + std::to_string(key_->id) + " (replicate 1)");
}

TEST_F(Explain, WithoutTraceSaysRunWithTrace) {
  const std::string e = error_of([&] { explain_person(dir_->path() / "plain", key_->id, std::nullopt, 0); });
  EXPECT_HAS(e, "no trace.csv");
  // The command to run it again is that run's: its scenario, seed and replicates, with --trace.
  EXPECT_HAS(e,
             "scenarios/pushan-2020.yaml --seed 7 --replicates 1 --trace --out " + (dir_->path() / "plain").string());
}

TEST_F(Explain, NotAReturneeGivesCountAndIdRange) {
  uint32_t id = 0;
  while (returnees_.count(id)) ++id;
  const std::string e = error_of([&] { explain_person(run(), id, std::nullopt, 0); });
  EXPECT_HAS(e, "persons.csv: error: person " + std::to_string(id) + " is not a returnee of this run");
  EXPECT_HAS(e, std::to_string(returnees_.size()) + " returnees in replicate 0, ids " +
                    std::to_string(*returnees_.begin()) + " to " + std::to_string(*returnees_.rbegin()));
}

TEST_F(Explain, ReplicateAndDayOutOfRange) {
  std::string e = error_of([&] { explain_person(run(), key_->id, std::nullopt, 2); });
  EXPECT_HAS(e, "replicate 2 is outside this run: it has 2 replicates (0 to 1)");
  e = error_of([&] { explain_person(run(), key_->id, std::nullopt, -1); });
  EXPECT_HAS(e, "replicate -1 is outside this run");
  e = error_of([&] { explain_person(run(), key_->id, 60, 0); });
  EXPECT_HAS(e, "day 60 is outside this run: it has 60 days (0 to 59)");
}

TEST_F(Explain, NotARunFolder) {
  TempDir empty;
  EXPECT_HAS(error_of([&] { explain_person(empty.path(), 1, std::nullopt, 0); }), "no summary.json");
  EXPECT_HAS(error_of([&] { explain_person(empty.path() / "missing", 1, std::nullopt, 0); }), "no such folder");
}

TEST_F(Explain, MalformedTraceNamesFileLineAndColumn) {
  TempDir copy;
  copy_dir(run(), copy.path());
  const Csv trace(copy.path() / "trace.csv");
  const size_t fired = trace.col("fired");
  auto f = split(line_of(copy.path() / "trace.csv", 5));
  ASSERT_EQ(f.size(), trace.header.size());
  f[fired] = "maybe";
  const std::string bad = join_fields(f);
  size_t col = 1;  // 1-based column of the `fired` field
  for (size_t i = 0; i < fired; ++i) col += f[i].size() + 1;
  replace_line(copy.path() / "trace.csv", 5, bad);
  const std::string e = error_of([&] { explain_person(copy.path(), key_->id, std::nullopt, 0); });
  EXPECT_HAS(e, "trace.csv:5:" + std::to_string(col) + ": error: ");
  EXPECT_HAS(e, "'maybe' in column fired: expected yes or no");
  EXPECT_HAS(e, bad);  // the line is quoted
}

TEST_F(Explain, MalformedPersonsNamesFileAndLine) {
  TempDir copy;
  copy_dir(run(), copy.path());
  const Csv persons(copy.path() / "persons.csv");
  ASSERT_GE(persons.rows.size(), 2u);
  replace_line(copy.path() / "persons.csv", 3, "0,12,Pushan");
  std::string e = error_of([&] { explain_person(copy.path(), key_->id, std::nullopt, 0); });
  EXPECT_HAS(e, "persons.csv:3:1: error: 3 fields, expected " + std::to_string(persons.header.size()));
  auto row = persons.rows[1];  // line 3
  row[persons.col("registered_minute")] = "zero";
  replace_line(copy.path() / "persons.csv", 3, join_fields(row));
  e = error_of([&] { explain_person(copy.path(), key_->id, std::nullopt, 0); });
  EXPECT_HAS(e, "persons.csv:3:");
  EXPECT_HAS(e, "'zero' is not a valid registered_minute");
}

// Columns are found by header name: reordered columns still read, a missing one is named.
TEST_F(Explain, ColumnsAreReadByHeaderName) {
  TempDir copy;
  copy_dir(run(), copy.path());
  const Csv persons(copy.path() / "persons.csv");
  std::ofstream out(copy.path() / "persons.csv");
  auto write_reversed = [&](const std::vector<std::string>& row) {
    out << join_fields(std::vector<std::string>(row.rbegin(), row.rend())) << "\n";
  };
  write_reversed(persons.header);
  for (const auto& row : persons.rows) write_reversed(row);
  out.close();
  EXPECT_EQ(explain_person(copy.path(), key_->id, std::nullopt, 0), explain_person(run(), key_->id, std::nullopt, 0));

  std::string header = line_of(copy.path() / "trace.csv", 1);
  header.replace(header.find("rule_location"), 13, "location");
  replace_line(copy.path() / "trace.csv", 1, header);
  const std::string e = error_of([&] { explain_person(copy.path(), key_->id, std::nullopt, 0); });
  EXPECT_HAS(e, "trace.csv:1:1: error: the header has no column 'rule_location'");
}

TEST_F(Explain, WithoutScenarioFileSaysSoAndStillUsesTheTrace) {
  TempDir copy;
  copy_dir(run(), copy.path());
  auto j = nlohmann::ordered_json::parse(read_file(copy.path() / "summary.json"));
  ASSERT_TRUE(j.contains("scenario_file"));
  j.erase("scenario_file");
  std::ofstream(copy.path() / "summary.json") << j.dump(2);
  const std::string s = explain_person(copy.path(), other_->id, std::nullopt, 0);
  EXPECT_HAS(s, "Note: summary.json does not name the scenario file");
  EXPECT_HAS(s, "not fired  classify-key-area (");
  EXPECT_HAS(s, rule_loc("rules/returnees.yaml", "classify-key-area"));
  EXPECT_HAS(s, "Not tracked. Which rules start tracking is not known");
  const std::string k = explain_person(copy.path(), key_->id, std::nullopt, 0);
  EXPECT_HAS(k, "Tracked: the person was identified on day ");
}

// A run started in one folder with the scenario named through "..", explained from another: the
// trace names each rule's file by its absolute path, so the policy is not taken to have changed.
TEST_F(Explain, ARunFromAnotherFolderIsNotTakenForChangedPolicyFiles) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "a" / "b");
  const fs::path from = tmp.path() / "a" / "b";
  const fs::path scenario = fs::relative(fs::path(VILLAGEGRID_SOURCE_DIR) / "scenarios" / "pushan-2020.yaml", from);
  ASSERT_EQ(scenario.begin()->string(), "..");
  std::string out;
  ASSERT_EQ(run_cli("run " + scenario.string() + " --replicates 1 --seed 7 --trace --quiet --out run", &out, from), 0)
      << out;
  const Csv trace(from / "run" / "trace.csv");
  ASSERT_FALSE(trace.rows.empty());
  EXPECT_EQ(trace.at(trace.rows[0], "rule_location").substr(0, 1), "/");
  ASSERT_EQ(run_cli("explain --run b/run --person " + std::to_string(key_->id), &out, tmp.path() / "a"), 0) << out;
  EXPECT_LACKS(out, "changed since the run");
  EXPECT_HAS(out, rule_loc("rules/returnees.yaml", "classify-key-area"));
}

// A team place whose role no roster serving the village lists (Pushan without its town cadres and
// neighbours) was empty every day: said with the roles, not only "a duty not done, or a place left
// empty".
TEST(ExplainTeams, RolesNoRosterListsAreNamed) {
  TempDir tmp;
  std::string text = read_file(fs::path(VILLAGEGRID_SOURCE_DIR) / "scenarios" / "pushan-2020.yaml");
  for (const std::string line :
       {"      staff:\n        # assumption: the street's cadres", "        # assumption: the street's cadres",
        "        town_cadre: {count: 3,", "            neighbour: {count: 120, hours_per_day: 1, max_teams: 1}"}) {
    const size_t at = text.find(line);
    ASSERT_NE(at, std::string::npos) << line;
    text.erase(at, text.find('\n', at) + 1 - at);
  }
  for (size_t at = text.find("../rules/"); at != std::string::npos; at = text.find("../rules/", at + 1))
    text.replace(at, 9, std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/");
  const std::string file = tmp.write("short.yaml", text);
  std::string out;
  ASSERT_EQ(
      run_cli("run " + file + " --replicates 1 --seed 7 --trace --quiet --out " + (tmp.path() / "run").string(), &out),
      0)
      << out;
  const Csv persons(tmp.path() / "run" / "persons.csv");
  std::string key;
  for (const auto& row : persons.rows)
    if (persons.at(row, "class") == "key" && persons.at(row, "tracking_days") != "0") {
      key = persons.at(row, "person");
      break;
    }
  ASSERT_FALSE(key.empty());
  const std::string s = explain_person(tmp.path() / "run", uint32_t(std::stoul(key)), std::nullopt, 0);
  EXPECT_HAS(s,
             "No roster serving Pushan lists town_cadre and neighbour, whom five_plus_one asks for: those places "
             "were empty every day, so the team was never complete");
}

// A condition on found_by is explained with the channel that had registered the person by then, and
// a rule that also waits for an event is told to have failed on its condition when that was false.
TEST(ExplainFacts, FoundByIsTheChannelThatRegisteredThePerson) {
  TempDir tmp;
  std::string out;
  ASSERT_EQ(run_cli("run " + std::string(VILLAGEGRID_SOURCE_DIR) +
                        "/scenarios/pushan-2020-guidelines.yaml --replicates 1 --seed 7 --trace --quiet --out " +
                        (tmp.path() / "run").string(),
                    &out),
            0)
      << out;
  const Csv persons(tmp.path() / "run" / "persons.csv");
  std::string id;
  for (const auto& f : persons.rows)
    if (persons.at(f, "found_by") == "household_visit") {
      id = persons.at(f, "person");
      break;
    }
  ASSERT_FALSE(id.empty()) << "nobody found by a household visit";
  ASSERT_EQ(run_cli("explain --run " + (tmp.path() / "run").string() + " --person " + id, &out), 0) << out;
  EXPECT_HAS(out, "not fired  register-at-checkpoint (");
  EXPECT_HAS(out, "`found_by == \"checkpoint\"` was false for this person (found_by was household_visit)");
  EXPECT_LACKS(out, "found_by at that moment is not recorded");
  // The condition, false on the facts known then, settles why: not "either the event ... or".
  EXPECT_LACKS(out, "either event wartime_declared had not been raised");
}

// The monitoring, post and delayed-raise actions, in words, from a run whose policy adds them.
TEST(ExplainActions, MonitoringPostsAndDelayedRaise) {
  TempDir dir;
  const std::string src = VILLAGEGRID_SOURCE_DIR;
  dir.write("extra.yaml", R"(vocabulary:
  monitoring: [home_observation, isolation]
  events:
    - {name: recheck, about: person}
rules:
  - id: observe-key
    title: A key person is observed at home and rechecked 2 h later; a checkpoint opens
    source: assumption
    note: for this test
    on: {class_changed: key}
    do:
      - start_monitoring: {kind: home_observation, days: 14}
      - raise: {event: recheck, after_hours: 2}
      - open_post: {name: checkpoint, roles: [village_cadre], shifts: ["08:00-12:00"]}
  - id: recheck-key
    title: The recheck ends the observation
    source: assumption
    note: for this test
    on: {event: recheck}
    do:
      - end_monitoring: any
  - id: after-observation
    title: The checkpoint closes when the observation ends
    source: assumption
    note: for this test
    on: {monitoring_ended: home_observation}
    do:
      - close_post: checkpoint
)");
  std::string scenario = read_file(fs::path(src) / "scenarios/pushan-2020.yaml");
  for (size_t at; (at = scenario.find("../rules/")) != std::string::npos;) scenario.replace(at, 9, src + "/rules/");
  const std::string last = src + "/rules/tracking/five-plus-one.yaml";
  const size_t at = scenario.find(last);
  ASSERT_NE(at, std::string::npos);
  scenario.insert(at + last.size(), "\n    - " + (dir.path() / "extra.yaml").string());
  const std::string path = dir.write("scenario.yaml", scenario);
  const fs::path out = dir.path() / "run";
  std::string log;
  ASSERT_EQ(run_cli("run " + path + " --replicates 1 --seed 7 --trace --quiet --out " + out.string(), &log), 0) << log;

  const Csv persons(out / "persons.csv");
  std::optional<uint32_t> key;
  for (const auto& f : persons.rows)
    if (!key && f.size() == persons.header.size() && persons.at(f, "class") == "key")
      key = uint32_t(std::stoul(persons.at(f, "person")));
  ASSERT_TRUE(key) << "no key person in the run";
  const std::string s = explain_person(out, *key, std::nullopt, 0);
  EXPECT_HAS(s, "class changed to key (class_changed:key)");
  EXPECT_HAS(s, "): started home_observation for 14 days, raised event recheck in 2 h, opened post checkpoint");
  EXPECT_HAS(s, "event recheck raised");
  EXPECT_HAS(s, "recheck-key (");
  EXPECT_HAS(s, "): ended monitoring");
  EXPECT_HAS(s, " ended (monitoring_ended");
  EXPECT_HAS(s, "): closed post checkpoint (from tomorrow)");
  EXPECT_LACKS(s, "Note:");
}

}  // namespace
