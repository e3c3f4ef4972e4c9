// A deliberate data race between two oneTBB tasks, with the runner's happens-before annotations
// (core/tsan.h) around the parallel region exactly as src/sim/runner.cpp has them. Built only in
// the ThreadSanitizer build; tools/sanitize.sh runs it and requires TSan to report the race: proof
// that the annotations, which hide the reports at TBB's hand-off and join, do not hide a real
// race between tasks (such as two towns writing one slot).
//
// The two tasks take turns at the plain variable, passed between them by a relaxed atomic, which
// orders nothing for TSan. Turns, not a simultaneous start: TSan updates its shadow memory without
// locks, so two accesses made at the same instant on two cores can each miss the other (one CI run
// failed so, and 3 runs in 40 here under load, when the two tasks were started together).
// Accesses a turn apart are seen every time; the first one ends the run (halt_on_error).
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cstdio>
#include <vector>

#include "core/tsan.h"

int main() {
  tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
  constexpr int kTurns = 1000;  // each task's turns at `shared`
  std::vector<long> slots(2, 0);
  // The race: both tasks add to `shared`. `turn` says whose turn it is (turn % 2 == task),
  // relaxed, so it orders nothing for TSan; `spins_left` ends the waiting if one thread ran both.
  long shared = 0;
  std::atomic<int> turn{0};
  std::atomic<long> spins_left{400'000'000};
  vg::published(&slots);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, 2, 1), [&](const tbb::blocked_range<size_t>& r) {
    vg::received(&slots);
    for (size_t k = r.begin(); k < r.end(); ++k) {
      for (int t = 0; t < kTurns; ++t) {
        while (turn.load(std::memory_order_relaxed) % 2 != int(k) &&
               spins_left.fetch_sub(1, std::memory_order_relaxed) > 0) {}
        shared += 1;
        slots[k] += 1;
        turn.fetch_add(1, std::memory_order_relaxed);
      }
      vg::published(&slots[k]);
    }
  });
  for (const long& s : slots) vg::received(&s);
  std::printf("sum %ld of %d\n", shared, 2 * kTurns);
  return 0;
}
