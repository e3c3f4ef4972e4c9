// create_task: a task for staff of some roles (one per household with `for_each`).
#pragma once

#include <optional>

#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

struct CreateTask {
  int task_kind;

  static constexpr ActionSyntax syntax{"create_task", "{name, roles | team, minutes, within_hours, ...}", "task",
                                       ActionSyntax::For::Both,
                                       "creates a task for staff of the roles (one per household with `for_each`)"};
  // A task's map (docs/rules.md, "Tasks"), read by the loader's task reader.
  template <class In>
  static void read(In& in, ActionSpec& a) {
    a.task = in.create_task();
  }
  // The task kind the tasks step compiled under this name (it reported any error).
  template <class Site>
  static std::optional<CreateTask> compile(const ActionSpec& a, Site& s) {
    auto it = s.c.task_ids.find(a.task.name.name);
    if (it == s.c.task_ids.end()) return std::nullopt;
    return CreateTask{it->second};
  }
  template <class W>
  void apply(W& w) const {
    w.create_task(task_kind);  // its copies, households and repeats
  }
  template <class P, class Out>
  void changes(const P& p, Out&& slot) const {
    slot(p.village_slot(kVillageOpenTasks));
  }
  // explain counts the tasks created from the trace.
  template <class Story>
  void explain(Story& s) const {
    s.creates = true;
  }
};

}  // namespace vg::rules
