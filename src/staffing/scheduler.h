// Deterministic staff scheduler. Tasks (screenings, follow-up visits, ...) wait in priority heaps;
// staff members with one shift a day take them in a discrete-event loop over the day. The result
// depends only on the inputs: never on hash order, pointer values or the order tasks were added.
// docs/time-and-scheduling.md states the time conventions and the dispatch rule for users.
//
// Time is integer minutes since the simulation start; day d spans [d*1440, (d+1)*1440).
//
// Dispatch rule, in short: at each event minute t, (1) completions at t in staff order (on_complete
// may add tasks), (2) releases <= t become ready (a rotating task is given to a member in turn,
// Task::rotate), (3) every free member, in staff order, takes the
// best ready task it may do (priority desc, deadline, release, id) that fits before the member's
// shift ends; if tasks are ready but none fits the member stops for the day; if nothing is ready it
// waits for a release.
// Team tasks (one member of every role at once) are started between (2) and (3), each with the
// lowest-indexed free eligible member of each role whose shift fits; tasks are never started after
// their latest_start; overtime extends the shift end for taking tasks.
//
// Cost: O((T + S) log) per day for T tasks and S staff; no allocation per task beyond container
// growth. A ready task sits in one bucket, that of its (village, role class) where a role class is a
// distinct role_mask (assigned tasks in their member's heap), in the bucket's lane of its length (a
// sorted run plus a heap: O(1) for tasks ready in dispatch order); a member compares the tops of the few
// classes of its role; the town pool finds the best top over villages with a tournament tree;
// releases and deadlines are filed by day (a task added between days and released by the next day's
// start is ready at once, not filed); staff events in a bucket queue by minute; idle members are
// woken one at a time per group (see scheduler_day.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/time.h"

namespace vg::staffing {

using vg::day_of;
using vg::day_start;
using vg::kMinutesPerDay;

struct StaffMember {
  uint16_t role = 0;               // < num_roles
  int32_t village = -1;            // -1: town pool, serves every village of the town
  int16_t shift_start = 480;       // minutes after midnight
  int16_t minutes_per_day = 480;   // shift length; shift_start + minutes_per_day <= 1440
  int32_t available_from_day = 0;  // first day the member works
  int16_t overtime_minutes = 0;    // may keep working this long past the shift end; start + length + overtime <= 1440
  int32_t max_tasks_per_day = 0;   // stops for the day after starting this many tasks (team tasks too); 0 = no limit
};

struct Task {
  uint64_t id = 0;              // unique; last tie-break
  int32_t priority = 0;         // higher first
  int64_t release = 0;          // minute it becomes available
  int64_t deadline = 0;         // minute it should be done by
  int32_t minutes = 1;          // work needed (> 0)
  uint32_t role_mask = 0;       // roles that may do it (bit r = role r; up to 32 roles)
  int32_t village = 0;          // the task's village
  int32_t assignee = -1;        // a specific staff index (team duties), or -1 for anyone eligible
  bool drop_when_late = false;  // e.g. a daily visit not done that day is missed, not carried over
  bool team = false;            // needs one member of EVERY role in role_mask at once (assignee must be -1)
  // Taken in turn (a post's shift): when it becomes ready, it is given to the eligible member with
  // the fewest rotation minutes so far, ties to the lowest index, among those who could start it
  // now or at their shift's start today and finish it within their shift, and who owe no ready
  // task of higher priority of their own; nobody such: anyone eligible, as for any other task.
  // Ignored with an assignee. Not for a team task.
  bool rotate = false;
  int64_t latest_start = std::numeric_limits<int64_t>::max();  // never started after this minute
};

struct DayStats {
  std::vector<int32_t> minutes_worked;     // per staff member: minutes of tasks started that day
  std::vector<int32_t> minutes_available;  // per staff member: shift length if on duty, else 0 (no overtime)
  std::vector<int32_t> minutes_overtime;   // per staff member: of minutes_worked, those past the shift end
  // The same three summed by role (index = StaffMember::role), kept as the day runs so a reader of
  // totals by role need not walk every member.
  std::vector<int64_t> role_minutes_worked;
  std::vector<int64_t> role_minutes_available;
  std::vector<int64_t> role_minutes_overtime;
  int64_t tasks_completed = 0;
  int64_t tasks_late = 0;     // on_late calls at the end of the day
  int64_t tasks_dropped = 0;  // of those, drop_when_late tasks removed
  size_t open_at_end = 0;     // backlog after the end-of-day processing
};

// A non-owning reference to a callable, like C++26 std::function_ref: two words, no allocation.
// It must not outlive the callable it refers to; as a parameter of run_day that is always so.
template <class Sig>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  FunctionRef() = default;
  FunctionRef(std::nullptr_t) {}   // NOLINT: implicit, an empty callback
  FunctionRef(R (*fn)(Args...)) {  // NOLINT: implicit, like a callable
    if (fn) {
      target_.fn = fn;
      call_ = [](Target t, Args... a) -> R { return t.fn(std::forward<Args>(a)...); };
    }
  }
  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> && !std::is_function_v<std::remove_reference_t<F>> &&
           !std::is_pointer_v<std::remove_cvref_t<F>> && std::is_invocable_r_v<R, F&, Args...>)
      FunctionRef(F&& f) {  // NOLINT: implicit, so lambdas pass straight in
    target_.obj = const_cast<void*>(static_cast<const void*>(std::addressof(f)));
    call_ = [](Target t, Args... a) -> R {
      return std::invoke(*static_cast<std::add_pointer_t<std::remove_reference_t<F>>>(t.obj), std::forward<Args>(a)...);
    };
  }

  explicit operator bool() const { return call_ != nullptr; }
  R operator()(Args... a) const { return call_(target_, std::forward<Args>(a)...); }

 private:
  union Target {
    void* obj;
    R (*fn)(Args...);
  };
  Target target_{nullptr};
  R (*call_)(Target, Args...) = nullptr;
};

