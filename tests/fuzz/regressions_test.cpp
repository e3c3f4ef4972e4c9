// Every input the fuzzers ever found a problem with (tests/data/fuzz/<target>/) and every seed of
// their corpus (the shipped YAML and the bad-input goldens) goes through the fuzz targets in the
// ordinary suite, so a fixed crash stays fixed without a sanitizer build. The targets must return:
// a crash, an abort or a hang fails the suite.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "fuzz/targets.h"
#include "support/temp_files.h"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> files_in(const fs::path& dir, const std::string& ext = "") {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && (ext.empty() || e.path().extension() == ext)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void replay(const std::string& target, const std::function<void(std::string_view)>& fn,
            const std::vector<fs::path>& seeds) {
  std::vector<fs::path> inputs = files_in(fs::path(VILLAGEGRID_TEST_DATA) / "fuzz" / target);
  inputs.insert(inputs.end(), seeds.begin(), seeds.end());
  ASSERT_FALSE(inputs.empty());
  for (const auto& f : inputs) {
    SCOPED_TRACE(f.string());
    fn(vg::testing::read_file(f));
  }
}

std::vector<fs::path> yaml_seeds() {
  std::vector<fs::path> v = files_in(fs::path(VILLAGEGRID_SOURCE_DIR) / "scenarios", ".yaml");
  for (const auto& f : files_in(fs::path(VILLAGEGRID_SOURCE_DIR) / "rules", ".yaml")) v.push_back(f);
  for (const auto& f : files_in(fs::path(VILLAGEGRID_TEST_DATA) / "bad", ".yaml")) v.push_back(f);
  return v;
}

TEST(FuzzRegressions, Scenario) { replay("scenario", vg::fuzz::scenario, yaml_seeds()); }
TEST(FuzzRegressions, Policy) { replay("policy", vg::fuzz::policy, yaml_seeds()); }
TEST(FuzzRegressions, Expression) { replay("expression", vg::fuzz::expression, {}); }

}  // namespace
