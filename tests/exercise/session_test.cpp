// The exercise end to end through the CLI (docs/exercises.md): replay byte-identical, a killed
// exercise resumes from its log, bad commands and bad exercise files refused with their position
// and nothing lost, and a command never changes the days before it.
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

const std::string kDrill = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/spring-festival-drill.yaml";
const std::string kTiny = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/tiny.yaml";

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

// Plays the drill: the expected actions, then to the end.
void play(const std::string& dir) {
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + dir).status, 0);
  for (const char* c : {"add 4 village_cadre to Pushan", "note the surge needs more screeners"})
    ASSERT_EQ(run_cli("exercise do " + dir + " '" + c + "'").status, 0) << c;
  ASSERT_EQ(run_cli("exercise advance " + dir + " --to-next-inject").status, 0);
  ASSERT_EQ(run_cli("exercise do " + dir + " 'add 1 village_doctor to Pushan'").status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 2").status, 0);
}

TEST(Exercise, ReplayIsByteIdentical) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  play(dir);
  auto r = run_cli("exercise replay " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("replay: identical"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(tmp.path() / "ex" / "state.txt"), read_file(tmp.path() / "ex" / "replay" / "state.txt"));
  // The same log played again from scratch in another folder gives the same bytes.
  const std::string again = (tmp.path() / "again").string();
  play(again);
  EXPECT_EQ(read_file(tmp.path() / "ex" / "state.json"), read_file(tmp.path() / "again" / "state.json"));
  EXPECT_EQ(read_file(tmp.path() / "ex" / "exercise.log"), read_file(tmp.path() / "again" / "exercise.log"));
  // Another seed: the decisions replayed on other returnees.
  r = run_cli("exercise replay " + dir + " --seed 99 --out " + (tmp.path() / "seed99").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(read_file(tmp.path() / "seed99" / "state.json"), read_file(tmp.path() / "ex" / "state.json"));
}

// Past the last inject the screen says none is left (not a day with no inject), state.json's
// next_inject is null, and `next` runs to the end.
TEST(Exercise, PastTheLastInjectNoneIsLeftAndNextRunsToTheEnd) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kTiny + " --out " + dir).status, 0);  // day 3, the surge
  auto state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  ASSERT_EQ(state["day"], 3);
  EXPECT_TRUE(state["next_inject"].is_null()) << state["next_inject"];
  EXPECT_NE(read_file(tmp.path() / "ex" / "state.txt").find("no inject left: 'next' runs to the end"),
            std::string::npos);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --to-next-inject").status, 0);
  state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  EXPECT_EQ(state["day"], state["horizon"]);
  EXPECT_TRUE(state["finished"].get<bool>());
}

// An order that buys less than asked is said at the stop where it was placed: the channel's limit
// per request (online sells 1,000 a request), the funds (thermometer guns at 150 yuan: the funds
// left after them are under 150, whatever the rules spent before), nothing once the funds are gone.
TEST(Exercise, AnOrderCutByTheChannelOrTheFundsIsSaid) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + dir).status, 0);  // day 3
  for (const char* c :
       {"request 5000 masks via online for Pushan", "request 100 thermometer_guns via online for Pushan"})
    ASSERT_EQ(run_cli("exercise do " + dir + " '" + c + "'").status, 0) << c;
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);
  auto state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  const auto& pushan = state["villages"][0];
  ASSERT_EQ(pushan["village"], "Pushan");
  std::string alerts;
  for (const auto& a : pushan["alerts"]) alerts += a.get<std::string>() + "\n";
  EXPECT_NE(alerts.find("the order of 5000 masks via online on day 3 bought 1000: the channel sells at most 1000 a "
                        "request\n"),
            std::string::npos)
      << alerts;
  const std::string guns = "the order of 100 thermometer_guns via online on day 3 bought ";
  const size_t at = alerts.find(guns);
  ASSERT_NE(at, std::string::npos) << alerts;
  const int bought = std::stoi(alerts.substr(at + guns.size()));
  EXPECT_GT(bought, 0);
  EXPECT_LT(bought, 100);
  EXPECT_EQ(alerts.substr(at + guns.size() + std::to_string(bought).size(), 46),
            ", all the funds left paid for at 150 yuan each");
  EXPECT_LT(pushan["funds"].get<double>(), 150.0);
  ASSERT_EQ(run_cli("exercise do " + dir + " 'request 10 thermometer_guns via online for Pushan'").status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);
  EXPECT_NE(read_file(tmp.path() / "ex" / "state.txt")
                .find("the order of 10 thermometer_guns via online on day 4 bought nothing: the funds left could not "
                      "pay for one at 150 yuan each"),
            std::string::npos);
}

