// Outputs are written whole or not at all, and as a set: a reader of an output folder sees one
// run's complete set of files or the folder as it was before, never one run's file beside another's
// (docs/architecture.md, "Outputs as a set").
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vg {

// Writes `content` to `path` atomically (a temporary beside it, flushed, renamed over it). Throws
// std::runtime_error naming the path on failure.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// A digest of a file's content (FNV-1a, 64 bits, in hex): for noticing a change (a results store's
// inputs, an exercise's files), not for security. Throws std::runtime_error when it cannot be read.
std::string file_digest(const std::filesystem::path& file);

// The lock of an output folder (`.NAME.lock` beside it, held with flock, so a killed run holds
// nothing). write_files_atomic takes it for as long as it writes; a run that keeps state beside the
// folder while it simulates (the results store, src/store/) takes it first, for the whole run, and
// passes it in. Throws std::runtime_error ("another villagegrid command is writing ...") when held.
// Released, the file is removed (only a killed process leaves one behind): its holder unlinks it
// while still holding it, and a taker checks that the file it locked is still the one at the path,
// else takes the new one, so two processes never both hold "the" lock.
class OutputLock {
 public:
  explicit OutputLock(const std::filesystem::path& dir);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  const std::filesystem::path& dir() const { return dir_; }
  const std::filesystem::path& lock_file() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;  // the lock file
  int fd_ = -1;
};

// While one is alive, Ctrl-C (SIGINT) or SIGTERM says what the kill leaves before the process ends
// by the signal as it would have: nothing written to the folder (its earlier set, if any, as it
// was), and, when a results store is kept beside it, that the same command with --resume goes on
// from the replicates it holds. The lock file is removed, as the lock's holder does on release.
// For the sweeps (run, compare, plan); one at a time. The message is prepared here: the handler
// only writes it, checks whether the store exists (access) and unlinks the lock file.
class InterruptNotice {
 public:
  // `store_hint`: without a store, say that --store would keep the finished replicates (not for a
  // run that cannot store, with --trace).
  InterruptNotice(const OutputLock& lock, bool stored, bool store_hint = true);
  ~InterruptNotice();
  InterruptNotice(const InterruptNotice&) = delete;
  InterruptNotice& operator=(const InterruptNotice&) = delete;
};

// What a run adds to its set beyond the rendered files: the lock it already holds (none: the
// writer takes it) and files already on disk, on the same file system, that join the set under
// the given names (hard-linked into the staging folder, so a kill before the swap loses nothing).
struct OutputExtras {
  const OutputLock* lock = nullptr;
  std::vector<std::pair<std::string, std::filesystem::path>> link_in;
};

// The folder `dir` as write_files_atomic resolves it (no trailing slash), and the hidden folder
// beside it where a run keeps what must survive a kill until its set is swapped in: `.NAME.partial`.
std::filesystem::path output_folder(const std::filesystem::path& dir);
std::filesystem::path partial_folder(const std::filesystem::path& dir);

// Throws what write_files_atomic would throw at the end of a run for this folder: something there
// that is not a folder, or a folder holding files that are not villagegrid outputs. A command
// calls it before its work, so that a wrong --out costs nothing.
void check_output_folder(const std::filesystem::path& dir);

// Replaces the folder `dir` with exactly these files, as one step:
//  - a lock (`.NAME.lock` beside the folder, held with flock, so a killed run holds nothing)
//    refuses a second writer with a clear error while one is writing;
//  - the files are written into a fresh staging folder beside `dir` (`.NAME.tmp-PID`, each file
//    created with O_EXCL|O_NOFOLLOW and flushed), which then takes the folder's place with one
//    rename (an exchange when the folder exists); files of an earlier run that this one does not
//    write go with the old folder;
//  - staging and old folders left by a killed run are cleaned (or the old one put back) first;
//  - a folder holding anything but villagegrid outputs is refused, never replaced;
//  - every name written (files and extras.link_in) must be one of the output names the writer
//    knows (kOutputNames in atomic_file.cpp), else std::logic_error before anything is touched:
//    a file it did not know would make the next run refuse the folder as not its own.
// Callers render every file before calling, so a failure while rendering writes nothing at all.
// Throws std::runtime_error naming the folder on failure; the folder is then as it was.
void write_files_atomic(const std::filesystem::path& dir,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> files,
                        const OutputExtras& extras = {});

// The file in every output folder that names its files (first line: the marker text).
inline constexpr std::string_view kOutputManifest = ".villagegrid-outputs";

}  // namespace vg
