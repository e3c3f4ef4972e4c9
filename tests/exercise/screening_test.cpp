// A decision's effect computed by hand (tests/data/exercise/tiny.yaml): one village, one cadre of
// 8 hours from 08:00, a policy that screens each returnee in 60 minutes within 24 hours, and a
// surge of 30 returnees at 00:00 of day 3. Alone, the cadre screens 8 on day 3 (8 hours / 1 hour);
// with 2 cadres called in from day 3, three cadres screen 24 that day and the last 6 on day 4. So
// the decision screens 16 more of the surge within 24 hours: 24 of 30 (partly met, the default
// threshold being 0.8) instead of 8 of 30 (not met).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

const std::string kTiny = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/tiny.yaml";

struct Played {
  int screened_day3 = 0;  // screened by 00:00 of day 4
  std::string review;
};

Played play(const TempDir& tmp, const std::string& name, const std::string& command) {
  const std::string dir = (tmp.path() / name).string();
  Played p;
  EXPECT_EQ(run_cli("exercise start " + kTiny + " --out " + dir).status, 0);  // stops at day 3, the surge
  if (!command.empty()) {
    EXPECT_EQ(run_cli("exercise do " + dir + " '" + command + "'").status, 0);
  }
  EXPECT_EQ(run_cli("exercise advance " + dir + " --days 1").status, 0);
  const auto state = nlohmann::json::parse(read_file(tmp.path() / name / "state.json"));
  p.screened_day3 = state["villages"][0]["returnees"]["screened"].get<int>();
  EXPECT_EQ(run_cli("exercise advance " + dir + " --days 5").status, 0);
  auto r = run_cli("exercise review " + dir);
  EXPECT_EQ(r.status, 0) << r.output;
  p.review = read_file(tmp.path() / name / "review.md");
  return p;
}

TEST(ExerciseScreening, TwoCadresOnDay3ScreenSixteenMoreOfTheSurgeWithin24Hours) {
  TempDir tmp;
  const Played alone = play(tmp, "alone", "");
  const Played helped = play(tmp, "helped", "add 2 village_cadre to Alpha");
  EXPECT_EQ(alone.screened_day3, 8);
  EXPECT_EQ(helped.screened_day3, 24);
  EXPECT_EQ(helped.screened_day3 - alone.screened_day3, 16);
  EXPECT_NE(
      alone.review.find("| **not met** | 8 of 30 returnees of surge found within the horizon screened within 24 h"),
      std::string::npos)
      << alone.review;
  EXPECT_NE(helped.review.find("| **partly** | 24 of 30 returnees"), std::string::npos) << helped.review;
  // The expected action was taken on time, and the comparison shows what it did: 8/30 against 24/30.
  EXPECT_NE(helped.review.find("| 3 | 00:00 | expected | surge | done on day 3 | add 2 village_cadre to Alpha |"),
            std::string::npos)
      << helped.review;
  EXPECT_NE(alone.review.find("| expected | surge | missed |"), std::string::npos) << alone.review;
  EXPECT_NE(helped.review.find("| objective screen-surge | share | 0.800 [0.800, 0.800] | 0.267 [0.267, 0.267] | "
                               "0.800 [0.800, 0.800] | 0.533 [0.533, 0.533] | 0.000 [0.000, 0.000] |"),
            std::string::npos)
      << helped.review;
}

}  // namespace
