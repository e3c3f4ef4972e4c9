// What runner.cpp (one process) and runner_ranks.cpp (several ranks) share.
#pragma once

#include <map>
#include <vector>

#include "sim/engine.h"
#include "sim/runner.h"

namespace vg::sim::detail {

// Replicate `rep`'s result from its towns' outputs (outputs[rep * towns + town], each emptied), in
// town order, so the same whenever and wherever they ran.
void assemble(const Model& model, size_t rep, std::vector<TownOutput>& outputs, RunResult& result, bool trace);
// Opens the run's configuration in options.store: the replicates the store already holds.
std::map<int, metrics::ReplicateResult> open_store(const Model& model, const RunOptions& options);
// run_model over several ranks (sim/ranks.h): each simulates a share of the (replicate, town)
// pairs, every rank gets the whole result; rank 0 alone reads and writes options.store.
RunResult run_ranks(const Model& model, const RunOptions& options);

}  // namespace vg::sim::detail
