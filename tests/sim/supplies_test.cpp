// Supplies, computed by hand: 9 masks; 5 visits on day 0 using 3 each, done 08:00-13:00 by one
// cadre. Visits 1-3 take all 9 masks; visits 4-5 are done without. The stock falls below 5 when
// visit 2 ends (6 -> 3, 10:00), so the rule orders 20 masks online: 1.5 yuan each with 20 yuan,
// so 13 are bought (19.5 yuan), delivered 2 days later (day 2, 10:00). Days 0 and 1 end with no
// masks: 2 stock-out days. On day 3, 5 more visits: 4 use 12 of the 13 masks, the 5th goes
// without; the stock falls below 5 again (7 -> 4) but 0.5 yuan buys nothing.
#include <gtest/gtest.h>

#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::gate_post_rule;
using vg::testing::one_village;
using vg::testing::screen_rule;
using vg::testing::TempDir;
using vg::testing::vocabulary;

// Order 20 masks online (1.5 yuan each, 2 days) when fewer than 5 are left.
constexpr const char* kReorderRule = R"(  - id: reorder
    title: order masks when fewer than 5 are left
    source: assumption
    note: test
    on: {stock_below: {supply: masks, level: 5}}
    do:
      - request: {supply: masks, amount: 20, channel: online}
)";

// One village, one cadre, no returnees: `masks` in stock, `funds` yuan, the online channel.
std::string one_cadre_village(int horizon, int funds, int masks) {
  return one_village({.name = "supplies",
                      .horizon_days = horizon,
                      .replicates = 2,
                      .residents = 20,
                      .returnees = 0,
                      .staff = "{village_cadre: {count: 1, hours_per_day: 8}}",
                      .extra = "\nsupplies:\n  funds_per_village: " + std::to_string(funds) +
                               "\n  stocks: {masks: " + std::to_string(masks) +
                               "}\n  channels:\n    - {name: online, lead_days: 2, unit_cost: {masks: 1.5}}\n"});
}

TEST(Supplies, HandComputedConsumptionAndDelivery) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]", .supplies = "[masks]"}) + R"(
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
)" + std::string(kReorderRule));
  const std::string path = dir.write("s.yaml", one_cadre_village(6, 20, 9));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  for (const auto& rep : r.replicates) {
    const auto& v = rep.villages[0];
    EXPECT_EQ(v.tasks_without_supplies, 3);
    EXPECT_EQ(v.stockout_days, 2);
    EXPECT_EQ(v.first_stockout_day, 0);
    EXPECT_EQ(v.first_funds_short_day, 0);  // day 0's order: 20 yuan buy 13 of the 20 asked
    EXPECT_DOUBLE_EQ(v.money_spent, 19.5);
    EXPECT_EQ(rep.days[0][0].stockout, 1);
    EXPECT_EQ(rep.days[0][1].stockout, 1);
    EXPECT_EQ(rep.days[0][2].stockout, 0);
  }
}

// A village that starts below the level a reorder rule watches reorders at once: stock_below is
// raised at 00:00 of day 0 (it never fired, the stock never falling from the level). 2 masks, the
// rule at 5 asks 20 online (1.5 yuan each, 100 yuan: all 20, 30 yuan), delivered 2 days later at
// 00:00: the stock ends days 0-3 at 2, 2, 22, 22. Once above, a later fall is a crossing as ever.
TEST(Supplies, AStockStartingBelowAWatchedLevelReordersOnDayZero) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]", .supplies = "[masks]"}) + R"(
rules:
)" + std::string(kReorderRule));
  const std::string path = dir.write("s.yaml", one_cadre_village(4, 100, 2));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  EXPECT_EQ(d.format().find("stock"), std::string::npos) << d.format();  // it was "the rule may never fire"
  const std::vector<int64_t> stock{2, 2, 22, 22};
  for (const auto& rep : r.replicates) {
    for (size_t day = 0; day < stock.size(); ++day) EXPECT_EQ(rep.days[0][day].stock[0], stock[day]) << "day " << day;
    EXPECT_DOUBLE_EQ(rep.villages[0].money_spent, 30);
  }
}

