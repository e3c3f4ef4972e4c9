// Readers of the scenario file's sections kept apart from scenario_loader.cpp (which reads the rest
// and calls these): a mapping of names to amounts, a role's max_count, and the `epidemic` and
// `finding` sections. Not
// part of the config interface: include scenario_loader.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/reader.h"
#include "spec/scenario.h"

namespace vg::config::detail {

// A mapping from names to amounts (origin shares, stocks, unit costs, infection probabilities):
// each key a name (`key_what` in messages), each value a number in [0, max] named
// `value_what` + " '" + name + "'".
std::vector<OriginShare> read_amounts(const YamlNode& n, Diagnostics& d, const std::string& what,
                                      std::string_view key_what, const std::string& value_what, double max);

// The entries of `role` in `staff` (its node `value`: one entry or a list) together within the
// least max_count any of them gives; else an error at that max_count naming `what`.
void check_max_count(const std::vector<RosterSpec>& staff, const std::string& role, const YamlNode& value,
                     const std::string& what, Diagnostics& d);

// `epidemic:` (docs/epidemic.md) and `finding:` (docs/scenarios.md, "Finding returnees").
void read_epidemic(MapReader& m, const YamlNode& e, ScenarioSpec& s);
void read_finding(MapReader& m, const YamlNode& f, ScenarioSpec& s);

}  // namespace vg::config::detail
