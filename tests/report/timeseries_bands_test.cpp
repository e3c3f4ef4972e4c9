// The report's daily bands (report/timeseries_bands.h), on a timeseries.csv small enough to work
// out by hand: two replicates, two villages, two days.
#include <gtest/gtest.h>

#include <string>

#include "report/report.h"
#include "report/timeseries_bands.h"
#include "support/temp_files.h"

namespace {

using vg::testing::TempDir;

const char* kCsv =
    "replicate,town,village,day,date,arrived,arrivals,screened_within_24h,stock_masks\n"
    "0,T,A,0,2020-01-24,2,1,1,10\n"
    "0,T,A,1,2020-01-25,0,2,1,8\n"
    "0,T,B,0,2020-01-24,2,1,0,5\n"
    "0,T,B,1,2020-01-25,0,0,0,5\n"
    "1,T,A,0,2020-01-24,4,4,4,10\n"
    "1,T,A,1,2020-01-25,0,0,0,6\n"
    "1,T,B,0,2020-01-24,0,0,0,5\n"
    "1,T,B,1,2020-01-25,0,0,0,4\n";

TEST(TimeseriesBands, KnownAnswer) {
  TempDir dir;
  const auto j = vg::report::timeseries_bands(dir.write("timeseries.csv", kCsv));
  EXPECT_EQ(j["dates"], nlohmann::ordered_json({"2020-01-24", "2020-01-25"}));
  EXPECT_EQ(j["replicates"], 2);
  // Registered returnees, summed over villages: day 0 is 2 and 4, day 1 is 2 and 0; percentiles
  // interpolate between the two replicates (5th: 2 + 0.05 x 2).
  const auto& arrivals = j["bands"]["arrivals"];
  EXPECT_EQ(arrivals["mean"], nlohmann::ordered_json({3.0, 1.0}));
  EXPECT_EQ(arrivals["p5"], nlohmann::ordered_json({2.1, 0.1}));
  EXPECT_EQ(arrivals["p95"], nlohmann::ordered_json({3.9, 1.9}));
  // Found to date: replicate 0 found 2 of 4 home on day 0 and 4 of 4 by day 1; replicate 1 all.
  EXPECT_EQ(j["bands"]["found_share_to_date"]["mean"], nlohmann::ordered_json({0.75, 1.0}));
  // Screened within 24 h of those found, to date: 1/2 then 2/4; replicate 1: 4/4 then 4/4.
  EXPECT_EQ(j["bands"]["screened_within_24h_share_to_date"]["mean"], nlohmann::ordered_json({0.75, 0.75}));
  // No tracking columns here: no team share.
  EXPECT_FALSE(j["bands"].contains("team_complete_share_day"));
  // Stocks: each village's mean over the two replicates; the region's as a band.
  ASSERT_EQ(j["stocks"].size(), 2u);
  EXPECT_EQ(j["stocks"][0]["supply"], "masks");
  EXPECT_EQ(j["stocks"][0]["village"], "A");
  EXPECT_EQ(j["stocks"][0]["mean"], nlohmann::ordered_json({10.0, 7.0}));
  EXPECT_EQ(j["stocks"][1]["mean"], nlohmann::ordered_json({5.0, 4.5}));
  EXPECT_EQ(j["bands"]["stock_masks"]["mean"], nlohmann::ordered_json({15.0, 11.5}));
}

// A prefecture's counts keep every whole digit (six significant digits gave 1,168,280 for 1,168,285);
// small means keep six.
TEST(TimeseriesBands, LargeCountsKeepTheirWholeDigits) {
  TempDir dir;
  const char* csv =
      "replicate,town,village,day,date,arrived,arrivals\n"
      "0,T,A,0,2020-01-24,1168285,1267\n"
      "1,T,A,0,2020-01-24,1168285,1268\n"
      "2,T,A,0,2020-01-24,1168285,1268\n";
  const auto j = vg::report::timeseries_bands(dir.write("timeseries.csv", csv));
  EXPECT_EQ(j["bands"]["arrived"]["mean"], nlohmann::ordered_json({1168285.0}));
  EXPECT_EQ(j["bands"]["arrivals"]["mean"], nlohmann::ordered_json({1267.67}));
}

TEST(TimeseriesBands, BadFileNamesItsLine) {
  TempDir dir;
  std::string bad = kCsv;
  bad += "1,T,A,2,2020-01-26,0,x,0,4\n";
  try {
    vg::report::timeseries_bands(dir.write("timeseries.csv", bad));
    FAIL() << "no error";
  } catch (const vg::report::ReportError& e) {
    EXPECT_NE(std::string(e.what()).find("timeseries.csv:10: 'x' is not an integer"), std::string::npos) << e.what();
  }
  try {
    vg::report::timeseries_bands(dir.write("timeseries.csv", "replicate,day\n"));
    FAIL() << "no error";
  } catch (const vg::report::ReportError& e) {
    EXPECT_NE(std::string(e.what()).find("timeseries.csv:1: expected the columns replicate, village, day and date"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
