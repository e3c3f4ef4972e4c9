#include "staffing/scheduler.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

namespace vg::staffing {

using detail::ReadyEntry;
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

// The day a minute falls in.
int64_t day_of_minute(int64_t minute) { return day_of(minute); }
// The first day at whose end (d + 1) * 1440 a task with this deadline is due: ceil(deadline / 1440) - 1.
int64_t due_day(int64_t deadline) {
  return deadline / kMinutesPerDay + (deadline % kMinutesPerDay > 0 ? 1 : 0) - 1;
}

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
    out.insert(out.end(), v.begin(), v.end());
    v.clear();
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
      throw std::invalid_argument(staff_label(i) + ": shift must lie within the day (0 <= shift_start, 0 <= "
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
    const size_t g = m.village < 0 ? pool_base_ + m.role : static_cast<size_t>(village_index(m.village)) * roles_ + m.role;
    group_of_[i] = static_cast<uint32_t>(g);
    pos_in_group_[i] = static_cast<uint32_t>(group_members_[g].size());
    group_members_[g].push_back(static_cast<int32_t>(i));
  }
  idle_.resize(groups);
  for (size_t g = 0; g < groups; ++g) idle_[g].reset(group_members_[g].size());
  dirty_.assign(groups, 0);
  rep_pending_.assign(groups, 0);

  has_pool_.assign(roles_, 0);
  leaves_ = std::bit_ceil(v + 1);
  for (size_t r = 0; r < roles_; ++r) has_pool_[r] = group_members_[pool_base_ + r].empty() ? 0 : 1;

  assigned_.resize(n);
  unavailable_.resize(n);
  state_.assign(n, kOff);
  is_rep_.assign(n, 0);
  shift_end_.assign(n, 0);
  nominal_end_.assign(n, 0);
  tasks_today_.assign(n, 0);
  own_min_minutes_.assign(n, std::numeric_limits<int32_t>::max());
  current_.assign(n, 0);
  queued_.reset(n);
  open_by_role_.assign(roles_, 0);
}