// Mistakes on the command line are bad input (status 2), as a refused command is: no command, a
// folder that does not exist, both ways of advancing.
TEST(Exercise, CommandLineMistakesAreBadInput) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kTiny + " --out " + dir).status, 0);
  const std::string log = read_file(tmp.path() / "ex" / "exercise.log");
  auto r = run_cli("exercise do " + dir + " ' '");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("no command given"), std::string::npos) << r.output;
  r = run_cli("exercise do " + (tmp.path() / "nowhere").string() + " 'note x'");
  EXPECT_EQ(r.status, 2) << r.output;
  r = run_cli("exercise advance " + dir + " --days 2 --to-next-inject");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--days excludes --to-next-inject"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(tmp.path() / "ex" / "exercise.log"), log);
}

TEST(Exercise, BadCommandsAreRefusedAndNothingIsLost) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + dir).status, 0);
  const std::string log = read_file(tmp.path() / "ex" / "exercise.log");
  auto r = run_cli("exercise do " + dir + " 'add 2 vilage_cadre to Pushan'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("<command>:1:7: error: unknown role 'vilage_cadre'; did you mean 'village_cadre'?"),
            std::string::npos)
      << r.output;
  r = run_cli("exercise do " + dir + " 'add 2 village_cadre to Pushn'");
  EXPECT_NE(r.output.find("<command>:1:24: error: unknown village 'Pushn'; did you mean 'Pushan'?"), std::string::npos)
      << r.output;
  // A town's name, where a village goes: the town's villages in the exercise, not a did-you-mean.
  r = run_cli("exercise do " + dir + " 'add 2 town_cadre to Nansheng'");
  EXPECT_NE(
      r.output.find("<command>:1:21: error: 'Nansheng' is a town, and commands name a village (a town's staff are "
                    "called into one of its villages): Nansheng's villages in the exercise are Pushan"),
      std::string::npos)
      << r.output;
  r = run_cli("exercise do " + dir + " 'ad 2 village_cadre to Pushan'");
  EXPECT_NE(r.output.find("unknown command 'ad'; did you mean 'add'?"), std::string::npos) << r.output;
  r = run_cli("exercise do " + dir + " 'request 100 masks via online for Pushan'");
  EXPECT_EQ(r.status, 0) << r.output;  // a good one after the bad ones
  r = run_cli("exercise do " + dir + " 'request 5 thermometer_guns via onsite_purchase for Pushan'");
  EXPECT_NE(r.output.find("channel onsite_purchase does not offer thermometer_guns"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(tmp.path() / "ex" / "exercise.log"), log + "do 3 request 100 masks via online for Pushan\n");
}

TEST(Exercise, KilledExerciseResumesFromItsLog) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  play(dir);
  const std::string state = read_file(tmp.path() / "ex" / "state.json");
  // Killed after the log was written and before the state was: the log alone rebuilds it.
  std::filesystem::remove(tmp.path() / "ex" / "state.json");
  std::filesystem::remove(tmp.path() / "ex" / "state.txt");
  auto r = run_cli("exercise console " + dir + " --json < /dev/null");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(read_file(tmp.path() / "ex" / "state.json"), state);
  // A log written by hand (or cut short by a kill) is read as far as it is whole.
  write(tmp.path() / "ex" / "exercise.log",
        "villagegrid exercise log 1\nexercise " + kDrill + "\nadvance 3\nadvance 2\n");
  r = run_cli("exercise replay " + dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("exercise.log:4:9: error: expected a day"), std::string::npos) << r.output;
}