// on_complete(task, finish_minute, staff_index); on_start(task, start_minute, staff_index);
// on_late(task). The Task is a copy owned by the scheduler for the duration of the call, so the
// callback may add tasks.
using OnComplete = FunctionRef<void(const Task&, int64_t, int)>;
using OnStart = FunctionRef<void(const Task&, int64_t, int)>;
using OnLate = FunctionRef<void(const Task&)>;
// on_timer(id, minute): a timer set with add_timer went off.
using OnTimer = FunctionRef<void(uint64_t, int64_t)>;
// Extra per-day availability: false means the member does not work that day.
using AvailabilityFn = std::function<bool(int staff, int day)>;

namespace detail {

// A ready-heap entry; the ordering key is copied in so comparisons never leave the heap's memory.
struct ReadyEntry {
  int64_t deadline;
  int64_t release;
  uint64_t id;
  int32_t priority;
  uint32_t slot;
  uint32_t gen;
};

// A release or deadline entry (earliest time first, then id).
struct TimeEntry {
  int64_t time;
  uint64_t id;
  uint32_t slot;
  uint32_t gen;
};

// Time entries filed by day, so a day's releases and deadlines are taken out in one batch and sorted
// instead of going through a heap one by one. The next kNear days are a ring of vectors (a push is
// an index, not a tree lookup); later days wait in a map and move into the ring as it advances.
// A day before the ring (already taken through) is filed under the ring's first day: the next
// take_through gets it, as it would have.
class DayBuckets {
 public:
  void push(int64_t day, const TimeEntry& e) {
    if (day < base_) day = base_;
    if (day - base_ < kNear) {
      near_[static_cast<size_t>(day % kNear)].push_back(e);
    } else {
      far_[day].push_back(e);
    }
  }
  // Appends every entry filed under a day <= `day` to `out` (in day order) and forgets them.
  void take_through(int64_t day, std::vector<TimeEntry>& out);
  // Removes entries for which `stale` is true; returns how many remain.
  size_t erase_stale(const std::function<bool(const TimeEntry&)>& stale);
  // Empty, as constructed, keeping the day vectors' memory.
  void clear();

