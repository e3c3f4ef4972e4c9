// Parsing and checking wide YAML files: duplicate keys are found by hash and source lines by an
// index of line starts, so a file's cost grows linearly with its keys (bench/RESULTS.md).
#include <benchmark/benchmark.h>

#include <string>

#include "config/yaml_doc.h"

namespace {

void BM_ParseWideMap(benchmark::State& state) {
  const int keys = int(state.range(0));
  std::string text;
  for (int i = 0; i < keys; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  vg::config::YamlLimits limits;
  limits.max_nodes = size_t(2 * keys + 10);
  limits.max_file_bytes = text.size() + 1;
  for (auto _ : state) {
    vg::Diagnostics d;
    auto root = vg::config::parse_yaml("wide.yaml", text, d, limits);
    benchmark::DoNotOptimize(root);
  }
  state.SetItemsProcessed(state.iterations() * keys);
}
BENCHMARK(BM_ParseWideMap)->Arg(20'000)->Arg(200'000)->Unit(benchmark::kMillisecond);

}  // namespace
