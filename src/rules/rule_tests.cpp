#include "rules/rule_tests.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "config/reader.h"
#include "config/yaml_doc.h"
#include "rules/policy_loader.h"
#include "rules/program.h"

namespace vg::rules {

namespace {

namespace fs = std::filesystem;
using config::MapReader;
using config::YamlNode;

// Nested dispatch bound, as the engine's: cycles are refused when the policy is compiled.
constexpr int kMaxDispatchDepth = 16;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

SourceLoc key_loc(const YamlNode& map, std::string_view key) {
  for (const auto& [k, v] : map.entries)
    if (k.scalar == key) return k.loc;
  return map.loc;
}

// The names a test may use, taken from the compiled program.
struct Names {
  std::vector<std::string> rules, tasks, tracking, attributes, events, posts, monitoring_kinds;
  std::vector<int> task_kind;  // tasks[i] -> task kind index
  std::vector<std::string_view> origins, classes;
  std::vector<std::string_view> monitoring;  // the person fact's values: "none", then the kinds
};

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
  n.monitoring.push_back("none");
  for (const auto& k : p.monitoring()) {
    n.monitoring_kinds.push_back(k);
    n.monitoring.push_back(k);
  }
  return n;
}

// A name that must be one of `names`; unknown: an error with a "did you mean". Returns its index.
int find_name(const YamlNode& n, const std::vector<std::string>& names, const std::string& kind, Diagnostics& d) {
  auto s = config::read_identifier(n, d, kind);
  if (!s) return -1;
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == *s) return int(i);
  std::string msg = "unknown " + kind + " '" + *s + "'";
  std::string hint = did_you_mean(*s, names);
  if (hint.empty()) {
    if (names.empty()) {
      msg += "; the policy has none";
    } else {
      constexpr size_t kShown = 20;
      std::vector<std::string> shown(names.begin(), names.begin() + long(std::min(names.size(), kShown)));
      msg += "; the policy has: " + join(shown) + (names.size() > kShown ? ", ..." : "");
    }
  }
  d.error(n.loc, msg + hint);
  return -1;
}

std::vector<int> find_names(const YamlNode& n, const std::vector<std::string>& names, const std::string& kind,
                            std::vector<SourceLoc>* locs, Diagnostics& d) {
  std::vector<int> out;
  if (!config::expect_list(n, d, kind + " names")) return out;
  for (const auto& item : n.items) {
    int i = find_name(item, names, kind, d);
    if (i < 0) continue;
    out.push_back(i);
    if (locs) locs->push_back(item.loc);
  }
  return out;
}

// The fake world of one test: one person (for events about a person) and their village.
struct State {
  int origin = 0, cls = 0;
  double arrival_day = 0, household_size = 0;
  bool is_returnee = true;  // the engine dispatches only about returnees
  bool tracked = false;     // a tracking is under way
  bool ever_tracked = false;
  int tracking = -1;        // its template; -1 when the test said `tracked: true`
  int monitoring = 0;       // 0 none, else kind + 1 (the person fact's value)
  int monitoring_days = 0;  // of a monitoring a rule started in this test; 0 when the test set it
  std::vector<double> attributes;  // by attribute index, person and village alike
  double village[kVillageFactCount] = {};
  std::vector<uint8_t> village_raised;  // by event index
  std::vector<uint8_t> post_open;       // by post index
};

// Carries out rules the way the engine does (src/sim/engine.cpp), on the fake state.
class TestHooks final : public DispatchHooks {
 public:
  TestHooks(const Program& p, State& s, int today)
      : p_(p), s_(s), today_(today), slots_(size_t(kMaxDispatchDepth) * size_t(p.slot_count()), 0.0) {}

  // stock_below: the stock change being tested (from >= level > to fires a rule).
  void set_stock_change(int64_t from, int64_t to) {
    stock_from_ = from;
    stock_to_ = to;
  }
  bool crossed(int level) override { return stock_from_ >= level && stock_to_ < level; }

