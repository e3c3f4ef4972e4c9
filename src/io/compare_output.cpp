#include "io/compare_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/csv.h"
#include "metrics/metric_table.h"

namespace vg::io {

namespace {

using nlohmann::ordered_json;

// A value in the metric's unit: a share in per cent ("28.1%"), else one decimal. Whatever rounds
// to zero prints as zero, "+0.0" in a difference and "0.0" otherwise, never "-0.0".
std::string num(double x, bool share, bool sign = false) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.1f" : "%.1f", share ? x * 100 : x);
  std::string s = buf;
  if (s == "-0.0") s = sign ? "+0.0" : "0.0";
  return s + (share && !sign ? "%" : "");
}

// "28.1% [27.9%, 28.3%]"; a difference "+1.9 pp [+1.7, +2.1]" (a share's in percentage points).
std::string interval(const metrics::Interval& iv, bool share, bool diff) {
  if (!std::isfinite(iv.mean)) return "-";
  // One replicate has no spread to estimate: its "interval" would be the value itself, [4.0, 4.0],
  // a certainty it does not have. (A share's n counts its denominator, not replicates.)
  if (!share && iv.n == 1) return num(iv.mean, share, diff) + " [one replicate: no interval]";
  return num(iv.mean, share, diff) + (diff && share ? " pp" : "") + " [" + num(iv.lo, share, diff) + ", " +
         num(iv.hi, share, diff) + "]";
}

std::string pad(const std::string& s, size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); }

ordered_json iv_json(const metrics::Interval& iv) {
  auto f = [](double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); };
  return {{"mean", f(iv.mean)}, {"ci95_low", f(iv.lo)}, {"ci95_high", f(iv.hi)}, {"n", iv.n}};
}

bool any_defined(const metrics::ComparedMetric& m) {
  return std::any_of(m.value.begin(), m.value.end(), [](const metrics::Interval& iv) { return iv.n > 0; });
}

// A difference over fewer replicates than either mean beside it: a metric undefined in some
// replicates (no case to detect, say) is differenced only where both configurations define it. A
// share's difference is of the pooled shares, as its values are.
bool paired_on_fewer(const metrics::ComparedMetric& m, size_t c) {
  return m.unit != "share" && std::isfinite(m.diff[c].mean) &&
         (m.diff[c].n < m.value[0].n || m.diff[c].n < m.value[c].n);
}

// A difference's cell: its interval, then "(K paired)" and "(one replicate)" where they apply.
std::string diff_cell(const metrics::ComparedMetric& m, size_t c) {
  std::string text = interval(m.diff[c], m.unit == "share", true);
  if (paired_on_fewer(m, c)) text += " (" + std::to_string(m.diff[c].n) + " paired)";
  if (metrics::rests_on_one_replicate(m, c)) text += " (one replicate)";
  return text;
}

// A metric's row: its name, each configuration's value, then each later one's difference (with the
// replicates it pairs, when fewer than the means').
// A mean over fewer replicates than were run (a metric undefined in some, as a detection delay in
// replicates without a detection) says over how many: "3.2 [2.5, 3.9] (n=16)". Not for a share,
// whose n counts its denominator.
std::string value_cell(const metrics::ComparedMetric& m, size_t c, int replicates) {
  const bool share = m.unit == "share";
  const auto& v = m.value[c];
  // A first day (unit "day") undefined in every replicate never came: said, not "-".
  if (metrics::is_first_day(m.unit) && v.n == 0) return "never";
  std::string text = interval(v, share, false);
  if (!share && v.n > 1 && v.n < replicates) text += " (n=" + std::to_string(v.n) + ")";
  return text;
}

std::string table_row(const metrics::ComparedMetric& m, size_t configs, size_t name_width, size_t cell,
                      int replicates) {
  std::string out = pad("  " + m.name, name_width);
  for (size_t c = 0; c < configs; ++c) out += pad(value_cell(m, c, replicates), cell);
  for (size_t c = 1; c < configs; ++c) out += pad(diff_cell(m, c), cell);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\n";
}

