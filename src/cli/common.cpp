#include "cli/common.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#ifndef VILLAGEGRID_SOURCE_DIR
#define VILLAGEGRID_SOURCE_DIR "."
#endif

namespace vg::cli {

std::string default_scenario() {
  const char* home = std::getenv("VILLAGEGRID_HOME");
  std::filesystem::path root = home ? std::filesystem::path(home) : std::filesystem::path(VILLAGEGRID_SOURCE_DIR);
  return (root / "scenarios" / "pushan-2020.yaml").string();
}

void print_diagnostics(const Diagnostics& d) {
  if (!d.empty()) std::cerr << d.format();
}

sim::Overrides CommonRunOptions::overrides() const {
  sim::Overrides ov;
  if (seed >= 0) ov.seed = uint64_t(seed);
  if (replicates > 0) ov.replicates = replicates;
  return ov;
}

std::unique_ptr<tbb::global_control> CommonRunOptions::limit_threads() const {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, size_t(threads));
}

void CommonRunOptions::add_to(CLI::App* cmd, const std::string& default_out, int min_replicates) {
  cmd->add_option("--out", out, "Output folder (default: " + default_out + ")");
  cmd->add_option("--replicates", replicates, "Replicates (overrides the scenario)")
      ->check(CLI::Range(min_replicates, 1000000));
  cmd->add_option("--seed", seed, "Random seed (overrides the scenario)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 4096));
}

}  // namespace vg::cli
