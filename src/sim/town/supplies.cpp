// Supplies: stock changes (stock_below), orders and deliveries, supplies used under monitoring and
// stock-outs at the end of the day.
#include "sim/town/town.h"

#include <algorithm>

namespace vg::sim::town {

// A stock changes; falling below a level some rule watches raises stock_below.
void Town::change_stock(int32_t village, int supply, int64_t delta, int64_t now) {
  int64_t& st = stock_[size_t(village) * prog_.supplies().size() + size_t(supply)];
  stock_before_ = st;
  st += delta;
  stock_after_ = st;
  // A level is crossed when the stock falls from at or above it to below it: none can be while
  // the stock stays at or above the highest watched.
  if (delta >= 0 || st >= watched_level_[size_t(supply)]) return;
  // Raised only when the change crosses a level some rule watches (dispatch would skip every
  // other rule for the event unseen, so not raising it is the same; it saves a dispatch per use).
  for (const int id : prog_.rules_for(Event::StockBelow, supply))
    if (crossed(prog_.rules()[size_t(id)].level)) {
      raise(Event::StockBelow, supply, -1, village, now);
      return;
    }
}

// Ordered now and paid for now, within the village's funds and the channel's limit; delivered
// after the channel's lead time (a timer). A channel that does not offer the supply, or no money
// left, orders nothing. Returns the units bought.
int64_t Town::request(int supply, int channel, int64_t amount) {
  const int32_t v = ctx_.village;
  const int64_t now = ctx_.now;
  const auto& ch = channels_[size_t(channel)];
  if (ch.offers.empty() || !ch.offers[size_t(supply)]) return 0;
  if (ch.max_per_request > 0) amount = std::min(amount, ch.max_per_request);
  const double cost = ch.unit_cost[size_t(supply)];
  auto& vt = out_.villages[size_t(v)];
  if (cost > 0 && int64_t(funds_[size_t(v)] / cost) < amount) {  // the funds pay for less than asked
    amount = int64_t(funds_[size_t(v)] / cost);
    if (vt.first_funds_short_day < 0) vt.first_funds_short_day = int32_t(now / kDay);
  }
  if (amount <= 0) {  // not even one unit can be paid for
    vt.requests_refused_for_funds++;
    return 0;
  }
  funds_[size_t(v)] -= double(amount) * cost;
  out_.villages[size_t(v)].money_spent += double(amount) * cost;
  timer_events_.push_back({TimerKind::Delivery, -1, supply, v, amount});
  sched_.add_timer(std::max(now + 1, now + int64_t(ch.lead_days) * kDay), timer_events_.size() - 1);
  return amount;
}

// Supplies used by the people under monitoring today (uses_per_day of their kind), at 23:59,
// from the per-village count of each kind (no loop over people): whole persons' worth while
// the stock lasts; the person-days left are counted short (they stay under monitoring). Then
// stock-outs: a supply some task or monitoring uses is out at the end of the day.
void Town::supplies_day_end(int d) {
  const int64_t day_start = d * kDay;
  if (monitoring_uses_any_) {
    const size_t nk = prog_.monitoring().size();
    for (uint32_t v = 0; v < nv_; ++v)
      for (size_t k = 0; k < nk; ++k) {
        const int64_t people = monitored_of_kind(int32_t(v), int(k));
        if (people <= 0) continue;
        for (const auto& [sup, amount] : prog_.monitoring_uses(int(k))) {
          const int64_t have = stock_[size_t(v) * prog_.supplies().size() + size_t(sup)];
          const int64_t served = std::min<int64_t>(people, std::max<int64_t>(0, have) / amount);
          if (served > 0) change_stock(int32_t(v), sup, -served * amount, day_start + kDay - 1);
          out_.villages[v].monitoring_days_without_supplies += people - served;
        }
      }
  }

  // Stock-outs: a supply some task or monitoring uses is out at the end of the day.
  for (uint32_t v = 0; v < nv_; ++v) {
    const size_t ns = prog_.supplies().size();
    bool out = false;
    for (size_t k = 0; k < ns; ++k) out = out || (used_supply_[k] && stock_[v * ns + k] <= 0);
    if (!out_.funds.empty()) out_.funds[v][size_t(d)] = funds_[v];
    out_.days[v][size_t(d)].stock.assign(stock_.begin() + std::ptrdiff_t(v * ns),
                                         stock_.begin() + std::ptrdiff_t((v + 1) * ns));
    if (out) {
      out_.days[v][size_t(d)].stockout = 1;
      out_.villages[v].stockout_days++;
      if (out_.villages[v].first_stockout_day < 0) out_.villages[v].first_stockout_day = d;
    }
  }
}

}  // namespace vg::sim::town
