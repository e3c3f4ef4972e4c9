// Counter-based random numbers. Every random decision in a run is a pure function of
// (seed, replicate, entity, day, purpose, draw index), so results do not depend on thread count,
// scheduling, or the order in which entities are visited, and any single draw can be recomputed
// in isolation when explaining a run.
//
// The generator is Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy
// as 1, 2, 3", SC'11; reference implementation Random123). Every transform from raw bits to a
// distribution is written here rather than taken from <random>, whose distributions are
// implementation-defined: the same key gives bit-identical integers on every compiler and platform,
// and bit-identical doubles wherever the C math library agrees on log/log1p/exp/pow/cos (random.cpp
// forbids fused multiply-adds itself; code outside it that post-processes draws should be built
// with -ffp-contract=off too if it must match across FMA and non-FMA targets).
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vg {

namespace philox_detail {

inline constexpr uint32_t kMul0 = 0xD2511F53u;
inline constexpr uint32_t kMul1 = 0xCD9E8D57u;
inline constexpr uint32_t kWeyl0 = 0x9E3779B9u;  // golden ratio
inline constexpr uint32_t kWeyl1 = 0xBB67AE85u;  // sqrt(3) - 1

constexpr void apply_round(std::array<uint32_t, 4>& ctr, const std::array<uint32_t, 2>& key) {
  const uint64_t p0 = uint64_t{kMul0} * ctr[0];
  const uint64_t p1 = uint64_t{kMul1} * ctr[2];
  ctr = {static_cast<uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<uint32_t>(p0)};
}

constexpr void bump_key(std::array<uint32_t, 2>& key) {
  key[0] += kWeyl0;
  key[1] += kWeyl1;
}

}  // namespace philox_detail

// Philox4x32 with 10 rounds: a bijection of the 128-bit counter under a 64-bit key. Matches
// Random123's philox4x32_R(10, ctr, key) word for word, including its known-answer vectors.
constexpr std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> ctr, std::array<uint32_t, 2> key) {
  using philox_detail::apply_round;
  using philox_detail::bump_key;
#if defined(__SSE2__)
  // The same rounds on SSE2 registers (every x86-64 has them): one instruction multiplies both
  // pairs, so a round is 6 instructions instead of about 14. Integer operations only: the words
  // are the same (the known-answer tests run both this and the constant-evaluated path below).
  if (!std::is_constant_evaluated()) {
    __m128i c = _mm_setr_epi32(int(ctr[0]), int(ctr[1]), int(ctr[2]), int(ctr[3]));
    __m128i k = _mm_setr_epi32(int(key[0]), 0, int(key[1]), 0);  // lanes 1 and 3 stay 0
    const __m128i mul = _mm_setr_epi32(int(philox_detail::kMul0), 0, int(philox_detail::kMul1), 0);
    const __m128i weyl = _mm_setr_epi32(int(philox_detail::kWeyl0), 0, int(philox_detail::kWeyl1), 0);
    auto round = [&] {
      // 32-bit lanes of the products: {lo p0, hi p0, lo p1, hi p1}, p0 = c0 * kMul0, p1 = c2 * kMul1.
      const __m128i prod = _mm_mul_epu32(c, mul);
      // {hi p1 ^ c1 ^ k0, lo p1, hi p0 ^ c3 ^ k1, lo p0}: the products' lanes reversed, xored
      // with {c1, 0, c3, 0} (c shifted down a word in each half) and the key.
      c = _mm_xor_si128(_mm_xor_si128(_mm_shuffle_epi32(prod, _MM_SHUFFLE(0, 1, 2, 3)), _mm_srli_epi64(c, 32)), k);
    };
    for (int r = 0; r < 9; ++r) {
      round();
      k = _mm_add_epi32(k, weyl);
    }
    round();
    alignas(16) std::array<uint32_t, 4> out;
    _mm_store_si128(reinterpret_cast<__m128i*>(out.data()), c);
    return out;
  }
#endif
  // Unrolled at compile time (a fold over 9 rounds, then the last): GCC at -O2 keeps a 10-trip loop
  // rolled, which costs about 40% here.
  [&]<size_t... R>(std::index_sequence<R...>) { ((apply_round(ctr, key), bump_key(key), void(R)), ...); }
  (std::make_index_sequence<9>{});
  apply_round(ctr, key);
  return ctr;
}

// What a stream is for. The numeric values enter the Philox counter, so they are part of the
// output contract: renumbering one changes every result drawn for it. Only ever append.
enum class Purpose : uint16_t {
  Population = 1,
  HouseholdSize = 2,
  Returnee = 3,
  Origin = 4,
  Arrival = 5,
  ArrivalTime = 6,
  TeamChoice = 7,
  Infection = 8,
  Transmission = 9,
  Detection = 10,
  Supplies = 11,
  Staff = 12,
  SelfReport = 13,       // whether and when a returnee reports themselves (finding)
  HouseholdFind = 14,    // whether a household visit finds a returnee at home
  CheckpointFind = 15,   // whether a staffed checkpoint registers a returnee passing it
  VisitDetect = 16,      // whether a household visit notices a person's symptoms
  NeighbourReport = 17,  // whether a neighbour or group leader reports an unregistered returnee that day
};

// Identifies one stream. Streams are keyed by what the numbers are for, never by which thread
// draws them; two keys differing in any field give unrelated sequences.
struct StreamKey {
  uint64_t seed = 0;
  uint32_t replicate = 0;
  uint32_t entity = 0;
  uint16_t day = 0;
  Purpose purpose = Purpose::Population;
};

