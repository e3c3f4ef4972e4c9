// The injects and commands that reach into the epidemic, the rules and the rosters, against hand
// computations on tests/data/exercise/injects.yaml (two villages: Alpha with three cadres and 20
// key persons screened on day 0; Beta with one cadre of 8 hours from 08:00 and a surge of 30 at
// 00:00 of day 3; screening an hour each, within 24 hours):
// - the fever inject gives Alpha's first key person found (all found at 00:00 of day 0: the first
//   returnee) an onset at 09:00 of day 2, and nobody else falls ill (nobody arrives infected);
// - the alarm raised on day 1 at 10:00 creates one meeting task in Alpha that day (its rule);
// - moving two cadres from Alpha to Beta on day 3: three cadres screen 24 of the surge on day 3,
//   against 8 for Beta's one (16 more); setting screening to 30 minutes in Beta on day 3: one cadre
//   screens 480 / 30 = 16 (8 more); a round every 2 days set to every day from day 1 comes on days
//   3 and 5 too;
// - the commands replay byte-identical, and bad ones are refused at their column, nothing lost.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "exercise/console.h"
#include "exercise/session.h"
#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;
namespace ex = vg::exercise;

const std::string kInjects = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/injects.yaml";

ex::Session session() {
  ex::Log log;
  log.exercise = kInjects;
  return ex::Session(log);
}

TEST(ExerciseInjects, FeverGivesTheFirstKeyPersonAnOnsetAtTheInjectsMinute) {
  const auto s = session();
  const auto out = ex::simulate(s.model({}), 0, true);
  int ill = 0;
  const vg::sim::PersonRecord* first_key = nullptr;
  for (const auto& p : out.persons) {
    if (p.onset >= 0) ++ill;
    if (first_key == nullptr && s.base().program->is_key_class(p.cls) && p.village == 0) first_key = &p;
  }
  ASSERT_NE(first_key, nullptr);
  EXPECT_EQ(first_key->arrival, 0);  // found at 00:00 of day 0, as every key person
  EXPECT_EQ(first_key->onset, 2 * 1440 + 9 * 60);
  EXPECT_EQ(first_key->infection_day < 2, true);  // infected before, so that the incubation ends on day 2
  EXPECT_EQ(ill, 1);
  EXPECT_EQ(out.days[0][2].onsets, 1);
  EXPECT_EQ(out.days[0][1].onsets + out.days[1][2].onsets, 0);
}

TEST(ExerciseInjects, RaisedEventFiresItsRuleThatDay) {
  const auto s = session();
  const auto with = ex::simulate(s.model({}), 0, false);
  // The same exercise without the alarm: the model of the base scenario with the other injects.
  auto spec = s.spec();
  const auto without_model = [&] {
    vg::Diagnostics d;
    vg::sim::Overrides o;
    o.replicates = 1;
    o.amend = [&](vg::config::ScenarioSpec& sc) { sc.schedule = {}; };
    return vg::sim::load_model(spec.scenario_file, d, o);
  }();
  const auto without = ex::simulate(without_model, 0, false);
  EXPECT_EQ(with.days[0][1].tasks_created - without.days[0][1].tasks_created, 1);
  EXPECT_EQ(with.days[0][0].tasks_created, without.days[0][0].tasks_created);
}

// `set round every_days to 1 in Alpha` given on day 1: the round due on day 2 was set on day 0
// (every 2 days), from there it comes every day: rounds on days 0, 2, 3, 4, 5 against 0, 2, 4.
TEST(ExerciseInjects, SettingEveryDaysRepeatsTheRoundAsAHandCountSays) {
  const auto s = session();
  vg::Diagnostics d;
  auto src = std::make_shared<const vg::SourceFile>("<test>", "set round every_days to 1 in Alpha");
  const auto c = ex::parse_command(src->text, vg::SourceLoc{src, 1, 1}, s.names(), 1, d);
  ASSERT_TRUE(c.has_value()) << d.format();
  const auto before = ex::simulate(s.model({}), 0, false), after = ex::simulate(s.model({*c}), 0, false);
  const int extra[] = {0, 0, 0, 1, 0, 1};
  for (int day = 0; day < 6; ++day) {
    EXPECT_EQ(after.days[0][size_t(day)].tasks_created - before.days[0][size_t(day)].tasks_created, extra[day])
        << "day " << day;
    EXPECT_EQ(after.days[1][size_t(day)].tasks_created, before.days[1][size_t(day)].tasks_created) << "day " << day;
  }
}

