// Staff scheduler tests: known answers worked out by hand (in the comments), then property tests
// that compare the scheduler with a literal minute-by-minute reference on random rosters and tasks
// and check invariants (no overlap, eligibility, shifts, work conservation) from the log alone.
#include "staffing/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace vg::staffing {
namespace {

// ---------------------------------------------------------------------------------------------------
// Helpers

StaffMember member(uint16_t role, int32_t village, int16_t shift_start = 480, int16_t minutes = 480,
                   int32_t from_day = 0) {
  StaffMember m;
  m.role = role;
  m.village = village;
  m.shift_start = shift_start;
  m.minutes_per_day = minutes;
  m.available_from_day = from_day;
  return m;
}

Task task(uint64_t id, int64_t release, int32_t minutes, int64_t deadline = 1440, int32_t priority = 0,
          uint32_t role_mask = 1, int32_t village = 0) {
  Task t;
  t.id = id;
  t.priority = priority;
  t.release = release;
  t.deadline = deadline;
  t.minutes = minutes;
  t.role_mask = role_mask;
  t.village = village;
  return t;
}

struct Done {
  uint64_t id;
  int64_t finish;
  int staff;
  bool operator==(const Done&) const = default;
};
struct Started {
  uint64_t id;
  int64_t start;
  int staff;
  bool operator==(const Started&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Done& d) {
  return os << "{id " << d.id << " done " << d.finish << " by " << d.staff << "}";
}
std::ostream& operator<<(std::ostream& os, const Started& d) {
  return os << "{id " << d.id << " started " << d.start << " by " << d.staff << "}";
}

// Records everything a day reports.
struct Log {
  std::vector<Done> done;
  std::vector<Started> started;
  std::vector<uint64_t> late;

  DayStats run(Scheduler& s, int day) {
    return s.run_day(
        day,
        [&](const Task& t, int64_t finish, int staff) {
          done.push_back({t.id, finish, staff});
        },
        [&](const Task& t) { late.push_back(t.id); },
        [&](const Task& t, int64_t start, int staff) {
          started.push_back({t.id, start, staff});
        });
  }
  void clear() { *this = Log{}; }
};

// ---------------------------------------------------------------------------------------------------
// Known answers

// Two staff, shift 08:00-16:00 (480..960). 100 tasks of 20 minutes released at minute 0, deadline 24:00.
// Each member fits 480 / 20 = 24 tasks in a shift, so 48 a day: 48 on day 0, 48 on day 1, 4 on day 2.
// All tasks tie on priority, deadline and release, so they go by id, and at each minute the lower staff
// index looks first: task i goes to staff i % 2 and finishes at 480 + 20 * (i / 2 + 1) of its day
// (tasks 0 and 1 at 08:20 = 500, tasks 2 and 3 at 08:40 = 520, ..., 46 and 47 at 16:00 = 960).
// Tasks 48..99 are open at the end of day 0 with deadline 1440 <= 1440: 52 late reports, once each.
TEST(SchedulerTest, HundredTasksTwoStaffThreeDays) {
  Scheduler s({member(0, 0), member(0, 0)}, 1);
  for (uint64_t i = 0; i < 100; ++i) s.add_task(task(i, 0, 20, 1440));
  EXPECT_EQ(s.open_tasks(), 100u);

  Log log;
  DayStats d0 = log.run(s, 0);
  ASSERT_EQ(log.done.size(), 48u);
  EXPECT_EQ(log.done[0], (Done{0, 500, 0}));
  EXPECT_EQ(log.done[1], (Done{1, 500, 1}));
  EXPECT_EQ(log.done[2], (Done{2, 520, 0}));
  EXPECT_EQ(log.done[3], (Done{3, 520, 1}));
  EXPECT_EQ(log.done[47], (Done{47, 960, 1}));
  for (uint64_t i = 0; i < 48; ++i) {
    EXPECT_EQ(log.done[i], (Done{i, 480 + 20 * static_cast<int64_t>(i / 2 + 1), static_cast<int>(i % 2)}));
    EXPECT_EQ(log.started[i].start, log.done[i].finish - 20);
  }
  int on_time = 0;
  for (const Done& d : log.done) on_time += d.finish <= 1440 ? 1 : 0;
  EXPECT_EQ(on_time, 48);
  ASSERT_EQ(log.late.size(), 52u);
  for (uint64_t i = 0; i < 52; ++i) EXPECT_EQ(log.late[i], 48 + i);  // (deadline, id) order
  EXPECT_EQ(d0.tasks_completed, 48);
  EXPECT_EQ(d0.tasks_late, 52);
  EXPECT_EQ(d0.tasks_dropped, 0);
  EXPECT_EQ(d0.minutes_worked, (std::vector<int32_t>{480, 480}));
  EXPECT_EQ(d0.minutes_available, (std::vector<int32_t>{480, 480}));
  EXPECT_EQ(s.open_tasks(), 52u);
  EXPECT_EQ(s.late_open_tasks(), 52u);

  log.clear();
  DayStats d1 = log.run(s, 1);
  ASSERT_EQ(log.done.size(), 48u);
  for (uint64_t k = 0; k < 48; ++k) {
    const uint64_t i = 48 + k;  // day 1 = minute 1440; same pattern
    EXPECT_EQ(log.done[k], (Done{i, 1440 + 480 + 20 * static_cast<int64_t>(k / 2 + 1), static_cast<int>(k % 2)}));
  }
  EXPECT_TRUE(log.late.empty());  // already reported on day 0
  EXPECT_EQ(d1.minutes_worked, (std::vector<int32_t>{480, 480}));
  EXPECT_EQ(s.open_tasks(), 4u);

  log.clear();
  DayStats d2 = log.run(s, 2);
  // Day 2 = minute 2880: tasks 96, 97 at 2880 + 500, tasks 98, 99 at 2880 + 520.
  EXPECT_EQ(log.done, (std::vector<Done>{{96, 3380, 0}, {97, 3380, 1}, {98, 3400, 0}, {99, 3400, 1}}));
  EXPECT_TRUE(log.late.empty());
  EXPECT_EQ(d2.minutes_worked, (std::vector<int32_t>{40, 40}));
  EXPECT_EQ(d2.open_at_end, 0u);
  EXPECT_EQ(s.open_tasks(), 0u);
  EXPECT_EQ(s.late_open_tasks(), 0u);
  EXPECT_EQ(s.tasks_completed(), 100);
}

// One member, 10-minute tasks, all released by the shift start (480):
//   id 7: priority 1, deadline 9000, release 30  -> first: priority beats an earlier deadline
//   id 8: priority 0, deadline 2000, release 20  -> second: deadline beats an earlier release
//   id 9: priority 0, deadline 3000, release 0   -> third: release beats a lower id
//   id 4: priority 0, deadline 3000, release 10  -> fourth: id tie-break
//   id 5: priority 0, deadline 3000, release 10  -> fifth
// Finishes at 490, 500, 510, 520, 530.
// Timers: one set before the day for 10:00 adds a task that the idle member takes at 10:00 and
// finishes at 10:30; one set from that callback for 12:00 goes off at 12:00; two at one minute go
// off in the order set; one for a later day waits for that day.
TEST(SchedulerTest, TimersGoOffAtTheirMinuteAndMayAddWork) {
  Scheduler s({member(0, 0)}, 1);
  std::vector<std::pair<uint64_t, int64_t>> fired;
  s.add_timer(600, 1);
  s.add_timer(600, 2);
  s.add_timer(1440 + 500, 3);
  std::vector<Done> done;
  auto on_timer = [&](uint64_t id, int64_t t) {
    fired.push_back({id, t});
    if (id == 1) {
      s.add_task(task(10, t, 30));
      s.add_timer(720, 4);
      EXPECT_THROW(s.add_timer(t, 5), std::logic_error);  // not later than now
    }
  };
  s.run_day(
      0,
      [&](const Task& t, int64_t f, int st) {
        done.push_back({t.id, f, st});
      },
      {}, {}, on_timer);
  EXPECT_EQ(fired, (std::vector<std::pair<uint64_t, int64_t>>{{1, 600}, {2, 600}, {4, 720}}));
  EXPECT_EQ(done, (std::vector<Done>{{10, 630, 0}}));
  fired.clear();
  s.run_day(1, {}, {}, {}, on_timer);
  EXPECT_EQ(fired, (std::vector<std::pair<uint64_t, int64_t>>{{3, 1940}}));
}

TEST(SchedulerTest, PriorityThenDeadlineThenReleaseThenId) {
  Scheduler s({member(0, 0)}, 1);
  s.add_task(task(5, 10, 10, 3000, 0));
  s.add_task(task(4, 10, 10, 3000, 0));
  s.add_task(task(9, 0, 10, 3000, 0));
  s.add_task(task(8, 20, 10, 2000, 0));
  s.add_task(task(7, 30, 10, 9000, 1));
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{7, 490, 0}, {8, 500, 0}, {9, 510, 0}, {4, 520, 0}, {5, 530, 0}}));
}

// Shift 480..960. Task 1 (30 min, released 0) runs 480..510. Task 2 is released at 15:00 (900): the
// member waits and starts it at exactly 900, done 920. Task 3, released 950, needs 20 minutes:
// 950 + 20 = 970 > 960, so the member stops for the day; on day 1 it runs 1920..1940.
TEST(SchedulerTest, WaitsForReleaseAndStopsWhenTheTaskDoesNotFit) {
  Scheduler s({member(0, 0)}, 1);
  s.add_task(task(1, 0, 30, 5000));
  s.add_task(task(2, 900, 20, 5000));
  s.add_task(task(3, 950, 20, 5000));
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 480, 0}, {2, 900, 0}}));
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 510, 0}, {2, 920, 0}}));
  EXPECT_EQ(s.open_tasks(), 1u);
  log.clear();
  log.run(s, 1);
  EXPECT_EQ(log.done, (std::vector<Done>{{3, 1940, 0}}));
}

