#include "report/timeseries_bands.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/summary.h"
#include "report/report.h"
#include "report/text.h"

namespace vg::report {

namespace {

using nlohmann::ordered_json;

// Six significant digits, and at least every whole digit and one decimal: enough for a chart, a
// page a fraction of the size, and a prefecture's 1,168,285 arrivals not shown as 1,168,280.
ordered_json number(double x) {
  if (!std::isfinite(x)) return nullptr;
  const int whole = std::fabs(x) >= 1 ? int(std::floor(std::log10(std::fabs(x)))) + 1 : 0;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", std::max(6, whole + 1), x);
  return std::strtod(buf, nullptr);
}

constexpr size_t kMaxStockVillages = 12;

// A share per replicate and day: num / den, undefined (NaN) where den is 0.
double ratio(double num, double den) { return den > 0 ? num / den : std::nan(""); }

// The rows of one replicate: [day][column], summed over villages.
using Days = std::vector<std::vector<double>>;

struct Table {
  std::vector<std::string> columns;  // the numeric ones, after `date`
  std::vector<std::string> dates;
  std::vector<Days> replicates;
  std::vector<std::string> villages;  // in the order of the file
  std::vector<Days> stock_sums;       // [village][day][stock column k], summed over replicates
  std::vector<size_t> stock_columns;  // indexes into `columns` of stock_<supply>
};

[[noreturn]] void bad(const std::filesystem::path& csv, int line, const std::string& what) {
  throw ReportError(csv.string() + ":" + std::to_string(line) + ": " + what);
}

Table read_table(const std::filesystem::path& csv, const std::string& place) {
  std::ifstream in(csv, std::ios::binary);
  if (!in) throw ReportError(csv.string() + ": cannot read it");
  std::string line;
  if (!std::getline(in, line)) bad(csv, 1, "empty file: expected a header");
  const auto header = split_csv_line(line);
  size_t rep_col = header.size(), village_col = rep_col, day_col = rep_col, date_col = rep_col;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "replicate") rep_col = i;
    if (header[i] == place) village_col = i;
    if (header[i] == "day") day_col = i;
    if (header[i] == "date") date_col = i;
  }
  if (date_col == header.size() || rep_col > date_col || village_col > date_col || day_col > date_col)
    bad(csv, 1, "expected the columns replicate, " + place + ", day and date, then the daily counts");
  Table t;
  for (size_t i = date_col + 1; i < header.size(); ++i) {
    t.columns.emplace_back(header[i]);
    if (header[i].starts_with("stock_")) t.stock_columns.push_back(i - date_col - 1);
  }
  std::map<std::string, size_t, std::less<>> village_index;
  for (int line_no = 2; std::getline(in, line); ++line_no) {
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (f.size() != header.size())
      bad(csv, line_no, std::to_string(f.size()) + " fields, expected " + std::to_string(header.size()));
    auto integer = [&](std::string_view s) {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || p != s.data() + s.size())
        bad(csv, line_no, "'" + std::string(s) + "' is not an integer");
      return v;
    };
    const int64_t rep = integer(f[rep_col]), day = integer(f[day_col]);
    if (rep < 0 || rep > 100000 || day < 0 || day > 100000) bad(csv, line_no, "replicate or day out of range");
    auto [it, added] = village_index.try_emplace(std::string(f[village_col]), t.villages.size());
    if (added) {
      t.villages.push_back(it->first);
      t.stock_sums.emplace_back();
    }
    if (size_t(rep) >= t.replicates.size()) t.replicates.resize(size_t(rep) + 1);
    Days& days = t.replicates[size_t(rep)];
    if (size_t(day) >= days.size()) days.resize(size_t(day) + 1, std::vector<double>(t.columns.size(), 0.0));
    if (size_t(day) >= t.dates.size()) t.dates.resize(size_t(day) + 1);
    t.dates[size_t(day)] = std::string(f[date_col]);
    Days& stock = t.stock_sums[it->second];
    if (size_t(day) >= stock.size()) stock.resize(size_t(day) + 1, std::vector<double>(t.stock_columns.size(), 0.0));
    for (size_t c = 0; c < t.columns.size(); ++c) days[size_t(day)][c] += double(integer(f[date_col + 1 + c]));
    for (size_t k = 0; k < t.stock_columns.size(); ++k)
      stock[size_t(day)][k] += double(integer(f[date_col + 1 + t.stock_columns[k]]));
  }
  if (t.replicates.empty()) bad(csv, 2, "no rows: expected one per replicate, " + place + " and day");
  for (auto& days : t.replicates) days.resize(t.dates.size(), std::vector<double>(t.columns.size(), 0.0));
  return t;
}

