// Exercises over villages with their own policy (`policy: overrides:`, docs/scenarios.md): the
// players' commands and the injects name posts, events and tasks of the village they act in, as
// that village's policy declares them, and take effect there; a name another village's policy has
// is refused for a village whose policy lacks it, naming the village. On
// tests/data/exercise/overrides.yaml: Alpha under the injects tests' policy, Gamma with an event
// `siren` of its own (an hour's meeting for its one cadre and a gate post 08:00-10:00, two hours a
// day, while it is open), raised by an inject at 00:00 of day 4.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "exercise/session.h"
#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;
namespace ex = vg::exercise;

const std::string kOverrides = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/overrides.yaml";
const std::string kSixVillages = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/six-villages-drill.yaml";
constexpr size_t kAlpha = 0, kGamma = 1;

ex::Session session() {
  ex::Log log;
  log.exercise = kOverrides;
  return ex::Session(log);
}

ex::Command command(const ex::Session& s, const std::string& text, int day) {
  vg::Diagnostics d;
  auto src = std::make_shared<const vg::SourceFile>("<test>", text);
  auto c = ex::parse_command(text, vg::SourceLoc{src, 1, 1}, s.names(), day, d);
  EXPECT_TRUE(c.has_value()) << text << "\n" << d.format();
  return c.value_or(ex::Command{});
}

// The gate's two hours a day in Gamma, by day.
std::vector<int> gate_minutes(const ex::RunOutput& out, size_t village) {
  std::vector<int> m;
  for (const auto& day : out.days[village]) m.push_back(day.post_minutes_required);
  return m;
}

TEST(ExerciseOverrides, AnInjectRaisesAnEventOnlyTheVillagesOwnPolicyDeclares) {
  const auto s = session();
  const auto out = ex::simulate(s.model({}), 0, false);
  EXPECT_EQ(gate_minutes(out, kGamma), (std::vector<int>{0, 0, 0, 0, 120, 120}));
  EXPECT_EQ(gate_minutes(out, kAlpha), (std::vector<int>{0, 0, 0, 0, 0, 0}));
  const int cadre = s.base().program->find_role("village_cadre");
  EXPECT_EQ(out.days[kGamma][4].minutes_worked[size_t(cadre)], 60 + 120);  // the meeting and the gate's shift
  EXPECT_EQ(out.days[kGamma][3].minutes_worked[size_t(cadre)], 0);
}

TEST(ExerciseOverrides, CommandsNamingGammasOwnEventPostAndTaskTakeEffectInGamma) {
  const auto s = session();
  const int cadre = s.base().program->find_role("village_cadre");
  // Raised on day 1 with the meeting set to 90 minutes: the gate opens that day, the meeting is longer.
  const auto raised = ex::simulate(
      s.model({command(s, "raise siren in Gamma", 1), command(s, "set siren-meeting minutes to 90 in Gamma", 1)}), 0,
      false);
  EXPECT_EQ(gate_minutes(raised, kGamma), (std::vector<int>{0, 120, 120, 120, 120, 120}));
  EXPECT_EQ(raised.days[kGamma][1].minutes_worked[size_t(cadre)], 90 + 120);
  EXPECT_EQ(raised.days[kAlpha][1].minutes_worked[size_t(cadre)], 0);
  // Closed on day 2: today's shift stays (as a rule's close_post), none on day 3; the inject's siren
  // opens it again on day 4.
  const auto closed =
      ex::simulate(s.model({command(s, "raise siren in Gamma", 1), command(s, "close gate in Gamma", 2)}), 0, false);
  EXPECT_EQ(gate_minutes(closed, kGamma), (std::vector<int>{0, 120, 120, 0, 120, 120}));
}

TEST(ExerciseOverrides, ANameOfAnotherVillagesPolicyIsRefusedNamingTheVillage) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  auto r = run_cli("exercise start " + kOverrides + " --out " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string log = read_file(tmp.path() / "ex" / "exercise.log");
  const std::pair<const char*, const char*> bad[] = {
      {"raise siren in Alpha",
       "<command>:1:7: error: Alpha's policy has no event 'siren' (the policy of Gamma has it); Alpha's has: alarm"},
      {"close gate in Alpha", "<command>:1:7: error: Alpha's policy has no post 'gate' (the policy of Gamma has it)"},
      {"set siren-meeting minutes to 90 in Alpha",
       "<command>:1:5: error: Alpha's policy has no task 'siren-meeting' (the policy of Gamma has it)"},
      {"raise sirne in Gamma", "<command>:1:7: error: unknown event 'sirne'; did you mean 'siren'?"},
  };
  for (const auto& [text, message] : bad) {
    r = run_cli("exercise do " + dir + " '" + text + "'");
    EXPECT_EQ(r.status, 2) << text << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << text << "\n" << r.output;
  }
  EXPECT_EQ(read_file(tmp.path() / "ex" / "exercise.log"), log);
  for (const char* text : {"raise siren in Gamma", "set siren-meeting minutes to 90 in Gamma", "close gate in Gamma"}) {
    r = run_cli("exercise do " + dir + " '" + text + "'");
    EXPECT_EQ(r.status, 0) << text << "\n" << r.output;
  }
  r = run_cli("exercise replay " + dir);
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(ExerciseOverrides, AnInjectRaisingAnEventTheVillagesPolicyLacksNamesItsPlace) {
  TempDir tmp;
  const std::string file = (tmp.path() / "bad.yaml").string();
  std::ofstream(file)
      << "exercise: {name: bad, scenario: " << VILLAGEGRID_TEST_DATA
      << "/exercise/overrides-scenario.yaml}\n"
         "players:\n  - {team: t, villages: [Alpha, Gamma]}\n"
         "msel:\n"
         "  - {id: r, day: 1, synopsis: S, player: t, effect: {raise: {event: siren, village: Alpha}}}\n";
  const auto r = run_cli("exercise start " + file + " --out " + (tmp.path() / "ex").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:5:69: error: unknown event 'siren'; the policy of Alpha declares (about a "
                          "village): alarm (the policy of Gamma declares it)"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "ex" / "exercise.log"));
}

// The new user's trial on the shipped six-village drill: Longshan's own event, post and task.
TEST(ExerciseOverrides, LongshansOwnNamesWorkInTheSixVillagesDrill) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "d6").string();
  auto r = run_cli("exercise start " + kSixVillages + " --out " + dir);
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* text : {"raise wartime_declared in Longshan", "close main-road-checkpoint in Longshan",
                           "set emergency-meeting-chair minutes to 60 in Longshan"}) {
    r = run_cli("exercise do " + dir + " '" + text + "'");
    EXPECT_EQ(r.status, 0) << text << "\n" << r.output;
  }
  r = run_cli("exercise do " + dir + " 'raise wartime_declared in Pushan'");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("error: Pushan's policy has no event 'wartime_declared' (the policy of Longshan has it)"),
            std::string::npos)
      << r.output;
}

}  // namespace
