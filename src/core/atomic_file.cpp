#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vg {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path) {
  throw std::runtime_error("cannot " + what + " '" + path.string() + "': " + std::strerror(errno));
}

// For the fault tests (tests/core/output_set_test.cpp): VILLAGEGRID_KILL_AT=N kills the process
// with SIGKILL at the N-th step of writing a set (each file staged, the set staged, the swap), so a
// test can stop a run at every point. Unset in normal use: costs one getenv per step.
void step_for_fault_tests() {
  static int step = 0;
  const char* at = std::getenv("VILLAGEGRID_KILL_AT");
  if (at && std::atoi(at) == ++step) std::raise(SIGKILL);
}

void write_all(int fd, std::string_view content, const fs::path& path) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      fail_errno("write", path);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    fail_errno("flush", path);
  }
  if (::close(fd) != 0) fail_errno("close", path);
}

// A new file, never through a link and never over an existing file.
void create_file(const fs::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) fail_errno("create", path);
  write_all(fd, content, path);
}

void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the data itself was flushed
  ::fsync(fd);
  ::close(fd);
}

// Every name an output folder of any villagegrid command may hold: a set is written only of these
// (write_files_atomic refuses any other), and a folder is replaced only if it holds nothing else.
constexpr std::array<std::string_view, 14> kOutputNames = {
    "summary.json", "timeseries.csv", "roles.csv", "roles_by_day.csv", "trace.csv", "persons.csv",    "compare.csv",
    "compare.json", "plan.csv",       "plan.json", "plan.yaml",        "plan.md",   "results.sqlite", kOutputManifest};

bool known_output_name(std::string_view name) {
  for (auto n : kOutputNames)
    if (name == n) return true;
  return false;
}

// A set names only outputs of villagegrid (never the manifest, which the writer adds): a name
// missing from kOutputNames would make the next run refuse the folder as foreign.
void check_names(std::initializer_list<std::pair<std::string_view, std::string_view>> files,
                 const OutputExtras& extras) {
  std::vector<std::string_view> names;
  for (const auto& f : files) names.push_back(f.first);
  for (const auto& f : extras.link_in) names.push_back(f.first);
  for (auto n : names)
    if (!known_output_name(n) || n == kOutputManifest)
      throw std::logic_error("write_files_atomic: '" + std::string(n) +
                             "' is not a villagegrid output name (add it to kOutputNames in src/core/atomic_file.cpp)");
}

// Whether `dir` may be replaced: it holds only outputs of villagegrid runs (or nothing).
void check_replaceable(const fs::path& dir) {
  std::vector<std::string> foreign;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !known_output_name(name)) foreign.push_back(name);
  }
  if (foreign.empty()) return;
  std::string list;
  for (size_t i = 0; i < foreign.size() && i < 5; ++i) list += (i ? ", " : "") + foreign[i];
  if (foreign.size() > 5) list += ", ...";
  throw std::runtime_error("output folder '" + dir.string() + "' holds files that are not villagegrid outputs (" +
                           list + "); it would be replaced whole: choose a new or empty folder for --out");
}

// A folder name of its own: the folder, its parent and its name.
struct Folder {
  fs::path dir, parent;
  std::string name;
};
Folder resolve_folder(const fs::path& dir_in) {
  Folder f;
  const fs::path norm = dir_in.lexically_normal();
  f.dir = norm.has_filename() ? norm : norm.parent_path();
  f.parent = f.dir.has_parent_path() ? f.dir.parent_path() : fs::path(".");
  f.name = f.dir.filename().string();
  if (f.name.empty() || f.name == "." || f.name == "..")
    throw std::runtime_error("output folder '" + dir_in.string() + "': name a folder of its own for --out");
  return f;
}

// Links `from` into the staging folder as `to` (a copy where the file system has no hard links).
void link_into(const fs::path& from, const fs::path& to) {
  if (::link(from.c_str(), to.c_str()) == 0) return;
  if (errno != EXDEV && errno != EPERM && errno != ENOTSUP && errno != EMLINK) fail_errno("link", to);
  std::error_code ec;
  fs::copy_file(from, to, ec);
  if (ec) throw std::runtime_error("cannot copy '" + from.string() + "' into '" + to.string() + "': " + ec.message());
}

}  // namespace

