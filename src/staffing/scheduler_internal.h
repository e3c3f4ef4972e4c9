// The scheduler's private pieces shared by its translation units (scheduler.cpp: construction,
// task storage, compaction; scheduler_ready.cpp: the ready buckets; scheduler_day.cpp: the day loop;
// scheduler_team.cpp: team tasks): the dispatch order, heap helpers, constants, and the small
// member functions the hot paths call from more than one of them, inline so each can inline them.
// Not part of the staffing interface: include scheduler.h.
#pragma once

#include <algorithm>
#include <limits>
#include <vector>

#include "staffing/scheduler.h"

namespace vg::staffing::detail {

// The dispatch order: highest priority, earliest deadline, earliest release, lowest id. The slot is
// a last resort that only matters if ids are not unique as promised.
inline bool better(const ReadyEntry& a, const ReadyEntry& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.deadline != b.deadline) return a.deadline < b.deadline;
  if (a.release != b.release) return a.release < b.release;
  if (a.id != b.id) return a.id < b.id;
  return a.slot < b.slot;
}
struct ReadyLess {  // std heaps keep the greatest on top: "less" = worse
  bool operator()(const ReadyEntry& a, const ReadyEntry& b) const { return better(b, a); }
};
struct TimeLess {
  bool operator()(const TimeEntry& a, const TimeEntry& b) const {
    if (a.time != b.time) return a.time < b.time;
    if (a.id != b.id) return a.id < b.id;
    return a.slot < b.slot;
  }
};
constexpr TimeLess time_less{};
struct TimeGreater {  // min-heap by (time, id, slot)
  bool operator()(const TimeEntry& a, const TimeEntry& b) const { return time_less(b, a); }
};

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr size_t kMinuteSlots = kMinutesPerDay + 1;  // minute 1440 = a completion at the very end of a shift
constexpr size_t kNone = std::numeric_limits<size_t>::max();
constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();

template <class T, class Cmp>
inline void heap_push(std::vector<T>& h, const T& v, Cmp cmp) {
  h.push_back(v);
  std::push_heap(h.begin(), h.end(), cmp);
}
template <class T, class Cmp>
inline T heap_pop(std::vector<T>& h, Cmp cmp) {
  std::pop_heap(h.begin(), h.end(), cmp);
  T v = h.back();
  h.pop_back();
  return v;
}

inline bool Lane::front_in_run() const {
  if (run_pos == run.size()) return false;
  return heap.empty() || !better(heap.front(), run[run_pos]);
}
inline void Lane::push(const ReadyEntry& e) {
  if (run_pos == run.size()) {  // the run is used up: start a new one
    run.clear();
    run_pos = 0;
  }
  if (run.empty() || !better(e, run.back())) {
    run.push_back(e);
  } else {
    heap_push(heap, e, ReadyLess{});
  }
}
inline void Lane::pop() {
  if (front_in_run()) {
    ++run_pos;
    if (run_pos >= 1024 && 2 * run_pos >= run.size()) {  // drop the consumed prefix (amortized O(1))
      run.erase(run.begin(), run.begin() + static_cast<std::ptrdiff_t>(run_pos));
      run_pos = 0;
    }
    return;
  }
  std::pop_heap(heap.begin(), heap.end(), ReadyLess{});
  heap.pop_back();
}
template <class Keep>
void Lane::filter(Keep keep) {
  run.erase(run.begin(), run.begin() + static_cast<std::ptrdiff_t>(run_pos));
  run_pos = 0;
  std::erase_if(run, [&](const ReadyEntry& e) { return !keep(e); });  // keeps the order
  std::erase_if(heap, [&](const ReadyEntry& e) { return !keep(e); });
  std::make_heap(heap.begin(), heap.end(), ReadyLess{});
}

