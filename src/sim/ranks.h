// The processes a run is split over: MPI ranks under `mpirun` (src/cli/mpi.cpp installs them), one
// process otherwise. run_model (sim/runner.h) gives each rank a share of the (replicate, town)
// pairs, and every rank ends with the whole result, so `plan` takes the same decisions on every
// rank; only rank 0 writes outputs (docs/running-across-machines.md). Nothing here knows MPI.
#pragma once

#include <string>
#include <vector>

namespace vg::sim {

class Ranks {
 public:
  Ranks() = default;
  Ranks(const Ranks&) = delete;
  Ranks& operator=(const Ranks&) = delete;
  virtual ~Ranks() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  // Collective: every rank's `mine`, in rank order, on every rank.
  virtual std::vector<std::string> all_gather(const std::string& mine) { return {mine}; }
  // Collective: rank 0's `bytes` on every rank.
  virtual void broadcast(std::string& bytes) { (void)bytes; }
};

// The process's ranks: one, unless set_ranks installed others (main, before any thread starts;
// the object must outlive every run).
Ranks& ranks();
void set_ranks(Ranks* r);
// Whether this process writes outputs and prints: rank 0.
inline bool is_root() { return ranks().rank() == 0; }

}  // namespace vg::sim
