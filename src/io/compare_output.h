// Output of `villagegrid compare`: a terminal table, compare.csv and compare.json.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/compare.h"
#include "core/atomic_file.h"

namespace vg::io {

struct ComparedConfig {
  std::string name;  // scenario name
  std::string file;  // scenario file as given
};

std::string compare_table(const std::vector<ComparedConfig>& configs, const std::vector<metrics::ComparedMetric>& ms,
                          int replicates, uint64_t seed);
std::string compare_csv(const std::vector<ComparedConfig>& configs, const std::vector<metrics::ComparedMetric>& ms);
std::string compare_json(const std::vector<ComparedConfig>& configs, const std::vector<metrics::ComparedMetric>& ms,
                         int replicates, uint64_t seed, const std::string& version);
// Writes compare.csv and compare.json atomically into `dir`.
void write_compare_outputs(const std::filesystem::path& dir, const std::vector<ComparedConfig>& configs,
                           const std::vector<metrics::ComparedMetric>& ms, int replicates, uint64_t seed,
                           const std::string& version, const OutputExtras& extras = {});

}  // namespace vg::io