std::string file_digest(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + file.string() + "'");
  uint64_t h = 1469598103934665603ull;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) h = (h ^ uint8_t(buf[i])) * 1099511628211ull;
    if (!in) break;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

OutputLock::OutputLock(const fs::path& dir_in) {
  const Folder f = resolve_folder(dir_in);
  dir_ = f.dir;
  std::error_code ec;
  fs::create_directories(f.parent, ec);
  if (ec) throw std::runtime_error("cannot create output folder '" + f.parent.string() + "': " + ec.message());
  const fs::path lock_path = f.parent / ("." + f.name + ".lock");
  path_ = lock_path;
  // A holder removes the file as it lets go; one who locked the removed file tries again on the
  // file now at the path (a few times at most: each retry means another process finished).
  for (int attempt = 0;; ++attempt) {
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) fail_errno("create the lock", lock_path);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int saved = errno;
      ::close(fd_);
      if (saved == EWOULDBLOCK)
        throw std::runtime_error("another villagegrid command is using the same folder (lock '" + lock_path.string() +
                                 "'): wait for it to finish (a run, or an exercise's console or server), or write to "
                                 "another folder");
      errno = saved;
      fail_errno("lock", lock_path);
    }
    struct stat held {
    }, now{};
    if (::fstat(fd_, &held) == 0 && ::lstat(lock_path.c_str(), &now) == 0 && held.st_dev == now.st_dev &&
        held.st_ino == now.st_ino)
      return;
    ::close(fd_);
    if (attempt >= 100)
      throw std::runtime_error("cannot take the lock '" + lock_path.string() + "': it keeps changing");
  }
}

// Removed while still held (see the class comment), then released.
OutputLock::~OutputLock() {
  ::unlink(path_.c_str());
  ::close(fd_);
}

namespace {
// The interrupt notice's prepared state: written before the handlers are installed, read by them.
struct Notice {
  std::string lock, store, plain, resumable;
  struct sigaction old_int {
  }, old_term{};
};
Notice* g_notice = nullptr;

extern "C" void on_interrupt(int sig) {
  if (Notice* n = g_notice) {
    const std::string& said = !n->store.empty() && ::access(n->store.c_str(), F_OK) == 0 ? n->resumable : n->plain;
    [[maybe_unused]] const ssize_t w = ::write(STDERR_FILENO, said.data(), said.size());
    ::unlink(n->lock.c_str());
  }
  ::signal(sig, SIG_DFL);  // then end by the signal, as without the notice (a shell sees 130)
  ::raise(sig);
}
}  // namespace

InterruptNotice::InterruptNotice(const OutputLock& lock, bool stored, bool store_hint) {
  auto* n = new Notice;
  n->lock = lock.lock_file().string();
  const fs::path partial = partial_folder(lock.dir());
  if (stored) n->store = (partial / "results.sqlite").string();
  n->plain =
      "\nvillagegrid: interrupted: nothing was written to " + lock.dir().string() + " (what was there is as it was)" +
      (stored || !store_hint ? std::string() : "; with --store a run keeps its finished replicates for --resume") +
      "\n";
  n->resumable = "\nvillagegrid: interrupted: nothing was written to " + lock.dir().string() +
                 "; the replicates finished so far are kept in " + partial.string() +
                 ": the same command with --resume goes on from them\n";
  g_notice = n;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &n->old_int);
  ::sigaction(SIGTERM, &sa, &n->old_term);
}

InterruptNotice::~InterruptNotice() {
  Notice* n = g_notice;
  if (!n) return;
  ::sigaction(SIGINT, &n->old_int, nullptr);
  ::sigaction(SIGTERM, &n->old_term, nullptr);
  g_notice = nullptr;
  delete n;
}

fs::path output_folder(const fs::path& dir) { return resolve_folder(dir).dir; }

