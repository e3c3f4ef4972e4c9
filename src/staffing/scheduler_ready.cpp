// The ready buckets: where a released task waits for a member who may do it (scheduler.h, "Cost"),
// and how idle members are woken when tasks arrive in their view.
#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

#include "staffing/scheduler_internal.h"

namespace vg::staffing {

using namespace detail;  // scheduler_internal.h: the dispatch order, heap helpers and constants

// A rotating task's assignee (rotation_pick), and a team task's entry in the team list, for
// make_ready (scheduler_internal.h), which lists every other task inline.
void Scheduler::assign_in_turn(Slot& sl) {
  sl.task.assignee = rotation_pick(sl.task);
  if (sl.task.assignee >= 0) rotation_minutes_[static_cast<size_t>(sl.task.assignee)] += sl.task.minutes;
}

uint8_t Scheduler::list_team_task(uint32_t slot) {
  const Slot& sl = slots_[slot];
  const Task& t = sl.task;
  // A role with nobody at all to do it (no village staff of the role there, no pool staff of it):
  // the task can never start, so it is not listed (it stays open and is reported late as usual).
  const int vi = village_index(t.village);
  for (uint32_t m = t.role_mask; m != 0; m &= m - 1) {
    const size_t r = static_cast<size_t>(std::countr_zero(m));
    if (group_members_[pool_base_ + r].empty() &&
        (vi < 0 || group_members_[static_cast<size_t>(vi) * roles_ + r].empty()))
      return 0;
  }
  const ReadyEntry e{t.deadline, t.release, t.id, t.priority, slot, sl.gen};
  team_ready_.insert(std::upper_bound(team_ready_.begin(), team_ready_.end(), e, better), e);
  team_check_ = true;
  return 1;
}

// The member a rotating task released now goes to (Task::rotate): of the members who may do it
// (its village's staff and the town pool, of a role in its mask), on duty today and neither busy
// nor done for the day, who can start it by its latest start (now, or at their shift's start
// later today) and finish it within their shift (overtime included), and whose own heap holds no
// ready task of higher priority, the one with the fewest rotation minutes, ties to the lowest index.
int32_t Scheduler::rotation_pick(const Task& t) {
  const int vi = village_index(t.village);
  const int64_t d0 = day_end_ - kMinutesPerDay;
  int32_t best = -1;
  auto consider = [&](int32_t member) {
    const size_t s = static_cast<size_t>(member);
    const uint8_t st = state_[s];
    if (st == kBusy || st == kStopped || at_task_limit(s)) return;
    int64_t start = now_;
    if (st == kOff) {  // not started today: on duty, and starting later today
      if (staff_[s].minutes_per_day <= 0 || !on_duty(member, last_day_)) return;
      start = d0 + staff_[s].shift_start;
      if (start < now_) return;  // its shift was over before this minute (or it is off today)
    }
    if (start > t.latest_start || start + t.minutes > shift_end(s)) return;
    Heap& own = assigned_[s];
    clean_own(own);
    if (!own.empty() && own.front().priority > t.priority) return;  // owes a more urgent task of its own
    if (best < 0 || rotation_minutes_[s] < rotation_minutes_[static_cast<size_t>(best)] ||
        (rotation_minutes_[s] == rotation_minutes_[static_cast<size_t>(best)] && member < best))
      best = member;
  };
  for (uint32_t m = t.role_mask; m != 0; m &= m - 1) {
    const size_t r = static_cast<size_t>(std::countr_zero(m));
    if (vi >= 0)
      for (int32_t member : group_members_[static_cast<size_t>(vi) * roles_ + r]) consider(member);
    for (int32_t member : group_members_[pool_base_ + r]) consider(member);
  }
  return best;
}

size_t Scheduler::find_class(uint32_t mask) {
  for (size_t c = 0; c < class_masks_.size(); ++c)
    if (class_masks_[c] == mask) {
      last_class_mask_ = mask;
      last_class_ = c;
      return c;
    }
  const size_t c = class_masks_.size();
  class_masks_.push_back(mask);
  buckets_.resize(buckets_.size() + stride_);
  bool pool = false;
  for (uint32_t m = mask; m != 0; m &= m - 1) {
    const size_t r = static_cast<size_t>(std::countr_zero(m));
    role_classes_[r].push_back(static_cast<uint32_t>(c));
    pool = pool || has_pool_[r];
  }
  class_pool_.push_back(pool ? 1 : 0);
  // The groups that look at each of the class's buckets: village staff of a role of the mask in
  // that village, and the town pool of such a role.
  bucket_watchers_.resize(buckets_.size());
  for (size_t vb = 0; vb < stride_; ++vb) {
    auto& watchers = bucket_watchers_[c * stride_ + vb];
    for (uint32_t m = mask; m != 0; m &= m - 1) {
      const size_t r = static_cast<size_t>(std::countr_zero(m));
      const size_t group = vb * roles_ + r;
      if (vb < villages_.size() && !group_members_[group].empty()) watchers.push_back(static_cast<uint32_t>(group));
      if (has_pool_[r]) watchers.push_back(static_cast<uint32_t>(pool_base_ + r));
    }
  }
  tourney_.emplace_back();
  if (pool) tourney_.back().assign(2 * leaves_, -1);
  last_class_mask_ = mask;
  last_class_ = c;
  return c;
}

void Scheduler::bucket_push(size_t bucket, const ReadyEntry& e) {
  Bucket& b = buckets_[bucket];
  b.push(slots_[e.slot].task.minutes, e);
  const size_t c = bucket / stride_;
  if (class_pool_[c] && b.front().slot == e.slot && b.front().gen == e.gen) tourney_update(c, bucket % stride_);
}

void Scheduler::bucket_pop(size_t bucket, size_t lane) {
  buckets_[bucket].pop_lane(lane == kNone ? buckets_[bucket].top : lane);
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
  const Bucket* row = buckets_.data() + cls * stride_;
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

// A pool group's view (best_bucket, scheduler_internal.h, does a village group's inline): for each
// class of its role, the tournament tree's winner over every village.
size_t Scheduler::best_pool_bucket(size_t group) {
  size_t best = kNone;
  for (const uint32_t c : role_classes_[group - pool_base_]) {
    const auto& tree = tourney_[c];  // the class has pool staff: this group's
    while (true) {
      const int32_t w = tree[1];
      if (w < 0) break;
      const size_t b = c * stride_ + static_cast<size_t>(w);
      if (ready_valid(buckets_[b].front())) {
        if (best == kNone || better(buckets_[b].front(), buckets_[best].front())) best = b;
        break;
      }
      bucket_pop(b);
    }
  }
  return best;
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

// The best ready task in member s's view (own heap; the buckets of its role's classes in its village,
// or in every village for the town pool) that fits before its shift ends and may still start at t;
// kNoSlot if none. In a bucket, the best task of a lane short enough is the lane's front once stale
// fronts are popped and fronts past their latest start expired (t never goes back: they could
// never start again). The own heap is small and scanned.
uint32_t Scheduler::best_fitting(size_t s, size_t g, int64_t t) {
  const int64_t room = shift_end(s) - t;
  const ReadyEntry* best = nullptr;
  if (own_min_minutes_[s] <= room) {
    for (const ReadyEntry& e : assigned_[s]) {
      if (!ready_valid(e)) continue;
      const Task& task = slots_[e.slot].task;
      if (task.minutes > room || t > task.latest_start) continue;
      if (best == nullptr || better(e, *best)) best = &e;
    }
  }
  auto consider = [&](size_t bi) {
    const Bucket& b = buckets_[bi];
    for (size_t l = 0; l < b.lanes.size(); ++l) {
      if (b.lanes[l].minutes > room) continue;
      const Lane& h = b.lanes[l];
      while (!h.empty()) {
        const ReadyEntry& e = h.front();
        if (ready_valid(e)) {
          if (t <= slots_[e.slot].task.latest_start) break;
          expire(e.slot);
        }
        bucket_pop(bi, l);
      }
      if (!h.empty() && (best == nullptr || better(h.front(), *best))) best = &h.front();
    }
  };
  const size_t r = staff_[s].role;
  for (const uint32_t c : role_classes_[r]) {
    if (g < pool_base_) {
      consider(c * stride_ + g / roles_);
    } else {
      for (size_t vi = 0; vi < stride_; ++vi) consider(c * stride_ + vi);
    }
  }
  return best == nullptr ? kNoSlot : best->slot;
}

}  // namespace vg::staffing
