// Simulates one town for one replicate: returnees arrive, rules fire, tasks compete for staff
// time, tracking teams follow key persons. Towns are independent (town cadres are shared only
// within a town), so (replicate, town) pairs run in parallel with no shared mutable state.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "metrics/results.h"
#include "sim/model.h"

namespace vg::sim {

// One rule considered for an event, for --trace and `explain`.
struct TraceRecord {
  int32_t day;
  int32_t minute;   // minute of the day
  int32_t person;   // global person index; -1 for a rule about a village
  int32_t village;  // global village index
  int32_t rule;     // index into program.rules()
  uint8_t event;    // rules::Event
  int32_t filter;   // the event's task kind, class, template, event or day; -1 if none
  bool fired;       // false: its period, after_event or condition kept it from firing
  int32_t created;  // tasks it created
};

// Where each returnee ended up, for `explain` (written to persons.csv when tracing).
struct PersonRecord {
  uint32_t person;
  int32_t village;
  uint8_t origin, cls;
  int64_t arrival;             // minute registered, i.e. found (-1: not within the horizon)
  int64_t screened;            // minute screened (-1: never)
  int32_t tracking_start_day;  // -1: never tracked
  int32_t tracking_days, tracking_complete_days;
  static constexpr int32_t kNotInfected = INT32_MIN;  // infection_day: not infected within the horizon (written empty)
  int32_t infection_day = kNotInfected;  // day infected: before arrival if imported, so before day 0 it is negative
  int64_t home = -1;                     // minute arrived home (0: before day 0; -1: not within the horizon)
  uint8_t found_by = 0;                  // rules::FoundBy (0: not found)
  int64_t onset = -1;  // minute symptoms began (the day's 00:00, or an exercise's fever's minute); -1: none
};

struct TownOutput {
  std::vector<std::vector<metrics::DayRow>> days;  // [village of the town][day]
  std::vector<metrics::VillageTotals> villages;
  std::vector<metrics::RoleTotals> roles;
  std::vector<std::vector<metrics::RoleDay>> role_days;  // [day][role]
  std::vector<metrics::GuidelineTotals> guidelines;      // [guideline 0..26]
  std::vector<metrics::TaskTotals> tasks;                // [task kind]
  std::vector<TraceRecord> trace;                        // only when asked for
  std::vector<PersonRecord> persons;                     // only when asked for
  std::vector<std::vector<double>> funds;                // [village of the town][day]: yuan left at 23:59 (supplies)
  // [day][member of the town's roster]: minutes of work the member started that day; only when
  // asked for (the exercise console's staff lines: the village's own staff and the town pool apart)
  std::vector<std::vector<int32_t>> staff_worked;
  // [index in Model::orders]: units the order bought, within the channel's limit per request and
  // the village's funds (0: none); -1 for an order of another town's village or past the horizon.
  // Empty without orders (an exercise's `request`).
  std::vector<int64_t> orders_filled;
};

// Where simulation time goes, for `villagegrid run --profile` and tools/bench.sh: thread time by
// phase, summed over the (replicate, town) pairs, in clock ticks (compare phases as shares).
// Setup: a pair's state and its returnees' origins and arrival times; rules: events dispatched to
// rules and their actions (task creation included), at the day's start and from the scheduler's
// callbacks; scheduling: the scheduler's day loop without its callbacks; infection: the
// epidemic's daily step; metrics: the end-of-day accounting and the pair's totals. Timing reads
// the clock about twice per task (about 10% slower); without --profile nothing is timed.
struct PhaseTimes {
  enum Phase { Setup, Rules, Scheduling, Infection, Metrics, Count };
  std::array<int64_t, Count> ticks{};
  static const char* name(int phase);
  PhaseTimes& operator+=(const PhaseTimes& o) {
    for (int k = 0; k < Count; ++k) ticks[size_t(k)] += o.ticks[size_t(k)];
    return *this;
  }
};

// `phases`: if not null, time is added to it (by this thread only: one PhaseTimes per thread).
// `staff_days`: fill TownOutput::staff_worked.
TownOutput simulate_town(const Model& model, int replicate, int town, bool trace, PhaseTimes* phases = nullptr,
                         bool staff_days = false);

}  // namespace vg::sim
