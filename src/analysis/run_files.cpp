#include "analysis/run_files.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/diagnostics.h"
#include "spec/date.h"

namespace vg::io {

namespace {

namespace fs = std::filesystem;

constexpr int64_t kDay = kMinutesPerDay;

// ---- errors -------------------------------------------------------------------------------------

// An error about a whole file or folder ("path: error: ..."), or about a command-line value when
// `path` is empty ("<command line>: error: ...").
[[noreturn]] void fail(const std::string& path, const std::string& message) {
  SourceLoc loc;
  if (!path.empty()) {
    loc.file = std::make_shared<SourceFile>(path, "");
  }
  Diagnostics d;
  d.error(loc, message);
  throw InputError(std::move(d));
}

// An error at file:line:col that quotes the offending line. The SourceFile holds only that line
// (preceded by empty lines), so a large trace is never kept in memory for the sake of a message.
[[noreturn]] void fail_at(const std::string& path, int line, int col, std::string_view text,
                          const std::string& message) {
  auto file = std::make_shared<SourceFile>(path, std::string(size_t(std::max(0, line - 1)), '\n') + std::string(text));
  Diagnostics d;
  d.error(SourceLoc{file, line, std::max(1, col)}, message);
  throw InputError(std::move(d));
}

// ---- CSV ----------------------------------------------------------------------------------------

// Reads the plain, unquoted CSV the run writes: a header, then rows with as many fields.
class Csv {
 public:
  Csv(const fs::path& path, const std::vector<std::string>& columns)
      : path_(path.string()), in_(path, std::ios::binary) {
    if (!in_) fail(path_, "cannot read the file");
    if (!read_line()) fail(path_, "the file is empty: expected a header line");
    split();
    for (const auto& c : columns) {
      auto it = std::find(fields_.begin(), fields_.end(), c);
      if (it == fields_.end())
        fail_at(path_, line_no_, 1, line_,
                "the header has no column '" + c +
                    "', which explain reads; the file was written by another version of villagegrid, or edited");
      index_.push_back(size_t(it - fields_.begin()));
    }
    width_ = fields_.size();
  }

  // The next row; false at the end of the file. Empty lines are skipped.
  bool next() {
    while (read_line()) {
      if (line_.empty()) continue;
      split();
      if (fields_.size() != width_)
        fail_at(path_, line_no_, 1, line_,
                std::to_string(fields_.size()) + " fields, expected " + std::to_string(width_) + " as in the header");
      return true;
    }
    return false;
  }

  // Column `c` of the list given to the constructor.
  std::string_view text(size_t c) const { return fields_[index_[c]]; }

  int64_t integer(size_t c, int64_t min, int64_t max) const {
    std::string_view f = text(c);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || p != f.data() + f.size() || v < min || v > max)
      bad(c, "'" + std::string(f) + "' is not a valid " + what(c) + " (a whole number from " + std::to_string(min) +
                 " to " + std::to_string(max) + ")");
    return v;
  }

  [[noreturn]] void bad(size_t c, const std::string& message) const {
    fail_at(path_, line_no_, int(offsets_[index_[c]]) + 1, line_, message);
  }

  std::string what(size_t c) const { return header_[index_[c]]; }

 private:
  bool read_line() {
    if (!std::getline(in_, line_)) return false;
    ++line_no_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    return true;
  }
  void split() {
    fields_.clear();
    offsets_.clear();
    size_t b = 0;
    for (;;) {
      size_t e = line_.find(',', b);
      fields_.emplace_back(line_.data() + b, (e == std::string::npos ? line_.size() : e) - b);
      offsets_.push_back(b);
      if (e == std::string::npos) break;
      b = e + 1;
    }
    if (header_.empty())
      for (auto f : fields_) header_.emplace_back(f);
  }

