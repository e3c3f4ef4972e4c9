// `villagegrid explain`: why one returnee was (or was not) tracked, told in plain words from the
// files a traced run wrote (summary.json, trace.csv, persons.csv) and the policy the run used
// (summary.json's scenario_file, loaded again to quote conditions and to know which rules start
// tracking). Every rule named comes with its file:line:col.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace vg::io {

// The explanation for `person` (a global person index, the `person` column of persons.csv) in
// replicate `replicate` of the run written to `run_dir` by `villagegrid run --trace --out run_dir`.
// With `day`, the timeline shows only that day (0 = the start date); the header and the verdict
// stay. Rule locations under the current directory are shown relative to it.
//
// Throws vg::InputError (core/diagnostics.h) with one clear error when: the folder or its
// summary.json is missing or unreadable; there is no trace.csv or persons.csv (the run was made
// without --trace); the replicate or the day is outside the run; the person is not a returnee of
// the run (the message gives how many returnees there are and the smallest and largest ids); a CSV
// file is malformed (the error points at file:line:col and quotes the line).
// A policy that can no longer be loaded is not an error: the answer says so and explains what the
// trace alone shows.
std::string explain_person(const std::filesystem::path& run_dir, uint32_t person, std::optional<int> day = std::nullopt,
                           int replicate = 0);

}  // namespace vg::io
