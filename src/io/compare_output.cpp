#include "io/compare_output.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"

namespace vg::io {

namespace {

using nlohmann::ordered_json;

std::string num(double x, bool share) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, share ? "%.1f%%" : "%.1f", share ? x * 100 : x);
  return buf;
}

std::string interval(const metrics::Interval& iv, bool share, bool sign) {
  if (!std::isfinite(iv.mean)) return "-";
  std::string m = num(iv.mean, share);
  if (sign && iv.mean >= 0) m = "+" + m;
  return m + " [" + num(iv.lo, share) + ", " + num(iv.hi, share) + "]";
}

std::string pad(const std::string& s, size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); }

ordered_json iv_json(const metrics::Interval& iv) {
  auto f = [](double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); };
  return {{"mean", f(iv.mean)}, {"ci95_low", f(iv.lo)}, {"ci95_high", f(iv.hi)}, {"n", iv.n}};
}

}  // namespace

std::string compare_table(const std::vector<ComparedConfig>& configs, const std::vector<metrics::ComparedMetric>& ms,
                          int replicates, uint64_t seed) {
  std::string out = "Comparing " + std::to_string(configs.size()) + " configurations, " + std::to_string(replicates) +
                    " replicates each with common random numbers (seed " + std::to_string(seed) +
                    "): replicate k of every configuration has the same returnees and arrivals.\n";
  out += "Values: mean [95% interval]; differences are paired, per replicate, against " + configs[0].name + ".\n\n";
  for (size_t c = 0; c < configs.size(); ++c)
    out += "  [" + std::to_string(c + 1) + "] " + configs[c].name + " (" + configs[c].file + ")\n";
  out += "\n";
  for (const auto& m : ms) {
    const bool share = m.unit == "share";
    out += m.name + "\n";
    for (size_t c = 0; c < configs.size(); ++c) {
      out += "  [" + std::to_string(c + 1) + "] ";
      if (c > 0)
        out += pad(interval(m.value[c], share, false), 34) + "diff " + interval(m.diff[c], share, true);
      else
        out += interval(m.value[c], share, false);
      out += "\n";
    }
  }
  return out;
}

std::string compare_csv(const std::vector<ComparedConfig>& configs, const std::vector<metrics::ComparedMetric>& ms) {
  std::string out =
      "metric,unit,configuration,scenario,mean,ci95_low,ci95_high,n,diff_mean,diff_ci95_low,diff_ci95_high\n";
  char buf[512];
  for (const auto& m : ms)
    for (size_t c = 0; c < configs.size(); ++c) {
      const auto& v = m.value[c];
      const auto& d = m.diff[c];
      std::snprintf(buf, sizeof buf, "%s,%s,%zu,%s,%.17g,%.17g,%.17g,%d,%.17g,%.17g,%.17g\n", m.name.c_str(),
                    m.unit.c_str(), c + 1, configs[c].name.c_str(), v.mean, v.lo, v.hi, v.n, d.mean, d.lo, d.hi);
      out += buf;
    }
  return out;
}

std::string compare_json(const std::vector<ComparedConfig>& configs, const std::vector<metrics::ComparedMetric>& ms,
                         int replicates, uint64_t seed, const std::string& version) {
  ordered_json j;
  j["villagegrid"] = version;
  j["replicates"] = replicates;
  j["seed"] = seed;
  ordered_json cs = ordered_json::array();
  for (const auto& c : configs) cs.push_back({{"scenario", c.name}, {"file", c.file}});
  j["configurations"] = cs;
  ordered_json metrics = ordered_json::object();
  for (const auto& m : ms) {
    ordered_json per = ordered_json::array();
    for (size_t c = 0; c < configs.size(); ++c)
      per.push_back({{"value", iv_json(m.value[c])}, {"diff_vs_first", iv_json(m.diff[c])}});
    metrics[m.name] = {{"unit", m.unit}, {"configurations", per}};
  }
  j["metrics"] = metrics;
  return j.dump(2) + "\n";
}

void write_compare_outputs(const std::filesystem::path& dir, const std::vector<ComparedConfig>& configs,
                           const std::vector<metrics::ComparedMetric>& ms, int replicates, uint64_t seed,
                           const std::string& version, const OutputExtras& extras) {
  const std::string csv = compare_csv(configs, ms);
  const std::string json = compare_json(configs, ms, replicates, seed, version);
  write_files_atomic(dir, {{"compare.csv", csv}, {"compare.json", json}}, extras);
}

}  // namespace vg::io
