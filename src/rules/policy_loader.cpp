#include <climits>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "config/reader.h"
#include "rules/actions/actions.h"
#include "rules/policy_loader.h"

namespace vg::rules {

using config::MapReader;
using config::YamlNode;

namespace {

std::optional<NameSpec> read_name(const YamlNode& n, Diagnostics& d, std::string_view what) {
  auto s = config::read_identifier(n, d, what);
  if (!s) return std::nullopt;
  return NameSpec{*s, n.loc};
}

std::vector<NameSpec> read_names(const YamlNode& n, Diagnostics& d, std::string_view what) {
  std::vector<NameSpec> out;
  if (!config::expect_list(n, d, what)) return out;
  for (const auto& item : n.items)
    if (auto s = read_name(item, d, what)) out.push_back(*s);
  return out;
}

bool read_source(MapReader& m, Diagnostics& d, std::string& note) {
  bool from_report = false, assumption = false;
  static constexpr std::string_view kSources[] = {"report", "assumption"};
  const YamlNode* src = m.require("source");
  if (src)
    if (auto c = config::read_choice(*src, d, "source", kSources)) {
      from_report = (*c == 0);
      assumption = (*c == 1);
    }
  if (auto* x = m.get("note"))
    if (auto s = config::read_string(*x, d, "note")) note = *s;
  if (assumption && note.empty()) d.error(src->loc, "an assumption needs a 'note' saying what it assumes and why");
  return from_report;
}

void read_vocabulary(const YamlNode& n, VocabularySpec& v, Diagnostics& d) {
  MapReader m(n, d, "vocabulary");
  if (!m.ok()) return;
  auto append = [&](const char* key, std::vector<NameSpec>& into) {
    if (auto* x = m.get(key))
      for (auto& s : read_names(*x, d, std::string(key) + " entry")) into.push_back(s);
  };
  append("origins", v.origins);
  append("classes", v.classes);
  append("key_classes", v.key_classes);
  append("roles", v.roles);
  append("monitoring", v.monitoring);
  append("supplies", v.supplies);
  static constexpr std::string_view kAbout[] = {"person", "village"};
  if (auto* x = m.get("attributes")) {
    if (config::expect_list(*x, d, "attributes"))
      for (const auto& item : x->items) {
        MapReader a(item, d, "attribute");
        if (!a.ok()) continue;
        AttributeSpec at;
        if (auto* f = a.require("name"))
          if (auto s = read_name(*f, d, "attribute name")) at.name = *s;
        if (auto* f = a.require("about"))
          if (auto c = config::read_choice(*f, d, "subject", kAbout))
            at.about = *c == 0 ? Subject::Person : Subject::Village;
        static constexpr std::string_view kTypes[] = {"bool", "number"};
        if (auto* f = a.require("type"))
          if (auto c = config::read_choice(*f, d, "attribute type", kTypes)) at.is_bool = (*c == 0);
        a.finish();
        v.attributes.push_back(at);
      }
  }
  if (auto* x = m.get("events")) {
    if (config::expect_list(*x, d, "events"))
      for (const auto& item : x->items) {
        MapReader a(item, d, "event");
        if (!a.ok()) continue;
        EventDeclSpec ev;
        if (auto* f = a.require("name"))
          if (auto s = read_name(*f, d, "event name")) ev.name = *s;
        if (auto* f = a.require("about"))
          if (auto c = config::read_choice(*f, d, "subject", kAbout))
            ev.about = *c == 0 ? Subject::Person : Subject::Village;
        a.finish();
        v.events.push_back(ev);
      }
  }
  m.finish();
}

TriggerSpec read_trigger(const YamlNode& n, Diagnostics& d) {
  TriggerSpec t;
  t.loc = n.loc;
  using Value = TriggerSyntax::Value;
  // Written alone (`on: NAME`) or with a value (`on: {NAME: VALUE}`), from the one table.
  static const auto [plain, keyed, plain_events, keyed_events, expected] = [] {
    std::vector<std::string_view> p, k;
    std::vector<Event> pe, ke;
    std::string alone, with_value;
    for (const auto& s : kTriggerSyntax) {
      if (s.value != Value::Required) {
        p.push_back(s.name);
        pe.push_back(s.event);
        alone += std::string(alone.empty() ? "" : ", ") + std::string(s.name);
      }
      if (s.value != Value::None) {
        k.push_back(s.name);
        ke.push_back(s.event);
        with_value +=
            std::string(with_value.empty() ? "" : ", ") + "{" + std::string(s.name) + ": " + std::string(s.hint) + "}";
      }
    }
    return std::make_tuple(p, k, pe, ke, "expected a trigger: " + alone + ", or one of " + with_value);
  }();
  if (n.is_scalar()) {
    for (const auto& s : kTriggerSyntax)
      if (s.name == n.scalar && s.value == Value::Required) {
        d.error(n.loc, "trigger '" + n.scalar + "' needs a value: write `on: {" + n.scalar + ": " +
                           std::string(s.hint) + "}`");
        return t;
      }
    if (auto c = config::read_choice(n, d, "trigger", plain)) t.event = plain_events[*c];
    return t;
  }
  if (!n.is_map() || n.entries.size() != 1) {
    d.error(n.loc, expected);
    return t;
  }
  const auto& [k, v] = n.entries.front();
  auto c = config::read_choice(k, d, "trigger", keyed);
  if (!c) return t;
  t.event = keyed_events[*c];
  if (trigger(t.event).names == TriggerSyntax::Names::Supply) {  // {stock_below: {supply: S, level: N}}
    MapReader sm(v, d, "stock_below");
    if (sm.ok()) {
      if (auto* x = sm.require("supply"))
        if (auto s = read_name(*x, d, "supply")) t.name = *s;
      if (auto* x = sm.require("level"))
        if (auto lv = config::read_int(*x, d, "level", 1, 100'000'000)) t.day = int(*lv);
      sm.finish();
    }
    return t;
  }
  if (trigger(t.event).names == TriggerSyntax::Names::Day) {
    if (auto x = config::read_int(v, d, "trigger day", 0, 3650)) t.day = int(*x);
  } else if (auto s = read_name(v, d, "trigger name")) {
    t.name = *s;
  }
  return t;
}

// `{SUPPLY: AMOUNT, ...}`: supplies and the amount of each.
std::vector<std::pair<NameSpec, int>> read_amounts(const YamlNode& n, Diagnostics& d, const char* what) {
  std::vector<std::pair<NameSpec, int>> out;
  MapReader um(n, d, what);
  if (!um.ok()) return out;
  for (const auto& [k, v] : n.entries) {
    um.get(k.scalar);
    auto nm = read_name(k, d, "supply");
    auto amount = config::read_int(v, d, "amount of '" + k.scalar + "'", 1, 1'000'000);
    if (nm && amount) out.push_back({*nm, int(*amount)});
  }
  return out;
}

// `uses`, `if_short` and `degraded_detection` of a task or a post.
void read_uses(MapReader& m, Diagnostics& d, UsesSpec& u) {
  if (auto* x = m.get("uses")) u.uses = read_amounts(*x, d, "uses");
  if (auto* x = m.get("if_short")) {
    static constexpr std::string_view kShort[] = {"proceed", "skip", "degrade"};
    u.if_short_loc = x->loc;
    if (auto c = config::read_choice(*x, d, "if_short policy", kShort)) u.if_short = IfShort(*c);
    if (!m.node().find("uses"))
      d.error(x->loc, "if_short is for tasks that use supplies: add `uses: {SUPPLY: AMOUNT}`");
  }
  if (auto* x = m.get("degraded_detection")) {
    u.degraded_detection_loc = x->loc;
    if (auto v = config::read_number(*x, d, "degraded_detection", 0, 1)) u.degraded_detection = *v;
    if (u.if_short != IfShort::Degrade)
      d.error(x->loc, "degraded_detection is for `if_short: degrade`: the chance a check done short finds a fever");
  }
}

CreateTaskSpec read_create_task(const YamlNode& n, Diagnostics& d) {
  CreateTaskSpec t;
  MapReader m(n, d, "create_task");
  if (!m.ok()) return t;
  if (auto* x = m.require("name"))
    if (auto s = read_name(*x, d, "task name")) t.name = *s;
  // `roles: [A, B]`: any one of them; `team: [A, B]`: one of each, together.
  const YamlNode* team = m.get("team");
  const YamlNode* roles = m.get("roles");
  if (team != nullptr && roles != nullptr)
    d.error(team->loc, "a task has either 'roles' (any one of) or 'team' (one of each), not both");
  if (team == nullptr) roles = m.require("roles");
  if (const YamlNode* x = team != nullptr ? team : roles) {
    t.team = team != nullptr;
    t.roles = read_names(*x, d, "role");
    if (x->is_seq() && x->items.empty())
      d.error(x->loc, t.team ? "a team task needs at least one role" : "a task needs at least one role that may do it");
    for (size_t i = 0; i < t.roles.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (t.team && t.roles[i].name == t.roles[j].name)
          d.error(t.roles[i].loc, "role '" + t.roles[i].name + "' is listed twice in the team");
  }
  if (auto* x = m.require("minutes"))
    if (auto v = config::read_int(*x, d, "minutes", 1, 24 * 60)) t.minutes = int(*v);
  if (auto* x = m.require("within_hours"))
    if (auto v = config::read_number(*x, d, "within_hours", 0.25, 24.0 * 365))
      t.within_minutes = int(std::lround(*v * 60));
  if (auto* x = m.get("priority"))
    if (auto v = config::read_int(*x, d, "priority", -1000, 1000)) t.priority = int(*v);
  if (auto* x = m.get("if_late")) {
    static constexpr std::string_view kLate[] = {"keep", "drop"};
    if (auto c = config::read_choice(*x, d, "if_late policy", kLate)) t.drop_when_late = (*c == 1);
  }
  if (auto* x = m.get("counts_as")) {
    static constexpr std::string_view kMetrics[] = {"screening", "household_contact"};
    if (auto c = config::read_choice(*x, d, "metric", kMetrics)) {
      t.counts_as_screening = *c == 0;
      t.counts_as_household_contact = *c == 1;
    }
  }
  read_uses(m, d, t.uses);
  if (auto* x = m.get("assign")) {
    static constexpr std::string_view kAssign[] = {"contact_member"};
    if (config::read_choice(*x, d, "assign", kAssign)) t.assign_contact_member = true;
  }
  if (auto* x = m.get("for_each")) {
    static constexpr std::string_view kEach[] = {"household"};
    if (config::read_choice(*x, d, "for_each", kEach)) t.for_each_household = true;
  }
  if (auto* x = m.get("copies"))
    if (auto v = config::read_int(*x, d, "copies", 1, 1000)) t.copies = int(*v);
  if (auto* x = m.get("repeat")) {
    MapReader r(*x, d, "repeat");
    if (r.ok()) {
      if (auto* e = r.require("every_days"))
        if (auto v = config::read_int(*e, d, "every_days", 1, 365)) t.repeat.every_days = int(*v);
      if (auto* e = r.require("times"))
        if (auto v = config::read_int(*e, d, "times", 1, 3650)) t.repeat.times = int(*v);
      r.finish();
    }
  }
  m.finish();
  return t;
}

// A post's shifts: "HH:MM-HH:MM" within one day; a shift may end at 24:00 (midnight at its end).
void read_shifts(const YamlNode& x, PostSpec& post, Diagnostics& d) {
  if (!config::expect_list(x, d, "shifts")) return;
  if (x.items.empty()) d.error(x.loc, "a post needs at least one shift");
  for (const auto& sh : x.items) {
    auto text = config::read_string(sh, d, "shift");
    if (!text) continue;
    const size_t dash = text->find('-');
    config::YamlNode from = sh, to = sh;
    from.scalar = dash == std::string::npos ? *text : text->substr(0, dash);
    to.scalar = dash == std::string::npos ? "" : text->substr(dash + 1);
    Diagnostics quiet;
    auto f = config::read_clock(from, quiet, "shift start");
    auto t = to.scalar == "24:00" ? std::optional<int>(24 * 60) : config::read_clock(to, quiet, "shift end");
    if (!f || !t || *t <= *f) {
      d.error(sh.loc, "expected a shift as HH:MM-HH:MM within one day (end after start), found '" + *text + "'");
      continue;
    }
    post.shifts.push_back({*f, *t});
  }
}

// `open_post: {name, roles, staff_per_shift?, shifts, priority?, registers_share?, uses?, if_short?}`.
PostSpec read_post(const YamlNode& v, Diagnostics& d) {
  PostSpec post;
  MapReader r(v, d, "open_post");
  if (!r.ok()) return post;
  post.loc = v.loc;
  if (auto* x = r.require("name"))
    if (auto s = read_name(*x, d, "post name")) post.name = *s;
  if (auto* x = r.require("roles")) {
    post.roles = read_names(*x, d, "role");
    if (x->is_seq() && x->items.empty()) d.error(x->loc, "a post needs at least one role that may staff it");
  }
  if (auto* x = r.get("staff_per_shift"))
    if (auto y = config::read_int(*x, d, "staff_per_shift", 1, 100)) post.staff_per_shift = int(*y);
  post.priority = INT32_MIN;  // the rule's, filled in by the compiler
  if (auto* x = r.get("priority"))
    if (auto y = config::read_int(*x, d, "priority", -1000, 1000)) post.priority = int(*y);
  if (auto* x = r.get("registers_share"))
    if (auto y = config::read_number(*x, d, "registers_share", 0, 1)) post.registers_share = *y;
  read_uses(r, d, post.uses);
  if (auto* x = r.require("shifts")) read_shifts(*x, post, d);
  r.finish();
  return post;
}

// What an action's `read` (rules/actions/) reads its value with: the value's node and the loader's
// readers, each reporting to the one Diagnostics.
class ActionValueReader {
 public:
  ActionValueReader(const YamlNode& v, Diagnostics& d) : v_(v), d_(d) {}
  const YamlNode& node() const { return v_; }
  void error(const SourceLoc& loc, std::string message) { d_.error(loc, std::move(message)); }
  MapReader map(const char* what) { return MapReader(v_, d_, what); }
  std::optional<NameSpec> name(const YamlNode& n, std::string_view what) { return read_name(n, d_, what); }
  std::optional<double> number(const YamlNode& n, std::string_view what, double min, double max) {
    return config::read_number(n, d_, what, min, max);
  }
  std::optional<int64_t> integer(const YamlNode& n, std::string_view what, int64_t min, int64_t max) {
    return config::read_int(n, d_, what, min, max);
  }
  std::vector<std::pair<NameSpec, int>> amounts(const YamlNode& n, const char* what) {
    return read_amounts(n, d_, what);
  }
  CreateTaskSpec create_task() { return read_create_task(v_, d_); }
  PostSpec post() { return read_post(v_, d_); }

 private:
  const YamlNode& v_;
  Diagnostics& d_;
};

// The actions of `do`; `whole` false when one was dropped unread (perhaps a create_task or open_post).
std::vector<ActionSpec> read_actions(const YamlNode& n, Diagnostics& d, bool& whole) {
  std::vector<ActionSpec> out;
  whole = false;
  if (!config::expect_list(n, d, "actions ('do')")) return out;
  whole = true;
  if (n.items.empty()) d.error(n.loc, "a rule needs at least one action in 'do'");
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> v;
    for (const auto& s : kActionSyntax) v.push_back(s.name);
    return v;
  }();
  for (const auto& item : n.items) {
    if (!item.is_map() || item.entries.size() != 1) {
      d.error(item.loc, "expected one action per list item, such as `- set_class: key`");
      whole = false;
      continue;
    }
    const auto& [k, v] = item.entries.front();
    auto which = config::read_choice(k, d, "action", kNames);  // unknown: "did you mean", or all of them
    if (!which) {
      whole = false;
      continue;
    }
    ActionSpec a;
    a.loc = k.loc;
    a.kind = uint8_t(*which);
    ActionValueReader in(v, d);
    const size_t before = d.error_count();
    read_action_value(in, a);
    a.read = d.error_count() == before;
    out.push_back(std::move(a));
  }
  return out;
}

RuleSpec read_rule(const YamlNode& n, Diagnostics& d) {
  RuleSpec r;
  r.loc = n.loc;
  MapReader m(n, d, "rule");
  if (!m.ok()) {
    r.actions_read = false;
    return r;
  }
  if (auto* x = m.require("id"))
    if (auto s = config::read_identifier(*x, d, "rule id")) r.id = *s;
  if (auto* x = m.get("guideline"))
    if (auto v = config::read_int(*x, d, "guideline number", 1, 26)) r.guideline = int(*v);
  if (auto* x = m.require("title"))
    if (auto s = config::read_string(*x, d, "title")) r.title = *s;
  r.from_report = read_source(m, d, r.note);
  if (auto* x = m.get("priority"))
    if (auto v = config::read_int(*x, d, "priority", -1000, 1000)) r.priority = int(*v);
  if (auto* x = m.get("from_day"))
    if (auto v = config::read_int(*x, d, "from_day", 0, 3650)) r.from_day = int(*v);
  if (auto* x = m.get("until_day"))
    if (auto v = config::read_int(*x, d, "until_day", 0, 3650)) r.until_day = int(*v);
  if (r.from_day && r.until_day && *r.until_day < *r.from_day)
    d.error(m.node().find("until_day")->loc, "until_day is before from_day: the rule could never apply");
  if (auto* x = m.get("after_event"))
    if (auto s = read_name(*x, d, "event")) r.after_event = *s;
  const size_t before_trigger = d.error_count();
  if (auto* x = m.require("on")) r.trigger = read_trigger(*x, d);
  r.trigger_read = d.error_count() == before_trigger;
  if (auto* x = m.get("when")) {
    if (auto s = config::read_string(*x, d, "condition")) {
      r.when = *s;
      r.when_origin = x->text_origin();
      r.when_loc = r.when_origin.at(0);
    }
  }
  if (auto* x = m.require("do"))
    r.actions = read_actions(*x, d, r.actions_read);
  else
    r.actions_read = false;
  m.finish();
  return r;
}

TrackingSpec read_tracking(const YamlNode& n, Diagnostics& d) {
  TrackingSpec t;
  t.loc = n.loc;
  MapReader m(n, d, "tracking template");
  if (!m.ok()) return t;
  if (auto* x = m.require("id"))
    if (auto s = config::read_identifier(*x, d, "tracking id")) t.id = *s;
  if (auto* x = m.require("title"))
    if (auto s = config::read_string(*x, d, "title")) t.title = *s;
  t.from_report = read_source(m, d, t.note);
  if (auto* x = m.require("days"))
    if (auto v = config::read_int(*x, d, "days", 1, 365)) t.days = int(*v);
  if (auto* x = m.get("priority"))
    if (auto v = config::read_int(*x, d, "priority", -1000, 1000)) t.priority = int(*v);
  if (auto* x = m.require("team")) {
    if (config::expect_list(*x, d, "team")) {
      if (x->items.empty()) d.error(x->loc, "a tracking team needs at least one member");
      for (const auto& item : x->items) {
        TeamMemberSpec mem;
        MapReader mm(item, d, "team member");
        if (!mm.ok()) continue;
        if (auto* r = mm.require("role"))
          if (auto s = read_name(*r, d, "role")) mem.role = *s;
        if (auto* r = mm.require("duty"))
          if (auto s = config::read_string(*r, d, "duty")) mem.duty = *s;
        if (auto* r = mm.require("minutes_per_day"))
          if (auto v = config::read_int(*r, d, "minutes_per_day", 1, 16 * 60)) mem.minutes = int(*v);
        read_uses(mm, d, mem.uses);
        mm.finish();
        t.team.push_back(std::move(mem));
      }
    }
  }
  m.finish();
  return t;
}

}  // namespace

void read_policy_file(const YamlNode& root, const std::string& path, PolicySpec& policy, Diagnostics& d) {
  policy.files.push_back(path);
  const size_t before = d.error_count();
  size_t in_rules = 0;  // errors inside rules and tracking templates: the rest leave the vocabulary in doubt
  auto counted = [&](auto&& read) {
    const size_t at = d.error_count();
    read();
    in_rules += d.error_count() - at;
  };
  MapReader top(root, d, "policy file");
  if (top.ok()) {
    if (auto* v = top.get("vocabulary")) read_vocabulary(*v, policy.vocabulary, d);
    if (auto* r = top.get("rules"))
      if (config::expect_list(*r, d, "rules"))
        for (const auto& item : r->items) counted([&] { policy.rules.push_back(read_rule(item, d)); });
    if (auto* t = top.get("tracking"))
      if (config::expect_list(*t, d, "tracking templates"))
        for (const auto& item : t->items) counted([&] { policy.tracking.push_back(read_tracking(item, d)); });
    top.finish();
    if (root.is_map() && !root.find("vocabulary") && !root.find("rules") && !root.find("tracking"))
      d.error(root.loc, "a policy file needs at least one of 'vocabulary', 'rules' or 'tracking'");
  }
  policy.read_errors += d.error_count() - before;
  if (d.error_count() - before > in_rules) policy.vocabulary_read = false;
}

PolicySpec load_policy(const std::vector<std::string>& paths, Diagnostics& d) {
  PolicySpec policy;
  for (const auto& p : paths) {
    const size_t before = d.error_count();
    auto root = config::load_yaml_file(p, d);
    if (root) {
      read_policy_file(*root, p, policy, d);
    } else {
      policy.read_errors += d.error_count() - before;
      policy.vocabulary_read = false;
    }
  }
  return policy;
}

}  // namespace vg::rules
