// The exercise control room of `villagegrid serve --exercise DIR` (docs/exercises.md, "The control
// room (web)"): a started exercise folder (exercise.log) hosted as a web page that shows the live
// state per village (what the console's screen shows), the injects as they arrive, forms that give
// the console's commands, a projector view, and the after-action review with its plots once the
// exercise has been reviewed. A command from the browser is a same-origin JSON POST executed by the
// console's own executor (exercise/console.h) under the folder's lock, so it means what it means at
// the console; while another process holds the lock (a console open on the folder) it is refused
// with 409.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace vg::report {

class ControlRoom {
 public:
  // `dir`: an exercise folder (holds exercise.log; ReportError otherwise).
  explicit ControlRoom(std::filesystem::path dir);
  ~ControlRoom();
  ControlRoom(const ControlRoom&) = delete;
  ControlRoom& operator=(const ControlRoom&) = delete;

  const std::filesystem::path& dir() const;

  // What the page draws, as JSON: the exercise, the view at the current stop (the console's
  // state.json), every inject delivered so far (new ones flagged), the names the forms offer,
  // whether another process holds the folder (`probe_lock`; else false), and the review
  // (review.csv's rows) when there is one.
  std::string state_json(bool probe_lock = true);

  struct Reply {
    int status = 200;  // 200 done, 400 refused (the console's error text), 409 folder locked
    std::string body;  // JSON: {"ok":true,"output":...,"state":...} or {"ok":false,"error":...}
  };
  // Executes one console line (a command, advance, next, review, help) as the console does.
  Reply execute(const std::string& line);

  // The page, the exercise bundle inlined: the control room (state and commands from this server),
  // the projector's wall view (no forms), or a report (`villagegrid report`: the state inlined,
  // nothing fetched, no forms; the same folder gives the same bytes).
  enum class Page : uint8_t { Control, Projector, Report };
  std::string page_html(const std::string& version, Page page);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vg::report
