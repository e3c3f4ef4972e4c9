// Small drivers shared by the epidemic tests.
#pragma once

#include <cstdint>
#include <vector>

#include "epidemic/epidemic.h"

namespace vg::epidemic::testing {

// People infected and not yet recovered (running counts, imports included).
inline int64_t active_infections(const Epidemic& e) {
  int64_t n = 0;
  for (uint32_t v = e.villages().begin; v < e.villages().end; ++v) {
    const DayCounts& c = e.current(v);
    n += c[State::Exposed] + c[State::Presymptomatic] + c[State::Symptomatic] + c[State::Asymptomatic];
  }
  return n;
}

// Steps until no one is infected any more (or max_days); returns the number of days stepped.
inline int run_to_end(Epidemic& e, int max_days = 1000) {
  int days = 0;
  while (days < max_days && (days == 0 || active_infections(e) > 0)) {
    e.step(e.day());
    ++days;
  }
  return days;
}

// Everyone who was ever infected, as a share of the people in scope.
inline double attack_rate(const Epidemic& e) { return double(e.cases().size()) / double(e.persons().size()); }

}  // namespace vg::epidemic::testing
