// Golden-file test of bad inputs (like cel-cpp's policy/testdata/*.baseline).
//
// Every tests/data/bad/NAME.yaml is checked with `villagegrid check NAME.yaml`, run from inside
// tests/data/bad (so the paths in messages are the relative NAME.yaml). Each case must exit with
// status 2 (bad input) within a few seconds, and its stderr must equal NAME.expected byte for byte.
// tests/data/bad/README.md lists the cases. tests/data/lint holds policies that are valid but draw
// the rule analysis's warnings (LintInput): the same, except that they must exit with status 0.
//
// To add a case or accept a deliberate change of messages, regenerate the goldens:
//
//   VILLAGEGRID_UPDATE_GOLDEN=1 build/tests/vg_test_cli --gtest_filter='BadInput*'
//
// which writes each actual output to NAME.expected instead of comparing (the exit status and the
// time limit are still checked). Then READ `git diff tests/data/bad`: every message must point at
// the right file:line:col and say clearly what is wrong.
//
// The huge-file case is not in the folder: a 5 MiB file is generated into a temporary folder at
// run time, so that no big file is committed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#ifndef VILLAGEGRID_CLI
#error "VILLAGEGRID_CLI must name the built villagegrid executable"
#endif
#ifndef VILLAGEGRID_TEST_DATA
#error "VILLAGEGRID_TEST_DATA must name tests/data"
#endif

