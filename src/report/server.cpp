#include "report/server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "report/control_room.h"
#include "report/report.h"
#include "report/text.h"

namespace vg::report {

namespace fs = std::filesystem;

namespace {

// Whether `p` is `root` or below it, component by component (both canonical).
bool within(const fs::path& root, const fs::path& p) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *q != *r) return false;
  return true;
}

std::string content_type(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".json") return "application/json";
  if (ext == ".csv") return "text/csv; charset=utf-8";
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".sqlite") return "application/vnd.sqlite3";
  return "text/plain; charset=utf-8";
}

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
         "</title>\n<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
         "table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}"
         "</style>\n</head>\n<body>\n" +
         body + "</body>\n</html>\n";
}

// The URL of a folder below served folder `i`: /report/i/REL/, each component percent-encoded
// (the server decodes it).
std::string link(size_t i, const fs::path& rel, const char* what) {
  std::string url = std::string("/") + what + "/" + std::to_string(i) + "/";
  for (const auto& part : rel) {
    if (part == ".") continue;
    for (unsigned char c : part.string()) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        url += char(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        url += hex;
      }
    }
    url += '/';
  }
  return url;
}

void send_file(const fs::path& file, httplib::Response& res) {
  std::error_code ec;
  std::ifstream in(file, std::ios::binary);
  if (!fs::is_regular_file(file, ec) || !in) {
    res.status = 404;
    res.set_content("no such file\n", "text/plain");
    return;
  }
  std::ostringstream s;
  s << in.rdbuf();
  res.set_content(s.str(), content_type(file));
}

}  // namespace

std::optional<fs::path> resolve_inside(const fs::path& root, std::string_view rel) {
  if (!rel.empty() && (rel.front() == '/' || rel.front() == '\\')) return std::nullopt;
  if (rel.find('\0') != std::string_view::npos || rel.find('\\') != std::string_view::npos) return std::nullopt;
  const fs::path r(rel);
  if (r.is_absolute() || r.has_root_name()) return std::nullopt;
  for (const auto& part : r)
    if (part == "..") return std::nullopt;
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  // Symbolic links resolved: what is served must still lie inside the folder.
  const fs::path full = fs::weakly_canonical(base / r, ec);
  if (ec || !within(base, full)) return std::nullopt;
  return full;
}