// One sequence of random numbers. Philox key = {low, high} 32 bits of the seed; counter =
// {entity, replicate, (day << 16) | purpose, block}, where block counts the 4-word Philox outputs
// already consumed. Words are handed out in block order, word 0 first. A stream yields 2^34 words
// before its block counter wraps (far beyond any single entity-day-purpose).
//
// The stream is 44 bytes and trivially copyable: a copy continues the same sequence independently.
// No member keeps hidden state between draws beyond the word position (normal() discards the second
// Box-Muller value rather than caching it), so a draw's value depends only on the key and on how
// many words came before it.
//
// Words consumed per draw (so callers can reason about what shifts when a parameter changes):
//   next_u32: 1. next_u64, uniform, uniform(a,b), bernoulli, exponential, categorical,
//   triangular, weibull: 2. normal, lognormal: 4. poisson(mean < 30) and binomial on its inversion
//   path (n * min(p, 1 - p) < 30): 2, including degenerate parameters (mean <= 0, n == 0, p <= 0,
//   p >= 1), so those draws are monotone in the uniform and a parameter change never shifts later
//   draws. below: 1, more on rare rejections. poisson(mean >= 30), binomial otherwise, gamma:
//   variable (rejection samplers).
//
// Preconditions are checked with assert; in release builds a violated one gives a defined but
// meaningless value, never undefined behaviour.
class RandomStream {
 public:
  explicit constexpr RandomStream(const StreamKey& k)
      : key_{static_cast<uint32_t>(k.seed), static_cast<uint32_t>(k.seed >> 32)},
        base_{k.entity, k.replicate,
              (uint32_t{k.day} << 16) | static_cast<uint32_t>(static_cast<uint16_t>(k.purpose))} {}

  // Uniform on all 32-bit values.
  uint32_t next_u32() {
    if (pos_ == 4) refill();
    return buf_[pos_++];
  }
  // Uniform on all 64-bit values; the first word drawn is the low half.
  uint64_t next_u64() {
    const uint64_t lo = next_u32();
    const uint64_t hi = next_u32();
    return (hi << 32) | lo;
  }
  // Uniform on [0, 1): a multiple of 2^-53, every one equally likely.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1p-53; }
  // Uniform on [a, b) for a < b (rounding that would reach b is pulled back below it).
  double uniform(double a, double b);
  // True with probability p: never for p <= 0 (or NaN), always for p >= 1. Returns uniform() < p,
  // so for a fixed stream position the outcome is monotone in p.
  bool bernoulli(double p) { return uniform() < p; }
  // Uniform integer on [0, n), exactly unbiased (Lemire 2019, multiply-shift with rejection).
  // Requires n > 0; returns 0 for n == 0.
  uint32_t below(uint32_t n);
  // Exponential with the given rate (> 0), by inversion: -log(1 - u) / rate.
  double exponential(double rate);
  // Standard normal by Box-Muller from two uniforms; the sine partner is discarded so no state is
  // carried between calls.
  double normal();
  // Poisson with the given mean (<= about 1e9 so the result fits). Inversion by sequential search
  // for mean < 30; PTRS transformed rejection (Hormann 1993) otherwise. Both exact.
  uint32_t poisson(double mean);
  // Binomial(n, p), exact. Inversion by sequential search when n * min(p, 1 - p) < 30; BTRD
  // (Hormann 1993) otherwise; p > 1/2 is drawn as n - Binomial(n, 1 - p).
  uint32_t binomial(uint32_t n, double p);
  // Gamma with shape > 0 and scale > 0 (mean shape * scale). Marsaglia-Tsang (2000); shape < 1 is
  // boosted as Gamma(shape + 1) * u^(1 / shape).
  double gamma(double shape, double scale);
  // exp(mu + sigma * normal()).
  double lognormal(double mu, double sigma);
  // Weibull with shape k > 0 and scale lambda > 0, by inversion: lambda * (-log(1 - u))^(1/k).
  double weibull(double shape, double scale);
  // Index i with probability (cumulative[i] - cumulative[i-1]) / cumulative.back(). Weights must be
  // non-decreasing with a positive total; zero-weight entries are never returned. An empty span
  // gives 0 without drawing.
  size_t categorical(std::span<const double> cumulative);
  // Triangular on [lo, hi] with the given mode (lo <= mode <= hi), by inversion.
  double triangular(double lo, double mode, double hi);

 private:
  void refill() {
    assert(block_ != UINT32_MAX && "stream exhausted: 2^34 words drawn");
    buf_ = philox4x32_10({base_[0], base_[1], base_[2], block_++}, key_);
    pos_ = 0;
  }

  std::array<uint32_t, 2> key_;
  std::array<uint32_t, 3> base_;
  uint32_t block_ = 0;
  std::array<uint32_t, 4> buf_{};
  uint8_t pos_ = 4;  // 4 = buffer empty
};

static_assert(std::is_trivially_copyable_v<RandomStream>);
static_assert(sizeof(RandomStream) <= 48);

inline uint32_t RandomStream::below(uint32_t n) {
  assert(n > 0);
  uint64_t m = uint64_t{next_u32()} * n;
  auto low = static_cast<uint32_t>(m);
  if (low < n) {
    // 2^32 mod n: the number of products whose low half must be rejected so every result has
    // exactly floor(2^32 / n) preimages. Computed only here because the branch is rare.
    const uint32_t threshold = static_cast<uint32_t>(-n) % n;
    while (low < threshold) {
      m = uint64_t{next_u32()} * n;
      low = static_cast<uint32_t>(m);
    }
  }
  return static_cast<uint32_t>(m >> 32);
}

}  // namespace vg
