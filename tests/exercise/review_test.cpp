// The after-action review's known answers on small exercises (docs/exercises.md, "Review"), and
// what a trainer trialling the exercises found misleading:
// - a review taken mid-exercise lists only the injects delivered so far, and an expected action not
//   given yet is "due today" on its day and "not yet due" before (never "missed" before its day);
//   an objective whose inject is to come is "not yet" measured; the review says the day it was taken;
// - an expected action matched by a decision of a smaller amount is "partly done (1 of 2)", with the
//   decision given shown beside it; decisions adding up to the amount are "done";
// - the teams objective says how many key persons never got a team, and is not "met" then (injects:
//   Alpha's 20 key persons, whom the test policy never tracks);
// - the timeline is in the order of the day's clock;
// - a script stops at its first refused command; a note is welcome after the last day; `check` warns
//   of an inject in a village its player does not play and of a supply nothing uses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

const std::string kData = VILLAGEGRID_TEST_DATA;
const std::string kInjects = kData + "/exercise/injects.yaml";

// An exercise file NAME.yaml in `tmp` on the tiny scenario (one village, Alpha, 6 days; one cadre):
// the surge of tests/data/exercise/tiny.yaml on day 3 at 00:00 with these expected actions.
std::string tiny_exercise(const TempDir& tmp, const std::string& name, const std::string& expected) {
  const std::string file = (tmp.path() / (name + ".yaml")).string();
  std::ofstream(file) << "exercise: {name: " << name << ", scenario: " << kData
                      << "/exercise/tiny-scenario.yaml, background_replicates: 1}\n"
                         "players:\n  - {team: t, villages: [Alpha]}\n"
                         "objectives:\n  - {id: screen-surge, title: S, measure: screen_within, inject: surge}\n"
                         "msel:\n"
                         "  - id: surge\n    day: 3\n    hour: 0\n    synopsis: Thirty at midnight\n"
                         "    effect: {surge: {village: Alpha, origin: key_area, returnees: 30, over_hours: 0.0167}}\n"
                         "    player: t\n    expected:\n"
                      << expected;
  return file;
}

std::string review_of(const TempDir& tmp, const std::string& name) {
  const auto r = run_cli("exercise review " + (tmp.path() / name).string());
  EXPECT_EQ(r.status, 0) << r.output;
  return read_file(tmp.path() / name / "review.md");
}

// injects.yaml stops first at day 1 (the alarm); the fever (day 2) and the surge (day 3, with its
// expected move by day 3 and the screen-surge objective) are still to come.
TEST(ExerciseReview, AReviewTakenMidExerciseGivesNothingToComeAway) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  std::string review = review_of(tmp, "ex");
  EXPECT_NE(review.find("| 1 | 10:00 | inject | alarm |"), std::string::npos) << review;
  for (const char* hidden : {"fever", "| surge |", "Thirty", "move 2 village_cadre", "missed"})
    EXPECT_EQ(review.find(hidden), std::string::npos) << hidden << "\n" << review;
  EXPECT_NE(review.find("Taken on day 1, played to day 1 of 6."), std::string::npos) << review;
  EXPECT_NE(review.find("| **not yet** | measured once its inject is delivered |"), std::string::npos) << review;
  EXPECT_NE(read_file(tmp.path() / "ex" / "review.csv").find("\nreview,,1,taken,,,,,played to day 1 of 6\n"),
            std::string::npos);
  // At the surge's stop (day 3) its action, due by day 3, can still be given: due today, not missed.
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 2").status, 0);
  review = review_of(tmp, "ex");
  EXPECT_NE(review.find("| 3 | 00:00 | expected | surge | due today | move 2 village_cadre from Alpha to Beta |"),
            std::string::npos)
      << review;
  EXPECT_NE(review.find("| 2 | 09:00 | inject | fever |"), std::string::npos) << review;
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);
  EXPECT_NE(review_of(tmp, "ex").find("| expected | surge | missed |"), std::string::npos);
}

TEST(ExerciseReview, AnActionDueLaterIsNotYetDue) {
  TempDir tmp;
  const std::string file =
      tiny_exercise(tmp, "later", "      - {action: \"add 2 village_cadre to Alpha\", by_day: 5}\n");
  ASSERT_EQ(run_cli("exercise start " + file + " --out " + (tmp.path() / "ex").string()).status, 0);  // day 3
  const std::string review = review_of(tmp, "ex");
  EXPECT_NE(review.find("| 5 | 00:00 | expected | surge | not yet due | add 2 village_cadre to Alpha |"),
            std::string::npos)
      << review;
}

