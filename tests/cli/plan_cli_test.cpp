// `villagegrid plan` end to end: the answer written as a scenario file that `check` accepts and
// `run` runs with the roster found; a generated region written out listed; no progress when
// stderr is not a terminal.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

namespace fs = std::filesystem;
using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

std::string scenario(const std::string& name) { return std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/" + name; }

// Pushan without its top-level `epidemic:` section (no infection modelled), beside the shipped one.
std::string no_epidemic_copy(const TempDir& dir) {
  std::istringstream in(read_file(scenario("pushan-2020.yaml")));
  std::string text, line;
  bool skip = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') skip = line.rfind("epidemic:", 0) == 0;
    if (!skip) text += line + "\n";
  }
  return vg::testing::write_beside_shipped(dir, VILLAGEGRID_SOURCE_DIR, "no-epidemic.yaml", text);
}

// `plan SCENARIO ARGS --out OUT` and its plan.json (null when it wrote none).
std::pair<vg::testing::CliResult, nlohmann::json> plan_into(const fs::path& out, const std::string& name,
                                                            const std::string& args) {
  auto r = run_cli("plan " + scenario(name) + " " + args + " --out " + out.string());
  EXPECT_EQ(r.status, 0) << r.output;
  return {r, r.status == 0 ? nlohmann::json::parse(read_file(out / "plan.json")) : nlohmann::json()};
}

TEST(CliPlan, WritesTheAnswerAsAScenarioThatRuns) {
  TempDir t;
  const fs::path out = t.path() / "p";
  const std::string plan = "plan " + scenario("pushan-2020.yaml") +
                           " --target 'screened_within_24h_of_arrival_share >= 0.3' --vary village_cadre=5..12"
                           " --vary party_member=100..120:10 --replicates 4 --out " +
                           out.string();
  ASSERT_EQ(run_cli(plan).status, 0);
  const auto r = run_cli(plan);  // again into the same folder: every file it wrote is a plan output
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find(" queued"), std::string::npos) << "progress printed to a pipe: " << r.output;
  EXPECT_NE(r.output.find("out of range: party_member=110..120 not run: village 'Pushan' has only 105 party members"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("95% Wilson interval"), std::string::npos) << r.output;
  const std::string yaml = read_file(out / "plan.yaml");
  EXPECT_NE(yaml.find("# plan: village_cadre 7 -> "), std::string::npos) << yaml;
  // The replicates the plan ran, so that `run plan.yaml` repeats its figures.
  EXPECT_NE(yaml.find("replicates: 4  # plan: replicates 200 -> 4 (as planned; raise it to confirm the answer)"),
            std::string::npos)
      << yaml;
  EXPECT_NE(read_file(out / "plan.md").find("## Hours by role"), std::string::npos);
  const auto check = run_cli("check " + (out / "plan.yaml").string());
  EXPECT_EQ(check.status, 0) << check.output;
  const auto run =
      run_cli("run " + (out / "plan.yaml").string() + " --replicates 2 --quiet --out " + (t.path() / "r").string());
  EXPECT_EQ(run.status, 0) << run.output;
}

// Without an answer, the advice to widen the ranges names only the roles that can be widened: a
// range cut by the scenario's limits (Pushan has 105 party members) cannot, and the limit is quoted
// (it said "widen the ranges" with every party member already varied). The same words in plan.json.
TEST(CliPlan, WithoutAnAnswerWidensOnlyTheRangesNotAtALimit) {
  TempDir t;
  const std::string target = " --target 'screened_within_24h_of_arrival_share >= 0.99' --replicates 2";
  const std::string limit = "party_member=120..200 not run: village 'Pushan' has only 105 party members";
  auto [r, j] = plan_into(t.path() / "one", "pushan-2020.yaml", "--vary party_member=20..200:20" + target);
  const std::string alone =
      "no roster in the ranges meets the targets; the varied role is at the scenario's limit, "
      "so wider ranges cannot be run (" +
      limit + "): vary another role, or relax the targets";
  EXPECT_NE(r.output.find(alone), std::string::npos) << r.output;
  EXPECT_EQ(j["parts"][0]["response"]["advice"], alone);
  std::tie(r, j) = plan_into(t.path() / "two", "pushan-2020.yaml",
                             "--vary party_member=20..200:20 --vary village_cadre=1..3" + target);
  const std::string with_cadres =
      "no roster in the ranges meets the targets; widen the range of village_cadre or relax the targets (" + limit +
      ")";
  EXPECT_NE(r.output.find(with_cadres), std::string::npos) << r.output;
  EXPECT_EQ(j["parts"][0]["response"]["advice"], with_cadres);
}

