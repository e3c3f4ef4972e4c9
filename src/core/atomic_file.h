// Outputs are written whole or not at all, and as a set: a reader of an output folder sees one
// run's complete set of files or the folder as it was before, never one run's file beside another's
// (docs/architecture.md, "Outputs as a set").
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace vg {

// Writes `content` to `path` atomically (a temporary beside it, flushed, renamed over it). Throws
// std::runtime_error naming the path on failure.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Replaces the folder `dir` with exactly these files, as one step:
//  - a lock (`.NAME.lock` beside the folder, held with flock, so a killed run holds nothing)
//    refuses a second writer with a clear error while one is writing;
//  - the files are written into a fresh staging folder beside `dir` (`.NAME.tmp-PID`, each file
//    created with O_EXCL|O_NOFOLLOW and flushed), which then takes the folder's place with one
//    rename (an exchange when the folder exists); files of an earlier run that this one does not
//    write go with the old folder;
//  - staging and old folders left by a killed run are cleaned (or the old one put back) first;
//  - a folder holding anything but villagegrid outputs is refused, never replaced.
// Callers render every file before calling, so a failure while rendering writes nothing at all.
// Throws std::runtime_error naming the folder on failure; the folder is then as it was.
void write_files_atomic(const std::filesystem::path& dir,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> files);

// The file in every output folder that names its files (first line: the marker text).
inline constexpr std::string_view kOutputManifest = ".villagegrid-outputs";

}  // namespace vg