  void dispatch(Event e, int filter, bool about_person) {
    if (depth_ >= kMaxDispatchDepth) return;
    const bool saved = person_;
    person_ = about_person;
    double* slots = slots_.data() + size_t(depth_) * size_t(p_.slot_count());
    ++depth_;
    p_.dispatch(e, filter, today_, slots, *this);
    --depth_;
    person_ = saved;
  }

  std::vector<int> fired;    // rule indices, in firing order
  std::vector<int> tasks;    // task kind indices, in creation order
  std::vector<int> raised;   // event indices, in order
  std::vector<double> raised_after;  // for each of `raised`: its delay in minutes (0 = at once)
  std::vector<int> posts_opened, posts_closed;  // post indices, in order
  int started = -1;          // tracking template started, -1 none

 private:
  void fill(double* s) override {
    if (person_) {
      s[kSlotOrigin] = s_.origin;
      s[kSlotClass] = s_.cls;
      s[kSlotArrivalDay] = s_.arrival_day;
      s[kSlotHouseholdSize] = s_.household_size;
      s[kSlotIsReturnee] = s_.is_returnee ? 1.0 : 0.0;
      s[kSlotTracked] = s_.tracked ? 1.0 : 0.0;
      s[kSlotMonitoring] = s_.monitoring;
    } else {
      std::fill(s, s + p_.first_village_slot(), 0.0);
    }
    for (int f = 0; f < kVillageFactCount; ++f)
      s[p_.village_slot(VillageFact(f))] = f == kVillageToday ? double(today_) : s_.village[f];
    for (size_t a = 0; a < p_.attributes().size(); ++a) {
      const int slot = p_.attribute_slot(int(a));
      if (slot < 0) continue;
      if (p_.attributes()[a].about == Subject::Village || person_) s[slot] = s_.attributes[a];
    }
  }

  bool event_raised(int event) override { return s_.village_raised[size_t(event)] != 0; }

  void considered(int rule, bool did_fire, const double*) override {
    if (did_fire) fired.push_back(rule);
  }

