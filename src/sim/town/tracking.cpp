// Tracking: teams formed and filled, their daily duties, and each day's outcome.
#include "sim/town/town.h"

namespace vg::sim::town {

// Trackings under way: fill empty team slots, then today's duties.
void Town::tracking_teams(int d) {
  for (int32_t ti : active_) {
    Tracking& t = trackings_[size_t(ti)];
    if (t.start_day > d || t.end_day < d) continue;
    // A member off duty today (ill or isolated) leaves the team; the place is filled again.
    const size_t places = prog_.tracking()[size_t(t.tmpl)].members.size();
    bool empty_place = false;
    for (size_t sl = 0; sl < places; ++sl) {
      int32_t& member = members_[t.member_offset + sl];
      if (member >= 0 && !sched_.on_duty(member, d)) {
        --team_count_[size_t(member)];
        member = -1;
      }
      empty_place = empty_place || member < 0;
    }
    if (empty_place) fill_slots(t, d);  // a full team (most days) has nothing to fill
    create_duties(ti, d);
  }
}

// Each empty place of a team: the member of its role (of the village or the town) on duty today
// with the fewest teams, within their limit.
void Town::fill_slots(Tracking& t, int day) {
  const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
  const int village = int(first_village_) + village_of_[size_t(t.subject)];
  for (size_t s = 0; s < tmpl.members.size(); ++s) {
    int32_t& slot = members_[t.member_offset + s];
    if (slot >= 0) continue;
    const int role = tmpl.members[s].role;
    int best = -1;
    for (int si : roster_.by_role[size_t(role)]) {
      const auto& st = roster_.staff[size_t(si)];
      if (st.village != -1 && st.village != village) continue;
      if (!sched_.on_duty(si, day)) continue;  // not yet available, or off duty
      const int cap = roster_.max_teams[size_t(si)];
      if (cap > 0 && team_count_[size_t(si)] >= cap) continue;
      if (best < 0 || team_count_[size_t(si)] < team_count_[size_t(best)]) best = si;
      if (team_count_[size_t(best)] == 0) break;  // in no team: no later member can have fewer
    }
    if (best >= 0) {
      slot = best;
      ++team_count_[size_t(best)];
    }
  }
}

// Tracking outcome of the day; trackings that end today release their team, and tracking_ended
// is raised at 23:59.
void Town::tracking_day_end(int d) {
  const int64_t day_start = d * kDay;
  size_t keep = 0;
  for (size_t k = 0; k < active_.size(); ++k) {
    const int32_t ti = active_[k];
    Tracking& t = trackings_[size_t(ti)];
    if (t.start_day > d) {            // identified today; tracked from tomorrow
      if (t.end_day < t.start_day) {  // ended before it began: no team was formed
        t.ended = true;
        ended_today_.push_back(ti);
      } else {
        active_[keep++] = ti;
      }
      continue;
    }
    const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
    if (t.end_day < d) {  // ended by a rule after yesterday's pass (at 23:59): not tracked today
      for (size_t sl = 0; sl < tmpl.members.size(); ++sl)
        if (members_[t.member_offset + sl] >= 0) --team_count_[size_t(members_[t.member_offset + sl])];
      t.ended = true;
      ended_today_.push_back(ti);
      continue;
    }
    const int v = village_of_[size_t(t.subject)];
    auto& row = out_.days[size_t(v)][size_t(d)];
    row.tracking_active++;
    t.days_tracked++;
    if (t.done_today == int32_t(tmpl.members.size())) {
      row.tracking_complete++;
      t.days_complete++;
    }
    for (size_t s = 0; s < tmpl.members.size(); ++s) {
      uint8_t& done = duty_done_[t.member_offset + s];
      if (!done && tmpl.members[s].role >= 0) out_.roles[size_t(tmpl.members[s].role)].team_days_missing++;
      done = 0;
    }
    t.done_today = 0;
    if (t.end_day > d) {
      active_[keep++] = ti;
      continue;
    }
    for (size_t s = 0; s < tmpl.members.size(); ++s)
      if (members_[t.member_offset + s] >= 0) --team_count_[size_t(members_[t.member_offset + s])];
    t.ended = true;
    ended_today_.push_back(ti);
  }
  active_.resize(keep);
  for (int32_t ti : ended_today_) {
    const Tracking& t = trackings_[size_t(ti)];
    raise(Event::TrackingEnded, t.tmpl, t.subject, village_of_[size_t(t.subject)], day_start + kDay - 1);
  }
  ended_today_.clear();
}

}  // namespace vg::sim::town
