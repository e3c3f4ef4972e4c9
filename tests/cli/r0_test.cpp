// R0 from the next-generation matrix, end to end: `check` prints it with the household share for
// a scenario with an epidemic section (and says nothing of R0 without one), summary.json holds
// the same figures as the model, and an r0 below the household part is bad input (exit 2).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/model.h"
#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

// The small scenario of tests/data/bad/r0-below-households.yaml with the shipped rules found from
// anywhere, and its epidemic section replaced by `epidemic` (empty: none).
std::string scenario(const std::string& epidemic) {
  std::string yaml = read_file(std::string(VILLAGEGRID_TEST_DATA) + "/bad/r0-below-households.yaml");
  for (size_t at; (at = yaml.find("../../../rules/")) != std::string::npos;)
    yaml.replace(at, 15, std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/");
  const size_t at = yaml.find("\nepidemic:");
  EXPECT_NE(at, std::string::npos);
  return yaml.substr(0, at + 1) + epidemic;
}

TEST(CliR0, CheckPrintsR0AndHouseholdShareOfTheShippedScenario) {
  const std::string file = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020.yaml";
  auto r = run_cli("check " + file);
  ASSERT_EQ(r.status, 0) << r.output;
  // Pushan: r0 2.2 and SAR 0.15 in households of 1 + Poisson(2.9). A case infected at home lives in
  // a bigger household than one infected outside (size bias), so R0 is a little above the r0 asked.
  EXPECT_NE(
      r.output.find(file + ": R0 2.23 (next-generation matrix; r0 asked 2.2), household share 26.2% (group 36.9%, "
                           "village 29.5%, town 7.4%)\n"),
      std::string::npos)
      << r.output;
}

TEST(CliR0, CheckSaysNothingOfR0WithoutAnEpidemicSection) {
  TempDir dir;
  const std::string without = dir.write("without.yaml", scenario(""));
  auto r = run_cli("check " + without);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("R0"), std::string::npos) << r.output;
  const std::string with =
      dir.write("with.yaml", scenario("epidemic:\n  r0: 3\n  infection_probability: {key_area: 0.01}\n"));
  r = run_cli("check " + with);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(with + ": R0 3."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("r0 asked 3), household share"), std::string::npos) << r.output;
}

// r0 0.1, 0.3 and 0.5 used to run identically (the community layers silently at 0); now each is
// refused at its r0 key with both figures, by check and by run.
TEST(CliR0, R0BelowTheHouseholdPartIsBadInput) {
  TempDir dir;
  for (const char* r0 : {"0.1", "0.3", "0.5"}) {
    const std::string file = dir.write(
        "low.yaml", scenario(std::string("epidemic:\n  r0: ") + r0 + "\n  infection_probability: {key_area: 0.01}\n"));
    for (const char* cmd : {"check ", "run --quiet --replicates 2 --out "}) {
      const bool run = cmd[0] == 'r';
      auto r = run_cli(cmd + (run ? (dir.path() / "out").string() + " " : "") + file);
      EXPECT_EQ(r.status, 2) << cmd << r0 << ": " << r.output;
      EXPECT_NE(r.output.find("low.yaml:38:7: error: r0 " + std::string(r0) +
                              " is below what households alone give, 0.535 (household_sar 0.15 x 3.57"),
                std::string::npos)
          << cmd << r0 << ": " << r.output;
      EXPECT_FALSE(std::filesystem::exists(dir.path() / "out")) << cmd << r0;
    }
  }
}

TEST(CliR0, SummaryHoldsTheModelsR0AndLayerShares) {
  TempDir dir;
  const std::string file = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020.yaml";
  auto r = run_cli("run " + file + " --replicates 2 --quiet --out " + dir.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = nlohmann::json::parse(read_file(dir.path() / "summary.json"));
  ASSERT_TRUE(j.contains("r0")) << j.dump(2);
  vg::Diagnostics diags;
  const vg::sim::Model m = vg::sim::load_model(file, diags);
  ASSERT_TRUE(m.next_generation.has_value());
  const auto& g = *m.next_generation;
  EXPECT_DOUBLE_EQ(j["r0"]["next_generation"].get<double>(), g.r0);
  EXPECT_DOUBLE_EQ(j["r0"]["asked"].get<double>(), 2.2);
  EXPECT_DOUBLE_EQ(j["r0"]["household_share"].get<double>(), g.household_share());
  double sum = 0;
  const std::array<const char*, 4> layers = {"household", "group", "village", "town"};
  for (size_t l = 0; l < layers.size(); ++l) {
    EXPECT_DOUBLE_EQ(j["r0"]["layer_share"][layers[l]].get<double>(), g.layer_share[l]) << layers[l];
    sum += g.layer_share[l];
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(g.r0, 2.23, 0.005);
}

}  // namespace