// The log pins the exercise's files: changed after the exercise started (the surge made larger),
// every later step is refused rather than silently replaying the days already played differently
// (advance said nothing, replay only "DIFFERS"); put back, it goes on. A file moved away is named,
// with where the log keeps its place.
TEST(Exercise, ChangedOrMovedExerciseFilesAreRefused) {
  TempDir tmp;
  std::string text = read_file(kTiny);
  text.replace(text.find("scenario: tiny-scenario.yaml"), 28,
               "scenario: " + std::string(VILLAGEGRID_TEST_DATA) + "/exercise/tiny-scenario.yaml");
  const auto file = tmp.path() / "tiny.yaml";
  write(file, text);
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + file.string() + " --out " + dir).status, 0);
  EXPECT_NE(read_file(tmp.path() / "ex" / "exercise.log").find("\ninputs "), std::string::npos);
  const std::string changed = std::string(text).replace(text.find("returnees: 30"), 13, "returnees: 60");
  ASSERT_NE(changed, text);
  write(file, changed);
  for (const std::string& cmd : {"exercise advance " + dir, "exercise replay " + dir, "exercise review " + dir}) {
    const auto r = run_cli(cmd);
    EXPECT_EQ(r.status, 2) << cmd << "\n" << r.output;
    EXPECT_NE(r.output.find(file.string() + " has changed since the exercise started"), std::string::npos)
        << cmd << "\n"
        << r.output;
  }
  write(file, text);
  ASSERT_EQ(run_cli("exercise advance " + dir).status, 0);
  const auto moved = tmp.path() / "moved.yaml";
  std::filesystem::rename(file, moved);
  auto r = run_cli("exercise advance " + dir);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("is not there (the exercise folder's exercise.log names it on its second line)"),
            std::string::npos)
      << r.output;
  // As the message says: its new place on the log's second line, and it goes on (the digest is of
  // the contents, not the place).
  std::string log = read_file(tmp.path() / "ex" / "exercise.log");
  log.replace(log.find(file.string()), file.string().size(), moved.string());
  write(tmp.path() / "ex" / "exercise.log", log);
  r = run_cli("exercise advance " + dir);
  EXPECT_EQ(r.status, 0) << r.output;
}

// A command for a later day (`from day D`) is logged on the day it was given, so the log still reads
// after the exercise advances: it resumes, advances past D and is reviewed and replayed.
TEST(Exercise, ACommandForALaterDayKeepsTheLogReadable) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + dir).status, 0);  // day 3: the first inject
  for (const char* c :
       {"add 1 village_cadre to Pushan from day 10", "move 1 party_member from Pushan to Pushan from day 5"})
    (void)run_cli("exercise do " + dir + " '" + c + "'");  // the move is refused (same village): not logged
  auto r = run_cli("exercise advance " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  r = run_cli("exercise advance " + dir + " --days 8");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(read_file(tmp.path() / "ex" / "exercise.log").find("\ndo 3 add 1 village_cadre to Pushan from day 10\n"),
            std::string::npos)
      << read_file(tmp.path() / "ex" / "exercise.log");
  for (const char* verb : {"review", "replay"}) {
    r = run_cli(std::string("exercise ") + verb + " " + dir);
    EXPECT_EQ(r.status, 0) << verb << ": " << r.output;
  }
  // The cadre came on day 10, not before: today's staff (day 12) shows one more than the start's.
  const auto state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  ASSERT_EQ(state["decisions"].size(), 1u);
  // Listed under the day it was given, as in the log (its own words say when it takes effect).
  EXPECT_EQ(state["decisions"][0], "day 3: add 1 village_cadre to Pushan from day 10");
  EXPECT_NE(read_file(tmp.path() / "ex" / "review.md")
                .find("| 3 | 00:00 | decision |  |  | add 1 village_cadre to Pushan from day 10"),
            std::string::npos)
      << read_file(tmp.path() / "ex" / "review.md");
}

TEST(Exercise, ACommandLeavesTheDaysBeforeItAsTheyWere) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + dir).status, 0);
  auto before = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  ASSERT_EQ(run_cli("exercise do " + dir + " 'add 30 party_member to Pushan'").status, 0);
  ASSERT_EQ(run_cli("exercise do " + dir + " 'overtime 2 hours for village_cadre in Pushan'").status, 0);
  auto after = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  EXPECT_EQ(after["decisions"].size(), 2u);
  auto b = before["villages"][0], a = after["villages"][0];
  for (const char* k : {"returnees", "work", "key_persons", "stocks"}) EXPECT_EQ(a[k], b[k]) << k;
  // Today's staff shows the people called in.
  auto party_members = [](const nlohmann::json& staff) {
    for (const auto& r : staff)
      if (r["role"] == "party_member") return r["on_duty_today"].get<int>();
    return -1;
  };
  ASSERT_GT(party_members(b["staff"]), 0) << b["staff"].dump();
  EXPECT_EQ(party_members(a["staff"]), party_members(b["staff"]) + 30);
}

