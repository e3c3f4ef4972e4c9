// Test helpers: the text of a scenario file with one town T holding one village V, the shape most
// engine tests run, and of a policy's vocabulary. Only what a test sets differs from the defaults
// below; write a scenario with
//   dir.write("s.yaml", one_village({.name = "x", .horizon_days = 3, .residents = 20, ...}))
#pragma once

#include <string>
#include <vector>

namespace vg::testing {

struct OneVillage {
  std::string name = "test";
  int horizon_days = 1;
  int seed = 1;
  int replicates = 1;
  // policy: {rules: [...], grid: ...}; paths relative to the scenario file or absolute.
  std::vector<std::string> rules = {"policy.yaml"};
  std::string grid = "";        // omitted when empty
  std::string town_staff = "";  // town T's `staff:` (a flow mapping); omitted when empty
  int residents = 20;
  int mean_household_size = 4;
  int villager_groups = -1;  // omitted when negative
  int party_members = -1;    // omitted when negative
  int returnees = 0;
  // Village V's `staff:`: a flow mapping ("{village_cadre: 1}") or block lines, one role (or list
  // item) a line, written without the village's indentation (blank lines are dropped).
  std::string staff = "{village_cadre: 1}";
  std::string origin_mix = "{local: 1.0}";
  // The default has everyone arrive before day 0, so all returnees are registered at day 0, 00:00.
  std::string arrival_days = "{first: -3, peak: -2, last: -1}";
  // Further top-level sections (supplies:, epidemic:, ...), written as they go in the file.
  std::string extra = "";
};

inline std::string one_village(const OneVillage& s) {
  const auto num = [](int x) { return std::to_string(x); };
  std::string rules;
  for (const auto& r : s.rules) rules += (rules.empty() ? "" : ", ") + r;
  std::string t = "\nscenario: {name: " + s.name + ", start_date: 2020-01-24, horizon_days: " + num(s.horizon_days) +
                  ", seed: " + num(s.seed) + ", replicates: " + num(s.replicates) + "}\n";
  t += "policy: {rules: [" + rules + "]" + (s.grid.empty() ? "" : ", grid: " + s.grid) + "}\n";
  t += "region:\n  towns:\n    - name: T\n";
  if (!s.town_staff.empty()) t += "      staff: " + s.town_staff + "\n";
  t += "      villages:\n        - name: V\n";
  t += "          residents: " + num(s.residents) + "\n";
  t += "          mean_household_size: " + num(s.mean_household_size) + "\n";
  if (s.villager_groups >= 0) t += "          villager_groups: " + num(s.villager_groups) + "\n";
  if (s.party_members >= 0) t += "          party_members: " + num(s.party_members) + "\n";
  t += "          returnees: " + num(s.returnees) + "\n";
  if (s.staff.starts_with('{')) {
    t += "          staff: " + s.staff + "\n";
  } else {
    t += "          staff:\n";
    size_t from = 0;
    while (from < s.staff.size()) {
      size_t end = s.staff.find('\n', from);
      if (end == std::string::npos) end = s.staff.size();
      if (end > from) t += "            " + s.staff.substr(from, end - from) + "\n";
      from = end + 1;
    }
  }
  t += "returnees:\n  origin_mix: " + s.origin_mix + "\n  arrival_days: " + s.arrival_days + "\n";
  return t + s.extra;
}

// A policy file's `vocabulary:` section; the lists are YAML flow sequences ("[village_cadre]"),
// and the empty ones are left out. Write it as dir.write("policy.yaml", vocabulary({...}) + rules).
struct Vocabulary {
  std::string origins = "[local]";
  std::string classes = "[unscreened]";
  std::string key_classes = "";
  std::string roles = "";
  std::string monitoring = "";
  std::string supplies = "";
};

inline std::string vocabulary(const Vocabulary& v) {
  std::string t = "\nvocabulary:\n";
  for (const auto& [key, list] : {std::pair<const char*, const std::string&>{"origins", v.origins},
                                  {"classes", v.classes},
                                  {"key_classes", v.key_classes},
                                  {"roles", v.roles},
                                  {"monitoring", v.monitoring},
                                  {"supplies", v.supplies}})
    if (!list.empty()) t += std::string("  ") + key + ": " + list + "\n";
  return t;
}

// A rule opening post `gate` from day 0, staffed by village cadres 08:00-12:00; `uses` (a flow
// mapping, "{masks: 1}") what each shift staffed takes.
inline std::string gate_post_rule(const std::string& uses) {
  return "  - id: gate\n    title: a post from day 0\n    source: assumption\n    note: test\n    on: {day: 0}\n"
         "    do:\n      - open_post: {name: gate, roles: [village_cadre], shifts: [\"08:00-12:00\"], uses: " +
         uses + "}\n";
}

// The rule most engine tests start from, as a list item under `rules:`: every returnee gets a
// screening task for a village cadre, due within 24 h. `extra` adds keys to the task ("uses: ...").
inline std::string screen_rule(int minutes, const std::string& extra = "") {
  return "  - id: screen\n    title: screen\n    source: assumption\n    note: test\n    on: returnee_arrived\n"
         "    do:\n      - create_task: {name: screening, roles: [village_cadre], minutes: " +
         std::to_string(minutes) + ", within_hours: 24, counts_as: screening" + (extra.empty() ? "" : ", " + extra) +
         "}\n";
}

}  // namespace vg::testing
