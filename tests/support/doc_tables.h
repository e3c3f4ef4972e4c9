// Test helper: the tables of a markdown document (docs/*.md), so tests can hold the docs to the
// code's tables of triggers, actions, facts and metrics.
#pragma once

#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_files.h"

namespace vg::testing {

// The rows of the first table after the heading that contains `section` whose header's first cell
// is `first_header`: each row's cells, trimmed. Empty when there is no such table.
inline std::vector<std::vector<std::string>> doc_table(const std::string& markdown, std::string_view section,
                                                       std::string_view first_header) {
  auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool code = false;
    for (size_t i = 1; i < line.size(); ++i) {  // past the leading '|'
      if (line[i] == '`') code = !code;
      if (line[i] == '|' && !code) {  // a '|' inside `code` (a value shape) is not a cell's end
        const size_t a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
        out.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    return out;
  };
  std::istringstream in(markdown);
  std::string line;
  bool in_section = false, in_table = false;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) {
      if (in_table) break;
      in_section = line.find(section) != std::string::npos;
      continue;
    }
    if (!in_section) continue;
    if (!line.starts_with("|")) {
      if (in_table) break;
      continue;
    }
    auto row = cells(line);
    if (!in_table) {
      in_table = !row.empty() && row[0] == first_header;
      continue;
    }
    if (!row.empty() && !row[0].starts_with("---")) rows.push_back(row);
  }
  return rows;
}

// The names a cell gives in `code`: `name`, `{name: VALUE}` and `name: VALUE` give `name`; patterns
// such as `stock_<supply>` (one per declared supply) are left out.
inline std::set<std::string> code_names(const std::string& cell) {
  std::set<std::string> out;
  for (size_t a = cell.find('`'); a != std::string::npos; a = cell.find('`', a + 1)) {
    const size_t b = cell.find('`', a + 1);
    if (b == std::string::npos) break;
    std::string code = cell.substr(a + 1, b - a - 1);
    a = b;
    if (code.starts_with("{")) code.erase(0, 1);
    code = code.substr(0, code.find_first_of(":}"));
    if (!code.empty() && code.find_first_of("<> ") == std::string::npos) out.insert(code);
  }
  return out;
}

// The names of a table's first column.
inline std::set<std::string> first_column_names(const std::vector<std::vector<std::string>>& rows) {
  std::set<std::string> out;
  for (const auto& row : rows)
    for (auto& n : code_names(row[0])) out.insert(n);
  return out;
}

// "" when `docs` and `code` name the same things; else what each lacks, for a test's message.
inline std::string name_drift(const std::set<std::string>& docs, const std::set<std::string>& code,
                              std::string_view doc_file) {
  std::string missing, extra;
  for (const auto& n : code)
    if (!docs.count(n)) missing += " " + n;
  for (const auto& n : docs)
    if (!code.count(n)) extra += " " + n;
  std::string out;
  if (!missing.empty()) out += std::string(doc_file) + " does not list:" + missing + ".";
  if (!extra.empty())
    out += (out.empty() ? "" : " ") + std::string(doc_file) + " lists what the code does not have:" + extra + ".";
  return out;
}

// The names of a code table's rows (each with a `name`).
template <class Table>
std::set<std::string> table_names(const Table& table) {
  std::set<std::string> out;
  for (const auto& row : table) out.insert(std::string(row.name));
  return out;
}

inline std::string read_doc(std::string_view name) {
  return read_file(std::string(VILLAGEGRID_SOURCE_DIR "/docs/") + std::string(name));
}

}  // namespace vg::testing
