// Staff scheduler throughput: task-assignments (tasks started and completed) per second on one core.
//
//   village day:  ~1,000 tasks, 100 staff, 1 village (90 village staff + 10 town pool), 3 roles
//   town day:    ~50,000 tasks, 2,000 staff, 20 villages (90 each + 200 town pool), 3 roles
//   idle crowd:   20,000 short tasks trickling in to 2,000 idle members of one group
//
// Each iteration adds one day's tasks and runs that day on the same scheduler, so the numbers
// include add_task, the day loop, late reporting, backlog carried over and heap compaction. The
// "DispatchOnly" variants pause the clock while the tasks are added. items_per_second counts
// completed tasks.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "staffing/scheduler.h"

namespace {

using vg::staffing::DayStats;
using vg::staffing::Scheduler;
using vg::staffing::StaffMember;
using vg::staffing::Task;

uint64_t splitmix(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
int64_t uniform(uint64_t& rng, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(splitmix(rng) % static_cast<uint64_t>(hi - lo + 1));
}

constexpr int kRoles = 3;

struct Scenario {
  std::vector<StaffMember> staff;
  std::vector<Task> day_tasks;  // times relative to the day's start
};

// About 75% of the staff minutes are asked for: most work gets done, some carries over or is missed.
Scenario make_scenario(int villages, int village_staff_each, int pool_staff, int tasks_per_day) {
  Scenario sc;
  uint64_t rng = 2024;
  static const int16_t starts[] = {420, 480, 480, 540, 600};
  auto add_member = [&](int32_t village, int i) {
    StaffMember m;
    m.role = static_cast<uint16_t>(i % kRoles);
    m.village = village;
    m.shift_start = starts[uniform(rng, 0, 4)];
    m.minutes_per_day = 480;
    sc.staff.push_back(m);
  };
  for (int v = 0; v < villages; ++v)
    for (int i = 0; i < village_staff_each; ++i) add_member(v, i);
  for (int i = 0; i < pool_staff; ++i) add_member(-1, i);

  const int n = static_cast<int>(sc.staff.size());
  for (int i = 0; i < tasks_per_day; ++i) {
    Task t;
    t.id = 0;  // set when added
    t.priority = static_cast<int32_t>(uniform(rng, 0, 3));
    t.release = uniform(rng, 0, 900);  // 00:00 .. 15:00
    t.deadline = uniform(rng, 0, 3) == 0 ? t.release + 240 : 1440;
    t.minutes = static_cast<int32_t>(uniform(rng, 5, 25));
    t.role_mask = uniform(rng, 0, 9) < 3 ? (3u << uniform(rng, 0, 1)) : (1u << uniform(rng, 0, kRoles - 1));
    t.village = static_cast<int32_t>(uniform(rng, 0, villages - 1));
    if (uniform(rng, 0, 19) == 0) {  // team duty for one member
      t.assignee = static_cast<int32_t>(uniform(rng, 0, n - 1));
      t.role_mask |= 1u << sc.staff[static_cast<size_t>(t.assignee)].role;
    }
    t.drop_when_late = uniform(rng, 0, 1) == 0;
    sc.day_tasks.push_back(t);
  }
  return sc;
}

const Scenario& village_day() {
  static const Scenario sc = make_scenario(1, 90, 10, 1'000);
  return sc;
}
const Scenario& town_day() {
  static const Scenario sc = make_scenario(20, 90, 200, 50'000);
  return sc;
}

void add_day(Scheduler& s, const Scenario& sc, int day, uint64_t& next_id) {
  const int64_t d0 = vg::staffing::day_start(day);
  for (Task t : sc.day_tasks) {
    t.id = next_id++;
    t.release += d0;
    t.deadline += d0;
    s.add_task(t);
  }
}

void run_days(benchmark::State& state, const Scenario& sc, bool dispatch_only) {
  Scheduler s(sc.staff, kRoles);
  uint64_t next_id = 0;
  int day = 0;
  int64_t completed = 0, late = 0;
  for (auto _ : state) {
    if (dispatch_only) state.PauseTiming();
    add_day(s, sc, day, next_id);
    if (dispatch_only) state.ResumeTiming();
    DayStats st = s.run_day(day++, [&](const Task&, int64_t, int) { ++completed; });
    late += st.tasks_late;
    benchmark::DoNotOptimize(st.minutes_worked.data());
  }
  state.SetItemsProcessed(completed);
  const double days = static_cast<double>(day);
  state.counters["tasks_per_day"] = static_cast<double>(sc.day_tasks.size());
  state.counters["completed_per_day"] = static_cast<double>(completed) / days;
  state.counters["late_per_day"] = static_cast<double>(late) / days;
  state.counters["backlog_at_end"] = static_cast<double>(s.open_tasks());
}

// Worst case for waking idle staff: 2,000 members of one (village, role) group wait idle while 20,000
// short tasks trickle in over the shift. Each release wakes one idle member, not all of them.
const Scenario& idle_crowd_day() {
  static const Scenario sc = [] {
    Scenario c;
    for (int i = 0; i < 2000; ++i) {
      StaffMember m;
      m.role = 0;
      m.village = 0;
      c.staff.push_back(m);
    }
    uint64_t rng = 7;
    for (int i = 0; i < 20'000; ++i) {
      Task t;
      t.release = uniform(rng, 480, 940);
      t.deadline = 1440;
      t.minutes = static_cast<int32_t>(uniform(rng, 1, 10));
      t.role_mask = 1;
      t.village = 0;
      t.drop_when_late = true;
      c.day_tasks.push_back(t);
    }
    return c;
  }();
  return sc;
}

void BM_VillageDay(benchmark::State& state) { run_days(state, village_day(), false); }
void BM_TownDay(benchmark::State& state) { run_days(state, town_day(), false); }
void BM_IdleCrowdDay(benchmark::State& state) { run_days(state, idle_crowd_day(), false); }
void BM_VillageDay_DispatchOnly(benchmark::State& state) { run_days(state, village_day(), true); }
void BM_TownDay_DispatchOnly(benchmark::State& state) { run_days(state, town_day(), true); }

BENCHMARK(BM_VillageDay)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TownDay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IdleCrowdDay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VillageDay_DispatchOnly)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TownDay_DispatchOnly)->Unit(benchmark::kMillisecond);

}  // namespace
