// The exercise control room of `villagegrid serve --exercise DIR` (report/control_room.h): its state
// is the console's, a command POSTed from the page does what the same line does at the console
// (same log, same state.json byte for byte), a bad command is refused with the console's own error
// text and changes nothing, a folder locked by another holder answers 409, a command not sent as
// same-origin JSON is refused, and no path outside the exercise folder is served.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "core/atomic_file.h"
#include "report/server.h"
#include "support/cli_run.h"
#include "support/temp_files.h"
#include "support/test_server.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using vg::testing::run_cli;
using vg::testing::run_shell;
using vg::testing::TempDir;

const std::string kDrill = std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/exercises/spring-festival-drill.yaml";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ControlRoomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + ex().string()).status, 0);  // day 3, the surge
    dir_.write("secret.txt", "secret");
    auto server = std::make_unique<vg::report::Server>(std::vector<fs::path>{}, "test");
    server->host_exercise(ex());
    server_.start(std::move(server));
    port_ = server_.port();
    ASSERT_GT(port_, 0);
  }
  void TearDown() override { server_.stop(); }
  fs::path ex() const { return dir_.path() / "ex"; }
  int get(const std::string& path, std::string* body = nullptr) { return server_.get(path, body); }
  json state() {
    std::string body;
    EXPECT_EQ(get("/exercise/api/state", &body), 200);
    return json::parse(body);
  }
  // POSTs {"command": line} as the page does; returns the status and the reply.
  int post(const std::string& line, json* reply = nullptr, const std::string& type = "application/json",
           const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    const auto res = client.Post("/exercise/api/command", headers, json{{"command", line}}.dump(), type);
    if (!res) return -1;
    if (reply) *reply = json::parse(res->body);
    return res->status;
  }

  TempDir dir_;
  vg::testing::LoopbackServer server_;
  int port_ = 0;
};

TEST_F(ControlRoomTest, StateIsTheConsoles) {
  const json s = state();
  EXPECT_EQ(s["view"], json::parse(read_file(ex() / "state.json")));  // what the console wrote
  EXPECT_EQ(s["view"]["day"], 3);
  EXPECT_EQ(s["name"], "spring-festival-drill");
  ASSERT_EQ(s["injects"].size(), 1u);
  EXPECT_EQ(s["injects"][0]["id"], "surge-bus");
  EXPECT_EQ(s["injects"][0]["new"], true);
  EXPECT_EQ(s["names"]["villages"], json::array({"Pushan"}));
  // What the move, raise and set forms offer: the policy's task kinds, repeated tasks, templates.
  const auto has = [&](const char* list, const char* name) {
    const auto& a = s["names"][list];
    return std::find(a.begin(), a.end(), name) != a.end();
  };
  EXPECT_TRUE(has("tasks", "screening"));
  EXPECT_TRUE(has("repeated", "household-sweep"));
  EXPECT_TRUE(has("templates", "five_plus_one"));
  EXPECT_TRUE(s["names"]["events"].is_array());
  // Each played village's own names (the forms offer the chosen village's): one village, the union.
  for (const char* list : {"posts", "channels", "events", "tasks", "repeated", "templates"})
    EXPECT_EQ(s["names"]["of_village"]["Pushan"][list], s["names"][list]) << list;
  EXPECT_FALSE(s["locked"]);
  EXPECT_TRUE(s["review"].is_null());
  std::string page;
  ASSERT_EQ(get("/exercise/", &page), 200);
  EXPECT_NE(page.find("data-mode=\"control\""), std::string::npos);
  EXPECT_NE(page.find("connect-src 'self'"), std::string::npos);
  ASSERT_EQ(get("/exercise/projector", &page), 200);
  EXPECT_NE(page.find("data-mode=\"projector\""), std::string::npos);
}

// Villages under their own policies (the six-village drill): the state gives each played village's
// own names beside their union, so a form offers only what the chosen village's policy has.
TEST(ControlRoom, NamesOfEachVillagesOwnPolicy) {
  TempDir dir;
  const fs::path ex = dir.path() / "six";
  ASSERT_EQ(run_cli("exercise start " + std::string(VILLAGEGRID_SOURCE_DIR) +
                    "/scenarios/exercises/six-villages-drill.yaml --out " + ex.string())
                .status,
            0);
  auto server = std::make_unique<vg::report::Server>(std::vector<fs::path>{}, "test");
  server->host_exercise(ex);
  vg::testing::LoopbackServer loop;
  loop.start(std::move(server));
  ASSERT_GT(loop.port(), 0);
  std::string body;
  ASSERT_EQ(loop.get("/exercise/api/state", &body), 200);
  const json names = json::parse(body)["names"];
  EXPECT_EQ(names["events"], json::array({"wartime_declared"}));  // the union
  EXPECT_EQ(names["of_village"]["Longshan"]["events"], json::array({"wartime_declared"}));
  EXPECT_EQ(names["of_village"]["Pushan"]["events"], json::array());
  EXPECT_EQ(names["of_village"]["Yunshi"]["posts"], json::array({"vanguard-post"}));
  EXPECT_EQ(names["of_village"].size(), names["villages"].size());
}