// One headcount for every village of a town: the smallest village's party members cap the range
// (said, with --per as the way out), and plan.yaml, at the top of the ranges without an answer,
// runs the large village with fewer party members than the scenario: warned (it was not).
TEST(CliPlan, ATopBelowTheScenariosRosterIsWarned) {
  TempDir t;
  const std::string rules = std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/";
  const std::string s =
      t.write("town.yaml", R"(scenario: {name: town, start_date: 2020-01-24, horizon_days: 10, seed: 1, replicates: 2}
policy:
  rules: [)" + rules + "vocabulary.yaml, " +
                               rules + "returnees.yaml, " + rules + R"(tracking/five-plus-one.yaml]
region:
  towns:
    - name: T
      staff: {town_cadre: {count: 2, hours_per_day: 8}}
      villages:
        - {name: Big, residents: 3000, mean_household_size: 4, party_members: 60, returnees: 600,
           staff: {village_cadre: 3, village_doctor: 1, neighbour: 20, party_member: {count: 40, hours_per_day: 2}}}
        - {name: Small, residents: 600, mean_household_size: 4, party_members: 10, returnees: 100,
           staff: {village_cadre: 1, village_doctor: 1, neighbour: 5, party_member: {count: 8, hours_per_day: 2}}}
returnees:
  origin_mix: {other_province: 1.0}
  arrival_days: {first: -3, peak: -2, last: -1}
supplies:
  stocks: {masks: 5000}
)");
  auto r = run_cli("plan " + s +
                   " --vary party_member=5..30:5 --target 'screened_within_24h_of_arrival_share >= 0.999' --out " +
                   (t.path() / "p").string());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("party_member=15..30 not run: village 'Small' has only 10 party members; the same "
                          "headcount goes to every village, so the smallest caps the others: --per 1000 sizes "
                          "each village's to its residents"),
            std::string::npos)
      << r.output;
  EXPECT_NE(
      r.output.find(
          "warning: in the parts without an answer, the top of the ranges is below the scenario's own roster (Big "
          "party_member 40 -> 10), so plan.yaml runs fewer staff in them than the scenario does: "
          "--per 1000 sizes each village's roster to its residents"),
      std::string::npos)
      << r.output;
}

