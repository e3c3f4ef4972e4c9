// The epidemic model (src/epidemic): cost per simulated day for a village with an outbreak and for
// a large town with few infections. Items are agent-days (residents x days), the unit of
// bench/RESULTS.md's macro figures; since only infected people are visited, the rate grows as
// infections become rarer. Each iteration is one replicate (reset, seed, run all days).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "epidemic/disease_model.h"
#include "epidemic/epidemic.h"
#include "population/population.h"
#include "spec/scenario.h"

namespace {

using vg::epidemic::DiseaseModel;
using vg::epidemic::Epidemic;
using vg::epidemic::Parameters;

vg::population::Population town(int villages, int residents, int groups) {
  vg::config::ScenarioSpec spec;
  spec.seed = 20200124;
  vg::config::TownSpec t;
  t.name = "T";
  for (int v = 0; v < villages; ++v) {
    vg::config::VillageSpec vs;
    vs.name = "V" + std::to_string(v);
    vs.residents = residents;
    vs.mean_household_size = 3.9;
    vs.villager_groups = groups;
    t.villages.push_back(vs);
  }
  spec.towns.push_back(t);
  return vg::population::build_population(spec);
}

// Runs `days` days of one replicate per iteration from `seeds` imported cases on day 0.
void run(benchmark::State& state, const vg::population::Population& pop, const DiseaseModel& model, int seeds,
         int days) {
  Epidemic e(model, pop, 0, 42, 0);
  const uint32_t n = uint32_t(pop.persons());
  uint32_t rep = 0;
  int64_t infections = 0, transitions = 0;
  for (auto _ : state) {
    e.reset(rep++);
    for (int k = 0; k < seeds; ++k) e.seed_infection(uint32_t(k) * (n / uint32_t(seeds)) + 7, 0);
    for (int d = 0; d < days; ++d) transitions += int64_t(e.step(d).size());
    infections += int64_t(e.cases().size());
    benchmark::DoNotOptimize(e.cases().data());
  }
  const auto iterations = int64_t(state.iterations());
  state.SetItemsProcessed(iterations * int64_t(n) * days);
  state.counters["infections_per_run"] = double(infections) / double(iterations);
  state.counters["transitions_per_run"] = double(transitions) / double(iterations);
}

// Pushan-sized village (6,400 residents, households of mean 3.9, 16 villager groups), default
// parameters (R0 2.2), 5 imported cases, 120 days: an unchecked outbreak infecting most of it.
void BM_EpidemicVillageOutbreak(benchmark::State& state) {
  static const auto pop = town(1, 6400, 16);
  static const DiseaseModel model(Parameters{}, pop);
  run(state, pop, model, 5, 120);
}
BENCHMARK(BM_EpidemicVillageOutbreak)->Unit(benchmark::kMillisecond);

// A town of 200,000 (20 villages of 10,000), default parameters, 3 imported cases, 60 days: a few
// thousand infections at most, so nearly every person-day costs nothing.
void BM_EpidemicTownFewInfections(benchmark::State& state) {
  static const auto pop = town(20, 10000, 25);
  static const DiseaseModel model(Parameters{}, pop);
  run(state, pop, model, 3, int(state.range(0)));
}
BENCHMARK(BM_EpidemicTownFewInfections)->Arg(30)->Arg(60)->Unit(benchmark::kMillisecond);

// Building the per-town state from scratch (15 bytes a person) versus reset(), which touches only
// the people who changed: what an engine pays per replicate if it does not keep one per thread.
void BM_EpidemicTownConstruct(benchmark::State& state) {
  static const auto pop = town(20, 10000, 25);
  static const DiseaseModel model(Parameters{}, pop);
  for (auto _ : state) {
    Epidemic e(model, pop, 0, 42, 0);
    benchmark::DoNotOptimize(e.persons());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(pop.persons()));
}
BENCHMARK(BM_EpidemicTownConstruct)->Unit(benchmark::kMicrosecond);

// Calibration (course integration and household bisection), once per model.
void BM_EpidemicCalibrate(benchmark::State& state) {
  static const auto pop = town(1, 6400, 16);
  for (auto _ : state) benchmark::DoNotOptimize(vg::epidemic::calibrate(Parameters{}, pop));
}
BENCHMARK(BM_EpidemicCalibrate)->Unit(benchmark::kMillisecond);

}  // namespace
