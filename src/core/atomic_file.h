// Outputs are written whole or not at all: to a temporary file in the target folder, flushed,
// then renamed over the destination, so a run that fails never leaves a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

namespace vg {

// Writes `content` to `path` atomically. Throws std::runtime_error naming the path on failure.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace vg