void check_output_folder(const fs::path& dir_in) {
  const fs::path dir = resolve_folder(dir_in).dir;
  std::error_code ec;
  const auto st = fs::symlink_status(dir, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_directory(st))
    throw std::runtime_error("output folder '" + dir.string() + "' is not a folder (a file or a link is there)");
  check_replaceable(dir);
}

fs::path partial_folder(const fs::path& dir) {
  const Folder f = resolve_folder(dir);
  return f.parent / ("." + f.name + ".partial");
}

namespace {

// Under the lock, anything a killed writer left beside the folder is stale: a staging folder is
// removed; an old folder whose place is empty (killed between the two renames of the fallback
// swap) is put back, else removed.
void clean_stale(const fs::path& parent, const std::string& name, const fs::path& dir) {
  const std::string tmp = "." + name + ".tmp-", old = "." + name + ".old-";
  std::vector<fs::path> stale_tmp, stale_old;
  for (const auto& e : fs::directory_iterator(parent)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(tmp, 0) == 0) stale_tmp.push_back(e.path());
    if (n.rfind(old, 0) == 0) stale_old.push_back(e.path());
  }
  for (const auto& p : stale_tmp) fs::remove_all(p);
  for (const auto& p : stale_old) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec)))
      fs::rename(p, dir);
    else
      fs::remove_all(p);
  }
}

// Puts `staging` in the place of `dir` with one rename: an exchange when the folder exists (the
// old set then lies at `staging`, to be removed), else a plain rename.
void swap_in(const fs::path& staging, const fs::path& dir, const fs::path& old) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) {
    if (::rename(staging.c_str(), dir.c_str()) != 0) fail_errno("move the outputs into", dir);
    return;
  }
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
    step_for_fault_tests();
    fs::remove_all(staging);
    return;
  }
  // A file system without the exchange: two renames; a run killed between them leaves the old set
  // at `old`, which the next writer puts back (clean_stale).
  if (errno != EINVAL && errno != ENOSYS) fail_errno("swap the outputs into", dir);
  if (::rename(dir.c_str(), old.c_str()) != 0) fail_errno("move aside", dir);
  step_for_fault_tests();
  if (::rename(staging.c_str(), dir.c_str()) != 0) fail_errno("move the outputs into", dir);
  fs::remove_all(old);
}

}  // namespace

void write_file_atomic(const fs::path& path, std::string_view content) {
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  fs::remove(tmp);  // a stale one of a killed process with our pid; never followed if a link
  try {
    create_file(tmp, content);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail_errno("rename into", path);
  }
}

void write_files_atomic(const fs::path& dir_in,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> files,
                        const OutputExtras& extras) {
  check_names(files, extras);
  const Folder f = resolve_folder(dir_in);
  const fs::path &dir = f.dir, &parent = f.parent;
  const std::string& name = f.name;
  std::optional<OutputLock> own_lock;
  if (!extras.lock)
    own_lock.emplace(dir);
  else if (extras.lock->dir() != dir)
    throw std::logic_error("write_files_atomic: the lock held is for '" + extras.lock->dir().string() + "', not '" +
                           dir.string() + "'");
  clean_stale(parent, name, dir);
  check_output_folder(dir);
  const std::string pid = std::to_string(::getpid());
  const fs::path staging = parent / ("." + name + ".tmp-" + pid);
  if (::mkdir(staging.c_str(), 0755) != 0) fail_errno("create the staging folder", staging);
  try {
    std::string manifest = "villagegrid outputs: written together, replaced together\n";
    for (const auto& [file, content] : files) {
      create_file(staging / file, content);
      manifest += std::string(file) + "\n";
      step_for_fault_tests();
    }
    for (const auto& [file, from] : extras.link_in) {
      link_into(from, staging / file);
      manifest += file + "\n";
      step_for_fault_tests();
    }
    create_file(staging / kOutputManifest, manifest);
    sync_folder(staging);
    step_for_fault_tests();
    swap_in(staging, dir, parent / ("." + name + ".old-" + pid));
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
  sync_folder(parent);
}

}  // namespace vg
