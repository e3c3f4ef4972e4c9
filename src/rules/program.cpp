#include "rules/program.h"

#include <algorithm>

namespace vg::rules {

int Program::find_role(std::string_view name) const {
  for (size_t i = 0; i < roles_.size(); ++i)
    if (roles_[i] == name) return int(i);
  return -1;
}
int Program::find_origin(std::string_view name) const {
  for (size_t i = 0; i < origins_.size(); ++i)
    if (origins_[i] == name) return int(i);
  return -1;
}

bool Program::has_rules(Event e) const {
  for (const auto& v : index_[size_t(e)])
    if (!v.empty()) return true;
  return false;
}

void Program::dispatch(Event e, int filter, int today, double* slots, DispatchHooks& hooks) const {
  dispatch_with(e, filter, today, slots, hooks);
}

size_t Program::value_count(TriggerSyntax::Names n) const {
  using N = TriggerSyntax::Names;
  switch (n) {
    case N::Task: return task_kinds_.size();
    case N::Class: return classes_.size();
    case N::Template: return tracking_.size();
    case N::Event: return events_.size();
    case N::Monitoring: return monitoring_.size();
    case N::Supply: return supplies_.size();
    case N::Role: return roles_.size();
    case N::Nothing:
    case N::Day: return 0;
  }
  return 0;
}

std::string Program::value_name(TriggerSyntax::Names n, int v) const {
  using N = TriggerSyntax::Names;
  const auto i = size_t(v);
  switch (n) {
    case N::Task: return task_kinds_[i].name;
    case N::Class: return classes_[i];
    case N::Template: return tracking_[i].id;
    case N::Event: return events_[i].name;
    case N::Monitoring: return monitoring_[i];
    case N::Supply: return supplies_[i];
    case N::Role: return roles_[i];
    case N::Nothing:
    case N::Day: break;
  }
  return std::to_string(v);
}

int Program::escalation_delay(int levels) const {
  if (!grid_) return 0;
  const auto& ls = grid_->levels;
  const size_t n = levels <= 0 ? ls.size() : std::min(ls.size(), size_t(levels));
  int delay = 0;
  for (size_t k = 0; k < n; ++k) delay += ls[ls.size() - 1 - k].report_delay_minutes;
  return delay;
}

}  // namespace vg::rules
