// Reading a scenario file (YAML) into the plain records of spec/scenario.h.
#pragma once

#include <optional>
#include <string>

#include "config/yaml_doc.h"
#include "core/diagnostics.h"
#include "spec/scenario.h"

namespace vg::config {

// Reads a scenario file. Every problem is added to `diags`; returns nullopt if any was an error.
std::optional<ScenarioSpec> load_scenario(const std::string& path, Diagnostics& diags);
// Same, from a parsed tree (used by tests and by `check`).
std::optional<ScenarioSpec> read_scenario(const YamlNode& root, const std::string& path, Diagnostics& diags);

}  // namespace vg::config
