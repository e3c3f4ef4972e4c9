// Which supply a village ran out of: summary.json's supplies_out and the run summary's line,
// computed by hand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace {

using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

// A post staffed 08:00-12:00 every day uses a mask a shift; 2 masks and no reorder: the stock ends
// days 0-3 at 1, 0, 0, 0, so the village is out of masks 3 days from day 1. Gloves start at 0 but
// nothing uses them: not a stock-out (the village's stockout_village_days is 3, not 4).
TEST(SuppliesOut, EachSupplyAVillageRanOutOfIsNamed) {
  TempDir dir;
  dir.write("policy.yaml", vg::testing::vocabulary({.roles = "[village_cadre]", .supplies = "[masks, gloves]"}) +
                               "rules:\n" + vg::testing::gate_post_rule("{masks: 1}"));
  const std::string path = dir.write(
      "s.yaml", vg::testing::one_village(
                    {.name = "out", .horizon_days = 4, .replicates = 2, .staff = "{village_cadre: 1}", .extra = R"(
supplies:
  funds_per_village: 0
  stocks: {masks: 2, gloves: 0}
  channels:
    - {name: online, lead_days: 2, unit_cost: {masks: 0.5}}
)"}));
  const auto r = run_cli("run " + path + " --out " + (dir.path() / "o").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Villages that ended days out of a supply (days, means over replicates): V 3.0 days (first "
                          "day 1.0; masks 3.0 from day 1.0)."),
            std::string::npos)
      << r.output;
  const auto j = nlohmann::json::parse(read_file(dir.path() / "o" / "summary.json"));
  ASSERT_EQ(j["supplies_out"].size(), 1u) << j["supplies_out"];
  const auto& so = j["supplies_out"][0];
  EXPECT_EQ(so["village"], "V");
  EXPECT_EQ(so["town"], "T");
  EXPECT_EQ(so["supply"], "masks");
  EXPECT_EQ(so["stockout_days"]["mean"], 3.0);
  EXPECT_EQ(so["stockout_days"]["n"], 2);
  EXPECT_EQ(so["first_day"]["mean"], 1.0);
}

}  // namespace
