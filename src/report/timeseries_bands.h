// timeseries.csv as the report draws it: for each day, each column summed over the villages of a
// replicate, then its mean and 5th and 95th percentiles over replicates (metrics/summary.h's
// describe); shares derived per replicate (coverage over time); each supply's stock by village,
// its mean over replicates (in regions of at most 12 villages). Internal to report/.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace vg::report {

// Throws ReportError naming the file, line and what was expected for a malformed file. `place`:
// the column the rows of a replicate's day are summed over (roles_by_day.csv: "town").
nlohmann::ordered_json timeseries_bands(const std::filesystem::path& csv, const std::string& place = "village");

}  // namespace vg::report
