// The files a run writes and the table it prints. Everything is rendered to memory first, then
// each file is written atomically, so a run that fails writes nothing and one that succeeds never
// leaves a half-written file. No timestamps or host names: the same inputs give the same bytes.
#pragma once

#include <filesystem>
#include <string>

#include "core/atomic_file.h"
#include "metrics/summary.h"
#include "sim/runner.h"

namespace vg::io {

std::string summary_json(const sim::Model& model, const metrics::Summary& summary, const std::string& version);
// One row per replicate, village and day.
std::string timeseries_csv(const sim::Model& model, const sim::RunResult& run);
// A row per replicate, town and day: each role's minutes available, could do and worked.
std::string roles_by_day_csv(const sim::Model& model, const sim::RunResult& run);
// One row per rule considered for an event: replicate, day, time, person, village, event, rule,
// whether it fired, tasks it created, file:line.
std::string trace_csv(const sim::Model& model, const sim::RunResult& run);
// One row per returnee and replicate: origin, class, registration, screening and tracking.
std::string persons_csv(const sim::Model& model, const sim::RunResult& run);
// One row per role and role metric (kRoleMetrics): mean, p5, p95 and n over replicates.
std::string roles_csv(const metrics::Summary& summary);
// Summary::supplies_out from the replicates' daily rows: for each village, each supply a task or
// monitoring of its town's program uses, the days that ended with none of it.
void add_supply_stockouts(metrics::Summary& summary, const sim::Model& model, const sim::RunResult& run);
// The readable summary printed by `villagegrid run`.
std::string summary_table(const sim::Model& model, const metrics::Summary& summary);

// Creates `dir` if needed and writes summary.json, timeseries.csv and roles.csv (and trace.csv and
// persons.csv when traced); `extras`: the results store joining the set (cli/common.h).
void write_run_outputs(const std::filesystem::path& dir, const sim::Model& model, const sim::RunResult& run,
                       const metrics::Summary& summary, const std::string& version, bool trace,
                       const OutputExtras& extras = {});

}  // namespace vg::io
