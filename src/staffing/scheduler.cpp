#include "staffing/scheduler.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

#include "staffing/scheduler_internal.h"

namespace vg::staffing {

using namespace detail;  // scheduler_internal.h: the dispatch order, heap helpers and constants

namespace {

std::string staff_label(size_t i) { return "staff member " + std::to_string(i); }
std::string task_label(const Task& t) { return "task " + std::to_string(t.id); }

}  // namespace

// --- helpers ---------------------------------------------------------------------------------------

namespace detail {

void IdleSet::reset(size_t n) {
  size_t words = std::max<size_t>(1, (n + 63) / 64);
  size_t total = 0;
  levels_ = 0;
  while (true) {
    if (levels_ == kMaxLevels) throw std::length_error("IdleSet: too many members");
    offset_[levels_++] = total;
    total += words;
    if (words == 1) break;
    words = (words + 63) / 64;
  }
  words_.assign(total, 0);
}

void DayBuckets::take_through(int64_t day, std::vector<TimeEntry>& out) {
  if (day < base_) return;
  const int64_t last = std::min(day, base_ + kNear - 1);
  for (int64_t d = base_; d <= last; ++d) {
    auto& v = near_[static_cast<size_t>(d % kNear)];
    if (out.empty()) {
      out.swap(v);  // the same entries without a copy; v keeps out's (empty) buffer
    } else {
      out.insert(out.end(), v.begin(), v.end());
      v.clear();
    }
  }
  const auto end = far_.upper_bound(day);
  for (auto it = far_.begin(); it != end; ++it) out.insert(out.end(), it->second.begin(), it->second.end());
  far_.erase(far_.begin(), end);
  base_ = day + 1;
  // Later days that now fall within the ring move in (their ring slots were taken through: empty).
  for (auto it = far_.begin(); it != far_.end() && it->first < base_ + kNear; it = far_.erase(it))
    near_[static_cast<size_t>(it->first % kNear)] = std::move(it->second);
}

size_t DayBuckets::erase_stale(const std::function<bool(const TimeEntry&)>& stale) {
  size_t n = 0;
  for (auto& v : near_) {
    std::erase_if(v, stale);
    n += v.size();
  }
  for (auto it = far_.begin(); it != far_.end();) {
    std::erase_if(it->second, stale);
    if (it->second.empty()) {
      it = far_.erase(it);
    } else {
      n += it->second.size();
      ++it;
    }
  }
  return n;
}

void DayBuckets::clear() {
  base_ = 0;
  for (auto& v : near_) v.clear();
  far_.clear();
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
    if (m.shift_start < 0 || m.minutes_per_day < 0 || m.overtime_minutes < 0 ||
        m.shift_start + m.minutes_per_day + m.overtime_minutes > kMinutesPerDay)
      throw std::invalid_argument(staff_label(i) +
                                  ": shift must lie within the day (0 <= shift_start, 0 <= "
                                  "minutes_per_day, 0 <= overtime_minutes, shift_start + minutes_per_day + "
                                  "overtime_minutes <= 1440)");
    if (m.village >= 0) villages_.push_back(m.village);
  }
  std::sort(villages_.begin(), villages_.end());
  villages_.erase(std::unique(villages_.begin(), villages_.end()), villages_.end());

  roles_ = static_cast<size_t>(num_roles);
  const size_t v = villages_.size();
  stride_ = v + 1;
  role_classes_.resize(roles_);
  pool_base_ = v * roles_;
  const size_t groups = pool_base_ + roles_;
  group_members_.resize(groups);
  group_of_.resize(n);
  pos_in_group_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const StaffMember& m = staff_[i];
    const size_t g =
        m.village < 0 ? pool_base_ + m.role : static_cast<size_t>(village_index(m.village)) * roles_ + m.role;
    group_of_[i] = static_cast<uint32_t>(g);
    pos_in_group_[i] = static_cast<uint32_t>(group_members_[g].size());
    group_members_[g].push_back(static_cast<int32_t>(i));
  }
  idle_.resize(groups);
  for (size_t g = 0; g < groups; ++g) idle_[g].reset(group_members_[g].size());

