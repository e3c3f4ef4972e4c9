// Output of `villagegrid compare`: a terminal table, compare.csv and compare.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/compare.h"
#include "core/atomic_file.h"

namespace vg::io {

struct ComparedConfig {
  std::string name;      // the scenario's name, made distinct from the others' (distinct_names)
  std::string scenario;  // the scenario's name as its file says
  std::string file;      // scenario file as given
  std::string grid;      // the name of the scenario's grid; "" without one
  // What sets it apart from the first besides its name (rule files, grid, returnees); empty for the
  // first, and for one that differs only in what its file says otherwise (rosters, supplies, ...).
  std::vector<std::string> differs;
  // The grid of each village under a per-village policy with a grid of its own: (village, grid name).
  std::vector<std::pair<std::string, std::string>> village_grids;
};

struct CompareReport {
  std::vector<ComparedConfig> configs;
  std::vector<metrics::ComparedMetric> metrics;  // compare_runs'
  int replicates = 0;
  uint64_t seed = 0;
  std::vector<std::string> warnings;  // e.g. configurations of different regions
  // Every configuration has the same returnees (who, and their origins and arrival waves): replicate
  // k of each then has the same returnees arriving at the same minutes; else pairs match by replicate.
  bool same_returnees = true;
};

// The names, each repeated one given a suffix "-2", "-3", ... (one no other name has).
std::vector<std::string> distinct_names(const std::vector<std::string>& names);
// The metric names `compare` reports (region, then role metrics), for --metrics.
std::vector<std::string> compared_metric_names();

// Configurations as columns, then each one's paired difference against the first; a share's
// difference in percentage points. `only`: the metric names to print (empty: all).
std::string compare_table(const CompareReport& report, const std::vector<std::string>& only = {});
// One row per metric, scope and configuration; numbers with the digits they need, blank when
// undefined (and the first configuration's difference).
std::string compare_csv(const CompareReport& report);
std::string compare_json(const CompareReport& report, const std::string& version);
// Writes compare.csv and compare.json atomically into `dir`.
void write_compare_outputs(const std::filesystem::path& dir, const CompareReport& report, const std::string& version,
                           const OutputExtras& extras = {});

}  // namespace vg::io
