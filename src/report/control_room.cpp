#include "report/control_room.h"

#include <charconv>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "core/diagnostics.h"
#include "exercise/console.h"
#include "exercise/view.h"
#include "report/bundle.h"
#include "report/report.h"
#include "report/text.h"

namespace vg::report {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The records of a CSV with a header and RFC 4180 quoting (review.csv quotes fields with commas).
ordered_json csv_quoted_records(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  ordered_json out = ordered_json::array();
  if (rows.empty()) return out;
  const auto& header = rows.front();
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].empty()) continue;
    ordered_json rec = ordered_json::object();
    for (size_t k = 0; k < header.size(); ++k) rec[header[k]] = k < rows[r].size() ? rows[r][k] : std::string();
    out.push_back(std::move(rec));
  }
  return out;
}

// Whether another process (or another request) holds the folder's lock.
bool held_elsewhere(const fs::path& dir) {
  try {
    OutputLock probe(dir);
    return false;
  } catch (const std::runtime_error&) {
    return true;
  }
}

ordered_json error_body(const std::string& text) { return {{"ok", false}, {"error", text}}; }

}  // namespace

struct ControlRoom::Impl {
  explicit Impl(fs::path d) : dir(std::move(d)) {}
  fs::path dir;
  std::mutex mu;             // one request at a time reads or steps the session
  std::string cached_log;    // exercise.log as last read
  ordered_json cached_live;  // what the session gives for it

  // The parts of the state that follow from the log (the exercise, the view, the injects, names).
  ordered_json live(const exercise::Session& s) const {
    ordered_json j;
    const auto& x = s.spec();
    j["folder"] = dir.filename().string();
    j["name"] = x.name;
    j["title"] = x.title;
    j["horizon"] = s.horizon();
    j["view"] = ordered_json::parse(exercise::render_json(exercise::compute_view(s)));
    auto& injects = j["injects"] = ordered_json::array();
    for (const auto& e : s.log().entries) {
      if (e.kind != exercise::LogEntry::Kind::Inject) continue;
      const exercise::Inject* in = exercise::find_inject(x, e.text);
      if (!in) continue;
      injects.push_back({{"id", in->id},
                         {"day", in->day},
                         {"hour", in->hour},
                         {"player", in->player},
                         {"synopsis", in->synopsis},
                         {"new", e.day == s.day()}});
    }
    const auto& n = s.names();
    j["names"] = {{"villages", n.villages}, {"roles", n.roles},       {"posts", n.posts},
                  {"supplies", n.supplies}, {"channels", n.channels}, {"events", n.events},
                  {"tasks", n.tasks},       {"repeated", n.repeated}, {"templates", n.templates}};
    // Each played village's own policy's names, for the forms to offer those of the village chosen
    // (a name only another village's policy has would be refused).
    auto& own = j["names"]["of_village"] = ordered_json::object();
    for (size_t v = 0; v < n.villages.size(); ++v) {
      const exercise::PolicyNames& p = n.policy_of(n.villages[v]);
      own[n.villages[v]] = {{"posts", p.posts}, {"channels", p.channels}, {"events", p.events},
                            {"tasks", p.tasks}, {"repeated", p.repeated}, {"templates", p.templates}};
    }
    return j;
  }

  // Called with `mu` held.
  ordered_json state(bool probe_lock = true) {
    const std::string log = read_file(dir / exercise::kLogFile);
    if (log.empty() || log != cached_log) {
      cached_live = live(exercise::Session(exercise::read_log(dir)));
      cached_log = log;
    }
    ordered_json j = cached_live;
    j["locked"] = probe_lock && held_elsewhere(dir);
    const std::string review = read_file(dir / "review.csv");
    if (review.empty()) {
      j["review"] = nullptr;
    } else {
      // The day the review was taken (its `review` row; null from a review.csv written before it had
      // one): the page says so, so that a review from an earlier stop is not read as the current one.
      ordered_json rows = csv_quoted_records(review);
      ordered_json day = nullptr;
      for (const auto& r : rows)
        if (int d = 0; r.value("section", "") == "review") {
          const std::string text = r.value("day", "");
          if (std::from_chars(text.data(), text.data() + text.size(), d).ec == std::errc()) day = d;
        }
      j["review"] = {{"day", day}, {"rows", std::move(rows)}};
    }
    return j;
  }
};

ControlRoom::ControlRoom(fs::path dir) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / exercise::kLogFile, ec))
    throw ReportError(dir.string() +
                      ": no exercise.log here: expected the folder of `villagegrid exercise start` (its --out)");
  impl_ = std::make_unique<Impl>(dir.filename().empty() ? dir.parent_path() : std::move(dir));
}

ControlRoom::~ControlRoom() = default;

const fs::path& ControlRoom::dir() const { return impl_->dir; }

std::string ControlRoom::state_json(bool probe_lock) {
  std::lock_guard<std::mutex> g(impl_->mu);
  return impl_->state(probe_lock).dump();
}

ControlRoom::Reply ControlRoom::execute(const std::string& line) {
  if (line.find_first_of("\r\n") != std::string::npos)
    return {400, error_body("one command at a time: the command has a line break").dump()};
  std::lock_guard<std::mutex> g(impl_->mu);
  std::optional<OutputLock> lock;
  try {
    lock.emplace(impl_->dir);
  } catch (const std::runtime_error& e) {
    return {409, error_body(std::string("the exercise folder is in use by another villagegrid (a console open on "
                                        "it?); close it and try again (") +
                            e.what() + ")")
                     .dump()};
  }
  std::ostringstream out;
  try {
    exercise::Session s(exercise::read_log(impl_->dir));
    // The same source name and the same text as the console's, for the same line at its prompt.
    auto src = std::make_shared<const SourceFile>("<console>", line);
    exercise::execute_line(s, impl_->dir, line, SourceLoc{src, 1, 1}, false, false, out);
  } catch (const InputError& e) {
    return {400, error_body(e.diagnostics().format() + "villagegrid: command refused; nothing changed\n").dump()};
  } catch (const std::runtime_error& e) {
    return {400, error_body(std::string("villagegrid: ") + e.what() + "\n").dump()};
  }
  lock.reset();
  ordered_json j{{"ok", true}, {"output", out.str()}};
  j["state"] = impl_->state();
  return {200, j.dump()};
}

std::string ControlRoom::page_html(const std::string& version, Page page) {
  const std::string_view bundle = exercise_bundle();
  if (bundle.empty())
    throw ReportError(
        "this villagegrid was built without its control room front end (web/dist/exercise.js): run "
        "tools/setup.sh, or `npm ci && npm run build` in web/, then build again");
  const std::string title = "villagegrid exercise: " + impl_->dir.filename().string();
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"villagegrid " + html_escape(version) + "\">\n";
  // Scripts and styles are inline; the page talks to this server only (its state and commands), and
  // a report to nothing.
  out += std::string(
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
             "style-src 'unsafe-inline'; img-src data: blob:; ") +
         (page == Page::Report ? "" : "connect-src 'self'; ") + "form-action 'none'\">\n";
  out += "<title>" + html_escape(title) + "</title>\n</head>\n<body>\n";
  const char* mode = page == Page::Report ? "report" : page == Page::Projector ? "projector" : "control";
  out += std::string("<main id=\"vg-exercise\" data-mode=\"") + mode +
         "\"><noscript>The control room needs JavaScript.</noscript></main>\n";
  if (page == Page::Report)
    out += "<script type=\"application/json\" id=\"vg-data\">" + script_safe_json(state_json(false)) + "</script>\n";
  out += "<script>" + script_safe_bundle(bundle) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace vg::report
