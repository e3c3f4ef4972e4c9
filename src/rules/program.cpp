#include "rules/program.h"

#include <algorithm>
#include <map>
#include <set>

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

std::span<const int> Program::rules_for(Event e, int task_kind) const {
  if (e == Event::ReturneeArrived) return arrival_rules_;
  if (task_kind < 0 || size_t(task_kind) >= task_done_rules_.size()) return {};
  return task_done_rules_[size_t(task_kind)];
}

namespace {

// Declared names of one kind: duplicates are errors; lookups report "did you mean".
class NameTable {
 public:
  NameTable(const char* kind, const std::vector<NameSpec>& decl, Diagnostics& d, size_t max) : kind_(kind) {
    for (const auto& n : decl) {
      if (std::find(names_.begin(), names_.end(), n.name) != names_.end()) continue;  // repeated across files is fine
      names_.push_back(n.name);
    }
    if (names_.size() > max && !decl.empty())
      d.error(decl[max].loc, std::string("too many ") + kind + "s: at most " + std::to_string(max));
  }
  int find(const NameSpec& n, Diagnostics& d) const {
    auto it = std::find(names_.begin(), names_.end(), n.name);
    if (it != names_.end()) return int(it - names_.begin());
    std::string msg = std::string("unknown ") + kind_ + " '" + n.name + "'";
    std::string hint = did_you_mean(n.name, names_);
    if (hint.empty()) {
      msg += names_.empty() ? std::string("; none are declared: pass the file with the 'vocabulary' too") : "; declared: ";
      for (size_t i = 0; i < names_.size(); ++i) msg += (i ? ", " : "") + names_[i];
    }
    d.error(n.loc, msg + hint);
    return -1;
  }
  const std::vector<std::string>& names() const { return names_; }

 private:
  const char* kind_;
  std::vector<std::string> names_;
};

}  // namespace

