// What a trainer sees of an exercise file before the drill (docs/exercises.md, "Prepare"): an inject
// or an expected action that the exercise could never reach is refused at its place; `villagegrid
// check` checks an exercise file as `exercise start` loads it; a misspelt measure is the one error
// reported; and every error shows its source line and a caret, as the scenario's do. And the
// console's screen says when earlier decisions are not shown.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

const std::string kTiny = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/tiny.yaml";  // a 6-day scenario
const std::string kDrill = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/spring-festival-drill.yaml";

// tiny.yaml with one text replaced (and its scenario made absolute), written to DIR/bad.yaml.
std::string tiny_with(const TempDir& tmp, const std::string& from, const std::string& to) {
  std::string t = read_file(kTiny);
  t.replace(t.find(from), from.size(), to);
  const std::string scenario = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/tiny-scenario.yaml";
  t.replace(t.find("tiny-scenario.yaml"), 18, scenario);
  const std::string file = (tmp.path() / "bad.yaml").string();
  std::ofstream(file) << t;
  return file;
}

// The tiny exercise runs 6 days (0 to 5): an inject on day 6 would never be delivered, an action
// due by day 6 never given in time. Both refused at the day's place; day 5 is the last one that works.
TEST(ExerciseFiles, AnInjectOrExpectedActionAfterTheLastDayIsAnError) {
  TempDir tmp;
  const std::string out = (tmp.path() / "out").string();
  std::string file = tiny_with(tmp, "    day: 3\n    hour: 0", "    day: 6\n    hour: 0");
  std::string t = read_file(file);
  t.replace(t.find("by_day: 3"), 9, "by_day: 6");  // an action due before its inject's day is another error
  std::ofstream(file) << t;
  auto r = run_cli("exercise start " + file + " --out " + out);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:20:10: error: inject 'surge' on day 6 is after the exercise's last day, 5 (the "
                          "scenario's horizon_days: 6): it would never be delivered\n      day: 6\n           ^\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("bad.yaml:27:58: error: an expected action due by day 6 is after the exercise's last day, "
                          "5 (the scenario's horizon_days: 6): it could never be given in time"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "out"));
  file = tiny_with(tmp, "by_day: 3", "by_day: 6");  // the inject on day 3, its action due by day 6
  r = run_cli("exercise start " + file + " --out " + out);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:27:58: error: an expected action due by day 6"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("villagegrid: 1 error(s) in the input"), std::string::npos) << r.output;
  // The exercise's own horizon_days counts, not the scenario's.
  file = tiny_with(tmp, "  background_replicates: 2", "  background_replicates: 2\n  horizon_days: 3");
  r = run_cli("exercise start " + file + " --out " + out);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("inject 'surge' on day 3 is after the exercise's last day, 2 (horizon_days: 3)"),
            std::string::npos)
      << r.output;
  // On the last day: delivered, and the action is done on time.
  file = tiny_with(tmp, "    day: 3\n    hour: 0", "    day: 5\n    hour: 0");
  t = read_file(file);
  t.replace(t.find("by_day: 3"), 9, "by_day: 5");
  std::ofstream(file) << t;
  r = run_cli("exercise start " + file + " --out " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("DAY 5"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("INJECT [day 5 00:00] surge"), std::string::npos) << r.output;
  ASSERT_EQ(run_cli("exercise do " + out + " 'add 2 village_cadre to Alpha'").status, 0);
  ASSERT_EQ(run_cli("exercise advance " + out).status, 0);
  r = run_cli("exercise review " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(read_file(tmp.path() / "out" / "review.md").find("| expected | surge | done on day 5 |"), std::string::npos)
      << read_file(tmp.path() / "out" / "review.md");
}

TEST(ExerciseFiles, CheckChecksAnExerciseFileAsStartLoadsIt) {
  TempDir tmp;
  for (const char* drill : {"spring-festival-drill.yaml", "six-villages-drill.yaml"}) {
    const auto r =
        run_cli("check " + std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/" + std::string(drill));
    EXPECT_EQ(r.status, 0) << drill << "\n" << r.output;
    EXPECT_NE(r.output.find("1 file(s) checked: 0 error(s)"), std::string::npos) << r.output;
  }
  // A misspelt village in an expected action (found only with the scenario) and an inject after the end.
  std::string file = tiny_with(tmp, "add 2 village_cadre to Alpha", "add 2 village_cadre to Alpah");
  auto r = run_cli("check " + file);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:27:42: error: unknown village 'Alpah'; did you mean 'Alpha'?"), std::string::npos)
      << r.output;
  file = tiny_with(tmp, "by_day: 3", "by_day: 9");
  r = run_cli("check " + file);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:27:58: error: an expected action due by day 9"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("unknown key 'exercise'"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "out"));
}

// The scenario the exercise names is missing: the error is at the `scenario:` line, with a caret.
TEST(ExerciseFiles, AMissingScenarioIsReportedAtItsLine) {
  TempDir tmp;
  std::string t = read_file(kTiny);
  const std::string file = (tmp.path() / "bad.yaml").string();
  std::ofstream(file) << t;  // its scenario, tiny-scenario.yaml, is not beside it
  const auto r = run_cli("check " + file);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(
      r.output.find("bad.yaml:6:13: error: scenario file not found: " + (tmp.path() / "tiny-scenario.yaml").string() +
                    "\n    scenario: tiny-scenario.yaml\n              ^\n"),
      std::string::npos)
      << r.output;
}

TEST(ExerciseFiles, AMisspeltMeasureIsTheOneErrorAndShowsItsLine) {
  TempDir tmp;
  const std::string file = tiny_with(tmp, "measure: screen_within", "measure: screen_withn");
  const auto r = run_cli("exercise start " + file + " --out " + (tmp.path() / "out").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:15:14: error: unknown measure 'screen_withn'; did you mean 'screen_within'?\n"
                          "      measure: screen_withn\n"
                          "               ^\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("villagegrid: 1 error(s) in the input"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("<command line>"), std::string::npos) << r.output;
}

TEST(ExerciseFiles, TheConsoleSaysHowManyEarlierDecisionsItDoesNotShow) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + dir).status, 0);
  for (int k = 1; k <= 6; ++k) {
    const auto r = run_cli("exercise do " + dir + " 'note decision " + std::to_string(k) + "'");
    ASSERT_EQ(r.status, 0) << r.output;
    const bool hidden = r.output.find("earlier not shown") != std::string::npos;
    EXPECT_EQ(hidden, k > 5) << r.output;
  }
  const std::string screen = read_file(tmp.path() / "ex" / "state.txt");
  EXPECT_NE(screen.find(" DECISIONS SO FAR: 6\n   (1 earlier not shown; all in state.json and the review)\n"
                        "   day 3: note decision 2\n"),
            std::string::npos)
      << screen;
  EXPECT_EQ(screen.find("note decision 1\n"), std::string::npos) << screen;
}

}  // namespace
