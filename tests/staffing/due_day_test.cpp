// The day at whose end a deadline falls due, ceil(deadline / 1440) - 1, computed by one unsigned
// division for positive deadlines: the same day as the definition for every deadline.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "staffing/scheduler_internal.h"

namespace vg::staffing::detail {
namespace {

int64_t by_definition(int64_t deadline) {  // ceil(deadline / 1440) - 1, with truncating division
  return deadline / kMinutesPerDay + (deadline % kMinutesPerDay > 0 ? 1 : 0) - 1;
}

TEST(DueDay, MatchesItsDefinitionAroundDayBoundaries) {
  for (int64_t d = -5 * kMinutesPerDay - 3; d <= 5 * kMinutesPerDay + 3; ++d)
    ASSERT_EQ(due_day(d), by_definition(d)) << "deadline " << d;
  EXPECT_EQ(due_day(0), -1);              // due at the end of day -1: before the first day
  EXPECT_EQ(due_day(1), 0);               // 00:01 of day 0: at the end of day 0
  EXPECT_EQ(due_day(kMinutesPerDay), 0);  // 24:00 of day 0 is the end of day 0
  EXPECT_EQ(due_day(kMinutesPerDay + 1), 1);
  for (int64_t d : {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max() - 1,
                    std::numeric_limits<int64_t>::min() + kMinutesPerDay, int64_t{-1}})
    EXPECT_EQ(due_day(d), by_definition(d)) << "deadline " << d;
}

}  // namespace
}  // namespace vg::staffing::detail
