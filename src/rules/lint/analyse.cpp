#include "rules/lint/analyse.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rules/lint/condition.h"

namespace vg::rules {

namespace {

using lint::ConditionAnalysis;
using lint::Cube;
using lint::Dnf;

// Combinations of category values enumerated at most per trigger when looking for gaps.
constexpr size_t kMaxCombinations = 4096;
// Uncovered combinations named in one message at most.
constexpr size_t kMaxNamed = 8;

// How the rule's `on` is written: "returnee_arrived", "{task_done: screening}".
std::string trigger_text(const Program& p, const CompiledRule& r) {
  std::string name = event_name(r.event);
  if (r.filter < 0) return name;
  const TriggerSyntax& t = trigger(r.event);
  std::string v = p.value_name(t.names, r.filter);
  if (t.names == TriggerSyntax::Names::Supply) v = "{supply: " + v + ", level: " + std::to_string(r.level) + "}";
  return "{" + name + ": " + v + "}";
}

// Whether a and b hear the same events: the same trigger, or one listens to any value of it.
bool same_trigger(const CompiledRule& a, const CompiledRule& b) {
  if (a.event != b.event || (a.event == Event::StockBelow && a.level != b.level)) return false;
  return a.filter == b.filter || a.filter < 0 || b.filter < 0;
}

// Slots the actions of r may change, so a rule after it on the same event may see other facts.
std::set<int> changed_slots(const Program& p, const CompiledRule& r) {
  std::set<int> out;
  for (const Action& a : r.actions) action_changes(a, p, [&](int slot) { out.insert(slot); });
  return out;
}

// Slots any rule of the policy may change: what a rule's actions can change once the events they
// raise are followed (set_class raises class_changed, raise an event, and so on).
std::set<int> changed_by_any(const Program& p) {
  std::set<int> out;
  for (const CompiledRule& r : p.rules()) out.merge(changed_slots(p, r));
  return out;
}

// Whether r's actions raise events whose rules run before the next rule on r's own event.
bool nests(const Program& p, const CompiledRule& r) {
  bool raises = false;
  for (const Action& a : r.actions) action_raises(a, p, [&](Event, int) { raises = true; });
  return raises;
}

bool reads_any(const CompiledRule& r, const std::set<int>& slots) {
  if (!r.when) return false;
  for (int s : r.when->fields_read())
    if (slots.count(s)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Conditions always false or always true

// Parts of a condition that is neither always false nor always true: an `and` that can never hold,
// an `or` that always does. Only the outermost such part is named; the parts inside it are not looked at.
void check_parts(const CompiledRule& r, const ConditionAnalysis& ca, int id, Diagnostics& d) {
  const CompiledExpr& w = *r.when;
  const ExprTree::Node& n = w.tree()->nodes[size_t(id)];
  if (id != w.tree()->root && (n.kind == ExprTree::Kind::And || n.kind == ExprTree::Kind::Or)) {
    const bool is_and = n.kind == ExprTree::Kind::And;
    const Dnf never = ca.admits(w, id, is_and);  // an `and` never true, an `or` never false
    if (never.cubes.empty()) {
      const std::string text = w.source().substr(n.begin, n.end - n.begin);
      d.warning(n.loc, "in rule '" + r.id + "', '" + text + "' is always " + (is_and ? "false" : "true") +
                           (is_and ? " (" + never.conflict + ")" : "") + ": a mistake, or a part to drop");
      return;
    }
  }
  for (int k : n.kids) check_parts(r, ca, k, d);
}

void check_conditions(const Program& p, const ConditionAnalysis& ca, const std::vector<Dnf>& admits, Diagnostics& d) {
  for (size_t i = 0; i < p.rules().size(); ++i) {
    const CompiledRule& r = p.rules()[i];
    if (!r.when) continue;
    const CompiledExpr& w = *r.when;
    if (admits[i].cubes.empty()) {
      // A condition folded to `false` needs no reason: the constant is in plain sight.
      std::string why = w.is_constant() ? "" : " (" + admits[i].conflict + ")";
      d.warning(w.loc(), "rule '" + r.id + "' can never fire: its condition is always false" + why);
      continue;
    }
    if (!ca.admits(w, false).cubes.empty()) {
      if (w.tree()) check_parts(r, ca, w.tree()->root, d);
      continue;
    }
    std::vector<std::string> names;
    for (int s : w.fields_read()) names.push_back(p.schema().fields()[size_t(s)].name);
    std::string why = "it is the constant true";
    if (!names.empty()) {
      why = "it holds whatever " + lint::list_text(names, "and") + (names.size() == 1 ? " is" : " are");
    }
    d.warning(w.loc(), "rule '" + r.id + "' fires whenever its trigger does: its condition is always true (" + why +
                           "); drop 'when' or correct it");
  }
}

// ---------------------------------------------------------------------------------------------
// Gaps: who is never classified

bool classifies(const CompiledRule& r) {
  return std::any_of(r.actions.begin(), r.actions.end(), [](const Action& a) {
    return kind_of(a) == kAction<SetClass> || kind_of(a) == kAction<StartTracking>;
  });
}

// The category facts worth enumerating on the trigger of `group`: read by a condition, and fixed
// while the event is dispatched (no rule changes them, nor does the trigger itself).
std::vector<int> gap_slots(const Program& p, const std::vector<size_t>& group, const std::vector<Dnf>& admits) {
  const CompiledRule& first = p.rules()[group.front()];
  std::set<int> changing = changed_by_any(p);
  if (first.event == Event::ClassChanged) changing.insert(kSlotClass);
  if (first.event == Event::MonitoringEnded) changing.insert(kSlotMonitoring);
  std::set<int> slots;
  for (size_t i : group)
    for (const Cube& c : admits[i].cubes)
      for (const auto& [slot, v] : c.facts)
        if (!v.is_number && p.schema().fields()[size_t(slot)].type == Type::Category && !changing.count(slot))
          slots.insert(slot);
  return {slots.begin(), slots.end()};
}

// "origins local and other_province are never classified", "the combination origin local with class
// general is never classified".
std::string uncovered_text(const Program& p, const std::vector<int>& slots,
                           const std::vector<std::vector<int>>& combos) {
  const auto& fields = p.schema().fields();
  std::vector<std::string> items;
  for (size_t k = 0; k < std::min(combos.size(), kMaxNamed); ++k) {
    std::string item;
    for (size_t s = 0; s < slots.size(); ++s) {
      const FieldDef& f = fields[size_t(slots[s])];
      item += (s == 0 ? "" : " with ") + (slots.size() > 1 ? f.name + " " : "") +
              p.schema().category_sets()[size_t(f.category_set)].values[size_t(combos[k][s])];
    }
    items.push_back(item);
  }
  if (combos.size() > kMaxNamed) items.push_back(std::to_string(combos.size() - kMaxNamed) + " more");
  const bool many = combos.size() > 1;
  std::string what = many ? "the combinations " : "the combination ";
  if (slots.size() == 1) {
    const std::string& name = fields[size_t(slots[0])].name;
    what = !many ? name + " " : name + (name.back() == 's' ? "es " : "s ");
  }
  return what + lint::list_text(items, "and") + (many ? " are" : " is") + " never classified";
}

void check_gap(const Program& p, const std::vector<size_t>& group, const std::vector<Dnf>& admits, Diagnostics& d) {
  const std::vector<int> slots = gap_slots(p, group, admits);
  if (slots.empty()) return;
  const lint::ConditionAnalysis ca(p.schema());
  std::vector<int> sizes;
  size_t total = 1;
  for (int s : slots) {
    sizes.push_back(ca.any_value(s).size);
    total *= size_t(sizes.back());
    if (total > kMaxCombinations) return;
  }
  // On class_changed to a class, only people some rule puts in that class arrive: the values each
  // fact can have then are those the rules setting it admit (a key class set for key_area
  // returnees alone leaves no gap in the other origins on class_changed: key).
  std::vector<uint64_t> reachable(slots.size(), ~uint64_t{0});
  const CompiledRule& head = p.rules()[group.front()];
  if (head.event == Event::ClassChanged && head.filter >= 0) {
    std::fill(reachable.begin(), reachable.end(), uint64_t{0});
    for (size_t j = 0; j < p.rules().size(); ++j) {
      const auto& acts = p.rules()[j].actions;
      if (std::none_of(acts.begin(), acts.end(), [&](const Action& a) {
            return std::holds_alternative<SetClass>(a) && std::get<SetClass>(a).cls == head.filter;
          }))
        continue;
      for (const Cube& c : admits[j].cubes)
        for (size_t s = 0; s < slots.size(); ++s) {
          const auto it = c.facts.find(slots[s]);
          reachable[s] |= it == c.facts.end() ? ~uint64_t{0} : it->second.mask;
        }
    }
  }
  std::vector<std::vector<int>> uncovered;
  std::vector<int> combo(slots.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    for (size_t s = 0, rest = n; s < slots.size(); rest /= size_t(sizes[s]), ++s)
      combo[s] = int(rest % size_t(sizes[s]));
    bool reached = true;
    for (size_t s = 0; s < slots.size(); ++s) reached = reached && ((reachable[s] >> combo[s]) & 1u);
    if (!reached) continue;  // nobody with these facts gets here
    bool covered = false;
    for (size_t i : group)
      for (const Cube& c : admits[i].cubes) {
        bool fits = true;
        for (size_t s = 0; s < slots.size() && fits; ++s)
          if (auto it = c.facts.find(slots[s]); it != c.facts.end()) fits = (it->second.mask >> combo[s]) & 1u;
        covered = covered || fits;
      }
    if (!covered) uncovered.push_back(combo);
  }
  if (uncovered.empty()) return;
  std::string rules;
  for (size_t i : group) rules += (rules.empty() ? "" : ", ") + p.rules()[i].id;
  const CompiledRule& first = p.rules()[group.front()];
  d.warning(first.loc, "on " + trigger_text(p, first) + ", " + uncovered_text(p, slots, uncovered) +
                           ": no rule that sets a class or starts tracking fires for them (rules that do: " + rules +
                           ")");
}

void check_gaps(const Program& p, const std::vector<Dnf>& admits, Diagnostics& d) {
  std::set<std::tuple<int, int, int>> seen;  // (event, filter, level)
  for (size_t i = 0; i < p.rules().size(); ++i) {
    const CompiledRule& r = p.rules()[i];
    if (!classifies(r) || r.subject != Subject::Person || !seen.insert({int(r.event), r.filter, r.level}).second)
      continue;
    std::vector<size_t> group;  // rules hearing exactly this trigger: its own, and those for any value
    for (size_t j = 0; j < p.rules().size(); ++j) {
      const CompiledRule& o = p.rules()[j];
      if (classifies(o) && same_trigger(r, o) && (o.filter == r.filter || o.filter < 0)) group.push_back(j);
    }
    check_gap(p, group, admits, d);
  }
}

// ---------------------------------------------------------------------------------------------
// Overlaps: rules that fire together and undo each other

// What an action is about: its class, tracking template, monitoring kind, post or attribute; -1 for
// none, and for an end_monitoring of whatever monitoring the person is under.
int target(const Action& a) {
  if (auto* x = std::get_if<SetClass>(&a)) return x->cls;
  if (auto* x = std::get_if<StartTracking>(&a)) return x->tmpl;
  if (auto* x = std::get_if<EndTracking>(&a)) return x->tmpl;
  if (auto* x = std::get_if<StartMonitoring>(&a)) return x->kind;
  if (auto* x = std::get_if<EndMonitoring>(&a)) return x->kind.value_or(-1);
  if (auto* x = std::get_if<OpenPost>(&a)) return x->post;
  if (auto* x = std::get_if<ClosePost>(&a)) return x->post;
  if (auto* x = std::get_if<SetAttribute>(&a)) return x->attr;
  return -1;
}

// Why action x of rule a and action y of rule b cannot both have their way, or "".
std::string clash(const Program& p, const Action& x, const std::string& a, const Action& y, const std::string& b) {
  const std::string qa = "'" + a + "'", qb = "'" + b + "'";
  const int tx = target(x), ty = target(y);
  auto differ = [&](size_t k) { return kind_of(x) == k && kind_of(y) == k && tx != ty; };
  auto ends = [&](size_t start, size_t end) {
    return kind_of(x) == start && kind_of(y) == end && (ty == tx || ty < 0);
  };
  if (differ(kAction<SetClass>))
    return qa + " sets class " + p.classes()[size_t(tx)] + ", " + qb + " sets class " + p.classes()[size_t(ty)];
  if (differ(kAction<StartTracking>))
    return qa + " starts tracking " + p.tracking()[size_t(tx)].id + ", " + qb + " starts tracking " +
           p.tracking()[size_t(ty)].id;
  if (ends(kAction<StartTracking>, kAction<EndTracking>))
    return qa + " starts tracking " + p.tracking()[size_t(tx)].id + ", " + qb + " ends it";
  if (differ(kAction<StartMonitoring>))
    return qa + " starts monitoring " + p.monitoring()[size_t(tx)] + ", " + qb + " starts monitoring " +
           p.monitoring()[size_t(ty)];
  if (ends(kAction<StartMonitoring>, kAction<EndMonitoring>))
    return qa + " starts monitoring " + p.monitoring()[size_t(tx)] + ", " + qb + " ends it";
  if (ends(kAction<OpenPost>, kAction<ClosePost>))
    return qa + " opens post " + p.posts()[size_t(tx)].name + ", " + qb + " closes it";
  const auto* ax = std::get_if<SetAttribute>(&x);
  const auto* ay = std::get_if<SetAttribute>(&y);
  if (ax && ay && ax->attr == ay->attr && ax->value != ay->value)
    return qa + " and " + qb + " set attribute " + p.attributes()[size_t(tx)].name + " to different values";
  return "";
}

// The first conflict between the actions of a and b, in either order. A set_class against
// set_class under the very same condition is left to compile_policy's own warning.
std::string conflict(const Program& p, const CompiledRule& a, const CompiledRule& b) {
  const bool same_condition = (a.when ? a.when->source() : "") == (b.when ? b.when->source() : "");
  for (const Action& x : a.actions)
    for (const Action& y : b.actions) {
      if (same_condition && kind_of(x) == kAction<SetClass> && kind_of(y) == kAction<SetClass>) continue;
      std::string why = clash(p, x, a.id, y, b.id);
      if (why.empty()) why = clash(p, y, b.id, x, a.id);
      if (!why.empty()) return why;
    }
  return "";
}

// Facts under which both a and b fire, if some plain assignment of facts shows it; nullptr otherwise.
std::optional<Cube> both_fire(const ConditionAnalysis& ca, const Dnf& a, const Dnf& b) {
  for (Cube& c : ca.both(a, b).cubes) {
    bool plain = c.opaque.empty();
    for (const auto& [slot, v] : c.facts) plain = plain && v.has_real_value();
    if (plain) return std::move(c);
  }
  return std::nullopt;
}

void check_overlaps(const Program& p, const ConditionAnalysis& ca, const std::vector<Dnf>& admits, Diagnostics& d) {
  const auto& rules = p.rules();
  const std::set<int> all_changed = changed_by_any(p);
  for (size_t i = 0; i < rules.size(); ++i)
    for (size_t j = i + 1; j < rules.size(); ++j) {
      // In firing order: higher priority first, then the order read.
      const bool i_first = rules[i].priority >= rules[j].priority;
      const CompiledRule& first = rules[i_first ? i : j];
      const CompiledRule& second = rules[i_first ? j : i];
      if (!same_trigger(first, second) || first.until_day < second.from_day || second.until_day < first.from_day)
        continue;
      // What the first one does, or the rules of the events it raises, may change what the second
      // one's condition sees.
      if (reads_any(second, nests(p, first) ? all_changed : changed_slots(p, first))) continue;
      const std::string why = conflict(p, first, second);
      if (why.empty()) continue;
      auto facts = both_fire(ca, admits[i], admits[j]);
      if (!facts) continue;
      const std::string when = ca.describe(*facts);
      d.warning(second.loc, "rules '" + first.id + "' and '" + second.id + "' both fire on " +
                                trigger_text(p, first.filter >= 0 ? first : second) +
                                (when.empty() ? "" : " when " + when) + ", and conflict: " + why + " ('" + first.id +
                                "' fires first)");
    }
}

}  // namespace

void analyse_rules(const Program& p, Diagnostics& d) {
  const ConditionAnalysis ca(p.schema());
  std::vector<Dnf> admits;
  for (const CompiledRule& r : p.rules()) {
    admits.push_back(r.when ? ca.admits(*r.when) : Dnf{});
    if (!r.when) admits.back().cubes.emplace_back();
  }
  check_conditions(p, ca, admits, d);
  check_gaps(p, admits, d);
  check_overlaps(p, ca, admits, d);
}

}  // namespace vg::rules
