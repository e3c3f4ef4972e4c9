// Test helper: a temporary folder, removed at the end of the test, to write YAML inputs into.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace vg::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ =
        std::filesystem::temp_directory_path() / ("villagegrid-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to `name` inside the folder and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

// A scenario written as scenarios/NAME inside `dir`, beside links to the shipped rules/ and
// scenarios/grids/ of `source` (the checkout), so that a shipped scenario's text, changed, reads
// its relative paths as the shipped file does. Returns its path.
inline std::string write_beside_shipped(const TempDir& dir, const std::string& source, const std::string& name,
                                        const std::string& text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir.path() / "scenarios");
  fs::create_directory_symlink(fs::path(source) / "rules", dir.path() / "rules", ec);
  fs::create_directory_symlink(fs::path(source) / "scenarios" / "grids", dir.path() / "scenarios" / "grids", ec);
  return dir.write("scenarios/" + name, text);
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace vg::testing