int screened_on_day3(const TempDir& tmp, const std::string& name, const std::string& command) {
  const std::string dir = (tmp.path() / name).string();
  EXPECT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);  // day 1
  EXPECT_EQ(run_cli("exercise advance " + dir + " --days 2").status, 0);         // day 3, the surge
  if (!command.empty()) {
    const auto r = run_cli("exercise do " + dir + " '" + command + "'");
    EXPECT_EQ(r.status, 0) << r.output;
  }
  EXPECT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);
  const auto state = nlohmann::json::parse(read_file(tmp.path() / name / "state.json"));
  return state["villages"][1]["returnees"]["screened"].get<int>();
}

TEST(ExerciseInjects, MovingTwoCadresAndShorterScreeningChangeTheSurgesScreeningByHand) {
  TempDir tmp;
  const int alone = screened_on_day3(tmp, "alone", "");
  const int moved = screened_on_day3(tmp, "moved", "move 2 village_cadre from Alpha to Beta");
  const int quicker = screened_on_day3(tmp, "quicker", "set screening minutes to 30 in Beta");
  EXPECT_EQ(alone, 8);
  EXPECT_EQ(moved, 24);
  EXPECT_EQ(moved - alone, 16);
  EXPECT_EQ(quicker, 16);
  EXPECT_EQ(quicker - alone, 8);
  // Alpha keeps one cadre on duty from day 3; the move is the expected action, done on time.
  const auto state = nlohmann::json::parse(read_file(tmp.path() / "moved" / "state.json"));
  auto r = run_cli("exercise review " + (tmp.path() / "moved").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string review = read_file(tmp.path() / "moved" / "review.md");
  EXPECT_NE(review.find("| expected | surge | done on day 3 | move 2 village_cadre from Alpha to Beta |"),
            std::string::npos)
      << review;
}

// A move lends members on duty by its day: never one called in for a later day (who would be
// counted in Beta from today while not yet anyone in Alpha), never one lent already.
TEST(ExerciseInjects, AMoveLendsOnlyMembersOnDutyByItsDayAndEachOnce) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 2").status, 0);  // day 3
  for (const char* c : {"add 1 village_cadre to Alpha from day 5", "move 1 village_cadre from Alpha to Beta"}) {
    const auto r = run_cli("exercise do " + dir + " '" + c + "'");
    ASSERT_EQ(r.status, 0) << c << "\n" << r.output;
  }
  // Alpha has 3 on duty and 1 more from day 5: it may lend 2 more today, not 3.
  auto r = run_cli("exercise do " + dir + " 'move 3 village_cadre from Alpha to Beta'");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("Alpha has 2 village_cadre to lend from day 3"), std::string::npos) << r.output;
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);  // day 4
  const auto state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  auto on_duty = [&](size_t village) {
    for (const auto& st : state["villages"][village]["staff"])
      if (st["role"] == "village_cadre") return st["on_duty_today"].get<int>();
    return -1;
  };
  EXPECT_EQ(on_duty(0), 2);  // Alpha: 3 less the one lent (the one called in for day 5 is not yet there)
  EXPECT_EQ(on_duty(1), 2);  // Beta: its own and the one lent
}

// Moving effort between tasks: an alarm raised in Beta at 00:00 of day 3 makes an hour's meeting
// (priority 50) beside the surge's screenings (80). Beta's one cadre screens 8 that day and the
// meeting waits; with `set alarm-meeting priority to 90 in Beta` the meeting goes first and 7 are
// screened (480 - 60 = 420 minutes of an hour each).
TEST(ExerciseInjects, RaisingATasksPriorityMovesTheCadresHourToIt) {
  TempDir tmp;
  auto screened = [&](const std::string& name, const std::string& extra) {
    const std::string dir = (tmp.path() / name).string();
    EXPECT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
    EXPECT_EQ(run_cli("exercise advance " + dir + " --days 2").status, 0);
    for (const std::string& c : {std::string("raise alarm in Beta at 0"), extra}) {
      if (c.empty()) continue;
      const auto r = run_cli("exercise do " + dir + " '" + c + "'");
      EXPECT_EQ(r.status, 0) << r.output;
    }
    EXPECT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);
    const auto state = nlohmann::json::parse(read_file(tmp.path() / name / "state.json"));
    return state["villages"][1]["returnees"]["screened"].get<int>();
  };
  EXPECT_EQ(screened("as-written", ""), 8);
  EXPECT_EQ(screened("meeting-first", "set alarm-meeting priority to 90 in Beta"), 7);
}

