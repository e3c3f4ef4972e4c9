// How trace.csv names the event a rule was considered for: the trigger's name, with its value when
// the rule listened to one ("task_done:screening", "class_changed:key"). One definition for the
// writer (io/outputs) and the reader (analysis/explain), so the two never disagree.
#pragma once

#include <string>

#include "rules/program.h"

namespace vg::rules {

inline std::string event_label(const Program& prog, Event e, int filter) {
  std::string out = event_name(e);
  if (filter < 0) return out;
  switch (e) {
    case Event::TaskDone: return out + ":" + prog.task_kinds()[size_t(filter)].name;
    case Event::ClassChanged: return out + ":" + prog.classes()[size_t(filter)];
    case Event::TrackingEnded: return out + ":" + prog.tracking()[size_t(filter)].id;
    case Event::Custom: return out + ":" + prog.events()[size_t(filter)].name;
    case Event::OnDay: return out + ":" + std::to_string(filter);
    case Event::MonitoringEnded: return out + ":" + prog.monitoring()[size_t(filter)];
    default: return out;
  }
}

}  // namespace vg::rules
