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
#include "rules/program.h"
#include "rules/rule_test_reader.h"

namespace vg::rules {

namespace {

namespace fs = std::filesystem;
using config::MapReader;
using config::YamlNode;
using namespace ruletest;

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

}  // namespace

// Declared in rule_test_reader.h, which reads the names a test gives.
namespace ruletest {

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

}  // namespace ruletest

namespace {

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