// Events between events: staff 0 is busy 480..600 (task 1). Staff 1 has nothing until task 2 is
// released at 550 (30 min): 550..580. Task 3, released at 560, waits for staff 1 to finish at 580,
// although no other event happens until 600: 580..590.
TEST(SchedulerTest, CompletionBetweenOtherEvents) {
  Scheduler s({member(0, 0), member(0, 0)}, 1);
  Task first = task(1, 0, 120, 5000);
  first.assignee = 0;
  s.add_task(first);
  s.add_task(task(2, 550, 30, 5000));
  s.add_task(task(3, 560, 10, 5000));
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 480, 0}, {2, 550, 1}, {3, 580, 1}}));
  EXPECT_EQ(log.done, (std::vector<Done>{{2, 580, 1}, {3, 590, 1}, {1, 600, 0}}));
}

// Released before the shift: not started before the shift starts; released after the shift: not
// started that day.
TEST(SchedulerTest, NothingOutsideTheShift) {
  Scheduler s({member(0, 0, 600, 120)}, 1);  // 10:00-12:00
  s.add_task(task(1, 0, 30, 5000));
  s.add_task(task(2, 800, 30, 5000));  // 13:20, after the shift
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 630, 0}}));
  log.clear();
  log.run(s, 1);
  EXPECT_EQ(log.done, (std::vector<Done>{{2, 1440 + 630, 0}}));
}

// The rule is non-preemptive; a member takes the best task that fits in the rest of the shift. At
// 930 the best ready task (priority 5, 60 min) would end at 990 > 960, so the member takes the
// 10-minute task (930..940); then nothing fits (the 60-minute task still does not) and the member
// stops for the day. Day 1: the big task 1920..1980. The pool member of the next test sees every
// village's heaps in this search too.
TEST(SchedulerTest, ASmallerTaskThatFitsIsTakenWhenTheBestDoesNot) {
  Scheduler s({member(0, 0)}, 1);
  s.add_task(task(1, 930, 60, 5000, 5));
  s.add_task(task(2, 930, 10, 5000, 0));
  Log log;
  DayStats d0 = log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{2, 940, 0}}));
  EXPECT_EQ(d0.minutes_worked[0], 10);
  log.clear();
  log.run(s, 1);
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 1980, 0}}));
}

// The same search for a town-pool member: at 930 the best (village 1, 60 min) does not fit; the
// best that fits is in village 2 (20 min, priority 1) ahead of village 1's 10-minute one (priority 0).
TEST(SchedulerTest, APoolMemberSearchesEveryVillageForATaskThatFits) {
  Scheduler s({member(0, -1), member(0, 1), member(0, 2)}, 1);
  s.set_unavailable(1, 0);
  s.set_unavailable(2, 0);
  s.add_task(task(1, 930, 60, 5000, 5, 1, 1));
  s.add_task(task(2, 930, 10, 5000, 0, 1, 1));
  s.add_task(task(3, 930, 20, 5000, 1, 1, 2));
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{3, 950, 0}, {2, 960, 0}}));
}

// Staff 0 belongs to village 1, staff 1 is town pool. Tasks (60 min, all released at 0, equal keys,
// so by id): 1, 2, 3 in village 2; 4 in village 1; 5 in village 3, which has no village staff.
// At 480 staff 0 sees only village 1 -> task 4 (480..540); staff 1 sees everything -> task 1
// (480..540), then 2 (540..600), 3 (600..660), 5 (660..720). Staff 0 idles after 540. Both finish
// at 540: reported in staff order.
TEST(SchedulerTest, TownPoolServesEveryVillageVillageStaffOnlyTheirOwn) {
  Scheduler s({member(0, 1), member(0, -1)}, 1);
  for (uint64_t id = 1; id <= 3; ++id) s.add_task(task(id, 0, 60, 5000, 0, 1, 2));
  s.add_task(task(4, 0, 60, 5000, 0, 1, 1));
  s.add_task(task(5, 0, 60, 5000, 0, 1, 3));
  Log log;
  DayStats d0 = log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{4, 540, 0}, {1, 540, 1}, {2, 600, 1}, {3, 660, 1}, {5, 720, 1}}));
  EXPECT_EQ(d0.minutes_worked, (std::vector<int32_t>{60, 240}));
  EXPECT_TRUE(s.can_do(1, task(9, 0, 1, 0, 0, 1, 2)));
  EXPECT_FALSE(s.can_do(0, task(9, 0, 1, 0, 0, 1, 2)));
}

// A village member stays idle all day rather than serve another village.
TEST(SchedulerTest, VillageMemberNeverServesAnotherVillage) {
  Scheduler s({member(0, 1)}, 1);
  s.add_task(task(1, 0, 10, 1440, 0, 1, 2));
  Log log;
  log.run(s, 0);
  EXPECT_TRUE(log.done.empty());
  EXPECT_EQ(log.late, (std::vector<uint64_t>{1}));
}

// Tasks assigned to staff 1 go only to staff 1, even while staff 0 (same village and role) idles.
// Task 1 and 2 (30 min each) run 480..510, 510..540. Task 3 is released at 600, when staff 1 is idle:
// it is woken and runs 600..630.
TEST(SchedulerTest, AssigneeTasksGoOnlyToThatMember) {
  Scheduler s({member(0, 0), member(0, 0)}, 1);
  for (uint64_t id = 1; id <= 2; ++id) {
    Task t = task(id, 0, 30, 5000);
    t.assignee = 1;
    s.add_task(t);
  }
  Task late_one = task(3, 600, 30, 5000);
  late_one.assignee = 1;
  s.add_task(late_one);
  Log log;
  DayStats d0 = log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 510, 1}, {2, 540, 1}, {3, 630, 1}}));
  EXPECT_EQ(d0.minutes_worked, (std::vector<int32_t>{0, 90}));
}

// An assignee task competes with the member's group tasks by the same order.
TEST(SchedulerTest, AssigneeAndGroupTasksShareOneOrder) {
  Scheduler s({member(0, 0)}, 1);
  Task own = task(1, 0, 30, 5000, 0);
  own.assignee = 0;
  s.add_task(own);
  s.add_task(task(2, 0, 30, 5000, 1));  // higher priority, open to anyone: first
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{2, 510, 0}, {1, 540, 0}}));
}

// Shift 480..960. Task 1 (400 min) runs 480..880. At 880 tasks 2 (drop_when_late) and 3 (not) need
// 100 min: 980 > 960, stop. End of day 0: both are open with deadline 1440 -> on_late(2), on_late(3),
// in id order; 2 is dropped, 3 stays and runs on day 1 (1920..2020) without a second late report.
TEST(SchedulerTest, DropWhenLateTasksDisappearAfterOnLate) {
  Scheduler s({member(0, 0)}, 1);
  s.add_task(task(1, 0, 400, 1440));
  Task drop = task(2, 0, 100, 1440);
  drop.drop_when_late = true;
  s.add_task(drop);
  s.add_task(task(3, 0, 100, 1440));
  Log log;
  std::vector<size_t> open_seen_in_on_late;
  DayStats d0 = s.run_day(
      0,
      [&](const Task& t, int64_t f, int st) {
        log.done.push_back({t.id, f, st});
      },
      [&](const Task& t) {
        log.late.push_back(t.id);
        open_seen_in_on_late.push_back(s.open_tasks());
      });
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 880, 0}}));
  EXPECT_EQ(log.late, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(open_seen_in_on_late, (std::vector<size_t>{2, 1}));  // task 2 is removed after its on_late call
  EXPECT_EQ(d0.tasks_late, 2);
  EXPECT_EQ(d0.tasks_dropped, 1);
  EXPECT_EQ(s.open_tasks(), 1u);
  log.clear();
  log.run(s, 1);
  EXPECT_EQ(log.done, (std::vector<Done>{{3, 2020, 0}}));
  EXPECT_TRUE(log.late.empty());
  EXPECT_EQ(s.open_tasks(), 0u);
}

// A drop_when_late task whose deadline passes before its release is dropped unreleased.
TEST(SchedulerTest, DropBeforeRelease) {
  Scheduler s({member(0, 0)}, 1);
  Task t = task(1, 2000, 10, 1000);
  t.drop_when_late = true;
  s.add_task(t);
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.late, (std::vector<uint64_t>{1}));
  EXPECT_EQ(s.open_tasks(), 0u);
  log.clear();
  log.run(s, 1);
  EXPECT_TRUE(log.done.empty());
}

// on_late may add tasks. Nobody works on day 0. Open at its end: task 1 (deadline 600) and task 3
// (deadline 1000). on_late(1) adds task 2 with deadline 800, due today too: it is reported in the
// same pass, in (deadline, id) order: 1, 2, 3. on_late(3) adds task 4 with deadline 2000: reported
// at the end of day 1.
TEST(SchedulerTest, OnLateMayAddTasks) {
  Scheduler s({member(0, 0, 480, 480, 5)}, 1);
  s.add_task(task(1, 0, 10, 600));
  s.add_task(task(3, 0, 10, 1000));
  std::vector<uint64_t> late;
  auto on_late = [&](const Task& t) {
    late.push_back(t.id);
    if (t.id == 1) s.add_task(task(2, 1440, 10, 800));
    if (t.id == 3) s.add_task(task(4, 1440, 10, 2000));
  };
  s.run_day(0, nullptr, on_late);
  EXPECT_EQ(late, (std::vector<uint64_t>{1, 2, 3}));
  s.run_day(1, nullptr, on_late);
  EXPECT_EQ(late, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(s.open_tasks(), 4u);
}

// available_from_day = 1: absent on day 0 (0 minutes available), works on day 1 (1920..1950).
// Marked unavailable on day 2 and absent on day 4 by the availability function: task 2, released on
// day 2, waits to day 3 (4320 + 480 .. + 510); task 3, released on day 4, waits to day 5.
TEST(SchedulerTest, AvailableFromDayAndDropOuts) {
  Scheduler s({member(0, 0, 480, 480, 1)}, 1);
  s.add_task(task(1, 0, 30, 99999));
  s.add_task(task(2, 2880, 30, 99999));
  s.add_task(task(3, 4 * 1440, 30, 99999));
  s.set_unavailable(0, 2);
  s.set_availability([](int, int day) { return day != 4; });
  EXPECT_FALSE(s.on_duty(0, 0));
  EXPECT_TRUE(s.on_duty(0, 1));
  EXPECT_FALSE(s.on_duty(0, 2));
  EXPECT_FALSE(s.on_duty(0, 4));
  Log log;
  DayStats d0 = log.run(s, 0);
  EXPECT_TRUE(log.done.empty());
  EXPECT_EQ(d0.minutes_available[0], 0);
  DayStats d1 = log.run(s, 1);
  EXPECT_EQ(d1.minutes_available[0], 480);
  log.run(s, 2);
  log.run(s, 3);
  log.run(s, 4);
  log.run(s, 5);
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 1950, 0}, {2, 4320 + 510, 0}, {3, 5 * 1440 + 510, 0}}));
  s.set_unavailable(0, 2, false);
  EXPECT_TRUE(s.on_duty(0, 2));
}