 private:
  static constexpr int64_t kNear = 64;
  int64_t base_ = 0;  // first day of the ring; days [base_, base_ + kNear) are in near_
  std::array<std::vector<TimeEntry>, kNear> near_;
  std::map<int64_t, std::vector<TimeEntry>> far_;  // days >= base_ + kNear
};

// A ready bucket: its entries in one queue per task length ("lane"), so the best task that fits in
// the rest of a shift is the best of the fronts of the lanes short enough, not a scan of the
// backlog. The bucket's front is the best of the lanes' fronts: the front one heap of every entry
// would have, stale entries included (they are popped when met). A bucket has as many lanes as
// distinct task lengths were filed in it (a policy's templates give a handful).
// A lane is a sorted run plus a heap: an entry no better than the run's last one is appended to the
// run (O(1)); only one better than that goes to the heap. Tasks mostly become ready in dispatch
// order (screenings by arrival, a sweep's visits by id), so most entries never see the heap.
struct Lane {
  int32_t minutes = 0;
  std::vector<ReadyEntry> run;  // sorted, best first, from run_pos
  size_t run_pos = 0;
  std::vector<ReadyEntry> heap;  // entries that came out of order
  bool empty() const { return run_pos == run.size() && heap.empty(); }
  size_t size() const { return run.size() - run_pos + heap.size(); }
  bool front_in_run() const;  // scheduler_internal.h
  const ReadyEntry& front() const { return front_in_run() ? run[run_pos] : heap.front(); }
  void push(const ReadyEntry& e);
  void pop();
  // Keeps the entries for which keep(e) is true (compaction).
  template <class Keep>
  void filter(Keep keep);
};
struct Bucket {
  std::vector<Lane> lanes;
  uint32_t top = 0;  // the lane whose front is best; meaningful while size > 0
  size_t size = 0;   // entries in every lane
  bool empty() const { return size == 0; }
  const ReadyEntry& front() const { return lanes[top].front(); }
  void push(int32_t minutes, const ReadyEntry& e);  // scheduler_internal.h
  void pop_lane(size_t lane);
  void pop() { pop_lane(top); }
  void retop();
};

// Set of small integers with O(log64 n) insert, erase and smallest element: a bitmap with a
// summary bitmap per level (one word at the top), all levels in one array. Inline: the day loop
// queues and wakes members through it at every event.
class IdleSet {
 public:
  void reset(size_t n);
  void clear() { std::fill(words_.begin(), words_.end(), uint64_t{0}); }
  void insert(size_t i) { insert_word(i >> 6, uint64_t{1} << (i & 63)); }
  // Inserts the members of `mask` in word `word` of the bottom level (members word * 64 + bit).
  void insert_word(size_t word, uint64_t mask) {
    uint64_t& w = words_[word];
    const bool was_empty = w == 0;
    w |= mask;
    if (was_empty && mask != 0) insert_above(word);
  }
  void erase(size_t i) {
    for (size_t l = 0; l < levels_; ++l) {
      uint64_t& w = words_[offset_[l] + (i >> 6)];
      w &= ~(uint64_t{1} << (i & 63));
      if (w != 0) return;
      i >>= 6;
    }
  }
  bool empty() const { return words_[offset_[levels_ - 1]] == 0; }
  size_t first() const {  // requires !empty()
    if (levels_ <= 2) {   // up to 4,096 members: the top word, then the word it points to
      size_t i = levels_ == 2 ? static_cast<size_t>(std::countr_zero(words_[offset_[1]])) : 0;
      return i * 64 + static_cast<size_t>(std::countr_zero(words_[i]));
    }
    size_t i = 0;
    for (size_t l = levels_; l-- > 0;) i = i * 64 + static_cast<size_t>(std::countr_zero(words_[offset_[l] + i]));
    return i;
  }

 private:
  void insert_above(size_t word) {  // word `word` of the bottom level became non-empty
    size_t i = word;
    for (size_t l = 1; l < levels_; ++l) {
      uint64_t& w = words_[offset_[l] + (i >> 6)];
      const bool was_empty = w == 0;
      w |= uint64_t{1} << (i & 63);
      if (!was_empty) return;
      i >>= 6;
    }
  }
  static constexpr size_t kMaxLevels = 6;  // 64^6 members
  std::vector<uint64_t> words_ = std::vector<uint64_t>(1);
  std::array<size_t, kMaxLevels> offset_{};
  size_t levels_ = 1;
};

}  // namespace detail

class Scheduler {
 public:
  // Throws std::invalid_argument for num_roles outside [1, 32], a role >= num_roles, a village
  // below -1 or a shift that does not fit in a day.
  Scheduler(std::vector<StaffMember> staff, int num_roles);