TEST(ExerciseReview, ASmallerAmountIsPartlyDoneAndShownBesideTheExpectedOne) {
  TempDir tmp;
  const std::string file = tiny_exercise(tmp, "amounts",
                                         "      - {action: \"add 2 village_cadre to Alpha\", by_day: 3}\n"
                                         "      - {action: \"overtime 2 hours for village_cadre in Alpha for 3 days\", "
                                         "by_day: 3}\n");
  const std::string one = (tmp.path() / "one").string(), two = (tmp.path() / "two").string();
  for (const auto& dir : {one, two}) ASSERT_EQ(run_cli("exercise start " + file + " --out " + dir).status, 0);
  for (const char* c : {"add 1 village_cadre to Alpha", "overtime 1 hours for village_cadre in Alpha for 1 days"})
    ASSERT_EQ(run_cli("exercise do " + one + " '" + c + "'").status, 0) << c;
  for (const char* c : {"add 1 village_cadre to Alpha", "add 1 village_cadre to Alpha",
                        "overtime 2.5 hours for village_cadre in Alpha"})
    ASSERT_EQ(run_cli("exercise do " + two + " '" + c + "'").status, 0) << c;
  std::string review = review_of(tmp, "one");
  EXPECT_NE(review.find("| expected | surge | partly done on day 3 (1 of 2) | add 2 village_cadre to Alpha (given: "
                        "add 1 village_cadre to Alpha) |"),
            std::string::npos)
      << review;
  EXPECT_NE(review.find("| expected | surge | partly done on day 3 (1 of 2 hours, 1 of 3 days) | overtime 2 hours for "
                        "village_cadre in Alpha for 3 days (given: overtime 1 hours for village_cadre in Alpha for 1 "
                        "days) |"),
            std::string::npos)
      << review;
  // Two decisions of one each give the two expected; overtime to the end covers three days.
  review = review_of(tmp, "two");
  EXPECT_NE(review.find("| expected | surge | done on day 3 | add 2 village_cadre to Alpha (given: add 1 village_cadre "
                        "to Alpha; add 1 village_cadre to Alpha) |"),
            std::string::npos)
      << review;
  EXPECT_NE(review.find("| expected | surge | done on day 3 | overtime 2 hours"), std::string::npos) << review;
  // One on time, the other two days late: partly done, the rest late, the late one dated.
  const std::string three = (tmp.path() / "three").string();
  ASSERT_EQ(run_cli("exercise start " + file + " --out " + three).status, 0);
  ASSERT_EQ(run_cli("exercise do " + three + " 'add 1 village_cadre to Alpha'").status, 0);
  ASSERT_EQ(run_cli("exercise advance " + three + " --days 2").status, 0);
  ASSERT_EQ(run_cli("exercise do " + three + " 'add 1 village_cadre to Alpha'").status, 0);
  review = review_of(tmp, "three");
  EXPECT_NE(review.find("| expected | surge | partly done on day 3 (1 of 2); the rest late, by day 5 | add 2 "
                        "village_cadre to Alpha (given: add 1 village_cadre to Alpha; add 1 village_cadre to Alpha on "
                        "day 5, late) |"),
            std::string::npos)
      << review;
}

// The test policy classifies Alpha's 20 key-area returnees key on day 0 and tracks nobody: no
// tracking-day at all, a share of 1 that would have read "met".
TEST(ExerciseReview, KeyPersonsWithoutATeamAreSaidAndTheTeamsObjectiveIsNotMet) {
  TempDir tmp;
  std::string text = read_file(kInjects);
  text.replace(text.find("injects-scenario.yaml"), 21, kData + "/exercise/injects-scenario.yaml");
  text.replace(text.find("objectives:\n"), 12, "objectives:\n  - {id: teams, title: T, measure: teams_complete}\n");
  const std::string file = (tmp.path() / "teams.yaml").string();
  std::ofstream(file) << text;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + file + " --out " + dir).status, 0);
  // The screen flags them as it flags those not yet screened (identified 20 by day 0, none tracked).
  const std::string screen = read_file(tmp.path() / "ex" / "state.txt");
  EXPECT_NE(screen.find("KEY PERSONS  identified 20   tracked 0   NOT TRACKED 20   TEAMS INCOMPLETE 0"),
            std::string::npos)
      << screen;
  const auto state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  EXPECT_EQ(state["villages"][0]["key_persons"]["not_tracked"], 20);
  EXPECT_EQ(state["villages"][1]["key_persons"]["not_tracked"], 0);
  EXPECT_EQ(state["villages"][1]["key_persons"]["identified"], 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 9").status, 0);
  EXPECT_EQ(read_file(tmp.path() / "ex" / "state.txt").find("NOT TRACKED 0"), std::string::npos);
  const std::string review = review_of(tmp, "ex");
  EXPECT_NE(review.find("| teams: T | **partly** | 0 of 0 tracking-days with the team complete; 20 of 20 key persons "
                        "identified in the played villages never got a team |"),
            std::string::npos)
      << review;
}

