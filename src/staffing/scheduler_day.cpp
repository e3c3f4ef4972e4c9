// The day loop: event minutes, releases, completions, members taking tasks, end-of-day lateness.
#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

#include "staffing/scheduler_internal.h"

namespace vg::staffing {

using namespace detail;  // scheduler_internal.h: the dispatch order, heap helpers and constants

// At each event minute t: (1) completions at t, in staff order, each calling on_complete (which may
// add tasks); shift starts at t; (2) tasks released at or before t become ready; (3) every member free
// at t takes the best task it may do, in staff order. Members who found nothing wait idle in their
// group's idle set until a task enters their group's view or their own assignee heap. Idle members
// are woken lazily: for a group whose view received tasks, only its lowest idle member is queued;
// each woken member that did not find the view empty queues the next one. Since the ready set only
// shrinks during step (3), this visits exactly the members that the rule "every free member looks,
// in staff order" would let take something (or stop), at O(log) cost each.

void Scheduler::clean_own_stale(Heap& heap) {
  while (!heap.empty() && !ready_valid(heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), ReadyLess{});
    heap.pop_back();
    --stored_entries_;
  }
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
    if (sl.task.rotate && sl.task.assignee < 0) {
      rotating_.push_back(e.slot);  // given in turn once every release of the minute is in
      continue;
    }
    make_ready(e.slot);
  }
  if (rotating_.empty()) return;
  // Rotating tasks released together are given in dispatch order (priority, deadline, release,
  // id), after the others, so a member's own urgent task released at the same minute is seen.
  auto entry = [&](uint32_t slot) {
    const Task& task = slots_[slot].task;
    return ReadyEntry{task.deadline, task.release, task.id, task.priority, slot, slots_[slot].gen};
  };
  std::sort(rotating_.begin(), rotating_.end(), [&](uint32_t a, uint32_t b) { return better(entry(a), entry(b)); });
  for (uint32_t slot : rotating_) make_ready(slot);
  rotating_.clear();
}

