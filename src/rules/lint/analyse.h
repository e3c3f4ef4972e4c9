// Rule analysis for `check` (docs/rules.md, "What check reports"), over what each condition admits
// (condition.h): conditions always false or always true, with the reason; combinations of a
// person's category facts that no rule classifying on a trigger covers (gaps); and rules on one
// trigger that can fire together with conflicting actions (overlaps), with an example. Warnings
// only, and only where certain: a condition the analysis cannot see into never causes one.
#pragma once

#include "core/diagnostics.h"
#include "rules/program.h"

namespace vg::rules {

// Adds the analysis's warnings for a policy that compiled without errors.
void analyse_rules(const Program& p, Diagnostics& d);

}  // namespace vg::rules
