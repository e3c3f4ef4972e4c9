// What `villagegrid check` warns of in an exercise file that loads (docs/exercises.md, "Prepare: the
// exercise file"): parts that are valid but cannot do what the trainer means them to.
#pragma once

#include "core/diagnostics.h"
#include "exercise/session.h"

namespace vg::exercise {

// Warnings on `diags`, at the place in the exercise file:
// - an inject whose effect is in a village no team of its `player` plays: every command naming that
//   village is refused, and the objectives measure only the played villages;
// - an inject or objective about a supply that no task or monitoring of the policy (of that village,
//   or of the played villages) uses: its stock changes no work, so stockout_days and the screen's
//   alerts never show it out while supply_out_at_most counts the days with none.
void lint_exercise(const Session& s, Diagnostics& diags);

}  // namespace vg::exercise