// Mean and percentiles over replicates, day by day, of value(replicate's days, day).
template <class F>
ordered_json band(const Table& t, F value) {
  ordered_json mean = ordered_json::array(), p5 = ordered_json::array(), p95 = ordered_json::array();
  for (size_t d = 0; d < t.dates.size(); ++d) {
    std::vector<double> xs;
    xs.reserve(t.replicates.size());
    for (const auto& days : t.replicates) xs.push_back(value(days, d));
    const metrics::Stat s = metrics::describe(std::move(xs));
    mean.push_back(s.n ? number(s.mean) : nullptr);
    p5.push_back(s.n ? number(s.p5) : nullptr);
    p95.push_back(s.n ? number(s.p95) : nullptr);
  }
  return {{"mean", mean}, {"p5", p5}, {"p95", p95}};
}

// Cumulative num over cumulative den, per replicate, up to day d.
double cumulative_ratio(const Days& days, size_t d, size_t num, size_t den) {
  double a = 0, b = 0;
  for (size_t i = 0; i <= d; ++i) {
    a += days[i][num];
    b += days[i][den];
  }
  return ratio(a, b);
}

}  // namespace

ordered_json timeseries_bands(const std::filesystem::path& csv, const std::string& place) {
  const Table t = read_table(csv, place);
  ordered_json bands = ordered_json::object();
  std::map<std::string, size_t, std::less<>> col;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    col[t.columns[c]] = c;
    bands[t.columns[c]] = band(t, [c](const Days& days, size_t d) { return days[d][c]; });
  }
  // Coverage over time: the shares of docs/metrics.md as they stood at the end of each day.
  auto share = [&](const char* name, const char* num, const char* den, bool cumulative) {
    if (!col.contains(num) || !col.contains(den)) return;
    const size_t n = col[num], k = col[den];
    bands[name] = band(t, [=](const Days& days, size_t d) {
      return cumulative ? cumulative_ratio(days, d, n, k) : ratio(days[d][n], days[d][k]);
    });
  };
  share("found_share_to_date", "arrivals", "arrived", true);
  share("screened_within_24h_share_to_date", "screened_within_24h", "arrivals", true);
  share("team_complete_share_day", "tracking_complete", "tracking_active", false);
  share("post_staffed_share_day", "post_minutes_staffed", "post_minutes_required", false);
  // Each village's stock, while a chart of them can be read; past that the region's (in `bands`).
  ordered_json stocks = ordered_json::array();
  const double reps = double(t.replicates.size());
  for (size_t k = 0; k < t.stock_columns.size(); ++k)
    for (size_t v = 0; v < t.villages.size() && t.villages.size() <= kMaxStockVillages; ++v) {
      ordered_json mean = ordered_json::array();
      for (const auto& day : t.stock_sums[v]) mean.push_back(number(day[k] / reps));
      stocks.push_back(
          {{"supply", t.columns[t.stock_columns[k]].substr(6)}, {"village", t.villages[v]}, {"mean", mean}});
    }
  return {{"dates", t.dates},
          {"replicates", t.replicates.size()},
          {"villages", t.villages},
          {"bands", bands},
          {"stocks", stocks}};
}

}  // namespace vg::report