  has_pool_.assign(roles_, 0);
  leaves_ = std::bit_ceil(v + 1);
  for (size_t r = 0; r < roles_; ++r) has_pool_[r] = group_members_[pool_base_ + r].empty() ? 0 : 1;

  end_offset_.resize(n);
  overtime_offset_.resize(n);
  shift_offsets();
  queued_.reset(n);
  starters_.resize(kMinuteSlots);
  for (size_t i = 0; i < n; ++i) {
    const StaffMember& m = staff_[i];
    if (m.minutes_per_day <= 0) continue;  // never starts a shift
    auto& list = starters_[static_cast<size_t>(m.shift_start)];
    if (list.empty()) start_minutes_.push_back(m.shift_start);
    list.push_back(static_cast<int32_t>(i));
  }
  std::sort(start_minutes_.begin(), start_minutes_.end());
  start_runs_.resize(kMinuteSlots);
  for (const int16_t minute : start_minutes_) {
    const auto& list = starters_[static_cast<size_t>(minute)];
    auto& runs = start_runs_[static_cast<size_t>(minute)];
    for (uint32_t i = 0; i < list.size(); ++i) {
      const size_t m = static_cast<size_t>(list[i]);
      const size_t word = pos_in_group_[m] / 64;
      if (runs.empty() || runs.back().group != group_of_[m]) {
        const auto w = static_cast<uint32_t>(start_words_.size());
        runs.push_back({static_cast<uint32_t>(group_of_[m]), i, i, w, w, true});
      }
      StartRun& run = runs.back();
      if (run.end > run.begin && list[i] != list[i - 1] + 1) run.contiguous = false;
      if (run.words_end == run.words_begin || start_words_.back().word != word) {
        start_words_.push_back({word, 0});
        ++run.words_end;
      }
      start_words_.back().bits |= uint64_t{1} << (pos_in_group_[m] % 64);
      run.end = i + 1;
    }
  }
  // A day when every member who works shifts is on duty (the common case) files them in bulk.
  shift_minutes_.assign(n, 0);
  role_shift_minutes_.assign(roles_, 0);
  for (size_t i = 0; i < n; ++i) {
    if (staff_[i].minutes_per_day <= 0) continue;
    shift_minutes_[i] = staff_[i].minutes_per_day;
    role_shift_minutes_[staff_[i].role] += staff_[i].minutes_per_day;
    all_from_day_ = std::max(all_from_day_, staff_[i].available_from_day);
  }
  reset_state();
}

bool Scheduler::restart(const std::vector<StaffMember>& staff, int num_roles) {
  if (phase_ != Phase::Idle) throw std::logic_error("restart may not be called from a callback");
  if (num_roles != num_roles_ || staff.size() != staff_.size()) return false;
  for (size_t i = 0; i < staff.size(); ++i) {
    const StaffMember &a = staff[i], &b = staff_[i];
    if (a.role != b.role || a.village != b.village || a.shift_start != b.shift_start ||
        a.minutes_per_day != b.minutes_per_day || a.available_from_day != b.available_from_day ||
        a.max_tasks_per_day != b.max_tasks_per_day)
      return false;
  }
  // What construction derives from the roster alone (groups, shift starts and their runs, the
  // shift minutes by role, all_from_day_) stands. Overtime is the roster's again.
  for (size_t i = 0; i < staff.size(); ++i) staff_[i].overtime_minutes = staff[i].overtime_minutes;
  shift_offsets();
  reset_state();
  return true;
}

