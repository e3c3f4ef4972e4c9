#include "config/reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace vg::config {

MapReader::MapReader(const YamlNode& node, Diagnostics& diags, std::string what)
    : node_(node), diags_(diags), what_(std::move(what)) {
  if (!node.is_map()) {
    diags_.error(node.loc, "expected a mapping for " + what_ + ", found " + node.kind_name());
    ok_ = false;
  }
}

const YamlNode* MapReader::get(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return ok_ ? node_.find(key) : nullptr;
}

const YamlNode* MapReader::require(std::string_view key) {
  const YamlNode* n = get(key);
  if (n || !ok_) return n;
  // Said now; finish() rewrites it as one error at a key written nearly as this one ('tittle',
  // 'horizon' for 'horizon_days'), once every key of the mapping is known: "missing 'title'" and
  // "unknown key 'tittle'" besides would be two errors for one mistake.
  missing_.emplace_back(std::string(key), diags_.items().size());
  diags_.error(node_.loc, "missing required key '" + std::string(key) + "' in " + what_);
  return nullptr;
}

bool misspelt(const YamlNode& node, const std::vector<std::string>& keys, std::string_view but) {
  return std::any_of(node.entries.begin(), node.entries.end(), [&](const auto& e) {
    return e.first.scalar != but && !closest_match(e.first.scalar, keys).empty();
  });
}

void MapReader::finish() {
  if (!ok_) return;
  for (const auto& [k, v] : node_.entries) {
    bool found = false;
    for (const auto& kn : known_) found = found || kn == k.scalar;
    if (!found && !missing_.empty()) {  // a required key reported missing, written as this one?
      // The closest of every key the mapping takes, so that 'arrival_wave' is 'arrival_waves' (there
      // besides the required 'arrival_days'), not the missing key.
      const std::string near = closest_match(k.scalar, known_);
      const auto it = std::find_if(missing_.begin(), missing_.end(), [&](const auto& m) { return m.first == near; });
      if (!near.empty() && it != missing_.end()) {
        diags_.amend(
            it->second, k.loc,
            "unknown key '" + k.scalar + "' in " + what_ + "; did you mean '" + near + "'? (a required key, missing)");
        missing_.erase(it);
        continue;
      }
    }
    if (!found) {
      std::string msg = "unknown key '" + k.scalar + "' in " + what_;
      std::string hint = did_you_mean(k.scalar, known_);
      if (hint.empty()) {
        msg += "; expected one of:";
        for (size_t i = 0; i < known_.size(); ++i) msg += (i ? ", " : " ") + known_[i];
      }
      diags_.error(k.loc, msg + hint);
    }
  }
}

namespace {

std::string_view named(const Key& key, std::string_view what) { return what.empty() ? key.name : what; }

}  // namespace

std::optional<double> MapReader::number(Key key, double min, double max, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_number(n, diags_, named(key, what), min, max); });
}
std::optional<int64_t> MapReader::integer(Key key, int64_t min, int64_t max, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_int(n, diags_, named(key, what), min, max); });
}
std::optional<bool> MapReader::boolean(Key key, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_bool(n, diags_, named(key, what)); });
}
std::optional<std::string> MapReader::string(Key key, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_string(n, diags_, named(key, what)); });
}
std::optional<std::string> MapReader::identifier(Key key, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_identifier(n, diags_, named(key, what)); });
}
std::optional<Date> MapReader::date(Key key, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_date(n, diags_, named(key, what)); });
}
std::optional<int> MapReader::clock(Key key, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_clock(n, diags_, named(key, what)); });
}
std::optional<size_t> MapReader::choice(Key key, std::span<const std::string_view> choices, std::string_view what) {
  return value(key, [&](const YamlNode& n) { return read_choice(n, diags_, named(key, what), choices); });
}

namespace {

// A value as quoted back in a message: newlines escaped, long text cut.
std::string shown(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (out.size() >= 60) return out + "...";
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  }
  return out;
}

bool need_scalar(const YamlNode& n, Diagnostics& d, std::string_view what, const char* expected) {
  if (n.is_scalar()) return true;
  d.error(n.loc, std::string("expected ") + expected + " for " + std::string(what) + ", found " + n.kind_name());
  return false;
}

}  // namespace

std::optional<int64_t> read_int(const YamlNode& n, Diagnostics& d, std::string_view what, int64_t min, int64_t max) {
  if (!need_scalar(n, d, what, "a whole number")) return std::nullopt;
  std::string s = n.scalar;
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());  // 6_400 reads as 6400
  int64_t v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  const bool whole = ec == std::errc() && p == e && !s.empty();
  // Past what 64 bits hold, or outside [min, max]: the range, and the value as written.
  if (ec == std::errc::result_out_of_range || (whole && !n.quoted && (v < min || v > max))) {
    d.error(n.loc, std::string(what) + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                       ", found " + n.scalar);
    return std::nullopt;
  }
  if (n.quoted || !whole) {  // "remove the quotes" only where that leaves a whole number
    d.error(n.loc, "expected a whole number for " + std::string(what) + ", found " +
                       (n.quoted && whole ? "quoted text '" + shown(n.scalar) + "' (remove the quotes)"
                                          : (n.quoted ? "quoted text '" : "'") + shown(n.scalar) + "'"));
    return std::nullopt;
  }
  return v;
}

