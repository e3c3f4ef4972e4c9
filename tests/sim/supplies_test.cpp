// Supplies, computed by hand: 9 masks; 5 visits on day 0 using 3 each, done 08:00-13:00 by one
// cadre. Visits 1-3 take all 9 masks; visits 4-5 are done without. The stock falls below 5 when
// visit 2 ends (6 -> 3, 10:00), so the rule orders 20 masks online: 1.5 yuan each with 20 yuan,
// so 13 are bought (19.5 yuan), delivered 2 days later (day 2, 10:00). Days 0 and 1 end with no
// masks: 2 stock-out days. On day 3, 5 more visits: 4 use 12 of the 13 masks, the 5th goes
// without; the stock falls below 5 again (7 -> 4) but 0.5 yuan buys nothing.
#include <gtest/gtest.h>

#include "sim/runner.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::TempDir;

TEST(Supplies, HandComputedConsumptionAndDelivery) {
  TempDir dir;
  dir.write("policy.yaml", R"(
vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
  supplies: [masks]
rules:
  - id: visits-day-0
    title: five visits
    source: assumption
    note: test
    on: {day: 0}
    do:
      - create_task: {name: visit, roles: [village_cadre], minutes: 60, within_hours: 24, uses: {masks: 3}, copies: 5}
  - id: visits-day-3
    title: five more visits
    source: assumption
    note: test
    on: {day: 3}
    do:
      - create_task: {name: visit, roles: [village_cadre], minutes: 60, within_hours: 24, uses: {masks: 3}, copies: 5}
  - id: reorder
    title: order masks when fewer than 5 are left
    source: assumption
    note: test
    on: {stock_below: {supply: masks, level: 5}}
    do:
      - request: {supply: masks, amount: 20, channel: online}
)");
  const std::string path = dir.write("s.yaml", R"(
scenario: {name: supplies, start_date: 2020-01-24, horizon_days: 6, seed: 1, replicates: 2}
policy: {rules: [policy.yaml]}
region:
  towns:
    - name: T
      villages:
        - name: V
          residents: 20
          mean_household_size: 4
          returnees: 0
          staff: {village_cadre: {count: 1, hours_per_day: 8}}
returnees:
  origin_mix: {local: 1.0}
  arrival_days: {first: -3, peak: -2, last: -1}
supplies:
  funds_per_village: 20
  stocks: {masks: 9}
  channels:
    - {name: online, lead_days: 2, unit_cost: {masks: 1.5}}
)");
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  for (const auto& rep : r.replicates) {
    const auto& v = rep.villages[0];
    EXPECT_EQ(v.tasks_without_supplies, 3);
    EXPECT_EQ(v.stockout_days, 2);
    EXPECT_DOUBLE_EQ(v.money_spent, 19.5);
    EXPECT_EQ(rep.days[0][0].stockout, 1);
    EXPECT_EQ(rep.days[0][1].stockout, 1);
    EXPECT_EQ(rep.days[0][2].stockout, 0);
  }
}

TEST(Supplies, UnknownChannelAndSupplyAreErrors) {
  TempDir dir;
  dir.write("policy.yaml", R"(
vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
  supplies: [masks]
rules:
  - id: reorder
    title: order
    source: assumption
    note: test
    on: {day: 0}
    do:
      - request: {supply: masks, amount: 20, channel: onlien}
)");
  const std::string path = dir.write("s.yaml", R"(
scenario: {name: supplies, start_date: 2020-01-24, horizon_days: 2, seed: 1, replicates: 1}
policy: {rules: [policy.yaml]}
region:
  towns:
    - name: T
      villages:
        - {name: V, residents: 20, mean_household_size: 4, returnees: 0, staff: {village_cadre: 1}}
returnees:
  origin_mix: {local: 1.0}
  arrival_days: {first: -3, peak: -2, last: -1}
supplies:
  stocks: {maks: 9}
  channels:
    - {name: online, lead_days: 2, unit_cost: {masks: 1.5}}
)");
  Diagnostics d;
  EXPECT_THROW(load_model(path, d), InputError);
  const std::string text = d.format();
  EXPECT_NE(text.find("unknown supply 'maks'; did you mean 'masks'?"), std::string::npos) << text;
  EXPECT_NE(text.find("channel 'onlien', which scenario 'supplies' does not have; did you mean 'online'?"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace vg::sim
