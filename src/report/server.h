// `villagegrid serve`: a local web app (cpp-httplib) over the output folders it is given: a page
// listing the runs, compares and plans in them, and each one's report (report.h), made when asked;
// with an exercise folder, its control room under /exercise/ (control_room.h).
// It serves nothing outside those folders: a path with "..", an absolute path, or one that a
// symbolic link takes outside its folder is refused (403). docs/reports.md.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vg::report {

// `rel` (a URL path below a served folder, decoded) as a path inside `root`, or nothing when it
// would leave it: an absolute path, a ".." component, or a symbolic link leading out of `root`.
std::optional<std::filesystem::path> resolve_inside(const std::filesystem::path& root, std::string_view rel);

// The output folders (report.h's folder_kind) at or below `root`, three levels deep at most,
// relative to it and sorted; symbolic links are not followed.
std::vector<std::filesystem::path> list_outputs(const std::filesystem::path& root);

class Server {
 public:
  // `roots`: the folders served (each must exist); `version`: shown in the pages.
  Server(std::vector<std::filesystem::path> roots, std::string version);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Hosts the control room of this started exercise folder under /exercise/ (ReportError when it
  // holds no exercise.log). Without one, /exercise/ answers 404 saying how to give one.
  void host_exercise(const std::filesystem::path& dir);
  // Binds `host`:`port` (port 0: any free one); returns the port, or -1 when it cannot bind.
  int bind(const std::string& host, int port);
  // Serves until stop() (from another thread); false when the server failed.
  bool listen();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vg::report