namespace {

namespace fs = std::filesystem;

constexpr int kExitBadInput = 2;
// `timeout` kills a hung run after this long (exit status 124), so a hang fails instead of blocking CI.
constexpr int kKillAfterSeconds = 10;
// A run slower than this fails too: checking one hand-written file should take milliseconds.
constexpr double kMaxSeconds = 5.0;

fs::path bad_dir() { return fs::path(VILLAGEGRID_TEST_DATA) / "bad"; }
fs::path lint_dir() { return fs::path(VILLAGEGRID_TEST_DATA) / "lint"; }

bool update_golden() {
  const char* v = std::getenv("VILLAGEGRID_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

// Single-quotes `s` for /bin/sh.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

struct RunResult {
  int exit_status = -1;  // -1 when the shell did not exit normally
  std::string stderr_text;
  double seconds = 0;
};

// Runs `villagegrid check FILE` in `dir`; returns its exit status and what it wrote to stderr.
RunResult run_check(const fs::path& dir, const std::string& file) {
  const std::string cmd = "cd " + shell_quote(dir.string()) + " && timeout " + std::to_string(kKillAfterSeconds) + " " +
                          shell_quote(VILLAGEGRID_CLI) + " check " + shell_quote(file) + " 2>&1 >/dev/null";
  RunResult r;
  const auto t0 = std::chrono::steady_clock::now();
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    ADD_FAILURE() << "popen failed for: " << cmd;
    return r;
  }
  std::array<char, 65536> buf;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.stderr_text.append(buf.data(), n);
  const int status = pclose(p);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (status != -1 && WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
  return r;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// NAME of every NAME.yaml in `dir` (tests/data/bad unless told), sorted.
std::vector<std::string> case_names(const fs::path& dir = bad_dir()) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The first line where `a` and `b` differ (1-based), to point at the change in a long output.
int first_difference(const std::string& a, const std::string& b) {
  int line = 1;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) return line;
    if (a[i] == '\n') ++line;
  }
  return line;
}

// Checks case `name` of `dir` against its golden: exit status `status`, stderr NAME.expected.
void check_golden(const fs::path& dir, const std::string& name, int status) {
  const fs::path expected_path = dir / (name + ".expected");
  const RunResult r = run_check(dir, name + ".yaml");

  EXPECT_EQ(r.exit_status, status) << name << ".yaml: expected exit status " << status
                                   << "; 124 means it was killed after " << kKillAfterSeconds << " s. Output:\n"
                                   << r.stderr_text;
  EXPECT_LT(r.seconds, kMaxSeconds) << name << ".yaml took " << r.seconds << " s to check";

  if (update_golden()) {
    std::ofstream(expected_path, std::ios::binary) << r.stderr_text;
    std::printf("updated %s\n", expected_path.string().c_str());
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; run with VILLAGEGRID_UPDATE_GOLDEN=1 to write it, then review it. Actual:\n"
      << r.stderr_text;
  const std::string expected = read_file(expected_path);
  EXPECT_TRUE(r.stderr_text == expected)
      << name << ".yaml: stderr differs from " << name << ".expected (first difference at line "
      << first_difference(expected, r.stderr_text) << ").\n"
      << "----- expected -----\n"
      << expected << "----- actual -----\n"
      << r.stderr_text << "-----\n"
      << "If the change is intended, rerun with VILLAGEGRID_UPDATE_GOLDEN=1 and review the diff.";
}

class BadInput : public testing::TestWithParam<std::string> {};
TEST_P(BadInput, MatchesGolden) { check_golden(bad_dir(), GetParam(), kExitBadInput); }

// Valid policies the rule analysis warns about: exit 0, warnings as in the golden.
class LintInput : public testing::TestWithParam<std::string> {};
TEST_P(LintInput, MatchesGolden) { check_golden(lint_dir(), GetParam(), 0); }

// Test names allow only letters, digits and '_'.
std::string param_name(const testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, testing::ValuesIn(case_names()), param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BadInput);  // reported by CorpusIsComplete instead
INSTANTIATE_TEST_SUITE_P(Corpus, LintInput, testing::ValuesIn(case_names(lint_dir())), param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LintInput);

TEST(BadInputCorpus, CorpusIsComplete) {
  const auto names = case_names();
  EXPECT_GE(names.size(), 22u) << "tests/data/bad should hold at least 22 cases; found " << names.size() << " in "
                               << bad_dir();
  EXPECT_GE(case_names(lint_dir()).size(), 5u) << "tests/data/lint should hold a case for each kind of finding";
  // Every golden belongs to a case (a renamed case must not leave its old golden behind).
  for (const fs::path& dir : {bad_dir(), lint_dir()}) {
    const auto cases = case_names(dir);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() != ".expected") continue;
      EXPECT_TRUE(std::binary_search(cases.begin(), cases.end(), e.path().stem().string()))
          << e.path() << " has no matching .yaml case";
    }
  }
}

// A file over the size limit is refused at once, with a message naming the limit. Generated here
// (5 MiB) rather than committed.
TEST(BadInputCorpus, HugeFileIsRefused) {
  const fs::path dir =
      fs::temp_directory_path() / ("villagegrid-bad-input-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  ASSERT_TRUE(fs::create_directories(dir));
  {
    std::ofstream out(dir / "huge.yaml", std::ios::binary);
    out << "# 5 MiB of comments: over the size limit of a villagegrid file.\n";
    const std::string line(1023, '#');
    for (int i = 0; i < 5 * 1024; ++i) out << line << '\n';
  }
  ASSERT_GT(fs::file_size(dir / "huge.yaml"), 5u << 20);

  const RunResult r = run_check(dir, "huge.yaml");
  std::error_code ec;
  fs::remove_all(dir, ec);

  EXPECT_EQ(r.exit_status, kExitBadInput) << r.stderr_text;
  EXPECT_LT(r.seconds, kMaxSeconds);
  EXPECT_NE(r.stderr_text.find("huge.yaml:1:1: error: "), std::string::npos) << r.stderr_text;
  EXPECT_TRUE(std::regex_search(r.stderr_text, std::regex("limit of [0-9]+ bytes")))
      << "the message should name the size limit:\n"
      << r.stderr_text;
  // The refusal quotes one line, not the file.
  EXPECT_LT(r.stderr_text.size(), 4096u) << r.stderr_text.substr(0, 4096);
}

}  // namespace