// Key persons identified on the last day get their teams the next morning, after the horizon: said
// apart, and not held against the objective (nobody could have given them a team). The tiny
// scenario under the shipped returnee and "5+1" rules, a surge of five from the key area on day 5,
// the last: screened and classified key that day, no tracking-day in the horizon.
TEST(ExerciseReview, KeyPersonsOfTheLastDayDoNotFailTheTeamsObjective) {
  TempDir tmp;
  std::string scenario = read_file(kData + "/exercise/tiny-scenario.yaml");
  scenario.replace(scenario.find("[../../../rules/vocabulary.yaml, screen-only.yaml]"), 50,
                   "[" + std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/vocabulary.yaml, " + VILLAGEGRID_SOURCE_DIR +
                       "/rules/returnees.yaml, " + VILLAGEGRID_SOURCE_DIR + "/rules/tracking/five-plus-one.yaml]");
  std::ofstream(tmp.path() / "last-day-scenario.yaml") << scenario;
  const std::string file = (tmp.path() / "last-day.yaml").string();
  std::ofstream(file) << "exercise: {name: last-day, scenario: " << (tmp.path() / "last-day-scenario.yaml").string()
                      << ", background_replicates: 1}\n"
                         "players:\n  - {team: t, villages: [Alpha]}\n"
                         "objectives:\n  - {id: teams, title: T, measure: teams_complete}\n"
                         "msel:\n"
                         "  - id: surge\n    day: 5\n    hour: 0\n    synopsis: Five at midnight\n"
                         "    effect: {surge: {village: Alpha, origin: key_area, returnees: 5, over_hours: 0.0167}}\n"
                         "    player: t\n";
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + file + " --out " + dir).status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 9").status, 0);
  const std::string review = review_of(tmp, "ex");
  EXPECT_NE(review.find("| teams: T | **met** | 0 of 0 tracking-days with the team complete; 5 of 5 key persons "
                        "identified in the played villages never got a team (5 of them identified on the last day, "
                        "day 5: their teams form after the horizon) |"),
            std::string::npos)
      << review;
}

// injects.yaml: the alarm at 10:00 of day 1, a decision at the day-1 stop (00:00): the decision first.
TEST(ExerciseReview, TheTimelineFollowsTheClockWithinADay) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  ASSERT_EQ(run_cli("exercise do " + dir + " 'note the alarm is coming'").status, 0);
  const std::string review = review_of(tmp, "ex");
  const size_t decision = review.find("| 1 | 00:00 | decision |"), inject = review.find("| 1 | 10:00 | inject |");
  ASSERT_NE(decision, std::string::npos) << review;
  ASSERT_NE(inject, std::string::npos) << review;
  EXPECT_LT(decision, inject) << review;
}

