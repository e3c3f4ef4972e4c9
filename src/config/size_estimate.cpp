#include "config/size_estimate.h"

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

namespace vg::config {

namespace {

// Bytes per element of what a run holds (the population's arrays, the epidemic's and the engine's
// per-person and per-returnee state, the scheduler's per staff member), rounded up: measured runs
// hold about 32 bytes per resident, outputs included (bench/RESULTS.md).
constexpr uint64_t kBytesPerPerson = 32;
constexpr uint64_t kBytesPerHousehold = 16;
constexpr uint64_t kBytesPerReturnee = 96;
constexpr uint64_t kBytesPerStaff = 160;
constexpr uint64_t kBytesPerVillage = 512;  // names, ranges, daily rows' share
constexpr uint64_t kIndexLimit = std::numeric_limits<uint32_t>::max();

uint64_t staff_of(const std::vector<RosterSpec>& rosters) {
  uint64_t n = 0;
  for (const auto& r : rosters) n += uint64_t(std::max(0, r.count));
  return n;
}

std::string with_commas(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

// A size in the unit that shows it (0.0 GiB said nothing of 430 kB).
std::string gib(uint64_t bytes) {
  char buf[32];
  if (bytes < (1ull << 20))
    std::snprintf(buf, sizeof buf, "%.0f KiB", double(bytes) / double(1ull << 10));
  else if (bytes < (1ull << 30))
    std::snprintf(buf, sizeof buf, "%.0f MiB", double(bytes) / double(1ull << 20));
  else
    std::snprintf(buf, sizeof buf, "%.1f GiB", double(bytes) / double(1ull << 30));
  return buf;
}

}  // namespace

SizeEstimate estimate_size(const ScenarioSpec& spec) {
  SizeEstimate e;
  e.towns = spec.towns.size();
  for (const auto& t : spec.towns) {
    e.staff += staff_of(t.staff);
    for (const auto& v : t.villages) {
      ++e.villages;
      const uint64_t residents = uint64_t(std::max(0, v.residents));
      e.people += residents;
      e.groups += uint64_t(std::max(1, v.villager_groups));
      e.households +=
          v.mean_household_size > 0 ? uint64_t(std::ceil(double(residents) / v.mean_household_size)) : residents;
      e.returnees += uint64_t(std::max(0, v.returnees));
      e.staff += staff_of(v.staff);
    }
  }
  e.bytes = e.people * kBytesPerPerson + e.households * kBytesPerHousehold + e.returnees * kBytesPerReturnee +
            e.staff * kBytesPerStaff + e.villages * kBytesPerVillage;
  return e;
}

std::optional<uint64_t> allocatable_bytes() {
  std::optional<uint64_t> avail;
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  uint64_t kb = 0;
  while (meminfo >> key >> kb >> unit)
    if (key == "MemAvailable:") avail = kb * 1024;
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    // What the process maps already (its code, libraries, the parsed files) counts against the limit.
    uint64_t mapped = 0;
    std::ifstream status("/proc/self/status");
    while (status >> key) {
      if (key == "VmSize:" && status >> kb) mapped = kb * 1024;
    }
    const uint64_t room = uint64_t(as.rlim_cur) > mapped ? uint64_t(as.rlim_cur) - mapped : 0;
    avail = avail ? std::min(*avail, room) : room;
  }
  return avail;
}

void check_size(const ScenarioSpec& spec, std::optional<uint64_t> allocatable, Diagnostics& d) {
  const SizeEstimate e = estimate_size(spec);
  const SourceLoc at = spec.towns.empty() ? spec.loc : spec.towns.front().loc;
  const std::string world = with_commas(e.people) + " residents in " + with_commas(e.households) + " households of " +
                            with_commas(e.villages) + " villages";
  if (e.people > kIndexLimit || e.households > kIndexLimit || e.staff > uint64_t(std::numeric_limits<int32_t>::max())) {
    d.error(at, "the region is too large to simulate: " + world + " and " + with_commas(e.staff) + " staff; at most " +
                    with_commas(kIndexLimit) + " residents or households and " +
                    with_commas(uint64_t(std::numeric_limits<int32_t>::max())) + " staff (32-bit indices)");
    return;
  }
  // At most 80% of what can be allocated: the estimate leaves out the outputs' strings and the
  // allocator's slack, and the machine needs some memory of its own.
  if (allocatable && e.bytes > *allocatable / 10 * 8)
    d.error(at, "the region is too large for this machine: " + world + " need about " + gib(e.bytes) +
                    " to simulate, above the limit of " + gib(*allocatable / 10 * 8) + " (80% of the " +
                    gib(*allocatable) + " that can be allocated); use a smaller region");
}

}  // namespace vg::config
