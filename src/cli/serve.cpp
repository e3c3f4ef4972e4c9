// `villagegrid serve [DIR...] [--exercise EXDIR]`: the local web app (report/server.h) over output
// folders: lists their runs, compares and plans and shows each one's report; with --exercise, the
// control room of a started exercise (report/control_room.h). Binds to 127.0.0.1 unless told.
#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "report/bundle.h"
#include "report/report.h"
#include "report/server.h"

namespace vg::cli {

namespace {

struct ServeArgs {
  std::vector<std::string> dirs;
  std::string exercise;
  std::string host = "127.0.0.1";
  int port = 8765;
};

int cmd_serve(const ServeArgs& a) {
  std::vector<std::filesystem::path> roots;
  const bool default_dirs = a.dirs.empty() && a.exercise.empty();
  for (const auto& d : default_dirs ? std::vector<std::string>{"runs"} : a.dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(d, ec)) {
      std::cerr << "villagegrid: serve: " << d << ": no such folder (give the folders holding your outputs, "
                << "for example runs)\n";
      return kExitBadInput;
    }
    roots.push_back(std::filesystem::absolute(d).lexically_normal());
  }
  if (report::report_bundle().empty())
    std::cerr << "villagegrid: serve: warning: built without the report front end (web/dist/report.js); "
                 "reports will say so\n";
  report::Server server(roots, VILLAGEGRID_VERSION);
  if (!a.exercise.empty()) {
    try {
      server.host_exercise(std::filesystem::absolute(a.exercise).lexically_normal());
    } catch (const report::ReportError& e) {
      std::cerr << "villagegrid: serve: " << e.what() << "\n";
      return kExitBadInput;
    }
  }
  const int port = server.bind(a.host, a.port);
  if (port < 0) {
    std::cerr << "villagegrid: serve: cannot listen on " << a.host << ":" << a.port
              << " (in use? try another --port, or --port 0 for any free one)\n";
    return kExitFailure;
  }
  std::cout << "villagegrid: serving " << roots.size() << " folder(s) at http://" << a.host << ":" << port
            << "/ (Ctrl-C stops)" << std::endl;
  if (!a.exercise.empty())
    std::cout << "villagegrid: the exercise control room is at http://" << a.host << ":" << port << "/exercise/"
              << std::endl;
  return server.listen() ? kExitOk : kExitFailure;
}

}  // namespace

Command add_serve(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve",
                                 "A local web app listing the runs, compares and plans in the given folders and "
                                 "showing their reports; serves nothing outside those folders");
  cmd->add_option("dirs", args->dirs, "Folders holding output folders (default: runs, unless --exercise is given)");
  cmd->add_option("--exercise", args->exercise,
                  "Host the control room of this exercise folder (of `exercise start`) at /exercise/");
  cmd->add_option("--port", args->port, "Port to listen on (0: any free one; default 8765)")
      ->check(whole_in_range(0, 65535));
  cmd->add_option("--host", args->host,
                  "Address to bind (default 127.0.0.1: this machine only; another address lets others in)");
  return {cmd, [args] { return cmd_serve(*args); }};
}

}  // namespace vg::cli
