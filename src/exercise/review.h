// The after-action review (docs/exercises.md, "Review"): the timeline of injects, expected actions
// and the players' actions; each objective met, partly met or not, with the evidence; the players'
// run against doing nothing and against the expected actions at their expected times, over the
// background replicates with common random numbers (replicate k of every arm draws the same
// returnees); and the trainer's observations (observations.csv, which the trainer edits).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "exercise/session.h"

namespace vg::exercise {

// NotYet: a review taken before the objective's inject is delivered (nothing is measured or said).
enum class Verdict : uint8_t { Met, Partly, NotMet, NotYet };
const char* verdict_name(Verdict v);

struct ObjectiveResult {
  std::string id, title;
  Verdict verdict = Verdict::NotMet;
  double value = 0;
  std::string evidence;
};

// An objective measured on one replicate's run of a model (over the players' villages).
ObjectiveResult measure(const Session& s, const Objective& o, const sim::Model& m, const RunOutput& run);

struct ReviewFiles {
  std::string markdown, csv;
  std::vector<ObjectiveResult> objectives;  // on the live run
};

inline constexpr const char* kObservationsFile = "observations.csv";
// The header a new observations.csv starts with (the review writes it when there is none).
inline constexpr const char* kObservationsTemplate =
    "kind,text\n"
    "# kind is went_well or to_improve; one observation a line; lines starting with # are ignored\n";

// Reads the observations (kind, text) from `file`; a bad line is an InputError at file:line:col.
std::vector<std::pair<std::string, std::string>> read_observations(const std::filesystem::path& file);

ReviewFiles make_review(const Session& s, const std::vector<std::pair<std::string, std::string>>& observations);

}  // namespace vg::exercise
