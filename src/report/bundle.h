// The front end's bundle (web/dist/report.js: the charts and the report's page), compiled into the
// binary from the bundle npm built (src/report/CMakeLists.txt). Empty when the binary was built
// without one.
#pragma once

#include <string_view>

namespace vg::report {

std::string_view report_bundle();
// The control room's (web/dist/exercise.js, report/control_room.h), the same way.
std::string_view exercise_bundle();

}  // namespace vg::report
