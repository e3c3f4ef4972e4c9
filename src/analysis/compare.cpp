#include "analysis/compare.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <span>

#include "metrics/metric_table.h"

namespace vg::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ975 = 1.959963984540054;  // the normal distribution's 97.5% quantile

// One metric of one configuration, replicate by replicate; a share's numerator and denominator
// too (empty for other metrics).
struct Series {
  std::vector<double> value, num, den;
};

// A share pooled over the replicates where it is defined (denominator > 0): R = sum num / sum den,
// and each replicate's linearised residual (num - R den) / mean den (NaN where undefined), whose
// spread over replicates is the spread of R (the delta method for a ratio of sums).
struct Pooled {
  double k = 0, n = 0, top = 0;  // top: the largest denominator of one replicate
  int replicates = 0;
  std::vector<double> residual;
};

Pooled pool(const Series& s) {
  Pooled p;
  for (size_t r = 0; r < s.den.size(); ++r)
    if (s.den[r] > 0) {
      p.k += s.num[r];
      p.n += s.den[r];
      p.top = std::max(p.top, s.den[r]);
      ++p.replicates;
    }
  const double share = p.n > 0 ? p.k / p.n : kNaN, mean_den = p.n / std::max(1, p.replicates);
  for (size_t r = 0; r < s.den.size(); ++r)
    p.residual.push_back(s.den[r] > 0 ? (s.num[r] - share * s.den[r]) / mean_den : kNaN);
  return p;
}

Interval pooled_value(const Series& s) {
  const Pooled p = pool(s);
  Interval iv = wilson_interval(p.k, p.n);
  iv.n = p.replicates;
  return iv;
}

// The paired difference b - a of two configurations' pooled shares.
Interval pooled_diff(const Series& a, const Series& b) {
  const Pooled pa = pool(a), pb = pool(b);
  std::vector<double> d;
  for (size_t r = 0; r < std::min(a.den.size(), b.den.size()); ++r) d.push_back(pb.residual[r] - pa.residual[r]);
  Interval iv = mean_interval(d);  // NaN if either is undefined
  if (iv.n == 0) return iv;
  const double half = iv.hi - iv.mean, diff = pb.k / pb.n - pa.k / pa.n;
  iv.mean = diff;
  iv.lo = diff - half;
  iv.hi = diff + half;
  iv.top_share = std::max(pa.top / pa.n, pb.top / pb.n);
  return iv;
}

Interval plain_diff(const Series& a, const Series& b) {
  std::vector<double> d;
  for (size_t r = 0; r < std::min(a.value.size(), b.value.size()); ++r)
    d.push_back(b.value[r] - a.value[r]);  // NaN if either undefined
  return mean_interval(d);
}

// The region metrics of one village (`village`; none: undefined in every replicate) of each replicate.
std::vector<Series> village_series(const std::vector<ReplicateResult>& reps, std::optional<size_t> village) {
  std::vector<Series> out(std::size(kVillageMetrics));
  for (const auto& rep : reps) {
    const bool has = village && *village < rep.villages.size();
    const VillageTotals t = has ? rep.villages[*village] : VillageTotals{};
    size_t i = 0;
    for (const auto& m : kVillageMetrics) {
      auto& s = out[i++];
      s.value.push_back(has ? m.value(t) : kNaN);
      if (m.numerator) {
        s.num.push_back(has ? m.numerator(t) : 0);
        s.den.push_back(has ? m.denominator(t) : 0);
      }
    }
  }
  return out;
}

// Each metric's series in one configuration: the region's, then each role of `role_names`.
std::vector<Series> series_of(const std::vector<ReplicateResult>& reps, const std::vector<std::string>& own_roles,
                              const std::vector<std::string>& role_names) {
  std::vector<Series> out(std::size(kVillageMetrics) + role_names.size() * std::size(kRoleMetrics));
  for (const auto& rep : reps) {
    VillageTotals t;
    for (const auto& v : rep.villages) merge_counts(t, v, kVillageCounts);
    size_t i = 0;
    for (const auto& m : kVillageMetrics) {
      auto& s = out[i++];
      s.value.push_back(m.value(t));
      if (m.numerator) {
        s.num.push_back(m.numerator(t));
        s.den.push_back(m.denominator(t));
      }
    }
    for (const auto& name : role_names) {
      const auto it = std::find(own_roles.begin(), own_roles.end(), name);
      const size_t role = size_t(it - own_roles.begin());
      const bool has = it != own_roles.end() && role < rep.roles.size();
      for (const auto& m : kRoleMetrics) {
        auto& s = out[i++];
        const double x = has ? m.value(rep, role) : kNaN;
        s.value.push_back(x);
        if (m.over == OverReplicates::Share) {  // each replicate one trial
          s.num.push_back(has ? x : 0);
          s.den.push_back(has ? 1 : 0);
        }
      }
    }
  }
  return out;
}

}  // namespace