// A section's title in the table: "region", "role NAME", "task NAME", "guideline N".
std::string section_title(const std::string& scope) {
  if (scope == "region") return scope;
  if (scope.starts_with("task:")) return "task " + scope.substr(5);
  if (scope.starts_with("guideline:")) return "guideline " + scope.substr(10);
  if (scope.starts_with("village:")) return "village " + scope.substr(8);
  return "role " + scope;
}

}  // namespace

std::vector<std::string> distinct_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    std::string name = n;
    for (int k = 2; std::find(out.begin(), out.end(), name) != out.end() ||
                    (name != n && std::find(names.begin(), names.end(), name) != names.end());
         ++k)
      name = n + "-" + std::to_string(k);
    out.push_back(name);
  }
  return out;
}

std::vector<std::string> compared_metric_names() {
  std::vector<std::string> out;
  for (const auto& m : metrics::kVillageMetrics) out.emplace_back(m.name);
  for (const auto& m : metrics::kRoleMetrics) out.emplace_back(m.name);
  return out;
}

std::string compare_table(const CompareReport& r, const std::vector<std::string>& only) {
  const auto& configs = r.configs;
  std::string out =
      "Comparing " + std::to_string(configs.size()) + " configurations, " + std::to_string(r.replicates) +
      " replicates each with common random numbers (seed " + std::to_string(r.seed) +
      (r.same_returnees ? "): replicate k of every configuration has the same returnees and arrivals.\n"
                        : "): the configurations' residents, returnees or their arrivals differ, so replicate k of "
                          "each draws other ones; pairs match by replicate only.\n");
  for (const auto& w : r.warnings) out += "Warning: " + w + "\n";
  out +=
      "Values: mean over replicates [95% interval of the mean, not the spread of the replicates]; a share of "
      "people, tasks or days: pooled over replicates [Wilson interval]; a role's utilisation: the mean of the "
      "replicates' ratios (above 100% with overtime). Differences [k]-[1]: paired, per replicate, against [1]; "
      "a share's in percentage points (pp).\n\n";
  for (size_t c = 0; c < configs.size(); ++c) {
    std::string grids;
    for (const auto& [village, grid] : configs[c].village_grids) grids += "; " + village + "'s grid " + grid;
    out += "  [" + std::to_string(c + 1) + "] " + configs[c].name + " (" + configs[c].file + "; grid " +
           (configs[c].grid.empty() ? "none" : configs[c].grid) + grids + ")\n";
    std::string d;
    for (const auto& x : configs[c].differs) d += (d.empty() ? "" : "; ") + x;
    if (!d.empty()) out += "      differs from [1] in: " + d + "\n";
  }
  // The rows printed: with no --metrics, the region's and the roles'; else those --metrics names,
  // in the order asked within each section (the region's, each role's, each task kind's, each
  // guideline's). A name asks for that metric of the region and every role; `task:NAME` or
  // `guideline:N` for a scope's every metric, `tasks` or `guidelines` for every such scope.
  auto asked = [&](const metrics::ComparedMetric& m) -> size_t {
    const bool task = m.scope.starts_with("task:"), guideline = m.scope.starts_with("guideline:");
    if (only.empty()) return task || guideline ? std::string::npos : 0;
    for (size_t k = 0; k < only.size(); ++k)
      if (task || guideline ? only[k] == m.scope || only[k] == (task ? "tasks" : "guidelines") : only[k] == m.name)
        return k;
    return std::string::npos;
  };
  std::vector<const metrics::ComparedMetric*> rows;
  for (const auto& m : r.metrics)
    if (any_defined(m) && asked(m) != std::string::npos) rows.push_back(&m);  // undefined everywhere: unused
  if (!only.empty()) {
    std::vector<std::string> scopes;
    for (const auto& m : r.metrics)
      if (std::find(scopes.begin(), scopes.end(), m.scope) == scopes.end()) scopes.push_back(m.scope);
    // A task kind's or a guideline's section where it was asked (`--metrics task:b,task:a`: b first),
    // after the region's and the roles'.
    auto rank = [&](const metrics::ComparedMetric* m) {
      const bool scoped = m->scope.starts_with("task:") || m->scope.starts_with("guideline:");
      const auto at = std::find(scopes.begin(), scopes.end(), m->scope) - scopes.begin();
      return std::tuple(scoped, scoped ? std::ptrdiff_t(asked(*m)) : at, scoped ? at : std::ptrdiff_t(0),
                        scoped ? 0 : asked(*m));
    };
    std::stable_sort(rows.begin(), rows.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
  }
  size_t name_width = 24, cell = 26;
  for (const auto* m : rows)
    name_width = std::max({name_width, m->name.size() + 4, section_title(m->scope).size() + 2});
  // Columns as wide as their widest cell (a count in the tens of thousands with its interval), so
  // that they line up.
  for (const auto* row : rows) {
    const auto& m = *row;
    for (size_t c = 0; c < configs.size(); ++c) cell = std::max(cell, value_cell(m, c, r.replicates).size() + 2);
    for (size_t c = 1; c < configs.size(); ++c) cell = std::max(cell, diff_cell(m, c).size() + 2);
  }
  std::string scope;
  bool fewer = false, subset = false, one = false;
  for (const metrics::ComparedMetric* row : rows) {
    const auto& m = *row;
    if (m.scope != scope) {  // a section's header: its scope, then the columns
      scope = m.scope;
      std::string head = pad("\n" + section_title(scope), name_width + 1);
      for (size_t c = 0; c < configs.size(); ++c) head += pad("[" + std::to_string(c + 1) + "]", cell);
      for (size_t c = 1; c < configs.size(); ++c) head += pad("[" + std::to_string(c + 1) + "]-[1]", cell);
      while (head.back() == ' ') head.pop_back();
      out += head + "\n";
    }
    out += table_row(m, configs.size(), name_width, cell, r.replicates);
    for (size_t c = 0; c < configs.size(); ++c) subset = subset || value_cell(m, c, r.replicates).ends_with(")");
    for (size_t c = 1; c < configs.size(); ++c) {
      fewer = fewer || paired_on_fewer(m, c);
      one = one || metrics::rests_on_one_replicate(m, c);
    }
  }
  // A guideline asked for by number that created no task in any configuration has no rows: said.
  for (const auto& w : only)
    if (w.starts_with("guideline:") &&
        std::none_of(r.metrics.begin(), r.metrics.end(), [&](const auto& m) { return m.scope == w; }))
      out += "\n" + section_title(w) + ": no task of it was created in any configuration\n";
  if (only.empty() &&
      std::any_of(r.metrics.begin(), r.metrics.end(), [](const auto& m) { return m.scope.starts_with("task:"); }))
    out +=
        "\nTasks by kind and by guideline (created, done, late, hours worked): in compare.csv and compare.json; "
        "--metrics tasks, task:NAME, guidelines or guideline:N prints them.\n";
  if (subset)
    out +=
        "\n(n=K): the mean is over the K replicates in which the metric is defined (a delay, say, where "
        "something was detected), of the " +
        std::to_string(r.replicates) + " run.\n";
  if (fewer)
    out +=
        "\n(K paired): the metric is undefined in some replicates; the difference is over the K where both "
        "configurations define it, so it need not equal the difference of the two means.\n";
  if (one) out += "\n(one replicate): " + std::string(metrics::kOneReplicateNote) + ".\n";
  return out;
}

std::string compare_csv(const CompareReport& r) {
  std::string out =
      "metric,scope,unit,configuration,name,scenario,mean,ci95_low,ci95_high,n,diff_unit,diff_mean,diff_ci95_low,"
      "diff_ci95_high,diff_one_replicate\n";
  for (const auto& m : r.metrics)
    for (size_t c = 0; c < r.configs.size(); ++c) {
      const auto& v = m.value[c];
      out += m.name + "," + csv_field(m.scope) + "," + m.unit + "," + std::to_string(c + 1) + "," + r.configs[c].name +
             "," + r.configs[c].scenario + "," + csv_number(v.mean) + "," + csv_number(v.lo) + "," + csv_number(v.hi) +
             "," + std::to_string(v.n);
      if (c == 0) {
        out += ",,,,,\n";  // the baseline: no difference
        continue;
      }
      // A share's difference in percentage points.
      const bool share = m.unit == "share";
      const double k = share ? 100 : 1;
      const auto& d = m.diff[c];
      out += "," + (share ? std::string("percentage_points") : m.unit) + "," + csv_number(d.mean * k) + "," +
             csv_number(d.lo * k) + "," + csv_number(d.hi * k) + "," +
             (metrics::rests_on_one_replicate(m, c) ? "yes" : "no") + "\n";  // the table's "(one replicate)"
    }
  return out;
}

std::string compare_json(const CompareReport& r, const std::string& version) {
  ordered_json j;
  j["villagegrid"] = version;
  j["replicates"] = r.replicates;
  j["seed"] = r.seed;
  j["same_returnees"] = r.same_returnees;
  ordered_json cs = ordered_json::array();
  for (const auto& c : r.configs)
    cs.push_back({{"name", c.name},
                  {"scenario", c.scenario},
                  {"file", c.file},
                  {"grid", c.grid.empty() ? ordered_json(nullptr) : ordered_json(c.grid)},
                  {"village_grids",
                   [&] {
                     ordered_json g = ordered_json::object();
                     for (const auto& [village, grid] : c.village_grids) g[village] = grid;
                     return g;
                   }()},
                  {"differs_from_first", c.differs}});
  j["configurations"] = cs;
  j["warnings"] = r.warnings;
  ordered_json region = ordered_json::object(), roles = ordered_json::object(), tasks = ordered_json::object(),
               guidelines = ordered_json::object(), villages = ordered_json::object();
  for (const auto& m : r.metrics) {
    ordered_json per = ordered_json::array();
    for (size_t c = 0; c < r.configs.size(); ++c) {
      // The first configuration is what the others are differenced against: it has no difference.
      ordered_json diff = c == 0 ? ordered_json() : iv_json(m.diff[c]);
      if (metrics::rests_on_one_replicate(m, c)) diff["one_replicate"] = true;  // the table's "(one replicate)"
      per.push_back({{"value", iv_json(m.value[c])}, {"diff_vs_first", diff}});
    }
    ordered_json e = {{"unit", m.unit}, {"configurations", per}};
    if (m.scope == "region")
      region[m.name] = e;
    else if (m.scope.starts_with("task:"))
      tasks[m.scope.substr(5)][m.name] = e;
    else if (m.scope.starts_with("guideline:"))
      guidelines[m.scope.substr(10)][m.name] = e;
    else if (m.scope.starts_with("village:"))
      villages[m.scope.substr(8)][m.name] = e;
    else
      roles[m.scope][m.name] = e;
  }
  j["metrics"] = region;
  j["roles"] = roles;
  j["tasks"] = tasks;
  j["guidelines"] = guidelines;
  j["villages"] = villages;  // --village: each village's own metrics
  return j.dump(2) + "\n";
}

void write_compare_outputs(const std::filesystem::path& dir, const CompareReport& report, const std::string& version,
                           const OutputExtras& extras) {
  const std::string csv = compare_csv(report);
  const std::string json = compare_json(report, version);
  write_files_atomic(dir, {{"compare.csv", csv}, {"compare.json", json}}, extras);
}

}  // namespace vg::io
