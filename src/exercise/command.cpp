// Parsing and checking the players' commands (command.h), and what each does to the scenario.
#include "exercise/command.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <type_traits>

#include "spec/policy.h"

namespace vg::exercise {

namespace {

struct Word {
  std::string text;
  int col = 0;  // 0-based offset in the command
};

// Words separated by blanks; "double quotes" keep blanks inside one word (a village's name).
std::vector<Word> split(std::string_view s) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    Word w;
    w.col = int(i);
    if (s[i] == '"') {
      const size_t end = s.find('"', i + 1);
      w.text = std::string(s.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1));
      i = end == std::string_view::npos ? s.size() : end + 1;
    } else {
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') w.text += s[i++];
    }
    out.push_back(std::move(w));
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, const SourceLoc& loc, Diagnostics& d) : words_(split(text)), loc_(loc), d_(d) {}

  bool done() const { return pos_ >= words_.size(); }
  SourceLoc here() const { return loc_.shifted(done() ? end_col() : words_[pos_].col); }
  bool fail(const std::string& msg) {
    if (ok_) d_.error(here(), msg);
    ok_ = false;
    return false;
  }
  bool ok() const { return ok_; }
  void back() { --pos_; }
  size_t mark() const { return pos_; }  // the word about to be read, for fail_at
  const Word* peek() const { return ok_ && !done() ? &words_[pos_] : nullptr; }  // the word about to be read
  bool fail_at(size_t word, const std::string& msg) {
    if (ok_) d_.error(loc_.shifted(word < words_.size() ? words_[word].col : end_col()), msg);
    ok_ = false;
    return false;
  }
  const Word* next(const char* what) {
    if (!ok_) return nullptr;
    if (done()) {
      fail(std::string("expected ") + what + " here; the command ends");
      return nullptr;
    }
    return &words_[pos_++];
  }
  bool keyword(const char* kw, const char* after) {
    if (!ok_) return false;
    if (done() || words_[pos_].text != kw)
      return fail(std::string("expected '") + kw + "' after " + after +
                  (done() ? std::string("; the command ends") : ", found '" + words_[pos_].text + "'"));
    ++pos_;
    return true;
  }
  bool maybe(const char* kw) {
    if (ok_ && !done() && words_[pos_].text == kw) {
      ++pos_;
      return true;
    }
    return false;
  }
  template <class T>
  std::optional<T> number(const char* what, T min, T max) {
    const Word* w = next(what);
    if (!w) return std::nullopt;
    T v{};
    auto [p, ec] = std::from_chars(w->text.data(), w->text.data() + w->text.size(), v);
    if (ec != std::errc() || p != w->text.data() + w->text.size() || v < min || v > max) {
      --pos_;
      auto text = [](T x) {  // 0.25 and 12, not 0.250000 and 12.000000
        if constexpr (std::is_integral_v<T>) {
          return std::to_string(x);
        } else {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", double(x));
          return std::string(buf);
        }
      };
      fail(std::string("expected ") + what + " (a number from " + text(min) + " to " + text(max) + "), found '" +
           w->text + "'");
      return std::nullopt;
    }
    return v;
  }
  std::optional<std::string> name(const char* kind, const std::vector<std::string>& known) {
    const Word* w = next(kind);
    if (!w) return std::nullopt;
    if (std::find(known.begin(), known.end(), w->text) != known.end()) return w->text;
    --pos_;
    fail(unknown_name(kind, w->text, known, {"; the exercise has: ", "; the exercise has none", 20}));
    return std::nullopt;
  }
  void end() {
    if (ok_ && !done()) fail("unexpected '" + words_[pos_].text + "' after the end of the command");
  }
  std::string rest() const {
    std::string out;
    for (size_t k = pos_; k < words_.size(); ++k) out += (out.empty() ? "" : " ") + words_[k].text;
    return out;
  }

 private:
  int end_col() const { return words_.empty() ? 0 : words_.back().col + int(words_.back().text.size()) + 1; }
  std::vector<Word> words_;
  size_t pos_ = 0;
  SourceLoc loc_;
  Diagnostics& d_;
  bool ok_ = true;
};

constexpr int kMaxDay = 3650;

// A played village. A town's name gets its own message: commands act on villages (a town's staff
// are called into one of its villages), so it names the town's villages in the exercise.
std::optional<std::string> village(Parser& p, const Names& n) {
  const Word* w = p.peek();
  if (w != nullptr) {
    const auto town = std::find_if(n.towns.begin(), n.towns.end(), [&](const auto& t) { return t.first == w->text; });
    if (town != n.towns.end() && std::find(n.villages.begin(), n.villages.end(), w->text) == n.villages.end()) {
      std::string list;
      for (const auto& v : town->second) list += (list.empty() ? "" : ", ") + v;
      p.fail("'" + w->text + "' is a town, and commands name a village (a town's staff are called into one of its " +
             "villages): " + w->text + "'s villages in the exercise are " + list);
      return std::nullopt;
    }
  }
  return p.name("village", n.villages);
}

