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
#include "rules/apply.h"
#include "rules/coverage.h"
#include "rules/policy_loader.h"
#include "rules/program.h"
#include "rules/rule_test_reader.h"

namespace vg::rules {

namespace {

namespace fs = std::filesystem;
using config::MapReader;
using config::YamlNode;
using namespace ruletest;

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
  d.error(n.loc, unknown_name(kind, *s, names, {"; the policy has: ", "; the policy has none", 20}));
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

// The fake world of a test (rules/apply.h): actions mean what they mean in the engine, on the fake
// state. Where it differs from the engine's town, it says why.
class TestHooks final : public DispatchHooks {
 public:
  TestHooks(const Program& p, State& s, int today) : p_(p), s_(s), today_(today), chain_(p) {}

  // stock_below: the stock change being tested (from >= level > to fires a rule).
  void set_stock_change(int64_t from, int64_t to) {
    stock_from_ = from;
    stock_to_ = to;
  }
  bool crossed(int level) override { return stock_from_ >= level && stock_to_ < level; }

  void dispatch(Event e, int filter, bool about_person) {
    const bool saved = person_;
    person_ = about_person;
    chain_.dispatch(e, filter, today_, *this);
    person_ = saved;
  }

  std::vector<int> fired;                       // rule indices, in firing order
  std::vector<int> tasks;                       // task kind indices, in creation order
  std::vector<int> raised;                      // event indices, in order
  std::vector<double> raised_after;             // for each of `raised`: its delay in minutes (0 = at once)
  std::vector<int> posts_opened, posts_closed;  // post indices, in order
  int started = -1;                             // tracking template started, -1 none
  RuleCoverage* coverage = nullptr;             // with `test --coverage`

  // ---- the world's primitives (ActionWorld) ----
  const Program& program() const { return p_; }
  void raise_now(Event e, int filter, bool about_village) {
    if (e == Event::Custom) note_raised(filter, 0);
    dispatch(e, filter, person_ && !about_village);
  }
  // The engine raises it later, through a timer: listed, but not dispatched in a test.
  void raise_later(int event, int64_t delay) { note_raised(event, double(delay)); }
  void mark_village_event(int event) { s_.village_raised[size_t(event)] = 1; }
  // Listed once per copy (a for_each household task once); the engine's repeats come on later days.
  void create_task(int kind) {
    const TaskKind& k = p_.task_kinds()[size_t(kind)];
    for (int c = 0; c < k.copies; ++c) {
      tasks.push_back(kind);
      s_.village[kVillageOpenTasks] += k.for_each_household ? s_.village[kVillageHouseholds] : 1.0;
    }
  }
  int person_class() const { return s_.cls; }
  void set_person_class(int cls) { s_.cls = cls; }
  void key_persons_changed(int delta) { s_.village[kVillageKeyPersons] += delta; }
  bool ever_tracked() const { return s_.ever_tracked; }
  void start_tracking(int tmpl) {
    s_.ever_tracked = s_.tracked = true;
    s_.tracking = tmpl;
    started = tmpl;
  }
  // `tracked: true` in a test names no template: any end_tracking ends it.
  bool tracked_with(int tmpl) const { return s_.tracked && (s_.tracking < 0 || s_.tracking == tmpl); }
  // The engine raises tracking_ended at the end of the day; a test raises it now, so that its rules
  // can be tested in the same test.
  void end_tracking(int tmpl) {
    s_.tracked = false;
    dispatch(Event::TrackingEnded, s_.tracking >= 0 ? s_.tracking : tmpl, true);
  }
  int monitoring_kind() const { return s_.monitoring - 1; }
  void start_monitoring(int kind, int days) {
    if (s_.monitoring == 0) s_.village[kVillageMonitored] += 1;
    s_.monitoring = kind + 1;
    s_.monitoring_days = days;
  }
  void end_monitoring(int) {
    s_.monitoring = 0;
    s_.monitoring_days = 0;
    s_.village[kVillageMonitored] -= 1;
  }
  void observe_household(int, int) {}  // the household is the engine's population: a test sees the rule fire
  bool post_open(int post) const { return s_.post_open[size_t(post)] != 0; }
  void open_post(int post) {  // its shifts are the engine's work
    s_.post_open[size_t(post)] = 1;
    posts_opened.push_back(post);
  }
  void close_post(int post) {  // the engine: from tomorrow
    s_.post_open[size_t(post)] = 0;
    posts_closed.push_back(post);
  }
  void set_attribute(int attr, double value) { s_.attributes[size_t(attr)] = value; }
  void request(int, int, int64_t) {}  // an order: the engine pays and delivers it later; nothing to observe here

