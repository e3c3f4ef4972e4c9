// Typed reading of YamlNode trees into spec structs. Every problem becomes a diagnostic at the
// node's position and reading goes on, so one pass reports every problem of a file. A mapping is
// read through MapReader, which remembers the keys asked for; keys nobody asked for are errors
// with a "did you mean" (pbrt-v4's ReportUnused), so a typo never falls back to a default.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/yaml_doc.h"
#include "spec/date.h"

namespace vg::config {

// A key of a mapping read through MapReader's typed getters: optional, or required("name"),
// which reports "missing required key" when absent.
struct Key {
  Key(std::string_view n) : name(n) {}  // NOLINT: implicit, so a plain "key" names an optional key
  Key(const char* n) : name(n) {}       // NOLINT: as above, for string literals
  std::string_view name;
  bool required = false;
};
inline Key required(std::string_view name) {
  Key k(name);
  k.required = true;
  return k;
}

class MapReader {
 public:
  // `what` names the mapping in messages ("scenario", "rule 'screen-returnee'").
  MapReader(const YamlNode& node, Diagnostics& diags, std::string what);
  bool ok() const { return ok_; }  // false when the node was not a mapping (already reported)

  const YamlNode* get(std::string_view key);      // nullptr when absent
  const YamlNode* require(std::string_view key);  // reports "missing required key" when absent
  const YamlNode* lookup(Key key) { return key.required ? require(key.name) : get(key.name); }
  // Reports every key that no get/require asked for. Call after reading all keys.
  void finish();

  // Typed getters: the value of `key` converted, or nullopt when absent or bad (reported at the
  // value, naming `what`, or the key itself when `what` is empty). A key is named once per field.
  std::optional<double> number(Key key, double min, double max, std::string_view what = {});
  std::optional<int64_t> integer(Key key, int64_t min, int64_t max, std::string_view what = {});
  std::optional<bool> boolean(Key key, std::string_view what = {});
  std::optional<std::string> string(Key key, std::string_view what = {});
  std::optional<std::string> identifier(Key key, std::string_view what = {});
  std::optional<Date> date(Key key, std::string_view what = {});
  std::optional<int> clock(Key key, std::string_view what = {});
  std::optional<size_t> choice(Key key, std::span<const std::string_view> choices, std::string_view what = {});
  // The value of `key` through conv(node), for conversions particular to one file format.
  template <class Conv>
  auto value(Key key, Conv conv) -> decltype(conv(std::declval<const YamlNode&>())) {
    const YamlNode* n = lookup(key);
    if (!n) return std::nullopt;
    return conv(*n);
  }

  const YamlNode& node() const { return node_; }
  Diagnostics& diags() { return diags_; }
  const std::string& what() const { return what_; }

 private:
  const YamlNode& node_;
  Diagnostics& diags_;
  std::string what_;
  std::vector<std::string> known_;
  // Required keys reported missing, each with its message's index in diags_: finish() rewrites it
  // when an unknown key turns out to be the required one misspelt ('horizon' for 'horizon_days').
  std::vector<std::pair<std::string, size_t>> missing_;
  bool ok_ = true;
};

// Whether a key of `node` (other than `but`) is written nearly as one of `keys` ('arrival_wave'):
// that key misspelt, which finish() says with its "did you mean"; a "missing" error beside it misleads.
bool misspelt(const YamlNode& node, const std::vector<std::string>& keys, std::string_view but = {});

// Scalar conversions: report at the node (naming `what`) and return nullopt on a bad value.
std::optional<int64_t> read_int(const YamlNode& n, Diagnostics& d, std::string_view what, int64_t min, int64_t max);
std::optional<double> read_number(const YamlNode& n, Diagnostics& d, std::string_view what, double min, double max);
std::optional<bool> read_bool(const YamlNode& n, Diagnostics& d, std::string_view what);
std::optional<std::string> read_string(const YamlNode& n, Diagnostics& d, std::string_view what);
// A name: letters, digits, '_' and '-', starting with a letter.
std::optional<std::string> read_identifier(const YamlNode& n, Diagnostics& d, std::string_view what);
std::optional<Date> read_date(const YamlNode& n, Diagnostics& d, std::string_view what);
// "HH:MM" -> minutes after midnight.
std::optional<int> read_clock(const YamlNode& n, Diagnostics& d, std::string_view what);
// One of `choices`; otherwise "expected one of ...; did you mean ...". Returns the index.
std::optional<size_t> read_choice(const YamlNode& n, Diagnostics& d, std::string_view what,
                                  std::span<const std::string_view> choices);
// A list node (or reports "expected a list"); returns nullptr on error.
const YamlNode* expect_list(const YamlNode& n, Diagnostics& d, std::string_view what);

// Reads a list of mappings (reporting anything else): f(reader, item) for each mapping in it, and
// then the reader's check for unknown keys.
template <class F>
void for_each_map(const YamlNode& list, Diagnostics& d, std::string_view list_what, const std::string& item_what, F f) {
  if (!expect_list(list, d, list_what)) return;
  for (const auto& item : list.items) {
    MapReader m(item, d, item_what);
    if (!m.ok()) continue;
    f(m, item);
    m.finish();
  }
}

}  // namespace vg::config
