#include "rules/program.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <functional>
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

std::span<const int> Program::rules_for(Event e, int filter) const {
  const auto& by_filter = index_[size_t(e)];
  const size_t k = size_t(filter + 1);
  if (k < by_filter.size()) return by_filter[k];
  return by_filter.empty() ? std::span<const int>() : std::span<const int>(by_filter[0]);
}

bool Program::has_rules(Event e) const {
  for (const auto& v : index_[size_t(e)])
    if (!v.empty()) return true;
  return false;
}

void Program::dispatch(Event e, int filter, int today, double* slots, DispatchHooks& hooks) const {
  auto ids = rules_for(e, filter);
  bool class_set = false;
  bool fresh = false;  // slots hold the facts as they are now (no action applied since the fill)
  for (int id : ids) {
    const CompiledRule& r = rules_[size_t(id)];
    if (e == Event::StockBelow && !hooks.crossed(r.level)) continue;  // another level: not this rule's event
    if (today < r.from_day || today > r.until_day || (r.after_event >= 0 && !hooks.event_raised(r.after_event))) {
      hooks.considered(id, false, nullptr);
      continue;
    }
    // Facts are filled only for a condition, and refreshed after actions: a rule sees what the
    // rules before it changed.
    if (r.when) {
      if (!fresh) hooks.fill(slots);
      fresh = true;
      if (!r.when->eval_bool(slots)) {
        hooks.considered(id, false, slots);
        continue;
      }
    }
    hooks.considered(id, true, r.when ? slots : nullptr);
    fresh = false;
    for (const Action& a : r.actions) {
      if (std::holds_alternative<SetClass>(a)) {
        if (class_set) {
          hooks.overridden(id, a);
          continue;
        }
        class_set = true;
      }
      hooks.apply(id, a);
    }
  }
}

namespace {

const char* subject_name(Subject s) { return s == Subject::Person ? "person" : "village"; }

// Declared names of one kind: repeats across files are fine; lookups report "did you mean".
class NameTable {
 public:
  NameTable(const char* kind, const std::vector<NameSpec>& decl, Diagnostics& d, size_t max) : kind_(kind) {
    for (const auto& n : decl)
      if (std::find(names_.begin(), names_.end(), n.name) == names_.end()) names_.push_back(n.name);
    if (names_.size() > max && !decl.empty())
      d.error(decl.back().loc, std::string("too many ") + kind + " names: at most " + std::to_string(max));
  }
  int find(std::string_view name) const {
    auto it = std::find(names_.begin(), names_.end(), name);
    return it == names_.end() ? -1 : int(it - names_.begin());
  }
  int find(const NameSpec& n, Diagnostics& d) const {
    int i = find(n.name);
    if (i >= 0) return i;
    std::string msg = std::string("unknown ") + kind_ + " '" + n.name + "'";
    std::string hint = did_you_mean(n.name, names_);
    if (hint.empty()) {
      msg += names_.empty() ? std::string("; none are declared: pass the file with the 'vocabulary' too") : "; declared: ";
      for (size_t k = 0; k < names_.size(); ++k) msg += (k ? ", " : "") + names_[k];
    }
    d.error(n.loc, msg + hint);
    return -1;
  }
  const std::vector<std::string>& names() const { return names_; }

 private:
  const char* kind_;
  std::vector<std::string> names_;
};

std::vector<NameSpec> names_of(const std::vector<AttributeSpec>& v) {
  std::vector<NameSpec> out;
  for (const auto& a : v) out.push_back(a.name);
  return out;
}
std::vector<NameSpec> names_of(const std::vector<EventDeclSpec>& v) {
  std::vector<NameSpec> out;
  for (const auto& a : v) out.push_back(a.name);
  return out;
}

// The compiled action of a spec whose names resolved to `arg` (-2: end_monitoring's "any") and, for
// a request, its channel `arg2`.
Action typed_action(const ActionSpec& a, int arg, int arg2) {
  using K = ActionSpec::Kind;
  switch (a.kind) {
    case K::CreateTask: return CreateTask{arg};
    case K::SetClass: return SetClass{arg};
    case K::StartTracking: return StartTracking{arg};
    case K::EndTracking: return EndTracking{arg};
    case K::SetAttribute: return SetAttribute{arg, a.value};
    case K::Raise: return Raise{arg, int64_t(a.value)};
    case K::StartMonitoring: return StartMonitoring{arg, int(a.value)};
    case K::EndMonitoring: return EndMonitoring{arg >= 0 ? std::optional<int>(arg) : std::nullopt};
    case K::OpenPost: return OpenPost{arg};
    case K::ClosePost: return ClosePost{arg};
    case K::Escalate: return Escalate{arg, int(a.value)};
    case K::Request: return Request{arg, arg2, int64_t(a.value)};
    case K::ObserveHousehold: return ObserveHousehold{arg, int(a.value)};
  }
  return CreateTask{arg};  // unreachable: every kind is listed
}

}  // namespace

