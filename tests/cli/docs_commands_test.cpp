// Every command shown in README.md and docs/*.md runs as the docs say. The commands are the
// `villagegrid ...` lines (with their `\` continuations) of ```sh and ```console blocks; each runs
// from a scratch folder holding copies of scenarios/ and rules/, with `villagegrid` (and
// `build/src/cli/villagegrid`) the build's binary, and must exit 0. The conventions a doc may use
// (README.md, "Using it"):
//   `# exit N`       the command is expected to fail with status N;
//   `# prints: TEXT` its output must contain TEXT;
//   `# slow`         it runs with `--replicates 2` instead of the replicates it shows;
//   a block whose first line is `# run as a whole` runs as one script (its other lines prepare
//   the command, e.g. copies of a scenario), with `set -e`.
// ```text blocks (synopses with placeholders) are not run. The example scenario at the top of
// docs/scenarios.md is checked too: it must load with no warning and run.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

namespace fs = std::filesystem;
using vg::testing::read_file;
using vg::testing::run_shell;
using vg::testing::TempDir;

struct DocCommand {
  std::string where;   // "docs/planning.md:15"
  std::string script;  // what bash runs
  int status = 0;      // the exit status expected
  std::vector<std::string> prints;
};

// The commands of one block, run in order in one scratch folder (a later one may read what an
// earlier one wrote).
struct DocBlock {
  std::string where;
  std::vector<DocCommand> commands;
};

void PrintTo(const DocBlock& b, std::ostream* os) { *os << b.where; }

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits a shell line into the command and its trailing comment (after a '#' that starts a word,
// outside quotes).
std::pair<std::string, std::string> split_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ')) {
      return {trim(line.substr(0, i)), trim(line.substr(i + 1))};
    }
  }
  return {trim(line), ""};
}

// One command line as bash runs it: the build's binary through PATH, fewer replicates when slow.
std::string command_of(std::string cmd, const std::string& comment) {
  if (cmd.rfind("$ ", 0) == 0) cmd = cmd.substr(2);
  cmd = std::regex_replace(cmd, std::regex(R"(^build/src/cli/villagegrid\b)"), "villagegrid");
  if (std::regex_search(comment, std::regex(R"(\bslow\b)"))) {
    const std::regex reps(R"(--replicates\s+\d+)");
    cmd = std::regex_search(cmd, reps) ? std::regex_replace(cmd, reps, "--replicates 2") : cmd + " --replicates 2";
  }
  return cmd;
}

bool is_villagegrid(const std::string& line) {
  return std::regex_search(line, std::regex(R"(^(\$ )?(build/src/cli/)?villagegrid\b)"));
}

DocCommand expectations(DocCommand c, const std::string& comment) {
  std::smatch m;
  if (std::regex_search(comment, m, std::regex(R"(\bexit (\d+))"))) c.status = std::stoi(m[1]);
  if (std::regex_search(comment, m, std::regex(R"(prints: (.*)$)"))) c.prints.push_back(trim(m[1]));
  return c;
}

// The logical lines of a block: continuation lines joined, each with the line number it starts on.
std::vector<std::pair<int, std::string>> logical_lines(const std::vector<std::string>& lines, int first_line) {
  std::vector<std::pair<int, std::string>> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    const int at = first_line + int(i);
    std::string l = trim(lines[i]);
    while (!l.empty() && l.back() == '\\' && i + 1 < lines.size()) l = l.substr(0, l.size() - 1) + trim(lines[++i]);
    out.push_back({at, l});
  }
  return out;
}

DocBlock block_of(const std::string& file, const std::vector<std::string>& lines, int first_line) {
  DocBlock b{file + ":" + std::to_string(first_line), {}};
  const auto logical = logical_lines(lines, first_line);
  if (!logical.empty() && logical[0].second == "# run as a whole") {
    DocCommand c{b.where, "set -e\n", 0, {}};
    for (const auto& [at, l] : logical) {
      const auto [cmd, comment] = split_comment(l);
      c.script += command_of(cmd, comment) + "\n";
    }
    b.commands.push_back(c);
    return b;
  }
  for (const auto& [at, l] : logical) {
    if (!is_villagegrid(l)) continue;
    const auto [cmd, comment] = split_comment(l);
    b.commands.push_back(expectations({file + ":" + std::to_string(at), command_of(cmd, comment), 0, {}}, comment));
  }
  return b;
}