[[gnu::always_inline]] inline void Scheduler::complete(int staff, int64_t t, OnComplete on_complete) {
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

[[gnu::always_inline]] inline void Scheduler::take_or_wait(int staff, int64_t t, OnStart on_start) {
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
  if (t + slots_[slot].task.minutes > shift_end(s)) {
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
    file_completion(minute, static_cast<int32_t>(staff));
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

// Files today's timers (from later days' heap) and shift starts by minute of the day.
void Scheduler::file_day_events(int day, DayStats& stats) {
  const int64_t d0 = day_start(day);
  while (!timer_heap_.empty() && timer_heap_.front().time < day_end_) {
    std::pop_heap(timer_heap_.begin(), timer_heap_.end(), std::greater<>{});
    const Timer tm = timer_heap_.back();
    timer_heap_.pop_back();
    timers_at_[static_cast<size_t>(std::max<int64_t>(tm.time, d0) - d0)].push_back(tm.id);
    mark_minute(static_cast<size_t>(std::max<int64_t>(tm.time, d0) - d0));
    ++pending_events_;
  }
  // Shift starts, by minute, members in staff order (who starts when is fixed at construction;
  // today's shift ends follow from the day's start, shift_end()).
  std::fill(tasks_today_.begin(), tasks_today_.end(), 0);
  if (overtime_changed_) shift_offsets();
  const bool everyone = everyone_on_duty(day);
  starts_whole_ = everyone;
  if (everyone) {
    std::copy(shift_minutes_.begin(), shift_minutes_.end(), stats.minutes_available.begin());
    stats.role_minutes_available = role_shift_minutes_;
  }
  for (const int16_t minute : start_minutes_) {
    auto& filed = starts_at_[static_cast<size_t>(minute)];
    const auto& starters = starters_[static_cast<size_t>(minute)];
    if (everyone) {
      filed.insert(filed.end(), starters.begin(), starters.end());
    } else {
      for (const int32_t member : starters) {
        if (!on_duty(member, day)) continue;
        const StaffMember& m = staff_[static_cast<size_t>(member)];
        stats.minutes_available[static_cast<size_t>(member)] = m.minutes_per_day;
        stats.role_minutes_available[m.role] += m.minutes_per_day;
        filed.push_back(member);
      }
    }
    if (filed.empty()) continue;
    mark_minute(static_cast<size_t>(minute));
    pending_events_ += filed.size();
  }
}

// The staff events of event minute t (minute_pos_): completions first (their callbacks may add
// tasks that anyone free now can take), in staff order; then timers; then shift starts, filed in
// staff order.
void Scheduler::minute_events(int64_t t, OnComplete on_complete, OnTimer on_timer) {
  auto& done = completing_;
  done.clear();
  for (int32_t s = completion_head_[minute_pos_]; s >= 0; s = completion_next_[static_cast<size_t>(s)])
    done.push_back(s);
  completion_head_[minute_pos_] = -1;
  // Members who took their tasks at one minute in staff order are filed in that order, so the list
  // (last filed first) is mostly in reverse: reversed, it needs no sort.
  if (done.size() > 1) {
    std::reverse(done.begin(), done.end());
    if (!std::is_sorted(done.begin(), done.end())) std::sort(done.begin(), done.end());
  }
  for (size_t i = 0; i < done.size(); ++i) {
    --pending_events_;
    complete(done[i], t, on_complete);
  }
  // Timers set from these callbacks are for later minutes, so this list does not grow here.
  auto& timers = timers_at_[minute_pos_];
  for (size_t i = 0; i < timers.size(); ++i) {
    --pending_events_;
    if (on_timer) on_timer(timers[i], t);
  }
  timers.clear();
  auto& starting = starts_at_[minute_pos_];
  busy_minutes_[minute_pos_ / 64] &= ~(uint64_t{1} << (minute_pos_ % 64));  // this minute's lists are done
  pending_events_ -= starting.size();
  on_shift_.insert(on_shift_.end(), starting.begin(), starting.end());
  // They stay kOff until queue_starting, after this minute's releases: a rotating task released
  // now treats a member whose shift starts now alike either way (rotation_pick).
  starting_now_.swap(starting);  // starting_now_ was empty
  starting.clear();
}

// Members whose shift starts now look for work after this minute's releases. One whose view (its
// group's and its own heap) is empty would find nothing and wait: it waits at once, without a turn
// in the queue (the view is checked once per group; taking tasks in the queue below only shrinks
// views, so the outcome is the same as looking in turn).
void Scheduler::queue_starting() {
  if (starts_whole_) {  // the starters filed at construction, by runs of one group
    queue_starting_runs();
    return;
  }
  size_t last_group = kNone;
  bool view_empty = false;
  // Members who wait at once go into their group's idle set a bitmap word at a time.
  size_t word = kNone;
  uint64_t bits = 0;
  auto flush = [&] {
    if (bits != 0) idle_[last_group].insert_word(word, bits);
    bits = 0;
    word = kNone;
  };
  for (int32_t member : starting_now_) {
    const size_t m = static_cast<size_t>(member);
    const size_t g = group_of_[m];
    if (g != last_group) {
      flush();
      last_group = g;
      view_empty = best_bucket(g) == kNone;
    }
    if (view_empty && assigned_[m].empty()) {
      state_[m] = kIdle;
      const size_t pos = pos_in_group_[m];
      if (pos / 64 != word) {
        flush();
        word = pos / 64;
      }
      bits |= uint64_t{1} << (pos % 64);
      ++idle_count_;
    } else {
      state_[m] = kQueued;
      queued_.insert(m);
    }
  }
  flush();
  starting_now_.clear();
  team_check_ = true;  // newly free members: the team step runs at this minute
}

// queue_starting on a day when everyone is on duty: the same, a run of one group at a time, its
// members who wait at once put in the idle set a word at a time (the words known in advance).
void Scheduler::queue_starting_runs() {
  // Called at the minute whose starters minute_events moved into starting_now_ (minute_pos_).
  const auto& starters = starters_[minute_pos_];
  for (const StartRun& run : start_runs_[minute_pos_]) {
    const size_t g = run.group;
    if (best_bucket(g) != kNone) {  // the view is not empty: everyone looks in turn
      for (uint32_t i = run.begin; i < run.end; ++i) {
        const size_t m = static_cast<size_t>(starters[i]);
        state_[m] = kQueued;
        queued_.insert(m);
      }
      continue;
    }
    // Everyone waits, but those with a task of their own (perhaps stale), who look in turn: found
    // through the group's own-task bits, not member by member.
    if (run.contiguous) {
      std::fill_n(state_.begin() + starters[run.begin], run.end - run.begin, uint8_t{kIdle});
    } else {
      for (uint32_t i = run.begin; i < run.end; ++i) state_[static_cast<size_t>(starters[i])] = kIdle;
    }
    auto& own_words = own_words_[g];
    const auto& members = group_members_[g];
    for (uint32_t w = run.words_begin; w < run.words_end; ++w) {
      const StartWord& sw = start_words_[w];
      uint64_t bits = sw.bits;
      for (uint64_t own = bits & own_words[sw.word]; own != 0; own &= own - 1) {
        const uint64_t bit = own & -own;
        const size_t m = static_cast<size_t>(members[sw.word * 64 + static_cast<size_t>(std::countr_zero(own))]);
        if (assigned_[m].empty()) {
          own_words[sw.word] &= ~bit;
          continue;
        }
        bits &= ~bit;
        state_[m] = kQueued;
        queued_.insert(m);
      }
      if (bits != 0) {
        idle_[g].insert_word(sw.word, bits);
        idle_count_ += static_cast<size_t>(std::popcount(bits));
      }
    }
  }
  starting_now_.clear();
  team_check_ = true;
}

// Step (3) at minute t: team tasks first, with everyone free now, only when a team task became
// ready or someone is newly free (members waiting since an earlier minute found nothing to join
// then); then every queued member, lowest index first.
void Scheduler::dispatch(int64_t t, OnStart on_start) {
  for (size_t g : dirty_list_) {
    dirty_[g] = 0;
    push_rep(g);
  }
  dirty_list_.clear();
  phase_ = Phase::Starting;
  if (!team_ready_.empty() && (team_check_ || !queued_.empty())) try_teams(t, on_start);
  team_check_ = false;
  while (!queued_.empty()) {  // take_or_wait may queue higher ones
    const size_t s = queued_.first();
    queued_.erase(s);
    if (state_[s] == kQueued) take_or_wait(static_cast<int>(s), t, on_start);  // else: joined a team
  }
  phase_ = Phase::Events;
}

DayStats Scheduler::run_day(int day, OnComplete on_complete, OnLate on_late, OnStart on_start, OnTimer on_timer) {
  DayStats stats;
  run_day(day, stats, on_complete, on_late, on_start, on_timer);
  return stats;
}

void Scheduler::run_day(int day, DayStats& stats, OnComplete on_complete, OnLate on_late, OnStart on_start,
                        OnTimer on_timer) {
  if (phase_ != Phase::Idle) throw std::logic_error("run_day may not be called from inside a callback");
  if (day < 0) throw std::invalid_argument("run_day: day must be >= 0");
  if (day <= last_day_)
    throw std::invalid_argument("run_day: day " + std::to_string(day) + " is not after the last day run (" +
                                std::to_string(last_day_) + ")");
  last_day_ = day;

  const size_t n = staff_.size();
  stats.tasks_completed = stats.tasks_late = stats.tasks_dropped = 0;
  stats.open_at_end = 0;
  stats.minutes_worked.assign(n, 0);
  stats.minutes_available.assign(n, 0);
  stats.minutes_overtime.assign(n, 0);
  stats.role_minutes_worked.assign(roles_, 0);
  stats.role_minutes_available.assign(roles_, 0);
  stats.role_minutes_overtime.assign(roles_, 0);
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
  file_day_events(day, stats);

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
    if (pending_events_ > 0 && t == d0 + static_cast<int64_t>(minute_pos_)) minute_events(t, on_complete, on_timer);
    release_until(t);
    if (!starting_now_.empty()) queue_starting();
    dispatch(t, on_start);
  }
  loop_interrupted_ = false;
  reset_day_state();  // everyone goes home

  phase_ = Phase::Late;
  now_ = d1;
  report_late(day, on_late, stats);
  compact_if_needed();
  stats.open_at_end = open_;
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
  // Filed mostly in deadline order already (a day's duties share one deadline, ids rising).
  if (!std::is_sorted(due_.begin(), due_.end(), time_less)) std::sort(due_.begin(), due_.end(), time_less);
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

size_t Scheduler::next_marked_minute(size_t from) const {
  size_t w = from / 64;
  uint64_t bits = busy_minutes_[w] & (~uint64_t{0} << (from % 64));
  while (bits == 0) bits = busy_minutes_[++w];  // pending_events_ > 0 guarantees a set bit ahead
  return w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
}

// Clears the day loop's state. Normally only idle members are left; after a callback threw, tasks in
// progress go back to waiting (released at once on the next day run) and queued/dirty marks are
// dropped.
void Scheduler::reset_day_state() {
  if (starts_at_.empty()) {
    starts_at_.resize(kMinuteSlots);
    timers_at_.resize(kMinuteSlots);
    minute_counts_.resize(kMinuteSlots + 1);
  }
  const bool interrupted = pending_events_ > 0 || loop_interrupted_;
  if (interrupted) {  // a callback threw mid-day
    std::fill(completion_head_.begin(), completion_head_.end(), -1);
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
  // Only members whose shift started left kOff; a task still in progress goes back to waiting. A day
  // that ran to its end has none (every task taken fits before its taker's shift ends, <= 24:00).
  if (interrupted)
    for (int32_t member : on_shift_) {
      const size_t s = static_cast<size_t>(member);
      if (state_[s] == kBusy && slots_[current_[s]].state == kInProgress) {  // a team's task: once
        free_team(current_[s]);
        file_release(current_[s]);
      }
    }
  // Then everyone is off and no one idle: whole arrays cleared, not member by member.
  if (!on_shift_.empty()) {
    std::fill(state_.begin(), state_.end(), uint8_t{kOff});
    std::fill(is_rep_.begin(), is_rep_.end(), uint8_t{0});
    for (auto& set : idle_) set.clear();
  }
  on_shift_.clear();
  phase_ = phase;
  for (size_t g : dirty_list_) dirty_[g] = 0;
  dirty_list_.clear();
  std::fill(rep_pending_.begin(), rep_pending_.end(), uint8_t{0});
  idle_count_ = 0;
}

}  // namespace vg::staffing