int Program::escalation_delay(int levels) const {
  if (!grid_) return 0;
  const auto& ls = grid_->levels;
  const size_t n = levels <= 0 ? ls.size() : std::min(ls.size(), size_t(levels));
  int delay = 0;
  for (size_t k = 0; k < n; ++k) delay += ls[ls.size() - 1 - k].report_delay_minutes;
  return delay;
}

std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& d, const config::GridSpec* grid) {
  const size_t errors_before = d.error_count();
  auto prog = std::shared_ptr<Program>(new Program());
  Program& p = *prog;
  const auto& voc = spec.vocabulary;

  NameTable roles("role", voc.roles, d, 32);  // role masks are 32-bit
  NameTable origins("origin", voc.origins, d, 64);
  NameTable classes("class", voc.classes, d, 64);
  NameTable attrs("attribute", names_of(voc.attributes), d, 64);
  NameTable events("event", names_of(voc.events), d, 64);
  NameTable monitoring("monitoring kind", voc.monitoring, d, 32);
  p.monitoring_ = monitoring.names();
  NameTable supplies("supply", voc.supplies, d, 32);
  p.supplies_ = supplies.names();
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
  for (const auto& name : attrs.names())
    for (const auto& a : voc.attributes)
      if (a.name.name == name) {
        p.attributes_.push_back({name, a.about, a.is_bool});
        break;
      }
  for (const auto& name : events.names())
    for (const auto& e : voc.events)
      if (e.name.name == name) {
        p.events_.push_back({name, e.about});
        break;
      }

  // Schema, in slot order: person facts, person attributes, village facts, village attributes.
  auto& sc = p.schema_;
  const int origin_set = sc.add_category_set("origin", p.origins_);
  const int class_set = sc.add_category_set("class", p.classes_);
  std::vector<std::string> monitoring_values{"none"};
  for (const auto& k : p.monitoring_) monitoring_values.push_back(k);
  const int mon_set = sc.add_category_set("monitoring", monitoring_values);
  for (const FactInfo& f : kPersonFacts) {
    const int set = f.name == "origin" ? origin_set : f.name == "class" ? class_set : f.name == "monitoring" ? mon_set : -1;
    sc.add_field(std::string(f.name), f.type, set, std::string(f.doc));
  }
  p.attribute_slot_.assign(p.attributes_.size(), -1);
  std::set<std::string> fact_names;
  for (const auto& f : sc.fields()) fact_names.insert(f.name);
  for (const FactInfo& f : kVillageFacts) fact_names.insert(std::string(f.name));
  auto add_attributes = [&](Subject about) {
    for (size_t i = 0; i < p.attributes_.size(); ++i) {
      const auto& a = p.attributes_[i];
      if (a.about != about) continue;
      if (fact_names.count(a.name)) {
        for (const auto& as : voc.attributes)
          if (as.name.name == a.name) d.error(as.name.loc, "attribute '" + a.name + "' has the name of a built-in fact");
        continue;
      }
      p.attribute_slot_[i] = sc.add_field(a.name, a.is_bool ? Type::Bool : Type::Number, -1,
                                          std::string(subject_name(a.about)) + " attribute");
    }
  };
  add_attributes(Subject::Person);
  p.village_base_ = int(sc.slot_count());
  for (const FactInfo& f : kVillageFacts) sc.add_field(std::string(f.name), f.type, -1, std::string(f.doc));
  add_attributes(Subject::Village);
  for (const auto& sup : p.supplies_)
    p.stock_slot_.push_back(sc.add_field("stock_" + sup, Type::Number, -1, "the village's stock of " + sup));

  // Tracking templates first: their duties are task kinds like any other.
  std::map<std::string, int> tracking_ids;
  std::vector<std::pair<size_t, const UsesSpec*>> duty_uses;  // duty task kind, its supplies (resolved below)
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
  std::vector<std::string> tracking_names;
  for (const auto& [n, i] : tracking_ids) tracking_names.push_back(n);
  auto find_tracking = [&](const NameSpec& n) {
    auto it = tracking_ids.find(n.name);
    if (it != tracking_ids.end()) return it->second;
    d.error(n.loc, "unknown tracking template '" + n.name + "'" + did_you_mean(n.name, tracking_names));
    return -1;
  };

  // Which task each rule creates, and what each rule is about. A task_done rule is about what its
  // task is about, which is what the rule creating the task is about: resolved to a fixed point.
  std::map<std::string, size_t> creator;  // task name -> first rule creating it
  for (size_t ri = 0; ri < spec.rules.size(); ++ri)
    for (const auto& a : spec.rules[ri].actions)
      if (a.kind == ActionSpec::Kind::CreateTask && !a.task.name.name.empty()) creator.emplace(a.task.name.name, ri);
  std::vector<Subject> subject(spec.rules.size(), Subject::Person);
  std::vector<bool> known(spec.rules.size(), false);
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    const auto& t = spec.rules[ri].trigger;
    switch (t.event) {
      case Event::DayStarted:
      case Event::OnDay:
      case Event::StockBelow:
      case Event::StaffUnavailable:
      case Event::LocalCaseFound: subject[ri] = Subject::Village; known[ri] = true; break;
      case Event::Custom: {
        int e = events.find(t.name.name);
        subject[ri] = e >= 0 ? p.events_[size_t(e)].about : Subject::Person;
        known[ri] = true;
        break;
      }
      case Event::TaskDone: break;
      default: known[ri] = true;
    }
  }
  for (size_t pass = 0; pass < spec.rules.size(); ++pass) {
    bool changed = false;
    for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
      if (known[ri]) continue;
      auto it = creator.find(spec.rules[ri].trigger.name.name);
      if (it != creator.end() && known[it->second]) {
        subject[ri] = subject[it->second];
        known[ri] = changed = true;
      }
    }
    if (!changed) break;
  }

  // Supplies a task or post shift uses, and what it does when they are short.
  auto compile_uses = [&](const UsesSpec& u, TaskKind& k) {
    for (const auto& [sn, amount] : u.uses) {
      int sup = supplies.find(sn, d);
      if (sup >= 0) k.uses.push_back({sup, amount});
    }
    k.if_short = u.if_short;
    k.degraded_detection = u.if_short == IfShort::Degrade ? u.degraded_detection.value_or(kDefaultDegradedDetection) : 1.0;
  };
  for (const auto& [kind, uses] : duty_uses) compile_uses(*uses, p.task_kinds_[kind]);  // tracking duties

  // Task kinds created by rules: one kind per name; a second definition must agree.
  std::map<std::string, int> task_ids;
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    for (const auto& a : spec.rules[ri].actions) {
      if (a.kind != ActionSpec::Kind::CreateTask || a.task.name.name.empty()) continue;
      const auto& ts = a.task;
      TaskKind k;
      k.name = ts.name.name;
      k.loc = ts.name.loc;
      k.subject = subject[ri];
      for (const auto& r : ts.roles) {
        int role = roles.find(r, d);
        if (role < 0) continue;
        if (k.primary_role < 0) k.primary_role = role;
        k.role_mask |= 1u << role;
      }
      k.team = ts.team;
      if (k.team && ts.assign_contact_member)
        d.error(ts.name.loc, "a team task cannot be assigned to one member (assign: contact_member)");
      k.minutes = ts.minutes;
      k.within_minutes = ts.within_minutes;
      k.priority = ts.priority.value_or(spec.rules[ri].priority);
      k.drop_when_late = ts.drop_when_late;
      k.counts_as_screening = ts.counts_as_screening;
      k.counts_as_household_contact = ts.counts_as_household_contact;
      k.assign_contact_member = ts.assign_contact_member;
      k.for_each_household = ts.for_each_household;
      if ((k.assign_contact_member || k.counts_as_household_contact) && !k.for_each_household)
        d.error(ts.name.loc, "assign: contact_member and counts_as: household_contact are for tasks with for_each: household");
      k.copies = ts.copies;
      compile_uses(ts.uses, k);
      k.repeat = ts.repeat;
      k.rule = int(ri);
      if (k.for_each_household && k.subject != Subject::Village)
        d.error(ts.name.loc, "for_each: household is for rules about a village (day_started, day, a village event)");
      if (k.counts_as_screening && k.subject != Subject::Person)
        d.error(ts.name.loc, "counts_as: screening is for tasks about a person");
      auto it = task_ids.find(k.name);
      if (it != task_ids.end()) {
        const TaskKind& first = p.task_kinds_[size_t(it->second)];
        if (first.minutes != k.minutes || first.role_mask != k.role_mask || first.within_minutes != k.within_minutes ||
            first.subject != k.subject || first.for_each_household != k.for_each_household || first.copies != k.copies ||
            first.team != k.team || first.if_short != k.if_short ||
            first.degraded_detection != k.degraded_detection)
          d.error(ts.name.loc, "task '" + k.name + "' is defined differently at " + first.loc.str() +
                                   "; give this one another name");
        continue;
      }
      task_ids[k.name] = int(p.task_kinds_.size());
      p.task_kinds_.push_back(std::move(k));
    }
  }
  std::vector<std::string> task_names;
  for (const auto& [n, i] : task_ids) task_names.push_back(n);

  // Posts opened by rules: one per name; a second open_post of the same name must agree.
  std::map<std::string, int> post_ids;
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    for (const auto& a : spec.rules[ri].actions) {
      if (a.kind != ActionSpec::Kind::OpenPost || a.post.name.name.empty()) continue;
      const auto& ps = a.post;
      uint32_t mask = 0;
      int primary = -1;
      for (const auto& r : ps.roles) {
        int role = roles.find(r, d);
        if (role < 0) continue;
        if (primary < 0) primary = role;
        mask |= 1u << role;
      }
      auto it = post_ids.find(ps.name.name);
      if (it != post_ids.end()) {
        const Post& first = p.posts_[size_t(it->second)];
        if (first.role_mask != mask || first.staff_per_shift != ps.staff_per_shift ||
            first.shift_tasks.size() != ps.shifts.size() ||
            p.task_kinds_[size_t(first.shift_tasks.front())].if_short != ps.uses.if_short)
          d.error(ps.name.loc, "post '" + ps.name.name + "' is opened differently at " + first.loc.str() +
                                   "; give this one another name");
        continue;
      }
      Post post{ps.name.name, ps.name.loc, mask, ps.staff_per_shift, {}};
      const int priority = ps.priority == INT32_MIN ? spec.rules[ri].priority : ps.priority;
      TaskKind supplied;  // what each place of each shift uses
      compile_uses(ps.uses, supplied);
      for (const auto& sh : ps.shifts) {
        TaskKind k;
        char buf[32];
        std::snprintf(buf, sizeof buf, "/%02d:%02d-%02d:%02d", sh.from / 60, sh.from % 60, sh.to / 60, sh.to % 60);
        k.name = "post:" + ps.name.name + buf;
        k.loc = ps.name.loc;
        k.subject = Subject::Village;
        k.role_mask = mask;
        k.primary_role = primary;
        k.minutes = sh.to - sh.from;
        k.within_minutes = sh.to - sh.from;
        k.priority = priority;
        k.drop_when_late = true;  // a shift not staffed today is not owed tomorrow
        k.post = int(p.posts_.size());
        k.shift_from = sh.from;
        k.shift_to = sh.to;
        k.rule = int(ri);
        k.uses = supplied.uses;
        k.if_short = supplied.if_short;
        k.degraded_detection = supplied.degraded_detection;
        post.shift_tasks.push_back(int(p.task_kinds_.size()));
        p.task_kinds_.push_back(std::move(k));
      }
      post_ids[ps.name.name] = int(p.posts_.size());
      p.posts_.push_back(std::move(post));
    }
  }
  std::vector<std::string> post_names;
  for (const auto& [n, i] : post_ids) post_names.push_back(n);

  // The grid: leaders' roles, their daily coordination tasks, report delays.
  if (grid) {
    Grid g;
    g.name = grid->name;
    g.households_per_member = grid->households_per_member;
    g.cover_all = grid->cover_all;
    for (const auto& l : grid->levels) {
      GridLevel gl;
      gl.name = l.name;
      gl.unit = l.unit == "village" ? GridLevel::Unit::Village
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
      if (gl.unit == GridLevel::Unit::Household) g.contact_role = gl.leader_role;
      g.levels.push_back(gl);
    }
    if (g.contact_role < 0)
      d.warning(grid->loc, "grid '" + g.name + "' has no household level led by a role: no household has a contact member");
    p.grid_ = std::move(g);
  }
  std::vector<bool> monitoring_started(p.monitoring_.size(), false);
  std::vector<bool> monitoring_observed(p.monitoring_.size(), false);  // by observe_household
  std::vector<SourceLoc> monitoring_uses_loc(p.monitoring_.size());
  p.monitoring_uses_.assign(p.monitoring_.size(), {});

  // Rules.
  std::set<std::string> rule_ids;
  std::vector<bool> class_set_by_rule(p.classes_.size(), false), event_raised_by_rule(p.events_.size(), false);
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    const auto& r = spec.rules[ri];
    if (r.id.empty()) continue;
    if (!rule_ids.insert(r.id).second) d.error(r.loc, "duplicate rule id '" + r.id + "'");
    CompiledRule cr;
    cr.id = r.id;
    cr.loc = r.loc;
    cr.guideline = r.guideline;
    cr.title = r.title;
    cr.from_report = r.from_report;
    cr.priority = r.priority;
    cr.subject = subject[ri];
    cr.event = r.trigger.event;
    cr.from_day = r.from_day.value_or(0);
    cr.until_day = r.until_day.value_or(INT32_MAX);
    if (!r.after_event.name.empty()) {
      cr.after_event = events.find(r.after_event, d);
      if (cr.after_event >= 0 && p.events_[size_t(cr.after_event)].about != Subject::Village)
        d.error(r.after_event.loc, "after_event needs an event about a village; '" + r.after_event.name +
                                       "' is about a person (use it as a trigger instead)");
    }
    const auto& tn = r.trigger.name;
    switch (cr.event) {
      case Event::TaskDone: {
        auto it = task_ids.find(tn.name);
        if (it != task_ids.end()) cr.filter = it->second;
        else d.error(tn.loc, "no rule creates a task named '" + tn.name + "'" + did_you_mean(tn.name, task_names));
        break;
      }
      case Event::ClassChanged:
        if (!tn.name.empty()) cr.filter = classes.find(tn, d);
        break;
      case Event::TrackingEnded:
        if (!tn.name.empty()) cr.filter = find_tracking(tn);
        break;
      case Event::Custom: cr.filter = events.find(tn, d); break;
      case Event::MonitoringEnded:
        if (!tn.name.empty()) cr.filter = monitoring.find(tn, d);
        break;
      case Event::StockBelow:
        cr.filter = supplies.find(tn, d);
        cr.level = r.trigger.day;
        break;
      case Event::StaffUnavailable:
        if (!tn.name.empty()) cr.filter = roles.find(tn, d);
        break;
      case Event::OnDay: cr.filter = r.trigger.day; break;
      default: break;
    }
    if (!r.when.empty()) {
      cr.when = compile_expr(r.when, r.when_loc, p.schema_, d, Type::Bool, r.when_continuation_col);
      if (cr.when && cr.subject == Subject::Village) {
        for (int slot : cr.when->fields_read())
          if (slot < p.village_base_) {
            d.error(r.when_loc, "rule '" + r.id + "' is about a village (its trigger is " + event_name(cr.event) +
                                    "), but its condition reads '" + p.schema_.fields()[size_t(slot)].name +
                                    "', a fact of a person");
            break;
          }
      }
      if (cr.when && cr.when->is_constant() && !cr.when->constant_value().value_or(1.0))
        d.warning(r.when_loc, "rule '" + r.id + "' can never fire: its condition is always false");
    }
    for (const auto& a : r.actions) {
      struct { int arg = -1, arg2 = -1; } act;  // names resolved; typed by typed_action
      switch (a.kind) {
        case ActionSpec::Kind::CreateTask: {
          auto it = task_ids.find(a.task.name.name);
          if (it != task_ids.end()) act.arg = it->second;
          break;
        }
        case ActionSpec::Kind::SetClass:
          act.arg = classes.find(a.name, d);
          if (cr.subject != Subject::Person)
            d.error(a.loc, "set_class is for rules about a person; rule '" + r.id + "' is about a village");
          if (act.arg >= 0) class_set_by_rule[size_t(act.arg)] = true;
          break;
        case ActionSpec::Kind::StartTracking:
        case ActionSpec::Kind::EndTracking:
          act.arg = find_tracking(a.name);
          if (cr.subject != Subject::Person)
            d.error(a.loc, "tracking is for rules about a person; rule '" + r.id + "' is about a village");
          break;
        case ActionSpec::Kind::SetAttribute: {
          act.arg = attrs.find(a.name, d);
          if (act.arg < 0) break;
          const Attribute& at = p.attributes_[size_t(act.arg)];
          if (at.about == Subject::Person && cr.subject == Subject::Village)
            d.error(a.name.loc, "attribute '" + at.name + "' belongs to a person; rule '" + r.id + "' is about a village");
          if (at.is_bool != a.value_is_bool)
            d.error(a.value_loc, "attribute '" + at.name + "' is " + (at.is_bool ? "a bool: expected true or false" : "a number: expected a number"));
          break;
        }
        case ActionSpec::Kind::StartMonitoring:
          act.arg = monitoring.find(a.name, d);
          if (cr.subject != Subject::Person)
            d.error(a.loc, "monitoring is for rules about a person; rule '" + r.id + "' is about a village");
          if (act.arg >= 0) {
            // Supplies per person and day belong to the kind: every start of a kind must agree.
            std::vector<std::pair<int, int>> uses;
            for (const auto& [sn, amount] : a.uses_per_day)
              if (int sup = supplies.find(sn, d); sup >= 0) uses.push_back({sup, amount});
            const size_t k = size_t(act.arg);
            if (!monitoring_started[k]) {
              p.monitoring_uses_[k] = std::move(uses);
              monitoring_uses_loc[k] = a.loc;
            } else if (p.monitoring_uses_[k] != uses) {
              d.error(a.loc, "monitoring '" + p.monitoring_[k] + "' is started with other uses_per_day at " +
                                 monitoring_uses_loc[k].str() +
                                 "; supplies per day belong to the kind, so every start_monitoring of it must say the same");
            }
            monitoring_started[k] = true;
          }
          break;
        case ActionSpec::Kind::ObserveHousehold:
          act.arg = monitoring.find(a.name, d);
          if (cr.subject != Subject::Person && cr.event != Event::LocalCaseFound)
            d.error(a.loc, "observe_household is for rules about a person (their household) or on local_case_found "
                           "(the case's household); rule '" + r.id + "' is about a village");
          if (act.arg >= 0) monitoring_observed[size_t(act.arg)] = true;
          break;
        case ActionSpec::Kind::EndMonitoring:
          act.arg = a.name.name == "any" ? INT32_MAX : monitoring.find(a.name, d);
          if (cr.subject != Subject::Person)
            d.error(a.loc, "monitoring is for rules about a person; rule '" + r.id + "' is about a village");
          if (act.arg == INT32_MAX) act.arg = -2;  // any kind; kept below
          break;
        case ActionSpec::Kind::OpenPost:
        case ActionSpec::Kind::ClosePost: {
          auto it = post_ids.find(a.name.name);
          if (it != post_ids.end()) act.arg = it->second;
          else if (!a.name.name.empty())
            d.error(a.name.loc, "no rule opens a post named '" + a.name.name + "'" + did_you_mean(a.name.name, post_names));
          break;
        }
        case ActionSpec::Kind::Request: {  // the channel is the scenario's: checked in sim::build_model
          act.arg = supplies.find(a.name, d);
          auto it = std::find(p.channels_.begin(), p.channels_.end(), a.channel.name);
          act.arg2 = int(it - p.channels_.begin());
          if (it == p.channels_.end()) p.channels_.push_back(a.channel.name);
          break;
        }
        case ActionSpec::Kind::Escalate:  // needs a grid: checked with the scenario (sim::build_model)
        case ActionSpec::Kind::Raise: {
          act.arg = events.find(a.name, d);
          if (act.arg < 0) break;
          if (p.events_[size_t(act.arg)].about == Subject::Person && cr.subject == Subject::Village)
            d.error(a.name.loc, "event '" + a.name.name + "' is about a person; rule '" + r.id + "' is about a village");
          event_raised_by_rule[size_t(act.arg)] = true;
          break;
        }
      }
      if (act.arg >= 0 || act.arg == -2) cr.actions.push_back(typed_action(a, act.arg, act.arg2));
    }
    p.rules_.push_back(std::move(cr));
  }

  // Index, in firing order: higher priority first, then the order the rules were read.
  std::vector<int> order(p.rules_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return p.rules_[size_t(a)].priority > p.rules_[size_t(b)].priority; });
  int max_day = 0;
  for (const auto& r : p.rules_)
    if (r.event == Event::OnDay) max_day = std::max(max_day, r.filter);
  const size_t domain[kEventCount] = {1, p.task_kinds_.size() + 1, 1, size_t(max_day) + 2, p.classes_.size() + 1,
                                      p.tracking_.size() + 1, p.events_.size() + 1, p.monitoring_.size() + 1, 1, 1,
                                      p.supplies_.size() + 1, p.roles_.size() + 1, 1};
  p.index_.resize(kEventCount);
  for (int e = 0; e < kEventCount; ++e) p.index_[size_t(e)].resize(domain[e]);
  for (int i : order) {
    const auto& r = p.rules_[size_t(i)];
    auto& lists = p.index_[size_t(r.event)];
    const bool keyed = r.event == Event::TaskDone || r.event == Event::OnDay || r.event == Event::Custom ||
                       r.event == Event::StockBelow;
    if (r.filter >= 0) {
      lists[size_t(r.filter + 1)].push_back(i);
    } else if (!keyed) {  // "any": every filter value hears it
      for (auto& l : lists) l.push_back(i);
    }
  }
  // "any" rules were appended after the specific ones; restore firing order in each list.
  for (auto& lists : p.index_)
    for (auto& l : lists)
      std::stable_sort(l.begin(), l.end(), [&](int a, int b) { return p.rules_[size_t(a)].priority > p.rules_[size_t(b)].priority; });

  // Reachability and coverage warnings.
  for (size_t t = 0; t < p.tracking_.size(); ++t) {
    bool used = false;
    for (const auto& r : p.rules_)
      for (const auto& a : r.actions)
        if (auto* start = std::get_if<StartTracking>(&a)) used = used || start->tmpl == int(t);
    if (!used && !p.rules_.empty())
      d.warning(p.tracking_[t].loc, "tracking template '" + p.tracking_[t].id + "' is never started by a rule");
  }
  for (const auto& r : p.rules_) {
    if (r.event == Event::Custom && r.filter >= 0 && !event_raised_by_rule[size_t(r.filter)])
      d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule raises event '" + p.events_[size_t(r.filter)].name + "'");
    if (r.event == Event::ClassChanged && r.filter >= 0 && !class_set_by_rule[size_t(r.filter)])
      d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule sets class '" + p.classes_[size_t(r.filter)] + "'");
    if (r.after_event >= 0 && !event_raised_by_rule[size_t(r.after_event)])
      d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule raises event '" + p.events_[size_t(r.after_event)].name + "'");
    if (r.from_day > r.until_day) d.warning(r.loc, "rule '" + r.id + "' can never fire: its period is empty");
    if (r.event == Event::MonitoringEnded && r.filter >= 0 && !monitoring_started[size_t(r.filter)] &&
        !monitoring_observed[size_t(r.filter)])
      d.warning(r.loc, "rule '" + r.id + "' can never fire: no rule starts monitoring '" + p.monitoring_[size_t(r.filter)] + "'");
  }
  for (size_t c = 1; c < p.classes_.size(); ++c) {
    if (class_set_by_rule[c] || p.rules_.empty()) continue;
    auto it = std::find_if(voc.classes.begin(), voc.classes.end(), [&](const NameSpec& n) { return n.name == p.classes_[c]; });
    d.warning(it->loc, "class '" + p.classes_[c] + "' is declared but no rule sets it");
  }
  // Two unconditional rules on the same event that set different classes: the first wins (by
  // priority, then order), which is rarely what the author meant.
  for (size_t a = 0; a < p.rules_.size(); ++a)
    for (size_t b = a + 1; b < p.rules_.size(); ++b) {
      const auto& x = p.rules_[a];
      const auto& y = p.rules_[b];
      if (x.event != y.event || x.filter != y.filter) continue;
      const std::string cx = x.when ? x.when->source() : "", cy = y.when ? y.when->source() : "";
      if (cx != cy) continue;
      int kx = -1, ky = -1;
      for (const auto& act : x.actions) if (auto* set = std::get_if<SetClass>(&act)) kx = set->cls;
      for (const auto& act : y.actions) if (auto* set = std::get_if<SetClass>(&act)) ky = set->cls;
      if (kx >= 0 && ky >= 0 && kx != ky) {
        const auto& loser = (x.priority >= y.priority) ? y : x;
        const auto& winner = (x.priority >= y.priority) ? x : y;
        d.warning(loser.loc, "rules '" + x.id + "' and '" + y.id + "' set different classes ('" + p.classes_[size_t(kx)] +
                                 "', '" + p.classes_[size_t(ky)] + "') on the same event under the same condition; '" +
                                 winner.id + "' fires first and wins");
      }
    }

  // Cycles: a rule whose actions raise, directly or through other rules, the event it listens to
  // would loop for ever. Nodes are (event, filter); edges go from a rule's trigger to what it raises.
  {
    using Node = std::pair<int, int>;
    std::map<Node, std::vector<std::pair<Node, int>>> edges;
    for (size_t i = 0; i < p.rules_.size(); ++i) {
      const auto& r = p.rules_[i];
      Node from{int(r.event), r.filter};
      for (const auto& a : r.actions) {
        if (auto* x = std::get_if<Raise>(&a)) edges[from].push_back({{int(Event::Custom), x->event}, int(i)});
        if (auto* x = std::get_if<Escalate>(&a)) edges[from].push_back({{int(Event::Custom), x->event}, int(i)});
        if (auto* x = std::get_if<SetClass>(&a)) {
          edges[from].push_back({{int(Event::ClassChanged), x->cls}, int(i)});
          edges[from].push_back({{int(Event::ClassChanged), -1}, int(i)});
        }
        if (auto* x = std::get_if<EndMonitoring>(&a)) {
          for (int k = 0; k < int(p.monitoring_.size()); ++k)
            if (x->kind.value_or(k) == k) edges[from].push_back({{int(Event::MonitoringEnded), k}, int(i)});
          edges[from].push_back({{int(Event::MonitoringEnded), -1}, int(i)});
        }
        if (auto* x = std::get_if<EndTracking>(&a)) {
          edges[from].push_back({{int(Event::TrackingEnded), x->tmpl}, int(i)});
          edges[from].push_back({{int(Event::TrackingEnded), -1}, int(i)});
        }
      }
    }
    std::map<Node, int> state;
    std::vector<int> path;
    bool reported = false;
    std::function<void(Node)> visit = [&](Node n) {
      state[n] = 1;
      auto targets = edges[n];
      // A class_changed (or tracking_ended) rule for any value also hears every specific one.
      if (n.first == int(Event::ClassChanged) || n.first == int(Event::TrackingEnded) ||
          n.first == int(Event::MonitoringEnded)) {
        if (n.second >= 0) for (auto& t : edges[{n.first, -1}]) targets.push_back(t);
      }
      for (const auto& [to, rule] : targets) {
        if (reported) return;
        if (state[to] == 1) {
          std::string chain;
          for (int rr : path) chain += p.rules_[size_t(rr)].id + " -> ";
          d.error(p.rules_[size_t(rule)].loc, "rules raise their own trigger in a cycle: " + chain +
                                                  p.rules_[size_t(rule)].id + "; a run would never end");
          reported = true;
          return;
        }
        if (state[to] == 0) {
          path.push_back(rule);
          visit(to);
          path.pop_back();
        }
      }
      state[n] = 2;
    };
    for (const auto& [n, e] : edges)
      if (!reported && state[n] == 0) visit(n);
    // Without cycles, chains are finite; the engine nests dispatch up to a fixed depth, so a
    // chain longer than that is refused here rather than cut short in a run.
    if (!reported) {
      std::map<Node, int> depth;
      std::function<int(Node)> longest = [&](Node n) -> int {
        if (auto it = depth.find(n); it != depth.end()) return it->second;
        int best = 1;
        auto targets = edges[n];
        if (n.first == int(Event::ClassChanged) || n.first == int(Event::TrackingEnded) ||
            n.first == int(Event::MonitoringEnded))
          if (n.second >= 0)
            for (auto& t : edges[{n.first, -1}]) targets.push_back(t);
        for (const auto& [to, rule] : targets) best = std::max(best, 1 + longest(to));
        return depth[n] = best;
      };
      for (const auto& [n, e] : edges)
        if (int len = longest(n); len > kMaxRuleChain) {
          d.error(p.rules_[size_t(e.front().second)].loc,
                  "rules raise events in a chain " + std::to_string(len) + " deep; at most " +
                      std::to_string(kMaxRuleChain) + " nested events are followed");
          break;
        }
    }
  }

  for (auto& k : p.task_kinds_) k.guideline = k.rule >= 0 ? spec.rules[size_t(k.rule)].guideline : 0;
  p.spec_ = std::move(spec);
  if (d.error_count() > errors_before) return nullptr;
  return prog;
}

}  // namespace vg::rules