// Task 1 (20 min) finishes at 500; on_complete adds task 2 released at 500 (runs 500..520), task 3
// released at 700 (the member waits: 700..720) and task 4 released at 2000 on day 1 (2000..2020).
TEST(SchedulerTest, TasksAddedFromOnCompleteRunTheSameDay) {
  Scheduler s({member(0, 0)}, 1);
  s.add_task(task(1, 0, 20, 5000));
  std::vector<Done> done;
  auto on_complete = [&](const Task& t, int64_t f, int st) {
    done.push_back({t.id, f, st});
    if (t.id == 1) {
      s.add_task(task(2, f, 20, 5000));
      s.add_task(task(3, 700, 20, 5000));
      s.add_task(task(4, 2000, 20, 5000));
    }
  };
  s.run_day(0, on_complete);
  EXPECT_EQ(done, (std::vector<Done>{{1, 500, 0}, {2, 520, 0}, {3, 720, 0}}));
  s.run_day(1, on_complete);
  EXPECT_EQ(done.back(), (Done{4, 2020, 0}));
}

// Completions come before frees at the same minute: staff 0 (role 0) finishes task 1 at 500 and its
// callback adds task 2 for role 1; staff 1 (role 1), whose shift starts at 500, sees it and starts it
// at 500. Staff 2 (role 1) also starts at 500 but has a higher index, so it gets nothing.
TEST(SchedulerTest, CompletionsBeforeFreesAtTheSameMinute) {
  Scheduler s({member(0, 0), member(1, 0, 500), member(1, 0, 500)}, 2);
  s.add_task(task(1, 0, 20, 5000, 0, 1));
  Log log;
  s.run_day(
      0,
      [&](const Task& t, int64_t f, int st) {
        log.done.push_back({t.id, f, st});
        if (t.id == 1) s.add_task(task(2, f, 30, 5000, 0, 2));
      },
      nullptr,
      [&](const Task& t, int64_t st, int who) {
        log.started.push_back({t.id, st, who});
      });
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 480, 0}, {2, 500, 1}}));
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 500, 0}, {2, 530, 1}}));
}

// A task open to roles 0 and 1 sits in both roles' heaps but is done once. Staff 0 (role 0) and 1
// (role 1) are free at 480; staff 0 looks first and takes task 1, staff 1 takes task 2; at 540 both
// find nothing.
TEST(SchedulerTest, MultiRoleTaskIsDoneOnce) {
  Scheduler s({member(0, 0), member(1, 0), member(0, -1), member(1, -1)}, 2);
  s.add_task(task(1, 0, 60, 5000, 0, 3));
  s.add_task(task(2, 0, 60, 5000, 0, 3));
  EXPECT_EQ(s.open_tasks_for_role(0), 2u);
  EXPECT_EQ(s.open_tasks_for_role(1), 2u);
  Log log;
  log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 540, 0}, {2, 540, 1}}));
  EXPECT_EQ(s.open_tasks(), 0u);
  EXPECT_EQ(s.open_tasks_for_role(0), 0u);
}

TEST(SchedulerTest, BacklogQueries) {
  Scheduler s({member(0, 0)}, 3);
  s.add_task(task(1, 0, 500, 1440, 0, 1));  // does not fit in a 480-minute shift: never done
  s.add_task(task(2, 0, 10, 99999, -1, 0b110));
  s.add_task(task(3, 99999, 10, 99999, 0, 0b100));  // not released yet: still open
  EXPECT_EQ(s.open_tasks(), 3u);
  EXPECT_EQ(s.open_tasks_for_role(0), 1u);
  EXPECT_EQ(s.open_tasks_for_role(1), 1u);
  EXPECT_EQ(s.open_tasks_for_role(2), 2u);
  EXPECT_EQ(s.open_tasks_for_role(7), 0u);
  s.run_day(0);
  EXPECT_EQ(s.open_tasks(), 3u);
  EXPECT_EQ(s.late_open_tasks(), 1u);
  std::map<uint64_t, bool> seen;
  s.for_each_open_task([&](const Task& t, bool late) { seen[t.id] = late; });
  EXPECT_EQ(seen, (std::map<uint64_t, bool>{{1, true}, {2, false}, {3, false}}));
}

void count_completion(const Task&, int64_t, int) {}

TEST(SchedulerTest, InputChecksAndMisuse) {
  EXPECT_THROW(Scheduler({member(0, 0)}, 0), std::invalid_argument);
  EXPECT_THROW(Scheduler({member(0, 0)}, 33), std::invalid_argument);
  EXPECT_THROW(Scheduler({member(2, 0)}, 2), std::invalid_argument);
  EXPECT_THROW(Scheduler({member(0, -2)}, 1), std::invalid_argument);
  EXPECT_THROW(Scheduler({member(0, 0, 1000, 480)}, 1), std::invalid_argument);
  EXPECT_THROW(Scheduler({member(0, 0, -1, 480)}, 1), std::invalid_argument);

  Scheduler s({member(0, 0), member(1, 0)}, 2);
  EXPECT_THROW(s.add_task(task(1, 0, 0)), std::invalid_argument);
  EXPECT_THROW(s.add_task(task(1, 0, 10, 1440, 0, 0)), std::invalid_argument);
  EXPECT_THROW(s.add_task(task(1, 0, 10, 1440, 0, 4)), std::invalid_argument);
  Task t = task(1, 0, 10, 1440, 0, 1);
  t.assignee = 2;
  EXPECT_THROW(s.add_task(t), std::invalid_argument);
  t.assignee = 1;  // role 1, mask only role 0
  EXPECT_THROW(s.add_task(t), std::invalid_argument);
  EXPECT_EQ(s.open_tasks(), 0u);
  EXPECT_THROW(s.set_unavailable(5, 0), std::invalid_argument);

  s.add_task(task(1, 0, 10));
  EXPECT_THROW(s.run_day(-1), std::invalid_argument);
  EXPECT_THROW(s.run_day(0, nullptr, nullptr, [&](const Task&, int64_t, int) { s.add_task(task(2, 0, 10)); }),
               std::logic_error);
  EXPECT_THROW(s.run_day(0), std::invalid_argument);  // day 0 was (partly) run
  // Task 1 was in progress when on_start threw: it goes back to waiting and is done on day 1.
  EXPECT_THROW(s.run_day(1, [&](const Task&, int64_t, int) { s.run_day(2); }), std::logic_error);
  s.add_task(task(3, 0, 10));
  EXPECT_NO_THROW(s.run_day(5, count_completion));  // a plain function pointer works too
  EXPECT_EQ(s.open_tasks(), 0u);
}

// --- team tasks, latest start, overtime ------------------------------------------------------------

Task team_task(uint64_t id, int64_t release, int32_t minutes, uint32_t role_mask, int64_t deadline = 1440,
               int32_t priority = 0, int32_t village = 0) {
  Task t = task(id, release, minutes, deadline, priority, role_mask, village);
  t.team = true;
  return t;
}

// Records team members as the callbacks see them.
struct TeamLog {
  std::vector<Started> started;
  std::vector<Done> done;
  std::map<uint64_t, std::vector<int32_t>> members;  // at the start
  std::map<uint64_t, std::vector<int32_t>> members_done;
  std::vector<uint64_t> late;
  DayStats run(Scheduler& s, int day) {
    return s.run_day(
        day,
        [&](const Task& t, int64_t f, int who) {
          done.push_back({t.id, f, who});
          members_done[t.id].assign(s.current_team().begin(), s.current_team().end());
        },
        [&](const Task& t) { late.push_back(t.id); },
        [&](const Task& t, int64_t st, int who) {
          started.push_back({t.id, st, who});
          members[t.id].assign(s.current_team().begin(), s.current_team().end());
        });
  }
};

