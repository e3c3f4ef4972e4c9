// Stepping an exercise (src/exercise/, docs/exercises.md): what one step costs - the model rebuilt
// from the exercise file with the log's injects and decisions, the whole horizon simulated for the
// live replicate, and the players' screen computed. Pushan (the shipped drill, 14 days) and a town
// of 12 villages of 3,250 residents each (written here, 14 days, Pushan's policy).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "exercise/view.h"

namespace {

namespace fs = std::filesystem;
using vg::exercise::Log;
using vg::exercise::Session;

const std::string kSource = VILLAGEGRID_SOURCE_DIR;

// A town of 12 villages like Maoming's average village (scenarios/maoming-villages.yaml's Longshan).
std::string twelve_village_exercise() {
  const fs::path dir = fs::temp_directory_path() / "vg-bench-exercise";
  fs::create_directories(dir);
  std::string s = "scenario: {name: twelve, start_date: 2020-01-24, horizon_days: 14, seed: 1, replicates: 1}\n";
  s += "policy:\n  rules:\n";
  for (const char* r : {"vocabulary", "returnees", "detection", "supplies", "tracking/five-plus-one"})
    s += "    - " + kSource + "/rules/" + r + ".yaml\n";
  s += "region:\n  towns:\n    - name: Twelve\n      county: C\n      staff: {town_cadre: {count: 6, hours_per_day: "
       "8}}\n"
       "      villages:\n";
  for (int v = 1; v <= 12; ++v)
    s += "        - {name: V" + std::to_string(v) +
         ", residents: 3250, mean_household_size: 3.9, villager_groups: 8, party_members: 53, returnees: 812, staff: "
         "{first_secretary: {count: 1, hours_per_day: 12, seconded: true}, village_cadre: {count: 4, hours_per_day: "
         "10}, village_doctor: {count: 2, hours_per_day: 10}, party_member: {count: 30, hours_per_day: 2, max_teams: "
         "2}, neighbour: {count: 61, hours_per_day: 1, max_teams: 1}}}\n";
  s += "returnees:\n  origin_mix: {key_area: 0.018125, other_province: 0.45, within_province: 0.531875}\n"
       "  arrival_days: {first: -20, peak: -3, last: 10}\n"
       "supplies:\n  funds_per_village: 7800\n  stocks: {masks: 400, thermometer_guns: 2, disinfectant: 20, gloves: "
       "200}\n  channels:\n"
       "    - {name: onsite_purchase, lead_days: 0, max_per_request: 200, unit_cost: {masks: 3.0}}\n"
       "    - {name: online, lead_days: 3, max_per_request: 1000, unit_cost: {masks: 1.5}}\n"
       "    - {name: sending_unit, lead_days: 1, max_per_request: 2000, unit_cost: {masks: 0}}\n";
  std::ofstream(dir / "twelve.yaml") << s;
  std::ofstream(dir / "twelve-exercise.yaml")
      << "exercise: {name: twelve-drill, scenario: twelve.yaml}\n"
         "players:\n  - {team: all, villages: [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12]}\n"
         "msel:\n  - {id: surge, day: 3, hour: 8, synopsis: a surge, player: all,\n"
         "     effect: {surge: {village: V1, origin: key_area, returnees: 100}}}\n";
  return (dir / "twelve-exercise.yaml").string();
}

void step(benchmark::State& st, const std::string& file) {
  Log log;
  log.exercise = file;
  Session s(log);
  s.advance_to(7);
  s.record(s.check(s.names().villages.size() > 1 ? "add 2 village_cadre to V1" : "add 2 village_cadre to Pushan", {}));
  for (auto _ : st) {
    auto v = vg::exercise::compute_view(s);
    benchmark::DoNotOptimize(v);
  }
}

void BM_ExerciseStepPushan(benchmark::State& st) {
  step(st, kSource + "/scenarios/exercises/spring-festival-drill.yaml");
}
BENCHMARK(BM_ExerciseStepPushan)->Unit(benchmark::kMillisecond);

void BM_ExerciseStepTwelveVillages(benchmark::State& st) { step(st, twelve_village_exercise()); }
BENCHMARK(BM_ExerciseStepTwelveVillages)->Unit(benchmark::kMillisecond);

}  // namespace