 private:
  friend class rules::Program;  // calls the DispatchHooks below directly (Program::dispatch_with)
  void fill(double* s) override {
    if (person_) {
      s[kSlotOrigin] = s_.origin;
      s[kSlotClass] = s_.cls;
      s[kSlotArrivalDay] = s_.arrival_day;
      s[kSlotHouseholdSize] = s_.household_size;
      s[kSlotIsReturnee] = s_.is_returnee ? 1.0 : 0.0;
      s[kSlotTracked] = s_.tracked ? 1.0 : 0.0;
      s[kSlotMonitoring] = s_.monitoring;
      s[kSlotFoundBy] = s_.found_by;
    } else {
      std::fill(s, s + p_.first_village_slot(), 0.0);
    }
    for (int f = 0; f < kVillageFactCount; ++f)
      s[p_.village_slot(VillageFact(f))] = f == kVillageToday ? double(today_) : s_.village[f];
    for (size_t sup = 0; sup < s_.stocks.size(); ++sup)
      if (const int slot = p_.stock_slot(int(sup)); slot >= 0) s[slot] = s_.stocks[sup];
    for (size_t a = 0; a < p_.attributes().size(); ++a) {
      const int slot = p_.attribute_slot(int(a));
      if (slot < 0) continue;
      if (p_.attributes()[a].about == Subject::Village || person_) s[slot] = s_.attributes[a];
    }
  }

  bool event_raised(int event) override { return s_.village_raised[size_t(event)] != 0; }

  void considered(int rule, bool did_fire, const double* slots) override {
    if (coverage) coverage->considered(p_, rule, did_fire, slots);
    if (did_fire) fired.push_back(rule);
  }

  void apply(int, const Action& a) override { rules::apply(a, *this); }

  void note_raised(int event, double delay) {
    raised.push_back(event);
    raised_after.push_back(delay);
  }

  const Program& p_;
  State& s_;
  const int today_;
  RuleChain chain_;
  bool person_ = true;
  int64_t stock_from_ = 0, stock_to_ = 0;
};
static_assert(ActionWorld<TestHooks>);

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
std::vector<std::pair<SourceLoc, std::string>> run_test(const Program& p, const TestCase& t, RuleCoverage* coverage) {
  State s = t.state;
  // A stock_below test: the supply's stock is now what it fell to, as the engine's fact would be.
  if (t.event == Event::StockBelow && t.filter >= 0 && size_t(t.filter) < s.stocks.size())
    s.stocks[size_t(t.filter)] = double(t.stock_to);
  TestHooks h(p, s, t.day);
  h.coverage = coverage;
  h.set_stock_change(t.stock_from, t.stock_to);
  h.dispatch(t.event, t.filter, t.about_person);

  std::vector<std::pair<SourceLoc, std::string>> fails;
  if (t.fired && t.fired->value != h.fired)
    fails.push_back(
        {t.fired->loc, "expected fired " + rule_list(p, t.fired->value) + ", got " + rule_list(p, h.fired)});
  for (const auto& nf : t.not_fired)
    if (std::find(h.fired.begin(), h.fired.end(), nf.value) != h.fired.end())
      fails.push_back({nf.loc, "expected '" + p.rules()[size_t(nf.value)].id + "' not to fire, but it fired"});
  if (t.cls && t.cls->value != s.cls)
    fails.push_back(
        {t.cls->loc, "expected class " + p.classes()[size_t(t.cls->value)] + ", got " + p.classes()[size_t(s.cls)]});
  if (t.tasks && t.tasks->value != h.tasks)
    fails.push_back(
        {t.tasks->loc, "expected tasks " + task_list(p, t.tasks->value) + ", got " + task_list(p, h.tasks)});
  if (t.tracking && t.tracking->value != h.started) {
    auto name = [&](int i) { return i < 0 ? std::string("none") : p.tracking()[size_t(i)].id; };
    fails.push_back({t.tracking->loc, "expected tracking " + name(t.tracking->value) + ", got " + name(h.started)});
  }
  if (t.tracked && t.tracked->value != s.tracked) {
    auto text = [](bool b) { return std::string(b ? "tracked" : "not tracked"); };
    fails.push_back(
        {t.tracked->loc, "expected the person " + text(t.tracked->value) + " afterwards, got " + text(s.tracked)});
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
  Runner(RuleTestReport& r, Diagnostics& d, RuleCoverage* coverage) : r_(r), d_(d), coverage_(coverage) {}

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
      auto fails = run_test(*cp.program, *t, coverage_);
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
        d_.error(i->loc,
                 "no such policy file '" + *s + "'" + (f.string() != *s ? " (looked for " + f.string() + ")" : ""));
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
    PolicySpec spec = load_policy(files, d_);
    cp.program = compile_policy(std::move(spec), d_);  // after reading errors too: what was read is checked
    if (cp.program) cp.names = names_of(*cp.program);
    if (cp.program && coverage_) coverage_->add_policy(*cp.program);
    return cache_.emplace(key, std::move(cp)).first->second;
  }

  RuleTestReport& r_;
  Diagnostics& d_;
  std::map<std::string, CompiledPolicy> cache_;
  RuleCoverage* coverage_;
};

}  // namespace

RuleTestReport run_rule_test_files(const std::vector<std::string>& files, Diagnostics& diags, RuleCoverage* coverage) {
  RuleTestReport r;
  Runner runner(r, diags, coverage);
  for (const auto& f : files) runner.run_file(f);
  r.output += std::to_string(r.passed) + " passed, " + std::to_string(r.failed) + " failed";
  if (r.not_run > 0) r.output += ", " + std::to_string(r.not_run) + " not run";
  r.output += "\n";
  return r;
}

}  // namespace vg::rules