std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& d) {
  const size_t errors_before = d.error_count();
  auto prog = std::shared_ptr<Program>(new Program());
  Program& p = *prog;
  const auto& voc = spec.vocabulary;

  NameTable roles("role", voc.roles, d, 32);  // role masks are 32-bit
  NameTable origins("origin", voc.origins, d, 64);
  NameTable classes("class", voc.classes, d, 64);
  p.roles_ = roles.names();
  p.origins_ = origins.names();
  p.classes_ = classes.names();
  if (voc.classes.empty() && (!spec.rules.empty() || !spec.tracking.empty()))
    d.error(spec.rules.empty() ? spec.tracking.front().loc : spec.rules.front().loc,
            "no classes are declared; add a vocabulary with 'classes' (the first is the class of a person not yet classified)");
  for (const auto& k : voc.key_classes) {
    int c = classes.find(k, d);
    if (c >= 0) p.key_class_mask_ |= 1ull << c;
  }

  // Schema: the facts a condition may read, in PersonSlot order.
  int origin_set = p.schema_.add_category_set("origin", p.origins_);
  int class_set = p.schema_.add_category_set("class", p.classes_);
  p.schema_.add_field("origin", Type::Category, origin_set, "where a returnee came from");
  p.schema_.add_field("class", Type::Category, class_set, "the person's current class");
  p.schema_.add_field("arrival_day", Type::Number, -1, "day the returnee was registered (0 = start date)");
  p.schema_.add_field("today", Type::Number, -1, "the current day (0 = start date)");
  p.schema_.add_field("household_size", Type::Number, -1, "people in the person's household");
  p.schema_.add_field("is_returnee", Type::Bool, -1, "whether the person is a returnee");

  // Tracking templates first: their duties are task kinds like any other.
  std::map<std::string, int> tracking_ids;
  for (const auto& t : spec.tracking) {
    if (t.id.empty()) continue;
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
      k.within_minutes = 0;  // a duty is due by the end of its day; the engine sets the deadline
      k.priority = t.priority;
      k.drop_when_late = true;  // a visit missed today is missed, not owed tomorrow
      k.tracking = int(p.tracking_.size());
      tt.members.push_back({role, int(p.task_kinds_.size())});
      p.task_kinds_.push_back(std::move(k));
    }
    tracking_ids[t.id] = int(p.tracking_.size());
    p.tracking_.push_back(std::move(tt));
  }

  // Task kinds created by rules: one kind per name; a second definition must agree.
  std::map<std::string, int> task_ids;
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    for (const auto& a : spec.rules[ri].actions) {
      if (a.kind != ActionSpec::Kind::CreateTask || a.task.name.name.empty()) continue;
      const auto& ts = a.task;
      TaskKind k;
      k.name = ts.name.name;
      k.loc = ts.name.loc;
      for (const auto& r : ts.roles) {
        int role = roles.find(r, d);
        if (role < 0) continue;
        if (k.primary_role < 0) k.primary_role = role;
        k.role_mask |= 1u << role;
      }
      k.minutes = ts.minutes;
      k.within_minutes = ts.within_minutes;
      k.priority = ts.priority.value_or(spec.rules[ri].priority);
      k.drop_when_late = ts.drop_when_late;
      k.counts_as_screening = ts.counts_as_screening;
      k.rule = int(ri);
      auto it = task_ids.find(k.name);
      if (it != task_ids.end()) {
        const TaskKind& first = p.task_kinds_[size_t(it->second)];
        if (first.minutes != k.minutes || first.role_mask != k.role_mask || first.within_minutes != k.within_minutes)
          d.error(ts.name.loc, "task '" + k.name + "' is defined differently at " + first.loc.str() +
                                   "; give this one another name");
        continue;
      }
      task_ids[k.name] = int(p.task_kinds_.size());
      p.task_kinds_.push_back(std::move(k));
    }
  }

  // Rules.
  std::set<std::string> rule_ids;
  for (const auto& r : spec.rules) {
    if (r.id.empty()) continue;
    if (!rule_ids.insert(r.id).second) d.error(r.loc, "duplicate rule id '" + r.id + "'");
    CompiledRule cr;
    cr.id = r.id;
    cr.loc = r.loc;
    cr.guideline = r.guideline;
    cr.title = r.title;
    cr.from_report = r.from_report;
    cr.priority = r.priority;
    cr.event = r.trigger.event;
    if (cr.event == Event::TaskDone) {
      auto it = task_ids.find(r.trigger.task.name);
      if (it != task_ids.end()) {
        cr.task_filter = it->second;
      } else if (!r.trigger.task.name.empty()) {
        std::vector<std::string> names;
        for (const auto& [n, i] : task_ids) names.push_back(n);
        d.error(r.trigger.task.loc, "no rule creates a task named '" + r.trigger.task.name + "'" + did_you_mean(r.trigger.task.name, names));
      }
    }
    if (!r.when.empty()) {
      cr.when = compile_expr(r.when, r.when_loc, p.schema_, d, Type::Bool);
      if (cr.when && cr.when->is_constant() && !cr.when->constant_value().value_or(1.0))
        d.warning(r.when_loc, "rule '" + r.id + "' can never fire: its condition is always false");
    }
    for (const auto& a : r.actions) {
      switch (a.kind) {
        case ActionSpec::Kind::CreateTask: {
          auto it = task_ids.find(a.task.name.name);
          if (it != task_ids.end()) cr.actions.push_back({a.kind, it->second});
          break;
        }
        case ActionSpec::Kind::SetClass: {
          int c = classes.find(a.name, d);
          if (c >= 0) cr.actions.push_back({a.kind, c});
          break;
        }
        case ActionSpec::Kind::StartTracking: {
          auto it = tracking_ids.find(a.name.name);
          if (it != tracking_ids.end()) {
            cr.actions.push_back({a.kind, it->second});
          } else if (!a.name.name.empty()) {
            std::vector<std::string> names;
            for (const auto& [n, i] : tracking_ids) names.push_back(n);
            d.error(a.name.loc, "unknown tracking template '" + a.name.name + "'" + did_you_mean(a.name.name, names));
          }
          break;
        }
      }
    }
    p.rules_.push_back(std::move(cr));
  }

  // Trigger index, in firing order: higher priority first, then the order the rules were read.
  std::vector<int> order(p.rules_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return p.rules_[size_t(a)].priority > p.rules_[size_t(b)].priority; });
  p.task_done_rules_.resize(p.task_kinds_.size());
  for (int i : order) {
    const auto& r = p.rules_[size_t(i)];
    if (r.event == Event::ReturneeArrived) p.arrival_rules_.push_back(i);
    else if (r.task_filter >= 0) p.task_done_rules_[size_t(r.task_filter)].push_back(i);
  }

  // Tracking templates no rule starts are dead weight; say so.
  for (size_t t = 0; t < p.tracking_.size(); ++t) {
    bool used = false;
    for (const auto& r : p.rules_)
      for (const auto& a : r.actions) used = used || (a.kind == ActionSpec::Kind::StartTracking && a.arg == int(t));
    if (!used && !p.rules_.empty())
      d.warning(p.tracking_[t].loc, "tracking template '" + p.tracking_[t].id + "' is never started by a rule");
  }

  p.spec_ = std::move(spec);
  if (d.error_count() > errors_before) return nullptr;
  return prog;
}

}  // namespace vg::rules