// The state of a run (tasks, timers, days, absences, members' and groups' day state), as
// construction leaves it: sized for the roster, the containers keeping their memory.
void Scheduler::reset_state() {
  const size_t n = staff_.size();
  // Ready lists: every bucket empty, its lanes kept; no pool bucket has a top.
  for (auto& b : buckets_) {
    for (auto& lane : b.lanes) {
      lane.run.clear();
      lane.run_pos = 0;
      lane.heap.clear();
    }
    b.top = 0;
    b.size = 0;
  }
  for (auto& tree : tourney_) std::fill(tree.begin(), tree.end(), -1);
  // Groups and members.
  for (auto& set : idle_) set.clear();
  dirty_.assign(group_members_.size(), 0);
  rep_pending_.assign(group_members_.size(), 0);
  dirty_list_.clear();
  assigned_.resize(n);
  for (auto& heap : assigned_) heap.clear();
  own_words_.resize(group_members_.size());
  for (size_t g = 0; g < group_members_.size(); ++g) own_words_[g].assign((group_members_[g].size() + 63) / 64, 0);
  unavailable_.resize(n);
  for (auto& bits : unavailable_) bits.clear();
  absent_on_day_.clear();
  state_.assign(n, kOff);
  is_rep_.assign(n, 0);
  current_.assign(n, 0);
  rotation_minutes_.assign(n, 0);
  own_min_minutes_.assign(n, std::numeric_limits<int32_t>::max());
  tasks_today_.assign(n, 0);
  rotating_.clear();
  availability_ = nullptr;
  // Teams.
  team_ready_.clear();
  team_check_ = false;
  teams_.clear();
  free_teams_.clear();
  pick_.clear();
  rep_regroups_.clear();
  callback_team_.clear();
  // Tasks.
  // Slots: kept, with their memory, all free; handed out lowest first as a new scheduler's would be
  // (the free list's back is the next one taken). Generations go on, so no old entry could match.
  free_slots_.clear();
  for (size_t i = slots_.size(); i-- > 0;) {
    Slot& sl = slots_[i];
    sl.state = kFree;
    ++sl.gen;
    sl.entries = 0;
    sl.deadline_live = false;
    sl.late_reported = false;
    sl.team = kNoTeam;
    free_slots_.push_back(static_cast<uint32_t>(i));
  }
  release_days_.clear();
  releases_.clear();
  release_pos_ = 0;
  release_heap_.clear();
  due_days_.clear();
  due_.clear();
  due_heap_.clear();
  open_ = 0;
  late_open_ = 0;
  open_by_role_.assign(roles_, 0);
  live_entries_ = 0;
  stored_entries_ = 0;
  completed_total_ = 0;
  // The day loop.
  completion_head_.assign(kMinuteSlots, -1);
  completion_next_.assign(n, -1);
  completing_.clear();
  for (auto& v : starts_at_) v.clear();
  for (auto& v : timers_at_) v.clear();
  starts_whole_ = false;
  busy_minutes_.fill(0);
  timer_heap_.clear();
  timer_seq_ = 0;
  minute_pos_ = 0;
  pending_events_ = 0;
  loop_interrupted_ = false;
  sort_scratch_.clear();
  starting_now_.clear();
  on_shift_.clear();
  queued_.clear();
  idle_count_ = 0;
  now_ = 0;
  day_end_ = 0;
  last_day_ = -1;
  stats_ = nullptr;
}

void Scheduler::validate(const Task& t) const {
  if (t.minutes <= 0) throw std::invalid_argument(task_label(t) + ": minutes must be > 0");
  if (t.role_mask == 0) throw std::invalid_argument(task_label(t) + ": role_mask is empty");
  if (num_roles_ < 32 && (t.role_mask >> num_roles_) != 0)
    throw std::invalid_argument(task_label(t) + ": role_mask names a role >= num_roles " + std::to_string(num_roles_));
  if (t.assignee < -1 || (t.assignee >= 0 && static_cast<size_t>(t.assignee) >= staff_.size()))
    throw std::invalid_argument(task_label(t) + ": assignee " + std::to_string(t.assignee) + " is not a staff index");
  if (t.team && t.assignee >= 0) throw std::invalid_argument(task_label(t) + ": a team task cannot have an assignee");
  if (t.team && t.rotate) throw std::invalid_argument(task_label(t) + ": a team task cannot rotate");
  if (t.assignee >= 0 && ((t.role_mask >> staff_[static_cast<size_t>(t.assignee)].role) & 1u) == 0)
    throw std::invalid_argument(task_label(t) + ": the role of assignee " + std::to_string(t.assignee) +
                                " is not in role_mask");
}