double t_quantile_975(int df) {
  static constexpr double kTable[] = {0,      12.7062, 4.3027, 3.1824, 2.7764, 2.5706,
                                      2.4469, 2.3646,  2.3060, 2.2622, 2.2281};
  if (df <= 0) return kNaN;
  if (df <= 10) return kTable[df];
  const double z = kZ975, n = df;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

Interval mean_interval(const std::vector<double>& values) {
  Interval iv;
  double sum = 0;
  for (double x : values)
    if (std::isfinite(x)) {
      sum += x;
      ++iv.n;
    }
  if (iv.n == 0) {
    iv.mean = iv.lo = iv.hi = kNaN;
    return iv;
  }
  iv.mean = sum / iv.n;
  if (iv.n == 1) {
    iv.lo = iv.hi = iv.mean;  // no spread to estimate from one replicate
    return iv;
  }
  double ss = 0;
  for (double x : values)
    if (std::isfinite(x)) ss += (x - iv.mean) * (x - iv.mean);
  const double half = t_quantile_975(iv.n - 1) * std::sqrt(ss / (iv.n - 1) / iv.n);
  iv.lo = iv.mean - half;
  iv.hi = iv.mean + half;
  return iv;
}

Interval wilson_interval(double k, double n) {
  Interval iv;
  if (!(n > 0)) {
    iv.mean = iv.lo = iv.hi = kNaN;
    return iv;
  }
  const double p = std::clamp(k / n, 0.0, 1.0), z2 = kZ975 * kZ975;
  const double scale = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / scale;
  const double half = kZ975 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / scale;
  iv.mean = p;
  // The interval holds p: at p = 1 (or 0) its end is 1 (0) exactly, where rounding left it below.
  iv.lo = std::min(p, std::max(0.0, centre - half));
  iv.hi = std::max(p, std::min(1.0, centre + half));
  return iv;
}

namespace {

// Names in the order first met over every configuration's list.
std::vector<std::string> union_of(const std::vector<std::vector<std::string>>& lists) {
  std::vector<std::string> out;
  for (const auto& l : lists)
    for (const auto& x : l)
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  return out;
}

// A task kind's counts, or a guideline's, replicate by replicate (NaN where the configuration has
// no such kind): [metric] for kComparedTaskMetrics or kComparedGuidelineMetrics.
std::vector<Series> task_series(const std::vector<ReplicateResult>& reps, std::optional<size_t> kind) {
  std::vector<Series> out(std::size(kComparedTaskMetrics));
  for (const auto& rep : reps) {
    const bool has = kind && *kind < rep.tasks.size();
    const TaskTotals t = has ? rep.tasks[*kind] : TaskTotals{};
    const double v[] = {double(t.tasks_created), double(t.tasks_done), double(t.tasks_late),
                        double(t.minutes_worked) / 60.0};
    for (size_t m = 0; m < out.size(); ++m) out[m].value.push_back(has ? v[m] : kNaN);
  }
  return out;
}

std::vector<Series> guideline_series(const std::vector<ReplicateResult>& reps, size_t g) {
  std::vector<Series> out(std::size(kComparedGuidelineMetrics));
  for (const auto& rep : reps) {
    const GuidelineTotals t = g < rep.guidelines.size() ? rep.guidelines[g] : GuidelineTotals{};
    out[0].value.push_back(double(t.tasks_created));
    out[1].value.push_back(double(t.tasks_late));
  }
  return out;
}

}  // namespace

std::vector<ComparedMetric> compare_runs(const std::vector<std::vector<ReplicateResult>>& runs,
                                         const std::vector<std::vector<std::string>>& roles,
                                         const std::vector<std::vector<std::string>>& tasks,
                                         const std::vector<ComparedVillage>& villages) {
  std::vector<ComparedMetric> out;
  if (runs.empty() || runs[0].empty()) return out;
  // Every role name of any configuration, in the order first met.
  std::vector<std::string> role_names;
  for (const auto& rs : roles)
    for (const auto& r : rs)
      if (std::find(role_names.begin(), role_names.end(), r) == role_names.end()) role_names.push_back(r);
  for (const auto& m : kVillageMetrics) out.push_back({std::string(m.name), std::string(m.unit), "region", {}, {}});
  for (const auto& r : role_names)
    for (const auto& m : kRoleMetrics) out.push_back({std::string(m.name), std::string(m.unit), r, {}, {}});
  std::vector<std::vector<Series>> series;  // [configuration][metric]
  for (size_t c = 0; c < runs.size(); ++c)
    series.push_back(series_of(runs[c], c < roles.size() ? roles[c] : std::vector<std::string>{}, role_names));
  auto fill = [&](ComparedMetric& cm, const Series& a, const Series& b) {
    const bool pooled = !b.den.empty();
    Interval value = pooled ? pooled_value(b) : mean_interval(b.value);
    // Every metric is a count, a time or an amount, never negative: so is its interval.
    if (value.lo < 0) value.lo = 0;
    cm.value.push_back(value);
    Interval diff = pooled ? pooled_diff(a, b) : plain_diff(a, b);
    // A difference of two shares lies within -1 and 1: so does its interval (a t interval's ends,
    // symmetric about the mean, passed 100 points where one share was near 0 and the other near 1).
    if (cm.unit == "share") {
      diff.lo = std::max(diff.lo, -1.0);
      diff.hi = std::min(diff.hi, 1.0);
    }
    cm.diff.push_back(diff);
  };
  for (size_t m = 0; m < out.size(); ++m)
    for (size_t c = 0; c < runs.size(); ++c) fill(out[m], series[0][m], series[c][m]);
  // Each village asked for, after the region's: the region's metrics over it alone.
  std::vector<ComparedMetric> by_village;
  for (const auto& v : villages) {
    std::vector<std::vector<Series>> per;  // [configuration][metric]
    for (size_t c = 0; c < runs.size(); ++c)
      per.push_back(village_series(runs[c], c < v.index.size() ? v.index[c] : std::nullopt));
    size_t i = 0;
    for (const auto& m : kVillageMetrics) {
      ComparedMetric cm{std::string(m.name), std::string(m.unit), "village:" + v.name, {}, {}};
      for (size_t c = 0; c < runs.size(); ++c) fill(cm, per[0][i], per[c][i]);
      by_village.push_back(std::move(cm));
      ++i;
    }
  }
  out.insert(out.begin() + std::ptrdiff_t(std::size(kVillageMetrics)), std::make_move_iterator(by_village.begin()),
             std::make_move_iterator(by_village.end()));
  // Counts: each the mean with a Student t interval, its difference paired by replicate.
  auto add_counts = [&](const std::string& scope, std::span<const char* const> names,
                        const std::function<std::vector<Series>(size_t)>& of) {
    std::vector<std::vector<Series>> per;  // [configuration][metric]
    for (size_t c = 0; c < runs.size(); ++c) per.push_back(of(c));
    for (size_t m = 0; m < names.size(); ++m) {
      const std::string unit = std::string_view(names[m]) == "hours_worked" ? "hours" : "tasks";
      ComparedMetric cm{names[m], unit, scope, {}, {}};
      for (size_t c = 0; c < runs.size(); ++c) {
        cm.value.push_back(mean_interval(per[c][m].value));
        if (cm.value.back().lo < 0) cm.value.back().lo = 0;
        cm.diff.push_back(plain_diff(per[0][m], per[c][m]));
      }
      out.push_back(std::move(cm));
    }
  };
  for (const auto& name : union_of(tasks))
    add_counts("task:" + name, kComparedTaskMetrics, [&](size_t c) {
      std::optional<size_t> kind;
      if (c < tasks.size())
        if (auto it = std::find(tasks[c].begin(), tasks[c].end(), name); it != tasks[c].end())
          kind = size_t(it - tasks[c].begin());
      return task_series(runs[c], kind);
    });
  for (size_t g = 0; g < size_t(kGuidelineSlots); ++g) {
    const bool used = std::any_of(runs.begin(), runs.end(), [&](const auto& reps) {
      return std::any_of(reps.begin(), reps.end(), [&](const auto& rep) {
        return g < rep.guidelines.size() && rep.guidelines[g].tasks_created > 0;
      });
    });
    if (used)
      add_counts("guideline:" + std::to_string(g), kComparedGuidelineMetrics,
                 [&](size_t c) { return guideline_series(runs[c], g); });
  }
  return out;
}

}  // namespace vg::metrics