TEST_F(ControlRoomTest, CommandsDoWhatTheConsoleDoes) {
  json reply;
  ASSERT_EQ(post("add 4 village_cadre to Pushan", &reply), 200) << reply.dump();
  EXPECT_TRUE(reply["ok"]);
  EXPECT_EQ(reply["state"]["view"]["decisions"], json::array({"day 3: add 4 village_cadre to Pushan"}));
  ASSERT_EQ(post("next", &reply), 200) << reply.dump();
  EXPECT_EQ(reply["state"]["view"]["day"], 5);
  ASSERT_EQ(reply["state"]["injects"].size(), 2u);
  EXPECT_EQ(reply["state"]["injects"][1]["id"], "doctor-ill");
  EXPECT_EQ(reply["state"]["injects"][1]["new"], true);
  EXPECT_EQ(reply["state"]["injects"][0]["new"], false);
  // The same two steps from the terminal give the same log and the same state, byte for byte.
  const fs::path twin = dir_.path() / "twin";
  ASSERT_EQ(run_cli("exercise start " + kDrill + " --out " + twin.string()).status, 0);
  ASSERT_EQ(run_shell("printf 'add 4 village_cadre to Pushan\\nnext\\n' | timeout 120 " + std::string(VILLAGEGRID_CLI) +
                      " exercise console " + twin.string() + " >/dev/null 2>&1")
                .status,
            0);
  EXPECT_EQ(read_file(ex() / "exercise.log"), read_file(twin / "exercise.log"));
  EXPECT_EQ(read_file(ex() / "state.json"), read_file(twin / "state.json"));
  EXPECT_EQ(state()["view"], json::parse(read_file(twin / "state.json")));
}

TEST_F(ControlRoomTest, BadCommandIsRefusedWithTheConsolesErrorText) {
  const std::string log = read_file(ex() / "exercise.log");
  json reply;
  ASSERT_EQ(post("add 2 vilage_cadre to Pushan", &reply), 400);
  EXPECT_FALSE(reply["ok"]);
  const std::string error = reply["error"];
  EXPECT_NE(error.find("<console>:1:7: error: unknown role 'vilage_cadre'; did you mean 'village_cadre'?"),
            std::string::npos)
      << error;
  // The console, given the same line at its prompt, prints the same text.
  const auto console = run_shell("echo 'add 2 vilage_cadre to Pushan' | timeout 120 " + std::string(VILLAGEGRID_CLI) +
                                 " exercise console " + ex().string() + " 2>&1 >/dev/null");
  EXPECT_EQ(console.status, 2);
  // Then, from a pipe, the console stops there (the web page goes on: a person is at it).
  EXPECT_EQ(console.output, error +
                                "villagegrid: stopped at <console> line 1, the first refused command; the lines "
                                "after it were not run (fix it and run the rest)\n");
  EXPECT_EQ(post("advance 0", &reply), 400);
  EXPECT_EQ(std::string(reply["error"]), "villagegrid: advance takes a number of days, at least 1\n");
  EXPECT_EQ(post("add 2 village_cadre to Pushan\nnext", &reply), 400);
  EXPECT_EQ(read_file(ex() / "exercise.log"), log);  // nothing logged
}

TEST_F(ControlRoomTest, LockedFolderAnswers409) {
  const std::string log = read_file(ex() / "exercise.log");
  {
    vg::OutputLock console(ex());  // as an open console holds it
    EXPECT_TRUE(state()["locked"]);
    json reply;
    EXPECT_EQ(post("add 4 village_cadre to Pushan", &reply), 409);
    EXPECT_NE(std::string(reply["error"]).find("in use by another villagegrid"), std::string::npos) << reply.dump();
  }
  EXPECT_FALSE(state()["locked"]);
  EXPECT_EQ(read_file(ex() / "exercise.log"), log);
  EXPECT_EQ(post("add 4 village_cadre to Pushan"), 200);
}

