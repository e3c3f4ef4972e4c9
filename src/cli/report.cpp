// `villagegrid report DIR -o FILE`: one self-contained HTML page (report/report.h) from an output
// folder of run, compare or plan, or an exercise folder (report/control_room.h).
#include <iostream>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "report/bundle.h"
#include "report/report.h"

namespace vg::cli {

namespace {

struct ReportArgs {
  std::string dir;
  std::string out;
};

}  // namespace

Command add_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand(
      "report",
      "Write one self-contained HTML page (charts, tables, headline answers; no network needed) from "
      "an output folder of run, compare or plan, or an exercise's folder");
  cmd->add_option("dir", args->dir,
                  "Output folder of `villagegrid run`, `compare`, `plan` or `exercise start` (their --out)")
      ->required();
  cmd->add_option("-o,--out", args->out, "The HTML file to write (default: DIR.html, beside the folder)");
  return {cmd, [args] {
            if (report::report_bundle().empty()) {
              std::cerr << "villagegrid: report: this villagegrid was built without its report front end "
                           "(web/dist/report.js): run tools/setup.sh, or `npm ci && npm run build` in web/, "
                           "then build again\n";
              return kExitFailure;
            }
            const std::filesystem::path dir = output_folder(args->dir);
            const std::filesystem::path out =
                args->out.empty() ? std::filesystem::path(dir.string() + ".html") : std::filesystem::path(args->out);
            // Its folder must exist: said as a missing folder, before the work (it read "cannot create
            // 'nodir/x.html.tmp.4578'", the temporary file's name).
            std::error_code ec;
            if (const auto parent = out.parent_path(); !parent.empty() && !std::filesystem::is_directory(parent, ec)) {
              std::cerr << no_such_path(parent, true) << " (the folder of -o " << out.string() << ")\n";
              return kExitBadInput;
            }
            std::string html;
            try {
              html = report::report_html(dir, VILLAGEGRID_VERSION);
            } catch (const report::ReportError& e) {
              std::cerr << "villagegrid: report: " << e.what() << "\n";
              return kExitBadInput;
            }
            write_file_atomic(out, html);
            std::cout << "villagegrid: wrote " << out.string() << " (" << html.size() / 1024 << " KiB)\n";
            return kExitOk;
          }};
}

}  // namespace vg::cli
