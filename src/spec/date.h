// A calendar date, as scenarios give their start date and outputs print each day. Header-only so
// that the spec records (spec/scenario.h) need no library, and the run-folder readers of
// `explain` none of the YAML reader's.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace vg::config {

struct Date {
  int year = 0, month = 0, day = 0;

  // Days since 1970-01-01 (proleptic Gregorian).
  int64_t days_since_epoch() const {
    // Howard Hinnant's days_from_civil.
    int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
    const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
  }

  static Date from_days_since_epoch(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
  }

  std::string str() const {  // YYYY-MM-DD
    char buf[40];            // room for any three ints: never cut, whatever a caller put in the fields
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
  }
};

}  // namespace vg::config
