// Runs every (replicate, town) pair of a model in parallel with oneTBB and assembles one result per
// replicate. Each pair draws only from streams keyed by (seed, replicate, entity, day, purpose) and
// writes only its own slot, so results are identical whatever the thread count.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "metrics/results.h"
#include "sim/engine.h"
#include "sim/model.h"

namespace vg::store {
class ResultsStore;
}

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
  // Replicates not to simulate (finished in an earlier run, read back from a results store): a
  // nonzero skip[r] leaves replicate r's slots of the result empty for the caller to fill. Each
  // replicate draws from its own streams, so the others come out as they would in a full run.
  std::vector<char> skip{};
  // Called for each replicate simulated, as soon as its last town finishes: from a worker thread,
  // never two at once, in whatever order replicates finish.
  std::function<void(int replicate, const metrics::ReplicateResult&)> on_replicate{};
  // With a results store (not with `trace`): the run is configuration `configuration` of the store
  // (named `name`, described by `description`); the replicates the store holds for it are read back
  // instead of simulated, and each replicate simulated is recorded as soon as it finishes.
  store::ResultsStore* store = nullptr;
  int configuration = 0;
  std::string name{}, description{};
  bool by_task = true;  // the store keeps counts by guideline and task kind (plan's runs keep none)
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
