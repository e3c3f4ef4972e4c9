#include "staffing/scheduler.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

namespace vg::staffing {

using detail::ReadyEntry;
using detail::StaffEvent;
using detail::TimeEntry;

namespace {

// The dispatch order: highest priority, earliest deadline, earliest release, lowest id. The slot is
// a last resort that only matters if ids are not unique as promised.
bool better(const ReadyEntry& a, const ReadyEntry& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.deadline != b.deadline) return a.deadline < b.deadline;
  if (a.release != b.release) return a.release < b.release;
  if (a.id != b.id) return a.id < b.id;
  return a.slot < b.slot;
}
struct ReadyLess {  // std heaps keep the greatest on top: "less" = worse
  bool operator()(const ReadyEntry& a, const ReadyEntry& b) const { return better(b, a); }
};
struct TimeGreater {  // min-heap by (time, id, slot)
  bool operator()(const TimeEntry& a, const TimeEntry& b) const {
    if (a.time != b.time) return a.time > b.time;
    if (a.id != b.id) return a.id > b.id;
    return a.slot > b.slot;
  }
};
struct EventGreater {  // min-heap by (key, staff)
  bool operator()(const StaffEvent& a, const StaffEvent& b) const {
    if (a.key != b.key) return a.key > b.key;
    return a.staff > b.staff;
  }
};

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr int64_t kCompletion = 0;
constexpr int64_t kShiftStart = 1;

template <class T, class Cmp>
void heap_push(std::vector<T>& h, const T& v, Cmp cmp) {
  h.push_back(v);
  std::push_heap(h.begin(), h.end(), cmp);
}
template <class T, class Cmp>
T heap_pop(std::vector<T>& h, Cmp cmp) {
  std::pop_heap(h.begin(), h.end(), cmp);
  T v = h.back();
  h.pop_back();
  return v;
}

std::string staff_label(size_t i) { return "staff member " + std::to_string(i); }
std::string task_label(const Task& t) { return "task " + std::to_string(t.id); }

}  // namespace

// --- IdleSet ---------------------------------------------------------------------------------------

namespace detail {

void IdleSet::reset(size_t n) {
  levels_.clear();
  size_t words = std::max<size_t>(1, (n + 63) / 64);
  while (true) {
    levels_.emplace_back(words, 0);
    if (words == 1) break;
    words = (words + 63) / 64;
  }
}

void IdleSet::insert(size_t i) {
  for (auto& level : levels_) {
    uint64_t& w = level[i >> 6];
    const bool was_empty = w == 0;
    w |= uint64_t{1} << (i & 63);
    if (!was_empty) return;
    i >>= 6;
  }
}

void IdleSet::erase(size_t i) {
  for (auto& level : levels_) {
    uint64_t& w = level[i >> 6];
    w &= ~(uint64_t{1} << (i & 63));
    if (w != 0) return;
    i >>= 6;
  }
}

size_t IdleSet::first() const {
  size_t i = 0;
  for (size_t l = levels_.size(); l-- > 0;) i = i * 64 + static_cast<size_t>(std::countr_zero(levels_[l][i]));
  return i;
}

}  // namespace detail

// --- construction and input checks -----------------------------------------------------------------

