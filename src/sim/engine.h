// Simulates one town for one replicate: returnees arrive, rules fire, tasks compete for staff
// time, tracking teams follow key persons. Towns are independent (town cadres are shared only
// within a town), so (replicate, town) pairs run in parallel with no shared mutable state.
#pragma once

#include <cstdint>
#include <vector>

#include "metrics/results.h"
#include "sim/model.h"

namespace vg::sim {

// One rule firing, for --trace and `explain`.
struct TraceRecord {
  int32_t day;
  int32_t minute;     // minute of the day
  uint32_t person;    // global person index
  int32_t rule;       // index into program.rules()
  int32_t event_task; // TaskDone: the task kind; -1 otherwise
};

struct TownOutput {
  std::vector<std::vector<metrics::DayRow>> days;   // [village of the town][day]
  std::vector<metrics::VillageTotals> villages;
  std::vector<metrics::RoleTotals> roles;
  std::vector<TraceRecord> trace;                   // only when asked for
};

TownOutput simulate_town(const Model& model, int replicate, int town, bool trace);

}  // namespace vg::sim