bool Scheduler::can_do(int staff, const Task& t) const {
  if (staff < 0 || static_cast<size_t>(staff) >= staff_.size()) return false;
  const StaffMember& m = staff_[static_cast<size_t>(staff)];
  if (((t.role_mask >> m.role) & 1u) == 0) return false;
  if (t.assignee >= 0) return t.assignee == staff;
  return m.village < 0 || m.village == t.village;
}

// --- availability and backlog ----------------------------------------------------------------------

void Scheduler::set_overtime(int staff, int minutes) {
  if (staff < 0 || static_cast<size_t>(staff) >= staff_.size())
    throw std::invalid_argument("set_overtime: " + std::to_string(staff) + " is not a staff index");
  StaffMember& m = staff_[static_cast<size_t>(staff)];
  const int most = static_cast<int>(kMinutesPerDay) - m.shift_start - m.minutes_per_day;
  m.overtime_minutes = static_cast<int16_t>(std::clamp(minutes, 0, most));
  overtime_changed_ = true;  // today's shift ends stay; the next run_day takes the new ones
}

void Scheduler::shift_offsets() {
  for (size_t i = 0; i < staff_.size(); ++i) {
    end_offset_[i] = int64_t{staff_[i].shift_start} + staff_[i].minutes_per_day;
    overtime_offset_[i] = end_offset_[i] + staff_[i].overtime_minutes;
  }
  overtime_changed_ = false;
}

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
  if (((bits[word] & bit) != 0) == unavailable) return;
  if (static_cast<size_t>(day) >= absent_on_day_.size()) absent_on_day_.resize(static_cast<size_t>(day) + 1, 0);
  if (unavailable) {
    bits[word] |= bit;
    ++absent_on_day_[static_cast<size_t>(day)];
  } else {
    bits[word] &= ~bit;
    --absent_on_day_[static_cast<size_t>(day)];
  }
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
//
// Tasks live in slots (reused through a free list). Heaps and buckets hold entries naming a slot and
// its generation; an entry is stale once the slot moved on (taken, completed, dropped, reused) and is
// skipped when met (lazy deletion). live_entries_ / stored_entries_ drive the compaction.

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

void Scheduler::add_task(const Task& t) {
  if (phase_ == Phase::Starting) throw std::logic_error("add_task may not be called from on_start");
  // validate()'s conditions in one expression; validate() itself (which throws, saying which one
  // failed) only when one does.
  const bool valid =
      t.minutes > 0 && t.role_mask != 0 && (num_roles_ >= 32 || (t.role_mask >> num_roles_) == 0) &&
      !(t.team && t.rotate) &&
      (t.assignee == -1 || (t.assignee >= 0 && static_cast<size_t>(t.assignee) < staff_.size() && !t.team &&
                            ((t.role_mask >> staff_[static_cast<size_t>(t.assignee)].role) & 1u) != 0));
  if (!valid) validate(t);
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = alloc_slot();
  }
  Slot& sl = slots_[slot];
  sl.task = t;
  sl.late_reported = false;
  sl.deadline_live = true;
  sl.entries = 0;
  ++open_;
  for (uint32_t m = t.role_mask; m != 0; m &= m - 1) ++open_by_role_[static_cast<size_t>(std::countr_zero(m))];

  const TimeEntry due{t.deadline, t.id, slot, sl.gen};
  const int64_t dd = due_day(t.deadline);
  if (phase_ == Phase::Late && dd <= last_day_) {
    heap_push(due_heap_, due, TimeGreater{});  // due in the end-of-day pass under way
  } else {
    due_days_.push(dd, due);
  }
  ++stored_entries_;
  ++live_entries_;

  // Ready at once if released by now during the day, or, between days, by the start of the next day
  // to run: nobody looks before that day's first event, when it would be made ready anyway (a task
  // given in turn waits for its release minute: who gets it depends on who is free then).
  const bool ready_now = phase_ == Phase::Events
                             ? t.release <= now_
                             : phase_ == Phase::Idle && !t.rotate && t.release <= day_start(last_day_ + 1);
  if (ready_now) {
    make_ready(slot);
  } else {
    file_release(slot);
  }
}

