// A prevention grid: the levels through which a village is organised and reports flow up, and how
// households are shared out among party members ("party members contact households"). The source
// describes a three-level grid (village party branch, party groups, party members and the public);
// alternatives are files of the same shape (scenarios/grids/).
#pragma once

#include <string>
#include <vector>

#include "core/source.h"

namespace vg::config {

struct GridLevelSpec {
  std::string name;
  SourceLoc loc;
  std::string unit;    // village | villager_group | household
  std::string led_by;  // a role; "" = nobody in particular
  SourceLoc led_by_loc;
  int leader_minutes_per_day = 0;  // coordination work of each unit's leader, every day
  int report_delay_minutes = 0;    // time for a report to pass from this level to the one above
};

struct GridSpec {
  std::string path;
  std::string name;
  std::string title;
  bool from_report = false;
  std::string note;
  std::vector<GridLevelSpec> levels;  // top (village) first
  int households_per_member = 0;      // span of control of a contact party member
  bool cover_all = false;             // give every household a member even past the span
  SourceLoc loc;
};

}  // namespace vg::config