Scheduler::Scheduler(std::vector<StaffMember> staff, int num_roles) : staff_(std::move(staff)), num_roles_(num_roles) {
  if (num_roles < 1 || num_roles > 32)
    throw std::invalid_argument("num_roles must be in [1, 32], got " + std::to_string(num_roles));
  const size_t n = staff_.size();
  if (n > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw std::invalid_argument("too many staff members");
  for (size_t i = 0; i < n; ++i) {
    const StaffMember& m = staff_[i];
    if (m.role >= num_roles)
      throw std::invalid_argument(staff_label(i) + ": role " + std::to_string(m.role) + " >= num_roles " +
                                  std::to_string(num_roles));
    if (m.village < -1) throw std::invalid_argument(staff_label(i) + ": village must be >= 0, or -1 for the town pool");
    if (m.shift_start < 0 || m.minutes_per_day < 0 || m.shift_start + m.minutes_per_day > kMinutesPerDay)
      throw std::invalid_argument(staff_label(i) + ": shift must lie within the day (0 <= shift_start, 0 <= "
                                  "minutes_per_day, shift_start + minutes_per_day <= 1440)");
    if (m.village >= 0) villages_.push_back(m.village);
  }
  std::sort(villages_.begin(), villages_.end());
  villages_.erase(std::unique(villages_.begin(), villages_.end()), villages_.end());

  const size_t roles = static_cast<size_t>(num_roles);
  town_base_ = villages_.size() * roles;
  const size_t groups = town_base_ + roles;
  group_members_.resize(groups);
  group_of_.resize(n);
  pos_in_group_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const StaffMember& m = staff_[i];
    const size_t g = m.village < 0 ? town_base_ + m.role : static_cast<size_t>(village_index(m.village)) * roles + m.role;
    group_of_[i] = static_cast<uint32_t>(g);
    pos_in_group_[i] = static_cast<uint32_t>(group_members_[g].size());
    group_members_[g].push_back(static_cast<int32_t>(i));
  }
  ready_.resize(groups);
  idle_.resize(groups);
  for (size_t g = 0; g < groups; ++g) idle_[g].reset(group_members_[g].size());
  dirty_.assign(groups, 0);
  rep_pending_.assign(groups, 0);

  assigned_.resize(n);
  unavailable_.resize(n);
  state_.assign(n, kOff);
  is_rep_.assign(n, 0);
  shift_end_.assign(n, 0);
  current_.assign(n, 0);
  open_by_role_.assign(roles, 0);
}

void Scheduler::validate(const Task& t) const {
  if (t.minutes <= 0) throw std::invalid_argument(task_label(t) + ": minutes must be > 0");
  if (t.role_mask == 0) throw std::invalid_argument(task_label(t) + ": role_mask is empty");
  if (num_roles_ < 32 && (t.role_mask >> num_roles_) != 0)
    throw std::invalid_argument(task_label(t) + ": role_mask names a role >= num_roles " + std::to_string(num_roles_));
  if (t.assignee < -1 || (t.assignee >= 0 && static_cast<size_t>(t.assignee) >= staff_.size()))
    throw std::invalid_argument(task_label(t) + ": assignee " + std::to_string(t.assignee) + " is not a staff index");
  if (t.assignee >= 0 && ((t.role_mask >> staff_[static_cast<size_t>(t.assignee)].role) & 1u) == 0)
    throw std::invalid_argument(task_label(t) + ": the role of assignee " + std::to_string(t.assignee) +
                                " is not in role_mask");
}

bool Scheduler::can_do(int staff, const Task& t) const {
  if (staff < 0 || static_cast<size_t>(staff) >= staff_.size()) return false;
  const StaffMember& m = staff_[static_cast<size_t>(staff)];
  if (m.role >= 32 || ((t.role_mask >> m.role) & 1u) == 0) return false;
  if (t.assignee >= 0) return t.assignee == staff;
  return m.village < 0 || m.village == t.village;
}

int Scheduler::village_index(int32_t village) const {
  auto it = std::lower_bound(villages_.begin(), villages_.end(), village);
  if (it == villages_.end() || *it != village) return -1;
  return static_cast<int>(it - villages_.begin());
}

// --- availability and backlog ----------------------------------------------------------------------

void Scheduler::set_unavailable(int staff, int day, bool unavailable) {
  if (staff < 0 || static_cast<size_t>(staff) >= staff_.size())
    throw std::invalid_argument("set_unavailable: " + std::to_string(staff) + " is not a staff index");
  if (day < 0) throw std::invalid_argument("set_unavailable: day must be >= 0");
  auto& bits = unavailable_[static_cast<size_t>(staff)];
  const size_t word = static_cast<size_t>(day) / 64;
  if (word >= bits.size()) {
    if (!unavailable) return;
    bits.resize(word + 1, 0);
  }
  const uint64_t bit = uint64_t{1} << (static_cast<size_t>(day) % 64);
  if (unavailable) {
    bits[word] |= bit;
  } else {
    bits[word] &= ~bit;
  }
}