TEST_F(ControlRoomTest, OnlySameOriginJsonCommands) {
  const std::string log = read_file(ex() / "exercise.log");
  EXPECT_EQ(post("next", nullptr, "text/plain"), 415);
  EXPECT_EQ(post("next", nullptr, "application/json", {{"Origin", "http://evil.example"}}), 403);
  EXPECT_EQ(post("next", nullptr, "application/json", {{"Sec-Fetch-Site", "cross-site"}}), 403);
  EXPECT_EQ(read_file(ex() / "exercise.log"), log);
  httplib::Client client("127.0.0.1", port_);
  const auto res = client.Post("/exercise/api/command", "[1,2]", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

TEST_F(ControlRoomTest, ServesNothingOutsideTheExerciseFolder) {
  std::string body;
  EXPECT_EQ(get("/exercise/files/exercise.log", &body), 200);
  EXPECT_EQ(body, read_file(ex() / "exercise.log"));
  fs::create_directory_symlink(dir_.path(), ex() / "escape");
  for (const char* path : {"/exercise/files/../secret.txt", "/exercise/files/%2e%2e/secret.txt",
                           "/exercise/files/%2E%2E/%2E%2E/etc/passwd", "/exercise/files//etc/passwd",
                           "/exercise/files/%2fetc%2fpasswd", "/exercise/files/escape/secret.txt"}) {
    EXPECT_EQ(get(path, &body), 403) << path;
    EXPECT_EQ(body.find("secret"), std::string::npos) << path;
  }
  EXPECT_EQ(get("/exercise/files/review.md"), 404);  // not reviewed yet
  EXPECT_EQ(get("/exercise/nothing"), 404);
}

TEST_F(ControlRoomTest, ReviewShowsOnceWritten) {
  json reply;
  ASSERT_EQ(post("review", &reply), 200) << reply.dump();
  EXPECT_NE(std::string(reply["output"]).find("screen-surge: "), std::string::npos) << reply.dump();
  const json s = state();
  ASSERT_TRUE(s["review"].is_object());
  int objectives = 0, comparisons = 0;
  for (const auto& r : s["review"]["rows"]) {
    objectives += r["section"] == "objective";
    comparisons += r["section"] == "comparison";
  }
  EXPECT_EQ(objectives, 3);  // the drill's three objectives
  EXPECT_GT(comparisons, 0);
  EXPECT_EQ(get("/exercise/files/review.md"), 200);
  // The day it was taken, which stays when the exercise moves on (the page says it is an earlier one).
  EXPECT_EQ(s["review"]["day"], 3);
  ASSERT_EQ(post("advance 2"), 200);
  EXPECT_EQ(state()["review"]["day"], 3);
  EXPECT_EQ(state()["view"]["day"], 5);
}

// `villagegrid report EXDIR`: the page with the state inlined, nothing to fetch, the same bytes.
TEST_F(ControlRoomTest, ReportOfTheExerciseFolder) {
  ASSERT_EQ(post("review"), 200);
  const fs::path a = dir_.path() / "a.html", b = dir_.path() / "b.html";
  ASSERT_EQ(run_cli("report " + ex().string() + " -o " + a.string()).status, 0);
  ASSERT_EQ(run_cli("report " + ex().string() + "/ -o " + b.string()).status, 0);
  const std::string page = read_file(a);
  EXPECT_EQ(page, read_file(b));
  EXPECT_NE(page.find("data-mode=\"report\""), std::string::npos);
  EXPECT_EQ(page.find("connect-src"), std::string::npos);  // nothing fetched
  const auto data = page.find("<script type=\"application/json\" id=\"vg-data\">");
  ASSERT_NE(data, std::string::npos);
  const auto start = page.find('>', data) + 1;
  const json s = json::parse(page.substr(start, page.find("</script>", start) - start));
  EXPECT_EQ(s["view"], json::parse(read_file(ex() / "state.json")));
  EXPECT_EQ(s["folder"], "ex");
  EXPECT_TRUE(s["review"].is_object());
}

TEST(ControlRoom, RefusesAFolderWithoutAnExercise) {
  TempDir dir;
  vg::report::Server server({}, "test");
  EXPECT_THROW(server.host_exercise(dir.path()), std::runtime_error);
  const auto r = run_cli("serve --exercise " + dir.path().string() + " --port 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no exercise.log here"), std::string::npos) << r.output;
}

}  // namespace
