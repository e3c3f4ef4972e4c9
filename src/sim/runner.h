// Runs every (replicate, town) pair of a model in parallel with oneTBB and assembles one result per
// replicate. Each pair draws only from streams keyed by (seed, replicate, entity, day, purpose) and
// writes only its own slot, so results are identical whatever the thread count.
#pragma once

#include <vector>

#include "metrics/results.h"
#include "sim/engine.h"
#include "sim/model.h"

namespace vg::sim {

struct RunResult {
  std::vector<metrics::ReplicateResult> replicates;
  std::vector<std::vector<TraceRecord>> trace;   // per replicate, when traced
  std::vector<std::vector<PersonRecord>> persons;  // per replicate, when traced
};

RunResult run_model(const Model& model, bool trace = false);

}  // namespace vg::sim
