#include "core/random.h"

#include <cmath>
#include <cstdint>
#include <limits>

// Fusing a*b+c into one FMA changes the last bit of results, so on FMA targets (-march=native,
// aarch64) outputs would depend on the compiler's choice. GCC contracts across statements by
// default even in ISO mode; clang within expressions. Both are switched off for this file; the
// header's inline draws contain no contractable expression.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace vg {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr double kHalfLog2Pi = 0.91893853320467274;  // log(sqrt(2 pi))

// fc(k) = log k! - [(k + 1/2) log(k + 1) - (k + 1) + log sqrt(2 pi)], the Stirling remainder used
// by BTRD. Exact values below 16 (computed to 50 digits); above, five terms of the asymptotic
// series in 1/(k+1), whose truncation error there is under 1e-16.
constexpr double kStirlingTail[16] = {
    0.081061466795327261,  0.041340695955409297,  0.027677925684998338,  0.020790672103765093,
    0.016644691189821193,  0.013876128823070748,  0.01189670994589177,   0.010411265261972096,
    0.0092554621827127329, 0.0083305634333628708, 0.0075736754879518406, 0.0069428401072095299,
    0.0064089941880042071, 0.0059513701127588475, 0.0055547335519628011, 0.0052076559196096404,
};

// k is a non-negative whole number held in a double (the rejection samplers work in doubles).
double stirling_tail(double k) {
  if (k < 16) return kStirlingTail[static_cast<int>(k)];
  const double x = k + 1;
  const double r2 = 1 / (x * x);
  return (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188)))) / x;
}

// Our own log k! instead of std::lgamma, which is neither thread-safe (signgam) nor guaranteed to
// round the same way across C libraries.
double log_factorial(double k) { return (k + 0.5) * std::log(k + 1) - (k + 1) + kHalfLog2Pi + stirling_tail(k); }

// Rejection samplers work in doubles; a result beyond uint32 only arises from invalid parameters
// and must not reach an out-of-range (undefined) conversion.
uint32_t to_count(double k) {
  if (!(k > 0)) return 0;
  if (k >= 4294967295.0) return std::numeric_limits<uint32_t>::max();
  return static_cast<uint32_t>(k);
}

// Smallest k with P(X <= k) > u, walking the pmf upward from P(X = 0) = p0 with
// P(X = k) = P(X = k - 1) * ratio(k). Stops when the cumulative sum no longer changes, so rounding
// in the summed tail can never loop forever; that cut-off has probability below 1e-15.
template <class Ratio>
uint32_t sequential_search(double u, double p0, uint32_t k_max, Ratio ratio) {
  double pk = p0;
  double cdf = p0;
  uint32_t k = 0;
  while (u >= cdf && k < k_max) {
    ++k;
    pk *= ratio(k);
    const double next = cdf + pk;
    if (next == cdf) break;
    cdf = next;
  }
  return k;
}

// PTRS, Hormann (1993), "The transformed rejection method for generating Poisson random
// variables", Insurance: Mathematics and Economics 12, 39-45. Valid for mean >= 10.
uint32_t poisson_ptrs(RandomStream& rng, double mean) {
  const double sqrt_mean = std::sqrt(mean);
  const double log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * sqrt_mean;
  const double a = -0.059 + 0.02483 * b;
  const double log_alpha = std::log(1.1239 + 1.1328 / (b - 3.4));
  const double v_r = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return to_count(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const double lhs = std::log(v) + log_alpha - std::log(a / (us * us) + b);
    if (lhs <= -mean + k * log_mean - log_factorial(k)) return to_count(k);
  }
}

// BTRD, Hormann (1993), "The generation of binomial random variates", J. Statist. Comput.
// Simul. 46, 101-110. Requires p <= 1/2 and n * p >= 10.
uint32_t binomial_btrd(RandomStream& rng, uint32_t n_int, double p) {
  const double n = n_int;
  const double q = 1 - p;
  const double m = std::floor((n + 1) * p);  // mode
  const double r = p / q;
  const double nr = (n + 1) * r;
  const double npq = n * p * q;
  const double spq = std::sqrt(npq);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double v_r = 0.92 - 4.2 / b;
  const double u_r_v_r = 0.86 * v_r;
  for (;;) {
    // Step 1: the central box, accepted without any further test.
    double v = rng.uniform();
    double u;
    if (v <= u_r_v_r) {
      u = v / v_r - 0.43;
      return to_count(std::floor((2 * a / (0.5 - std::fabs(u)) + b) * u + c));
    }
    // Step 2: outside the box. For v >= v_r, v is kept (it is uniform on [v_r, 1)) and u drawn;
    // otherwise v's leftover maps onto the tails |u| > 0.43 and a fresh v is drawn below v_r.
    if (v >= v_r) {
      u = rng.uniform() - 0.5;
    } else {
      u = v / v_r - 0.93;
      u = (u < 0 ? -0.5 : 0.5) - u;
      v = rng.uniform() * v_r;
    }
    // Step 3.0
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = v * alpha / (a / (us * us) + b);
    const double km = std::fabs(k - m);
    if (km <= 15) {
      // Step 3.1: near the mode, f(k)/f(m) by the pmf recursion is cheaper than logs.
      double f = 1;
      if (m < k) {
        for (double i = m + 1; i <= k; ++i) f *= nr / i - r;
      } else if (m > k) {
        for (double i = k + 1; i <= m; ++i) v *= nr / i - r;
      }
      if (v <= f) return to_count(k);
      continue;
    }
    // Step 3.2: squeeze on log f(k)/f(m) by its normal approximation plus a bound on the error.
    v = std::log(v);
    const double rho = (km / npq) * (((km / 3 + 0.625) * km + 1.0 / 6) / npq + 0.5);
    const double t = -km * km / (2 * npq);
    if (v < t - rho) return to_count(k);
    if (v > t + rho) continue;
    // Step 3.3: the exact log ratio through Stirling's formula with the tabulated remainder.
    const double nm = n - m + 1;
    const double h = (m + 0.5) * std::log((m + 1) / (r * nm)) + stirling_tail(m) + stirling_tail(n - m);
    const double nk = n - k + 1;
    if (v <= h + (n + 1) * std::log(nm / nk) + (k + 0.5) * std::log(nk * r / (k + 1)) - stirling_tail(k) -
                 stirling_tail(n - k)) {
      return to_count(k);
    }
  }
}

}  // namespace

