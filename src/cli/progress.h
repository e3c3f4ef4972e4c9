// Progress of long work (plan, compare, large runs) on stderr: only when stderr is a terminal and
// not --quiet, and only once the work has lasted a second (short work prints nothing). A first line
// says what is queued; then one line, rewritten in place, says what is done, the rate and the time
// left for the work queued so far; it is ended when the printer goes.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>

#include "metrics/results.h"

namespace vg::cli {

class Progress {
 public:
  // `what`: the command ("plan"); `unit`: what is counted ("replicates").
  Progress(std::string what, std::string unit, bool quiet);
  // For tests: always on, to `out`, with `now` giving seconds.
  Progress(std::ostream& out, std::string what, std::string unit, std::function<double()> now);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void queue(size_t n);     // more work queued; safe from any thread
  void done(size_t n = 1);  // work finished; safe from any thread
  // Ends the line (the destructor does it too): call before printing results to the terminal.
  void finish();
  // For RunOptions::on_replicate: one replicate done.
  std::function<void(int, const metrics::ReplicateResult&)> on_replicate();

 private:
  void draw(bool last);

  std::ostream* out_ = nullptr;  // null: off
  std::string what_, unit_;
  std::function<double()> now_;
  double start_ = 0, last_draw_ = -1;
  size_t queued_ = 0, done_ = 0;
  bool headed_ = false;
  std::mutex mutex_;
};

}  // namespace vg::cli
