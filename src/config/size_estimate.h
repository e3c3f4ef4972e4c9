// How big a scenario's world is, from its spec alone (generated regions included): people,
// households, staff and the memory a run will hold, so that an absurd region is refused with the
// figures before anything is built, not by bad_alloc or the OOM killer halfway through.
#pragma once

#include <cstdint>
#include <optional>

#include "core/diagnostics.h"
#include "spec/scenario.h"

namespace vg::config {

struct SizeEstimate {
  uint64_t towns = 0, villages = 0, groups = 0, households = 0, people = 0, returnees = 0, staff = 0;
  uint64_t bytes = 0;  // population and one replicate's simulation state, generous (bench/RESULTS.md)
};

SizeEstimate estimate_size(const ScenarioSpec& spec);

// Bytes this process may still allocate: the smaller of the memory available (MemAvailable) and
// the address-space limit (RLIMIT_AS) less what the process already maps; nullopt if unknown.
std::optional<uint64_t> allocatable_bytes();

// Errors, at the region, when the world does not fit the index types (people, households and staff
// are counted in 32 bits) or its estimated memory exceeds `allocatable` (when known).
void check_size(const ScenarioSpec& spec, std::optional<uint64_t> allocatable, Diagnostics& d);

}  // namespace vg::config
