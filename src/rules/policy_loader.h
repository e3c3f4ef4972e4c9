// Reading policy files (YAML) into the plain records of spec/policy.h. Kept apart from the records
// so that what only needs a PolicySpec does not include the YAML reader.
#pragma once

#include <string>
#include <vector>

#include "config/yaml_doc.h"
#include "core/diagnostics.h"
#include "spec/policy.h"

namespace vg::rules {

// Reads one policy file and appends what it declares to `policy`. Problems go to `diags`.
void read_policy_file(const config::YamlNode& root, const std::string& path, PolicySpec& policy, Diagnostics& diags);
// Loads every file; returns the merged spec (check diags.has_errors()).
PolicySpec load_policy(const std::vector<std::string>& paths, Diagnostics& diags);

}  // namespace vg::rules