inline void Bucket::retop() {
  top = 0;
  for (uint32_t l = 1; l < lanes.size(); ++l) {
    if (lanes[l].empty()) continue;
    if (lanes[top].empty() || better(lanes[l].front(), lanes[top].front())) top = l;
  }
}
inline void Bucket::push(int32_t minutes, const ReadyEntry& e) {
  uint32_t l = 0;
  while (l < lanes.size() && lanes[l].minutes != minutes) ++l;
  if (l == lanes.size()) lanes.push_back(Lane{minutes, {}, 0, {}});
  lanes[l].push(e);
  if (size++ == 0 || better(e, front())) top = l;
}
inline void Bucket::pop_lane(size_t lane) {
  lanes[lane].pop();
  --size;
  if (lane == top) retop();
}

// The day a minute falls in.
inline int64_t day_of_minute(int64_t minute) { return day_of(minute); }
// The first day at whose end (d + 1) * 1440 a task with this deadline is due: ceil(deadline / 1440) - 1.
// That is floor((deadline - 1) / 1440): one unsigned division for the usual positive deadline.
inline int64_t due_day(int64_t deadline) {
  if (deadline > 0) return static_cast<int64_t>(static_cast<uint64_t>(deadline - 1) / kMinutesPerDay);
  return (deadline - kMinutesPerDay) / kMinutesPerDay;  // x = deadline - 1 < 0: floor(x / n) = (x - (n - 1)) / n
}

}  // namespace vg::staffing::detail