  std::string path_;
  std::ifstream in_;
  std::string line_;
  int line_no_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<size_t> offsets_;
  std::vector<std::string> header_;
  std::vector<size_t> index_;
  size_t width_ = 0;
};
// ---- the run ------------------------------------------------------------------------------------

RunInfo read_summary(const fs::path& dir) {
  const fs::path p = dir / "summary.json";
  std::ifstream in(p, std::ios::binary);
  if (!in) fail(dir.string(), "no summary.json here: not an output folder of `villagegrid run`");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail(p.string(), std::string("not valid JSON: ") + e.what());
  }
  RunInfo info;
  const auto sd = j.find("start_date");
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (sd == j.end() || !sd->is_string() ||
      std::sscanf(sd->get<std::string>().c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    fail(p.string(), "missing or malformed \"start_date\" (expected \"YYYY-MM-DD\")");
  info.start_epoch_day = config::Date{y, m, d}.days_since_epoch();
  const auto hz = j.find("horizon_days");
  if (hz == j.end() || !hz->is_number_integer() || hz->get<int64_t>() < 1 || hz->get<int64_t>() > 100000)
    fail(p.string(), "missing or malformed \"horizon_days\"");
  info.horizon = hz->get<int>();
  if (auto r = j.find("replicates"); r != j.end() && r->is_number_integer() && r->get<int64_t>() >= 1)
    info.replicates = int(std::min<int64_t>(r->get<int64_t>(), 1000000000));
  if (auto s = j.find("scenario_file"); s != j.end() && s->is_string()) info.scenario_file = s->get<std::string>();
  if (auto s = j.find("seed"); s != j.end() && s->is_number_unsigned()) info.seed = s->get<uint64_t>();
  return info;
}

// The replicate and the day asked for, against the run's.
void check_range(const RunInfo& run, int replicates, int replicate, std::optional<int> day) {
  if (replicate < 0 || replicate >= replicates)
    fail("", "replicate " + std::to_string(replicate) + " is outside this run: it has " +
                 plural(replicates, "replicate", "replicates") + " (" +
                 (replicates == 1 ? "only replicate 0" : "0 to " + std::to_string(replicates - 1)) + ")");
  if (day && (*day < 0 || *day >= run.horizon))
    fail("", "day " + std::to_string(*day) + " is outside this run: it has " + plural(run.horizon, "day", "days") +
                 " (0 to " + std::to_string(run.horizon - 1) + ")");
}

}  // namespace

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

RunInfo read_run_info(const fs::path& run_dir) {
  if (!fs::is_directory(run_dir)) fail(run_dir.string(), "no such folder: expected the output folder of a run");
  RunInfo run = read_summary(run_dir);
  // The same run again, with its trace: its scenario, seed and replicates as summary.json has them.
  std::string again = "villagegrid run";
  if (!run.scenario_file.empty()) again += " " + run.scenario_file;
  if (run.seed) again += " --seed " + std::to_string(*run.seed);
  if (run.replicates > 0) again += " --replicates " + std::to_string(run.replicates);
  again += " --trace --out " + run_dir.string();
  for (const char* name : {"trace.csv", "persons.csv"})
    if (!fs::is_regular_file(run_dir / name))
      fail(run_dir.string(), std::string("no ") + name +
                                 " here: the run was made without --trace; run it again with `" + again +
                                 "` to explain a person");
  return run;
}

PersonRow read_person(const fs::path& run_dir, const RunInfo& run, uint32_t person, int replicate,
                      std::optional<int> day) {
  if (run.replicates > 0) check_range(run, run.replicates, replicate, day);
  // The person's row, and the returnees of the replicate for the message if absent.
  const fs::path path = run_dir / "persons.csv";
  enum { kRep, kPerson, kVillage, kHousehold, kOrigin, kClass, kReg, kScr, kStart, kDays, kComplete, kArr, kFound };
  Csv pc(path,
         {"replicate", "person", "village", "household", "origin", "class", "registered_minute", "screened_minute",
          "tracking_start_day", "tracking_days", "tracking_complete_days", "arrival_minute", "found_by"});
  const int64_t max_minute = int64_t(run.horizon) * kDay;
  std::optional<PersonRow> found;
  int64_t count = 0, max_rep = -1;
  uint32_t lo = UINT32_MAX, hi = 0;
  while (pc.next()) {
    const int64_t rep = pc.integer(kRep, 0, INT32_MAX);
    const auto id = uint32_t(pc.integer(kPerson, 0, UINT32_MAX));
    pc.integer(kHousehold, 0, UINT32_MAX);
    pc.integer(kReg, -1, max_minute);
    pc.integer(kScr, -1, max_minute + kDay);
    pc.integer(kArr, -1, max_minute);
    pc.integer(kStart, -1, run.horizon + 1);
    const int64_t days = pc.integer(kDays, 0, run.horizon);
    if (pc.integer(kComplete, 0, run.horizon) > days)
      pc.bad(kComplete, "more days with a complete team than days tracked");
    max_rep = std::max(max_rep, rep);
    if (rep != replicate) continue;
    ++count;
    lo = std::min(lo, id);
    hi = std::max(hi, id);
    if (id != person) continue;
    if (found) pc.bad(kPerson, "person " + std::to_string(id) + " is listed twice in replicate " + std::to_string(rep));
    PersonRow p;
    p.person = id;
    p.village = pc.text(kVillage);
    p.household = uint32_t(pc.integer(kHousehold, 0, UINT32_MAX));
    p.origin = pc.text(kOrigin);
    p.cls = pc.text(kClass);
    p.registered = pc.integer(kReg, -1, max_minute);
    p.screened = pc.integer(kScr, -1, max_minute + kDay);
    p.arrival = pc.integer(kArr, -1, max_minute);
    p.found_by = pc.text(kFound);
    p.tracking_start = int(pc.integer(kStart, -1, run.horizon + 1));
    p.tracking_days = int(days);
    p.complete_days = int(pc.integer(kComplete, 0, run.horizon));
    found = p;
  }
  if (run.replicates <= 0) check_range(run, int(max_rep + 1), replicate, day);
  if (found) return *found;
  if (count == 0)
    fail(path.string(), "person " + std::to_string(person) +
                            " is not a returnee: this file lists no returnee in replicate " +
                            std::to_string(replicate));
  fail(path.string(), "person " + std::to_string(person) + " is not a returnee of this run: this file lists " +
                          plural(count, "returnee", "returnees") + " in replicate " + std::to_string(replicate) +
                          ", ids " + std::to_string(lo) + " to " + std::to_string(hi) +
                          " (not every id in between is a returnee)");
}

std::vector<TraceRow> read_trace(const fs::path& run_dir, const RunInfo& run, uint32_t person, int replicate) {
  enum { kTRep, kTDay, kTTime, kTPerson, kTVillage, kTEvent, kTRule, kTFired, kTCreated, kTLoc };
  Csv tc(run_dir / "trace.csv",
         {"replicate", "day", "time", "person", "village", "event", "rule", "fired", "tasks_created", "rule_location"});
  std::vector<TraceRow> rows;
  while (tc.next()) {
    const int64_t rep = tc.integer(kTRep, 0, INT32_MAX);
    const int64_t d = tc.integer(kTDay, 0, run.horizon);
    const std::string_view t = tc.text(kTTime);
    int h = -1, m = -1;
    if (t.size() != 5 || t[2] != ':' || std::from_chars(t.data(), t.data() + 2, h).ptr != t.data() + 2 ||
        std::from_chars(t.data() + 3, t.data() + 5, m).ptr != t.data() + 5 || h < 0 || h > 23 || m < 0 || m > 59)
      tc.bad(kTTime, "'" + std::string(t) + "' is not a time of day (HH:MM)");
    const int64_t who = tc.integer(kTPerson, -1, UINT32_MAX);
    const std::string_view fired = tc.text(kTFired);
    if (fired != "yes" && fired != "no")
      tc.bad(kTFired, "'" + std::string(fired) + "' in column fired: expected yes or no");
    const int64_t created = tc.integer(kTCreated, 0, INT32_MAX);
    if (rep != replicate || who != int64_t(person)) continue;
    TraceRow r;
    r.day = int(d);
    r.minute = h * 60 + m;
    r.event = tc.text(kTEvent);
    r.rule = tc.text(kTRule);
    r.fired = fired == "yes";
    r.created = int(created);
    r.loc = tc.text(kTLoc);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace vg::io
