// Test helper: the key-area epidemic case the engine's detection tests share. One village of 400
// with 40 returnees, all from the key area and all infected, arriving on days 0-10; transmission is
// all but off (r0 0.02), so the counts are the returnees' own. A screening rule makes each screened
// returnee a key person, with a "5+1" team when `tracked` (ample staff for every role).
#pragma once

#include <string>

#include "support/scenario_yaml.h"
#include "support/temp_files.h"

namespace vg::testing {

// Writes rules.yaml into `dir` and returns the scenario's text; `extra` goes after the epidemic
// section (a `finding:` section, say).
inline std::string key_area_case(const TempDir& dir, bool tracked, int replicates, const std::string& extra = "") {
  dir.write("rules.yaml", std::string(R"(
rules:
)" + screen_rule(10) + R"(  - id: key
    title: key persons
    source: assumption
    note: test
    on: {task_done: screening}
    do:
      - set_class: key
)") + (tracked ? "      - start_tracking: five_plus_one\n" : ""));
  const std::string root = VILLAGEGRID_SOURCE_DIR;
  return one_village({.name = "epi",
                      .horizon_days = 40,
                      .seed = 5,
                      .replicates = replicates,
                      .rules = {root + "/rules/vocabulary.yaml", root + "/rules/tracking/five-plus-one.yaml",
                                root + "/rules/detection.yaml", "rules.yaml"},
                      .town_staff = "{town_cadre: {count: 10, hours_per_day: 8}}",
                      .residents = 400,
                      .party_members = 40,
                      .returnees = 40,
                      .staff = R"(
village_cadre: {count: 10, hours_per_day: 10}
village_doctor: {count: 10, hours_per_day: 10}
party_member: {count: 40, hours_per_day: 4}
neighbour: {count: 60, hours_per_day: 1}
)",
                      .origin_mix = "{key_area: 1.0}",
                      .arrival_days = "{first: 0, peak: 2, last: 10}",
                      .extra = R"(
epidemic:
  r0: 0.02
  household_sar: 0.001  # with r0 0.02: households 0.004, the community the rest (r0 must cover the households)
  asymptomatic_share: 0
  infection_probability: {key_area: 1.0}
  care_seeking_days: 3
  contact: {isolation: {household: 0, community: 0}}
)" + extra});
}

}  // namespace vg::testing