  void apply(int, const Action& a) override {
    switch (a.kind) {
      case ActionSpec::Kind::CreateTask: {
        const TaskKind& k = p_.task_kinds()[size_t(a.arg)];
        for (int c = 0; c < k.copies; ++c) {
          tasks.push_back(a.arg);
          s_.village[kVillageOpenTasks] += k.for_each_household ? s_.village[kVillageHouseholds] : 1.0;
        }
        break;
      }
      case ActionSpec::Kind::SetClass: {
        if (s_.cls == a.arg) break;
        const bool was_key = p_.is_key_class(s_.cls), is_key = p_.is_key_class(a.arg);
        s_.cls = a.arg;
        if (!was_key && is_key) s_.village[kVillageKeyPersons] += 1;
        if (was_key && !is_key) s_.village[kVillageKeyPersons] -= 1;
        dispatch(Event::ClassChanged, a.arg, true);
        break;
      }
      case ActionSpec::Kind::StartTracking:
        if (s_.ever_tracked) break;  // tracked once already: a second start is a no-op
        s_.ever_tracked = s_.tracked = true;
        s_.tracking = a.arg;
        started = a.arg;
        break;
      case ActionSpec::Kind::EndTracking:
        if (!s_.tracked || (s_.tracking >= 0 && s_.tracking != a.arg)) break;
        s_.tracked = false;
        // The engine raises tracking_ended at the end of the day; a test raises it now.
        dispatch(Event::TrackingEnded, s_.tracking >= 0 ? s_.tracking : a.arg, true);
        break;
      case ActionSpec::Kind::StartMonitoring:
        // Replaces any current monitoring, from today for `days` days.
        if (s_.monitoring == 0) s_.village[kVillageMonitored] += 1;
        s_.monitoring = a.arg + 1;
        s_.monitoring_days = int(a.value);
        break;
      case ActionSpec::Kind::EndMonitoring: {
        const int kind = s_.monitoring - 1;
        if (kind < 0 || (a.arg != -2 && a.arg != kind)) break;
        s_.monitoring = 0;
        s_.monitoring_days = 0;
        s_.village[kVillageMonitored] -= 1;
        dispatch(Event::MonitoringEnded, kind, true);
        break;
      }
      case ActionSpec::Kind::OpenPost:
        if (s_.post_open[size_t(a.arg)]) break;  // open already: no new shifts
        s_.post_open[size_t(a.arg)] = 1;
        posts_opened.push_back(a.arg);
        break;
      case ActionSpec::Kind::ClosePost:
        if (!s_.post_open[size_t(a.arg)]) break;
        s_.post_open[size_t(a.arg)] = 0;  // the engine: from tomorrow
        posts_closed.push_back(a.arg);
        break;
      case ActionSpec::Kind::SetAttribute: s_.attributes[size_t(a.arg)] = a.value; break;
      case ActionSpec::Kind::Request:
        break;  // an order: the engine pays and delivers it later; nothing to observe in a test
      case ActionSpec::Kind::ObserveHousehold:
        break;  // the household is the engine's population: a test sees the rule fire
      case ActionSpec::Kind::Escalate:
      case ActionSpec::Kind::Raise: {
        // An escalation waits for the grid's report delays (test programs have no grid: 0 = now).
        const double delay = a.kind == ActionSpec::Kind::Escalate ? p_.escalation_delay(int(a.value)) : a.value;
        raised.push_back(a.arg);
        raised_after.push_back(delay);
        if (delay > 0) break;  // the engine raises it later, through a timer: not dispatched in a test
        const bool about_person = p_.events()[size_t(a.arg)].about == Subject::Person;
        if (!about_person) s_.village_raised[size_t(a.arg)] = 1;
        dispatch(Event::Custom, a.arg, about_person);
        break;
      }
    }
  }

  const Program& p_;
  State& s_;
  const int today_;
  std::vector<double> slots_;  // one slot array per dispatch depth
  int depth_ = 0;
  bool person_ = true;
  int64_t stock_from_ = 0, stock_to_ = 0;
};

template <class T>
struct Expected {
  T value;
  SourceLoc loc;
};

struct AttributeExpectation {
  int attribute;
  double value;
  SourceLoc loc;
};

struct MonitoringExpectation {
  int value;      // 0 none, else kind + 1
  int days;       // 0: not checked
  SourceLoc loc;
};

struct TestCase {
  std::string name;
  Event event = Event::ReturneeArrived;
  int filter = -1;
  int64_t stock_from = 0, stock_to = 0;  // stock_below: the change that raised the event
  bool about_person = true;
  int day = 0;
  State state;
  std::optional<Expected<std::vector<int>>> fired, tasks, raised, posts_opened, posts_closed;
  std::vector<Expected<int>> not_fired;
  std::optional<Expected<int>> cls, tracking;
  std::optional<MonitoringExpectation> monitoring;
  std::vector<AttributeExpectation> attributes;
};

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
  read_attributes_of(m, p, Subject::Village, s, d);
  m.finish();
}

