// The console's staff lines with town staff (tests/data/exercise/town-staff.yaml): village Alpha has
// one cadre of 8 hours; its town T has one town cadre of 6 hours of its own, who serves Alpha. A
// surge of 30 at 00:00 of day 3 keeps both busy all day: 8 + 6 = 14 screened, each an hour. At the
// stop of day 4, Alpha's line shows its own cadre (8.0 worked / 8.0 available), and the town cadre
// is on the town's line (6.0 / 6.0), never on Alpha's against 0 hours available there.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

const std::string kTownStaff = std::string(VILLAGEGRID_TEST_DATA) + "/exercise/town-staff.yaml";

TEST(ExerciseTownStaff, TownStaffAreOnTheTownsLineWithTheirOwnHours) {
  TempDir tmp;
  const std::string dir = (tmp.path() / "ex").string();
  ASSERT_EQ(run_cli("exercise start " + kTownStaff + " --out " + dir).status, 0);  // stops at day 3, the surge
  const auto r = run_cli("exercise advance " + dir + " --days 1");
  ASSERT_EQ(r.status, 0) << r.output;

  const auto state = nlohmann::json::parse(read_file(tmp.path() / "ex" / "state.json"));
  ASSERT_EQ(state["day"].get<int>(), 4);
  const auto& alpha = state["villages"][0];
  EXPECT_EQ(alpha["returnees"]["screened"].get<int>(), 14);
  // Alpha's own staff only: its cadre, all 8 hours worked yesterday.
  ASSERT_EQ(alpha["staff"].size(), 1u) << alpha["staff"].dump();
  EXPECT_EQ(alpha["staff"][0]["role"], "village_cadre");
  EXPECT_EQ(alpha["staff"][0]["on_duty_today"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(alpha["staff"][0]["worked_yesterday"].get<double>(), 8.0);
  EXPECT_DOUBLE_EQ(alpha["staff"][0]["available_yesterday"].get<double>(), 8.0);
  // The town's own staff on the town's line: 6 hours worked of 6 available.
  ASSERT_EQ(state["towns"].size(), 1u) << state.dump();
  const auto& town = state["towns"][0];
  EXPECT_EQ(town["town"], "T");
  ASSERT_EQ(town["staff"].size(), 1u) << town.dump();
  EXPECT_EQ(town["staff"][0]["role"], "town_cadre");
  EXPECT_EQ(town["staff"][0]["on_duty_today"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(town["staff"][0]["hours_per_day"].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(town["staff"][0]["worked_yesterday"].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(town["staff"][0]["available_yesterday"].get<double>(), 6.0);

  // The screen says the same, on one line under TOWN STAFF, in the villages' columns.
  const std::string line = "   T" + std::string(12, ' ') + "town_cadre" + std::string(18, ' ') + "      1        6.0" +
                           std::string(19, ' ') + "6.0 / 6.0\n";
  EXPECT_NE(r.output.find(" TOWN STAFF   each town's own, serving every village of the town\n   town         role "),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(line), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("/ 0.0"), std::string::npos) << r.output;
}

}  // namespace
