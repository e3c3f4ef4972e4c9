#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace vg::cli {

namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string duration_text(double s) {
  char buf[32];
  if (s < 90)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 5400)
    std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

}  // namespace

Progress::Progress(std::string what, std::string unit, bool quiet)
    : out_(!quiet && isatty(STDERR_FILENO) ? &std::cerr : nullptr),
      what_(std::move(what)),
      unit_(std::move(unit)),
      now_(steady_seconds),
      start_(now_()) {}

Progress::Progress(std::ostream& out, std::string what, std::string unit, std::function<double()> now)
    : out_(&out), what_(std::move(what)), unit_(std::move(unit)), now_(std::move(now)), start_(now_()) {}

Progress::~Progress() { finish(); }

void Progress::finish() {
  const std::lock_guard<std::mutex> hold(mutex_);
  if (out_ && headed_) draw(true);
  out_ = nullptr;
}

void Progress::queue(size_t n) {
  const std::lock_guard<std::mutex> hold(mutex_);
  if (!out_) return;
  queued_ += n;
  draw(false);
}

void Progress::done(size_t n) {
  const std::lock_guard<std::mutex> hold(mutex_);
  if (!out_) return;
  done_ += n;
  draw(false);
}

std::function<void(int, const metrics::ReplicateResult&)> Progress::on_replicate() {
  const std::lock_guard<std::mutex> hold(mutex_);
  if (!out_) return {};
  return [this](int, const metrics::ReplicateResult&) { done(); };
}

void Progress::draw(bool last) {
  const double t = now_(), elapsed = t - start_;
  if (!last && (elapsed < 1.0 || t - last_draw_ < 0.25)) return;
  last_draw_ = t;
  if (!headed_) {
    *out_ << what_ << ": " << queued_ << " " << unit_ << " queued\n";
    headed_ = true;
  }
  char buf[160];
  const double rate = elapsed > 0 ? double(done_) / elapsed : 0;
  const double share = queued_ ? double(done_) / double(queued_) : 1.0;
  std::snprintf(buf, sizeof buf, "\r%s: %zu of %zu %s done (%.0f%%), %.1f/s", what_.c_str(), done_, queued_,
                unit_.c_str(), 100 * share, rate);
  std::string line = buf;
  if (!last && rate > 0 && queued_ > done_)
    line += ", about " + duration_text(double(queued_ - done_) / rate) + " left";
  if (last) line += " in " + duration_text(elapsed);
  *out_ << line << "\x1b[K" << (last ? "\n" : "") << std::flush;
}

}  // namespace vg::cli
