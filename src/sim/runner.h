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
  std::vector<std::vector<TraceRecord>> trace;     // per replicate, when traced
  std::vector<std::vector<PersonRecord>> persons;  // per replicate, when traced
};

// What a run keeps. Daily rows are needed only for timeseries.csv: `compare` and `plan` use the
// per-replicate totals, so they drop each (replicate, town)'s rows as soon as it finishes, and
// memory follows villages x replicates, not x days.
struct RunOptions {
  bool trace = false;
  bool keep_days = true;
  PhaseTimes* phases = nullptr;  // if not null: the simulation's time by phase, summed over threads
};

RunResult run_model(const Model& model, const RunOptions& options);
inline RunResult run_model(const Model& model, bool trace = false) { return run_model(model, RunOptions{trace}); }

// Bytes a run of `model` is expected to hold at its peak: the population, the per-replicate daily
// rows, and the rendered timeseries (an estimate, generous rather than tight; bench/RESULTS.md).
size_t estimate_run_bytes(const Model& model, bool trace, bool keep_days = true);
// Refuses, before anything is allocated, a run that would not fit in the memory available now
// (config::allocatable_bytes), with the estimate and the available memory in the message, at the scenario file.
// Throws InputError (exit 2: the request has to change).
void check_memory(const Model& model, bool trace, bool keep_days = true);

}  // namespace vg::sim
