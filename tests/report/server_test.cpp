// `villagegrid serve` (report/server.h): it lists and shows the outputs in the folders given, and
// refuses every path outside them: "..", an absolute path, percent-encoded "..", and a symbolic
// link leading out.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <string>
#include <thread>

#include "report/server.h"
#include "support/cli_run.h"
#include "support/temp_files.h"
#include "support/test_server.h"

namespace {

namespace fs = std::filesystem;
using vg::report::resolve_inside;
using vg::testing::run_cli;
using vg::testing::TempDir;

TEST(ResolveInside, KeepsPathsInsideTheFolder) {
  TempDir dir;
  dir.write("served/run/summary.json", "{}");
  dir.write("secret.txt", "secret");
  const fs::path root = dir.path() / "served";
  fs::create_directory_symlink(dir.path(), root / "escape");
  fs::create_directory_symlink(root / "run", root / "alias");
  const fs::path canonical_root = fs::canonical(root);
  EXPECT_EQ(resolve_inside(root, "run/summary.json"), canonical_root / "run" / "summary.json");
  EXPECT_EQ(resolve_inside(root, ""), canonical_root);
  EXPECT_EQ(resolve_inside(root, "alias/summary.json"), canonical_root / "run" / "summary.json");
  EXPECT_EQ(resolve_inside(root, "run/missing.csv"), canonical_root / "run" / "missing.csv");
  for (const char* bad : {"../secret.txt", "run/../../secret.txt", "run/..", "/etc/passwd", "//etc/passwd",
                          "escape/secret.txt", "escape", "..\\secret.txt"})
    EXPECT_EQ(resolve_inside(root, bad), std::nullopt) << bad;
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"run", "a run#2"}) {
      const auto r =
          run_cli("run " + std::string(VILLAGEGRID_SOURCE_DIR) +
                  "/scenarios/pushan-2020.yaml --replicates 2 --quiet --out '" + (root() / name).string() + "'");
      ASSERT_EQ(r.status, 0) << r.output;
    }
    dir_.write("secret.txt", "secret");
    fs::create_directory_symlink(dir_.path(), root() / "escape");
    server_.start(std::make_unique<vg::report::Server>(std::vector<fs::path>{root()}, "test"));
    ASSERT_GT(server_.port(), 0);
  }
  void TearDown() override { server_.stop(); }
  fs::path root() const { return dir_.path() / "served"; }
  // The status of GET `path`, sent as written (no encoding by the client).
  int get(const std::string& path, std::string* body = nullptr) { return server_.get(path, body); }

  TempDir dir_;
  vg::testing::LoopbackServer server_;
};

TEST_F(ServeTest, ListsAndServesTheOutputs) {
  std::string body;
  ASSERT_EQ(get("/", &body), 200);
  EXPECT_NE(body.find("href=\"/report/0/run/\""), std::string::npos) << body;
  EXPECT_EQ(body.find("escape"), std::string::npos) << "symbolic links are not listed";
  // A name with a space and a '#' is encoded in the link, and found again.
  EXPECT_NE(body.find("href=\"/report/0/a%20run%232/\""), std::string::npos) << body;
  EXPECT_EQ(get("/files/0/a%20run%232/summary.json"), 200);
  EXPECT_EQ(get("/files/0/run/summary.json", &body), 200);
  EXPECT_NE(body.find("\"scenario\": \"pushan-2020\""), std::string::npos);
  // The report is served whole when the binary has its bundle (report_test checks the page).
  const int report = get("/report/0/run/", &body);
  EXPECT_TRUE(report == 200 || (report == 500 && body.find("without its report front end") != std::string::npos))
      << report << " " << body;
  EXPECT_EQ(get("/files/0/run/nothing.csv"), 404);
  // A folder's lock beside it (left by a killed run), and its hidden manifest, are not outputs.
  dir_.write("served/.run.lock", "");
  EXPECT_EQ(get("/files/0/.run.lock"), 404);
  EXPECT_EQ(get("/files/0/run/.villagegrid-outputs"), 404);
  EXPECT_EQ(get("/files/7/run/summary.json"), 404);
  EXPECT_EQ(get("/exercise/"), 404);  // no --exercise given (tests/report/control_room_test.cpp)
}

TEST_F(ServeTest, RefusesPathsOutsideTheFolders) {
  for (const char* path : {"/files/0/../secret.txt", "/files/0/run/../../secret.txt", "/files/0/%2e%2e/secret.txt",
                           "/files/0/%2E%2E/%2E%2E/etc/passwd", "/files/0//etc/passwd", "/files/0/%2fetc%2fpasswd",
                           "/files/0/escape/secret.txt", "/report/0/escape/", "/report/0/../"}) {
    std::string body;
    EXPECT_EQ(get(path, &body), 403) << path;
    EXPECT_EQ(body.find("secret"), std::string::npos) << path;
  }
}

// A second server on a port one is listening on is refused (`serve` then says the port is in
// use), rather than binding too and taking turns answering with its own folders.
TEST(ServePort, ABusyPortIsRefused) {
  TempDir dir;
  vg::testing::LoopbackServer first;
  first.start(std::make_unique<vg::report::Server>(std::vector<fs::path>{dir.path()}, "test"));
  ASSERT_GT(first.port(), 0);
  ASSERT_EQ(first.get("/"), 200);  // listening (a stop before the loop starts would not end it)
  vg::report::Server second({dir.path()}, "test");
  EXPECT_EQ(second.bind("127.0.0.1", first.port()), -1);
}

}  // namespace
