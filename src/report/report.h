// `villagegrid report DIR`: one self-contained HTML page (data and scripts inlined, nothing fetched)
// from an output folder of `run`, `compare` or `plan`: the scenario in a paragraph, the headline
// answers, charts with PNG export, and tables (docs/reports.md). The same folder gives the same
// bytes.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace vg::report {

// A folder that cannot be reported, or a binary built without the front end's bundle; the message
// names the folder or file and what was expected.
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command whose outputs `dir` holds: "run" (summary.json), "compare" (compare.json), "plan"
// (plan.json), "exercise" (exercise.log: an exercise's folder, shown by control_room.h); empty when
// none.
std::string folder_kind(const std::filesystem::path& dir);

// What the page draws, as JSON: the folder's kind, its files' contents (summary.json, compare.json,
// plan.json and plan.csv's rows) and timeseries.csv's days as bands over replicates.
std::string report_data_json(const std::filesystem::path& dir);

// The page: report_data_json and the bundle (report/bundle.h) inlined into one HTML file; for an
// exercise folder, the control room's page with its state inlined (control_room.h).
std::string report_html(const std::filesystem::path& dir, const std::string& version);

}  // namespace vg::report