TEST(Supplies, UnknownChannelAndSupplyAreErrors) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]", .supplies = "[masks]"}) + R"(
rules:
  - id: reorder
    title: order
    source: assumption
    note: test
    on: {day: 0}
    do:
      - request: {supply: masks, amount: 20, channel: onlien}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "supplies", .horizon_days = 2, .extra = R"(
supplies:
  stocks: {maks: 9}
  channels:
    - {name: online, lead_days: 2, unit_cost: {masks: 1.5}}
)"}));
  Diagnostics d;
  EXPECT_THROW(load_model(path, d), InputError);
  const std::string text = d.format();
  EXPECT_NE(text.find("unknown supply 'maks'; did you mean 'masks'?"), std::string::npos) << text;
  EXPECT_NE(text.find("channel 'onlien', which scenario 'supplies' does not have; did you mean 'online'?"),
            std::string::npos)
      << text;
}

// Consumption per post shift and per person-day of monitoring, computed by hand. 8 masks. A post
// with one place, 08:00-12:00, uses 1 mask per shift staffed (at 12:00); 3 returnees, registered on
// day 0, are under home observation for 4 days (days 0-3) using 1 mask each a day (at 23:59).
// Below 3 masks, 10 are ordered online (0.5 yuan each, 2 days).
//   day 0: 12:00 8 -> 7; 23:59 3 people: 7 -> 4.
//   day 1: 12:00 4 -> 3; 23:59 3 people: 3 -> 0, crossing 3: 10 ordered (5 yuan), due day 3 23:59.
//   day 2: 12:00 shift done without (proceed); 23:59 3 person-days short. Stock 0.
//   day 3: 12:00 shift done without; 23:59 the delivery (a timer, inside the day) 0 -> 10, then the
//          3 people 10 -> 7; home observation ends.
//   day 4: 12:00 7 -> 6.
TEST(Supplies, HandComputedPostShiftAndMonitoringDayConsumption) {
  TempDir dir;
  dir.write("policy.yaml",
            vocabulary({.roles = "[village_cadre]", .monitoring = "[home_observation]", .supplies = "[masks]"}) +
                "rules:\n" + gate_post_rule("{masks: 1}") + R"(  - id: observe
    title: home observation for everyone who comes back
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - start_monitoring: {kind: home_observation, days: 4, uses_per_day: {masks: 1}}
  - id: reorder
    title: order masks when fewer than 3 are left
    source: assumption
    note: test
    on: {stock_below: {supply: masks, level: 3}}
    do:
      - request: {supply: masks, amount: 10, channel: online}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "supplies",
                                                            .horizon_days = 5,
                                                            .replicates = 2,
                                                            .residents = 20,
                                                            .returnees = 3,
                                                            .staff = "{village_cadre: {count: 1, hours_per_day: 8}}",
                                                            .arrival_days = "{first: -3, peak: -2, last: -1}",
                                                            .extra = R"(
supplies:
  funds_per_village: 100
  stocks: {masks: 8}
  channels:
    - {name: online, lead_days: 2, unit_cost: {masks: 0.5}}
)"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  const std::vector<int64_t> stock{4, 0, 0, 7, 6};
  const std::vector<int32_t> monitored{3, 3, 3, 3, 0};
  for (const auto& rep : r.replicates) {
    const auto& v = rep.villages[0];
    for (size_t day = 0; day < stock.size(); ++day) {
      ASSERT_EQ(rep.days[0][day].stock.size(), 1u);
      EXPECT_EQ(rep.days[0][day].stock[0], stock[day]) << "day " << day;
      EXPECT_EQ(rep.days[0][day].stockout, stock[day] == 0 ? 1 : 0) << "day " << day;
      EXPECT_EQ(rep.days[0][day].monitored, monitored[day]) << "day " << day;
    }
    EXPECT_EQ(v.tasks_without_supplies, 2);
    EXPECT_EQ(v.monitoring_days_without_supplies, 3);
    EXPECT_EQ(v.stockout_days, 2);
    EXPECT_EQ(v.first_stockout_day, 1);          // the stock is 4, 0, 0, 7, 6 at the end of days 0-4
    EXPECT_EQ(v.post_minutes_staffed, 5 * 240);  // proceed: staffed without masks too
    EXPECT_DOUBLE_EQ(v.money_spent, 5.0);
    EXPECT_DOUBLE_EQ(v.funds_left, 95.0);
    EXPECT_EQ(v.requests_refused_for_funds, 0);
  }
}

