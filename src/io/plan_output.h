// Output of `villagegrid plan`: a terminal table, plan.json and plan.csv (every roster run, part by
// part), the answer as a scenario file (plan.yaml, io/plan_scenario.h) and a short report (plan.md).
#pragma once

#include <filesystem>
#include <string>

#include "analysis/plan.h"
#include "core/atomic_file.h"

namespace vg::io {

std::string plan_table(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res);
// A share as a whole per cent, with decimals where that would read 100% or 0% and it is not (199 of
// 200 read "100%" beside a note that the target failed once): "99.5%".
std::string percent(double x);
// The parts' warnings, one line each ("town Nansheng: ..."), for stderr under --quiet.
std::string plan_warnings(const sim::PlanResult& res);
std::string plan_csv(const sim::PlanRequest& req, const sim::PlanResult& res);
std::string plan_json(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res,
                      const std::string& version);
// The report: cost, targets with their intervals, supplies and funds used, hours by role.
std::string plan_report(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res);
void write_plan_outputs(const std::filesystem::path& dir, const sim::Model& base, const sim::PlanRequest& req,
                        const sim::PlanResult& res, const std::string& version, const OutputExtras& extras = {});

}  // namespace vg::io