void Scheduler::validate(const Task& t) const {
  if (t.minutes <= 0) throw std::invalid_argument(task_label(t) + ": minutes must be > 0");
  if (t.role_mask == 0) throw std::invalid_argument(task_label(t) + ": role_mask is empty");
  if (num_roles_ < 32 && (t.role_mask >> num_roles_) != 0)
    throw std::invalid_argument(task_label(t) + ": role_mask names a role >= num_roles " + std::to_string(num_roles_));
  if (t.assignee < -1 || (t.assignee >= 0 && static_cast<size_t>(t.assignee) >= staff_.size()))
    throw std::invalid_argument(task_label(t) + ": assignee " + std::to_string(t.assignee) + " is not a staff index");
  if (t.team && t.assignee >= 0)
    throw std::invalid_argument(task_label(t) + ": a team task cannot have an assignee");
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

// The task leaves the open set (completed or dropped): its remaining entries become stale.
void Scheduler::close_task(uint32_t slot) {
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

  const TimeEntry due{t.deadline, t.id, slot, sl.gen};
  const int64_t dd = due_day(t.deadline);
  if (phase_ == Phase::Late && dd <= last_day_) {
    heap_push(due_heap_, due, TimeGreater{});  // due in the end-of-day pass under way
  } else {
    due_days_.push(dd, due);
  }
  ++stored_entries_;
  ++live_entries_;

  if (phase_ == Phase::Events && t.release <= now_) {
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

// Puts a released task where members look: its assignee's heap, or for each role in its mask the
// bucket of (its village, role) if that village has staff of the role or the town has pool staff
// of the role. A task in several buckets is taken once; its other entries go stale.
void Scheduler::make_ready(uint32_t slot) {
  Slot& sl = slots_[slot];
  const Task& t = sl.task;
  sl.state = kReady;
  const ReadyEntry e{t.deadline, t.release, t.id, t.priority, slot, sl.gen};
  uint8_t k = 0;
  if (t.team) {  // one list for every village, in dispatch order; started by the team step
    // A role with nobody at all to do it (no village staff of the role there, no pool staff of it):
    // the task can never start, so it is not listed (it stays open and is reported late as usual).
    const int vi = village_index(t.village);
    bool possible = true;
    for (uint32_t m = t.role_mask; m != 0 && possible; m &= m - 1) {
      const size_t r = static_cast<size_t>(std::countr_zero(m));
      possible = !group_members_[pool_base_ + r].empty() ||
                 (vi >= 0 && !group_members_[static_cast<size_t>(vi) * roles_ + r].empty());
    }
    if (possible) {
      team_ready_.insert(std::upper_bound(team_ready_.begin(), team_ready_.end(), e, better), e);
      k = 1;
      team_check_ = true;
    }
  } else if (t.assignee >= 0) {
    heap_push(assigned_[static_cast<size_t>(t.assignee)], e, ReadyLess{});
    own_min_minutes_[static_cast<size_t>(t.assignee)] = std::min(own_min_minutes_[static_cast<size_t>(t.assignee)], t.minutes);
    k = 1;
    wake(t.assignee);
  } else {
    const int vi = village_index(t.village);
    const size_t vb = vi < 0 ? villages_.size() : static_cast<size_t>(vi);
    bool seen = false;  // by village staff of the task's village or by pool staff of one of its roles
    for (uint32_t m = t.role_mask; m != 0; m &= m - 1) {
      const size_t r = static_cast<size_t>(std::countr_zero(m));
      const size_t group = vb * roles_ + r;  // a village group only if vi >= 0
      const bool village_staff = vi >= 0 && !group_members_[group].empty();
      if (!village_staff && !has_pool_[r]) continue;
      seen = true;
      if (village_staff) mark_dirty(group);
      if (has_pool_[r]) mark_dirty(pool_base_ + r);
    }
    if (seen) {
      bucket_push(class_of(t.role_mask) * stride_ + vb, e);
      k = 1;
    }
  }
  sl.entries = k;
  live_entries_ += k;
  stored_entries_ += k;
}

bool Scheduler::ready_valid(const ReadyEntry& e) const {
  const Slot& sl = slots_[e.slot];
  return sl.gen == e.gen && sl.state == kReady;
}

size_t Scheduler::class_of(uint32_t mask) {
  for (size_t c = 0; c < class_masks_.size(); ++c)
    if (class_masks_[c] == mask) return c;
  const size_t c = class_masks_.size();
  class_masks_.push_back(mask);
  buckets_.resize(buckets_.size() + stride_);
  bucket_min_minutes_.resize(buckets_.size(), std::numeric_limits<int32_t>::max());
  bool pool = false;
  for (uint32_t m = mask; m != 0; m &= m - 1) {
    const size_t r = static_cast<size_t>(std::countr_zero(m));
    role_classes_[r].push_back(static_cast<uint32_t>(c));
    pool = pool || has_pool_[r];
  }
  class_pool_.push_back(pool ? 1 : 0);
  tourney_.emplace_back();
  if (pool) tourney_.back().assign(2 * leaves_, -1);
  return c;
}

void Scheduler::bucket_push(size_t bucket, const ReadyEntry& e) {
  Heap& h = buckets_[bucket];
  heap_push(h, e, ReadyLess{});
  bucket_min_minutes_[bucket] = std::min(bucket_min_minutes_[bucket], slots_[e.slot].task.minutes);
  const size_t c = bucket / stride_;
  if (class_pool_[c] && h.front().slot == e.slot && h.front().gen == e.gen) tourney_update(c, bucket % stride_);
}

void Scheduler::bucket_pop(size_t bucket) {
  Heap& h = buckets_[bucket];
  std::pop_heap(h.begin(), h.end(), ReadyLess{});
  h.pop_back();
  --stored_entries_;
  const size_t c = bucket / stride_;
  if (class_pool_[c]) tourney_update(c, bucket % stride_);
}

// Tournament tree over the buckets (c, vi), vi in [0, V]: each node holds the vi whose heap top is
// best below it (-1 if all empty). Tops may be stale; best_bucket pops those and retries. Called
// whenever the top of bucket (c, vi) changed: only nodes on vi's path can change, and once a node's
// winner is some other leaf both before and after, nothing above it changes either.
void Scheduler::tourney_update(size_t cls, size_t vi) {
  auto& tree = tourney_[cls];
  const Heap* row = buckets_.data() + cls * stride_;
  const int32_t leaf = static_cast<int32_t>(vi);
  size_t node = leaves_ + vi;
  tree[node] = row[vi].empty() ? -1 : leaf;
  while (node > 1) {
    node >>= 1;
    const int32_t a = tree[2 * node], b = tree[2 * node + 1];
    int32_t w = a;
    if (a < 0) {
      w = b;
    } else if (b >= 0 && better(row[b].front(), row[a].front())) {
      w = b;
    }
    if (w == tree[node] && w != leaf) return;
    tree[node] = w;
  }
}

// The bucket holding the best ready task of a group's view (the buckets of its village for the
// classes of its role, or of every village for the town pool), after dropping stale tops (tasks
// dropped when late); kNone if there is none.
size_t Scheduler::best_bucket(size_t group) {
  size_t best = kNone;
  auto consider = [&](size_t b) {
    if (best == kNone || better(buckets_[b].front(), buckets_[best].front())) best = b;
  };
  if (group < pool_base_) {
    const size_t vi = group / roles_;
    for (const uint32_t c : role_classes_[group % roles_]) {
      const size_t b = c * stride_ + vi;
      Heap& h = buckets_[b];
      while (!h.empty() && !ready_valid(h.front())) bucket_pop(b);
      if (!h.empty()) consider(b);
    }
    return best;
  }
  for (const uint32_t c : role_classes_[group - pool_base_]) {
    const auto& tree = tourney_[c];  // the class has pool staff: this group's
    while (true) {
      const int32_t w = tree[1];
      if (w < 0) break;
      const size_t b = c * stride_ + static_cast<size_t>(w);
      if (ready_valid(buckets_[b].front())) {
        consider(b);
        break;
      }
      bucket_pop(b);
    }
  }
  return best;
}

void Scheduler::clean_own(Heap& heap) {
  while (!heap.empty() && !ready_valid(heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), ReadyLess{});
    heap.pop_back();
    --stored_entries_;
  }
}

// --- the day loop ----------------------------------------------------------------------------------
//
// At each event minute t: (1) completions at t, in staff order, each calling on_complete (which may
// add tasks); shift starts at t; (2) tasks released at or before t become ready; (3) every member free
// at t takes the best task it may do, in staff order. Members who found nothing wait idle in their
// group's idle set until a task enters their group's view or their own assignee heap. Idle members
// are woken lazily: for a group whose view received tasks, only its lowest idle member is queued;
// each woken member that did not find the view empty queues the next one. Since the ready set only
// shrinks during step (3), this visits exactly the members that the rule "every free member looks,
// in staff order" would let take something (or stop), at O(log) cost each.

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
  queued_.insert(s);
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
  queued_.insert(static_cast<size_t>(s));
}

// Today's releases: what is left over from earlier days plus the day buckets up to today, sorted.
void Scheduler::gather_releases(int day) {
  releases_.erase(releases_.begin(), releases_.begin() + static_cast<std::ptrdiff_t>(release_pos_));
  release_pos_ = 0;
  releases_.insert(releases_.end(), release_heap_.begin(), release_heap_.end());
  release_heap_.clear();
  release_days_.take_through(day, releases_);
  const size_t before = releases_.size();
  std::erase_if(releases_, [&](const TimeEntry& e) {
    const Slot& sl = slots_[e.slot];
    return sl.gen != e.gen || sl.state != kPending;  // dropped before its release
  });
  stored_entries_ -= before - releases_.size();
  // Counting sort by minute of the day; anything released before today counts as minute 0. The
  // order within a minute does not matter: all releases of a minute are in before anyone looks.
  const int64_t d0 = day_start(day);
  auto key = [d0](const TimeEntry& e) { return e.time < d0 ? size_t{0} : static_cast<size_t>(e.time - d0); };
  if (releases_.size() < kMinuteSlots / 8) {  // few: a comparison sort beats clearing 1,441 counters
    std::sort(releases_.begin(), releases_.end(),
              [&](const TimeEntry& a, const TimeEntry& b) { return key(a) < key(b); });
    return;
  }
  std::fill(minute_counts_.begin(), minute_counts_.end(), 0u);
  for (const TimeEntry& e : releases_) ++minute_counts_[key(e) + 1];
  for (size_t i = 1; i < minute_counts_.size(); ++i) minute_counts_[i] += minute_counts_[i - 1];
  sort_scratch_.resize(releases_.size());
  for (const TimeEntry& e : releases_) sort_scratch_[minute_counts_[key(e)]++] = e;
  releases_.swap(sort_scratch_);
}

int64_t Scheduler::next_release() const {
  int64_t t = kNever;
  if (release_pos_ < releases_.size()) t = releases_[release_pos_].time;
  if (!release_heap_.empty()) t = std::min(t, release_heap_.front().time);
  return t;
}

void Scheduler::release_until(int64_t t) {
  while (true) {
    TimeEntry e;
    if (release_pos_ < releases_.size() && releases_[release_pos_].time <= t) {
      e = releases_[release_pos_++];
    } else if (!release_heap_.empty() && release_heap_.front().time <= t) {
      e = heap_pop(release_heap_, TimeGreater{});
    } else {
      break;
    }
    --stored_entries_;
    Slot& sl = slots_[e.slot];
    if (sl.gen != e.gen || sl.state != kPending) continue;
    --live_entries_;
    sl.entries = 0;
    make_ready(e.slot);
  }
}

void Scheduler::complete(int staff, int64_t t, OnComplete on_complete) {
  const size_t s = static_cast<size_t>(staff);
  const uint32_t slot = current_[s];
  const Task task = slots_[slot].task;  // a copy: the callback may add tasks and grow slots_
  callback_team_.clear();
  if (slots_[slot].team != kNoTeam) {  // the whole team is free (the callback sees its members)
    callback_team_.swap(teams_[slots_[slot].team]);
    free_team(slot);
    for (int32_t x : callback_team_) {
      state_[static_cast<size_t>(x)] = kQueued;
      queued_.insert(static_cast<size_t>(x));
    }
  } else {
    state_[s] = kQueued;
    queued_.insert(s);
  }
  close_task(slot);
  ++completed_total_;
  ++stats_->tasks_completed;
  struct Clear {
    std::vector<int32_t>& v;
    ~Clear() { v.clear(); }
  } clear{callback_team_};
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
  if (at_task_limit(s)) {  // started as many tasks today as the member may (a doctor's visits)
    state_[s] = kStopped;
    if (rep && best_bucket(g) != kNone) push_rep(g);  // the next idle member of the group looks
    return;
  }
  Heap& own = assigned_[s];
  size_t b;
  bool take_own;
  uint32_t slot = 0;
  while (true) {
    b = best_bucket(g);
    clean_own(own);
    take_own = !own.empty() && (b == kNone || better(own.front(), buckets_[b].front()));
    if (b == kNone && !take_own) break;
    slot = take_own ? own.front().slot : buckets_[b].front().slot;
    if (t <= slots_[slot].task.latest_start) break;
    expire(slot);  // past its latest start: never started; its entries are stale now, so look again
  }

  if (b == kNone && !take_own) {  // nothing ready: wait for a task to arrive in this member's view
    state_[s] = kIdle;
    idle_[g].insert(pos_in_group_[s]);
    ++idle_count_;
    return;
  }
  // The best task may not fit in the rest of the shift; then the best one that does (found by a scan
  // of the member's view, at most a few times a day per member, near the shift's end). Taken from
  // inside a heap, its entry goes stale there (lazy deletion) instead of being popped.
  bool top = true;
  if (t + slots_[slot].task.minutes > shift_end_[s]) {
    slot = best_fitting(s, g, t);
    top = false;
  }
  if (slot == kNoSlot) {
    state_[s] = kStopped;  // nothing ready fits before the shift ends: done for the day
  } else {
    if (top && take_own) {
      std::pop_heap(own.begin(), own.end(), ReadyLess{});
      own.pop_back();
      --stored_entries_;
    } else if (top) {
      bucket_pop(b);
    }
    Slot& taken = slots_[slot];
    live_entries_ -= taken.entries;
    taken.entries = 0;
    taken.state = kInProgress;
    occupy(s, slot, t);
    const size_t minute = static_cast<size_t>(t + taken.task.minutes - (day_end_ - kMinutesPerDay));
    completions_at_[minute].push_back(static_cast<int32_t>(staff));
    mark_minute(minute);
    ++pending_events_;
    // The scan may have run ahead to the next event while this minute t is a release.
    minute_pos_ = std::min(minute_pos_, minute);
    if (on_start) {
      const Task task = taken.task;
      on_start(task, t, staff);
    }
  }
  // This member did not find its view empty; the next idle member of the group (necessarily of a
  // higher index) gets to look too, if anything is left.
  if (rep && best_bucket(g) != kNone) push_rep(g);
}

// The best ready task in member s's view (own heap; the buckets of its role's classes in its village,
// or in every village for the town pool) that fits before its shift ends and may still start at t;
// kNoSlot if none.
uint32_t Scheduler::best_fitting(size_t s, size_t g, int64_t t) const {
  const int64_t room = shift_end_[s] - t;
  const ReadyEntry* best = nullptr;
  auto consider = [&](const Heap& h, int32_t min_minutes) {
    if (min_minutes > room) return;  // nothing ever filed there is short enough: skip the scan
    for (const ReadyEntry& e : h) {
      if (!ready_valid(e)) continue;
      const Task& task = slots_[e.slot].task;
      if (task.minutes > room || t > task.latest_start) continue;
      if (best == nullptr || better(e, *best)) best = &e;
    }
  };
  consider(assigned_[s], own_min_minutes_[s]);
  const size_t r = staff_[s].role;
  for (const uint32_t c : role_classes_[r]) {
    if (g < pool_base_) {
      const size_t b = c * stride_ + g / roles_;
      consider(buckets_[b], bucket_min_minutes_[b]);
    } else {
      for (size_t vi = 0; vi < stride_; ++vi) consider(buckets_[c * stride_ + vi], bucket_min_minutes_[c * stride_ + vi]);
    }
  }
  return best == nullptr ? kNoSlot : best->slot;
}

// A ready task whose latest start has passed: it leaves every ready list (its entries go stale) but
// stays open until the end-of-day pass of its deadline, which reports it late and removes it.
void Scheduler::expire(uint32_t slot) {
  Slot& sl = slots_[slot];
  live_entries_ -= sl.entries;
  sl.entries = 0;
  sl.state = kExpired;
}

// Member s starts the task in `slot` at t (the caller files the completion).
void Scheduler::occupy(size_t s, uint32_t slot, int64_t t) {
  const int32_t minutes = slots_[slot].task.minutes;
  current_[s] = slot;
  state_[s] = kBusy;
  stats_->minutes_worked[s] += minutes;
  ++tasks_today_[s];
  const int64_t past_end = t + minutes - std::max(t, nominal_end_[s]);
  if (past_end > 0) stats_->minutes_overtime[s] += static_cast<int32_t>(past_end);
}

// The team step, at an event minute before free members pick single tasks: every ready team task,
// in dispatch order, starts if each of its roles has a free eligible member whose shift fits it.
void Scheduler::try_teams(int64_t t, OnStart on_start) {
  size_t keep = 0;
  for (size_t i = 0; i < team_ready_.size(); ++i) {
    const ReadyEntry e = team_ready_[i];
    if (!ready_valid(e)) {  // dropped at the end of an earlier day
      --stored_entries_;
      continue;
    }
    if (t > slots_[e.slot].task.latest_start) {
      expire(e.slot);
      --stored_entries_;
      continue;
    }
    if (try_start_team(e.slot, t, on_start)) {
      --stored_entries_;
      continue;
    }
    team_ready_[keep++] = e;
  }
  team_ready_.resize(keep);
}

bool Scheduler::try_start_team(uint32_t slot, int64_t t, OnStart on_start) {
  const Task& task = slots_[slot].task;
  const int vi = village_index(task.village);
  pick_.clear();
  for (uint32_t m = task.role_mask; m != 0; m &= m - 1) {
    const size_t r = static_cast<size_t>(std::countr_zero(m));
    // The lowest-indexed free member of the role (the village's own staff, or the town pool) whose
    // shift, overtime included, fits the task. Each list is in staff order: the first hit is its best.
    int32_t best = -1;
    auto scan = [&](const std::vector<int32_t>& members) {
      for (int32_t x : members) {
        if (best >= 0 && x > best) return;
        const size_t xs = static_cast<size_t>(x);
        if ((state_[xs] == kQueued || state_[xs] == kIdle) && t + task.minutes <= shift_end_[xs] &&
            !at_task_limit(xs)) {
          best = x;
          return;
        }
      }
    };
    if (vi >= 0) scan(group_members_[static_cast<size_t>(vi) * roles_ + r]);
    scan(group_members_[pool_base_ + r]);
    if (best < 0) return false;
    pick_.push_back(best);
  }
  std::sort(pick_.begin(), pick_.end());
  auto ti = static_cast<uint32_t>(teams_.size());
  if (!free_teams_.empty()) {
    ti = free_teams_.back();
    free_teams_.pop_back();
  } else {
    teams_.emplace_back();
  }
  teams_[ti].assign(pick_.begin(), pick_.end());
  Slot& sl = slots_[slot];
  live_entries_ -= sl.entries;
  sl.entries = 0;
  sl.state = kInProgress;
  sl.team = ti;
  rep_regroups_.clear();
  for (int32_t x : pick_) {
    const size_t xs = static_cast<size_t>(x);
    const size_t g = group_of_[xs];
    if (state_[xs] == kIdle) {
      idle_[g].erase(pos_in_group_[xs]);
      --idle_count_;
    }
    if (is_rep_[xs]) {  // a woken member joins the team: the next idle one of its group looks instead
      is_rep_[xs] = 0;
      rep_pending_[g] = 0;
      rep_regroups_.push_back(g);
    }
    occupy(xs, slot, t);  // a queued member stays in queued_ and is skipped there (no longer kQueued)
  }
  for (size_t g : rep_regroups_)
    if (best_bucket(g) != kNone) push_rep(g);
  // Only the first member (lowest index) has a completion event; it frees the whole team.
  const size_t minute = static_cast<size_t>(t + slots_[slot].task.minutes - (day_end_ - kMinutesPerDay));
  completions_at_[minute].push_back(pick_.front());
  mark_minute(minute);
  ++pending_events_;
  minute_pos_ = std::min(minute_pos_, minute);
  if (on_start) {
    const Task copy = slots_[slot].task;
    callback_team_ = teams_[ti];
    struct Clear {
      std::vector<int32_t>& v;
      ~Clear() { v.clear(); }
    } clear{callback_team_};
    on_start(copy, t, pick_.front());
  }
  return true;
}

void Scheduler::free_team(uint32_t slot) {
  Slot& sl = slots_[slot];
  if (sl.team == kNoTeam) return;
  free_teams_.push_back(sl.team);
  sl.team = kNoTeam;
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

DayStats Scheduler::run_day(int day, OnComplete on_complete, OnLate on_late, OnStart on_start, OnTimer on_timer) {
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
  stats.minutes_overtime.assign(n, 0);
  stats_ = &stats;
  struct Reset {  // leave the scheduler usable if a callback throws
    Scheduler* self;
    ~Reset() {
      self->phase_ = Phase::Idle;
      self->stats_ = nullptr;
    }
  } reset{this};

  const int64_t d0 = day_start(day);
  const int64_t d1 = d0 + kMinutesPerDay;
  day_end_ = d1;
  reset_day_state();
  gather_releases(day);
  while (!timer_heap_.empty() && timer_heap_.front().time < d1) {
    std::pop_heap(timer_heap_.begin(), timer_heap_.end(), std::greater<>{});
    const Timer tm = timer_heap_.back();
    timer_heap_.pop_back();
    timers_at_[static_cast<size_t>(std::max<int64_t>(tm.time, d0) - d0)].push_back(tm.id);
    mark_minute(static_cast<size_t>(std::max<int64_t>(tm.time, d0) - d0));
    ++pending_events_;
  }
  for (size_t s = 0; s < n; ++s) {
    const StaffMember& m = staff_[s];
    if (m.minutes_per_day > 0 && on_duty(static_cast<int>(s), day)) {
      stats.minutes_available[s] = m.minutes_per_day;
      nominal_end_[s] = d0 + m.shift_start + m.minutes_per_day;
      shift_end_[s] = nominal_end_[s] + m.overtime_minutes;
      tasks_today_[s] = 0;
      starts_at_[static_cast<size_t>(m.shift_start)].push_back(static_cast<int32_t>(s));
      mark_minute(static_cast<size_t>(m.shift_start));
      ++pending_events_;
    }
  }

  phase_ = Phase::Events;
  now_ = d0;
  minute_pos_ = 0;
  loop_interrupted_ = true;  // until the loop ends normally
  while (true) {
    int64_t t = kNever;
    if (pending_events_ > 0) {
      // The next minute with an event, from a bitmap of busy minutes (a word covers 64 minutes).
      minute_pos_ = next_marked_minute(minute_pos_);
      t = d0 + static_cast<int64_t>(minute_pos_);
    }
    // A release is an event of its own only if someone is idle to take it; otherwise it is picked
    // up at the next completion or shift start (releases <= t are moved first at every minute t).
    if (idle_count_ > 0) {
      const int64_t r = next_release();
      if (r < d1) t = std::min(t, r);
    }
    if (t == kNever) break;
    now_ = t;
    if (pending_events_ > 0 && t == d0 + static_cast<int64_t>(minute_pos_)) {
      // Completions first (their callbacks may add tasks that anyone free now can take), in staff
      // order; then shift starts, filed in staff order.
      auto& done = completions_at_[minute_pos_];
      std::sort(done.begin(), done.end());
      for (size_t i = 0; i < done.size(); ++i) {
        --pending_events_;
        complete(done[i], t, on_complete);
      }
      done.clear();
      // Timers set from these callbacks are for later minutes, so this list does not grow here.
      auto& timers = timers_at_[minute_pos_];
      for (size_t i = 0; i < timers.size(); ++i) {
        --pending_events_;
        if (on_timer) on_timer(timers[i], t);
      }
      timers.clear();
      auto& starting = starts_at_[minute_pos_];
      busy_minutes_[minute_pos_ / 64] &= ~(uint64_t{1} << (minute_pos_ % 64));  // this minute's lists are done
      for (int32_t s : starting) {
        --pending_events_;
        on_shift_.push_back(s);
        state_[static_cast<size_t>(s)] = kQueued;
        starting_now_.push_back(s);
      }
      starting.clear();
    }
    release_until(t);
    if (!starting_now_.empty()) {
      // Members whose shift starts now look for work after this minute's releases. One whose view
      // (its group's and its own heap) is empty would find nothing and wait: it waits at once,
      // without a turn in the queue (the view is checked once per group; taking tasks in the
      // queue below only shrinks views, so the outcome is the same as looking in turn).
      size_t last_group = kNone;
      bool view_empty = false;
      for (int32_t member : starting_now_) {
        const size_t m = static_cast<size_t>(member);
        const size_t g = group_of_[m];
        if (g != last_group) {
          last_group = g;
          view_empty = best_bucket(g) == kNone;
        }
        if (view_empty && assigned_[m].empty()) {
          state_[m] = kIdle;
          idle_[g].insert(pos_in_group_[m]);
          ++idle_count_;
        } else {
          queued_.insert(m);
        }
      }
      starting_now_.clear();
      team_check_ = true;  // newly free members: the team step runs at this minute
    }
    for (size_t g : dirty_list_) {
      dirty_[g] = 0;
      push_rep(g);
    }
    dirty_list_.clear();

    phase_ = Phase::Starting;
    // Team tasks first, with everyone free now; only when a team task became ready or someone is
    // newly free (members waiting since an earlier minute found nothing to join then).
    if (!team_ready_.empty() && (team_check_ || !queued_.empty())) try_teams(t, on_start);
    team_check_ = false;
    while (!queued_.empty()) {  // lowest index first; take_or_wait may queue higher ones
      const size_t s = queued_.first();
      queued_.erase(s);
      if (state_[s] == kQueued) take_or_wait(static_cast<int>(s), t, on_start);  // else: joined a team
    }
    phase_ = Phase::Events;
  }
  loop_interrupted_ = false;
  reset_day_state();  // everyone goes home

  phase_ = Phase::Late;
  now_ = d1;
  report_late(day, on_late, stats);
  compact_if_needed();
  stats.open_at_end = open_;
  return stats;
}

// End of day: every open task due by the end of the day and not reported yet, in (deadline, id)
// order, including tasks that on_late itself adds with such a deadline.
void Scheduler::report_late(int day, OnLate on_late, DayStats& stats) {
  due_.clear();
  due_days_.take_through(day, due_);
  const size_t before = due_.size();
  std::erase_if(due_, [&](const TimeEntry& e) {
    const Slot& sl = slots_[e.slot];
    return sl.gen != e.gen || sl.state == kFree || !sl.deadline_live;  // completed or dropped
  });
  stored_entries_ -= before - due_.size();
  std::sort(due_.begin(), due_.end(), time_less);
  size_t i = 0;
  try {
    while (true) {
      TimeEntry e;
      if (i < due_.size() && (due_heap_.empty() || time_less(due_[i], due_heap_.front()))) {
        e = due_[i++];
      } else if (!due_heap_.empty()) {
        e = heap_pop(due_heap_, TimeGreater{});
      } else {
        break;
      }
      --stored_entries_;
      Slot& sl = slots_[e.slot];
      if (sl.gen != e.gen || sl.state == kFree || !sl.deadline_live) continue;
      sl.deadline_live = false;
      --live_entries_;
      sl.late_reported = true;
      ++late_open_;
      ++stats.tasks_late;
      const Task task = sl.task;  // a copy: the callback may add tasks and grow slots_
      if (on_late) on_late(task);
      // A task that can no longer start (its latest start is before the next day) goes as well.
      if (task.drop_when_late || task.latest_start < day_end_) {
        close_task(e.slot);
        ++stats.tasks_dropped;
      }
    }
  } catch (...) {
    // Entries not reported yet go back to be reported at the end of the next day run.
    for (; i < due_.size(); ++i) due_days_.push(day, due_[i]);
    for (const TimeEntry& e : due_heap_) due_days_.push(day, e);
    due_heap_.clear();
    throw;
  }
}

// Clears the day loop's state. Normally only idle members are left; after a callback threw, tasks in
// progress go back to waiting (released at once on the next day run) and queued/dirty marks are
// dropped.
size_t Scheduler::next_marked_minute(size_t from) const {
  size_t w = from / 64;
  uint64_t bits = busy_minutes_[w] & (~uint64_t{0} << (from % 64));
  while (bits == 0) bits = busy_minutes_[++w];  // pending_events_ > 0 guarantees a set bit ahead
  return w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
}

void Scheduler::reset_day_state() {
  if (completions_at_.empty()) {
    completions_at_.resize(kMinuteSlots);
    starts_at_.resize(kMinuteSlots);
    timers_at_.resize(kMinuteSlots);
    minute_counts_.resize(kMinuteSlots + 1);
  }
  if (pending_events_ > 0 || loop_interrupted_) {  // a callback threw mid-day
    for (auto& v : completions_at_) v.clear();
    for (auto& v : starts_at_) v.clear();
    for (auto& v : timers_at_) v.clear();
    busy_minutes_.fill(0);
    pending_events_ = 0;
  }
  loop_interrupted_ = false;
  queued_.clear();
  starting_now_.clear();
  const Phase phase = phase_;
  phase_ = Phase::Idle;  // so file_release puts tasks back in the day buckets
  for (int32_t member : on_shift_) {  // only members whose shift started left kOff
    const size_t s = static_cast<size_t>(member);
    if (state_[s] == kBusy && slots_[current_[s]].state == kInProgress) {  // a team's task: once
      free_team(current_[s]);
      file_release(current_[s]);
    }
    if (state_[s] == kIdle) idle_[group_of_[s]].erase(pos_in_group_[s]);
    state_[s] = kOff;
    is_rep_[s] = 0;
  }
  on_shift_.clear();
  phase_ = phase;
  for (size_t g : dirty_list_) dirty_[g] = 0;
  dirty_list_.clear();
  std::fill(rep_pending_.begin(), rep_pending_.end(), uint8_t{0});
  idle_count_ = 0;
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
  for (Heap& h : buckets_) filter_ready(h);
  for (Heap& h : assigned_) filter_ready(h);
  std::erase_if(team_ready_, [&](const ReadyEntry& e) { return !ready_valid(e); });  // keeps the order
  total += team_ready_.size();
  for (size_t c = 0; c < class_masks_.size(); ++c) {  // every top may have changed: rebuild bottom-up
    if (!class_pool_[c]) continue;
    auto& tree = tourney_[c];
    const Heap* row = buckets_.data() + c * stride_;
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
