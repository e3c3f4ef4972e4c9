// Throughput of the counter-based generator and of the samplers the simulation leans on most.
// Items are draws (for BM_Philox, 4-word blocks).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "core/random.h"

namespace {

vg::RandomStream bench_stream() { return vg::RandomStream(vg::StreamKey{42, 0, 1, 2, vg::Purpose::Transmission}); }

void BM_Philox(benchmark::State& state) {
  std::array<uint32_t, 4> ctr = {1, 2, 3, 0};
  const std::array<uint32_t, 2> key = {0xdeadbeef, 0x12345678};
  for (auto _ : state) {
    benchmark::DoNotOptimize(vg::philox4x32_10(ctr, key));
    ++ctr[3];
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Philox);

void BM_NextU32(benchmark::State& state) {
  vg::RandomStream s = bench_stream();
  for (auto _ : state) benchmark::DoNotOptimize(s.next_u32());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NextU32);

void BM_Uniform(benchmark::State& state) {
  vg::RandomStream s = bench_stream();
  for (auto _ : state) benchmark::DoNotOptimize(s.uniform());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Uniform);

void BM_Normal(benchmark::State& state) {
  vg::RandomStream s = bench_stream();
  for (auto _ : state) benchmark::DoNotOptimize(s.normal());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normal);

// Arg: mean. 3 takes inversion, 100 and 10000 take PTRS.
void BM_Poisson(benchmark::State& state) {
  vg::RandomStream s = bench_stream();
  const double mean = static_cast<double>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(s.poisson(mean));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Poisson)->Arg(3)->Arg(100)->Arg(10000);

// Args: n, p in percent. (20, 30%) takes inversion; (1000, 50%) and (100000, 30%) take BTRD.
void BM_Binomial(benchmark::State& state) {
  vg::RandomStream s = bench_stream();
  const auto n = static_cast<uint32_t>(state.range(0));
  const double p = static_cast<double>(state.range(1)) / 100;
  for (auto _ : state) benchmark::DoNotOptimize(s.binomial(n, p));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Binomial)->Args({20, 30})->Args({1000, 50})->Args({100000, 30});

}  // namespace