// A range wholly beyond the scenario's limits runs nothing: the count says so (it read "0 of the 1
// rosters ... the other 1 not needed (settled by monotonicity ... a roster that fails)"), no role is
// named the bottleneck (it named the one never run), and plan.yaml's header says it keeps the
// scenario's own roster (it said "the top of the ranges").
TEST(CliPlan, ARangeBeyondTheLimitsRunsNothingAndSaysSo) {
  TempDir t;
  auto [r, j] = plan_into(t.path() / "p", "pushan-2020.yaml",
                          "--vary party_member=120..200:20 --target 'screened_within_24h_of_arrival_share >= 0.3' "
                          "--replicates 2");
  EXPECT_NE(r.output.find("No roster of the ranges is within the scenario's limits (out of range, below), so none "
                          "was run"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("settled by monotonicity"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Bottleneck role: not known (no roster of the ranges was run)"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("Bottleneck role (of the varied roles)"), std::string::npos) << r.output;
  EXPECT_NE(read_file(t.path() / "p" / "plan.yaml")
                .find("or the scenario's own roster where no roster of the ranges is within the scenario's limits"),
            std::string::npos);
}

// --quiet prints nothing but warnings: the parts' too (an answer 20 replicates cannot settle was
// said only in the table), and plan.md lists them as the table does.
TEST(CliPlan, QuietStillSaysThePartsWarnings) {
  TempDir t;
  const fs::path out = t.path() / "q";
  const auto r = run_cli("plan " + std::string(VILLAGEGRID_SOURCE_DIR) +
                         "/scenarios/pushan-2020.yaml --target 'screened_within_24h_of_arrival_share >= 0.3' "
                         "--vary village_cadre=5..15 --replicates 20 --quiet --out " +
                         out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string said = "town Nansheng (Pushan): the answer meets the targets in ";
  EXPECT_NE(r.output.find("villagegrid plan: warning: " + said), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Plan for"), std::string::npos) << r.output;  // no table
  EXPECT_NE(read_file(out / "plan.md").find("- Warning: the answer meets the targets in "), std::string::npos);
}

// A first day that never came (no village ran out of a supply) is later than any day: a target
// "not before day 5" holds there and one "by day 5" does not, and the table says "never", not
// "nan". It failed every part and advised widening the ranges.
TEST(CliPlan, AFirstDayThatNeverCameIsLaterThanAnyDay) {
  TempDir t;
  const std::string ranges = " --vary village_cadre=4..5 --replicates 4 --share 0.5";
  const auto [later, later_json] =
      plan_into(t.path() / "later", "maoming-villages.yaml", "--target 'first_stockout_day >= 5'" + ranges);
  EXPECT_TRUE(later_json["all_parts_answered"].get<bool>()) << later.output;
  EXPECT_NE(later.output.find("(mean first_stockout_day never)"), std::string::npos) << later.output;
  EXPECT_EQ(later.output.find("nan"), std::string::npos) << later.output;
  EXPECT_NE(
      later.output.find("Note: first_stockout_day: it never happened in 24 of 24 (part, replicate) pairs (6 parts)"),
      std::string::npos)
      << later.output;
  const auto [by, by_json] =
      plan_into(t.path() / "by", "maoming-villages.yaml", "--target 'first_stockout_day <= 5'" + ranges);
  EXPECT_FALSE(by_json["all_parts_answered"].get<bool>()) << by.output;
}

// Parts are judged on their own metrics: a per-village count that each part keeps under the target
// can fail for the region, which sums it over the villages. The verdict is every part's together,
// the binding target a part's, and the region's line says it sums (it said "0%, the binding target").
TEST(CliPlan, SeveralPartsAreJudgedEachOnItsOwnMetrics) {
  TempDir t;
  const auto [r, json] = plan_into(t.path() / "p", "maoming-villages.yaml",
                                   "--target 'out_of_hours_village_days <= 3' --vary village_cadre=2..12 "
                                   "--replicates 6 --share 0.5");
  const auto& c = json["check"];
  EXPECT_GT(c["share_all_parts"].get<double>(), c["share_all_targets"].get<double>()) << r.output;
  EXPECT_NE(r.output.find("  every part meets its targets (together) in "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" (the region's metrics: a count sums its villages', a first day is their earliest)"),
            std::string::npos)
      << r.output;
  if (!c["parts_binding_target"].is_null()) {
    EXPECT_NE(
        r.output.find("of replicates in " + c["parts_binding_part"].get<std::string>() + ", the least of any part)"),
        std::string::npos)
        << r.output;
  }
  EXPECT_EQ(r.output.find("of replicates, whole region)"), std::string::npos) << r.output;
  const std::string md = read_file(t.path() / "p" / "plan.md");
  EXPECT_NE(md.find("- Every part meeting its targets (together, each on its own metrics): "), std::string::npos) << md;
}

// A warning several parts give in the same words is one line naming a few of them and how many
// more (the prefecture's per-town plan printed the same three lines for each of 114 towns); the
// table and plan.md still give each part its own.
TEST(CliPlan, TheSameWarningOfSeveralPartsIsSaidOnce) {
  TempDir t;
  const auto [r, json] = plan_into(t.path() / "p", "maoming-villages.yaml",
                                   "--target 'screened_within_24h_of_arrival_share >= 0.05' --vary village_cadre=2..12 "
                                   "--replicates 6 --share 0.5 --quiet");
  ASSERT_EQ(json["parts"].size(), 6u);
  const std::string said = ": village_cadre=2 is the bottom of its range: fewer may meet the targets too";
  size_t lines = 0;
  for (size_t at = r.output.find(said); at != std::string::npos; at = r.output.find(said, at + 1)) ++lines;
  EXPECT_EQ(lines, 1u) << r.output;
  const std::string first = "town " + json["parts"][0]["name"].get<std::string>() + " (" +
                            json["parts"][0]["only_village"].get<std::string>() + ")";
  EXPECT_NE(r.output.find("villagegrid plan: warning: " + first + ", town "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" and 3 more parts" + said), std::string::npos) << r.output;
  size_t in_report = 0;
  const std::string md = read_file(t.path() / "p" / "plan.md");
  for (size_t at = md.find("village_cadre=2 is the bottom"); at != std::string::npos;
       at = md.find("village_cadre=2 is the bottom", at + 1))
    ++in_report;
  EXPECT_EQ(in_report, 6u);
}

// A plan without an answer says so plainly everywhere: plan.yaml's header (it said "the roster
// found where the ranges held one (elsewhere the top of the ranges) to meet"), the count of rosters
// not run (it gave "dearer than the answer" as a reason) and, when a role not varied is busier than
// every varied one (town-12's town cadres, 24% of their hours against the village cadres' 4%), that
// role, since no varied range can show it binding ("Bottleneck role" named a varied one alone).
TEST(CliPlan, WithoutAnAnswerNamesTheBusiestRoleNotVaried) {
  TempDir t;
  const fs::path out = t.path() / "p";
  const auto r = run_cli(std::string("plan ") + VILLAGEGRID_SOURCE_DIR +
                         "/bench/town-12.yaml --target 'team_complete_share >= 0.999' --vary village_cadre=70..90:10 "
                         "--per 10000 --replicates 3 --out " +
                         out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Busier than every varied role: town_cadre, not varied (24% of its hours worked; 11.1 hours "
                          "of its work late, 66.7 tracking-days its team place empty or duty undone)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("dearer than the answer"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 runs of the model in the search, and one for the check"), std::string::npos) << r.output;
  const auto j = nlohmann::json::parse(read_file(out / "plan.json"));
  EXPECT_EQ(j["check"]["busiest_unvaried_role"]["role"], "town_cadre");
  // Pushan's party members with idle village cadres varied: busier (11% of their hours against the
  // cadres' less), but they did all their work, so more of them would change nothing: not named.
  const auto idle = run_cli("plan " + scenario("pushan-2020.yaml") +
                            " --target 'screened_within_24h_of_arrival_share >= 0.95' --vary village_cadre=30..40:10 "
                            "--replicates 2 --out " +
                            (t.path() / "s").string());
  ASSERT_EQ(idle.status, 0) << idle.output;
  EXPECT_EQ(idle.output.find("Busier than every varied role"), std::string::npos) << idle.output;
  EXPECT_TRUE(
      nlohmann::json::parse(read_file(t.path() / "s" / "plan.json"))["check"]["busiest_unvaried_role"].is_null());
  EXPECT_NE(read_file(out / "plan.md").find("Busier than every varied role: town_cadre"), std::string::npos);
  const std::string yaml = read_file(out / "plan.yaml");
  EXPECT_NE(yaml.find("# no roster in the ranges meets, in at least 90% of 3 replicates (seed 20200124), "
                      "team_complete_share >= 0.999: this is the top of the ranges.\n"),
            std::string::npos)
      << yaml;
}

// An --out that is a file, or a folder of other files, is refused before any simulation: plan and
// compare (and run with a store) refused it only when writing their outputs, after all the work,
// leaving a finished results store beside it that the next command called unfinished.
TEST(CliPlan, AWrongOutIsRefusedBeforeTheWork) {
  TempDir t;
  const fs::path file = fs::path(t.write("afile", "mine\n"));
  const fs::path folder = t.path() / "notes";
  fs::create_directories(folder);
  t.write("notes/todo.txt", "mine\n");
  const std::string pushan = scenario("pushan-2020.yaml");
  for (const fs::path& out : {file, folder})
    for (const std::string& command :
         {"plan " + pushan + " --target 'screened_within_24h_of_arrival_share >= 0.3' --vary village_cadre=5..8",
          "compare " + pushan + " " + pushan, "run " + pushan + " --store"}) {
      const auto r = run_cli(command + " --replicates 3 --quiet --out " + out.string());
      EXPECT_EQ(r.status, 2) << command << "\n" << r.output;  // a command-line mistake: bad input
      EXPECT_NE(r.output.find(out == file ? "is not a folder" : "holds files that are not villagegrid outputs"),
                std::string::npos)
          << r.output;
      EXPECT_FALSE(fs::exists(t.path() / ("." + out.filename().string() + ".partial"))) << command;
    }
  EXPECT_EQ(read_file(file), "mine\n");
  EXPECT_EQ(read_file(folder / "todo.txt"), "mine\n");
}

// A generated region (one town of 12 villages) is written out listed; the file checks clean and
// lists the roster found.
TEST(CliPlan, AGeneratedRegionIsWrittenListed) {
  TempDir t;
  const fs::path out = t.path() / "p";
  const auto r = run_cli(std::string("plan ") + VILLAGEGRID_SOURCE_DIR +
                         "/bench/town-12.yaml --target 'screened_within_24h_of_arrival_share >= 0.1'"
                         " --vary village_cadre=1..6 --per 1000 --replicates 2 --quiet --out " +
                         out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string yaml = read_file(out / "plan.yaml");
  EXPECT_EQ(yaml.find("generate:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("- name: Gaoxin-T1-V12"), std::string::npos) << yaml;
  const auto check = run_cli("check " + (out / "plan.yaml").string());
  EXPECT_EQ(check.status, 0) << check.output;
}

// Staff live in the village: Pushan (6,400 residents) cannot field 7,000 village cadres, and the plan
// does not run them (it ran rosters larger than the village).
TEST(CliPlan, MoreStaffThanTheVillagesResidentsIsOutOfRange) {
  TempDir t;
  const auto [r, j] = plan_into(t.path() / "p", "pushan-2020.yaml",
                                "--target 'screened_within_24h_share >= 0.5' --vary village_cadre=1000..7000:3000 "
                                "--replicates 2");
  EXPECT_NE(
      r.output.find("out of range: village_cadre=7000 not run: village 'Pushan' has only 6400 residents to staff it"),
      std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("2 of the 2 rosters in the ranges and limits run"), std::string::npos) << r.output;
}

// A village that runs out of funds is named in plan.md with what it went without (the region's
// line alone hid it): Pushan with 300 yuan spends them all and has requests refused.
TEST(CliPlan, AVillageShortOfFundsIsListed) {
  TempDir t;
  std::string text = read_file(scenario("pushan-2020.yaml"));
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"funds_per_village: 7800", "funds_per_village: 300"},
        {"../rules/", std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/"}})
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  const fs::path out = t.path() / "p";
  const auto r = run_cli("plan " + t.write("poor.yaml", text) +
                         " --target 'screened_within_24h_of_arrival_share >= 0.3' --vary village_cadre=5..6"
                         " --replicates 2 --quiet --out " +
                         out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string md = read_file(out / "plan.md");
  EXPECT_NE(md.find("300 yuan spent, 0 yuan left; "), std::string::npos) << md;
  EXPECT_NE(md.find("## Villages short of supplies or funds"), std::string::npos) << md;
  EXPECT_NE(md.find("\n| Pushan | 300 | 0 | "), std::string::npos) << md;
  const auto j = nlohmann::json::parse(read_file(out / "plan.json"));
  const auto& v = j["check"]["villages_supplies"];
  ASSERT_EQ(v.size(), 1u) << j["check"];
  EXPECT_EQ(v[0]["village"], "Pushan");
  EXPECT_EQ(v[0]["funds_left"], 0.0);
  EXPECT_GT(v[0]["requests_refused_for_funds"].get<double>(), 0.0);
  EXPECT_EQ(j["check"]["requests_refused_for_funds"], v[0]["requests_refused_for_funds"]);
}

// A scenario whose villages run their own policies (policy: overrides, with their own rule files
// and a grid) gives a plan.yaml that checks clean: the overrides' paths are made relative to it as
// the policy's are (they were left as written, relative to the scenario, and did not load).
TEST(CliPlan, OverridesPathsAreRelativeToThePlan) {
  TempDir t;
  const fs::path out = t.path() / "p";
  const auto r = run_cli("plan " + scenario("maoming-villages.yaml") +
                         " --target 'screened_within_24h_share >= 0.1' --vary village_cadre=4..8:4 --replicates 2"
                         " --quiet --out " +
                         out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string yaml = read_file(out / "plan.yaml");
  EXPECT_EQ(yaml.find("[../rules/"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("grid: grids/"), std::string::npos) << yaml;
  const auto check = run_cli("check " + (out / "plan.yaml").string());
  EXPECT_EQ(check.status, 0) << check.output;
  // The target held in every replicate binds nowhere, the region's metrics included.
  const auto j = nlohmann::json::parse(read_file(out / "plan.json"));
  ASSERT_EQ(j["check"]["share_per_target"][0], 1.0) << j["check"];
  EXPECT_TRUE(j["check"]["binding_target"].is_null()) << j["check"];
  EXPECT_EQ(read_file(out / "plan.md").find("the binding target"), std::string::npos);
}

// A rate's answer says what it counts and the people it ran, in every output; the request is in
// plan.json.
TEST(CliPlan, ARateSaysWhatItCountsAndThePeopleItRan) {
  TempDir t;
  const fs::path out = t.path() / "p";
  const auto [r, j] = plan_into(out, "pushan-2020.yaml",
                                "--target 'screened_within_24h_of_arrival_share >= 0.3' --vary village_cadre=1..3"
                                " --per 1000 --replicates 4");
  EXPECT_EQ(j["per"], "residents");
  EXPECT_EQ(j["per_residents"], 1000);
  EXPECT_EQ(j["vary"][0]["role"], "village_cadre");
  EXPECT_EQ(j["vary"][0]["max"], 3);
  const auto& best = j["parts"][0]["best"];
  ASSERT_FALSE(best.is_null()) << j;
  const int value = best["roster"]["village_cadre"], people = best["people"]["village_cadre"];
  EXPECT_EQ(people, int(std::lround(value * 6400 / 1000.0)));  // Pushan: 6,400 residents
  const std::string text =
      "village_cadre " + std::to_string(value) + " per 1000 residents (" + std::to_string(people) + " people)";
  EXPECT_NE(r.output.find("answer: " + text), std::string::npos) << r.output;
  EXPECT_NE(read_file(out / "plan.md").find(text), std::string::npos) << read_file(out / "plan.md");
  EXPECT_NE(read_file(out / "plan.csv").find(",people_village_cadre,"), std::string::npos);
  // The target's share column is named after the target.
  EXPECT_NE(read_file(out / "plan.csv").find(",share_screened_within_24h_of_arrival_share >= 0.3,"), std::string::npos)
      << read_file(out / "plan.csv");
}

// No roster meets the targets: said on stderr even with --quiet (plan.yaml then runs the top of the
// ranges), the exit status still 0; a target on a metric some replicates leave undefined is noted.
TEST(CliPlan, NoAnswerIsAWarningAndUndefinedMetricsAreNoted) {
  TempDir t;
  auto r = run_cli("plan " + scenario("pushan-2020.yaml") +
                   " --target 'screened_within_24h_of_arrival_share >= 0.9' --vary village_cadre=5..6 --replicates 2"
                   " --quiet --out " +
                   (t.path() / "none").string());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("warning: no roster in the ranges meets the targets for 1 of 1 part; plan.yaml runs it at "
                          "the top of its ranges"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(nlohmann::json::parse(read_file(t.path() / "none" / "plan.json"))["all_parts_answered"], false);
  // No case to time (no onset) is a rule over no one: the target holds there. It failed there, so
  // no roster could meet a target on detection in a village that often has no case.
  r = run_cli("plan " + scenario("pushan-2020.yaml") +
              " --target 'detection_delay_days <= 3' --vary village_cadre=5..6 --replicates 10 --out " +
              (t.path() / "undef").string());
  EXPECT_EQ(r.status, 0) << r.output;
  const std::string note = "Note: detection_delay_days had nothing to measure (none of what it counts) in ";
  const size_t at = r.output.find(note);
  ASSERT_NE(at, std::string::npos) << r.output;
  const int nothing = std::stoi(r.output.substr(at + note.size()));
  EXPECT_NE(r.output.substr(at + note.size())
                .find(" of 10 replicates, where a comparison on it in 'detection_delay_days <= 3' holds"),
            std::string::npos)
      << r.output;
  const auto check = nlohmann::json::parse(read_file(t.path() / "undef" / "plan.json"))["check"];
  EXPECT_GE(check["share_all_targets"].get<double>() * 10 + 1e-9, nothing) << r.output;
  // A metric the scenario does not model (no epidemic) would fail every replicate: refused before
  // anything runs (it ran 200 replicates of each roster and found none).
  r = run_cli(
      "plan " + no_epidemic_copy(t) +
      " --target 'infections_local <= 3' --target 'detection_delay_days <= 3' --vary village_cadre=5..6 --out " +
      (t.path() / "off").string());
  EXPECT_EQ(r.status, 2) << r.output;
  for (const std::string metric : {"infections_local", "detection_delay_days"})
    EXPECT_NE(r.output.find("'" + metric + "' is not modelled in this scenario (it has no `epidemic` section)"),
              std::string::npos)
        << r.output;
  // The weekly coverage needs a full week behind a day: over 5 days it is never measured, and a
  // target on it would hold everywhere on nothing (it answered "100%").
  std::string five = read_file(scenario("pushan-2020.yaml"));
  five.replace(five.find("horizon_days: 60"), 16, "horizon_days: 5");
  r = run_cli("plan " + vg::testing::write_beside_shipped(t, VILLAGEGRID_SOURCE_DIR, "five-days.yaml", five) +
              " --target 'households_contacted_7d_share >= 0.9' --vary party_member=10..20:10 --out " +
              (t.path() / "week").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("error: 'households_contacted_7d_share' is not measured in this scenario: it is over the "
                          "days a full week lies behind, and its horizon is 5 days"),
            std::string::npos)
      << r.output;
  // A share of 0 would let every roster meet the targets.
  r = run_cli("plan " + scenario("pushan-2020.yaml") +
              " --target 'screened_within_24h_of_arrival_share >= 0.9' --vary village_cadre=5..6 --share 0 --out " +
              (t.path() / "zero").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--share: a share of 0 lets every roster meet the targets"), std::string::npos) << r.output;
}

// Several parts and targets: each part's check in plan.json has its share per target and its own
// binding target (the one held least often; none when every target held in every replicate), and
// the table names it on the part's line.
TEST(CliPlan, EachPartsBindingTargetIsWritten) {
  TempDir t;
  const auto [r, j] = plan_into(t.path() / "p", "maoming-villages.yaml",
                                "--target 'screened_within_24h_of_arrival_share >= 0.37'"
                                " --target 'team_complete_share >= 0.99' --vary village_cadre=4..8 --replicates 6");
  ASSERT_GT(j["parts"].size(), 1u);
  int binding = 0;
  for (const auto& p : j["parts"]) {
    const auto& c = p["check"];
    const auto shares = c.at("share_per_target").get<std::vector<double>>();
    ASSERT_EQ(shares.size(), 2u);
    const size_t low = shares[1] < shares[0] ? 1 : 0;
    const std::string line = "town " + p["name"].get<std::string>() + " (" + p["only_village"].get<std::string>() +
                             ") meets the targets in ";
    const size_t at = r.output.find(line);
    ASSERT_NE(at, std::string::npos) << r.output;
    const std::string text = r.output.substr(at, r.output.find('\n', at) - at);
    if (shares[low] == 1) {
      EXPECT_TRUE(c.at("binding_target").is_null()) << p;
      EXPECT_EQ(text.find("binding target"), std::string::npos) << text;
    } else {
      ++binding;
      EXPECT_EQ(c.at("binding_target"), j["targets"][low]) << p;
      EXPECT_NE(text.find("binding target: '" + j["targets"][low].get<std::string>() + "'"), std::string::npos) << text;
    }
  }
  EXPECT_GT(binding, 0) << "no part with a failing target: the case tests nothing";
}

// A role of the policy that no roster of the scenario lists is refused without suggesting the
// very name given ("did you mean 'town_cadre'?" for town_cadre).
TEST(CliPlan, ARoleNoRosterListsIsNotSuggestedAsItself) {
  TempDir t;
  std::string yaml = read_file(fs::path(VILLAGEGRID_SOURCE_DIR) / "bench" / "town-12.yaml");
  const std::string town_staff = "    town_staff:\n      town_cadre: {count: 6, hours_per_day: 8}\n";
  ASSERT_NE(yaml.find(town_staff), std::string::npos);
  yaml.erase(yaml.find(town_staff), town_staff.size());
  for (size_t at; (at = yaml.find("../rules/")) != std::string::npos;)
    yaml.replace(at, 9, std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/");
  const std::string file = t.write("no-town-staff.yaml", yaml);
  const auto r = run_cli("plan " + file + " --target 'team_complete_share >= 0.99' --vary town_cadre=1..6" +
                         " --replicates 2 --out " + (t.path() / "p").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("role 'town_cadre' is in the policy, but no roster of scenario 'town-12' lists it"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("did you mean"), std::string::npos) << r.output;
}

// --share and --per say what they take: a share from 0 to 1 (with the share a per cent likely
// meant), a whole number of residents; not CLI11's "not in range 0.000000 to 1.000000".
TEST(CliPlan, ShareAndPerSayWhatTheyTake) {
  const std::string plan = "plan " + scenario("pushan-2020.yaml") +
                           " --target 'screened_share >= 0.3' --vary village_cadre=5..6 --replicates 2 ";
  auto r = run_cli(plan + "--share 95");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--share: a share of replicates is more than 0 and at most 1; got 95; did you mean 0.95?"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("not in range"), std::string::npos) << r.output;
  r = run_cli(plan + "--share 250");
  EXPECT_NE(r.output.find("at most 1; got 250\n"), std::string::npos) << r.output;  // no guess past 100
  r = run_cli(plan + "--share 0");
  EXPECT_NE(r.output.find("a share of 0 lets every roster meet the targets"), std::string::npos) << r.output;
  r = run_cli(plan + "--share half");
  EXPECT_NE(r.output.find("more than 0 and at most 1; got half"), std::string::npos) << r.output;
  r = run_cli(plan + "--per 1000.5");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--per: expected a whole number of residents, 1 to 10000000; got 1000.5"), std::string::npos)
      << r.output;
  r = run_cli(plan + "--per 0");
  EXPECT_NE(r.output.find("got 0"), std::string::npos) << r.output;
}

// An answer below the scenario's roster that does much worse at work no target reads is warned
// of, with the scenario's own figures on the same replicates: a target on out-of-hours days alone
// halved Pushan's party members while its late tasks rose fivefold, unsaid. The scenario's figure
// is `run`'s (the same seed and replicates); a target on the work itself takes it out of the warning.
TEST(CliPlan, AnAnswerBelowTheScenarioThatDoesMuchWorseIsWarnedOf) {
  TempDir t;
  const std::string ranges = " --vary party_member=10..60:10 --replicates 8 --share 0.5";
  const auto [r, json] =
      plan_into(t.path() / "p", "maoming-villages.yaml", "--target 'out_of_hours_village_days <= 2'" + ranges);
  std::string pushan;
  for (const auto& part : json["parts"])
    if (part["only_village"] == "Pushan")
      for (const auto& w : part["warnings"])
        if (w.get<std::string>().find("fewer staff than the scenario") != std::string::npos) pushan = w;
  const std::string lead = "the answer runs fewer staff than the scenario (Pushan party_member 60 -> ";
  ASSERT_EQ(pushan.rfind(lead, 0), 0u) << r.output;
  const size_t at = pushan.find("tasks_late ");
  ASSERT_NE(at, std::string::npos) << pushan;
  const double was = std::stod(pushan.substr(at + 11));
  const double now = std::stod(pushan.substr(pushan.find(" -> ", at) + 4));
  EXPECT_GE(now, 1.5 * was) << pushan;
  const auto ran = run_cli("run " + scenario("maoming-villages.yaml") + " --replicates 8 --quiet --out " +
                           (t.path() / "run").string());
  ASSERT_EQ(ran.status, 0) << ran.output;
  const auto summary = nlohmann::json::parse(read_file(t.path() / "run" / "summary.json"));  // outlives the loop
  for (const auto& m : summary["metrics"])
    if (m["metric"] == "tasks_late" && m["village"] == "Pushan") {
      EXPECT_NEAR(m["mean"].get<double>(), was, 0.5);
    }
  // Said once for several parts on stderr (--quiet), without the figures.
  const auto quiet =
      run_cli("plan " + scenario("maoming-villages.yaml") + " --target 'out_of_hours_village_days <= 2'" + ranges +
              " --quiet --out " + (t.path() / "q").string());
  EXPECT_NE(quiet.output.find("1 more part: the answer runs fewer staff than the scenario and does much worse than the "
                              "scenario's own roster at work no target reads (the figures: plan.md)"),
            std::string::npos)
      << quiet.output;
  const auto [paired, paired_json] =
      plan_into(t.path() / "t", "maoming-villages.yaml",
                "--target 'out_of_hours_village_days <= 2' --target 'tasks_late <= 1e6'" + ranges);
  EXPECT_EQ(paired.output.find("at work no target reads: tasks_late"), std::string::npos) << paired.output;
}

// A roster's max_count (a village committee of at most 7 by law) bounds plan as a village's party
// members do: values above it are out of range, not run, and plan.yaml keeps the limit.
TEST(CliPlan, ARostersMaxCountIsALimit) {
  TempDir t;
  std::string text = read_file(scenario("pushan-2020.yaml"));
  const std::string entry = "village_cadre: {count: 7, hours_per_day: 10}";
  ASSERT_NE(text.find(entry), std::string::npos);
  text.replace(text.find(entry), entry.size(), "village_cadre: {count: 7, hours_per_day: 10, max_count: 8}");
  const std::string path = vg::testing::write_beside_shipped(t, VILLAGEGRID_SOURCE_DIR, "max-count.yaml", text);
  const auto r = run_cli("plan " + path +
                         " --target 'screened_within_24h_of_arrival_share >= 0.99' --vary village_cadre=5..10 "
                         "--replicates 4 --out " +
                         (t.path() / "p").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("out of range: village_cadre=9..10 not run: village 'Pushan' allows at most 8 village_cadre "
                          "(its max_count)"),
            std::string::npos)
      << r.output;
  const auto json = nlohmann::json::parse(read_file(t.path() / "p" / "plan.json"));
  for (const auto& c : json["parts"][0]["runners_up"]) EXPECT_LE(c["roster"]["village_cadre"].get<int>(), 8) << c;
  EXPECT_NE(read_file(t.path() / "p" / "plan.yaml").find("village_cadre: {count: 8, hours_per_day: 10, max_count: 8}"),
            std::string::npos);
  // Per 1000 of Pushan's 6,400 residents a step is 6 or 7 people: 2 per 1000 (13) jumps past the
  // limit of 8 with 6 run. The role is not "at the scenario's limit": a finer rate runs 7 and 8.
  const auto per = run_cli("plan " + path +
                           " --target 'screened_within_24h_of_arrival_share >= 0.99' --vary village_cadre=1..3 "
                           "--per 1000 --replicates 2 --out " +
                           (t.path() / "per").string());
  ASSERT_EQ(per.status, 0) << per.output;
  EXPECT_NE(per.output.find("village_cadre=2..3 not run: village 'Pushan' allows at most 8 village_cadre (its "
                            "max_count) (2 per 1000 residents is 13 people in its largest roster; --per 10000 gives "
                            "finer steps)"),
            std::string::npos)
      << per.output;
  EXPECT_NE(per.output.find("the next step of the varied role per residents is beyond the scenario's limits ("),
            std::string::npos)
      << per.output;
  EXPECT_NE(per.output.find("a finer --per (10000) runs the counts between"), std::string::npos) << per.output;
  EXPECT_EQ(per.output.find("at the scenario's limit"), std::string::npos) << per.output;
}

// A comparison on a metric with nothing to measure holds, and `and` still needs the other: one
// target 'A and B' answers as the two targets given apart do (it answered 1 cadre, with 801 late
// tasks, where the two answer 9: tasks_late went unread wherever no case was).
TEST(CliPlan, ACompoundTargetReadsAsItsPartsGivenApart) {
  TempDir t;
  const std::string ranges = " --vary village_cadre=1..10 --replicates 20 --share 0.6";
  const auto [one, one_json] = plan_into(t.path() / "one", "pushan-2020.yaml",
                                         "--target 'detection_delay_days <= 10 and tasks_late <= 50'" + ranges);
  const auto [two, two_json] = plan_into(t.path() / "two", "pushan-2020.yaml",
                                         "--target 'detection_delay_days <= 10' --target 'tasks_late <= 50'" + ranges);
  ASSERT_FALSE(one_json["parts"][0]["best"].is_null()) << one.output;
  EXPECT_EQ(one_json["parts"][0]["best"]["roster"], two_json["parts"][0]["best"]["roster"]) << one.output << two.output;
  EXPECT_GT(one_json["parts"][0]["best"]["roster"]["village_cadre"].get<int>(), 1) << one.output;
}

// A target that held mostly where it had nothing to measure (villages with no case in most
// replicates) and seldom where it had is warned of, with both counts: the share met rests on
// replicates that say nothing of the roster.
TEST(CliPlan, ATargetMetMostlyWithNothingToMeasureIsWarnedOf) {
  TempDir t;
  const auto [r, json] = plan_into(t.path() / "p", "maoming-villages.yaml",
                                   "--target 'detection_delay_days <= 3' --vary village_doctor=1..2 --replicates 20 "
                                   "--share 0.6");
  int warned = 0;
  for (const auto& part : json["parts"])
    for (const auto& w : part["warnings"]) {
      const std::string text = w, lead = "'detection_delay_days <= 3' held in ", of = " of the check's ";
      const std::string held_in = " with something to measure it held in ";
      const size_t at = text.find(held_in);
      if (text.rfind(lead, 0) != 0 || at == std::string::npos) continue;
      ++warned;
      const int held_nothing = std::stoi(text.substr(lead.size()));
      const int nothing = std::stoi(text.substr(text.find(of) + of.size()));
      const int measured = std::stoi(text.substr(text.rfind("in the ", at) + 7));
      const int held = std::stoi(text.substr(at + held_in.size()));
      EXPECT_EQ(nothing + measured, 20) << text;
      EXPECT_EQ(held_nothing, nothing) << text;  // a rule over no one holds in each
      EXPECT_LT(held, 0.6 * measured) << text;
    }
  EXPECT_GT(warned, 0) << r.output;
  // A target that fails where it has nothing to measure is not propped up by those replicates:
  // `not` of a comparison that says nothing says nothing, and reads as the opposite comparison.
  const auto [n, n_json] = plan_into(t.path() / "n", "maoming-villages.yaml",
                                     "--target 'not (detection_delay_days > 3)' --vary village_doctor=1..2 "
                                     "--replicates 20 --share 0.6");
  for (const char* key : {"share_all_targets", "share_all_parts", "share_per_target", "cost"})
    EXPECT_EQ(n_json["check"][key], json["check"][key]) << key << n.output;
}

}  // namespace