TEST(ExerciseInjects, NewCommandsReplayByteIdentical) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  const std::string script = (tmp.path() / "script").string();
  std::ofstream(script) << "# a comment line is skipped, as a blank one\n"
                           "raise alarm in Beta at 14\n"
                           "set screening minutes to 45 in Alpha\n"
                           "advance 2\n"
                           "move 1 village_cadre from Alpha to Beta\n"
                           "set screening minutes to 30 in Beta\n"
                           "call 1 village_cadre to Beta from day 4\n"
                           "advance 3\n";
  auto r = run_cli("exercise console " + dir + " --script " + script);
  ASSERT_EQ(r.status, 0) << r.output;
  r = run_cli("exercise replay " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("replay: identical"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(tmp.path() / "ex" / "state.txt"), read_file(tmp.path() / "ex" / "replay" / "state.txt"));
}

TEST(ExerciseInjects, BadCommandsAreRefusedAtTheirColumnAndNothingIsLost) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  const std::string log = read_file(tmp.path() / "ex" / "exercise.log");
  const std::pair<const char*, const char*> bad[] = {
      {"raise alarn in Alpha", "<command>:1:7: error: unknown event 'alarn'; did you mean 'alarm'?"},
      {"raise fever_found in Alpha", "'fever_found' is raised by the simulation itself"},
      {"set screenin minutes to 30 in Alpha",
       "<command>:1:5: error: unknown task 'screenin'; did you mean 'screening'?"},
      {"set screening minuts to 30 in Alpha",
       "<command>:1:15: error: unknown parameter 'minuts'; did you mean 'minutes'?"},
      {"set screening every_days to 3 in Alpha", "unknown repeated task 'screening'"},
      {"move 2 village_cadre from Beta to Alpha", "Beta has 1 village_cadre to lend from day 1"},
      {"move 1 village_cadre from Alpha to Alpha", "staff move to another village"},
      {"mvoe 1 village_cadre from Alpha to Beta", "unknown command 'mvoe'; did you mean 'move'?"},
  };
  for (const auto& [command, message] : bad) {
    auto r = run_cli("exercise do " + dir + " '" + command + "'");
    EXPECT_EQ(r.status, 2) << command << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << command << "\n" << r.output;
  }
  EXPECT_EQ(read_file(tmp.path() / "ex" / "exercise.log"), log);
}

// A fever in a scenario without an epidemic, and a misspelt or built-in event to raise: refused at
// their place in the exercise file.
TEST(ExerciseInjects, BadFeverAndRaiseInjectsNameTheirPlace) {
  TempDir tmp;
  const std::string file = (tmp.path() / "bad.yaml").string();
  std::ofstream(file)
      << "exercise: {name: bad, scenario: " << VILLAGEGRID_TEST_DATA
      << "/exercise/tiny-scenario.yaml}\n"
         "players:\n  - {team: t, villages: [Alpha]}\n"
         "msel:\n"
         "  - {id: f, day: 1, synopsis: S, player: t, effect: {fever: {village: Alpha}}}\n"
         "  - {id: r, day: 1, synopsis: S, player: t, effect: {raise: {event: fever_found, village: Alpha}}}\n";
  const auto r = run_cli("exercise start " + file + " --out " + (tmp.path() / "ex").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:5:61: error"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("a fever in a key person needs the scenario's 'epidemic' section"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("bad.yaml:6:69: error"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("('fever_found' is raised by the simulation itself)"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "ex" / "exercise.log"));
}

// A fever inject asking for a key person the village does not have (Alpha has 20 key persons by
// day 2): delivered, nobody falls ill, and the screen says so at that stop.
TEST(ExerciseInjects, AFeverForAKeyPersonTheVillageLacksIsSaid) {
  TempDir tmp;
  std::string text = read_file(kInjects);
  const std::string one = "key_person: 1}";
  ASSERT_NE(text.find(one), std::string::npos);
  text.replace(text.find(one), one.size(), "key_person: 50}");
  const std::string scenario = "scenario: injects-scenario.yaml";
  ASSERT_NE(text.find(scenario), std::string::npos);
  text.replace(text.find(scenario), scenario.size(),
               "scenario: " + std::string(VILLAGEGRID_TEST_DATA) + "/exercise/injects-scenario.yaml");
  std::ofstream(tmp.path() / "injects.yaml") << text;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + (tmp.path() / "injects.yaml").string() + " --out " + dir).status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);  // day 2: the fever's stop
  const std::string screen = read_file(tmp.path() / "ex" / "state.txt");
  EXPECT_NE(
      screen.find("inject 'fever' asks for key person 50, but Alpha has 20 as of 00:00 of day 2: nobody falls ill"),
      std::string::npos)
      << screen;
}