// Cadre (role 0) works 08:00-16:00, the doctor (role 1) 10:00-18:00. A 60-minute team task needing
// both, released at 00:00, starts at 10:00 (600), when the doctor's shift starts, not at 08:00; both
// are busy 600-660 and each is credited 60 minutes. The callbacks name the first member (staff 0).
TEST(SchedulerTeamTest, StartsWhenTheLastRoleIsFree) {
  Scheduler s({member(0, 0), member(1, 0, 600)}, 2);
  s.add_task(team_task(1, 0, 60, 0b11));
  TeamLog log;
  DayStats st = log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 600, 0}}));
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 660, 0}}));
  EXPECT_EQ(log.members[1], (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(log.members_done[1], (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(st.minutes_worked, (std::vector<int32_t>{60, 60}));
  EXPECT_EQ(st.tasks_completed, 1);
  EXPECT_TRUE(s.current_team().empty());
}

// The cadre has ten 20-minute single tasks of higher priority; the doctor starts at 10:00. The cadre
// does six singles 08:00-10:00, and at 10:00, when the cadre is free again and the doctor's shift
// starts, the team task goes first (team tasks come before single tasks at a minute): 600-660. The
// cadre then does the other four singles, 660-740.
TEST(SchedulerTeamTest, TeamTasksComeFirstAtTheMinuteEveryoneIsFree) {
  Scheduler s({member(0, 0), member(1, 0, 600)}, 2);
  for (uint64_t i = 0; i < 10; ++i) s.add_task(task(10 + i, 0, 20, 1440, 5, 0b01));
  s.add_task(team_task(1, 0, 60, 0b11));
  TeamLog log;
  log.run(s, 0);
  ASSERT_EQ(log.started.size(), 11u);
  EXPECT_EQ(log.started[6], (Started{1, 600, 0}));
  EXPECT_EQ(log.started[5], (Started{15, 580, 0}));
  EXPECT_EQ(log.started[7], (Started{16, 660, 0}));
  EXPECT_EQ(log.done.back(), (Done{19, 740, 0}));
}

// Two cadres (staff 0, 1) and one doctor (staff 2), all 08:00-16:00; two 60-minute team tasks need a
// cadre and the doctor. Task 1 starts at 480 with staff 0 and 2; task 2 must wait for the doctor and
// runs back to back, 540-600, again with staff 0 (the lowest free cadre: 0 just finished, 1 waited).
// Nobody is in two tasks at once; staff 1 works 0 minutes.
TEST(SchedulerTeamTest, OneDoctorTwoTeamTasksBackToBack) {
  Scheduler s({member(0, 0), member(0, 0), member(1, 0)}, 2);
  s.add_task(team_task(1, 0, 60, 0b11));
  s.add_task(team_task(2, 0, 60, 0b11));
  TeamLog log;
  DayStats st = log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 480, 0}, {2, 540, 0}}));
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 540, 0}, {2, 600, 0}}));
  EXPECT_EQ(log.members[1], (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(log.members[2], (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(st.minutes_worked, (std::vector<int32_t>{120, 0, 120}));
}

// A team role with no staff at all (role 2): the task is never started, reported late once at the end
// of day 0 and kept (if_late keep) or dropped. A team task whose length does not fit the doctor's
// remaining shift is not started either; the cadre stays free for single work meanwhile. The town
// pool's member of a role joins a village's team task.
TEST(SchedulerTeamTest, MissingRoleOrNoRoomMeansNoStart) {
  Scheduler s({member(0, 0), member(1, 0, 480, 60), member(2, -1, 900, 60)}, 4);
  s.add_task(team_task(1, 0, 30, 0b1001));  // role 3: nobody
  Task dropped = team_task(2, 0, 30, 0b1001);
  dropped.drop_when_late = true;
  s.add_task(dropped);
  s.add_task(team_task(3, 0, 90, 0b0011));        // the doctor works 60 minutes only
  s.add_task(team_task(4, 0, 30, 0b0101, 5000));  // cadre + pool role 2 (15:00-16:00): at 900
  s.add_task(task(5, 0, 30, 1440, 0, 0b0001));
  TeamLog log;
  DayStats st = log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{5, 480, 0}, {4, 900, 0}}));
  EXPECT_EQ(log.members[4], (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(log.late, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(st.tasks_dropped, 1);
  EXPECT_EQ(s.open_tasks(), 2u);  // 1 and 3, backlog
  EXPECT_EQ(st.minutes_worked, (std::vector<int32_t>{60, 0, 30}));
}

// A team task released while its members wait idle starts at its release (an event for waiting
// members); a single task released at the same minute goes to the member the team left free.
TEST(SchedulerTeamTest, ReleasedWhileMembersWait) {
  Scheduler s({member(0, 0), member(0, 0), member(1, 0)}, 2);
  s.add_task(team_task(1, 700, 45, 0b11));
  s.add_task(task(2, 700, 10, 1440, 9, 0b01));
  TeamLog log;
  log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 700, 0}, {2, 700, 1}}));
  EXPECT_EQ(log.members[1], (std::vector<int32_t>{0, 2}));
}

TEST(SchedulerTeamTest, InputChecks) {
  Scheduler s({member(0, 0), member(1, 0)}, 2);
  Task t = team_task(1, 0, 10, 0b11);
  t.assignee = 0;
  EXPECT_THROW(s.add_task(t), std::invalid_argument);
  EXPECT_EQ(s.open_tasks(), 0u);
}

// latest_start: a task is never started after it. Staff 0 works 10:00-18:00. Task 1 (released 08:00,
// latest start 09:59) is past its latest start when the member first looks at 600: it is never
// started, reported late at the end of the day and removed although it is not drop_when_late (it can
// no longer start). Task 2 (latest start 600) starts at 600 exactly.
TEST(SchedulerTest, LatestStartExpiresTasks) {
  Scheduler s({member(0, 0, 600)}, 1);
  Task a = task(1, 480, 60, 1440, 5);
  a.latest_start = 599;
  Task b = task(2, 480, 60, 1440, 0);
  b.latest_start = 600;
  s.add_task(a);
  s.add_task(b);
  Log log;
  DayStats st = log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{2, 600, 0}}));
  EXPECT_EQ(log.late, (std::vector<uint64_t>{1}));
  EXPECT_EQ(st.tasks_dropped, 1);
  EXPECT_EQ(s.open_tasks(), 0u);
}

// Overtime: a member on 08:00-16:00 with 60 minutes of overtime. Nine 60-minute tasks: eight fill the
// shift (480-960), the ninth runs 960-1020 in overtime. A 20-minute task released at 16:30 (990) finds
// the member busy; at 1020 it would end at 1040, after 16:00 + 60 min, so the member stops (it is late).
// Minutes worked 540, of which overtime 60; available stays 480 (the nominal shift).
TEST(SchedulerTest, OvertimeExtendsTheWorkingDayOnly) {
  StaffMember m = member(0, 0);
  m.overtime_minutes = 60;
  Scheduler s({m}, 1);
  for (uint64_t i = 0; i < 9; ++i) s.add_task(task(i, 0, 60));
  s.add_task(task(100, 990, 20));
  Log log;
  DayStats st = log.run(s, 0);
  ASSERT_EQ(log.done.size(), 9u);
  EXPECT_EQ(log.done.back(), (Done{8, 1020, 0}));
  EXPECT_EQ(st.minutes_worked, (std::vector<int32_t>{540}));
  EXPECT_EQ(st.minutes_overtime, (std::vector<int32_t>{60}));
  EXPECT_EQ(st.minutes_available, (std::vector<int32_t>{480}));
}

// set_overtime (an exercise's overtime order) takes effect from the next run_day, also when called
// from a callback during a day. A member on 08:00-16:00 (480-960). Day 0: overtime of 60 minutes is
// ordered from the callback of task 1 (done at 500); task 2 (60 minutes, released at 930, dropped when
// late) would end at 990 > 960, and the order is not in force yet: not started. Day 1: task 3, the
// same a day later, runs 2370-2430 in the overtime now in force (30 minutes past the shift's end).
TEST(SchedulerTest, OvertimeOrderedDuringADayTakesEffectTheNextDay) {
  Scheduler s({member(0, 0)}, 1);
  s.add_task(task(1, 0, 20));
  Task t2 = task(2, 930, 60);
  t2.drop_when_late = true;
  s.add_task(t2);
  s.add_task(task(3, 1440 + 930, 60, 1440 * 2));
  Log log;
  s.run_day(0, [&](const Task& t, int64_t finish, int staff) {
    log.done.push_back({t.id, finish, staff});
    if (t.id == 1) s.set_overtime(0, 60);
  });
  EXPECT_EQ(log.done, (std::vector<Done>{{1, 500, 0}}));
  log.clear();
  DayStats d1 = log.run(s, 1);
  EXPECT_EQ(log.started, (std::vector<Started>{{3, 1440 + 930, 0}}));
  EXPECT_EQ(d1.minutes_overtime, (std::vector<int32_t>{30}));
}

// A callback that throws leaves the scheduler usable: the task whose completion threw is done (it
// was closed before the call); a task still under way goes back to waiting and is done on the next
// day run. Two members on 08:00-16:00: task 1 (30 minutes) to member 0, task 2 (60 minutes) to member
// 1, both from 480; task 1's completion at 510 throws. Day 1: task 2 starts at 1440 + 480 with
// member 0 (the lower index) and is the only task done.
TEST(SchedulerTest, ACallbackThatThrowsPutsTasksUnderWayBackToWaiting) {
  Scheduler s({member(0, 0), member(0, 0)}, 1);
  s.add_task(task(1, 0, 30, 1440 * 3));
  s.add_task(task(2, 0, 60, 1440 * 3));
  EXPECT_THROW(s.run_day(0,
                         [](const Task& t, int64_t, int) {
                           if (t.id == 1) throw std::runtime_error("callback failed");
                         }),
               std::runtime_error);
  EXPECT_EQ(s.open_tasks(), 1u);
  Log log;
  DayStats d1 = log.run(s, 1);
  EXPECT_EQ(log.started, (std::vector<Started>{{2, 1440 + 480, 0}}));
  EXPECT_EQ(log.done, (std::vector<Done>{{2, 1440 + 540, 0}}));
  EXPECT_EQ(d1.minutes_worked, (std::vector<int32_t>{60, 0}));
  EXPECT_EQ(s.open_tasks(), 0u);
}