// A rule's `on` syntax (policy_loader.cpp's read_trigger), resolved against the program. A test's
// event is one the engine would raise, so class_changed and tracking_ended need their value.
bool read_event(const YamlNode& n, const Program& p, const Names& names, TestCase& t, std::optional<int>& day_of_event,
                Diagnostics& d) {
  static constexpr std::string_view kAll[] = {"returnee_arrived",  "day_started",      "fever_found",   "symptoms_reported",
                                              "staff_unavailable", "local_case_found", "task_done",     "class_changed",
                                              "tracking_ended",    "day",              "event",         "monitoring_ended",
                                              "stock_below"};
  if (n.is_scalar()) {
    auto c = config::read_choice(n, d, "event", kAll);
    if (!c) return false;
    if (*c >= 6) {
      const char* what[] = {"", "", "", "", "", "", "TASK", "CLASS", "TEMPLATE", "N", "EVENT", "KIND",
                            "{supply: S, from: N, to: M}"};
      d.error(n.loc, "event '" + n.scalar + "' needs a value in a test: write `event: {" + n.scalar + ": " +
                         what[*c] + "}`");
      return false;
    }
    static constexpr Event kPlainEvents[] = {Event::ReturneeArrived,  Event::DayStarted,       Event::FeverFound,
                                             Event::SymptomsReported, Event::StaffUnavailable, Event::LocalCaseFound};
    t.event = kPlainEvents[*c];
    t.about_person = *c != 1 && *c != 4 && *c != 5;
    return true;
  }
  if (!n.is_map() || n.entries.size() != 1) {
    d.error(n.loc, "expected an event: returnee_arrived, day_started, or one of {task_done: TASK}, "
                   "{class_changed: CLASS}, {tracking_ended: TEMPLATE}, {monitoring_ended: KIND}, {day: N}, "
                   "{event: EVENT}");
    return false;
  }
  const auto& [k, v] = n.entries.front();
  static constexpr std::string_view kKeyed[] = {"task_done", "class_changed",    "tracking_ended", "day",
                                                "event",     "monitoring_ended", "staff_unavailable", "stock_below"};
  auto c = config::read_choice(k, d, "event", kKeyed);
  if (!c) return false;
  switch (*c) {
    case 6: {  // {staff_unavailable: ROLE}
      std::vector<std::string_view> roles(p.roles().begin(), p.roles().end());
      auto ri = config::read_choice(v, d, "role", roles);
      if (!ri) return false;
      t.event = Event::StaffUnavailable;
      t.filter = int(*ri);
      t.about_person = false;
      return true;
    }
    case 7: {  // {stock_below: {supply: S, from: N, to: M}}: the stock fell from N to M
      MapReader sm(v, d, "stock_below");
      if (!sm.ok()) return false;
      std::vector<std::string_view> supplies(p.supplies().begin(), p.supplies().end());
      std::optional<size_t> si;
      if (auto* x = sm.require("supply")) si = config::read_choice(*x, d, "supply", supplies);
      if (auto* x = sm.require("from"))
        if (auto y = config::read_int(*x, d, "from", 0, 1'000'000'000)) t.stock_from = *y;
      if (auto* x = sm.require("to"))
        if (auto y = config::read_int(*x, d, "to", -1'000'000'000, 1'000'000'000)) t.stock_to = *y;
      sm.finish();
      if (!si) return false;
      t.event = Event::StockBelow;
      t.filter = int(*si);
      t.about_person = false;
      return true;
    }
    case 0: {
      int i = find_name(v, names.tasks, "task", d);
      if (i < 0) return false;
      t.event = Event::TaskDone;
      t.filter = names.task_kind[size_t(i)];
      t.about_person = p.task_kinds()[size_t(t.filter)].subject == Subject::Person;
      return true;
    }
    case 1: {
      auto ci = config::read_choice(v, d, "class", names.classes);
      if (!ci) return false;
      t.event = Event::ClassChanged;
      t.filter = int(*ci);
      t.about_person = true;
      return true;
    }
    case 2: {
      int i = find_name(v, names.tracking, "tracking template", d);
      if (i < 0) return false;
      t.event = Event::TrackingEnded;
      t.filter = i;
      t.about_person = true;
      return true;
    }
    case 3: {
      auto x = config::read_int(v, d, "event day", 0, 3650);
      if (!x) return false;
      t.event = Event::OnDay;
      t.filter = int(*x);
      t.about_person = false;
      day_of_event = int(*x);
      return true;
    }
    case 4: {
      int i = find_name(v, names.events, "event", d);
      if (i < 0) return false;
      t.event = Event::Custom;
      t.filter = i;
      t.about_person = p.events()[size_t(i)].about == Subject::Person;
      return true;
    }
    default: {
      int i = find_name(v, names.monitoring_kinds, "monitoring kind", d);
      if (i < 0) return false;
      t.event = Event::MonitoringEnded;
      t.filter = i;
      t.about_person = true;
      return true;
    }
  }
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
    d.error(key_loc(n, key), std::string("'") + key + "' is about a person, but this test's event (" + ev +
                                 ") is about a village");
    return false;
  };
  if (auto* x = m.get("fired")) t.fired = Expected<std::vector<int>>{find_names(*x, names.rules, "rule", nullptr, d), key_loc(n, "fired")};
  if (auto* x = m.get("not_fired")) {
    std::vector<SourceLoc> locs;
    auto ids = find_names(*x, names.rules, "rule", &locs, d);
    for (size_t i = 0; i < ids.size(); ++i) t.not_fired.push_back({ids[i], locs[i]});
  }
  if (auto* x = m.get("class"))
    if (person_only("class"))
      if (auto c = config::read_choice(*x, d, "class", names.classes)) t.cls = Expected<int>{int(*c), key_loc(n, "class")};
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

std::optional<TestCase> read_test(const YamlNode& n, const Program& p, const Names& names, Diagnostics& d) {
  MapReader m(n, d, "test");
  if (!m.ok()) return std::nullopt;
  TestCase t;
  t.state.attributes.assign(p.attributes().size(), 0.0);
  t.state.village_raised.assign(p.events().size(), 0);
  t.state.post_open.assign(p.posts().size(), 0);
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
                            std::to_string(*day_of_event) + "; remove 'day' or make it " + std::to_string(*day_of_event));
    }
  } else if (day_of_event) {
    t.day = *day_of_event;
  }
  if (auto* x = m.get("person")) {
    if (event_ok && !t.about_person)
      d.error(key_loc(n, "person"), "this test's event (" + ev + ") is about a village; 'person' is only for events about a person");
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
        d.error(locs[k], "event '" + names.events[size_t(e)] + "' is about a person; 'raised' lists events raised in the "
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

std::string rule_list(const Program& p, const std::vector<int>& ids) {
  std::vector<std::string> v;
  for (int i : ids) v.push_back(p.rules()[size_t(i)].id);
  return "[" + join(v) + "]";
}
std::string task_list(const Program& p, const std::vector<int>& ids) {
  std::vector<std::string> v;
  for (int i : ids) v.push_back(p.task_kinds()[size_t(i)].name);
  return "[" + join(v) + "]";
}
std::string event_list(const Program& p, const std::vector<int>& ids, const std::vector<double>* after = nullptr) {
  std::vector<std::string> v;
  for (size_t k = 0; k < ids.size(); ++k) {
    v.push_back(p.events()[size_t(ids[k])].name);
    if (after && (*after)[k] > 0) v.back() += " (in " + number_text((*after)[k] / 60) + " h, not dispatched)";
  }
  return "[" + join(v) + "]";
}
std::string post_list(const Program& p, const std::vector<int>& ids) {
  std::vector<std::string> v;
  for (int i : ids) v.push_back(p.posts()[size_t(i)].name);
  return "[" + join(v) + "]";
}

// Runs one test; returns its failures as (location, message).
std::vector<std::pair<SourceLoc, std::string>> run_test(const Program& p, const TestCase& t) {
  State s = t.state;
  TestHooks h(p, s, t.day);
  h.set_stock_change(t.stock_from, t.stock_to);
  h.dispatch(t.event, t.filter, t.about_person);

  std::vector<std::pair<SourceLoc, std::string>> fails;
  if (t.fired && t.fired->value != h.fired)
    fails.push_back({t.fired->loc, "expected fired " + rule_list(p, t.fired->value) + ", got " + rule_list(p, h.fired)});
  for (const auto& nf : t.not_fired)
    if (std::find(h.fired.begin(), h.fired.end(), nf.value) != h.fired.end())
      fails.push_back({nf.loc, "expected '" + p.rules()[size_t(nf.value)].id + "' not to fire, but it fired"});
  if (t.cls && t.cls->value != s.cls)
    fails.push_back({t.cls->loc, "expected class " + p.classes()[size_t(t.cls->value)] + ", got " + p.classes()[size_t(s.cls)]});
  if (t.tasks && t.tasks->value != h.tasks)
    fails.push_back({t.tasks->loc, "expected tasks " + task_list(p, t.tasks->value) + ", got " + task_list(p, h.tasks)});
  if (t.tracking && t.tracking->value != h.started) {
    auto name = [&](int i) { return i < 0 ? std::string("none") : p.tracking()[size_t(i)].id; };
    fails.push_back({t.tracking->loc, "expected tracking " + name(t.tracking->value) + ", got " + name(h.started)});
  }
  for (const auto& a : t.attributes) {
    const double got = s.attributes[size_t(a.attribute)];
    if (std::fabs(got - a.value) <= 1e-9 * std::max(1.0, std::fabs(a.value))) continue;
    const Attribute& at = p.attributes()[size_t(a.attribute)];
    auto text = [&](double v) { return at.is_bool ? std::string(v != 0 ? "true" : "false") : number_text(v); };
    fails.push_back({a.loc, "expected attribute " + at.name + " " + text(a.value) + ", got " + text(got)});
  }
  if (t.raised && t.raised->value != h.raised)
    fails.push_back({t.raised->loc, "expected raised " + event_list(p, t.raised->value) + ", got " +
                                        event_list(p, h.raised, &h.raised_after)});
  if (t.monitoring) {
    const auto& e = *t.monitoring;
    auto kind = [&](int v) { return v == 0 ? std::string("none") : p.monitoring()[size_t(v - 1)]; };
    if (e.value != s.monitoring || (e.days > 0 && e.days != s.monitoring_days)) {
      std::string want = kind(e.value), got = kind(s.monitoring);
      if (e.days > 0) {
        want += " for " + std::to_string(e.days) + " days";
        if (s.monitoring != 0)
          got += s.monitoring_days > 0 ? " for " + std::to_string(s.monitoring_days) + " days"
                                       : " (as the test set it: no rule started it, so its days are not known)";
      }
      fails.push_back({e.loc, "expected monitoring " + want + ", got " + got});
    }
  }
  if (t.posts_opened && t.posts_opened->value != h.posts_opened)
    fails.push_back({t.posts_opened->loc, "expected posts_opened " + post_list(p, t.posts_opened->value) + ", got " +
                                              post_list(p, h.posts_opened)});
  if (t.posts_closed && t.posts_closed->value != h.posts_closed) {
    std::string msg =
        "expected posts_closed " + post_list(p, t.posts_closed->value) + ", got " + post_list(p, h.posts_closed);
    for (int post : t.posts_closed->value)
      if (!t.state.post_open[size_t(post)] &&
          std::find(h.posts_opened.begin(), h.posts_opened.end(), post) == h.posts_opened.end()) {
        msg += " (close_post closes only an open post: list '" + p.posts()[size_t(post)].name +
               "' in the test's open_posts)";
        break;
      }
    fails.push_back({t.posts_closed->loc, msg});
  }
  // In the order the file states them.
  std::stable_sort(fails.begin(), fails.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.col) < std::pair(b.first.line, b.first.col);
  });
  return fails;
}

