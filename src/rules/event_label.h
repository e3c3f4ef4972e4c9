// How trace.csv names the event a rule was considered for: the trigger's name, with its value when
// the rule listened to one ("task_done:screening", "class_changed:key"). One definition for the
// writer (io/outputs) and the reader (analysis/explain), so the two never disagree.
#pragma once

#include <string>

#include "rules/program.h"

namespace vg::rules {

inline std::string event_label(const Program& prog, Event e, int filter) {
  std::string out = event_name(e);
  const TriggerSyntax& t = trigger(e);
  if (filter < 0 || !t.labelled) return out;
  return out + ":" + prog.value_name(t.names, filter);
}

}  // namespace vg::rules
