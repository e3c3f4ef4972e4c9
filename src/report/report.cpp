#include "report/report.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "report/bundle.h"
#include "report/control_room.h"
#include "report/text.h"
#include "report/timeseries_bands.h"

namespace vg::report {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

constexpr size_t kMaxVillageRecords = 100;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ReportError(p.string() + ": cannot read it");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ordered_json read_json(const fs::path& p) {
  try {
    return ordered_json::parse(read_text(p));
  } catch (const nlohmann::json::exception& e) {
    throw ReportError(p.string() + ": not valid JSON (" + e.what() + ")");
  }
}

// An output file as villagegrid writes it: an object with its version and the keys the page reads
// (valid JSON of another shape drew a blank page and exit 0).
ordered_json read_output(const fs::path& p, std::initializer_list<const char*> keys) {
  ordered_json j = read_json(p);
  std::string missing;
  for (const char* k : keys)
    if (!j.is_object() || !j.contains(k)) missing += std::string(missing.empty() ? "" : ", ") + "'" + k + "'";
  if (!missing.empty())
    throw ReportError(p.string() + ": not a villagegrid output (no " + missing + "): expected the file `villagegrid " +
                      (p.filename() == "summary.json"   ? "run"
                       : p.filename() == "compare.json" ? "compare"
                                                        : "plan") +
                      "` writes");
  return j;
}

// A CSV (plan.csv, whose target columns are quoted where they hold a comma) as records: numbers
// as numbers, empty fields null.
ordered_json csv_records(const fs::path& p) {
  std::istringstream in(read_text(p));
  std::string line;
  ordered_json rows = ordered_json::array();
  if (!std::getline(in, line)) return rows;
  const std::vector<std::string> names = csv_fields(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = csv_fields(line);
    ordered_json r = ordered_json::object();
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string s = i < f.size() ? f[i] : std::string();
      char* end = nullptr;
      const double x = s.empty() ? 0.0 : std::strtod(s.c_str(), &end);
      if (s.empty())
        r[names[i]] = nullptr;
      else if (end && *end == '\0')
        r[names[i]] = x;
      else
        r[names[i]] = s;
    }
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

std::string folder_kind(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_regular_file(dir / "summary.json", ec)) return "run";
  if (fs::is_regular_file(dir / "compare.json", ec)) return "compare";
  if (fs::is_regular_file(dir / "plan.json", ec)) return "plan";
  if (fs::is_regular_file(dir / "exercise.log", ec)) return "exercise";
  return "";
}

std::string report_data_json(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ReportError(dir.string() + (fs::exists(dir, ec) ? ": a file, not a folder" : ": no such folder") +
                      ": expected an output folder");
  const std::string kind = folder_kind(dir);
  if (kind.empty())
    throw ReportError(dir.string() +
                      ": no summary.json, compare.json, plan.json or exercise.log here: expected the output folder "
                      "of `villagegrid run`, `compare`, `plan` or `exercise start` (their --out)");
  if (kind == "exercise") return ControlRoom(dir).state_json(false);
  ordered_json j;
  j["kind"] = kind;
  j["folder"] = dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
  if (kind == "run") {
    j["summary"] = read_output(dir / "summary.json", {"villagegrid", "scenario", "metrics"});
    // A region of many villages: the page keeps the region's and towns' records (the villages'
    // stay in summary.json), so that it opens quickly.
    if (auto& s = j["summary"]; s.contains("villages") && s["villages"].size() > kMaxVillageRecords &&
                                s.contains("metrics") && s["metrics"].is_array()) {
      ordered_json kept = ordered_json::array();
      for (auto& m : s["metrics"])
        if (m.value("scope", "") != "village") kept.push_back(std::move(m));
      s["metrics"] = std::move(kept);
      j["village_records_omitted"] = true;
    }
    if (fs::is_regular_file(dir / "timeseries.csv", ec)) j["timeseries"] = timeseries_bands(dir / "timeseries.csv");
    if (fs::is_regular_file(dir / "roles_by_day.csv", ec))
      j["roles_by_day"] = timeseries_bands(dir / "roles_by_day.csv", "town");
  } else if (kind == "compare") {
    j["compare"] = read_output(dir / "compare.json", {"villagegrid", "configurations", "metrics"});
  } else {
    j["plan"] = read_output(dir / "plan.json", {"villagegrid", "parts", "check"});
    if (fs::is_regular_file(dir / "plan.csv", ec)) j["candidates"] = csv_records(dir / "plan.csv");
  }
  return j.dump();
}

std::string report_html(const fs::path& dir, const std::string& version) {
  if (folder_kind(dir) == "exercise") return ControlRoom(dir).page_html(version, ControlRoom::Page::Report);
  const std::string_view bundle = report_bundle();
  if (bundle.empty())
    throw ReportError(
        "this villagegrid was built without its report front end (web/dist/report.js): run tools/setup.sh, "
        "or `npm ci && npm run build` in web/, then build again");
  const std::string data = report_data_json(dir);
  const std::string title = "villagegrid report: " + dir.lexically_normal().filename().string();
  std::string out;
  out.reserve(data.size() + bundle.size() + 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"villagegrid " + html_escape(version) + "\">\n";
  // Nothing is fetched: everything the page needs is in this file.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
      "style-src 'unsafe-inline'; img-src data: blob:\">\n";
  out += "<title>" + html_escape(title) + "</title>\n</head>\n<body>\n";
  out +=
      "<main id=\"vg-report\"><noscript>This report draws its charts and tables with JavaScript; "
      "the data is in the script element vg-data below.</noscript></main>\n";
  out += "<script type=\"application/json\" id=\"vg-data\">" + script_safe_json(data) + "</script>\n";
  out += "<script>" + script_safe_bundle(bundle) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace vg::report
