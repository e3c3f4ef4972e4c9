// A deliberate data race between two oneTBB tasks, with the runner's happens-before annotations
// (core/tsan.h) around the parallel region exactly as src/sim/runner.cpp has them. Built only in
// the ThreadSanitizer build; tools/sanitize.sh runs it and requires TSan to report the race: proof
// that the annotations, which hide the reports at TBB's hand-off and join, do not hide a real
// race between tasks (such as two towns writing one slot).
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cstdio>
#include <vector>

#include "core/tsan.h"

int main() {
  tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
  std::vector<long> slots(2, 0);
  long shared = 0;              // the race: both tasks add to it without synchronisation
  std::atomic<int> started{0};  // relaxed: makes the tasks overlap without ordering them for TSan
  vg::published(&slots);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, 2, 1), [&](const tbb::blocked_range<size_t>& r) {
    vg::received(&slots);
    started.fetch_add(1, std::memory_order_relaxed);
    for (int spin = 0; started.load(std::memory_order_relaxed) < 2 && spin < 100'000'000; ++spin) {}
    for (size_t k = r.begin(); k < r.end(); ++k) {
      slots[k] = long(k) + 1;
      shared += slots[k];
      vg::published(&slots[k]);
    }
  });
  for (const long& s : slots) vg::received(&s);
  std::printf("sum %ld\n", shared);
  return 0;
}
