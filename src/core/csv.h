// CSV fields as villagegrid writes and reads them (RFC 4180): numbers with the digits they need to
// read back as the same double (the shortest round trip: 0.3, not 0.29999999999999999), blank when
// undefined (NaN, infinite); text quoted when it holds a comma, a quote or a line break (a plan's
// target expression in a column name, an exercise's free text); and a line split back into fields.
#pragma once

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace vg {

inline std::string csv_number(double x) {
  if (!std::isfinite(x)) return "";
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr;
  return std::string(buf, end);
}

inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

// The fields of one line, quotes removed ("" inside quotes is one "). A line break inside quotes
// is not joined here: villagegrid's own files put none in the files read back this way.
inline std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"')
        out.back() += c;
      else if (i + 1 < line.size() && line[i + 1] == '"')
        out.back() += line[++i];
      else
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace vg
