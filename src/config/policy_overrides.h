// `policy: overrides:` (docs/scenarios.md, "Per-village policy"): villages that run under their
// own policy files and grid. Read here and checked against the region; the sim compiles each
// distinct override once into its own program (sim::Model::policies).
#pragma once

#include <string>
#include <vector>

#include "config/yaml_doc.h"
#include "core/diagnostics.h"
#include "spec/scenario.h"

namespace vg::config {

// A path written in a scenario file, resolved against that file's folder (absolute paths as given).
std::string resolve_path(const std::string& base_file, const std::string& rel);

// A list of rule files (the scenario's `policy: rules:` or an override's): each resolved against
// base_file, appended to `files` with its place in `locs`.
void read_rule_files(const YamlNode& list, const std::string& base_file, std::vector<std::string>& files,
                     std::vector<SourceLoc>& locs, Diagnostics& d);

// Reads the list under `policy: overrides:` into s.policy_overrides (paths resolved against s.path).
void read_policy_overrides(const YamlNode& list, ScenarioSpec& s, Diagnostics& d);

// After the region is read: every village named exists ("did you mean"), none is named twice, and
// every village of a town runs under the same policy (the engine runs a town under one program).
void check_policy_overrides(const ScenarioSpec& s, Diagnostics& d);

// What a village runs under: the rule files and grid, the override's where it gives them, the
// scenario's otherwise. Two villages run under the same program exactly when these are equal.
struct PolicyKey {
  std::vector<std::string> rule_files;
  std::string grid_file;
  bool operator==(const PolicyKey&) const = default;
};
PolicyKey policy_key(const ScenarioSpec& s, int override_index);  // -1: the scenario's own policy

// Per town: the override its villages run under, or -1 for the scenario's policy. Overrides that
// give the same rule files and grid share the index of the first of them. Assumes
// check_policy_overrides found nothing.
std::vector<int> town_overrides(const ScenarioSpec& s);

}  // namespace vg::config
