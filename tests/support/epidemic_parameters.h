// Test helper: epidemic parameters with one homogeneous layer - no household transmission, the
// whole of r0 in the village layer - the case where R0 and the final-size relation have
// textbook answers.
#pragma once

#include "epidemic/parameters.h"

namespace vg::testing {

inline epidemic::Parameters village_layer_only(double r0) {
  epidemic::Parameters p;
  p.r0 = r0;
  p.household_sar = 0;
  p.group_weight = 0;
  p.village_weight = 1;
  p.town_weight = 0;
  return p;
}

}  // namespace vg::testing
