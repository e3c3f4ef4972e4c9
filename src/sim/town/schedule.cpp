// The scenario's scheduled events (`schedule:`, docs/scenarios.md): staff absent over days, marked
// in the scheduler before the run, and stocks set to a level at 00:00 of a day. Both raise what
// the same change raises when it happens otherwise (staff_unavailable, stock_below).
#include <algorithm>

#include "sim/absences.h"
#include "sim/town/town.h"

namespace vg::sim::town {

// Each absence picks, in every place it covers (a village's staff of the role, or the town's own),
// one member, the first `count`, or the first round(share x members) in roster order.
void Town::schedule_absences(int town) {
  for (const auto& a : m_.absences) {
    if (a.town >= 0 && a.town != town) continue;
    // The places of this town the absence covers: the town's own staff (-1) and/or its villages.
    std::vector<int32_t> places;
    if (a.village == -2 || a.village == -1) places.push_back(-1);
    if (a.village == -2)
      for (uint32_t v = 0; v < nv_; ++v) places.push_back(int32_t(first_village_ + v));
    if (a.village >= 0) places.push_back(a.village);
    for (int32_t place : places) {
      std::vector<int> members;
      for (int st : roster_.by_role[size_t(a.role)])
        if (roster_.staff[size_t(st)].village == place) members.push_back(st);
      const auto [first, last] = absent_members(a, members.size());
      for (size_t k = first; k < last; ++k) {
        const int st = members[k];
        bool any = false;
        for (int day = a.from_day; day <= a.to_day && day < m_.horizon_days; ++day) {
          any = true;
          sched_.set_unavailable(st, day);
        }
        if (any) absence_starts_.push_back({a.from_day, st});
        if (any && a.to_day + 1 < m_.horizon_days) absence_ends_.push_back({a.to_day + 1, st});
      }
    }
  }
  for (auto* list : {&absence_starts_, &absence_ends_})
    std::stable_sort(list->begin(), list->end(), [](const auto& x, const auto& y) { return x.first < y.first; });
}

// 00:00: stocks set today (stock_below when one falls below a level a rule watches), then
// staff_returned for each member whose absence ended yesterday and staff_unavailable for each
// whose absence begins today (in each village a town's own staff member serves).
void Town::scheduled_events(int d) {
  const int64_t now = int64_t(d) * kDay;
  // A village that starts below a level a rule watches is below it from the start: stock_below is
  // raised at 00:00 of day 0, as if the stock had just fallen there (a storekeeper who starts short
  // reorders at once; a rule meant to reorder early never fired when the stock never was at the level).
  if (d == 0)
    for (size_t k = 0; k < prog_.supplies().size(); ++k)
      for (uint32_t v = 0; v < nv_; ++v)
        if (const int64_t st = stock_[size_t(v) * prog_.supplies().size() + k]; st < watched_level_[k]) {
          stock_before_ = watched_level_[k];
          stock_after_ = st;
          raise(Event::StockBelow, int(k), -1, int32_t(v), now);
        }
  for (; next_stock_set_ < m_.stock_sets.size() && m_.stock_sets[next_stock_set_].day <= d; ++next_stock_set_) {
    const auto& s = m_.stock_sets[next_stock_set_];
    if (s.day < d) continue;
    for (uint32_t v = 0; v < nv_; ++v) {
      if (s.village >= 0 && s.village != int32_t(first_village_ + v)) continue;
      const int64_t have = stock_[size_t(v) * prog_.supplies().size() + size_t(s.supply)];
      if (s.add)
        change_stock(int32_t(v), s.supply, s.level, now);
      else if (have != s.level)
        change_stock(int32_t(v), s.supply, s.level - have, now);
    }
  }
  if (!m_.post_sets.empty() || !m_.orders.empty() || !m_.overtime.empty() || !m_.raises.empty()) exercise_events(d);
  // Those back today first (staff_returned), then those leaving today (staff_unavailable).
  for (const auto& [list, event] :
       {std::pair{&absence_ends_, Event::StaffReturned}, std::pair{&absence_starts_, Event::StaffUnavailable}})
    for (const auto& [day, st] : *list) {
      if (day != d) continue;
      const auto& member = roster_.staff[size_t(st)];
      if (member.village >= 0) {
        raise(event, member.role, -1, member.village - int32_t(first_village_), now);
      } else {
        for (uint32_t v = 0; v < nv_; ++v) raise(event, member.role, -1, int32_t(v), now);
      }
    }
}

// 00:00, the exercises' events (spec/scenario.h): overtime ending and beginning, posts opened or
// closed, supplies requested; as the same change made by a rule at that minute.
void Town::exercise_events(int d) {
  const int64_t now = int64_t(d) * kDay;
  auto here = [&](int32_t gv) { return gv >= int32_t(first_village_) && gv < int32_t(first_village_ + nv_); };
  for (const bool begin : {false, true})
    for (const auto& o : m_.overtime) {
      if (!here(o.village) || (begin ? o.from_day : o.to_day + 1) != d) continue;
      for (int st : roster_.by_role[size_t(o.role)])
        if (roster_.staff[size_t(st)].village == o.village)
          sched_.set_overtime(st, begin ? o.minutes : roster_.staff[size_t(st)].overtime_minutes);
    }
  const Ctx saved = ctx_;
  for (const auto& p : m_.post_sets) {
    if (p.day != d || !here(p.village)) continue;
    ctx_ = Ctx{-1, p.village - int32_t(first_village_), now, Event::DayStarted, -1};
    if (p.open && !post_open(p.post)) open_post(p.post);
    if (!p.open) close_post(p.post);
  }
  for (size_t i = 0; i < m_.orders.size(); ++i) {
    const auto& o = m_.orders[i];
    if (o.day != d || !here(o.village)) continue;
    ctx_ = Ctx{-1, o.village - int32_t(first_village_), now, Event::DayStarted, -1};
    out_.orders_filled[i] = request(o.supply, o.channel, o.amount);
  }
  ctx_ = saved;
  // Events raised today: a timer at their minute, as a rule's delayed raise.
  for (const auto& r : m_.raises) {
    if (r.day != d || !here(r.village)) continue;
    timer_events_.push_back({TimerKind::Raise, r.event, -1, r.village - int32_t(first_village_), 0});
    sched_.add_timer(now + r.minute, timer_events_.size() - 1);
  }
}

// Before the epidemic's step of day d: each fever of today takes the village's key persons as of
// 00:00 in the order they were found (then by returnee), and gives the `key_person`-th who is
// still susceptible an onset today; its minute is the fever's (a visit before it finds nothing).
void Town::scheduled_fevers(int d) {
  for (const auto& f : m_.fevers) {
    if (f.day != d || f.village < int32_t(first_village_) || f.village >= int32_t(first_village_ + nv_)) continue;
    const int32_t v = f.village - int32_t(first_village_);
    std::vector<uint32_t> keys;
    for (uint32_t i = 0; i < nr_; ++i)
      if (village_of_[i] == v && prog_.is_key_class(cls_[i]) && registered_[i] >= 0) keys.push_back(i);
    std::stable_sort(keys.begin(), keys.end(), [&](uint32_t a, uint32_t b) { return registered_[a] < registered_[b]; });
    for (size_t k = size_t(std::max(0, f.key_person - 1)); k < keys.size(); ++k) {
      const uint32_t person = pop_.returnees[first_returnee_ + keys[k]];
      if (!epi_->seed_onset(person, d)) continue;
      fever_minute_.push_back({keys[k], int64_t(d) * kDay + f.minute});
      break;
    }
  }
}

}  // namespace vg::sim::town
