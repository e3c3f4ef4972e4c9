// The files of a traced run, read back for `explain`: summary.json (start date, horizon, replicates,
// scenario file), persons.csv (one returnee's row) and trace.csv (the rules considered for them).
// CSV columns are found by header name, so a column added to a file later shifts none of the
// others; a missing one is an error at file:1:1 naming it. Every problem is a vg::InputError with
// one message at file:line:col that quotes the line. What the rows mean is explain.cpp's business.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace vg::io {

// summary.json's facts about the run.
struct RunInfo {
  int64_t start_epoch_day = 0;
  int horizon = 0;
  int replicates = -1;  // -1: not in summary.json
  std::string scenario_file;
  std::optional<uint64_t> seed;  // the run's seed, when summary.json has it
};

// One returnee in one replicate (persons.csv).
struct PersonRow {
  uint32_t person = 0;
  std::string village, origin, cls;
  uint32_t household = 0;
  int64_t registered = -1, screened = -1;  // minutes since the start; -1: not within the run
  int64_t arrival = -1;                    // came home (0: on or before the start); -1: after the run
  std::string found_by;                    // the channel that registered them (rules::kFoundBy); "none"
  int tracking_start = -1, tracking_days = 0, complete_days = 0;
};

// One rule considered for an event about the person (trace.csv).
struct TraceRow {
  int day = 0, minute = 0;  // minute of the day
  std::string event, rule, loc;
  bool fired = false;
  int created = 0;
  int64_t at() const { return day * kMinutesPerDay + minute; }
};

// Checks that `run_dir` is the output folder of a traced run (summary.json, trace.csv and
// persons.csv are there) and reads summary.json.
RunInfo read_run_info(const std::filesystem::path& run_dir);

// The row of `person` in `replicate` of persons.csv. Every row is checked. Throws when the person
// is not a returnee of the replicate (the message gives the count and the smallest and largest
// ids), or when the replicate or the day is outside the run (replicates counted from the file
// when summary.json does not give them).
PersonRow read_person(const std::filesystem::path& run_dir, const RunInfo& run, uint32_t person, int replicate,
                      std::optional<int> day);

// The rows of trace.csv about `person` in `replicate`, in file order. Every row is checked.
std::vector<TraceRow> read_trace(const std::filesystem::path& run_dir, const RunInfo& run, uint32_t person,
                                 int replicate);

// "1 day", "2 days": for messages here and the narrative alike.
std::string plural(int64_t n, const char* one, const char* many);

}  // namespace vg::io