// if_short: skip, by hand: 5 returnees registered on day 0 and 3 masks; one cadre screens them one
// after another (1 mask each). The first 3 are screened and classified; the last 2 find no mask:
// the screening is not done (the cadre's time is spent), nobody is screened, no task_done.
// The shift of a post that skips is not counted as staffed.
TEST(Supplies, SkipLeavesTheTaskUndone) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.classes = "[unscreened, general]",
                                       .key_classes = "[general]",
                                       .roles = "[village_cadre, party_member]",
                                       .supplies = "[masks, gloves]"}) +
                               R"(
rules:
)" + screen_rule(30, "uses: {masks: 1}, if_short: skip") +
                               R"(  - id: classify
    title: classify
    source: assumption
    note: test
    on: {task_done: screening}
    do:
      - set_class: general
  - id: gate
    title: a post
    source: assumption
    note: test
    on: {day: 0}
    do:
      - open_post: {name: gate, roles: [party_member], shifts: ["08:00-10:00"], uses: {gloves: 1}, if_short: skip}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "skip",
                                                            .horizon_days = 3,
                                                            .replicates = 2,
                                                            .residents = 20,
                                                            .party_members = 1,
                                                            .returnees = 5,
                                                            .staff = R"(
village_cadre: {count: 1, hours_per_day: 8}
party_member: {count: 1, hours_per_day: 8}
)",
                                                            .arrival_days = "{first: -3, peak: -2, last: -1}",
                                                            .extra = "supplies:\n  stocks: {masks: 3, gloves: 1}\n"}));
  Diagnostics d;
  RunResult r = run_model(load_model(path, d));
  for (const auto& rep : r.replicates) {
    const auto& v = rep.villages[0];
    EXPECT_EQ(v.screened, 3);
    EXPECT_EQ(v.key_identified, 3);                  // task_done only for the 3 done
    EXPECT_EQ(v.tasks_skipped_for_supplies, 2 + 2);  // 2 screenings; post shifts on days 1 and 2
    EXPECT_EQ(v.tasks_without_supplies, 0);
    EXPECT_EQ(v.post_minutes_required, 3 * 120);
    EXPECT_EQ(v.post_minutes_staffed, 120);  // day 0 only: the one pair of gloves
    EXPECT_EQ(rep.days[0][0].tasks_done, 3 + 1);
    EXPECT_EQ(rep.days[0][0].stock, (std::vector<int64_t>{0, 0}));
  }
}

// if_short: degrade: every returnee arrives infected and is under home observation with a daily
// visit that uses a thermometer gun; the village has none. Done anyway (proceed), symptoms are
// found at a visit; with degrade and degraded_detection 1 exactly the same; with 0 never at a
// visit, only when the person seeks care; the visits are counted as done degraded.
RunResult run_degrade(const TempDir& dir, const std::string& if_short) {
  dir.write("policy.yaml", vocabulary({.origins = "[key_area]",
                                       .roles = "[village_doctor]",
                                       .monitoring = "[home_observation]",
                                       .supplies = "[thermometer_guns]"}) +
                               R"(
rules:
  - id: observe
    title: home observation and a daily visit
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - start_monitoring: {kind: home_observation, days: 40}
      - create_task: {name: visit, roles: [village_doctor], minutes: 10, within_hours: 24, if_late: drop,
                      repeat: {every_days: 1, times: 40}, uses: {thermometer_guns: 1})" +
                               if_short + R"(}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "degrade",
                                                            .horizon_days = 40,
                                                            .seed = 5,
                                                            .replicates = 4,
                                                            .residents = 400,
                                                            .returnees = 40,
                                                            .staff = "{village_doctor: {count: 10, hours_per_day: 10}}",
                                                            .origin_mix = "{key_area: 1.0}",
                                                            .arrival_days = "{first: 0, peak: 2, last: 10}",
                                                            .extra = R"(
epidemic:
  r0: 0.02
  household_sar: 0.001  # with r0 0.02: households 0.004, the community the rest (r0 must cover the households)
  asymptomatic_share: 0
  infection_probability: {key_area: 1.0}
  care_seeking_days: 3
supplies:
  stocks: {thermometer_guns: 0}
)"}));
  Diagnostics d;
  return run_model(load_model(path, d));
}

