// The reader of rule-test files (rule_tests.h has their format): one test, read into a TestCase
// with every name resolved against the compiled program and every problem reported at its
// file:line:col. The runner (rule_tests.cpp) carries the test out and compares.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_doc.h"
#include "core/diagnostics.h"
#include "rules/facts.h"
#include "rules/program.h"

namespace vg::rules::ruletest {

// The names a test may use, taken from the compiled program.
struct Names {
  std::vector<std::string> rules, tasks, tracking, attributes, events, posts, monitoring_kinds;
  std::vector<int> task_kind;  // tasks[i] -> task kind index
  std::vector<std::string_view> origins, classes;
  std::vector<std::string_view> monitoring;  // the person fact's values: "none", then the kinds
  std::vector<std::string_view> found_by;    // the person fact's values (kFoundBy)
};

Names names_of(const Program& p);

// The fake world of one test: one person (for events about a person) and their village.
struct State {
  int origin = 0, cls = 0;
  double arrival_day = 0, household_size = 0;
  bool is_returnee = true;  // the engine dispatches only about returnees
  bool tracked = false;     // a tracking is under way
  bool ever_tracked = false;
  int tracking = -1;                     // its template; -1 when the test said `tracked: true`
  int monitoring = 0;                    // 0 none, else kind + 1 (the person fact's value)
  int monitoring_days = 0;               // of a monitoring a rule started in this test; 0 when the test set it
  int found_by = int(FoundBy::Arrival);  // how the person was registered (the found_by fact)
  std::vector<double> attributes;        // by attribute index, person and village alike
  double village[kVillageFactCount] = {};
  std::vector<uint8_t> village_raised;  // by event index
  std::vector<uint8_t> post_open;       // by post index
  std::vector<double> stocks;           // by supply index: the stock_<supply> facts (village: stock_masks: N)
};

template <class T>
struct Expected {
  T value;
  SourceLoc loc;
};

struct AttributeExpectation {
  int attribute;
  double value;
  SourceLoc loc;
};

struct MonitoringExpectation {
  int value;  // 0 none, else kind + 1
  int days;   // 0: not checked
  SourceLoc loc;
};

struct TestCase {
  std::string name;
  Event event = Event::ReturneeArrived;
  int filter = -1;
  int64_t stock_from = 0, stock_to = 0;  // stock_below: the change that raised the event
  bool about_person = true;
  int day = 0;
  State state;
  std::optional<Expected<std::vector<int>>> fired, tasks, raised, posts_opened, posts_closed;
  std::vector<Expected<int>> not_fired;
  std::optional<Expected<int>> cls, tracking;
  std::optional<Expected<bool>> tracked;  // under a tracking afterwards
  std::optional<MonitoringExpectation> monitoring;
  std::vector<AttributeExpectation> attributes;
};

// Where `key` is written in `map` (the map itself when it is not there).
SourceLoc key_loc(const config::YamlNode& map, std::string_view key);

// A name that must be one of `names`; unknown: an error with a "did you mean". Returns its index.
// (Defined in rule_tests.cpp.)
int find_name(const config::YamlNode& n, const std::vector<std::string>& names, const std::string& kind,
              Diagnostics& d);
// A list of such names; their locations go to `locs` when given.
std::vector<int> find_names(const config::YamlNode& n, const std::vector<std::string>& names, const std::string& kind,
                            std::vector<SourceLoc>* locs, Diagnostics& d);

// One test of a file's `tests` list; nullopt when it is not a mapping. Check `d` for errors too:
// a test with errors is not run.
std::optional<TestCase> read_test(const config::YamlNode& n, const Program& p, const Names& names, Diagnostics& d);

}  // namespace vg::rules::ruletest