// A member waiting at the end of the shift goes on waiting into the overtime (here 30 minutes, to 990)
// for work released then. Task 1 runs 950-970 (10 minutes past 960 count as overtime), task 2 runs
// 975-985 (all overtime); task 3, released at 985, would end at 995 > 990: the member stops.
TEST(SchedulerTest, OvertimeTakesWorkReleasedAfterTheShiftEnds) {
  StaffMember m = member(0, 0);
  m.overtime_minutes = 30;
  Scheduler s({m}, 1);
  s.add_task(task(1, 950, 20));            // 950-970: 10 minutes past 960
  s.add_task(task(2, 975, 10));            // 975-985: all overtime
  s.add_task(task(3, 985, 10, 1440 * 2));  // 985-995 would end after 990: not today
  Log log;
  DayStats st = log.run(s, 0);
  EXPECT_EQ(log.started, (std::vector<Started>{{1, 950, 0}, {2, 975, 0}}));
  EXPECT_EQ(st.minutes_worked, (std::vector<int32_t>{30}));
  EXPECT_EQ(st.minutes_overtime, (std::vector<int32_t>{20}));
  m.shift_start = 1000;
  m.minutes_per_day = 420;
  m.overtime_minutes = 30;  // 1000 + 420 + 30 > 1440
  EXPECT_THROW(Scheduler({m}, 1), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------------
// Property tests: random rosters and tasks, fixed seeds. Each case runs the scheduler and a naive
// reference that walks every minute of the day and lets every free member scan every task, applying
// the documented rule literally. Their logs must match exactly; the scheduler's log must also satisfy
// the invariants below, checked from the log alone.

uint64_t splitmix(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
int64_t uniform(uint64_t& rng, int64_t lo, int64_t hi) {  // [lo, hi]
  return lo + static_cast<int64_t>(splitmix(rng) % static_cast<uint64_t>(hi - lo + 1));
}

bool better_task(const Task& a, const Task& b) {
  return std::tie(b.priority, a.deadline, a.release, a.id) < std::tie(a.priority, b.deadline, b.release, b.id);
}

bool eligible(const StaffMember& m, int staff, const Task& t) {
  if (((t.role_mask >> m.role) & 1u) == 0) return false;
  if (t.assignee != -1) return t.assignee == staff;
  return m.village == -1 || m.village == t.village;
}

struct Case {
  int num_roles = 1;
  std::vector<StaffMember> staff;
  std::vector<std::pair<int, int>> unavailable;  // (staff, day)
  std::vector<Task> tasks;
  std::vector<int> days;
};

// `crowded`: many members per (village, role) group and releases bunched on the hour, so that many
// members are free, idle and woken at the same minutes (ties by staff index, long wake chains).
// `extended`: also overtime, daily task limits, team tasks and latest starts (extra draws only then,
// so the other cases stay what they were).
Case random_case(uint64_t seed, bool crowded = false, bool extended = false) {
  uint64_t rng = seed * 7919 + 17;
  Case c;
  c.num_roles = static_cast<int>(uniform(rng, 1, crowded ? 2 : 3));
  const int villages = static_cast<int>(uniform(rng, 1, crowded ? 2 : 3));
  const int n = static_cast<int>(crowded ? uniform(rng, 6, 14) : uniform(rng, 1, 6));
  static const int16_t starts[] = {0, 300, 480, 480, 600, 900, 1200};
  for (int i = 0; i < n; ++i) {
    StaffMember m;
    m.role = static_cast<uint16_t>(uniform(rng, 0, c.num_roles - 1));
    m.village = uniform(rng, 0, 3) == 0 ? -1 : static_cast<int32_t>(uniform(rng, 0, villages - 1));
    m.shift_start = starts[uniform(rng, 0, 6)];
    m.minutes_per_day = static_cast<int16_t>(
        std::min<int64_t>(uniform(rng, 0, 10) == 0 ? 0 : uniform(rng, 30, 600), 1440 - m.shift_start));
    m.available_from_day = uniform(rng, 0, 4) == 0 ? static_cast<int32_t>(uniform(rng, 1, 2)) : 0;
    if (extended && uniform(rng, 0, 2) == 0)
      m.overtime_minutes =
          static_cast<int16_t>(std::min<int64_t>(uniform(rng, 1, 120), 1440 - m.shift_start - m.minutes_per_day));
    if (extended && uniform(rng, 0, 3) == 0) m.max_tasks_per_day = static_cast<int32_t>(uniform(rng, 1, 4));
    c.staff.push_back(m);
    if (uniform(rng, 0, 3) == 0) c.unavailable.push_back({i, static_cast<int>(uniform(rng, 0, 3))});
  }
  const int t_count = static_cast<int>(crowded ? uniform(rng, 40, 150) : uniform(rng, 1, 60));
  for (int i = 0; i < t_count; ++i) {
    Task t;
    t.id = static_cast<uint64_t>(i) * 13 % 1000 + 1000 * static_cast<uint64_t>(uniform(rng, 0, 3));  // unique
    t.priority = static_cast<int32_t>(uniform(rng, 0, 2));
    t.release = uniform(rng, 0, 4) == 0 ? 0 : uniform(rng, 0, 3 * 1440);
    t.deadline = t.release + uniform(rng, 0, 2000);
    if (crowded) t.release = 60 * uniform(rng, 0, 3 * 24);
    t.minutes = static_cast<int32_t>(uniform(rng, 0, 9) == 0 ? uniform(rng, 100, 500) : uniform(rng, 1, 60));
    t.role_mask = static_cast<uint32_t>(uniform(rng, 1, (1 << c.num_roles) - 1));
    t.village = static_cast<int32_t>(uniform(rng, 0, villages));  // village `villages` has no staff
    if (uniform(rng, 0, 9) == 0) {
      t.assignee = static_cast<int32_t>(uniform(rng, 0, n - 1));
      t.role_mask |= 1u << c.staff[static_cast<size_t>(t.assignee)].role;
    }
    t.drop_when_late = uniform(rng, 0, 2) == 0;
    if (extended) {
      if (t.assignee < 0 && uniform(rng, 0, 2) == 0) t.team = true;
      if (uniform(rng, 0, 3) == 0) t.latest_start = t.release + uniform(rng, 0, 600);
    }
    c.tasks.push_back(t);
  }
  // Ids must be unique: rebuild any clash deterministically.
  std::set<uint64_t> ids;
  for (Task& t : c.tasks)
    while (!ids.insert(t.id).second) t.id += 4000;
  c.days = uniform(rng, 0, 1) == 0 ? std::vector<int>{0, 1, 2} : std::vector<int>{0, 2, 3};
  return c;
}

// Follow-ups created by both simulations the same way: every completed task with id % 5 == 0 (not a
// follow-up itself) adds a follow-up released 0, 30 or 60 minutes after it finishes; every late task
// with id % 7 == 0 adds an escalation released at the start of the next day.
constexpr uint64_t kFollowUp = 1'000'000;
constexpr uint64_t kEscalation = 2'000'000;
bool make_follow_up(const Task& t, int64_t finish, Task& out) {
  if (t.id >= kFollowUp || t.id % 5 != 0) return false;
  out = t;
  out.id = kFollowUp + t.id;
  out.release = finish + static_cast<int64_t>(t.id % 3) * 30;
  out.deadline = out.release + 300;
  out.minutes = 10;
  out.priority = t.priority + 1;
  out.drop_when_late = false;
  out.latest_start = std::numeric_limits<int64_t>::max();
  return true;
}
bool make_escalation(const Task& t, int64_t day_end, Task& out) {
  if (t.id >= kFollowUp || t.id % 7 != 0) return false;
  out = t;
  out.id = kEscalation + t.id;
  out.release = day_end;
  out.deadline = day_end + 1440;
  out.minutes = 15;
  out.drop_when_late = true;
  out.latest_start = std::numeric_limits<int64_t>::max();
  return true;
}

struct Event {
  char kind;  // 's' start, 'm' a member of the team task just started, 'c' complete, 'l' late, 't' timer
  uint64_t id;
  int64_t time;
  int staff;
  bool operator==(const Event&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << e.kind << " id=" << e.id << " t=" << e.time << " staff=" << e.staff;
}

struct DaySummary {
  std::vector<int32_t> worked, available, overtime;
  int64_t completed, late, dropped;
  size_t open;
  bool operator==(const DaySummary&) const = default;
};
DaySummary summary(const DayStats& d) {
  return {d.minutes_worked, d.minutes_available, d.minutes_overtime, d.tasks_completed,
          d.tasks_late,     d.tasks_dropped,     d.open_at_end};
}

// The rule, literally: every minute, completions in staff order, then every free member in staff
// order scans every task.
class Reference {
 public:
  explicit Reference(const Case& c) : c_(c) {
    for (const Task& t : c.tasks) add(t, std::numeric_limits<int64_t>::min());
  }
  bool on_duty(int s, int day) const {
    const StaffMember& m = c_.staff[static_cast<size_t>(s)];
    if (day < m.available_from_day) return false;
    return std::find(c_.unavailable.begin(), c_.unavailable.end(), std::make_pair(s, day)) == c_.unavailable.end();
  }
  DaySummary run_day(int day, std::vector<Event>& log) {
    const size_t n = c_.staff.size();
    const int64_t d0 = int64_t{day} * 1440, d1 = d0 + 1440;
    DaySummary sum{std::vector<int32_t>(n, 0), std::vector<int32_t>(n, 0), std::vector<int32_t>(n, 0), 0, 0, 0, 0};
    std::vector<int> cur(n, -1);
    std::vector<int64_t> busy_until(n, 0);
    std::vector<bool> stopped(n, false);
    std::vector<int32_t> started_today(n, 0);
    auto at_limit = [&](size_t s) {
      return c_.staff[s].max_tasks_per_day > 0 && started_today[s] >= c_.staff[s].max_tasks_per_day;
    };
    for (size_t s = 0; s < n; ++s)
      if (on_duty(static_cast<int>(s), day) && c_.staff[s].minutes_per_day > 0)
        sum.available[s] = c_.staff[s].minutes_per_day;
    for (int64_t t = d0; t <= d1; ++t) {
      for (size_t s = 0; s < n; ++s) {
        if (cur[s] < 0 || busy_until[s] != t) continue;
        const size_t ti = static_cast<size_t>(cur[s]);
        Task done = tasks_[ti].t;
        tasks_[ti].done = true;
        for (int x : tasks_[ti].members) cur[static_cast<size_t>(x)] = -1;  // a team is freed together
        cur[s] = -1;
        ++sum.completed;
        log.push_back({'c', done.id, t, static_cast<int>(s)});
        Task f;
        if (make_follow_up(done, t, f)) add(f, t);
      }
      auto window_end = [&](size_t s) {
        const StaffMember& m = c_.staff[s];
        return d0 + m.shift_start + m.minutes_per_day + m.overtime_minutes;
      };
      auto work = [&](size_t s, const Task& x) {
        const int64_t nominal_end = d0 + c_.staff[s].shift_start + c_.staff[s].minutes_per_day;
        busy_until[s] = t + x.minutes;
        ++started_today[s];
        sum.worked[s] += x.minutes;
        sum.overtime[s] += static_cast<int32_t>(std::max<int64_t>(0, t + x.minutes - std::max(t, nominal_end)));
      };
      auto open_at = [&](const RefTask& rt) {
        return !rt.done && !rt.started && !rt.dropped && rt.t.release <= t && t <= rt.t.latest_start;
      };
      // Team tasks first, in dispatch order: the lowest free member of each role whose window fits.
      std::vector<size_t> team;
      for (size_t i = 0; i < tasks_.size(); ++i)
        if (tasks_[i].t.team && open_at(tasks_[i])) team.push_back(i);
      std::sort(team.begin(), team.end(), [&](size_t a, size_t b) { return better_task(tasks_[a].t, tasks_[b].t); });
      for (size_t i : team) {
        RefTask& rt = tasks_[i];
        std::vector<int> picked;
        for (uint32_t r = 0; r < 32; ++r) {
          if (((rt.t.role_mask >> r) & 1u) == 0) continue;
          int found = -1;
          for (size_t s = 0; s < n && found < 0; ++s) {
            const StaffMember& m = c_.staff[s];
            if (sum.available[s] == 0 || stopped[s] || cur[s] >= 0 || t < d0 + m.shift_start || at_limit(s)) continue;
            if (m.role == r && eligible(m, static_cast<int>(s), rt.t) && t + rt.t.minutes <= window_end(s))
              found = static_cast<int>(s);
          }
          if (found < 0) break;
          picked.push_back(found);
        }
        if (picked.size() != static_cast<size_t>(__builtin_popcount(rt.t.role_mask))) continue;
        std::sort(picked.begin(), picked.end());
        rt.started = true;
        rt.members = picked;
        for (int x : picked) {
          cur[static_cast<size_t>(x)] = static_cast<int>(i);
          work(static_cast<size_t>(x), rt.t);
        }
        log.push_back({'s', rt.t.id, t, picked.front()});
        for (int x : picked) log.push_back({'m', rt.t.id, t, x});
      }
      for (size_t s = 0; s < n; ++s) {
        const StaffMember& m = c_.staff[s];
        if (sum.available[s] == 0 || stopped[s] || cur[s] >= 0 || t < d0 + m.shift_start || at_limit(s)) continue;
        // The best open task the member may do among those that fit before its window ends; if some
        // are open but none fits, the member stops for the day.
        int best = -1;
        bool any = false;
        for (size_t i = 0; i < tasks_.size(); ++i) {
          const RefTask& rt = tasks_[i];
          if (rt.t.team || !open_at(rt) || !eligible(m, static_cast<int>(s), rt.t)) continue;
          any = true;
          if (t + rt.t.minutes > window_end(s)) continue;
          if (best < 0 || better_task(rt.t, tasks_[static_cast<size_t>(best)].t)) best = static_cast<int>(i);
        }
        if (best < 0) {
          if (any) stopped[s] = true;
          continue;
        }
        RefTask& rt = tasks_[static_cast<size_t>(best)];
        rt.started = true;
        cur[s] = best;
        work(s, rt.t);
        log.push_back({'s', rt.t.id, t, static_cast<int>(s)});
      }
    }
    // End of day: by (deadline, id); escalations added here are checked in the same pass.
    while (true) {
      int pick = -1;
      for (size_t i = 0; i < tasks_.size(); ++i) {
        const RefTask& rt = tasks_[i];
        if (rt.done || rt.started || rt.dropped || rt.late || rt.t.deadline > d1) continue;
        if (pick < 0 || std::tie(rt.t.deadline, rt.t.id) < std::tie(tasks_[static_cast<size_t>(pick)].t.deadline,
                                                                    tasks_[static_cast<size_t>(pick)].t.id))
          pick = static_cast<int>(i);
      }
      if (pick < 0) break;
      tasks_[static_cast<size_t>(pick)].late = true;
      const Task t = tasks_[static_cast<size_t>(pick)].t;
      ++sum.late;
      log.push_back({'l', t.id, d1, -1});
      Task e;
      if (make_escalation(t, d1, e)) add(e, d1);
      if (t.drop_when_late || t.latest_start < d1) {
        tasks_[static_cast<size_t>(pick)].dropped = true;
        ++sum.dropped;
      }
    }
    for (const RefTask& rt : tasks_) sum.open += (rt.done || rt.dropped) ? 0 : 1;
    return sum;
  }

 private:
  struct RefTask {
    Task t;
    bool started = false, done = false, late = false, dropped = false;
    std::vector<int> members;  // team tasks, once started
  };
  void add(const Task& t, int64_t) {
    RefTask rt;
    rt.t = t;
    tasks_.push_back(rt);
  }
  const Case& c_;
  std::vector<RefTask> tasks_;
};

struct SimRun {
  std::vector<Event> log;
  std::vector<DaySummary> days;
  std::map<uint64_t, Task> tasks;        // every task ever added
  std::map<uint64_t, int64_t> added_at;  // minute added from a callback (absent: before day 0)
  std::map<uint64_t, int64_t> dropped_at;
};

// `between_days`: each task is added just before the first day run that could see it (released or
// due by that day's end) instead of all before day 0, as a town adds its daily duties.
// The same on a given scheduler (built with c's roster, or restarted with it).
SimRun run_scheduler_on(Scheduler& s, const Case& c, const std::vector<size_t>& add_order, bool between_days = false) {
  SimRun r;
  for (auto [st, day] : c.unavailable) s.set_unavailable(st, day);
  std::vector<size_t> waiting;  // not added yet (between_days)
  for (size_t i : add_order) {
    if (between_days) {
      waiting.push_back(i);
      continue;
    }
    s.add_task(c.tasks[i]);
    r.tasks[c.tasks[i].id] = c.tasks[i];
  }
  for (int day : c.days) {
    const int64_t d1 = day_start(day) + kMinutesPerDay;
    std::erase_if(waiting, [&](size_t i) {
      if (c.tasks[i].release >= d1 && c.tasks[i].deadline > d1) return false;  // neither released nor due today
      s.add_task(c.tasks[i]);
      r.tasks[c.tasks[i].id] = c.tasks[i];
      return true;
    });
    DayStats st = s.run_day(
        day,
        [&](const Task& t, int64_t finish, int who) {
          r.log.push_back({'c', t.id, finish, who});
          Task f;
          if (make_follow_up(t, finish, f)) {
            s.add_task(f);
            r.tasks[f.id] = f;
            r.added_at[f.id] = finish;
          }
        },
        [&](const Task& t) {
          r.log.push_back({'l', t.id, d1, -1});
          if (t.drop_when_late) r.dropped_at[t.id] = d1;
          Task e;
          if (make_escalation(t, d1, e)) {
            s.add_task(e);
            r.tasks[e.id] = e;
            r.added_at[e.id] = d1;
          }
        },
        [&](const Task& t, int64_t start, int who) {
          r.log.push_back({'s', t.id, start, who});
          for (int32_t x : s.current_team()) r.log.push_back({'m', t.id, start, x});
        },
        [&](uint64_t id, int64_t time) {
          r.log.push_back({'t', id, time, -1});
        });
    // The sums by role are those of the members of each role (kept as the day runs, not walked).
    std::vector<int64_t> worked(size_t(c.num_roles), 0), available(size_t(c.num_roles), 0),
        overtime(size_t(c.num_roles), 0);
    for (size_t m = 0; m < c.staff.size(); ++m) {
      worked[c.staff[m].role] += st.minutes_worked[m];
      available[c.staff[m].role] += st.minutes_available[m];
      overtime[c.staff[m].role] += st.minutes_overtime[m];
    }
    EXPECT_EQ(st.role_minutes_worked, worked) << "day " << day;
    EXPECT_EQ(st.role_minutes_available, available) << "day " << day;
    EXPECT_EQ(st.role_minutes_overtime, overtime) << "day " << day;
    r.days.push_back(summary(st));
    EXPECT_EQ(s.open_tasks(), st.open_at_end);
  }
  return r;
}

SimRun run_scheduler(const Case& c, const std::vector<size_t>& add_order, bool between_days = false) {
  Scheduler s(c.staff, c.num_roles);
  return run_scheduler_on(s, c, add_order, between_days);
}

// Invariants checked from the log alone.
void check_invariants(const Case& c, const SimRun& r, uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  struct Work {
    int64_t start = -1, finish = -1;
    int staff = -1;
  };
  std::map<uint64_t, Work> work;
  std::set<uint64_t> late_seen;
  for (const Event& e : r.log) {
    if (e.kind == 's') {
      ASSERT_EQ(work.count(e.id), 0u) << "task started twice: " << e;
      work[e.id] = {e.time, -1, e.staff};
    } else if (e.kind == 'c') {
      ASSERT_EQ(work.count(e.id), 1u) << "completed without a start: " << e;
      Work& w = work[e.id];
      ASSERT_EQ(w.finish, -1) << "task completed twice: " << e;
      ASSERT_EQ(w.staff, e.staff);
      w.finish = e.time;
      ASSERT_EQ(w.finish - w.start, r.tasks.at(e.id).minutes) << e;
    } else {
      ASSERT_TRUE(late_seen.insert(e.id).second) << "late twice: " << e;
      ASSERT_EQ(work.count(e.id), 0u) << "a started task reported late: " << e;
    }
  }
  // Per member and day: eligible, inside the shift, no overlap, and work conservation.
  for (int day : c.days) {
    const int64_t d0 = day_start(day);
    for (size_t s = 0; s < c.staff.size(); ++s) {
      const StaffMember& m = c.staff[s];
      const int64_t a0 = d0 + m.shift_start, a1 = a0 + m.minutes_per_day;
      std::vector<std::pair<int64_t, int64_t>> busy;
      for (const auto& [id, w] : work) {
        if (w.staff != static_cast<int>(s) || w.start < d0 || w.start >= d0 + kMinutesPerDay) continue;
        ASSERT_TRUE(eligible(m, static_cast<int>(s), r.tasks.at(id))) << "id " << id;
        ASSERT_GE(w.start, a0) << "id " << id;
        ASSERT_LE(w.finish, a1) << "id " << id;
        busy.push_back({w.start, w.finish});
      }
      std::sort(busy.begin(), busy.end());
      for (size_t i = 1; i < busy.size(); ++i) ASSERT_LE(busy[i - 1].second, busy[i].first) << "overlap, staff " << s;
      const bool duty = m.minutes_per_day > 0 && day >= m.available_from_day &&
                        std::find(c.unavailable.begin(), c.unavailable.end(),
                                  std::make_pair(static_cast<int>(s), day)) == c.unavailable.end();
      if (!duty) {
        ASSERT_TRUE(busy.empty());
        continue;
      }
      // Task x is available to member s at minute u if it is eligible, released and added by u, not
      // dropped before u, and not started before u (nor at u by a lower-index member, who looked first).
      auto available = [&](const Task& x, int64_t u) {
        if (!eligible(m, static_cast<int>(s), x) || x.release > u) return false;
        auto add = r.added_at.find(x.id);
        if (add != r.added_at.end() && add->second > u) return false;
        auto drop = r.dropped_at.find(x.id);
        if (drop != r.dropped_at.end() && drop->second <= u) return false;
        auto w = work.find(x.id);
        if (w == work.end()) return true;
        return w->second.start > u || (w->second.start == u && w->second.staff > static_cast<int>(s));
      };
      auto is_free = [&](int64_t u) {
        if (u < a0 || u >= a1) return false;
        for (auto [b, e] : busy)
          if (b <= u && u < e) return false;
        return true;
      };
      // The first free minute with anything available is a free-interval start or a release/add time.
      std::set<int64_t> candidates{a0};
      for (auto [b, e] : busy) candidates.insert(e);
      for (const auto& [id, x] : r.tasks) {
        candidates.insert(x.release);
        auto add = r.added_at.find(id);
        if (add != r.added_at.end()) candidates.insert(add->second);
      }
      for (int64_t u : candidates) {
        if (!is_free(u)) continue;
        const Task* best = nullptr;
        for (const auto& [id, x] : r.tasks)
          if (available(x, u) && (best == nullptr || better_task(x, *best))) best = &x;
        if (best == nullptr) continue;
        // Idle with work ready: allowed only if the best does not fit and the member stopped for good.
        ASSERT_GT(u + best->minutes, a1) << "staff " << s << " idle at " << u << " with task " << best->id << " ready";
        ASSERT_TRUE(busy.empty() || busy.back().first < u) << "staff " << s << " worked after stopping at " << u;
        break;
      }
    }
  }
}

// Invariants of cases with team tasks, latest starts and overtime, from the log alone: nobody is in
// two tasks at once (team tasks included), a team task has exactly one member of each of its roles,
// every member is eligible and works inside their shift plus overtime, nothing starts after its
// latest start, and a task starts at most once.
void check_extended_invariants(const Case& c, const SimRun& r, uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  struct Work {
    int64_t start = -1;
    std::vector<int> members;
  };
  std::map<uint64_t, Work> work;
  for (const Event& e : r.log) {
    if (e.kind == 's') {
      ASSERT_EQ(work.count(e.id), 0u) << "task started twice: " << e;
      work[e.id].start = e.time;
      if (!r.tasks.at(e.id).team) work[e.id].members = {e.staff};
    } else if (e.kind == 'm') {
      ASSERT_EQ(work.at(e.id).start, e.time);
      work[e.id].members.push_back(e.staff);
    }
  }
  std::map<int, std::vector<std::pair<int64_t, int64_t>>> busy;  // staff -> intervals
  for (const auto& [id, w] : work) {
    const Task& t = r.tasks.at(id);
    ASSERT_GE(w.start, t.release) << "id " << id;
    ASSERT_LE(w.start, t.latest_start) << "id " << id;
    uint32_t roles = 0;
    for (int x : w.members) {
      const StaffMember& m = c.staff[static_cast<size_t>(x)];
      ASSERT_TRUE(eligible(m, x, t)) << "id " << id << " staff " << x;
      ASSERT_EQ((roles >> m.role) & 1u, 0u) << "two members of one role in team task " << id;
      roles |= 1u << m.role;
      const int64_t a0 = day_start(day_of(w.start)) + m.shift_start;
      ASSERT_GE(w.start, a0) << "id " << id;
      ASSERT_LE(w.start + t.minutes, a0 + m.minutes_per_day + m.overtime_minutes) << "id " << id;
      busy[x].push_back({w.start, w.start + t.minutes});
    }
    if (t.team) {
      ASSERT_EQ(roles, t.role_mask) << "team task " << id << " without all its roles";
    } else {
      ASSERT_EQ(w.members.size(), 1u);
    }
  }
  for (auto& [x, v] : busy) {
    std::sort(v.begin(), v.end());
    for (size_t i = 1; i < v.size(); ++i) ASSERT_LE(v[i - 1].second, v[i].first) << "staff " << x << " double-booked";
  }
}

void check_against_reference(const Case& c, uint64_t seed, SimRun& out, bool extended = false) {
  std::vector<size_t> order(c.tasks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  out = run_scheduler(c, order);
  Reference ref(c);
  std::vector<Event> ref_log;
  std::vector<DaySummary> ref_days;
  for (int day : c.days) ref_days.push_back(ref.run_day(day, ref_log));
  ASSERT_EQ(out.log, ref_log) << "seed " << seed;
  ASSERT_EQ(out.days, ref_days) << "seed " << seed;
  if (extended) {
    check_extended_invariants(c, out, seed);
  } else {
    check_invariants(c, out, seed);
  }
  if (::testing::Test::HasFatalFailure()) return;

  // The order tasks were added in does not matter.
  std::vector<size_t> shuffled_order(order.rbegin(), order.rend());
  uint64_t rng = seed;
  for (size_t i = shuffled_order.size(); i > 1; --i)
    std::swap(shuffled_order[i - 1], shuffled_order[splitmix(rng) % i]);
  const SimRun shuffled = run_scheduler(c, shuffled_order);
  ASSERT_EQ(shuffled.log, out.log) << "seed " << seed;
  ASSERT_EQ(shuffled.days, out.days) << "seed " << seed;

  // Nor whether a task was added before day 0 or between days, just before the day that sees it
  // (one released by that day's start is ready at once, the others wait for their release).
  const SimRun between = run_scheduler(c, order, true);
  size_t first = 0;  // the first event that differs, for the message
  while (first < between.log.size() && first < out.log.size() && between.log[first] == out.log[first]) ++first;
  ASSERT_EQ(between.log, out.log) << "seed " << seed << ", first difference at event " << first << ": "
                                  << (first < between.log.size() ? between.log[first] : Event{}) << " against "
                                  << (first < out.log.size() ? out.log[first] : Event{});
  // The day accounts too, except the backlog: tasks not added yet are not held, so not counted.
  auto without_backlog = [](std::vector<DaySummary> days) {
    for (DaySummary& d : days) d.open = 0;
    return days;
  };
  ASSERT_EQ(without_backlog(between.days), without_backlog(out.days)) << "seed " << seed;
}

TEST(SchedulerPropertyTest, MatchesReferenceAndInvariantsOnRandomCases) {
  // Coverage of the cases, so a change to the generator cannot quietly make the test trivial.
  int64_t starts = 0, late = 0, follow_ups = 0, escalations = 0, waits = 0, pool = 0, assigned = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const Case c = random_case(seed);
    SimRun r;
    check_against_reference(c, seed, r);
    if (HasFatalFailure()) return;
    for (const Event& e : r.log) {
      if (e.kind == 'l') ++late;
      if (e.kind != 's') continue;
      ++starts;
      const Task& t = r.tasks.at(e.id);
      follow_ups += e.id >= kFollowUp && e.id < kEscalation;
      escalations += e.id >= kEscalation;
      waits +=
          e.time == t.release && e.time > day_start(day_of(e.time)) + c.staff[static_cast<size_t>(e.staff)].shift_start;
      pool += c.staff[static_cast<size_t>(e.staff)].village == -1;
      assigned += t.assignee >= 0;
    }
  }
  // Seen when written: 6829 starts, 7018 late, 1156 follow-ups, 98 escalations, 1219 waits for a
  // release, 2589 by the town pool, 942 assigned.
  EXPECT_GT(starts, 3000);
  EXPECT_GT(late, 3000);
  EXPECT_GT(follow_ups, 500);
  EXPECT_GT(escalations, 40);
  EXPECT_GT(waits, 500);
  EXPECT_GT(pool, 1000);
  EXPECT_GT(assigned, 400);
}

TEST(SchedulerPropertyTest, MatchesReferenceOnCrowdedCases) {
  int64_t starts = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const Case c = random_case(seed, true);
    SimRun r;
    check_against_reference(c, seed, r);
    if (HasFatalFailure()) return;
    starts += std::count_if(r.log.begin(), r.log.end(), [](const Event& e) { return e.kind == 's'; });
  }
  EXPECT_GT(starts, 3000);
}

// Rosters mixing team and single tasks, with latest starts and overtime: the scheduler matches the
// literal reference, never double-books a member, and staffs every team task with all its roles.
TEST(SchedulerPropertyTest, TeamTasksLatestStartsAndOvertime) {
  int64_t team_starts = 0, single_starts = 0, expired = 0, overtime = 0, team_late = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    for (bool crowded : {false, true}) {
      if (crowded && seed > 60) continue;
      const Case c = random_case(seed, crowded, true);
      SimRun r;
      check_against_reference(c, seed, r, true);
      if (HasFatalFailure()) return;
      std::set<uint64_t> started;
      for (const Event& e : r.log) {
        const Task& t = r.tasks.at(e.id);
        if (e.kind == 's') {
          started.insert(e.id);
          (t.team ? team_starts : single_starts)++;
        }
        if (e.kind == 'l') {
          expired += t.latest_start < day_start(day_of(e.time - 1)) + kMinutesPerDay;
          team_late += t.team;
        }
      }
      for (const DaySummary& d : r.days)
        for (int32_t o : d.overtime) overtime += o;
    }
  }
  // Seen when written: 2374 team starts, 5785 single starts, 2335 expired, 2829 team tasks late,
  // 7145 minutes of overtime.
  EXPECT_GT(team_starts, 1000);
  EXPECT_GT(single_starts, 3000);
  EXPECT_GT(expired, 1000);
  EXPECT_GT(team_late, 1000);
  EXPECT_GT(overtime, 3000);
}

// Many days of multi-role tasks with lazy deletion and heap compaction: every task ends exactly once,
// completed or dropped, or is still open.
TEST(SchedulerPropertyTest, LongRunConservesTasks) {
  std::vector<StaffMember> staff;
  for (int i = 0; i < 30; ++i)
    staff.push_back(
        member(static_cast<uint16_t>(i % 3), i % 4 == 3 ? -1 : i % 5, static_cast<int16_t>(300 + 60 * (i % 4))));
  Scheduler s(staff, 3);
  uint64_t rng = 42, next_id = 0;
  int64_t completed = 0, dropped = 0, added = 0;
  std::vector<int64_t> busy_until(staff.size(), 0);
  for (int day = 0; day < 60; ++day) {
    for (int i = 0; i < 900; ++i) {
      Task t = task(next_id++, day_start(day) + uniform(rng, 0, 1000), static_cast<int32_t>(uniform(rng, 5, 40)),
                    day_start(day) + uniform(rng, 600, 3000), static_cast<int32_t>(uniform(rng, 0, 3)),
                    static_cast<uint32_t>(uniform(rng, 1, 7)), static_cast<int32_t>(uniform(rng, 0, 5)));
      t.drop_when_late = uniform(rng, 0, 1) == 0;
      s.add_task(t);
      ++added;
    }
    DayStats st = s.run_day(day, [&](const Task& t, int64_t f, int who) {
      ++completed;
      ASSERT_TRUE(s.can_do(who, t));
      ASSERT_GE(f - t.minutes, busy_until[static_cast<size_t>(who)]);
      busy_until[static_cast<size_t>(who)] = f;
    });
    dropped += st.tasks_dropped;
    ASSERT_EQ(static_cast<int64_t>(s.open_tasks()) + completed + dropped, added) << "day " << day;
  }
  EXPECT_GT(completed, 30000);
}

// A doctor's daily visits: max_tasks_per_day 3. Five 30-minute visits released at 00:00, due by the
// end of day 1; one doctor 08:00-16:00. Day 0: visits 0-2 at 08:00-09:30, then the doctor stops
// for the day with 6.5 hours left; day 1: visits 3 and 4 (08:00-09:00). A second doctor without a
// limit takes what the first may not.
TEST(SchedulerTest, DailyTaskLimitStopsTheMemberForTheDay) {
  StaffMember doc = member(0, 0);
  doc.max_tasks_per_day = 3;
  Scheduler s({doc}, 1);
  for (uint64_t i = 0; i < 5; ++i) s.add_task(task(i, 0, 30, 2880));
  Log log;
  DayStats d0 = log.run(s, 0);
  EXPECT_EQ(log.done, (std::vector<Done>{{0, 510, 0}, {1, 540, 0}, {2, 570, 0}}));
  EXPECT_EQ(d0.minutes_worked, (std::vector<int32_t>{90}));
  log.clear();
  log.run(s, 1);
  EXPECT_EQ(log.done, (std::vector<Done>{{3, 1440 + 510, 0}, {4, 1440 + 540, 0}}));

  Scheduler two({doc, member(0, 0)}, 1);
  for (uint64_t i = 0; i < 8; ++i) two.add_task(task(i, 0, 30));
  Log log2;
  log2.run(two, 0);
  int by_first = 0;
  for (const Done& d : log2.done) by_first += d.staff == 0;
  EXPECT_EQ(by_first, 3);
  EXPECT_EQ(log2.done.size(), 8u);  // the second doctor takes the other five
}

// A member at the limit joins no team: the cadre (limit 1) finishes a single task at 08:30, the
// minute the team task is released (the team step runs before free members look), so the team
// waits for the second cadre, who starts at 10:00.
TEST(SchedulerTest, AMemberAtTheDailyLimitJoinsNoTeam) {
  StaffMember cadre = member(0, 0);
  cadre.max_tasks_per_day = 1;
  StaffMember late_cadre = member(0, 0, 600);
  Scheduler s({cadre, late_cadre, member(1, 0)}, 2);
  s.add_task(task(0, 480, 30, 1440, 0, 0b01));
  s.add_task(team_task(1, 510, 60, 0b11));
  TeamLog log;
  log.run(s, 0);
  ASSERT_EQ(log.members.count(1), 1u);
  EXPECT_EQ(log.members[1], (std::vector<int32_t>{1, 2}));
  bool found = false;
  for (const Started& st : log.started)
    if (st.id == 1) {
      EXPECT_EQ(st.start, 600);
      found = true;
    }
  EXPECT_TRUE(found);
}

// A restarted scheduler behaves as a new one: a first life with other tasks (renumbered and moved),
// absences, overtime, timers and an availability function leaves nothing behind but memory (and
// the role classes and lanes it learnt, which change no result).
TEST(SchedulerRestartTest, RestartedRunsAsNew) {
  int64_t compared = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    for (bool crowded : {false, true}) {
      if (crowded && seed > 40) continue;
      const Case b = random_case(seed, crowded, true);
      std::vector<size_t> order(b.tasks.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      Scheduler f(b.staff, b.num_roles);
      const SimRun fresh = run_scheduler_on(f, b, order);

      Scheduler s(b.staff, b.num_roles);
      Case a = b;  // the first life
      for (size_t i = 0; i < a.tasks.size(); ++i) {
        Task& t = a.tasks[i];
        t.id += 5'000'000;
        t.release += 37;
        t.deadline += 37;
        if (t.latest_start != std::numeric_limits<int64_t>::max()) t.latest_start += 37;
        t.rotate = i % 4 == 0 && t.assignee < 0 && !t.team;  // rotation minutes to forget
      }
      for (size_t m = 0; m < a.staff.size(); ++m)  // more of one's own work than a shift holds: left in the heaps
        for (uint64_t k = 0; k < 3; ++k) {
          Task t = task(9'000'000 + m * 10 + k, 0, 400, 3000, 1, 1u << a.staff[m].role,
                        std::max<int32_t>(a.staff[m].village, 0));
          t.assignee = static_cast<int32_t>(m);
          a.tasks.push_back(t);
        }
      std::vector<size_t> order_a(a.tasks.size());
      for (size_t i = 0; i < order_a.size(); ++i) order_a[i] = i;
      for (size_t m = 0; m < a.staff.size(); m += 2) a.unavailable.push_back({static_cast<int>(m), 1});
      a.days = {b.days[0]};  // one day: it restarts with tasks open, ready and pending
      s.set_overtime(0, 90);
      s.add_timer(500, 7);
      s.set_availability([](int staff, int day) { return (staff + day) % 3 != 0; });
      run_scheduler_on(s, a, order_a);
      s.add_timer(day_start(2) + 5, 8);  // pending when it restarts
      if (HasFatalFailure()) return;

      ASSERT_TRUE(s.restart(b.staff, b.num_roles)) << "seed " << seed;
      const SimRun again = run_scheduler_on(s, b, order);
      ASSERT_EQ(again.log, fresh.log) << "seed " << seed << (crowded ? " crowded" : "");
      ASSERT_EQ(again.days, fresh.days) << "seed " << seed << (crowded ? " crowded" : "");
      // What it reports of itself, too.
      EXPECT_EQ(s.tasks_completed(), f.tasks_completed());
      EXPECT_EQ(s.open_tasks(), f.open_tasks());
      EXPECT_EQ(s.late_open_tasks(), f.late_open_tasks());
      for (int r = 0; r < b.num_roles; ++r) EXPECT_EQ(s.open_tasks_for_role(r), f.open_tasks_for_role(r));
      for (size_t m = 0; m < b.staff.size(); ++m)
        EXPECT_EQ(s.rotation_minutes(int(m)), f.rotation_minutes(int(m))) << "member " << m;
      auto open_ids = [](const Scheduler& x) {
        std::vector<uint64_t> ids;
        x.for_each_open_task([&](const Task& t, bool) { ids.push_back(t.id); });
        std::sort(ids.begin(), ids.end());
        return ids;
      };
      EXPECT_EQ(open_ids(s), open_ids(f));
      compared += static_cast<int64_t>(fresh.log.size());
    }
  }
  EXPECT_GT(compared, 5000);  // events compared, so the test cannot pass on empty logs
}

TEST(SchedulerRestartTest, OnlyWithTheRosterItWasBuiltWith) {
  std::vector<StaffMember> staff{member(0, 0), member(1, -1), member(0, 1, 600, 240)};
  Scheduler s(staff, 2);
  s.add_task(task(1, 0, 30, 1440, 0, 1u, 0));
  auto other = staff;
  other[2].shift_start = 660;
  EXPECT_FALSE(s.restart(other, 2));
  EXPECT_EQ(s.open_tasks(), 1u);  // unchanged
  EXPECT_FALSE(s.restart(staff, 3));
  EXPECT_FALSE(s.restart({staff[0], staff[1]}, 2));
  // Overtime aside: the roster's own overtime is taken.
  auto overtime = staff;
  overtime[0].overtime_minutes = 60;
  ASSERT_TRUE(s.restart(overtime, 2));
  EXPECT_EQ(s.open_tasks(), 0u);
  EXPECT_EQ(s.staff()[0].overtime_minutes, 60);
  // A 510-minute task fits the first member's 480-minute shift only with its overtime.
  s.add_task(task(2, 0, 510, 1440, 0, 1u, 0));
  const DayStats d = s.run_day(0);
  EXPECT_EQ(d.tasks_completed, 1);
  EXPECT_EQ(d.minutes_overtime[0], 30);
  // Not from a callback.
  s.add_task(task(3, day_start(1), 10, day_start(2), 0, 1u, 0));
  EXPECT_THROW(s.run_day(1, [&](const Task&, int64_t, int) { s.restart(staff, 2); }), std::logic_error);
}

}  // namespace
}  // namespace vg::staffing
