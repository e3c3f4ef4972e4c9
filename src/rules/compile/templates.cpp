// The templates step: tracking templates ("5+1" teams), whose members' daily duties become task
// kinds like any other, so the scheduler needs nothing special for them.
#include "rules/compile/compiler.h"

namespace vg::rules::compile {

void Compiler::templates() {
  std::vector<std::pair<size_t, const UsesSpec*>> duty_uses;  // duty task kind, its supplies
  for (const auto& t : spec.tracking) {
    if (t.id.empty()) {
      tracking_unread = true;  // its id not read (reported): the template is unknown
      continue;
    }
    if (tracking_ids.count(t.id)) {
      d.error(t.loc, "duplicate tracking template '" + t.id + "' (first defined at " +
                         p.tracking_[size_t(tracking_ids[t.id])].loc.str() + ")");
      continue;
    }
    TrackingTemplate tt{t.id, t.loc, t.title, t.days, t.priority, {}};
    for (const auto& m : t.team) {
      int role = roles.find(m.role, d);
      TaskKind k;
      k.name = t.id + "/" + m.role.name;
      k.loc = m.role.loc;
      k.role_mask = role >= 0 ? 1u << role : 0;
      k.primary_role = role;
      k.minutes = m.minutes;
      k.priority = t.priority;
      k.drop_when_late = true;  // a visit missed today is missed, not owed tomorrow
      k.tracking = int(p.tracking_.size());
      duty_uses.push_back({p.task_kinds_.size(), &m.uses});
      tt.members.push_back({role, int(p.task_kinds_.size())});
      p.task_kinds_.push_back(std::move(k));
    }
    tracking_ids[t.id] = int(p.tracking_.size());
    p.tracking_.push_back(std::move(tt));
  }
  for (const auto& [n, i] : tracking_ids) tracking_names.push_back(n);
  // After every template's roles: a user sees the unknown roles of all templates, then the supplies.
  for (const auto& [kind, uses] : duty_uses) compile_uses(*uses, p.task_kinds_[kind]);
}

int Compiler::find_tracking(const NameSpec& n) {
  auto it = tracking_ids.find(n.name);
  if (it != tracking_ids.end()) return it->second;
  if (tracking_unread) return -1;  // perhaps the template whose id could not be read
  d.error(n.loc, unknown_name("tracking template", n.name, tracking_names,
                              {"; defined: ", "; no tracking template is defined"}));
  return -1;
}

}  // namespace vg::rules::compile
