// Numbers in CSV files: each with the digits it needs to read back as the same double (the
// shortest round trip: 0.3, not 0.29999999999999999), and blank when undefined (NaN, infinite).
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace vg::io {

inline std::string csv_number(double x) {
  if (!std::isfinite(x)) return "";
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr;
  return std::string(buf, end);
}

}  // namespace vg::io
