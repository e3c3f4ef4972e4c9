// Posts rotate (Task::rotate): a post's shift goes to the eligible member with the fewest rotation
// minutes so far, ties to the lowest index, skipping members who owe a more urgent task of their
// own; known answers worked out by hand in the comments.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "staffing/scheduler.h"

namespace vg::staffing {
namespace {

StaffMember member(int16_t shift_start = 480, int16_t minutes = 480) {
  StaffMember m;
  m.role = 0;
  m.village = 0;
  m.shift_start = shift_start;
  m.minutes_per_day = minutes;
  return m;
}

// A 2-hour shift of a post on `day`, 08:00-10:00, priority 85, not started once over.
Task post_shift(uint64_t id, int day, bool rotate = true) {
  Task t;
  t.id = id;
  t.priority = 85;
  t.release = day * kMinutesPerDay + 480;
  t.deadline = day * kMinutesPerDay + 600;
  t.latest_start = t.deadline - 1;
  t.minutes = 120;
  t.role_mask = 1;
  t.village = 0;
  t.drop_when_late = true;
  t.rotate = rotate;
  return t;
}

// Who started which task on `day` (task id -> member), in start order.
std::vector<std::pair<uint64_t, int>> run(Scheduler& s, int day) {
  std::vector<std::pair<uint64_t, int>> who;
  s.run_day(day, nullptr, nullptr, [&](const Task& t, int64_t, int m) { who.emplace_back(t.id, m); });
  return who;
}

using Starts = std::vector<std::pair<uint64_t, int>>;

// Three members, one shift a day: without rotation member 0 (the first free) takes it every day;
// with it, 0, 1, 2, 0, 1 (after day 2 all have 120 minutes, the tie goes to the lowest index).
TEST(Rotation, OneShiftADayGoesRoundInTurn) {
  Scheduler fixed({member(), member(), member()}, 1), turn({member(), member(), member()}, 1);
  for (int d = 0; d < 5; ++d) {
    fixed.add_task(post_shift(uint64_t(d), d, false));
    turn.add_task(post_shift(uint64_t(d), d));
    EXPECT_EQ(run(fixed, d), (Starts{{uint64_t(d), 0}})) << "day " << d;
    EXPECT_EQ(run(turn, d), (Starts{{uint64_t(d), d % 3}})) << "day " << d;
  }
  EXPECT_EQ(turn.rotation_minutes(0), 240);
  EXPECT_EQ(turn.rotation_minutes(1), 240);
  EXPECT_EQ(turn.rotation_minutes(2), 120);
  EXPECT_EQ(fixed.rotation_minutes(0), 0);  // not rotating tasks: not counted
}

// A shift released at the very start of its day and added between days (as a town adds the day's
// shifts at 00:00) is given in turn when the day runs, not when it is added: three members on
// 00:00-08:00 take it 0, 1, 2, 0 as when it is released later in the day.
TEST(Rotation, AShiftAddedBetweenDaysIsGivenWhenItsDayRuns) {
  Scheduler s({member(0), member(0), member(0)}, 1);
  for (int d = 0; d < 4; ++d) {
    Task t = post_shift(uint64_t(d), d);
    t.release = d * kMinutesPerDay;  // 00:00 of its day
    s.add_task(t);
    EXPECT_EQ(run(s, d), (Starts{{uint64_t(d), d % 3}})) << "day " << d;
  }
}

// Two places of one shift released together: day 0 members 0 and 1 (both at 0 minutes, then 1 is
// the fewest); day 1 member 2 (0 minutes), then 0 (120, tie with 1, lower index).
TEST(Rotation, TwoPlacesAtOnceGoToTwoMembers) {
  Scheduler s({member(), member(), member()}, 1);
  s.add_task(post_shift(10, 0));
  s.add_task(post_shift(11, 0));
  EXPECT_EQ(run(s, 0), (Starts{{10, 0}, {11, 1}}));
  s.add_task(post_shift(20, 1));
  s.add_task(post_shift(21, 1));
  EXPECT_EQ(run(s, 1), (Starts{{21, 0}, {20, 2}}));  // started in staff order
}

// Member 0 owes its own visit of priority 90 (above the post's 85) at 08:00: skipped, the shift
// goes to member 1. Member 2 starts at 12:00, too late to start the shift by 09:59: never chosen.
// Member 0 owing a visit of priority 60 instead is not skipped: it stands the post first and
// does its visit at 10:00.
TEST(Rotation, AMemberOwingAMoreUrgentTaskOrWhoseShiftDoesNotFitIsSkipped) {
  Scheduler s({member(), member(), member(720, 240)}, 1);
  Task urgent;
  urgent.id = 1;
  urgent.priority = 90;
  urgent.release = 480;
  urgent.deadline = 1440;
  urgent.minutes = 30;
  urgent.role_mask = 1;
  urgent.assignee = 0;
  s.add_task(urgent);
  s.add_task(post_shift(2, 0));
  EXPECT_EQ(run(s, 0), (Starts{{1, 0}, {2, 1}}));
  EXPECT_EQ(s.rotation_minutes(0), 0);
  EXPECT_EQ(s.rotation_minutes(2), 0);

  Task routine = urgent;
  routine.id = 3;
  routine.priority = 60;
  routine.release = kMinutesPerDay + 480;
  routine.deadline = 2 * kMinutesPerDay;
  s.add_task(routine);
  s.add_task(post_shift(4, 1));
  std::vector<std::pair<uint64_t, int64_t>> starts;
  s.run_day(1, nullptr, nullptr, [&](const Task& t, int64_t at, int m) {
    if (m == 0) starts.emplace_back(t.id, at - kMinutesPerDay);
  });
  EXPECT_EQ(starts, (std::vector<std::pair<uint64_t, int64_t>>{{4, 480}, {3, 600}}));
}

// Nobody can be given the shift in turn (everyone owes a more urgent task): it stays in the common
// view and the first member free when it fits takes it, as without rotation.
TEST(Rotation, WithNobodyToGiveItToTheShiftIsTakenAsUsual) {
  Scheduler s({member(), member()}, 1);
  for (int m = 0; m < 2; ++m) {
    Task own;
    own.id = uint64_t(m);
    own.priority = 90;
    own.release = 480;
    own.deadline = 1440;
    own.minutes = 10 + 10 * m;
    own.role_mask = 1;
    own.assignee = m;
    s.add_task(own);
  }
  s.add_task(post_shift(5, 0));
  EXPECT_EQ(run(s, 0), (Starts{{0, 0}, {1, 1}, {5, 0}}));  // member 0 is free first, at 08:10
  EXPECT_EQ(s.rotation_minutes(0), 120);
}

TEST(Rotation, ATeamTaskCannotRotate) {
  Scheduler s({member()}, 1);
  Task t = post_shift(1, 0);
  t.team = true;
  EXPECT_THROW(s.add_task(t), std::invalid_argument);
}

}  // namespace
}  // namespace vg::staffing
