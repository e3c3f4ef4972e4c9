// `plan`'s answer as a scenario file: the input with the new roster, each changed count marked
// with a comment, rule and grid paths made relative to where the file is written. A generated
// region is written out listed, town by town and village by village, since a roster per village
// is not a rate.
#pragma once

#include <filesystem>
#include <string>

#include "analysis/plan.h"

namespace vg::io {

std::string plan_scenario_text(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res,
                               const std::filesystem::path& written_to);

}  // namespace vg::io
