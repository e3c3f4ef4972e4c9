// Outputs as a set (core/atomic_file.h): whatever happens to a writer, the folder is one run's
// complete set or the previous state.
#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>

#include "core/atomic_file.h"
#include "support/temp_files.h"

namespace vg {
namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;
using testing::TempDir;

// The folder's files (hidden ones included), name -> content.
Files contents(const fs::path& dir) {
  Files out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = testing::read_file(e.path());
  return out;
}

// The files beside the folder other than the folder and its lock: staging or old folders left over.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir.parent_path())) {
    const std::string n = e.path().filename().string();
    if (n != dir.filename().string() && n != "." + dir.filename().string() + ".lock") out.push_back(n);
  }
  return out;
}

void write_a(const fs::path& dir) {
  write_files_atomic(dir, {{"timeseries.csv", "a-series"}, {"trace.csv", "a-trace"}, {"summary.json", "a-summary"}});
}
void write_b(const fs::path& dir) {
  write_files_atomic(dir, {{"timeseries.csv", std::string(100'000, 'b')}, {"summary.json", "b-summary"}});
}

TEST(OutputSet, ANewSetReplacesTheOldOneWhole) {
  TempDir t;
  const fs::path dir = t.path() / "run";
  write_a(dir);
  const Files a = contents(dir);
  EXPECT_EQ(a.at("trace.csv"), "a-trace");
  EXPECT_EQ(a.at(".villagegrid-outputs"),
            "villagegrid outputs: written together, replaced together\n"
            "timeseries.csv\ntrace.csv\nsummary.json\n");
  write_b(dir);
  const Files b = contents(dir);
  EXPECT_EQ(b.count("trace.csv"), 0u);  // the earlier run's trace does not stay beside the new summary
  EXPECT_EQ(b.at("summary.json"), "b-summary");
  EXPECT_TRUE(leftovers(dir).empty());
}

// A run holding the folder's lock for its whole length (the results store) passes it in; any
// other writer is refused meanwhile; files already on disk join the set, named in the manifest.
TEST(OutputSet, AHeldLockIsPassedInAndFilesOnDiskJoinTheSet) {
  TempDir t;
  const fs::path dir = t.path() / "run";
  const fs::path store = t.write("store.bin", "rows");
  {
    OutputLock lock(dir);
    EXPECT_THROW(write_a(dir), std::runtime_error);  // another writer, while the lock is held
    EXPECT_THROW(OutputLock{dir}, std::runtime_error);
    write_files_atomic(dir, {{"summary.json", "s"}}, {&lock, {{"results.sqlite", store}}});
    OutputLock other(t.path() / "elsewhere");
    EXPECT_THROW(write_files_atomic(dir, {{"summary.json", "s"}}, {&other, {}}), std::logic_error);
  }
  EXPECT_EQ(contents(dir), (Files{{"summary.json", "s"},
                                  {"results.sqlite", "rows"},
                                  {".villagegrid-outputs",
                                   "villagegrid outputs: written together, replaced together\nsummary.json\n"
                                   "results.sqlite\n"}}));
  EXPECT_TRUE(fs::exists(store));  // linked, not moved: a kill before the swap loses nothing
  EXPECT_EQ(partial_folder(t.path() / "run/"), t.path() / ".run.partial");
  write_b(dir);  // the lock is free again
}

// A name the writer does not know is refused before anything is touched: the next run would
// otherwise refuse the folder as holding files that are not villagegrid outputs (roles.csv was such
// a name once, so a second run into the same folder failed).
TEST(OutputSet, AnUnknownNameIsRefusedAndTheFolderKept) {
  TempDir t;
  const fs::path dir = t.path() / "run";
  write_a(dir);
  const Files a = contents(dir);
  try {
    write_files_atomic(dir, {{"summary.json", "s"}, {"extra.csv", "x"}});
    FAIL() << "expected a refusal";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("'extra.csv' is not a villagegrid output name"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(write_files_atomic(dir, {{".villagegrid-outputs", "forged"}}), std::logic_error);
  const fs::path store = t.write("store.bin", "rows");
  EXPECT_THROW(write_files_atomic(dir, {{"summary.json", "s"}}, {nullptr, {{"store.bin", store}}}), std::logic_error);
  EXPECT_EQ(contents(dir), a);
  EXPECT_TRUE(leftovers(dir).size() == 1 && leftovers(dir)[0] == "store.bin");
  write_files_atomic(dir, {{"summary.json", "s"}, {"roles.csv", "r"}});  // every file a run writes is known
  write_files_atomic(dir, {{"summary.json", "s2"}, {"roles.csv", "r2"}});
  EXPECT_EQ(contents(dir).at("roles.csv"), "r2");
}

TEST(OutputSet, AFolderWithOtherFilesIsRefusedAndKept) {
  TempDir t;
  const fs::path dir = t.path() / "mine";
  t.write("mine/notes.txt", "my notes");
  try {
    write_a(dir);
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("holds files that are not villagegrid outputs (notes.txt)"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(contents(dir), (Files{{"notes.txt", "my notes"}}));
  EXPECT_TRUE(leftovers(dir).empty());
}

TEST(OutputSet, ASecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
  TempDir t;
  const fs::path dir = t.path() / "run";
  write_a(dir);
  EXPECT_FALSE(fs::exists(t.path() / ".run.lock"));  // released: removed, not left beside the folder
  const int fd = ::open((t.path() / ".run.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as a run in progress holds it (flock: per open file)
  try {
    write_b(dir);
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another villagegrid command is using the same folder"), std::string::npos)
        << e.what();
  }
  ::close(fd);
  EXPECT_EQ(contents(dir).at("trace.csv"), "a-trace");
  write_b(dir);  // free again
  EXPECT_EQ(contents(dir).at("summary.json"), "b-summary");
}

// A link planted where the staging folder or a temporary file will be is never written through.
TEST(OutputSet, PlantedLinksAreNotFollowed) {
  TempDir t;
  const fs::path dir = t.path() / "run";
  const fs::path target = t.path() / "victim";
  t.write("victim/summary.json", "precious");
  fs::create_directory_symlink(target, t.path() / (".run.tmp-" + std::to_string(::getpid())));
  fs::create_symlink(target / "summary.json", t.path() / ("single.json.tmp." + std::to_string(::getpid())));
  write_a(dir);
  write_file_atomic(t.path() / "single.json", "new");
  EXPECT_EQ(testing::read_file(target / "summary.json"), "precious");
  EXPECT_EQ(contents(dir).at("summary.json"), "a-summary");
  EXPECT_EQ(testing::read_file(t.path() / "single.json"), "new");
}

// A writer killed (SIGKILL) at every step of writing set B over set A: the folder is A or B,
// complete; the next writer cleans what the killed one left and writes its own set.
TEST(OutputSet, AWriterKilledAtAnyPointLeavesOneCompleteSet) {
  const Files empty;
  for (int step = 1; step <= 5; ++step) {
    SCOPED_TRACE("killed at step " + std::to_string(step));
    TempDir t;
    const fs::path dir = t.path() / "run";
    write_a(dir);
    const Files a = contents(dir);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::setenv("VILLAGEGRID_KILL_AT", std::to_string(step).c_str(), 1);
      try {
        write_b(dir);
      } catch (...) {
        ::_exit(3);
      }
      ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // Steps 1-4: each file staged, the set staged, the swap done (old set not yet removed); step 5
    // is past the last, so that writer finishes.
    if (step <= 4)
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "not killed: status " << status;
    else
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
    const Files now = contents(dir);
    const bool is_a = now == a;
    const bool is_b = now.size() == 3 && now.count("timeseries.csv") && now.at("summary.json") == "b-summary" &&
                      now.at("timeseries.csv") == std::string(100'000, 'b');
    EXPECT_TRUE(is_a || is_b) << "a mixed or partial folder after a kill at step " << step;
    write_a(dir);  // the next run
    EXPECT_EQ(contents(dir), a);
    EXPECT_TRUE(leftovers(dir).empty());
  }
}

// A full disk while writing: the write fails with the reason and the folder keeps the old set.
// Needs a small tmpfs, mounted in a private mount namespace of a child process (root only).
TEST(OutputSet, AFullDiskLeavesThePreviousSet) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
  TempDir t;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", t.path().c_str(), "tmpfs", 0, "size=64k") != 0)
      ::_exit(4);  // no mount here: reported below
    const fs::path dir = t.path() / "run";
    write_a(dir);
    const Files a = contents(dir);
    int code = 5;
    try {
      write_b(dir);  // 100 kB into 64 kB
    } catch (const std::runtime_error& e) {
      code = std::string(e.what()).find("No space left on device") != std::string::npos ? 0 : 6;
    }
    if (code == 0 && (contents(dir) != a || !leftovers(dir).empty())) code = 7;
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 4) GTEST_SKIP() << "this machine refuses a private tmpfs mount even to root";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "5: no error, 6: another error, 7: the folder changed or leftovers";
}

}  // namespace
}  // namespace vg
