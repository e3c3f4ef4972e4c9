#include "epidemic/natural_history.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <utility>

#include "core/random.h"

namespace vg::epidemic {

namespace {

// Longest period considered, in days: keeps floor() within int32 whatever the parameters.
constexpr double kMaxDays = 1e5;

int32_t floor_days(double x) { return static_cast<int32_t>(std::floor(std::clamp(x, -kMaxDays, kMaxDays))); }

// Words of the Infection stream reserved for importation (importation.cpp).
constexpr int kImportationWords = 4;

}  // namespace

Course course_from(const Parameters& p, double incubation_days, double day_fraction, bool asymptomatic) {
  Course c;
  c.incubation_days = incubation_days;
  c.day_fraction = day_fraction;
  c.asymptomatic = asymptomatic;
  const double x = day_fraction + std::min(incubation_days, kMaxDays);
  c.infectious_offset = std::max(1, floor_days(x - p.presymptomatic_days));
  if (asymptomatic) {
    c.onset_offset = -1;
    c.recovery_offset = std::max(c.infectious_offset + 1, floor_days(x + p.infectious_after_onset_days));
  } else {
    c.onset_offset = std::max(c.infectious_offset, floor_days(x));
    c.recovery_offset = std::max(c.onset_offset + 1, floor_days(x + p.infectious_after_onset_days));
  }
  return c;
}

Course draw_course(const Parameters& p, uint64_t seed, uint32_t replicate, uint32_t person) {
  RandomStream s(StreamKey{seed, replicate, person, 0, Purpose::Infection});
  for (int i = 0; i < kImportationWords; ++i) (void)s.next_u32();
  const double incubation = s.lognormal(p.incubation_meanlog, p.incubation_sdlog);
  const bool asymptomatic = s.bernoulli(p.asymptomatic_share);
  const double u = s.uniform();
  return course_from(p, incubation, u, asymptomatic);
}

CourseSummary::CourseSummary(const Parameters& p)
    : asym_share_(p.asymptomatic_share),
      w_pre_(p.presymptomatic_infectiousness),
      w_sym_(1.0),
      w_asym_(p.asymptomatic_infectiousness) {
  // Quantile midpoints of the incubation period; for each, the day counts are step functions of u
  // with at most three steps (where u + T - pre, u + T and u + T + post cross whole numbers), so
  // the integral over u is exact.
  constexpr int kQuantiles = 4096;
  std::map<std::pair<int32_t, int32_t>, double> sym;
  std::map<int32_t, double> asym;
  for (int k = 0; k < kQuantiles; ++k) {
    const double q = (k + 0.5) / kQuantiles;
    const double t = std::exp(p.incubation_meanlog + p.incubation_sdlog * normal_quantile(q));
    double cuts[5] = {0, 1, 1, 1, 1};
    int n = 1;
    for (double c : {t - p.presymptomatic_days, t, t + p.infectious_after_onset_days}) {
      const double f = c - std::floor(c);
      cuts[n++] = f > 0 ? 1 - f : 1;
    }
    cuts[n++] = 1;
    // Five values: an insertion sort (std::sort here draws a false -Warray-bounds from GCC 12
    // under -fsanitize=address, its 16-element insertion threshold being past the array).
    for (int i = 1; i < n; ++i)
      for (int j = i; j > 0 && cuts[j] < cuts[j - 1]; --j) std::swap(cuts[j], cuts[j - 1]);
    for (int i = 0; i + 1 < n; ++i) {
      const double len = cuts[i + 1] - cuts[i];
      if (len <= 0) continue;
      const double u = 0.5 * (cuts[i] + cuts[i + 1]);
      const double w = len / kQuantiles;
      const Course s = course_from(p, t, u, false);
      sym[{s.onset_offset - s.infectious_offset, s.recovery_offset - s.onset_offset}] += w;
      const Course a = course_from(p, t, u, true);
      asym[a.recovery_offset - a.infectious_offset] += w;
    }
  }
  double e_pre = 0, e_post = 0, e_asym = 0;
  for (const auto& [days, w] : sym) {
    sym_.push_back({days.first, days.second, w});
    e_pre += w * days.first;
    e_post += w * days.second;
  }
  for (const auto& [days, w] : asym) {
    asym_.push_back({days, w});
    e_asym += w * days;
  }
  mean_days_ = (1 - asym_share_) * (e_pre + e_post) + asym_share_ * e_asym;
  const double sym_weighted = w_pre_ * e_pre + w_sym_ * e_post;
  mean_weighted_days_ = (1 - asym_share_) * sym_weighted + asym_share_ * w_asym_ * e_asym;
  presymptomatic_share_ = sym_weighted > 0 ? w_pre_ * e_pre / sym_weighted : 0;
}

double CourseSummary::household_sar(double per_day) const {
  auto escape = [&](double w) { return 1 - std::clamp(per_day * w, 0.0, 1.0); };
  const double e_pre = escape(w_pre_), e_sym = escape(w_sym_), e_asym = escape(w_asym_);
  double escape_sym = 0, escape_asym = 0;
  for (const Bin& b : sym_) escape_sym += b.weight * std::pow(e_pre, b.pre_days) * std::pow(e_sym, b.post_days);
  for (const AsymBin& b : asym_) escape_asym += b.weight * std::pow(e_asym, b.days);
  return 1 - ((1 - asym_share_) * escape_sym + asym_share_ * escape_asym);
}

double CourseSummary::household_per_day_for(double sar) const {
  if (!(sar > 0)) return 0;
  if (sar >= household_sar(1.0)) return 1.0;
  double lo = 0, hi = 1;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (household_sar(mid) < sar ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double normal_quantile(double p) {
  // Acklam (2003), "An algorithm for computing the inverse normal cumulative distribution function".
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  if (!(p > 0)) return -HUGE_VAL;
  if (!(p < 1)) return HUGE_VAL;
  constexpr double lo = 0.02425;
  double x;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step on Phi(x) - p.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace vg::epidemic