struct CompiledPolicy {
  std::shared_ptr<const Program> program;  // null when the policy has errors
  Names names;
};

class Runner {
 public:
  Runner(RuleTestReport& r, Diagnostics& d) : r_(r), d_(d) {}

  void run_file(const std::string& path) {
    auto root = config::load_yaml_file(path, d_);
    if (!root) return;
    MapReader top(*root, d_, "rule test file");
    if (!top.ok()) return;
    const YamlNode* pol = top.require("policy");
    const YamlNode* tests = top.require("tests");
    top.finish();
    const size_t errors_before = d_.error_count();
    std::vector<std::string> files;
    if (pol) files = policy_files(*pol, path);
    if (!tests || !config::expect_list(*tests, d_, "tests")) return;
    const int count = int(tests->items.size());
    if (count == 0) d_.warning(tests->loc, "no tests in this file");
    if (!pol || d_.error_count() > errors_before) {
      r_.not_run += count;
      return;
    }
    const CompiledPolicy& cp = policy(files);
    if (!cp.program) {
      d_.note(pol->loc, "the tests of this file were not run: their policy has errors");
      r_.not_run += count;
      return;
    }
    std::map<std::string, SourceLoc> seen;
    for (const auto& item : tests->items) {
      const size_t before = d_.error_count();
      auto t = read_test(item, *cp.program, cp.names, d_);
      if (t && !t->name.empty()) {
        const SourceLoc loc = key_loc(item, "name");
        auto [it, fresh] = seen.emplace(t->name, loc);
        if (!fresh) d_.warning(loc, "another test is named '" + t->name + "' (at " + it->second.str() + ")");
      }
      if (!t || d_.error_count() > before) {
        r_.not_run++;
        continue;
      }
      auto fails = run_test(*cp.program, *t);
      if (fails.empty()) {
        r_.passed++;
        continue;
      }
      r_.failed++;
      for (const auto& [loc, msg] : fails) r_.output += loc.str() + ": FAIL: test '" + t->name + "': " + msg + "\n";
    }
  }