// An exercise file NAME.yaml in `tmp`: one team playing Alpha of the tiny scenario, `exercise`
// added to its exercise mapping, one inject on day 1 with `effect`.
std::string tiny_exercise(const TempDir& tmp, const std::string& name, const std::string& exercise,
                          const std::string& effect) {
  const std::string file = (tmp.path() / (name + ".yaml")).string();
  std::ofstream(file) << "exercise: {name: " << name << ", scenario: " << VILLAGEGRID_TEST_DATA
                      << "/exercise/tiny-scenario.yaml" << exercise
                      << "}\n"
                         "players:\n  - {team: t, villages: [Alpha]}\n"
                         "msel:\n  - {id: n, day: 1, synopsis: S, player: t, effect: "
                      << effect << "}\n";
  return file;
}

// An exercise plays the scenario's days or fewer: a longer horizon_days is refused at its place
// (the scenario has no arrivals, stocks or rosters planned for the days after its own).
TEST(ExerciseInjects, AHorizonLongerThanTheScenariosIsRefusedAtItsPlace) {
  TempDir tmp;
  const std::string file = tiny_exercise(tmp, "long", ", horizon_days: 9", "none");
  auto r = run_cli("check " + file);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("long.yaml:1:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("horizon_days 9 is longer than the scenario's (6 days"), std::string::npos) << r.output;
  r = run_cli("exercise start " + file + " --out " + (tmp.path() / "ex").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "ex" / "exercise.log"));
}

// `effect:` takes `none` or a mapping: another value is told so, with a "did you mean" when close.
TEST(ExerciseInjects, AnEffectValueOtherThanNoneSaysWhatAnEffectIs) {
  TempDir tmp;
  const std::string file = tiny_exercise(tmp, "e", "", "non");
  const auto r = run_cli("check " + file);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("e.yaml:5:53: error: effect 'non': an effect is `none` or a mapping of one of surge, "
                          "absence, stock, fever, raise; did you mean 'none'?"),
            std::string::npos)
      << r.output;
}

// The one executor every front end uses (exercise/console.h): a refused line changes neither the
// session nor the log.
TEST(ExerciseInjects, ExecutorRefusesWithoutChangingTheSession) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kInjects + " --out " + dir).status, 0);
  ex::Session s(ex::read_log(dir));
  const size_t before = s.log().entries.size();
  std::ostringstream out;
  auto src = std::make_shared<const vg::SourceFile>("<web>", "set five_plus_one days to 3 in Alpha");
  EXPECT_THROW(ex::execute_line(s, dir, src->text, vg::SourceLoc{src, 1, 1}, true, false, out), vg::InputError);
  EXPECT_EQ(s.log().entries.size(), before);
  EXPECT_EQ(ex::read_log(dir).entries.size(), before);
  src = std::make_shared<const vg::SourceFile>("<web>", "raise alarm in Alpha");
  EXPECT_TRUE(ex::execute_line(s, dir, src->text, vg::SourceLoc{src, 1, 1}, true, false, out));
  EXPECT_EQ(ex::read_log(dir).entries.size(), before + 1);
  out.str("");
  EXPECT_TRUE(ex::execute_line(s, dir, "help", {}, false, false, out));
  EXPECT_NE(out.str().find("move 2 village_cadre from Alpha to Beta"), std::string::npos) << out.str();  // its villages
}

}  // namespace