  // Before run_day, or from inside on_complete / on_late callbacks (not on_start). From on_complete
  // a task released at or before the completion minute is ready at once and can be taken by any
  // member free at that minute (completions come before frees). Throws std::invalid_argument for
  // minutes <= 0, an empty role_mask or one with bits >= num_roles, an assignee out of range or an
  // assignee whose role is not in role_mask; std::logic_error from inside on_start.
  void add_task(const Task& t);

  // A timer: on_timer(id, time) is called at minute `time` of the day it falls in, after that
  // minute's completions and before anyone free then takes a task (so tasks the callback adds at
  // `time` can be taken at once). Timers at one minute go off in the order they were set. Set
  // before run_day, or from a callback for a minute later than the current one (std::logic_error
  // otherwise). A time before the next day run goes off at its first minute.
  void add_timer(int64_t time, uint64_t id);

  // Simulates day `day` (days must increase from call to call; gaps are allowed). Calls on_start
  // when a member starts a task and on_complete at the moment of completion, in time order; ties at
  // one minute in staff-index order. At the end of the day every open task whose deadline is <=
  // the end of the day and that has not been reported late yet triggers on_late once, in (deadline,
  // id) order; drop_when_late tasks are then removed, the others stay open (backlog).
  DayStats run_day(int day, OnComplete on_complete = {}, OnLate on_late = {}, OnStart on_start = {},
                   OnTimer on_timer = {});
  // The same, into `stats` (overwritten): a caller running many days reuses its vectors instead
  // of allocating six a day.
  void run_day(int day, DayStats& stats, OnComplete on_complete = {}, OnLate on_late = {}, OnStart on_start = {},
               OnTimer on_timer = {});

  // --- availability (staff who drop out for days) ---------------------------------------------
  // A member works on day d iff d >= available_from_day, d is not marked unavailable, and the
  // availability function (if any) returns true. Changes take effect from the next run_day.
  void set_unavailable(int staff, int day, bool unavailable = true);
  void set_availability(AvailabilityFn fn) { availability_ = std::move(fn); }
  // How long a member may keep working past the shift end (an exercise's overtime), clipped to the
  // day; takes effect from the next run_day.
  void set_overtime(int staff, int minutes);
  bool on_duty(int staff, int day) const {
    if (staff < 0 || static_cast<size_t>(staff) >= staff_.size()) return false;
    const size_t s = static_cast<size_t>(staff);
    if (day < staff_[s].available_from_day) return false;
    if (day >= 0) {
      const auto& bits = unavailable_[s];
      const size_t word = static_cast<size_t>(day) / 64;
      if (word < bits.size() && ((bits[word] >> (static_cast<size_t>(day) % 64)) & 1u)) return false;
    }
    return !availability_ || availability_(staff, day);
  }

  // Room for `n` tasks open at once (capacity only: no result depends on it), so a caller that
  // knows its scale spares the task store its copies as it grows.
  void reserve_open_tasks(size_t n) { slots_.reserve(n); }

  // Back to the state that construction with (staff, num_roles) leaves: no tasks, timers or days
  // run, no absences, overtime changes or availability function. Only when `staff` is the roster
  // this scheduler was built with (overtime aside) and num_roles the same; returns false, changing
  // nothing, otherwise. The containers keep their memory, so a caller running many replicates of
  // one roster reuses one scheduler instead of building and growing a new one each time. What was
  // learnt of the tasks' role masks (the role classes, a bucket's lanes by task length) is kept:
  // nothing depends on their order. Not from a callback (std::logic_error).
  bool restart(const std::vector<StaffMember>& staff, int num_roles);

  // --- backlog ---------------------------------------------------------------------------------
  // Open = added and neither completed nor dropped (includes tasks not released yet).
  size_t open_tasks() const { return open_; }
  // Open tasks whose role_mask includes `role`.
  size_t open_tasks_for_role(int role) const;
  // Open tasks already reported late.
  size_t late_open_tasks() const { return late_open_; }
  // Visits every open task with whether it was reported late. The order is deterministic but
  // unspecified (storage order); sort by id if it matters.
  void for_each_open_task(FunctionRef<void(const Task&, bool late_reported)> f) const;

  // Whether member `staff` may do `t`: role in role_mask, and assignee == staff, or assignee == -1
  // and (task village == member village or the member is town pool).
  bool can_do(int staff, const Task& t) const;

  // Inside on_start / on_complete of a team task: its members in staff order (the callback's staff
  // argument is the first). Empty for a task done by one member, and outside those callbacks.
  std::span<const int32_t> current_team() const { return callback_team_; }