 private:
  // The policy files, relative to the test file's folder; a missing one is reported here, at the
  // name the test file gives, rather than as an unreadable file.
  std::vector<std::string> policy_files(const YamlNode& n, const std::string& test_path) {
    std::vector<const YamlNode*> items;
    if (n.is_scalar()) {
      items.push_back(&n);
    } else if (n.is_seq()) {
      for (const auto& i : n.items) items.push_back(&i);
      if (n.items.empty()) d_.error(n.loc, "'policy' lists no files: name the policy files the tests are about");
    } else {
      d_.error(n.loc, std::string("expected a policy file or a list of them for policy, found ") + n.kind_name());
    }
    std::vector<std::string> out;
    const fs::path base = fs::path(test_path).parent_path();
    for (const YamlNode* i : items) {
      auto s = config::read_string(*i, d_, "policy file");
      if (!s) continue;
      if (s->empty()) {
        d_.error(i->loc, "empty policy file name");
        continue;
      }
      fs::path f(*s);
      if (f.is_relative()) f = (base / f).lexically_normal();
      std::error_code ec;
      if (!fs::is_regular_file(f, ec)) {
        d_.error(i->loc, "no such policy file '" + *s + "'" + (f.string() != *s ? " (looked for " + f.string() + ")" : ""));
        continue;
      }
      out.push_back(f.string());
    }
    return out;
  }

  const CompiledPolicy& policy(const std::vector<std::string>& files) {
    std::string key;
    for (const auto& f : files) key += f + '\n';
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    CompiledPolicy cp;
    const size_t before = d_.error_count();
    PolicySpec spec = load_policy(files, d_);
    if (d_.error_count() == before) cp.program = compile_policy(std::move(spec), d_);
    if (cp.program) cp.names = names_of(*cp.program);
    return cache_.emplace(key, std::move(cp)).first->second;
  }

  RuleTestReport& r_;
  Diagnostics& d_;
  std::map<std::string, CompiledPolicy> cache_;
};

}  // namespace

RuleTestReport run_rule_test_files(const std::vector<std::string>& files, Diagnostics& diags) {
  RuleTestReport r;
  Runner runner(r, diags);
  for (const auto& f : files) runner.run_file(f);
  r.output += std::to_string(r.passed) + " passed, " + std::to_string(r.failed) + " failed";
  if (r.not_run > 0) r.output += ", " + std::to_string(r.not_run) + " not run";
  r.output += "\n";
  return r;
}

}  // namespace vg::rules
