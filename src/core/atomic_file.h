// Outputs are written whole or not at all: to a temporary file in the target folder, flushed,
// then renamed over the destination, so a run that fails never leaves a half-written file.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <utility>
#include <string_view>

namespace vg {

// Writes `content` to `path` atomically. Throws std::runtime_error naming the path on failure.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Creates `dir` if needed, then writes each (file name, content) atomically, in order. Callers
// render every file before calling, so a failure while rendering writes nothing at all.
void write_files_atomic(const std::filesystem::path& dir,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> files);

}  // namespace vg