  // Minutes of rotating tasks (Task::rotate) given to member `staff` so far: those given in turn
  // when they became ready, and those the member took from the common view when nobody was free
  // to be given them. The fairness key of the rotation.
  int64_t rotation_minutes(int staff) const { return rotation_minutes_.at(static_cast<size_t>(staff)); }

  const std::vector<StaffMember>& staff() const { return staff_; }
  int num_roles() const { return num_roles_; }
  int64_t tasks_completed() const { return completed_total_; }

 private:
  enum class Phase : uint8_t { Idle, Events, Starting, Late };
  enum SlotState : uint8_t { kFree, kPending, kReady, kInProgress, kExpired };
  static constexpr uint32_t kNoTeam = std::numeric_limits<uint32_t>::max();
  enum StaffState : uint8_t { kOff, kQueued, kBusy, kIdle, kStopped };

  struct Slot {
    Task task;
    uint32_t gen = 0;
    uint8_t state = kFree;
    uint8_t entries = 0;  // live release/ready entries
    bool deadline_live = false;
    bool late_reported = false;
    uint32_t team = kNoTeam;  // in progress, team task: index into teams_
  };
  using Heap = std::vector<detail::ReadyEntry>;

  void validate(const Task& t) const;
  void reset_state();  // construction's and restart's: the run's state as at construction
  uint32_t alloc_slot();
  void close_task(uint32_t slot);
  int village_index(int32_t village) const;
  void file_release(uint32_t slot);
  void make_ready(uint32_t slot);  // scheduler_internal.h
  void assign_in_turn(Slot& sl);
  uint8_t list_team_task(uint32_t slot);  // 1 if listed
  int32_t rotation_pick(const Task& t);   // the member a rotating task goes to now; -1: nobody
  bool ready_valid(const detail::ReadyEntry& e) const;
  void bucket_push(size_t bucket, const detail::ReadyEntry& e);
  void bucket_pop(size_t bucket, size_t lane = SIZE_MAX);  // the bucket's front, or that lane's
  void tourney_update(size_t cls, size_t vi);
  size_t best_bucket(size_t group);  // bucket index or SIZE_MAX (scheduler_internal.h)
  size_t best_pool_bucket(size_t group);
  void clean_own(Heap& heap);  // scheduler_internal.h
  void clean_own_stale(Heap& heap);
  void mark_dirty(size_t group);
  void wake(int staff);
  void push_rep(size_t group);
  void gather_releases(int day);
  int64_t next_release() const;
  void release_until(int64_t t);
  void complete(int staff, int64_t t, OnComplete on_complete);
  void take_or_wait(int staff, int64_t t, OnStart on_start);
  void expire(uint32_t slot);
  uint32_t best_fitting(size_t s, size_t g, int64_t t);
  // A lower bound on the minutes of any task in a member's own heap (the least ever filed there), so
  // the search for a task that fits skips it where none can.
  std::vector<int32_t> own_min_minutes_;
  void occupy(size_t s, uint32_t slot, int64_t t);
  void try_teams(int64_t t, OnStart on_start);
  bool try_start_team(uint32_t slot, int64_t t, OnStart on_start);
  void free_team(uint32_t slot);
  void report_late(int day, OnLate on_late, DayStats& stats);
  // The parts of run_day (scheduler_day.cpp).
  void file_day_events(int day, DayStats& stats);
  void minute_events(int64_t t, OnComplete on_complete, OnTimer on_timer);
  void queue_starting();
  void queue_starting_runs();
  void dispatch(int64_t t, OnStart on_start);
  void compact_if_needed();
  void reset_day_state();

  std::vector<StaffMember> staff_;
  int num_roles_;
  size_t roles_ = 0;
  std::vector<int32_t> villages_;  // sorted ids of villages with village staff; V = size