std::optional<double> read_number(const YamlNode& n, Diagnostics& d, std::string_view what, double min, double max) {
  if (!need_scalar(n, d, what, "a number")) return std::nullopt;
  std::string s = n.scalar;
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  double v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  const bool number = ec == std::errc() && p == e && !s.empty() && std::isfinite(v);
  if (n.quoted || !number) {
    // "Remove the quotes" only where that leaves a number ("24h" would still not be one).
    d.error(n.loc, "expected a number for " + std::string(what) + ", found " +
                       (n.quoted && number ? "quoted text '" + shown(n.scalar) + "' (remove the quotes)"
                                           : (n.quoted ? "quoted text '" : "'") + shown(n.scalar) + "'"));
    return std::nullopt;
  }
  if (v < min || v > max) {
    // Whole bounds in full (1000000, not 1e+06); the value as written.
    auto bound = [](double x) {
      char buf[48];
      std::snprintf(buf, sizeof buf, x == std::floor(x) && std::fabs(x) < 1e15 ? "%.0f" : "%g", x);
      return std::string(buf);
    };
    d.error(n.loc, std::string(what) + " must be between " + bound(min) + " and " + bound(max) + ", found " + n.scalar);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> read_bool(const YamlNode& n, Diagnostics& d, std::string_view what) {
  if (!need_scalar(n, d, what, "true or false")) return std::nullopt;
  if (!n.quoted && n.scalar == "true") return true;
  if (!n.quoted && n.scalar == "false") return false;
  d.error(n.loc, "expected true or false for " + std::string(what) + ", found '" + shown(n.scalar) + "'");
  return std::nullopt;
}

std::optional<std::string> read_string(const YamlNode& n, Diagnostics& d, std::string_view what) {
  if (!need_scalar(n, d, what, "text")) return std::nullopt;
  return n.scalar;
}

std::optional<std::string> read_identifier(const YamlNode& n, Diagnostics& d, std::string_view what) {
  if (!need_scalar(n, d, what, "a name")) return std::nullopt;
  const std::string& s = n.scalar;
  bool ok = !s.empty() && s.size() <= 64 && std::isalpha(static_cast<unsigned char>(s[0]));
  for (char c : s) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (!ok) {
    d.error(n.loc, "expected a name (a letter, then letters, digits, '_' or '-'; at most 64) for " + std::string(what) +
                       ", found '" + shown(s) + "'");
    return std::nullopt;
  }
  return s;
}

std::optional<Date> read_date(const YamlNode& n, Diagnostics& d, std::string_view what) {
  if (!need_scalar(n, d, what, "a date (YYYY-MM-DD)")) return std::nullopt;
  Date dt;
  char extra = 0;
  if (std::sscanf(n.scalar.c_str(), "%4d-%2d-%2d%c", &dt.year, &dt.month, &dt.day, &extra) == 3 &&
      n.scalar.size() == 10 && dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && dt.year >= 1900 && dt.year <= 2200) {
    // Round-trip through day numbers to refuse 2020-02-30.
    Date back = Date::from_days_since_epoch(dt.days_since_epoch());
    if (back.month == dt.month && back.day == dt.day) return dt;
  }
  if (dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && n.scalar.size() == 10)
    d.error(n.loc, "no such date " + n.scalar + " for " + std::string(what) + ": the month has fewer days");
  else
    d.error(n.loc, "expected a date (YYYY-MM-DD) for " + std::string(what) + ", found '" + shown(n.scalar) + "'");
  return std::nullopt;
}

std::optional<int> read_clock(const YamlNode& n, Diagnostics& d, std::string_view what) {
  if (!need_scalar(n, d, what, "a time of day (HH:MM)")) return std::nullopt;
  int h = -1, m = -1;
  char extra = 0;
  if (std::sscanf(n.scalar.c_str(), "%2d:%2d%c", &h, &m, &extra) == 2 && n.scalar.size() == 5 && h >= 0 && h < 24 &&
      m >= 0 && m < 60)
    return h * 60 + m;
  d.error(n.loc, "expected a time of day (HH:MM, 00:00 to 23:59) for " + std::string(what) + ", found '" +
                     shown(n.scalar) + "'");
  return std::nullopt;
}

std::optional<size_t> read_choice(const YamlNode& n, Diagnostics& d, std::string_view what,
                                  std::span<const std::string_view> choices) {
  if (!need_scalar(n, d, what, "a name")) return std::nullopt;
  for (size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == n.scalar) return i;
  std::string msg = "unknown " + std::string(what) + " '" + shown(n.scalar) + "'";
  std::string hint = did_you_mean(n.scalar, choices);
  if (hint.empty()) {
    msg += "; expected one of:";
    for (size_t i = 0; i < choices.size(); ++i) msg += (i ? ", " : " ") + std::string(choices[i]);
  }
  d.error(n.loc, msg + hint);
  return std::nullopt;
}

const YamlNode* expect_list(const YamlNode& n, Diagnostics& d, std::string_view what) {
  if (n.is_seq()) return &n;
  d.error(n.loc, "expected a list for " + std::string(what) + ", found " + n.kind_name());
  return nullptr;
}

}  // namespace vg::config
