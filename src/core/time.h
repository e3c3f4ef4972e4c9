// Simulated time: integer minutes since 00:00 of the scenario's start date (day 0); day d spans
// [d * kMinutesPerDay, (d + 1) * kMinutesPerDay). The one definition of a day's length.
#pragma once

#include <cstdint>

namespace vg {

inline constexpr int64_t kMinutesPerDay = 1440;

// First minute of day `day`.
constexpr int64_t day_start(int day) { return int64_t{day} * kMinutesPerDay; }
// The day a minute falls in (floor division, so minute -1 is day -1).
constexpr int day_of(int64_t minute) {
  int64_t d = minute / kMinutesPerDay;
  if (minute % kMinutesPerDay < 0) --d;
  return static_cast<int>(d);
}

}  // namespace vg
