// A baseline of the default scenario's results (as Covasim's test_baselines.py): any change to what
// the default run answers shows up here and must be accepted on purpose, by running the test with
// VILLAGEGRID_UPDATE_GOLDEN=1 and committing tests/data/baseline/pushan-2020.json with the change.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::TempDir;

TEST(Baseline, DefaultScenarioResultsAreUnchanged) {
  TempDir dir;
  const std::string cmd = "timeout 120 " + std::string(VILLAGEGRID_CLI) + " run --replicates 20 --quiet --out " +
                          dir.path().string() + " > /dev/null 2>&1";
  const int st = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  auto summary = nlohmann::ordered_json::parse(read_file(dir.path() / "summary.json"));
  // What the run answers; not where it ran (scenario_file is an absolute path).
  nlohmann::ordered_json actual = {{"metrics", summary["metrics"]},
                                   {"roles", summary["roles"]},
                                   {"first_roles_out_of_hours", summary["first_roles_out_of_hours"]}};
  const std::string path = std::string(VILLAGEGRID_TEST_DATA) + "/baseline/pushan-2020.json";
  if (const char* u = std::getenv("VILLAGEGRID_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path) << actual.dump(2) << "\n";
    GTEST_SKIP() << "baseline written to " << path;
  }
  const std::string expected = read_file(path);
  ASSERT_FALSE(expected.empty()) << "no baseline at " << path << "; run with VILLAGEGRID_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual.dump(2) + "\n", expected)
      << "the default scenario's results changed; if intended, update the baseline with VILLAGEGRID_UPDATE_GOLDEN=1";
}

}  // namespace
