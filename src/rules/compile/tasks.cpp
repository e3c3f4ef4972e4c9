// The subjects step, and the tasks and posts step: what each rule is about, then the task kinds
// rules create and the posts they open (each post shift a task kind). One kind per name: a second
// definition must agree with the first, since the engine keeps one set of figures per kind.
#include <climits>
#include <cstdio>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

// Which task each rule creates, and what each rule is about. A task_done rule is about what its
// task is about, which is what the rule creating the task is about: resolved to a fixed point.
void Compiler::subjects() {
  std::map<std::string, size_t> creator;  // task name -> first rule creating it
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    // An action dropped unread, or a task or post whose name was not read (reported): a name
    // not found may be its, so it is not called unknown.
    if (!spec.rules[ri].actions_read) tasks_unread = posts_unread = true;
    for (const auto& a : spec.rules[ri].actions) {
      if (a.kind == kAction<CreateTask> && a.task.name.name.empty()) tasks_unread = true;
      if (a.kind == kAction<OpenPost> && a.post.name.name.empty()) posts_unread = true;
      if (a.kind == kAction<CreateTask> && !a.task.name.name.empty()) creator.emplace(a.task.name.name, ri);
    }
  }
  subject.assign(spec.rules.size(), Subject::Person);
  subject_unsure.assign(spec.rules.size(), false);
  std::vector<bool> known(spec.rules.size(), false);
  for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
    const auto& t = spec.rules[ri].trigger;
    const TriggerSyntax& syntax = trigger(t.event);
    known[ri] = true;
    if (!spec.rules[ri].trigger_read) {
      subject_unsure[ri] = true;
      continue;
    }
    if (syntax.about == TriggerSyntax::About::Village) {
      subject[ri] = Subject::Village;
    } else if (syntax.about == TriggerSyntax::About::Named && syntax.names == TriggerSyntax::Names::Event) {
      int e = events.find(t.name.name);
      subject[ri] = e >= 0 ? p.events_[size_t(e)].about : Subject::Person;
    } else if (syntax.about == TriggerSyntax::About::Named) {
      known[ri] = false;  // about what the task named is about: below
    }
  }
  for (size_t pass = 0; pass < spec.rules.size(); ++pass) {
    bool changed = false;
    for (size_t ri = 0; ri < spec.rules.size(); ++ri) {
      if (known[ri]) continue;
      auto it = creator.find(spec.rules[ri].trigger.name.name);
      if (it != creator.end() && known[it->second]) {
        subject[ri] = subject[it->second];
        subject_unsure[ri] = subject_unsure[it->second];
        known[ri] = changed = true;
      }
    }
    if (!changed) break;
  }
  // On a task no rule read creates: about what that rule is about, unknown when one was not read.
  for (size_t ri = 0; ri < spec.rules.size(); ++ri)
    if (!known[ri] && tasks_unread) subject_unsure[ri] = true;
}

// Supplies a task or post shift uses, and what it does when they are short.
void Compiler::compile_uses(const UsesSpec& u, TaskKind& k) {
  for (const auto& [sn, amount] : u.uses) {
    int sup = supplies.find(sn, d);
    if (sup >= 0) k.uses.push_back({sup, amount});
  }
  k.if_short = u.if_short;
  k.degraded_detection =
      u.if_short == IfShort::Degrade ? u.degraded_detection.value_or(kDefaultDegradedDetection) : 1.0;
}

// Who may do a task or take a shift: a mask of the roles listed; `primary`, the first one known.
uint32_t Compiler::role_mask(const std::vector<NameSpec>& listed, int& primary) {
  uint32_t mask = 0;
  for (const auto& r : listed) {
    int role = roles.find(r, d);
    if (role < 0) continue;
    if (primary < 0) primary = role;
    mask |= 1u << role;
  }
  return mask;
}