bool Scheduler::on_duty(int staff, int day) const {
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

size_t Scheduler::open_tasks_for_role(int role) const {
  if (role < 0 || role >= num_roles_) return 0;
  return open_by_role_[static_cast<size_t>(role)];
}

void Scheduler::for_each_open_task(FunctionRef<void(const Task&, bool)> f) const {
  for (const Slot& sl : slots_)
    if (sl.state != kFree) f(sl.task, sl.late_reported);
}

// --- task storage ----------------------------------------------------------------------------------

uint32_t Scheduler::alloc_slot() {
  if (!free_slots_.empty()) {
    const uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  if (slots_.size() >= std::numeric_limits<uint32_t>::max()) throw std::length_error("too many open tasks");
  slots_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

void Scheduler::release_slot(uint32_t slot) {
  Slot& sl = slots_[slot];
  sl.state = kFree;
  ++sl.gen;  // every heap entry still naming this slot is now stale
  free_slots_.push_back(slot);
}

// The task leaves the open set (completed or dropped): its remaining heap entries become stale.
void Scheduler::close_task(uint32_t slot) {
  Slot& sl = slots_[slot];
  live_entries_ -= sl.entries + (sl.deadline_live ? 1u : 0u);
  sl.entries = 0;
  sl.deadline_live = false;
  --open_;
  if (sl.late_reported) --late_open_;
  for (uint32_t m = sl.task.role_mask; m != 0; m &= m - 1) --open_by_role_[static_cast<size_t>(std::countr_zero(m))];
  release_slot(slot);
}

void Scheduler::add_task(const Task& t) {
  if (phase_ == Phase::Starting) throw std::logic_error("add_task may not be called from on_start");
  validate(t);
  const uint32_t slot = alloc_slot();
  Slot& sl = slots_[slot];
  sl.task = t;
  sl.late_reported = false;
  sl.deadline_live = true;
  sl.entries = 0;
  ++open_;
  for (uint32_t m = t.role_mask; m != 0; m &= m - 1) ++open_by_role_[static_cast<size_t>(std::countr_zero(m))];
  heap_push(deadline_heap_, TimeEntry{t.deadline, t.id, slot, sl.gen}, TimeGreater{});
  ++heap_entries_;
  ++live_entries_;
  if (phase_ == Phase::Events && t.release <= now_) {
    make_ready(slot);
  } else {
    // Before run_day (or from on_late) everything waits in the release heap; the day loop moves
    // what is due at each event minute.
    sl.state = kPending;
    sl.entries = 1;
    heap_push(release_heap_, TimeEntry{t.release, t.id, slot, sl.gen}, TimeGreater{});
    ++heap_entries_;
    ++live_entries_;
  }
}

// Puts a task into every ready heap a member could take it from: its assignee's heap, or the
// (village, role) heap and the town-pool heap of each role in its mask that has members. A task
// in several heaps is taken once; the other entries go stale (the slot state is checked on pop).
void Scheduler::make_ready(uint32_t slot) {
  Slot& sl = slots_[slot];
  const Task& t = sl.task;
  sl.state = kReady;
  const ReadyEntry e{t.deadline, t.release, t.id, t.priority, slot, sl.gen};
  uint8_t k = 0;
  if (t.assignee >= 0) {
    heap_push(assigned_[static_cast<size_t>(t.assignee)], e, ReadyLess{});
    k = 1;
    wake(t.assignee);
  } else {
    const int vi = village_index(t.village);
    const size_t roles = static_cast<size_t>(num_roles_);
    for (uint32_t m = t.role_mask; m != 0; m &= m - 1) {
      const size_t r = static_cast<size_t>(std::countr_zero(m));
      if (vi >= 0) {
        const size_t g = static_cast<size_t>(vi) * roles + r;
        if (!group_members_[g].empty()) {
          heap_push(ready_[g], e, ReadyLess{});
          ++k;
          mark_dirty(g);
        }
      }
      const size_t g = town_base_ + r;
      if (!group_members_[g].empty()) {
        heap_push(ready_[g], e, ReadyLess{});
        ++k;
        mark_dirty(g);
      }
    }
  }
  sl.entries = k;
  live_entries_ += k;
  heap_entries_ += k;
}

bool Scheduler::ready_valid(const ReadyEntry& e) const {
  const Slot& sl = slots_[e.slot];
  return sl.gen == e.gen && sl.state == kReady;
}

void Scheduler::clean(std::vector<ReadyEntry>& heap) {
  while (!heap.empty() && !ready_valid(heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), ReadyLess{});
    heap.pop_back();
    --heap_entries_;
  }
}

// --- the day loop ----------------------------------------------------------------------------------
//
// At each event minute t: (1) completions at t, in staff order, each calling on_complete (which may
// add tasks); shift starts at t; (2) tasks released at or before t become ready; (3) every member free
// at t takes the best task it may do, in staff order. Members who found nothing wait idle in their
// group's idle set until a task enters their group's heap or their own assignee heap. Idle members
// are woken lazily: for a group that received tasks, only its lowest idle member is queued; each
// woken member that did not find the heap empty queues the next one. Since the ready set only
// shrinks during step (3), this visits exactly the members that the rule "every free member looks,
// in staff order" would let take something, at O(log) cost each.

void Scheduler::mark_dirty(size_t group) {
  if (phase_ != Phase::Events || dirty_[group] || idle_[group].empty()) return;
  dirty_[group] = 1;
  dirty_list_.push_back(group);
}

void Scheduler::wake(int staff) {
  const size_t s = static_cast<size_t>(staff);
  if (phase_ != Phase::Events || state_[s] != kIdle) return;
  idle_[group_of_[s]].erase(pos_in_group_[s]);
  --idle_count_;
  state_[s] = kQueued;
  heap_push(queued_, static_cast<int32_t>(staff), std::greater<>{});
}

void Scheduler::push_rep(size_t group) {
  if (rep_pending_[group] || idle_[group].empty()) return;
  const size_t pos = idle_[group].first();
  idle_[group].erase(pos);
  --idle_count_;
  const int32_t s = group_members_[group][pos];
  state_[static_cast<size_t>(s)] = kQueued;
  is_rep_[static_cast<size_t>(s)] = 1;
  rep_pending_[group] = 1;
  heap_push(queued_, s, std::greater<>{});
}

void Scheduler::release_until(int64_t t) {
  while (!release_heap_.empty() && release_heap_.front().time <= t) {
    const TimeEntry e = heap_pop(release_heap_, TimeGreater{});
    --heap_entries_;
    Slot& sl = slots_[e.slot];
    if (sl.gen != e.gen || sl.state != kPending) continue;  // dropped before its release
    --live_entries_;
    sl.entries = 0;
    make_ready(e.slot);
  }
}

void Scheduler::complete(int staff, int64_t t, OnComplete on_complete) {
  const size_t s = static_cast<size_t>(staff);
  const uint32_t slot = current_[s];
  const Task task = slots_[slot].task;  // a copy: the callback may add tasks and grow slots_
  close_task(slot);
  ++completed_total_;
  ++stats_->tasks_completed;
  state_[s] = kQueued;
  heap_push(queued_, static_cast<int32_t>(staff), std::greater<>{});
  if (on_complete) on_complete(task, t, staff);
}

void Scheduler::take_or_wait(int staff, int64_t t, OnStart on_start) {
  const size_t s = static_cast<size_t>(staff);
  const size_t g = group_of_[s];
  const bool rep = is_rep_[s] != 0;
  if (rep) {
    is_rep_[s] = 0;
    rep_pending_[g] = 0;
  }
  auto& group_heap = ready_[g];
  auto& own_heap = assigned_[s];
  clean(group_heap);
  clean(own_heap);
  std::vector<ReadyEntry>* from = nullptr;
  if (!group_heap.empty()) from = &group_heap;
  if (!own_heap.empty() && (from == nullptr || better(own_heap.front(), from->front()))) from = &own_heap;

  if (from == nullptr) {  // nothing ready: wait for a release into one of this member's heaps
    state_[s] = kIdle;
    idle_[g].insert(pos_in_group_[s]);
    ++idle_count_;
    return;
  }
  const uint32_t slot = from->front().slot;
  Slot& sl = slots_[slot];
  if (t + sl.task.minutes > shift_end_[s]) {
    state_[s] = kStopped;  // the best task does not fit before the shift ends: done for the day
  } else {
    std::pop_heap(from->begin(), from->end(), ReadyLess{});
    from->pop_back();
    --heap_entries_;
    live_entries_ -= sl.entries;
    sl.entries = 0;
    sl.state = kInProgress;
    current_[s] = slot;
    state_[s] = kBusy;
    stats_->minutes_worked[s] += sl.task.minutes;
    heap_push(events_, StaffEvent{(t + sl.task.minutes) * 2 + kCompletion, static_cast<int32_t>(staff)}, EventGreater{});
    if (on_start) {
      const Task task = sl.task;
      on_start(task, t, staff);
    }
  }
  // This member did not find its group heap empty-handed; the next idle member of the group
  // (necessarily of a higher index) gets to look too.
  if (rep) {
    clean(group_heap);
    if (!group_heap.empty()) push_rep(g);
  }
}

DayStats Scheduler::run_day(int day, OnComplete on_complete, OnLate on_late, OnStart on_start) {
  if (phase_ != Phase::Idle) throw std::logic_error("run_day may not be called from inside a callback");
  if (day < 0) throw std::invalid_argument("run_day: day must be >= 0");
  if (day <= last_day_)
    throw std::invalid_argument("run_day: day " + std::to_string(day) + " is not after the last day run (" +
                                std::to_string(last_day_) + ")");
  last_day_ = day;

  const size_t n = staff_.size();
  DayStats stats;
  stats.minutes_worked.assign(n, 0);
  stats.minutes_available.assign(n, 0);
  stats_ = &stats;
  struct Reset {  // leave the scheduler usable for queries if a callback throws
    Scheduler* self;
    ~Reset() {
      self->phase_ = Phase::Idle;
      self->stats_ = nullptr;
    }
  } reset{this};

  const int64_t d0 = day_start(day);
  const int64_t d1 = d0 + kMinutesPerDay;
  reset_day_state();
  for (size_t s = 0; s < n; ++s) {
    const StaffMember& m = staff_[s];
    if (m.minutes_per_day > 0 && on_duty(static_cast<int>(s), day)) {
      stats.minutes_available[s] = m.minutes_per_day;
      shift_end_[s] = d0 + m.shift_start + m.minutes_per_day;
      events_.push_back(StaffEvent{(d0 + m.shift_start) * 2 + kShiftStart, static_cast<int32_t>(s)});
    }
  }
  std::make_heap(events_.begin(), events_.end(), EventGreater{});

  phase_ = Phase::Events;
  now_ = d0;
  while (true) {
    int64_t t = events_.empty() ? kNever : (events_.front().key >> 1);
    // A release is an event of its own only if someone is idle to take it; otherwise it is picked
    // up at the next completion or shift start (releases <= t are moved first at every minute t).
    if (idle_count_ > 0 && !release_heap_.empty() && release_heap_.front().time < d1)
      t = std::min(t, release_heap_.front().time);
    if (t == kNever) break;
    now_ = t;
    while (!events_.empty() && (events_.front().key >> 1) == t) {
      const StaffEvent e = heap_pop(events_, EventGreater{});
      if ((e.key & 1) == kShiftStart) {
        state_[static_cast<size_t>(e.staff)] = kQueued;
        heap_push(queued_, e.staff, std::greater<>{});
      } else {
        complete(e.staff, t, on_complete);
      }
    }
    release_until(t);
    for (size_t g : dirty_list_) {
      dirty_[g] = 0;
      push_rep(g);
    }
    dirty_list_.clear();

    phase_ = Phase::Starting;
    while (!queued_.empty()) take_or_wait(heap_pop(queued_, std::greater<>{}), t, on_start);
    phase_ = Phase::Events;
  }

  reset_day_state();  // everyone goes home

  // End of day: report open tasks due by the end of the day, once each.
  phase_ = Phase::Late;
  now_ = d1;
  while (!deadline_heap_.empty() && deadline_heap_.front().time <= d1) {
    const TimeEntry e = heap_pop(deadline_heap_, TimeGreater{});
    --heap_entries_;
    Slot& sl = slots_[e.slot];
    if (sl.gen != e.gen || sl.state == kFree || !sl.deadline_live) continue;  // completed or dropped
    sl.deadline_live = false;
    --live_entries_;
    sl.late_reported = true;
    ++late_open_;
    ++stats.tasks_late;
    const Task task = sl.task;
    if (on_late) on_late(task);
    if (task.drop_when_late) {
      close_task(e.slot);
      ++stats.tasks_dropped;
    }
  }
  compact_if_needed();
  stats.open_at_end = open_;
  return stats;
}

// Clears the day loop's state. Normally only idle members are left; after a callback threw, tasks in
// progress go back to waiting (released at once on the next day) and queued/dirty marks are dropped.
void Scheduler::reset_day_state() {
  for (const StaffEvent& e : events_) {
    if ((e.key & 1) != kCompletion) continue;
    const uint32_t slot = current_[static_cast<size_t>(e.staff)];
    Slot& sl = slots_[slot];
    sl.state = kPending;
    sl.entries = 1;
    heap_push(release_heap_, TimeEntry{sl.task.release, sl.task.id, slot, sl.gen}, TimeGreater{});
    ++heap_entries_;
    ++live_entries_;
  }
  events_.clear();
  queued_.clear();
  for (size_t s = 0; s < staff_.size(); ++s) {
    if (state_[s] == kIdle) idle_[group_of_[s]].erase(pos_in_group_[s]);
    state_[s] = kOff;
    is_rep_[s] = 0;
  }
  for (size_t g : dirty_list_) dirty_[g] = 0;
  dirty_list_.clear();
  std::fill(rep_pending_.begin(), rep_pending_.end(), uint8_t{0});
  idle_count_ = 0;
}

// Lazy deletion leaves stale entries behind (a task ready for two roles sits in two heaps; a
// completed task's deadline entry waits for its deadline). Rebuild every heap once stale entries
// outnumber live ones, so memory stays proportional to the backlog; amortized O(1) per entry.
void Scheduler::compact_if_needed() {
  if (heap_entries_ <= 2 * live_entries_ + 4096) return;
  size_t total = 0;
  auto filter_ready = [&](std::vector<ReadyEntry>& h) {
    std::erase_if(h, [&](const ReadyEntry& e) { return !ready_valid(e); });
    std::make_heap(h.begin(), h.end(), ReadyLess{});
    total += h.size();
  };
  for (auto& h : ready_) filter_ready(h);
  for (auto& h : assigned_) filter_ready(h);
  std::erase_if(release_heap_, [&](const TimeEntry& e) {
    const Slot& sl = slots_[e.slot];
    return sl.gen != e.gen || sl.state != kPending;
  });
  std::make_heap(release_heap_.begin(), release_heap_.end(), TimeGreater{});
  std::erase_if(deadline_heap_, [&](const TimeEntry& e) {
    const Slot& sl = slots_[e.slot];
    return sl.gen != e.gen || sl.state == kFree || !sl.deadline_live;
  });
  std::make_heap(deadline_heap_.begin(), deadline_heap_.end(), TimeGreater{});
  heap_entries_ = total + release_heap_.size() + deadline_heap_.size();
}

}  // namespace vg::staffing