// A script (or a pipe) stops at its first refused command: the `next` after a refused decision is
// not run, so the drill does not move on without it. Exit 2, naming the script's line.
TEST(ExerciseReview, AScriptStopsAtItsFirstRefusedCommand) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);  // day 1
  const std::string script = (tmp.path() / "play.cmd").string();
  std::ofstream(script) << "# day 1\nnote first\nadd 1 village_cadre to Alpah\nnext\n";
  auto r = run_cli("exercise console " + dir + " --script " + script);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("play.cmd:3:24: error: unknown village 'Alpah'; did you mean 'Alpha'?"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("villagegrid: stopped at " + script + " line 3, the first refused command"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"))["day"], 1);
  EXPECT_NE(read_file(tmp.path() / "ex" / "exercise.log").find("do 1 note first\n"), std::string::npos);
  // Piped: the same; a step the executor refuses (past the end) names the line too.
  r = vg::testing::run_shell("printf 'advance 9\\nadvance 1\\nnote never\\n' | timeout 120 " +
                             std::string(VILLAGEGRID_CLI) + " exercise console " + dir + " 2>&1 >/dev/null");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("<console>:2: villagegrid: the exercise is over (day 6)"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(tmp.path() / "ex" / "exercise.log").find("never"), std::string::npos);
}

// After the last day a note is still logged (it changes nothing); another command is refused.
TEST(ExerciseReview, ANoteIsWelcomeAfterTheLastDay) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 9").status, 0);
  auto r = run_cli("exercise do " + dir + " 'note the debrief starts'");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(read_file(tmp.path() / "ex" / "exercise.log").find("do 6 note the debrief starts\n"), std::string::npos);
  r = run_cli("exercise do " + dir + " 'add 1 village_cadre to Alpha'");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("is after the exercise's last day, 5: this would change nothing"), std::string::npos)
      << r.output;
  // Starting into a folder that holds an exercise is bad input, as the README's exit statuses say.
  r = run_cli("exercise start " + kInjects + " --out " + dir);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("already holds an exercise"), std::string::npos) << r.output;
  // ... and so is one that holds anything else (a run's outputs): the files would be mixed.
  tmp.write("runs/x/summary.json", "{}");
  r = run_cli("exercise start " + kInjects + " --out " + (tmp.path() / "runs" / "x").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("is not an empty folder; start the exercise into a new or empty one"), std::string::npos)
      << r.output;
}

// `check` warns (exit 0) of an inject in a village its player does not play, and of an inject and an
// objective about a supply nothing in the policy uses (Pushan's policy uses masks, never gloves).
TEST(ExerciseReview, CheckWarnsOfWhatPlayersCannotAffect) {
  TempDir tmp;
  std::string text = read_file(kInjects);
  text.replace(text.find("injects-scenario.yaml"), 21, kData + "/exercise/injects-scenario.yaml");
  text.replace(text.find("villages: [Alpha, Beta]"), 23, "villages: [Alpha]");
  const std::string expected =
      "    expected:\n      - {action: \"move 2 village_cadre from Alpha to Beta\", by_day: 3}\n";
  ASSERT_NE(text.find(expected), std::string::npos);
  text.erase(text.find(expected), expected.size());
  std::ofstream(tmp.path() / "away.yaml") << text;
  auto r = run_cli("check " + (tmp.path() / "away.yaml").string());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("away.yaml:36:31: warning: inject 'surge' happens in Beta, which its player, team "
                          "'town-team', does not play (it plays Alpha): no team plays it, so every command naming Beta "
                          "is refused, and the objectives measure only the played villages"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("0 error(s), 1 warning(s)"), std::string::npos) << r.output;
  // Another team plays Beta: its commands are not refused; the warning names that team instead.
  text.replace(text.find("    villages: [Alpha]\n"), 22,
               "    villages: [Alpha]\n    roles: [village_cadre]\n  - team: beta-team\n    villages: [Beta]\n");
  std::ofstream(tmp.path() / "other.yaml") << text;
  r = run_cli("check " + (tmp.path() / "other.yaml").string());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("warning: inject 'surge' happens in Beta, which its player, team 'town-team', does not play "
                          "(it plays Alpha): team 'beta-team' plays Beta; make it the inject's player"),
            std::string::npos)
      << r.output;

  const std::string file = (tmp.path() / "gloves.yaml").string();
  std::ofstream(file) << "exercise: {name: g, scenario: " << VILLAGEGRID_SOURCE_DIR
                      << "/scenarios/pushan-2020.yaml, horizon_days: 6}\n"
                         "players:\n  - {team: t, villages: [Pushan]}\n"
                         "objectives:\n"
                         "  - {id: gloves, title: G, measure: supply_out_at_most, supply: gloves}\n"
                         "  - {id: masks, title: M, measure: supply_out_at_most, supply: masks}\n"
                         "msel:\n"
                         "  - {id: g, day: 1, synopsis: S, player: t, effect: {stock: {supply: gloves, level: 0}}}\n"
                         "  - {id: m, day: 1, synopsis: S, player: t, effect: {stock: {supply: masks, level: 0}}}\n";
  r = run_cli("check " + file);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("gloves.yaml:5:65: warning: objective 'gloves' counts the days the played villages are out "
                          "of gloves, which no task or monitoring of the policy uses: its stock changes no work, so no "
                          "alert says it is out and stockout_days stays 0"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("gloves.yaml:8:70: warning: inject 'g' sets the stock of gloves, which no task or "
                          "monitoring of the policy uses"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("0 error(s), 2 warning(s)"), std::string::npos) << r.output;  // masks: none
}

}  // namespace
