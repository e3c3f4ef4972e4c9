// Output of `villagegrid plan`: a terminal table and plan.json / plan.csv (every roster tried).
#pragma once

#include <filesystem>
#include <string>

#include "analysis/plan.h"
#include "core/atomic_file.h"

namespace vg::io {

std::string plan_table(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res);
std::string plan_csv(const sim::PlanRequest& req, const sim::PlanResult& res);
std::string plan_json(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res,
                      const std::string& version);
void write_plan_outputs(const std::filesystem::path& dir, const sim::Model& base, const sim::PlanRequest& req,
                        const sim::PlanResult& res, const std::string& version, const OutputExtras& extras = {});

}  // namespace vg::io