using NameList = std::vector<std::string> PolicyNames::*;

// A policy's name (post, channel, event, task, template) that some player's village has but the
// village the command names does not: refused at the name, saying whose policy has it. The
// simulation resolves it against that village's own policy (sim/schedule.cpp), where it would not be.
void check_in_village(Parser& p, size_t at, const char* kind, const std::string& name, NameList list, const Names& n,
                      const std::string& village) {
  if (!p.ok() || name.empty() || village.empty()) return;
  const auto& own = n.policy_of(village).*list;
  if (std::find(own.begin(), own.end(), name) != own.end()) return;
  std::string others;
  for (size_t k = 0; k < n.of_village.size() && k < n.villages.size(); ++k) {
    const auto& theirs = n.of_village[k].*list;
    if (std::find(theirs.begin(), theirs.end(), name) != theirs.end())
      others += (others.empty() ? "" : ", ") + n.villages[k];
  }
  std::string msg = village + "'s policy has no " + kind + " '" + name + "'";
  if (!others.empty()) msg += " (the policy of " + others + " has it)";
  if (own.empty()) {
    msg += "; " + village + "'s has none";
  } else {
    msg += "; " + village + "'s has: ";
    for (size_t k = 0; k < own.size() && k < 20; ++k) msg += (k ? ", " : "") + own[k];
    if (own.size() > 20) msg += ", ...";
  }
  p.fail_at(at, msg);
}