  // Ready buckets, one per (role class, village): a role class is a distinct role_mask, numbered in
  // the order first seen; bucket (c, vi) -> c * stride_ + vi for vi in [0, V] (stride_ = V + 1);
  // vi == V holds tasks of villages without village staff (only the town pool can do them). A ready
  // task has exactly one entry, so taking it leaves nothing stale behind. A village member of role r
  // looks at the tops of buckets (c, its vi) for the classes c containing r; a pool member of role r
  // at the best top over villages of each such class, found by a tournament tree per class.
  std::vector<detail::Bucket> buckets_;
  std::vector<std::vector<uint32_t>> bucket_watchers_;  // bucket -> groups whose view it is in
  size_t stride_ = 1;
  std::vector<uint32_t> class_masks_;                // class -> role_mask
  std::vector<std::vector<uint32_t>> role_classes_;  // role -> classes whose mask contains it
  std::vector<uint8_t> class_pool_;                  // class -> some role of it has pool members
  std::vector<uint8_t> has_pool_;                    // per role
  size_t leaves_ = 1;                                // tournament leaves (power of two >= V + 1)
  std::vector<std::vector<int32_t>> tourney_;        // per class with pool: node -> vi of best top, -1
  size_t class_of(uint32_t mask);                    // the class of a mask, created on first use
  size_t find_class(uint32_t mask);                  // class_of when the mask is not the last one seen
  uint32_t last_class_mask_ = 0;                     // the mask class_of saw last (0: none; never a task's)
  size_t last_class_ = 0;                            // and its class

  // Groups: village members of (vi, role) -> vi * roles + role (their bucket); town pool of role r
  // -> pool_base_ + r. Each group has an idle set; a dirty flag when its tasks grew this minute.
  size_t pool_base_ = 0;
  std::vector<std::vector<int32_t>> group_members_;
  std::vector<detail::IdleSet> idle_;
  std::vector<uint8_t> dirty_;
  std::vector<uint8_t> rep_pending_;
  std::vector<size_t> dirty_list_;

  // Per staff member.
  std::vector<uint32_t> group_of_;
  std::vector<uint32_t> pos_in_group_;
  std::vector<Heap> assigned_;
  std::vector<std::vector<uint64_t>> unavailable_;  // bitset over days
  std::vector<uint32_t> absent_on_day_;             // per day: members marked unavailable
  std::vector<int32_t> shift_minutes_;              // per member: minutes_per_day if it works shifts, else 0
  std::vector<int64_t> role_shift_minutes_;         // per role: the sum of shift_minutes_ of its members
  int32_t all_from_day_ = 0;                        // from this day, every member who works shifts is available
  // Whether every member who works shifts is on duty on `day` (no availability function, nobody
  // marked unavailable, everyone's first day passed).
  bool everyone_on_duty(int day) const {
    return !availability_ && day >= all_from_day_ &&
           (static_cast<size_t>(day) >= absent_on_day_.size() || absent_on_day_[static_cast<size_t>(day)] == 0);
  }
  std::vector<uint8_t> state_;
  std::vector<uint8_t> is_rep_;
  // Shift ends as minutes after the start of the day, fixed: today's are day_start + these (read
  // only for members on shift today, so nothing is written per member and day).
  std::vector<int64_t> end_offset_;       // shift end without overtime
  std::vector<int64_t> overtime_offset_;  // shift end, overtime included
  int64_t shift_end(size_t s) const { return day_end_ - kMinutesPerDay + overtime_offset_[s]; }
  int64_t nominal_end(size_t s) const { return day_end_ - kMinutesPerDay + end_offset_[s]; }
  bool overtime_changed_ = false;  // set_overtime since the offsets were computed (at a run_day's start)
  void shift_offsets();
  std::vector<uint32_t> current_;
  std::vector<int64_t> rotation_minutes_;
  std::vector<uint32_t> rotating_;  // scratch: rotating tasks released at the current minute
  AvailabilityFn availability_;

  // Team tasks: ready ones in dispatch order (few; lazily cleaned), and the members of those in
  // progress (teams_[Slot::team], reused through a free list).
  std::vector<detail::ReadyEntry> team_ready_;
  bool team_check_ = false;  // a team task became ready since the last team step
  std::vector<std::vector<int32_t>> teams_;
  std::vector<uint32_t> free_teams_;
  std::vector<int32_t> pick_;           // scratch: members picked for a team task
  std::vector<size_t> rep_regroups_;    // scratch: groups whose woken member joined a team
  std::vector<int32_t> callback_team_;  // members of the team task whose callback is running