void Compiler::tasks() {
  for (size_t ri = 0; ri < spec.rules.size(); ++ri)
    for (const auto& a : spec.rules[ri].actions)
      if (a.kind == kAction<CreateTask> && !a.task.name.name.empty()) compile_task(ri, a.task, a.read);
  for (const auto& [n, i] : task_ids) task_names.push_back(n);
}

// A create_task of rule `ri`: a new task kind, or a check that it agrees with the first of its name.
// `read`: false where reading the task had errors (reported); what was read is still checked.
void Compiler::compile_task(size_t ri, const CreateTaskSpec& ts, bool read) {
  TaskKind k;
  k.name = ts.name.name;
  k.loc = ts.name.loc;
  k.subject = subject[ri];
  k.role_mask = role_mask(ts.roles, k.primary_role);
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
    d.error(ts.name.loc,
            "assign: contact_member and counts_as: household_contact are for tasks with for_each: household");
  k.copies = ts.copies;
  compile_uses(ts.uses, k);
  k.repeat = ts.repeat;
  k.rule = int(ri);
  const bool sure = !subject_unsure[ri];  // what the rule is about is known
  if (sure && k.for_each_household && k.subject != Subject::Village)
    d.error(ts.name.loc, "for_each: household is for rules about a village (day_started, day, a village event)");
  if (sure && k.counts_as_screening && k.subject != Subject::Person)
    d.error(ts.name.loc, "counts_as: screening is for tasks about a person");
  auto it = task_ids.find(k.name);
  if (it != task_ids.end()) {
    const TaskKind& first = p.task_kinds_[size_t(it->second)];
    // Compared only when both were read whole: a field not read would differ for no fault of its own.
    if (!sure || !read || task_kind_unread[size_t(it->second)] || subject_unsure[size_t(first.rule)]) return;
    if (first.minutes != k.minutes || first.role_mask != k.role_mask || first.within_minutes != k.within_minutes ||
        first.subject != k.subject || first.for_each_household != k.for_each_household || first.copies != k.copies ||
        first.team != k.team || first.if_short != k.if_short || first.degraded_detection != k.degraded_detection)
      d.error(ts.name.loc,
              "task '" + k.name + "' is defined differently at " + first.loc.str() + "; give this one another name");
    return;
  }
  task_ids[k.name] = int(p.task_kinds_.size());
  p.task_kinds_.push_back(std::move(k));
  task_kind_unread.resize(p.task_kinds_.size(), false);
  task_kind_unread.back() = !read;
}

void Compiler::posts() {
  for (size_t ri = 0; ri < spec.rules.size(); ++ri)
    for (const auto& a : spec.rules[ri].actions)
      if (a.kind == kAction<OpenPost> && !a.post.name.name.empty()) compile_post(ri, a.post, a.read);
  for (const auto& [n, i] : post_ids) post_names.push_back(n);
}

// An open_post of rule `ri`: a new post with a task kind per shift, or a check that it agrees with
// the first of its name. `read`: false where reading the post had errors (reported).
void Compiler::compile_post(size_t ri, const PostSpec& ps, bool read) {
  int primary = -1;
  const uint32_t mask = role_mask(ps.roles, primary);
  auto it = post_ids.find(ps.name.name);
  if (it != post_ids.end()) {
    const Post& first = p.posts_[size_t(it->second)];
    if (!read || post_unread[size_t(it->second)]) return;  // compared only when both were read whole
    if (first.role_mask != mask || first.staff_per_shift != ps.staff_per_shift ||
        first.registers_share != ps.registers_share || first.shift_tasks.size() != ps.shifts.size() ||
        p.task_kinds_[size_t(first.shift_tasks.front())].if_short != ps.uses.if_short)
      d.error(ps.name.loc, "post '" + ps.name.name + "' is opened differently at " + first.loc.str() +
                               "; give this one another name");
    return;
  }
  Post post{ps.name.name, ps.name.loc, mask, ps.staff_per_shift, {}, ps.registers_share};
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
  post_unread.push_back(!read);
}

}  // namespace vg::rules::compile