TEST(Exercise, BadExerciseFilesNameFileLineAndColumn) {
  TempDir tmp;
  const auto bad = tmp.path() / "bad.yaml";
  std::string text = read_file(kTiny);
  const std::string scenario = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/tiny-scenario.yaml";
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    t.replace(t.find("tiny-scenario.yaml"), 18, scenario);
    write(bad, t);
    return run_cli("exercise start " + bad.string() + " --out " + (tmp.path() / "out").string());
  };
  auto r = replace("background_replicates", "backgrund_replicates");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("bad.yaml:7:3: error: unknown key 'backgrund_replicates' in 'exercise'; did you mean "
                          "'background_replicates'?"),
            std::string::npos)
      << r.output;
  r = replace("villages: [Alpha]", "villages: [Alhpa]");
  EXPECT_NE(r.output.find("bad.yaml:10:16: error: unknown village 'Alhpa'; did you mean 'Alpha'?"), std::string::npos)
      << r.output;
  r = replace("origin: key_area", "origin: key_aera");
  EXPECT_NE(r.output.find("error: unknown origin 'key_aera'; did you mean 'key_area'?"), std::string::npos) << r.output;
  r = replace("add 2 village_cadre to Alpha", "add 2 village_cadre to Alpah");
  EXPECT_NE(r.output.find("error: unknown village 'Alpah'; did you mean 'Alpha'?"), std::string::npos) << r.output;
  r = replace("player: alpha-team", "player: alpha-teem");
  EXPECT_NE(r.output.find("error: unknown team 'alpha-teem'; did you mean 'alpha-team'?"), std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "out"));  // nothing started
}

}  // namespace

namespace {

TEST(Exercise, SixVillagesDrillRunsToItsReview) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "six").string();
  const std::string file = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/six-villages-drill.yaml";
  auto r = run_cli("exercise start " + file + " --out " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* v : {"Longshan", "Pushan", "Nanba", "Yunshi", "Luofu", "Dongtou"})
    EXPECT_NE(r.output.find(std::string(" VILLAGE ") + v), std::string::npos) << v;
  ASSERT_EQ(run_cli("exercise do " + dir + " 'add 2 village_cadre to Nanba'").status, 0);
  ASSERT_EQ(run_cli("exercise advance " + dir + " --days 20").status, 0);
  r = run_cli("exercise review " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string review = read_file(tmp.path() / "six" / "review.md");
  for (const char* id : {"screen-longshan", "screen-nanba", "teams", "masks"})
    EXPECT_NE(review.find(std::string("| ") + id + ": "), std::string::npos) << id;
  EXPECT_NE(review.find("| 2 | 00:00 | expected | nanba-bus | done on day 2 | add 2 village_cadre to Nanba |"),
            std::string::npos)
      << review;
  EXPECT_NE(review.find("| 2 | 00:00 | expected | longshan-bus | missed |"), std::string::npos) << review;
}

}  // namespace

namespace {

// docs/exercises.md's worked example is what the drill, played with its shipped script, gives.
TEST(Exercise, TheGuidesWorkedExampleIsWhatTheDrillGives) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "drill").string();
  const std::string src = VILLAGEGRID_SOURCE_DIR;
  auto r = run_cli("exercise start " + kDrill + " --out " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string guide = read_file(src + "/docs/exercises.md");
  EXPECT_NE(guide.find(r.output), std::string::npos) << "the first screen differs from the guide's:\n" << r.output;
  r = run_cli("exercise console " + dir + " --script " + src + "/scenarios/exercises/spring-festival-drill.commands");
  ASSERT_EQ(r.status, 0) << r.output;
  write(tmp.path() / "drill" / "observations.csv",
        "kind,text\nwent_well,The team called in cadres the morning the buses came\n"
        "to_improve,Nobody thought of the doctors' overtime on the surge day\n");
  ASSERT_EQ(run_cli("exercise review " + dir).status, 0);
  const std::string review = read_file(tmp.path() / "drill" / "review.md");
  // From the timeline to the end, headings as in review.md (the guide ends with it).
  const size_t from = review.find("| day | time");
  ASSERT_NE(from, std::string::npos);
  EXPECT_NE(guide.find(review.substr(from)), std::string::npos) << review;
  // The surge's returnees never found are said (4 of the 120 in this run); no key person lacks a team.
  EXPECT_NE(review.find("0 never screened; 4 of 120 never found within the horizon |"), std::string::npos) << review;
  EXPECT_NE(review.find("; 0 of 148 key persons identified in the played villages never got a team; "),
            std::string::npos)
      << review;
  // Which roles left places empty: the drill's incomplete teams need neighbours, party members and
  // doctors together (a trainer adding one role at a time saw nothing change).
  EXPECT_NE(review.find("by role: neighbour 112, party_member 112, village_doctor 112, town_cadre 16"),
            std::string::npos)
      << review;
}

}  // namespace