namespace vg::staffing {

inline int Scheduler::village_index(int32_t village) const {
  auto it = std::lower_bound(villages_.begin(), villages_.end(), village);
  if (it == villages_.end() || *it != village) return -1;
  return static_cast<int>(it - villages_.begin());
}

inline bool Scheduler::ready_valid(const detail::ReadyEntry& e) const {
  const Slot& sl = slots_[e.slot];
  return sl.gen == e.gen && sl.state == kReady;
}

// The bucket holding the best ready task of a group's view (the buckets of its village for the
// classes of its role, or of every village for the town pool), after dropping stale tops (tasks
// dropped when late); kNone if there is none. Inline: every member that looks calls it, and a
// village group's view is a few buckets.
inline size_t Scheduler::best_bucket(size_t group) {
  if (group >= pool_base_) return best_pool_bucket(group);
  size_t best = detail::kNone;
  const size_t vi = group / roles_;
  for (const uint32_t c : role_classes_[group % roles_]) {
    const size_t b = c * stride_ + vi;
    const detail::Bucket& h = buckets_[b];
    while (!h.empty() && !ready_valid(h.front())) bucket_pop(b);
    if (!h.empty() && (best == detail::kNone || detail::better(h.front(), buckets_[best].front()))) best = b;
  }
  return best;
}

// Drops the stale tops of a member's own heap (tasks taken from another list, dropped or expired).
inline void Scheduler::clean_own(Heap& heap) {
  if (!heap.empty() && !ready_valid(heap.front())) clean_own_stale(heap);
}

// A ready task whose latest start has passed: it leaves every ready list (its entries go stale) but
// stays open until the end-of-day pass of its deadline, which reports it late and removes it.
inline void Scheduler::expire(uint32_t slot) {
  Slot& sl = slots_[slot];
  live_entries_ -= sl.entries;
  sl.entries = 0;
  sl.state = kExpired;
}

// A group whose view received a task this minute: its lowest idle member will look (dispatch).
inline void Scheduler::mark_dirty(size_t group) {
  if (phase_ != Phase::Events || dirty_[group] || idle_[group].empty()) return;
  dirty_[group] = 1;
  dirty_list_.push_back(group);
}

inline void Scheduler::free_team(uint32_t slot) {
  Slot& sl = slots_[slot];
  if (sl.team == kNoTeam) return;
  free_teams_.push_back(sl.team);
  sl.team = kNoTeam;
}

// A member idle since an earlier minute looks again: a task entered its own heap.
inline void Scheduler::wake(int staff) {
  const size_t s = static_cast<size_t>(staff);
  if (phase_ != Phase::Events || state_[s] != kIdle) return;
  idle_[group_of_[s]].erase(pos_in_group_[s]);
  --idle_count_;
  state_[s] = kQueued;
  queued_.insert(s);
}

inline size_t Scheduler::class_of(uint32_t mask) {
  return mask == last_class_mask_ ? last_class_ : find_class(mask);  // tasks come in runs of one kind
}

// Puts a released task where members look: its assignee's heap, or for each role in its mask the
// bucket of (its village, role) if that village has staff of the role or the town has pool staff
// of the role. A task in several buckets is taken once; its other entries go stale. A team task
// goes to one list for every village, in dispatch order, started by the team step. Inline: every
// task passes here once; a rotating task's turn and a team task's listing are out of line.
[[gnu::always_inline]] inline void Scheduler::make_ready(uint32_t slot) {
  Slot& sl = slots_[slot];
  if (sl.task.rotate && sl.task.assignee < 0) assign_in_turn(sl);
  const Task& t = sl.task;
  sl.state = kReady;
  uint8_t k = 0;
  if (t.team) {
    k = list_team_task(slot);
  } else if (t.assignee >= 0) {
    heap_push(assigned_[static_cast<size_t>(t.assignee)],
              detail::ReadyEntry{t.deadline, t.release, t.id, t.priority, slot, sl.gen}, detail::ReadyLess{});
    const size_t pos = pos_in_group_[static_cast<size_t>(t.assignee)];
    own_words_[group_of_[static_cast<size_t>(t.assignee)]][pos / 64] |= uint64_t{1} << (pos % 64);
    int32_t& own_min = own_min_minutes_[static_cast<size_t>(t.assignee)];
    own_min = std::min(own_min, t.minutes);
    k = 1;
    wake(t.assignee);
  } else {
    const int vi = village_index(t.village);
    const size_t vb = vi < 0 ? villages_.size() : static_cast<size_t>(vi);
    const size_t bucket = class_of(t.role_mask) * stride_ + vb;
    // Seen by village staff of the task's village or by pool staff of one of its roles: the groups
    // watching its bucket.
    const auto& watchers = bucket_watchers_[bucket];
    if (!watchers.empty()) {
      for (const uint32_t group : watchers) mark_dirty(group);
      bucket_push(bucket, detail::ReadyEntry{t.deadline, t.release, t.id, t.priority, slot, sl.gen});
      k = 1;
    }
  }
  sl.entries = k;
  live_entries_ += k;
  stored_entries_ += k;
}

// Member s starts the task in `slot` at t (the caller files the completion).
[[gnu::always_inline]] inline void Scheduler::occupy(size_t s, uint32_t slot, int64_t t) {
  const Task& task = slots_[slot].task;
  const int32_t minutes = task.minutes;
  // A rotating task nobody was given in turn (taken from the common view) counts for its taker.
  if (task.rotate && task.assignee < 0) rotation_minutes_[s] += minutes;
  current_[s] = slot;
  state_[s] = kBusy;
  stats_->minutes_worked[s] += minutes;
  stats_->role_minutes_worked[staff_[s].role] += minutes;
  ++tasks_today_[s];
  const int64_t past_end = t + minutes - std::max(t, nominal_end(s));
  if (past_end > 0) {
    stats_->minutes_overtime[s] += static_cast<int32_t>(past_end);
    stats_->role_minutes_overtime[staff_[s].role] += static_cast<int32_t>(past_end);
  }
}

// The task leaves the open set (completed or dropped): its remaining entries become stale.
inline void Scheduler::close_task(uint32_t slot) {
  Slot& sl = slots_[slot];
  live_entries_ -= sl.entries + (sl.deadline_live ? 1u : 0u);
  sl.entries = 0;
  sl.deadline_live = false;
  --open_;
  if (sl.late_reported) --late_open_;
  for (uint32_t m = sl.task.role_mask; m != 0; m &= m - 1) --open_by_role_[static_cast<size_t>(std::countr_zero(m))];
  sl.state = kFree;
  ++sl.gen;
  free_slots_.push_back(slot);
}

}  // namespace vg::staffing