std::vector<DocBlock> doc_blocks() {
  const fs::path root = VILLAGEGRID_SOURCE_DIR;
  std::vector<fs::path> files = {root / "README.md"};
  std::vector<fs::path> docs;
  for (const auto& e : fs::directory_iterator(root / "docs"))
    if (e.path().extension() == ".md") docs.push_back(e.path());
  std::sort(docs.begin(), docs.end());
  files.insert(files.end(), docs.begin(), docs.end());
  std::vector<DocBlock> out;
  for (const auto& f : files) {
    const std::string name = fs::relative(f, root).string();
    std::vector<std::string> lines;
    std::istringstream in(read_file(f));
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string t = trim(lines[i]);
      if (t.rfind("```", 0) != 0) continue;
      const std::string info = trim(t.substr(3));
      size_t end = i + 1;
      while (end < lines.size() && trim(lines[end]).rfind("```", 0) != 0) ++end;
      if (info == "sh" || info == "console") {
        auto b = block_of(name, {lines.begin() + long(i) + 1, lines.begin() + long(end)}, int(i) + 2);
        if (!b.commands.empty()) out.push_back(std::move(b));
      }
      i = end;
    }
  }
  return out;
}

// A scratch folder with copies of scenarios/ and rules/, and bin/villagegrid the build's binary.
struct Scratch {
  TempDir dir;
  Scratch() {
    const fs::path root = VILLAGEGRID_SOURCE_DIR;
    for (const char* d : {"scenarios", "rules"}) fs::copy(root / d, dir.path() / d, fs::copy_options::recursive);
    fs::create_directories(dir.path() / "bin");
    fs::create_symlink(fs::absolute(VILLAGEGRID_CLI), dir.path() / "bin" / "villagegrid");
  }
  vg::testing::CliResult run(const std::string& script) const {
    const std::string file = dir.write("docs-command.sh", script + "\n");
    return run_shell("cd '" + dir.path().string() + "' && PATH='" + (dir.path() / "bin").string() +
                     "':\"$PATH\" timeout 300 bash '" + file + "' 2>&1");
  }
};

class DocCommands : public ::testing::TestWithParam<DocBlock> {};

TEST_P(DocCommands, RunAsDocumented) {
  Scratch scratch;
  for (const DocCommand& c : GetParam().commands) {
    const auto r = scratch.run(c.script);
    EXPECT_EQ(r.status, c.status) << c.where << ": " << c.script << "\n" << r.output;
    for (const auto& p : c.prints)
      EXPECT_NE(r.output.find(p), std::string::npos) << c.where << ": the output lacks '" << p << "'\n" << r.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, DocCommands, ::testing::ValuesIn(doc_blocks()),
                         [](const ::testing::TestParamInfo<DocBlock>& param) {
                           std::string name = param.param.where;
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

// The parser finds the commands it should (a broken parser would pass by finding none).
TEST(DocCommandsFound, ReadmeAndDocsHaveCommands) {
  std::vector<DocCommand> all;
  for (const auto& b : doc_blocks()) all.insert(all.end(), b.commands.begin(), b.commands.end());
  auto count = [&](const std::string& file) {
    return std::count_if(all.begin(), all.end(),
                         [&](const DocCommand& c) { return c.where.rfind(file + ":", 0) == 0; });
  };
  EXPECT_GE(count("README.md"), 6);
  EXPECT_GE(count("docs/planning.md"), 2);
  EXPECT_GE(count("docs/guidelines.md"), 3);
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const DocCommand& c) { return c.status == 2; }));
}

// The example at the top of docs/scenarios.md is a scenario that loads without a warning (its
// "5+1" teams can be complete) and runs.
TEST(DocScenario, ExampleLoadsWithoutWarningsAndRuns) {
  const std::string doc = read_file(fs::path(VILLAGEGRID_SOURCE_DIR) / "docs" / "scenarios.md");
  const size_t begin = doc.find("```yaml\n");
  ASSERT_NE(begin, std::string::npos);
  const size_t end = doc.find("```", begin + 8);
  Scratch scratch;
  scratch.dir.write("scenarios/example.yaml", doc.substr(begin + 8, end - begin - 8));
  auto r = scratch.run("villagegrid check scenarios/example.yaml");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("1 file(s) checked: 0 error(s), 0 warning(s)"), std::string::npos) << r.output;
  r = scratch.run("villagegrid run scenarios/example.yaml --replicates 2 --out runs/example");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("team complete on 100.0% of tracked days"), std::string::npos) << r.output;
}

}  // namespace
