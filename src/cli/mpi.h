// MPI for `mpirun -np K villagegrid run|compare|plan ...` (docs/running-across-machines.md): the
// only file that calls MPI. Built with -DVILLAGEGRID_MPI=ON (tools/test.sh); without it, a binary
// started by mpirun with more than one rank refuses to run (each would write the same outputs).
// MPI starts only under a launcher (its environment says so), so a plain `villagegrid ...` never
// touches it.
#pragma once

#include <memory>

#include "sim/ranks.h"

namespace vg::cli {

class MpiSession {
 public:
  // Starts MPI when launched by mpirun (or a PMI launcher) and keeps its ranks for use_ranks.
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return ranks_ ? ranks_->rank() : 0; }
  int size() const { return ranks_ ? ranks_->size() : 1; }
  // Installs the ranks for a command that splits its work (run, compare, plan); the others run
  // on rank 0 alone.
  void use_ranks(bool split) const;
  // Ends every rank with `code` (one rank failing alone would leave the others waiting).
  [[noreturn]] void abort(int code) const;

 private:
  std::unique_ptr<sim::Ranks> ranks_;
};

}  // namespace vg::cli
