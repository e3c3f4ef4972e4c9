#include "metrics/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "metrics/metric_table.h"

namespace vg::metrics {

double percentile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

Stat describe(std::vector<double> values) {
  std::erase_if(values, [](double x) { return !std::isfinite(x); });
  Stat s;
  s.n = int(values.size());
  if (values.empty()) {
    s.mean = s.p5 = s.p95 = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  // Summed in replicate order: the same bits whatever the thread count that produced them.
  double sum = 0;
  for (double x : values) sum += x;
  s.mean = sum / double(values.size());
  std::sort(values.begin(), values.end());
  s.p5 = percentile_sorted(values, 0.05);
  s.p95 = percentile_sorted(values, 0.95);
  return s;
}

const Stat& stat_of(const std::vector<NamedStat>& metrics, std::string_view name) {
  for (const auto& m : metrics)
    if (m.name == name) return m.stat;
  throw std::logic_error("no metric named '" + std::string(name) + "'");
}

namespace {
VillageTotals merged(const ReplicateResult& r, const std::vector<size_t>& villages) {
  VillageTotals t;
  if (villages.empty())
    for (const auto& v : r.villages) merge_counts(t, v, kVillageCounts);
  else
    for (size_t v : villages) merge_counts(t, r.villages[v], kVillageCounts);
  return t;
}
}  // namespace

void replicate_metric_values(const ReplicateResult& r, const std::vector<size_t>& villages, std::vector<double>& out) {
  const VillageTotals t = merged(r, villages);
  out.clear();
  for (const auto& m : kVillageMetrics) out.push_back(m.value(t));
}

void replicate_metric_values(const ReplicateResult& r, const std::vector<size_t>& villages, std::vector<double>& out,
                             std::vector<int8_t>& undefined) {
  const VillageTotals t = merged(r, villages);
  out.clear();
  undefined.clear();
  for (const auto& m : kVillageMetrics) {
    out.push_back(m.value(t));
    const Undefined why = m.undefined ? m.undefined(t) : Undefined::NothingToMeasure;
    undefined.push_back(std::isnan(out.back()) ? int8_t(why) : int8_t{-1});
  }
}

std::vector<std::pair<NamedStat, double>> replicate_metrics(const ReplicateResult& r,
                                                            const std::vector<size_t>& villages) {
  std::vector<double> values;
  replicate_metric_values(r, villages, values);
  std::vector<std::pair<NamedStat, double>> out;
  size_t i = 0;
  for (const auto& m : kVillageMetrics)
    out.push_back({NamedStat{std::string(m.name), std::string(m.unit), {}}, values[i++]});
  return out;
}

std::vector<int> first_roles_out(const ReplicateResult& r) {
  int first = -1;
  for (const auto& x : r.roles)
    if (x.first_day_out_of_hours >= 0 && (first < 0 || x.first_day_out_of_hours < first))
      first = x.first_day_out_of_hours;
  std::vector<int> out;
  for (size_t i = 0; i < r.roles.size() && first >= 0; ++i)
    if (r.roles[i].first_day_out_of_hours == first) out.push_back(int(i));
  return out;
}

namespace {

std::vector<NamedStat> describe_metrics(const std::vector<ReplicateResult>& reps, const std::vector<size_t>& villages) {
  std::vector<NamedStat> out;
  if (reps.empty()) return out;
  for (const auto& m : kVillageMetrics) out.push_back(NamedStat{std::string(m.name), std::string(m.unit), {}});
  std::vector<std::vector<double>> columns(out.size());
  for (auto& c : columns) c.reserve(reps.size());
  std::vector<double> row;
  for (const auto& r : reps) {
    replicate_metric_values(r, villages, row);
    for (size_t i = 0; i < row.size(); ++i) columns[i].push_back(row[i]);
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].stat = describe(std::move(columns[i]));
  return out;
}

}  // namespace

Summary summarise(const std::vector<ReplicateResult>& reps, const std::vector<std::string>& role_names,
                  const std::vector<std::string>& village_names, const std::vector<std::string>& village_towns,
                  const std::vector<std::pair<std::string, int>>& tasks) {
  Summary s;
  s.replicates = int(reps.size());
  s.metrics = describe_metrics(reps, {});
  for (size_t v = 0; v < village_names.size(); ++v)
    s.villages.push_back({village_names[v], village_towns[v], describe_metrics(reps, {v})});
  std::vector<std::string> town_order;
  for (const auto& t : village_towns)
    if (std::find(town_order.begin(), town_order.end(), t) == town_order.end()) town_order.push_back(t);
  for (const auto& t : town_order) {
    std::vector<size_t> vs;
    for (size_t v = 0; v < village_towns.size(); ++v)
      if (village_towns[v] == t) vs.push_back(v);
    s.towns.push_back({t, "", describe_metrics(reps, vs)});
  }
  for (int g = 0; g < kGuidelineSlots; ++g) {
    GuidelineSummary gs{g, {}};
    for (const auto& c : kGuidelineCounts) {
      std::vector<double> values;
      for (const auto& r : reps)
        if (size_t(g) < r.guidelines.size()) values.push_back(count_value(r.guidelines[size_t(g)], c));
      gs.metrics.push_back({std::string(c.name), "tasks", describe(std::move(values))});
    }
    const Stat& created = gs.metrics.front().stat;  // tasks_created: a guideline with none is left out
    if (created.n > 0 && created.mean > 0) s.guidelines.push_back(std::move(gs));
  }
  for (size_t k = 0; k < tasks.size(); ++k) {
    TaskSummary ts{tasks[k].first, tasks[k].second, {}};
    for (const auto& c : kTaskCounts) {
      const bool minutes = c.name == "minutes_worked";  // shown in hours, as the roles' hours
      std::vector<double> values;
      for (const auto& r : reps)
        if (k < r.tasks.size()) values.push_back(count_value(r.tasks[k], c) / (minutes ? 60.0 : 1.0));
      ts.metrics.push_back(
          {minutes ? "hours_worked" : std::string(c.name), minutes ? "hours" : "tasks", describe(std::move(values))});
    }
    const Stat& created = ts.metrics.front().stat;  // a task no run created is left out
    if (created.n > 0 && created.mean > 0) s.tasks.push_back(std::move(ts));
  }

  std::vector<int> first_counts(role_names.size(), 0);
  std::vector<double> first_days;
  for (const auto& r : reps) {
    auto f = first_roles_out(r);
    for (int role : f) first_counts[size_t(role)]++;
    if (!f.empty()) first_days.push_back(r.roles[size_t(f.front())].first_day_out_of_hours);
  }
  s.first_day_out_mean = describe(first_days).mean;
  const double n = std::max<double>(1, double(reps.size()));
  for (size_t role = 0; role < role_names.size(); ++role) {
    RoleSummary rs{role_names[role], {}};
    for (const auto& m : kRoleMetrics) {
      std::vector<double> values;
      for (const auto& r : reps) values.push_back(m.value(r, role));
      rs.metrics.push_back({std::string(m.name), std::string(m.unit), describe(std::move(values))});
    }
    s.roles.push_back(std::move(rs));
  }
  std::vector<size_t> order;
  for (size_t role = 0; role < role_names.size(); ++role)
    if (2 * first_counts[role] >= int(reps.size()) && first_counts[role] > 0) order.push_back(role);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (first_counts[a] != first_counts[b]) return first_counts[a] > first_counts[b];
    return s.roles[a].stat("hours_worked").mean > s.roles[b].stat("hours_worked").mean;
  });
  for (size_t role : order) {
    s.first_roles_out.push_back(role_names[role]);
    s.first_roles_out_share.push_back(first_counts[role] / n);
  }
  return s;
}

}  // namespace vg::metrics
