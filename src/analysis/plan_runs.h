// Plan's runs of the model, (replicate, town) pair by pair: a round of the search simulates only
// the towns that have a question, each on the replicates its question needs (towns never share
// staff, and each pair draws only from streams keyed by (seed, replicate, entity, day, purpose), so
// a pair's result is the one a run of the whole model would give). With a results store, each call
// is one configuration of it and each replicate is recorded once its pairs are done (the towns not
// simulated left empty), so a killed plan resumes; under mpirun the pairs are dealt over the ranks.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "metrics/results.h"
#include "sim/model.h"

namespace vg::store {
class ResultsStore;
}

namespace vg::sim {

// What plan reads of one (replicate, town) pair.
struct TownTotals {
  std::vector<metrics::VillageTotals> villages;  // the town's villages, in order
  std::vector<metrics::RoleTotals> roles;
};

struct TownPair {
  int replicate = 0;
  size_t town = 0;
  bool operator<(const TownPair& o) const { return replicate != o.replicate ? replicate < o.replicate : town < o.town; }
  bool operator==(const TownPair& o) const { return replicate == o.replicate && town == o.town; }
};

struct PairRunOptions {
  store::ResultsStore* store = nullptr;
  int configuration = 0;
  std::string name{}, description{};
  // Progress: replicates queued (those with a pair to simulate), and each one finished.
  std::function<void(size_t)> on_queued{};
  std::function<void()> on_replicate{};
};

struct PairRunResult {
  std::vector<TownTotals> totals;  // per pair, in the order asked
  size_t pairs = 0;                // pairs run: simulated, or read back from the store (the same count either way)
  size_t replicates = 0;           // replicates with at least one pair
};

// Simulates `pairs` (distinct) of `model` as it stands (its rosters built).
PairRunResult run_pairs(const Model& model, const std::vector<TownPair>& pairs, const PairRunOptions& options);

}  // namespace vg::sim