std::vector<fs::path> list_outputs(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!folder_kind(root).empty()) out.emplace_back(".");
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it.depth() >= 2) it.disable_recursion_pending();
    if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) {  // .NAME.partial/, locks: unfinished work
      it.disable_recursion_pending();
      continue;
    }
    if (!folder_kind(it->path()).empty()) out.push_back(fs::relative(it->path(), root, ec));
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Server::Impl {
  std::vector<fs::path> roots;
  std::string version;
  std::unique_ptr<ControlRoom> exercise;  // with --exercise
  httplib::Server http;

  // The folder `i` of the request's first match, and the path below it (second match).
  std::optional<fs::path> target(const httplib::Request& req, httplib::Response& res) const {
    size_t i = roots.size();
    try {
      i = std::stoul(req.matches[1].str());
    } catch (const std::exception&) {}
    if (i >= roots.size()) {
      res.status = 404;
      res.set_content("no such served folder\n", "text/plain");
      return std::nullopt;
    }
    auto p = resolve_inside(roots[i], req.matches[2].str());
    if (!p) {
      res.status = 403;
      res.set_content("refused: that path is outside the folders villagegrid serve was given\n", "text/plain");
    }
    return p;
  }

  std::string index() const {
    std::string body =
        "<h1>villagegrid</h1>\n<p>Outputs of <code>run</code>, <code>compare</code> and "
        "<code>plan</code> in the folders given to <code>villagegrid serve</code>. Each link opens "
        "its report (the page <code>villagegrid report</code> writes).</p>\n";
    for (size_t i = 0; i < roots.size(); ++i) {
      body += "<h2>" + html_escape(roots[i].string()) + "</h2>\n";
      const auto outputs = list_outputs(roots[i]);
      if (outputs.empty()) {
        body += "<p>No output folders here.</p>\n";
        continue;
      }
      body += "<table>\n<tr><th>folder</th><th>made by</th></tr>\n";
      for (const auto& rel : outputs)
        body += "<tr><td><a href=\"" + html_escape(link(i, rel, "report")) + "\">" + html_escape(rel.string()) +
                "</a></td><td><code>" + folder_kind(roots[i] / rel) + "</code></td></tr>\n";
      body += "</table>\n";
    }
    body += "<h2>Exercise</h2>\n";
    if (exercise)
      body += "<p><a href=\"/exercise/\">The control room</a> of <code>" + html_escape(exercise->dir().string()) +
              "</code> (<a href=\"/exercise/projector\">projector view</a>).</p>\n";
    else
      body +=
          "<p>No exercise hosted: <code>villagegrid serve --exercise DIR</code> hosts the control room of an "
          "exercise started with <code>villagegrid exercise start</code>.</p>\n";
    body += "<p><small>villagegrid " + html_escape(version) + "</small></p>\n";
    return page("villagegrid", body);
  }

  void routes() {
    http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(index(), "text/html; charset=utf-8");
    });
    http.Get(R"(/report/(\d+)/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
      const auto dir = target(req, res);
      if (!dir) return;
      try {
        res.set_content(report_html(*dir, version), "text/html; charset=utf-8");
      } catch (const ReportError& e) {
        res.status = folder_kind(*dir).empty() ? 404 : 500;
        res.set_content(std::string(e.what()) + "\n", "text/plain; charset=utf-8");
      }
    });
    http.Get(R"(/files/(\d+)/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
      // Hidden names (a folder's `.NAME.lock`, an unfinished `.NAME.partial/`) are not outputs: not
      // listed, and not served either.
      for (const auto& part : fs::path(req.matches[2].str()))
        if (part.string().starts_with(".") && part != "." && part != "..") {
          res.status = 404;
          res.set_content("not served: hidden files (a folder's lock, an unfinished run) are not outputs\n",
                          "text/plain");
          return;
        }
      const auto file = target(req, res);
      if (file) send_file(*file, res);
    });
    exercise_routes();
  }

  // A POST from a page of this server only: JSON (a cross-site form cannot send it without a
  // preflight this server never answers), and an Origin, when the browser sends one, naming this host.
  static bool same_origin_json(const httplib::Request& req, httplib::Response& res) {
    if (!req.get_header_value("Content-Type").starts_with("application/json")) {
      res.status = 415;
      res.set_content(R"({"ok":false,"error":"send the command as JSON: {\"command\": \"...\"}"})", "application/json");
      return false;
    }
    const std::string origin = req.get_header_value("Origin");
    const std::string site = req.get_header_value("Sec-Fetch-Site");
    if ((!origin.empty() && origin != "http://" + req.get_header_value("Host")) ||
        (!site.empty() && site != "same-origin" && site != "none")) {
      res.status = 403;
      res.set_content(R"({"ok":false,"error":"refused: a command must come from the control room's own page"})",
                      "application/json");
      return false;
    }
    return true;
  }

  // The exercise control room (control_room.h): its page, the projector view, the state, the
  // commands, and the exercise folder's files.
  void exercise_routes() {
    http.Get("/exercise", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/exercise/"); });
    http.Get(R"(/exercise/(projector)?)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!hosted(res)) return;
      try {
        res.set_content(exercise->page_html(version, req.matches[1].matched ? ControlRoom::Page::Projector
                                                                            : ControlRoom::Page::Control),
                        "text/html; charset=utf-8");
      } catch (const ReportError& e) {
        res.status = 500;
        res.set_content(std::string(e.what()) + "\n", "text/plain; charset=utf-8");
      }
    });
    http.Get("/exercise/api/state", [this](const httplib::Request&, httplib::Response& res) {
      if (!hosted(res)) return;
      try {
        res.set_content(exercise->state_json(), "application/json");
      } catch (const std::exception& e) {
        res.status = 500;
        res.set_content(nlohmann::json{{"ok", false}, {"error", e.what()}}.dump(), "application/json");
      }
    });
    http.Post("/exercise/api/command", [this](const httplib::Request& req, httplib::Response& res) {
      if (!hosted(res) || !same_origin_json(req, res)) return;
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object() || !body.contains("command") || !body["command"].is_string()) {
        res.status = 400;
        res.set_content(R"({"ok":false,"error":"expected {\"command\": \"...\"}"})", "application/json");
        return;
      }
      const auto reply = exercise->execute(body["command"].get<std::string>());
      res.status = reply.status;
      res.set_content(reply.body, "application/json");
    });
    http.Get(R"(/exercise/files/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!hosted(res)) return;
      const auto file = resolve_inside(exercise->dir(), req.matches[1].str());
      if (!file) {
        res.status = 403;
        res.set_content("refused: that path is outside the folders villagegrid serve was given\n", "text/plain");
        return;
      }
      send_file(*file, res);
    });
    http.Get(R"(/exercise/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("no such page of the control room\n", "text/plain");
    });
  }

  bool hosted(httplib::Response& res) const {
    if (exercise) return true;
    res.status = 404;
    res.set_content(
        "no exercise hosted: start villagegrid serve with --exercise DIR (a folder of `villagegrid exercise "
        "start`)\n",
        "text/plain; charset=utf-8");
    return false;
  }
};

Server::Server(std::vector<fs::path> roots, std::string version) : impl_(std::make_unique<Impl>()) {
  impl_->roots = std::move(roots);
  impl_->version = std::move(version);
  impl_->routes();
}

Server::~Server() = default;

void Server::host_exercise(const fs::path& dir) { impl_->exercise = std::make_unique<ControlRoom>(dir); }

int Server::bind(const std::string& host, int port) {
  // SO_REUSEADDR alone (a restart right after a stop binds at once): httplib's default adds
  // SO_REUSEPORT, with which a second `serve` on a busy port binds too and the two take turns
  // answering, each from its own folders.
  impl_->http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  if (port == 0) return impl_->http.bind_to_any_port(host);
  return impl_->http.bind_to_port(host, port) ? port : -1;
}

bool Server::listen() { return impl_->http.listen_after_bind(); }

void Server::stop() { impl_->http.stop(); }

}  // namespace vg::report
