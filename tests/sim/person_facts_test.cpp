// A condition that reads only person facts has just those facts filled (Town::fill_person_facts);
// one that also reads a village fact has every slot filled. Each pair of rules below asks the same
// question both ways, so each pair must fire alike at every event, including after an earlier
// rule's actions changed the facts (set_class, start_monitoring).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/runner.h"
#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::sim {
namespace {

using vg::testing::one_village;
using vg::testing::TempDir;

// Person-only conditions, one per fact, and two facts at once (the loop over facts).
const std::vector<std::pair<std::string, std::string>> kConditions = {
    {"origin", "origin == \"local\""},
    {"class", "class == \"observed\""},
    {"arrival", "arrival_day >= 1"},
    {"household", "household_size >= 3"},
    {"returnee", "is_returnee"},
    {"monitoring", "monitoring == \"home_observation\""},
    {"found", "found_by == \"arrival\""},
    {"tracked", "tracked"},
    {"two", "class == \"observed\" and arrival_day >= 1"},
};

std::string policy() {
  std::string p = R"(
vocabulary:
  origins: [local, other_province]
  classes: [unscreened, general, observed]
  roles: [village_cadre]
  monitoring: [home_observation]
  events:
    - {name: noted, about: person}
tracking:
  - id: follow
    title: follow a returnee
    source: assumption
    note: test
    days: 2
    priority: 90
    team:
      - {role: village_cadre, duty: call the household, minutes_per_day: 10}
rules:
  - id: screen
    title: screen every returnee
    source: assumption
    note: test
    priority: 100
    on: returnee_arrived
    do:
      - create_task: {name: screening, roles: [village_cadre], minutes: 20, within_hours: 24, counts_as: screening}
  - id: observe
    title: observe those from elsewhere
    source: assumption
    note: test
    priority: 90
    on: {task_done: screening}
    when: origin == "other_province"
    do:
      - set_class: observed
      - start_monitoring: {kind: home_observation, days: 3}
      - start_tracking: follow
)";
  int priority = 80;
  for (const auto& [name, cond] : kConditions)
    for (const char* how : {"p", "v"}) {
      const std::string when = std::string(how) == "p" ? cond : "(" + cond + ") and today >= 0";
      p += "  - id: " + std::string(how) + "-" + name + "\n    title: " + name + "\n    source: assumption\n" +
           "    note: test\n    priority: " + std::to_string(priority--) + "\n    on: {task_done: screening}\n" +
           "    when: '" + when + "'\n    do:\n      - raise: {event: noted, after_hours: 1}\n";
    }
  return p;
}

TEST(PersonFacts, OnlyWhatTheConditionReadsIsFilledAndItDecidesAlike) {
  TempDir dir;
  dir.write("policy.yaml", policy());
  const std::string path = dir.write("s.yaml", one_village({.name = "facts",
                                                            .horizon_days = 4,
                                                            .replicates = 1,
                                                            .residents = 200,
                                                            .mean_household_size = 3,
                                                            .returnees = 60,
                                                            .staff = "{village_cadre: 3}",
                                                            .origin_mix = "{local: 0.5, other_province: 0.5}",
                                                            .arrival_days = "{first: -3, peak: -1, last: 2}"}));
  Diagnostics d;
  Model m = load_model(path, d);
  ASSERT_FALSE(d.has_errors()) << d.format();
  RunResult r = run_model(m, true);
  std::map<std::string, std::vector<bool>> fired;  // rule id -> fired, in the order considered
  for (const auto& t : r.trace[0]) fired[m.program->rules()[size_t(t.rule)].id].push_back(t.fired);
  for (const auto& [name, cond] : kConditions) {
    const auto& p = fired["p-" + name];
    const auto& v = fired["v-" + name];
    ASSERT_FALSE(p.empty()) << name;
    EXPECT_EQ(p, v) << name << ": " << cond;
  }
  // Not trivial: every fact decides both ways for some returnee, but is_returnee (always true) and
  // found_by (always `arrival`: the scenario has no finding section).
  for (const auto& [name, cond] : kConditions) {
    const auto& p = fired["p-" + name];
    const auto yes = std::count(p.begin(), p.end(), true);
    EXPECT_GT(yes, 0) << name;
    if (name != "returnee" && name != "found") {
      EXPECT_LT(size_t(yes), p.size()) << name;
    }
  }
}

}  // namespace
}  // namespace vg::sim
