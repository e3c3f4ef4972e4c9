// Happens-before edges for ThreadSanitizer where the library that makes them is not instrumented.
// oneTBB (Debian's build) hands tasks to its worker threads and joins them through its own
// lock-free queues and waits, compiled without -fsanitize=thread, so TSan sees neither the
// hand-off nor the join and would report every write before a parallel_for and every read after
// it as a race (about 300 reports, all at those two points). The runner states the two edges it
// relies on with these calls: `published(x)` before a parallel region hands x to the workers (or
// when a worker is done with its slot x), `received(x)` where the other side starts using it.
// Everything else TSan checks as usual, so a real race between two tasks still shows
// (tests/sanitize/tsan_canary.cpp proves it under tools/sanitize.sh tsan). Without TSan both are
// empty inline functions.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define VILLAGEGRID_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VILLAGEGRID_TSAN 1
#endif
#endif

#ifdef VILLAGEGRID_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace vg {

#ifdef VILLAGEGRID_TSAN
inline void published(const void* x) { __tsan_release(const_cast<void*>(x)); }
inline void received(const void* x) { __tsan_acquire(const_cast<void*>(x)); }
#else
inline void published(const void*) {}
inline void received(const void*) {}
#endif

}  // namespace vg
