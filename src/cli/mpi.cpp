#include "cli/mpi.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef VILLAGEGRID_MPI
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <climits>
#endif

namespace vg::cli {

namespace {

// The ranks a launcher started, from its environment (OpenMPI's mpirun, MPICH's and Slurm's PMI);
// 0 when no launcher started this process.
int launched_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return 0;
}

#ifdef VILLAGEGRID_MPI

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

int as_count(size_t n) {
  if (n > size_t(INT_MAX)) throw std::runtime_error("MPI: a rank's results exceed 2 GiB; use fewer replicates per run");
  return int(n);
}

class MpiRanks : public sim::Ranks {
 public:
  MpiRanks() {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::string> all_gather(const std::string& mine) override {
    int n = as_count(mine.size());
    const auto ranks = static_cast<size_t>(size_);
    std::vector<int> counts(ranks), offsets(ranks);
    check(MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    size_t total = 0;
    for (size_t r = 0; r < counts.size(); ++r) {
      offsets[r] = as_count(total);
      total += size_t(counts[r]);
    }
    as_count(total);
    std::string all(total, '\0');
    check(MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    std::vector<std::string> out;
    for (size_t r = 0; r < counts.size(); ++r) out.push_back(all.substr(size_t(offsets[r]), size_t(counts[r])));
    return out;
  }

  void broadcast(std::string& bytes) override {
    unsigned long long n = bytes.size();
    check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(size_t(n));
    check(MPI_Bcast(bytes.data(), as_count(size_t(n)), MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
  }

 private:
  int rank_ = 0, size_ = 1;
};

#endif

}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  if (launched_size() <= 0) return;
#ifdef VILLAGEGRID_MPI
  int provided = 0;
  // Only the main thread calls MPI (between parallel regions).
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  ranks_ = std::make_unique<MpiRanks>();
#else
  (void)argc;
  (void)argv;
  if (launched_size() > 1) {
    std::fprintf(stderr,
                 "villagegrid: started by mpirun with %d ranks, but this build has no MPI: each rank would run "
                 "everything and write the same outputs. Build with -DVILLAGEGRID_MPI=ON "
                 "(docs/running-across-machines.md), or run one process\n",
                 launched_size());
    std::exit(1);
  }
#endif
}

MpiSession::~MpiSession() {
  sim::set_ranks(nullptr);
#ifdef VILLAGEGRID_MPI
  if (ranks_) MPI_Finalize();
#endif
}

void MpiSession::use_ranks(bool split) const { sim::set_ranks(split ? ranks_.get() : nullptr); }

void MpiSession::abort(int code) const {
#ifdef VILLAGEGRID_MPI
  if (ranks_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::_Exit(code);
}

}  // namespace vg::cli