TEST(Supplies, DegradeLowersDetectionAtAVisit) {
  TempDir a, b, c;
  RunResult proceed = run_degrade(a, "");
  RunResult full = run_degrade(b, ", if_short: degrade, degraded_detection: 1");
  RunResult none = run_degrade(c, ", if_short: degrade, degraded_detection: 0");
  for (size_t k = 0; k < proceed.replicates.size(); ++k) {
    const auto& p = proceed.replicates[k].villages[0];
    const auto& f = full.replicates[k].villages[0];
    const auto& n = none.replicates[k].villages[0];
    EXPECT_GT(p.detected_at_check, 0);
    EXPECT_EQ(p.tasks_degraded, 0);
    EXPECT_GT(p.tasks_without_supplies, 0);
    EXPECT_EQ(f.detected_at_check, p.detected_at_check);
    EXPECT_EQ(f.detection_delay_minutes, p.detection_delay_minutes);
    EXPECT_EQ(f.tasks_degraded, p.tasks_without_supplies);  // one supply: one count per visit either way
    EXPECT_EQ(n.detected_at_check, 0);
    EXPECT_EQ(n.detected, n.returnee_onsets);  // found when they seek care instead
    EXPECT_GT(n.detection_delay_minutes, p.detection_delay_minutes);
    EXPECT_GT(n.tasks_degraded, 0);
  }
}

// Funds from the prefecture shared by a rule: per_resident over villages of 10, 20 and 30
// residents, 100 yuan: 16.67, 33.33, 50 -> 16, 33, 50 and the 1 yuan left to the first village.
// Village C's one request (2 yuan a mask) is paid; village A, with 17 yuan, asks for masks at
// 20 yuan each and is refused.
TEST(Supplies, FundsAllocatedPerResidentAndRequestsRefused) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]", .supplies = "[masks]"}) + R"(
rules:
  - id: order
    title: order on day 0
    source: assumption
    note: test
    on: {day: 0}
    when: residents == 10
    do:
      - request: {supply: masks, amount: 5, channel: dear}
  - id: order-c
    title: order on day 0
    source: assumption
    note: test
    on: {day: 0}
    when: residents == 30
    do:
      - request: {supply: masks, amount: 5, channel: cheap}
)");
  const std::string path = dir.write("s.yaml", R"(
scenario: {name: funds, start_date: 2020-01-24, horizon_days: 2, seed: 1, replicates: 1}
policy: {rules: [policy.yaml]}
region:
  towns:
    - name: T
      villages:
        - {name: A, residents: 10, mean_household_size: 2, returnees: 0, staff: {village_cadre: 1}}
        - {name: B, residents: 20, mean_household_size: 2, returnees: 0, staff: {village_cadre: 1}}
        - {name: C, residents: 30, mean_household_size: 2, returnees: 0, staff: {village_cadre: 1}}
returnees:
  origin_mix: {local: 1.0}
  arrival_days: {first: -3, peak: -2, last: -1}
supplies:
  funds:
    sources:
      - {name: party_fees, amount: 60, level: prefecture}
      - {name: matching, amount: 40, level: prefecture}
    allocate: per_resident
  channels:
    - {name: dear, lead_days: 1, unit_cost: {masks: 20}}
    - {name: cheap, lead_days: 1, unit_cost: {masks: 2}}
)");
  Diagnostics d;
  Model m = load_model(path, d);
  EXPECT_EQ(m.village_funds, (std::vector<double>{17, 33, 50}));
  RunResult r = run_model(m);
  const auto& v = r.replicates[0].villages;
  EXPECT_EQ(v[0].requests_refused_for_funds, 1);
  EXPECT_DOUBLE_EQ(v[0].funds_left, 17);
  EXPECT_DOUBLE_EQ(v[1].funds_left, 33);
  EXPECT_DOUBLE_EQ(v[2].money_spent, 10);
  EXPECT_DOUBLE_EQ(v[2].funds_left, 40);
  EXPECT_EQ(v[2].requests_refused_for_funds, 0);
  EXPECT_EQ(r.replicates[0].days[2][1].stock, (std::vector<int64_t>{5}));
}