void Scheduler::file_release(uint32_t slot) {
  Slot& sl = slots_[slot];
  sl.state = kPending;
  sl.entries = 1;
  ++stored_entries_;
  ++live_entries_;
  const TimeEntry e{sl.task.release, sl.task.id, slot, sl.gen};
  if (phase_ == Phase::Events && e.time < day_end_) {
    heap_push(release_heap_, e, TimeGreater{});  // later today, added from on_complete
  } else {
    release_days_.push(day_of_minute(e.time), e);
  }
}
void Scheduler::add_timer(int64_t time, uint64_t id) {
  if (phase_ == Phase::Idle) {
    timer_heap_.push_back({time, timer_seq_++, id});
    std::push_heap(timer_heap_.begin(), timer_heap_.end(), std::greater<>{});
    return;
  }
  if (phase_ != Phase::Events || time <= now_)
    throw std::logic_error("add_timer from a callback needs a minute later than the current one");
  if (time >= day_end_) {  // a later day
    timer_heap_.push_back({time, timer_seq_++, id});
    std::push_heap(timer_heap_.begin(), timer_heap_.end(), std::greater<>{});
    return;
  }
  timers_at_[static_cast<size_t>(time - (day_end_ - kMinutesPerDay))].push_back(id);
  mark_minute(static_cast<size_t>(time - (day_end_ - kMinutesPerDay)));
  ++pending_events_;
}
// Lazy deletion leaves stale entries behind (a task ready for two roles sits in two buckets; a
// completed task's deadline entry waits for its due day). Once stale entries outnumber live ones,
// rebuild everything, so memory stays proportional to the backlog; amortized O(1) per entry.
void Scheduler::compact_if_needed() {
  if (stored_entries_ <= 2 * live_entries_ + 4096) return;
  size_t total = 0;
  auto filter_ready = [&](Heap& h) {
    std::erase_if(h, [&](const ReadyEntry& e) { return !ready_valid(e); });
    std::make_heap(h.begin(), h.end(), ReadyLess{});
    total += h.size();
  };
  for (Bucket& b : buckets_) {
    b.size = 0;
    for (Lane& lane : b.lanes) {
      lane.filter([&](const ReadyEntry& e) { return ready_valid(e); });
      b.size += lane.size();
    }
    total += b.size;
    b.retop();
  }
  for (Heap& h : assigned_) filter_ready(h);
  std::erase_if(team_ready_, [&](const ReadyEntry& e) { return !ready_valid(e); });  // keeps the order
  total += team_ready_.size();
  for (size_t c = 0; c < class_masks_.size(); ++c) {  // every top may have changed: rebuild bottom-up
    if (!class_pool_[c]) continue;
    auto& tree = tourney_[c];
    const Bucket* row = buckets_.data() + c * stride_;
    for (size_t vi = 0; vi < leaves_; ++vi)
      tree[leaves_ + vi] = vi < stride_ && !row[vi].empty() ? static_cast<int32_t>(vi) : -1;
    for (size_t node = leaves_; node-- > 1;) {
      const int32_t a = tree[2 * node], b = tree[2 * node + 1];
      tree[node] = a < 0 || (b >= 0 && better(row[b].front(), row[a].front())) ? b : a;
    }
  }

  auto release_stale = [&](const TimeEntry& e) {
    const Slot& sl = slots_[e.slot];
    return sl.gen != e.gen || sl.state != kPending;
  };
  releases_.erase(releases_.begin(), releases_.begin() + static_cast<std::ptrdiff_t>(release_pos_));
  release_pos_ = 0;
  std::erase_if(releases_, release_stale);  // keeps the order
  std::erase_if(release_heap_, release_stale);
  std::make_heap(release_heap_.begin(), release_heap_.end(), TimeGreater{});
  total += releases_.size() + release_heap_.size() + release_days_.erase_stale(release_stale);

  total += due_days_.erase_stale([&](const TimeEntry& e) {
    const Slot& sl = slots_[e.slot];
    return sl.gen != e.gen || sl.state == kFree || !sl.deadline_live;
  });
  total += due_heap_.size();
  stored_entries_ = total;
}

}  // namespace vg::staffing
