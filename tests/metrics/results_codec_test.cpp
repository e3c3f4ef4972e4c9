// A replicate's result survives the bytes MPI ranks exchange (metrics/results_codec.h): every field
// set to a distinct value comes back, and bytes that end early or run on are refused.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "metrics/results_codec.h"

namespace vg::metrics {
namespace {

ReplicateResult sample() {
  ReplicateResult r;
  r.days.resize(2);
  for (int v = 0; v < 2; ++v)
    for (int d = 0; d < 3; ++d) {
      DayRow row;
      row.arrived = 100 * v + d;
      row.screened_within_24h = 7 + d;
      row.stockout = 1;
      row.detected = -5;
      row.minutes_worked = {60 * d, 30, v};
      row.stock = {int64_t(1) << 40, -d};
      r.days[size_t(v)].push_back(row);
    }
  r.villages.resize(2);
  r.villages[0].returnees = 105;
  r.villages[0].epidemic = true;
  r.villages[1].money_spent = 1234.5;
  r.villages[1].funds_left = -0.25;
  r.villages[1].detection_delay_minutes = int64_t(1) << 33;
  r.roles.resize(3);
  r.roles[2].first_day_out_of_hours = 4;
  r.roles[1].busiest_minutes = 999;
  r.town_roles = {r.roles, {RoleTotals{}}};
  r.guidelines.resize(kGuidelineSlots);
  r.guidelines[26].tasks_late = 11;
  r.town_role_days = {{{RoleDay{480, 600, 470}, RoleDay{}}, {RoleDay{0, int64_t(1) << 40, 0}, RoleDay{}}}, {}};
  return r;
}

TEST(ResultsCodec, AReplicateRoundTrips) {
  const ReplicateResult in = sample();
  const ReplicateResult out = decode_replicate(encode_replicate(in));
  ASSERT_EQ(out.days.size(), 2u);
  ASSERT_EQ(out.days[1].size(), 3u);
  EXPECT_EQ(out.days[1][2].arrived, 102);
  EXPECT_EQ(out.days[0][1].screened_within_24h, 8);
  EXPECT_EQ(out.days[1][0].stockout, 1);
  EXPECT_EQ(out.days[1][0].detected, -5);
  EXPECT_EQ(out.days[0][2].minutes_worked, (std::vector<int32_t>{120, 30, 0}));
  EXPECT_EQ(out.days[1][1].stock, (std::vector<int64_t>{int64_t(1) << 40, -1}));
  ASSERT_EQ(out.villages.size(), 2u);
  EXPECT_EQ(out.villages[0].returnees, 105);
  EXPECT_TRUE(out.villages[0].epidemic);
  EXPECT_FALSE(out.villages[1].epidemic);
  EXPECT_EQ(out.villages[1].money_spent, 1234.5);
  EXPECT_EQ(out.villages[1].funds_left, -0.25);
  EXPECT_EQ(out.villages[1].detection_delay_minutes, int64_t(1) << 33);
  ASSERT_EQ(out.roles.size(), 3u);
  EXPECT_EQ(out.roles[2].first_day_out_of_hours, 4);
  EXPECT_EQ(out.roles[0].first_day_out_of_hours, -1);
  EXPECT_EQ(out.roles[1].busiest_minutes, 999);
  ASSERT_EQ(out.town_roles.size(), 2u);
  EXPECT_EQ(out.town_roles[0][2].first_day_out_of_hours, 4);
  EXPECT_EQ(out.town_roles[1].size(), 1u);
  ASSERT_EQ(out.guidelines.size(), size_t(kGuidelineSlots));
  EXPECT_EQ(out.guidelines[26].tasks_late, 11);
  ASSERT_EQ(out.town_role_days.size(), 2u);
  ASSERT_EQ(out.town_role_days[0].size(), 2u);
  EXPECT_EQ(out.town_role_days[0][0][0].minutes_could_do, 600);
  EXPECT_EQ(out.town_role_days[0][1][0].minutes_could_do, int64_t(1) << 40);
  EXPECT_TRUE(out.town_role_days[1].empty());
  // And the decoded result encodes to the same bytes: nothing was dropped or reordered.
  EXPECT_EQ(encode_replicate(out), encode_replicate(in));
}

TEST(ResultsCodec, AnEmptyReplicateRoundTrips) {
  const ReplicateResult out = decode_replicate(encode_replicate(ReplicateResult{}));
  EXPECT_TRUE(out.days.empty());
  EXPECT_TRUE(out.villages.empty());
  EXPECT_TRUE(out.town_roles.empty());
}

TEST(ResultsCodec, BytesThatEndEarlyOrRunOnAreRefused) {
  const std::string bytes = encode_replicate(sample());
  for (size_t cut : {size_t(0), size_t(3), size_t(8), bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW(decode_replicate(bytes.substr(0, cut)), std::runtime_error) << cut;
  EXPECT_THROW(decode_replicate(bytes + "x"), std::runtime_error);
  // A count far beyond the bytes left is refused before anything is allocated.
  Encoder e;
  e.value(uint64_t(1) << 60);
  EXPECT_THROW(decode_replicate(e.str()), std::runtime_error);
}

TEST(ResultsCodec, ValuesAndBytesRoundTripInOrder) {
  Encoder e;
  e.value(int32_t(-7));
  e.values(std::vector<double>{0.5, -2});
  e.bytes("rank 1");
  e.values(std::vector<char>{});
  const std::string s = e.take();
  Decoder d(s);
  EXPECT_EQ(d.value<int32_t>(), -7);
  EXPECT_EQ(d.values<double>(), (std::vector<double>{0.5, -2}));
  EXPECT_EQ(d.bytes(), "rank 1");
  EXPECT_TRUE(d.values<char>().empty());
  EXPECT_NO_THROW(d.finish());
}

}  // namespace
}  // namespace vg::metrics
