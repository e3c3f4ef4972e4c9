#include "rules/rule_test_reader.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "config/reader.h"
#include "spec/policy.h"

namespace vg::rules::ruletest {

using config::MapReader;
using config::YamlNode;

SourceLoc key_loc(const YamlNode& map, std::string_view key) {
  for (const auto& [k, v] : map.entries)
    if (k.scalar == key) return k.loc;
  return map.loc;
}

Names names_of(const Program& p) {
  Names n;
  for (const auto& r : p.rules()) n.rules.push_back(r.id);
  for (size_t k = 0; k < p.task_kinds().size(); ++k)
    // Tracking duties and post shifts are created by the engine, not by rules.
    if (p.task_kinds()[k].tracking < 0 && p.task_kinds()[k].post < 0) {
      n.tasks.push_back(p.task_kinds()[k].name);
      n.task_kind.push_back(int(k));
    }
  for (const auto& t : p.tracking()) n.tracking.push_back(t.id);
  for (const auto& a : p.attributes()) n.attributes.push_back(a.name);
  for (const auto& e : p.events()) n.events.push_back(e.name);
  for (const auto& o : p.origins()) n.origins.push_back(o);
  for (const auto& c : p.classes()) n.classes.push_back(c);
  for (const auto& post : p.posts()) n.posts.push_back(post.name);
  n.found_by.assign(kFoundBy.begin(), kFoundBy.end());
  n.monitoring.push_back("none");
  for (const auto& k : p.monitoring()) {
    n.monitoring_kinds.push_back(k);
    n.monitoring.push_back(k);
  }
  return n;
}

namespace {

std::optional<double> read_attribute_value(const YamlNode& n, const Attribute& a, Diagnostics& d) {
  const std::string what = "attribute '" + a.name + "'";
  if (a.is_bool) {
    if (auto b = config::read_bool(n, d, what + " (a bool)")) return *b ? 1.0 : 0.0;
    return std::nullopt;
  }
  return config::read_number(n, d, what + " (a number)", -1e12, 1e12);
}

int find_attribute(const Program& p, std::string_view name) {
  for (size_t i = 0; i < p.attributes().size(); ++i)
    if (p.attributes()[i].name == name) return int(i);
  return -1;
}

// Reports keys written under the wrong subject, and marks them read so MapReader says it once.
void misplaced_keys(const YamlNode& n, MapReader& m, const Program& p, Subject here, Diagnostics& d) {
  if (!n.is_map()) return;
  for (const auto& [k, v] : n.entries) {
    const std::string& key = k.scalar;
    if (key == "today") {
      d.error(k.loc, "'today' is the test's 'day': write `day: N` in the test");
      m.get(key);
      continue;
    }
    const int a = find_attribute(p, key);
    const bool person_key = is_person_fact(key) || (a >= 0 && p.attributes()[size_t(a)].about == Subject::Person);
    const bool village_key = is_village_fact(key) || (a >= 0 && p.attributes()[size_t(a)].about == Subject::Village);
    if (here == Subject::Village && person_key) {
      d.error(k.loc, "'" + key + "' is about the person: write it under 'person'");
      m.get(key);
    } else if (here == Subject::Person && village_key) {
      d.error(k.loc, "'" + key + "' is about the village: write it under 'village'");
      m.get(key);
    }
  }
}

void read_attributes_of(MapReader& m, const Program& p, Subject about, State& s, Diagnostics& d) {
  for (size_t a = 0; a < p.attributes().size(); ++a) {
    const Attribute& at = p.attributes()[a];
    if (at.about != about) continue;
    if (const YamlNode* x = m.get(at.name))
      if (auto v = read_attribute_value(*x, at, d)) s.attributes[a] = *v;
  }
}

void read_person(const YamlNode& n, const Program& p, const Names& names, State& s, Diagnostics& d) {
  MapReader m(n, d, "person");
  if (!m.ok()) return;
  misplaced_keys(n, m, p, Subject::Person, d);
  if (auto* x = m.get("origin"))
    if (auto c = config::read_choice(*x, d, "origin", names.origins)) s.origin = int(*c);
  if (auto* x = m.get("class"))
    if (auto c = config::read_choice(*x, d, "class", names.classes)) s.cls = int(*c);
  if (auto* x = m.get("arrival_day"))
    if (auto v = config::read_int(*x, d, "arrival_day", 0, 3650)) s.arrival_day = double(*v);
  if (auto* x = m.get("household_size"))
    if (auto v = config::read_int(*x, d, "household_size", 0, 1000)) s.household_size = double(*v);
  if (auto* x = m.get("is_returnee"))
    if (auto v = config::read_bool(*x, d, "is_returnee")) s.is_returnee = *v;
  if (auto* x = m.get("tracked"))
    if (auto v = config::read_bool(*x, d, "tracked")) s.tracked = s.ever_tracked = *v;
  if (auto* x = m.get("monitoring"))
    if (auto c = config::read_choice(*x, d, "monitoring kind", names.monitoring)) s.monitoring = int(*c);
  if (auto* x = m.get("found_by"))
    if (auto c = config::read_choice(*x, d, "found_by channel", names.found_by)) s.found_by = int(*c);
  read_attributes_of(m, p, Subject::Person, s, d);
  m.finish();
}

void read_village(const YamlNode& n, const Program& p, State& s, Diagnostics& d) {
  MapReader m(n, d, "village");
  if (!m.ok()) return;
  misplaced_keys(n, m, p, Subject::Village, d);
  for (int f = 1; f < kVillageFactCount; ++f)  // not today: that is the test's day
    if (auto* x = m.get(kVillageFacts[size_t(f)].name))
      if (auto v = config::read_int(*x, d, kVillageFacts[size_t(f)].name, 0, 1'000'000'000)) s.village[f] = double(*v);
  for (size_t sup = 0; sup < p.supplies().size(); ++sup) {  // stock_<supply>, as conditions read it
    const std::string key = "stock_" + p.supplies()[sup];
    if (auto* x = m.get(key))
      if (auto v = config::read_int(*x, d, key, 0, 1'000'000'000)) s.stocks[sup] = double(*v);
  }
  read_attributes_of(m, p, Subject::Village, s, d);
  m.finish();
}

// The value of a test's event, resolved against the program: the filter the engine raises the
// event with (the task kind, class, template, day, event, monitoring kind, role or supply), and
// whom a task_done or custom event is about. False when it is not one of the program's.
bool read_event_value(Event e, const YamlNode& v, const Program& p, const Names& names, TestCase& t,
                      std::optional<int>& day_of_event, Diagnostics& d) {
  int i = -1;
  using N = TriggerSyntax::Names;
  switch (trigger(e).names) {
    case N::Task:
      if ((i = find_name(v, names.tasks, "task", d)) < 0) return false;
      t.filter = names.task_kind[size_t(i)];
      t.about_person = p.task_kinds()[size_t(t.filter)].subject == Subject::Person;
      return true;
    case N::Event:
      if ((i = find_name(v, names.events, "event", d)) < 0) return false;
      t.filter = i;
      t.about_person = p.events()[size_t(i)].about == Subject::Person;
      return true;
    case N::Template: t.filter = find_name(v, names.tracking, "tracking template", d); break;
    case N::Monitoring: t.filter = find_name(v, names.monitoring_kinds, "monitoring kind", d); break;
    case N::Class:
      if (auto c = config::read_choice(v, d, "class", names.classes)) t.filter = int(*c);
      break;
    case N::Role: {
      std::vector<std::string_view> roles(p.roles().begin(), p.roles().end());
      if (auto c = config::read_choice(v, d, "role", roles)) t.filter = int(*c);
      break;
    }
    case N::Day:
      if (auto x = config::read_int(v, d, "event day", 0, 3650)) day_of_event = t.filter = int(*x);
      break;
    case N::Supply: {  // {stock_below: {supply: S, from: N, to: M}}: the stock fell from N to M
      MapReader sm(v, d, "stock_below");
      if (!sm.ok()) return false;
      std::vector<std::string_view> supplies(p.supplies().begin(), p.supplies().end());
      if (auto* x = sm.require("supply"))
        if (auto c = config::read_choice(*x, d, "supply", supplies)) t.filter = int(*c);
      if (auto* x = sm.require("from"))
        if (auto y = config::read_int(*x, d, "from", 0, 1'000'000'000)) t.stock_from = *y;
      if (auto* x = sm.require("to"))
        if (auto y = config::read_int(*x, d, "to", -1'000'000'000, 1'000'000'000)) t.stock_to = *y;
      sm.finish();
      break;
    }
    case N::Nothing: return false;  // triggers without a value: read_event does not ask
  }
  return t.filter >= 0;
}

// A rule's `on` syntax (kTriggerSyntax), resolved against the program. A test's event is one the
// engine would raise, and the engine gives every trigger that takes a value its value (the class
// entered, the template ended, the role of the staff member), so a test gives it too.
bool read_event(const YamlNode& n, const Program& p, const Names& names, TestCase& t, std::optional<int>& day_of_event,
                Diagnostics& d) {
  using Value = TriggerSyntax::Value;
  // A test's stock_below gives the stock change being tested rather than a rule's level.
  auto hint = [](const TriggerSyntax& s) {
    return s.names == TriggerSyntax::Names::Supply ? std::string_view("{supply: S, from: N, to: M}") : s.hint;
  };
  static const auto [all, expected] = [&] {
    std::vector<std::string_view> names_of_triggers;
    std::string alone, with_value;
    for (const auto& s : kTriggerSyntax) {
      names_of_triggers.push_back(s.name);
      if (s.value == Value::None)
        alone += std::string(alone.empty() ? "" : ", ") + std::string(s.name);
      else
        with_value +=
            std::string(with_value.empty() ? "" : ", ") + "{" + std::string(s.name) + ": " + std::string(hint(s)) + "}";
    }
    return std::make_pair(names_of_triggers, "expected an event: " + alone + ", or one of " + with_value);
  }();
  const bool keyed = n.is_map() && n.entries.size() == 1;
  if (!keyed && !n.is_scalar()) {
    d.error(n.loc, expected);
    return false;
  }
  const YamlNode& key = keyed ? n.entries.front().first : n;
  auto c = config::read_choice(key, d, "event", all);
  if (!c) return false;
  const TriggerSyntax& s = kTriggerSyntax[*c];
  if (!keyed && s.value != Value::None) {
    d.error(n.loc, "event '" + n.scalar + "' needs a value in a test: write `event: {" + n.scalar + ": " +
                       std::string(hint(s)) + "}`");
    return false;
  }
  if (keyed && s.value == Value::None) {
    d.error(key.loc, "event '" + key.scalar + "' takes no value: write `event: " + key.scalar + "`");
    return false;
  }
  t.event = s.event;
  if (s.about != TriggerSyntax::About::Named) t.about_person = s.about == TriggerSyntax::About::Person;
  return !keyed || read_event_value(s.event, n.entries.front().second, p, names, t, day_of_event, d);
}

std::string event_text(const YamlNode& n) {
  if (n.is_scalar()) return n.scalar;
  if (n.is_map() && n.entries.size() == 1 && n.entries.front().second.is_scalar())
    return "{" + n.entries.front().first.scalar + ": " + n.entries.front().second.scalar + "}";
  return "the event";
}

void read_expect(const YamlNode& n, const Program& p, const Names& names, TestCase& t, const std::string& ev,
                 Diagnostics& d) {
  MapReader m(n, d, "expect");
  if (!m.ok()) return;
  auto person_only = [&](const char* key) {
    if (t.about_person) return true;
    d.error(key_loc(n, key),
            std::string("'") + key + "' is about a person, but this test's event (" + ev + ") is about a village");
    return false;
  };
  if (auto* x = m.get("fired"))
    t.fired = Expected<std::vector<int>>{find_names(*x, names.rules, "rule", nullptr, d), key_loc(n, "fired")};
  if (auto* x = m.get("not_fired")) {
    std::vector<SourceLoc> locs;
    auto ids = find_names(*x, names.rules, "rule", &locs, d);
    for (size_t i = 0; i < ids.size(); ++i) t.not_fired.push_back({ids[i], locs[i]});
  }
  if (auto* x = m.get("class"))
    if (person_only("class"))
      if (auto c = config::read_choice(*x, d, "class", names.classes))
        t.cls = Expected<int>{int(*c), key_loc(n, "class")};
  if (auto* x = m.get("tasks")) {
    auto idx = find_names(*x, names.tasks, "task", nullptr, d);
    for (int& i : idx) i = names.task_kind[size_t(i)];
    t.tasks = Expected<std::vector<int>>{idx, key_loc(n, "tasks")};
  }
  if (auto* x = m.get("tracking")) {
    if (person_only("tracking")) {
      if (x->is_scalar() && !x->quoted && x->scalar == "none" &&
          std::find(names.tracking.begin(), names.tracking.end(), "none") == names.tracking.end()) {
        t.tracking = Expected<int>{-1, key_loc(n, "tracking")};
      } else {
        int i = find_name(*x, names.tracking, "tracking template", d);
        if (i >= 0) t.tracking = Expected<int>{i, key_loc(n, "tracking")};
      }
    }
  }
  if (auto* x = m.get("tracked"))
    if (person_only("tracked"))
      if (auto v = config::read_bool(*x, d, "tracked")) t.tracked = Expected<bool>{*v, key_loc(n, "tracked")};
  if (auto* x = m.get("monitoring")) {
    if (person_only("monitoring")) {
      MonitoringExpectation e{0, 0, key_loc(n, "monitoring")};
      bool ok = false;
      if (x->is_map()) {  // {kind: KIND, days: N}
        MapReader mm(*x, d, "monitoring");
        if (auto* kn = mm.require("kind"))
          if (auto c = config::read_choice(*kn, d, "monitoring kind", names.monitoring)) {
            e.value = int(*c);
            ok = true;
          }
        if (auto* dn = mm.require("days")) {
          auto v = config::read_int(*dn, d, "days", 1, 365);
          if (v) e.days = int(*v);
          ok = ok && v;
        }
        mm.finish();
        if (ok && e.value == 0) {
          d.error(key_loc(*x, "days"), "'days' is for a monitoring; write `monitoring: none` to expect none");
          ok = false;
        }
      } else if (auto c = config::read_choice(*x, d, "monitoring kind", names.monitoring)) {
        e.value = int(*c);
        ok = true;
      }
      if (ok) t.monitoring = e;
    }
  }
  if (auto* x = m.get("posts_opened"))
    t.posts_opened =
        Expected<std::vector<int>>{find_names(*x, names.posts, "post", nullptr, d), key_loc(n, "posts_opened")};
  if (auto* x = m.get("posts_closed"))
    t.posts_closed =
        Expected<std::vector<int>>{find_names(*x, names.posts, "post", nullptr, d), key_loc(n, "posts_closed")};
  if (auto* x = m.get("attributes")) {
    if (!x->is_map()) {
      d.error(x->loc, std::string("expected a mapping for attributes (`{NAME: VALUE}`), found ") + x->kind_name());
    } else {
      for (const auto& [k, v] : x->entries) {
        int a = find_name(k, names.attributes, "attribute", d);
        if (a < 0) continue;
        const Attribute& at = p.attributes()[size_t(a)];
        if (at.about == Subject::Person && !t.about_person) {
          d.error(k.loc, "attribute '" + at.name + "' belongs to a person, but this test's event (" + ev +
                             ") is about a village");
          continue;
        }
        if (auto val = read_attribute_value(v, at, d)) t.attributes.push_back({a, *val, k.loc});
      }
    }
  }
  if (auto* x = m.get("raised"))
    t.raised = Expected<std::vector<int>>{find_names(*x, names.events, "event", nullptr, d), key_loc(n, "raised")};
  m.finish();
}

}  // namespace

std::optional<TestCase> read_test(const YamlNode& n, const Program& p, const Names& names, Diagnostics& d) {
  MapReader m(n, d, "test");
  if (!m.ok()) return std::nullopt;
  TestCase t;
  t.state.attributes.assign(p.attributes().size(), 0.0);
  t.state.village_raised.assign(p.events().size(), 0);
  t.state.post_open.assign(p.posts().size(), 0);
  t.state.stocks.assign(p.supplies().size(), 0.0);
  if (auto* x = m.require("name"))
    if (auto s = config::read_string(*x, d, "test name")) t.name = *s;
  bool event_ok = false;
  std::optional<int> day_of_event;
  std::string ev = "the event";
  if (auto* x = m.require("event")) {
    event_ok = read_event(*x, p, names, t, day_of_event, d);
    ev = event_text(*x);
  }
  if (auto* x = m.get("day")) {
    if (auto v = config::read_int(*x, d, "day", 0, 3650)) {
      t.day = int(*v);
      if (day_of_event && *day_of_event != t.day)
        d.error(x->loc, "a {day: " + std::to_string(*day_of_event) + "} event happens on day " +
                            std::to_string(*day_of_event) + "; remove 'day' or make it " +
                            std::to_string(*day_of_event));
    }
  } else if (day_of_event) {
    t.day = *day_of_event;
  }
  if (auto* x = m.get("person")) {
    if (event_ok && !t.about_person)
      d.error(key_loc(n, "person"),
              "this test's event (" + ev + ") is about a village; 'person' is only for events about a person");
    else
      read_person(*x, p, names, t.state, d);
  }
  if (auto* x = m.get("village")) read_village(*x, p, t.state, d);
  if (auto* x = m.get("raised")) {
    std::vector<SourceLoc> locs;
    const auto events = find_names(*x, names.events, "event", &locs, d);
    for (size_t k = 0; k < events.size(); ++k) {
      const int e = events[k];
      if (p.events()[size_t(e)].about == Subject::Person) {
        d.error(locs[k], "event '" + names.events[size_t(e)] +
                             "' is about a person; 'raised' lists events raised in the "
                             "village (those after_event waits for)");
        continue;
      }
      t.state.village_raised[size_t(e)] = 1;
    }
  }
  if (auto* x = m.get("open_posts"))
    for (int post : find_names(*x, names.posts, "post", nullptr, d)) t.state.post_open[size_t(post)] = 1;
  if (event_ok && t.event == Event::MonitoringEnded && t.state.monitoring != 0) {
    d.error(key_loc(*m.node().find("person"), "monitoring"),
            "at monitoring_ended the person's monitoring has ended already: leave out 'monitoring' (it is none)");
  } else if (t.state.monitoring != 0) {
    // The person is one of the village's monitored people.
    const YamlNode* v = m.node().find("village");
    const bool given = v && v->is_map() && v->find("monitored");
    if (!given) {
      t.state.village[kVillageMonitored] = 1;
    } else if (t.state.village[kVillageMonitored] < 1) {
      d.error(key_loc(*v, "monitored"), "the person is under monitoring (" +
                                            names.monitoring_kinds[size_t(t.state.monitoring - 1)] +
                                            "), so the village's 'monitored' is at least 1");
    }
  }
  if (auto* x = m.require("expect")) read_expect(*x, p, names, t, ev, d);
  m.finish();
  return t;
}

}  // namespace vg::rules::ruletest