double RandomStream::uniform(double a, double b) {
  assert(a <= b);
  const double x = a + (b - a) * uniform();
  return x < b ? x : std::nextafter(b, a);
}

double RandomStream::exponential(double rate) {
  assert(rate > 0);
  // 1 - u is exact for u on the 2^-53 grid and lies in (0, 1], so the log is finite.
  return -std::log(1 - uniform()) / rate;
}

double RandomStream::normal() {
  const double u1 = 1 - uniform();  // (0, 1]: log finite
  const double u2 = uniform();
  return std::sqrt(-2 * std::log(u1)) * std::cos(kTwoPi * u2);
}

uint32_t RandomStream::poisson(double mean) {
  assert(!(mean > 1e9) && "poisson mean too large for a uint32 result");
  if (mean >= 30) return poisson_ptrs(*this, mean);
  // Inversion also covers mean <= 0 and NaN: exp(-mean) >= 1 or NaN ends the search at 0, after
  // consuming the same one uniform as any other small mean.
  const double u = uniform();
  return sequential_search(u, std::exp(-mean), std::numeric_limits<uint32_t>::max(),
                           [mean](uint32_t k) { return mean / k; });
}

uint32_t RandomStream::binomial(uint32_t n, double p) {
  if (n == 0 || !(p > 0) || !(p < 1)) {
    // Degenerate outcomes still consume one uniform, like the inversion path they border.
    (void)uniform();
    return p >= 1 ? n : 0;
  }
  // Draw the rarer outcome so both the inversion walk and BTRD's p <= 1/2 condition hold;
  // 1 - p is exact for p in (1/2, 1).
  const bool flip = p > 0.5;
  const double pp = flip ? 1 - p : p;
  uint32_t x;
  if (n * pp < 30) {
    const double u = uniform();
    const double nd = n;
    const double r = pp / (1 - pp);
    x = sequential_search(u, std::exp(nd * std::log1p(-pp)), n, [nd, r](uint32_t k) { return r * (nd - (k - 1)) / k; });
  } else {
    x = binomial_btrd(*this, n, pp);
  }
  return flip ? n - x : x;
}

double RandomStream::gamma(double shape, double scale) {
  assert(shape > 0 && scale > 0);
  if (!(shape > 0)) return std::numeric_limits<double>::quiet_NaN();  // the loop would not end
  if (shape < 1) {
    // Marsaglia & Tsang, section 6: Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double g = gamma(shape + 1, 1);
    const double u = 1 - uniform();  // (0, 1]
    return g * std::exp(std::log(u) / shape) * scale;
  }
  // Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3).
  const double d = shape - 1.0 / 3;
  const double c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x;
    double v;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = uniform();
    const double x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (std::log(u) < 0.5 * x2 + d * (1 - v + std::log(v))) return d * v * scale;
  }
}

double RandomStream::lognormal(double mu, double sigma) { return std::exp(mu + sigma * normal()); }

double RandomStream::weibull(double shape, double scale) {
  assert(shape > 0 && scale > 0);
  // 0.0 - log(..) rather than -log(..): u == 0 must give +0, since pow(-0.0, 1) is -0.0.
  const double e = 0.0 - std::log(1 - uniform());
  return scale * std::pow(e, 1 / shape);
}

size_t RandomStream::categorical(std::span<const double> cumulative) {
  if (cumulative.empty()) return 0;
  const double total = cumulative.back();
  assert(total > 0);
  const double target = uniform() * total;
  // First index whose cumulative weight exceeds the target; a hand-written search because
  // std::upper_bound's precondition (a sorted range) is not ours to promise for bad input.
  size_t lo = 0;
  size_t hi = cumulative.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (cumulative[mid] > target) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (lo < cumulative.size()) return lo;
  // target == total cannot happen for a positive total (u * total < total in IEEE arithmetic);
  // for a zero or NaN total, fall back to the first entry reaching the total.
  size_t i = 0;
  while (i + 1 < cumulative.size() && !(cumulative[i] >= total)) ++i;
  return i;
}

double RandomStream::triangular(double lo, double mode, double hi) {
  assert(lo <= mode && mode <= hi);
  const double u = uniform();
  const double width = hi - lo;
  const double left = mode - lo;
  // u < F(mode) = left / width, without dividing (width may be zero).
  const double x = u * width < left ? lo + std::sqrt(u * width * left) : hi - std::sqrt((1 - u) * width * (hi - mode));
  // Rounding may step one ulp outside [lo, hi].
  return x < lo ? lo : (x > hi ? hi : x);
}

}  // namespace vg
