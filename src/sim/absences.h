// Who a scheduled absence takes off duty in one place: [first, last) of the place's `n` members of
// the role in roster order (one member, the first `count`, or the first round(share x n)). The one
// rule, for the engine (town/schedule.cpp) and for what an exercise's screen counts on duty.
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/model.h"

namespace vg::sim {

inline std::pair<size_t, size_t> absent_members(const Model::Absence& a, size_t n) {
  if (a.member > 0) {
    const size_t first = std::min(size_t(a.member - 1), n);
    return {first, std::min(first + 1, n)};
  }
  return {0, a.count > 0 ? std::min(size_t(a.count), n) : std::min(n, size_t(std::floor(a.share * double(n) + 0.5)))};
}

}  // namespace vg::sim