  // Tasks.
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  detail::DayBuckets release_days_;          // pending tasks by release day
  std::vector<detail::TimeEntry> releases_;  // today's releases, sorted; consumed from release_pos_
  size_t release_pos_ = 0;
  std::vector<detail::TimeEntry> release_heap_;  // released later today, added during the day (min-heap)
  detail::DayBuckets due_days_;                  // deadline entries by the day at whose end they are due
  std::vector<detail::TimeEntry> due_;           // scratch: today's due entries, sorted
  std::vector<detail::TimeEntry> due_heap_;      // due today, added from on_late (min-heap)
  size_t open_ = 0;
  size_t late_open_ = 0;
  std::vector<size_t> open_by_role_;
  size_t live_entries_ = 0;    // stored entries that still refer to an open task
  size_t stored_entries_ = 0;  // all stored entries (live + stale)
  int64_t completed_total_ = 0;

  // Day loop. Staff events are filed by minute of the day, 0..1440 (a bucket queue: event times
  // are whole minutes and never go back): completions, and shift starts in staff order.
  // Completions: a member has at most one task under way, so each minute's are a list threaded
  // through the members (head by minute, next by member; -1 ends), sorted when the minute comes.
  std::vector<int32_t> completion_head_;
  std::vector<int32_t> completion_next_;
  std::vector<int32_t> completing_;  // scratch: this minute's completions, in staff order
  void file_completion(size_t minute, int32_t staff) {
    completion_next_[static_cast<size_t>(staff)] = completion_head_[minute];
    completion_head_[minute] = staff;
  }
  std::vector<std::vector<int32_t>> starts_at_;
  std::vector<std::vector<int32_t>> starters_;  // by minute of the day: members whose shift starts then (fixed)
  std::vector<int16_t> start_minutes_;          // minutes with starters, ascending
  // A minute's starters as runs of one group (consecutive in staff order), each with its members'
  // idle-set words (word of the group's idle set, bits of the run's members in it): on a day when
  // everyone is on duty, queue_starting puts a run whose view is empty in its group's idle set a
  // word at a time, all but the members with a task of their own (own_words_).
  struct StartWord {
    size_t word;
    uint64_t bits;
  };
  struct StartRun {
    uint32_t group, begin, end;       // starters_[minute][begin, end)
    uint32_t words_begin, words_end;  // start_words_[words_begin, words_end)
    bool contiguous;                  // the members are consecutive staff indices
  };
  std::vector<std::vector<StartRun>> start_runs_;  // by minute of the day
  std::vector<StartWord> start_words_;
  // Per group, a bit per member (by position, as in its idle set) set when a task enters the
  // member's own heap and cleared when queue_starting_runs finds the heap empty: every member
  // with an own task has its bit, so the others of a run wait at once without being looked at.
  std::vector<std::vector<uint64_t>> own_words_;
  bool starts_whole_ = false;                     // today's start lists are starters_ (everyone on duty)
  std::vector<std::vector<uint64_t>> timers_at_;  // today's timers by minute of the day
  // Minutes of the day whose completion, start or timer lists are not empty.
  std::array<uint64_t, (1441 + 63) / 64> busy_minutes_{};
  void mark_minute(size_t minute) { busy_minutes_[minute / 64] |= uint64_t{1} << (minute % 64); }
  size_t next_marked_minute(size_t from) const;
  struct Timer {
    int64_t time;
    uint64_t seq, id;
    bool operator>(const Timer& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  std::vector<Timer> timer_heap_;  // timers of later days (min-heap)
  uint64_t timer_seq_ = 0;
  size_t minute_pos_ = 0;
  size_t pending_events_ = 0;
  bool loop_interrupted_ = false;
  std::vector<detail::TimeEntry> sort_scratch_;
  std::vector<uint32_t> minute_counts_;
  std::vector<int32_t> tasks_today_;  // per member: tasks started today (for max_tasks_per_day)
  bool at_task_limit(size_t s) const {
    return staff_[s].max_tasks_per_day > 0 && tasks_today_[s] >= staff_[s].max_tasks_per_day;
  }
  std::vector<int32_t> starting_now_;  // members whose shift starts at the current minute
  std::vector<int32_t> on_shift_;      // members whose shift started today (all others are kOff)
  detail::IdleSet queued_;             // members free at the current minute; they look in index order
  size_t idle_count_ = 0;
  int64_t now_ = 0;
  int64_t day_end_ = 0;
  int last_day_ = -1;
  Phase phase_ = Phase::Idle;
  DayStats* stats_ = nullptr;
};

}  // namespace vg::staffing