void parse_add(Parser& p, const Names& n, int today, Command& c) {
  if (auto v = p.number<int>("how many people", 1, 10'000)) c.count = *v;
  if (auto v = p.name("role", n.roles)) c.role = *v;
  p.keyword("to", "the role");
  if (auto v = village(p, n)) c.village = *v;
  if (p.maybe("from")) {
    p.keyword("day", "'from'");
    if (auto v = p.number<int>("the first day", today, kMaxDay)) c.day = *v;
  }
}

void parse_overtime(Parser& p, const Names& n, Command& c) {
  if (auto v = p.number<double>("hours past the shift end", 0.25, 12)) c.hours = *v;
  p.keyword("hours", "the number of hours");
  p.keyword("for", "'hours'");
  if (auto v = p.name("role", n.roles)) c.role = *v;
  p.keyword("in", "the role");
  if (auto v = village(p, n)) c.village = *v;
  c.days = kMaxDay;
  if (p.maybe("for")) {
    if (auto v = p.number<int>("how many days", 1, kMaxDay)) c.days = *v;
    p.keyword("days", "the number of days");
  }
}

void parse_request(Parser& p, const Names& n, Command& c) {
  if (auto v = p.number<int64_t>("an amount", 1, 1'000'000'000)) c.amount = *v;
  if (auto v = p.name("supply", n.supplies)) c.supply = *v;
  p.keyword("via", "the supply");
  const size_t at = p.mark();
  if (auto v = p.name("channel", n.channels)) c.channel = *v;
  p.keyword("for", "the channel");
  if (auto v = village(p, n)) c.village = *v;
  check_in_village(p, at, "channel", c.channel, &PolicyNames::channels, n, c.village);
}

void parse_move(Parser& p, const Names& n, int today, Command& c) {
  if (auto v = p.number<int>("how many people", 1, 10'000)) c.count = *v;
  if (auto v = p.name("role", n.roles)) c.role = *v;
  p.keyword("from", "the role");
  if (auto v = village(p, n)) c.village = *v;
  p.keyword("to", "the village they leave");
  if (auto v = village(p, n)) c.to_village = *v;
  if (p.ok() && c.village == c.to_village) p.fail("staff move to another village; this is the village they leave");
  if (p.maybe("from")) {
    p.keyword("day", "'from'");
    if (auto v = p.number<int>("the first day", today, kMaxDay)) c.day = *v;
  }
}

void parse_raise(Parser& p, const Names& n, Command& c) {
  const Word* w = p.next("an event");
  if (!w) return;
  p.back();
  const bool builtin = std::any_of(std::begin(rules::kTriggerSyntax), std::end(rules::kTriggerSyntax),
                                   [&](const auto& t) { return t.name == w->text; });
  if (builtin && std::find(n.events.begin(), n.events.end(), w->text) == n.events.end()) {
    p.fail("'" + w->text + "' is raised by the simulation itself; a command raises an event the policy declares" +
           (n.events.empty() ? std::string(" (it declares none)")
                             : ": " + n.events.front() + (n.events.size() > 1 ? ", ..." : "")));
    return;
  }
  const size_t at = p.mark();
  if (auto v = p.name("event", n.events)) c.event = *v;
  p.keyword("in", "the event");
  if (auto v = village(p, n)) c.village = *v;
  check_in_village(p, at, "event", c.event, &PolicyNames::events, n, c.village);
  if (p.maybe("at"))
    if (auto v = p.number<int>("the hour", 0, 23)) c.minute = *v * 60;
}

void parse_set(Parser& p, const Names& n, Command& c) {
  using W = config::ParamSetSpec::What;
  const size_t at = p.mark();
  const Word* name = p.next("a task or tracking template");
  static const std::vector<std::string> kParams = {"minutes", "every_days", "days", "priority"};
  const Word* what = name ? p.next("a parameter (minutes, every_days, days or priority)") : nullptr;
  if (!what) return;
  const auto it = std::find(kParams.begin(), kParams.end(), what->text);
  if (it == kParams.end()) {
    p.back();
    p.fail(unknown_name("parameter", what->text, kParams, {"; a command sets: ", ""}));
    return;
  }
  c.what = W(it - kParams.begin());
  const std::vector<std::string>& known = c.what == W::EveryDays      ? n.repeated
                                          : c.what == W::TrackingDays ? n.templates
                                                                      : n.tasks;
  static const char* const kinds[] = {"task", "repeated task", "tracking template", "task"};
  if (std::find(known.begin(), known.end(), name->text) == known.end()) {
    p.back();
    p.back();
    p.fail(unknown_name(kinds[size_t(c.what)], name->text, known, {"; the policy has: ", "; the policy has none", 20}));
    return;
  }
  c.name = name->text;
  p.keyword("to", "the parameter");
  if (c.what == W::Priority) {  // the range of a rule's `priority`
    if (auto v = p.number<int>("the priority", -1000, 1000)) c.value = *v;
  } else if (auto v = p.number<int>(c.what == W::Minutes ? "minutes" : "days", 1,
                                    c.what == W::Minutes ? 24 * 60 : kMaxDay)) {
    c.value = *v;
  }
  p.keyword("in", "the value");
  if (auto v = village(p, n)) c.village = *v;
  const NameList own = c.what == W::EveryDays      ? &PolicyNames::repeated
                       : c.what == W::TrackingDays ? &PolicyNames::templates
                                                   : &PolicyNames::tasks;
  check_in_village(p, at, kinds[size_t(c.what)], c.name, own, n, c.village);
}

}  // namespace

const PolicyNames& Names::policy_of(const std::string& village) const {
  const auto it = std::find(villages.begin(), villages.end(), village);
  const auto k = size_t(it - villages.begin());
  return k < of_village.size() ? of_village[k] : *this;
}

const char* kind_name(Command::Kind k) {
  static const char* const names[] = {"add", "overtime", "open", "close", "request", "note", "move", "raise", "set"};
  return names[size_t(k)];
}

std::string Command::key() const {
  std::string k = kind_name(kind);
  for (const std::string* s : {&role, &post, &supply, &event, &name, &village, &to_village})
    if (!s->empty()) k += " " + *s;
  if (kind == Kind::Set)
    k += std::string(" ") + (what == config::ParamSetSpec::What::Minutes     ? "minutes"
                             : what == config::ParamSetSpec::What::EveryDays ? "every_days"
                             : what == config::ParamSetSpec::What::Priority  ? "priority"
                                                                             : "days");
  return k;
}

std::optional<Command> parse_command(std::string_view text, const SourceLoc& loc, const Names& names, int today,
                                     Diagnostics& d) {
  Parser p(text, loc, d);
  Command c;
  c.text = std::string(text);
  c.day = c.given = today;
  static const std::vector<std::string> kVerbs = {"add",     "call", "overtime", "open", "close",
                                                  "request", "move", "raise",    "set",  "note"};
  const Word* verb = p.next("a command (add, call, overtime, open, close, request, move, raise, set or note)");
  if (!verb) return std::nullopt;
  if (verb->text == "add" || verb->text == "call") {
    c.kind = Command::Kind::Add;
    parse_add(p, names, today, c);
  } else if (verb->text == "overtime") {
    c.kind = Command::Kind::Overtime;
    parse_overtime(p, names, c);
  } else if (verb->text == "open" || verb->text == "close") {
    c.kind = verb->text == "open" ? Command::Kind::Open : Command::Kind::Close;
    const size_t at = p.mark();
    if (auto v = p.name("post", names.posts)) c.post = *v;
    p.keyword("in", "the post");
    if (auto v = village(p, names)) c.village = *v;
    check_in_village(p, at, "post", c.post, &PolicyNames::posts, names, c.village);
  } else if (verb->text == "request") {
    c.kind = Command::Kind::Request;
    parse_request(p, names, c);
  } else if (verb->text == "move") {
    c.kind = Command::Kind::Move;
    parse_move(p, names, today, c);
  } else if (verb->text == "raise") {
    c.kind = Command::Kind::Raise;
    parse_raise(p, names, c);
  } else if (verb->text == "set") {
    c.kind = Command::Kind::Set;
    parse_set(p, names, c);
  } else if (verb->text == "note") {
    c.kind = Command::Kind::Note;
    if (p.rest().empty()) p.fail("a note says what was decided and why: note <text>");
    return p.ok() ? std::optional<Command>(c) : std::nullopt;
  } else {
    d.error(loc.shifted(verb->col),
            "unknown command '" + verb->text + "'" + did_you_mean(verb->text, kVerbs) +
                " (commands: add, call, overtime, open, close, request, move, raise, set, note)");
    return std::nullopt;
  }
  p.end();
  if (!p.ok()) return std::nullopt;
  return c;
}

namespace {

// Staff of a role called into a village from a day, working the hours its own staff of the role
// work (else the town's, else 8).
void call_in(const std::string& role, const std::string& village, int count, int day, config::ScenarioSpec& s) {
  for (auto& town : s.towns)
    for (auto& v : town.villages) {
      if (v.name != village) continue;
      config::RosterSpec r;
      for (const auto* list : {&town.staff, &v.staff})
        for (const auto& have : *list)
          if (have.role == role) r = have;
      r.role = role;
      r.count = count;
      r.available_from_day = day;
      r.reinforcement = true;
      r.seconded = true;  // called in from outside the village's own roster
      v.staff.push_back(r);
    }
}

// The last `count` members of the role the village may lend from the day (in roster order: the most
// recently called in first; never one called in later or lent already) off duty from the day on;
// as many called into the other village.
void apply_move(const Command& c, config::ScenarioSpec& s) {
  const std::vector<int> movable = movable_members(s, c.role, c.village, c.day);
  const int n = std::min(c.count, int(movable.size()));
  for (int k = 0; k < n; ++k) {
    config::AbsenceSpec a;
    a.role = c.role;
    a.place = c.village;
    a.member = movable[movable.size() - 1 - size_t(k)];
    a.from_day = c.day;
    a.to_day = int(config::ScenarioLimits::max_horizon_days);
    a.moved = true;
    s.schedule.absences.push_back(a);
  }
  if (n > 0) call_in(c.role, c.to_village, n, c.day, s);
}

}  // namespace

std::vector<int> movable_members(const config::ScenarioSpec& s, const std::string& role, const std::string& village,
                                 int day) {
  std::vector<int> out;
  int member = 0;
  for (const auto& town : s.towns)
    for (const auto& v : town.villages) {
      if (v.name != village) continue;
      for (const auto& r : v.staff) {
        if (r.role != role) continue;
        for (int k = 0; k < r.count; ++k) {
          ++member;
          if (r.available_from_day <= day) out.push_back(member);
        }
      }
    }
  std::erase_if(out, [&](int m) {
    return std::any_of(s.schedule.absences.begin(), s.schedule.absences.end(), [&](const config::AbsenceSpec& a) {
      return a.moved && a.role == role && a.place == village && a.member == m;
    });
  });
  return out;
}

void apply_command(const Command& c, config::ScenarioSpec& s) {
  switch (c.kind) {
    case Command::Kind::Add: call_in(c.role, c.village, c.count, c.day, s); break;
    case Command::Kind::Overtime: {
      config::OvertimeSpec o;
      o.role = c.role;
      o.village = c.village;
      o.from_day = c.day;
      o.to_day = c.day + c.days - 1;
      o.hours = c.hours;
      s.schedule.overtime.push_back(o);
      break;
    }
    case Command::Kind::Open:
    case Command::Kind::Close: {
      config::PostSetSpec p;
      p.post = c.post;
      p.village = c.village;
      p.day = c.day;
      p.open = c.kind == Command::Kind::Open;
      s.schedule.posts.push_back(p);
      break;
    }
    case Command::Kind::Request: {
      config::OrderSpec o;
      o.supply = c.supply;
      o.channel = c.channel;
      o.village = c.village;
      o.day = c.day;
      o.amount = c.amount;
      s.schedule.orders.push_back(o);
      break;
    }
    case Command::Kind::Move: apply_move(c, s); break;
    case Command::Kind::Raise: {
      config::RaiseSpec r;
      r.event = c.event;
      r.village = c.village;
      r.day = c.day;
      r.minute = c.minute;
      s.schedule.raises.push_back(r);
      break;
    }
    case Command::Kind::Set: {
      config::ParamSetSpec p;
      p.what = c.what;
      p.name = c.name;
      p.village = c.village;
      p.day = c.day;
      p.value = c.value;
      s.schedule.params.push_back(p);
      break;
    }
    case Command::Kind::Note: break;
  }
}

}  // namespace vg::exercise
