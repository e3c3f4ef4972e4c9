// Small text helpers shared by report/'s files: splitting a CSV line of plain fields, escaping
// for HTML, inlining a script. Internal to report/.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace vg::report {

// The comma-separated fields of `line`, unquoted (timeseries.csv's fields are names and numbers;
// core/csv.h reads quoted fields).
inline std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i)
    if (i == line.size() || line[i] == ',') {
      out.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

inline std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  return out;
}

// JSON made safe to inline in <script>: every '<' becomes \u003c (it appears only in strings).
inline std::string script_safe_json(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) out += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return out;
}

// A script bundle made safe to inline in <script>: "</script" (only ever in its strings) becomes
// "<\/script".
inline std::string script_safe_bundle(std::string_view js) {
  std::string out(js);
  for (size_t at = 0; (at = out.find("</", at)) != std::string::npos; at += 2) {
    std::string next = out.substr(at + 2, 6);
    for (char& c : next) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (next == "script") out.replace(at, 2, "<\\/");
  }
  return out;
}

}  // namespace vg::report
