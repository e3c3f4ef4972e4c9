// Reading a grid file (YAML) into the plain records of spec/grid.h.
#pragma once

#include <optional>
#include <string>

#include "core/diagnostics.h"
#include "spec/grid.h"

namespace vg::config {

// Reads and checks a grid file; every problem goes to `diags`, and nullopt comes back on an error.
std::optional<GridSpec> load_grid(const std::string& path, Diagnostics& diags);

}  // namespace vg::config