// Rounding, by hand: each village the floor of its share, the yuan left one each to villages with
// a weight, in village order.
TEST(Supplies, AllocationRounding) {
  EXPECT_EQ(allocate_funds(100, {1, 1, 1}), (std::vector<int64_t>{34, 33, 33}));
  // 10 x 3/7 = 4.29, 0, 2.86, 2.86 -> 4, 0, 2, 2; 2 left: villages 0 and 2.
  EXPECT_EQ(allocate_funds(10, {3, 0, 2, 2}), (std::vector<int64_t>{5, 0, 3, 2}));
  EXPECT_EQ(allocate_funds(10, {0, 0}), (std::vector<int64_t>{0, 0}));
  // The report's 6.6 + 8.247 million yuan equally over maoming-prefecture.yaml's 1,899 villages:
  // 14,847,000 = 1,899 x 7,818 + 618, so the first 618 villages get 7,819.
  const auto shares = allocate_funds(6'600'000 + 8'247'000, std::vector<int64_t>(1899, 1));
  EXPECT_EQ(shares[0], 7819);
  EXPECT_EQ(shares[617], 7819);
  EXPECT_EQ(shares[618], 7818);
  EXPECT_EQ(shares[1898], 7818);
  int64_t sum = 0;
  for (int64_t x : shares) sum += x;
  EXPECT_EQ(sum, 14'847'000);
}

TEST(Supplies, ShortPolicyErrors) {
  TempDir dir;
  dir.write("policy.yaml",
            vocabulary({.roles = "[village_cadre]", .monitoring = "[home_observation]", .supplies = "[masks]"}) + R"(
rules:
  - id: a
    title: a
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - create_task: {name: t1, roles: [village_cadre], minutes: 5, within_hours: 1, if_short: skip}
      - create_task: {name: t2, roles: [village_cadre], minutes: 5, within_hours: 1, uses: {masks: 1}, degraded_detection: 0.5}
      - create_task: {name: t3, roles: [village_cadre], minutes: 5, within_hours: 1, uses: {masks: 1}, if_short: degrad}
)");
  const std::string path = dir.write("s.yaml", one_village({.name = "errs", .horizon_days = 2}));
  Diagnostics d;
  EXPECT_THROW(load_model(path, d), InputError);
  const std::string text = d.format();
  for (const char* want : {"if_short is for tasks that use supplies", "degraded_detection is for `if_short: degrade`",
                           "'degrad'; did you mean 'degrade'?"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  // Supplies per day belong to the monitoring kind: two starts that differ are an error.
  dir.write("policy.yaml", R"(
vocabulary:
  origins: [local]
  classes: [unscreened]
  roles: [village_cadre]
  monitoring: [home_observation]
  supplies: [masks]
rules:
  - id: a
    title: a
    source: assumption
    note: test
    on: returnee_arrived
    do:
      - start_monitoring: {kind: home_observation, days: 3, uses_per_day: {masks: 1}}
  - id: b
    title: b
    source: assumption
    note: test
    on: monitoring_ended
    do:
      - start_monitoring: {kind: home_observation, days: 3, uses_per_day: {masks: 2}}
)");
  Diagnostics d2;
  EXPECT_THROW(load_model(path, d2), InputError);
  EXPECT_NE(d2.format().find("policy.yaml:22:9: error: monitoring 'home_observation' is started with other "
                             "uses_per_day at "),
            std::string::npos)
      << d2.format();
}

TEST(Supplies, FundsErrors) {
  TempDir dir;
  dir.write("policy.yaml", vocabulary({.roles = "[village_cadre]"}));
  const std::string path = dir.write("s.yaml", one_village({.name = "errs", .horizon_days = 2, .extra = R"(
supplies:
  funds_per_village: 10
  funds:
    sources: [{name: fees, amount: 10, level: prefectur, amout: 3}]
    allocate: per_resdent
)"}));
  Diagnostics d;
  EXPECT_THROW(load_model(path, d), InputError);
  const std::string text = d.format();
  for (const char* want : {"give either funds_per_village or funds", "'prefectur'; did you mean 'prefecture'?",
                           "'per_resdent'; did you mean 'per_resident'?", "'amout'"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
}

}  // namespace
}  // namespace vg::sim
