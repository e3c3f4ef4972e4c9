// The grid step: the scenario's prevention grid, compiled: leaders' roles, the daily coordination
// work of each unit's leader (a task kind), and report delays between levels.
#include "rules/compile/compiler.h"

namespace vg::rules::compile {

void Compiler::grid(const config::GridSpec& grid) {
  Grid g;
  g.name = grid.name;
  g.households_per_member = grid.households_per_member;
  g.cover_all = grid.cover_all;
  bool unknown_leader = false;
  for (const auto& l : grid.levels) {
    GridLevel gl;
    gl.name = l.name;
    gl.unit = l.unit == "village"          ? GridLevel::Unit::Village
              : l.unit == "villager_group" ? GridLevel::Unit::VillagerGroup
                                           : GridLevel::Unit::Household;
    gl.report_delay_minutes = l.report_delay_minutes;
    if (!l.led_by.empty()) gl.leader_role = roles.find(NameSpec{l.led_by, l.led_by_loc}, d);
    if (l.leader_minutes_per_day > 0 && gl.leader_role >= 0 && gl.unit != GridLevel::Unit::Household) {
      TaskKind k;
      k.name = "grid:" + l.name;
      k.loc = l.loc;
      k.subject = Subject::Village;
      k.role_mask = 1u << gl.leader_role;
      k.primary_role = gl.leader_role;
      k.minutes = l.leader_minutes_per_day;
      k.priority = 85;  // coordination comes before routine work, after the "5+1" duties
      k.drop_when_late = true;
      gl.leader_task = int(p.task_kinds_.size());
      p.task_kinds_.push_back(std::move(k));
    }
    if (gl.unit == GridLevel::Unit::Household) {
      g.contact_role = gl.leader_role;
      g.contact_loc = l.led_by_loc;
      // A leader named but unknown (a misspelt role) was told where it is named: the contact
      // tasks' error below would send the reader to the policy for the same mistake.
      unknown_leader = !l.led_by.empty() && gl.leader_role < 0;
    }
    g.levels.push_back(gl);
  }
  // Tasks for each household's contact member need one (the tasks step ran before this one).
  bool contact_tasks = false;
  if (g.contact_role < 0 && !unknown_leader)
    for (const auto& k : p.task_kinds_)
      if (k.assign_contact_member) {
        contact_tasks = true;
        const bool household_level = std::any_of(g.levels.begin(), g.levels.end(),
                                                 [](const auto& l) { return l.unit == GridLevel::Unit::Household; });
        d.error(k.loc, "task '" + k.name + "' goes to each household's contact member, but grid '" + g.name +
                           (household_level ? "' has no household level led by a role: give its household level "
                                              "`led_by: ROLE`"
                                            : "' has no household level: add one (`unit: household`, `led_by: ROLE`) "
                                              "as its last level"));
      }
  if (g.contact_role < 0 && !contact_tasks && !unknown_leader)
    d.warning(grid.loc,
              "grid '" + g.name + "' has no household level led by a role: no household has a contact member");
  p.grid_ = std::move(g);
}

}  // namespace vg::rules::compile
