// Team tasks: one member of every role of the task at once (scheduler.h, "Dispatch rule").
#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

#include "staffing/scheduler_internal.h"

namespace vg::staffing {

using namespace detail;  // scheduler_internal.h: the dispatch order, heap helpers and constants

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
        if ((state_[xs] == kQueued || state_[xs] == kIdle) && t + task.minutes <= shift_end(xs) && !at_task_limit(xs)) {
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
  file_completion(minute, pick_.front());
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

}  // namespace vg::staffing
