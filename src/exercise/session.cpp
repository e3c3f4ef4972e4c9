// The exercise log, and the models and runs rebuilt from it (session.h).
#include "exercise/session.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "core/atomic_file.h"

namespace vg::exercise {

namespace {

constexpr std::string_view kLogHeader = "villagegrid exercise log 1";

std::shared_ptr<const SourceFile> source_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string() + " (is this an exercise folder?)");
  std::stringstream ss;
  ss << in.rdbuf();
  return std::make_shared<const SourceFile>(file.string(), ss.str());
}

// "VERB DAY REST": the day as a whole number, at column `col` of the line.
std::optional<int> read_day(std::string_view word) {
  int v = 0;
  auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc() || p != word.data() + word.size() || v < 0) return std::nullopt;
  return v;
}

// Adds the injects' effects to the scenario as its scheduled events.
void add_injects(const ExerciseSpec& x, config::ScenarioSpec& s) {
  for (const auto& in : x.injects) {
    switch (in.effect.kind) {
      case Effect::Kind::Surge: s.schedule.surges.push_back(in.effect.surge); break;
      case Effect::Kind::Absence: s.schedule.absences.push_back(in.effect.absence); break;
      case Effect::Kind::Stock: s.schedule.stocks.push_back(in.effect.stock); break;
      case Effect::Kind::Fever: s.schedule.fevers.push_back(in.effect.fever); break;
      case Effect::Kind::Raise: s.schedule.raises.push_back(in.effect.raise); break;
      case Effect::Kind::None: break;
    }
  }
}

// The names a program declares that differ between policies (command.h's PolicyNames).
PolicyNames policy_names(const rules::Program& prog) {
  PolicyNames n;
  for (const auto& p : prog.posts()) n.posts.push_back(p.name);
  n.channels = prog.channels();
  for (const auto& e : prog.events())
    if (e.about == rules::Subject::Village) n.events.push_back(e.name);
  for (const auto& k : prog.task_kinds()) {
    if (k.tracking >= 0 || k.post >= 0) continue;  // duties and shifts: set by their template or post
    n.tasks.push_back(k.name);
    if (k.repeat.every_days > 0) n.repeated.push_back(k.name);
  }
  for (const auto& t : prog.tracking()) n.templates.push_back(t.id);
  return n;
}

// Appends the names of `from` that `to` lacks, in their order.
void add_missing(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& name : from)
    if (std::find(to.begin(), to.end(), name) == to.end()) to.push_back(name);
}

// The global index of a village of the model, or -1.
int village_index(const sim::Model& m, const std::string& village) {
  const auto& all = m.population->village_name;
  const auto it = std::find(all.begin(), all.end(), village);
  return it == all.end() ? -1 : int(it - all.begin());
}

}  // namespace

int Log::day() const {
  int d = 0;
  for (const auto& e : entries)
    if (e.kind == LogEntry::Kind::Advance) d = e.day;
  return d;
}

std::string render_log(const Log& log) {
  std::string out = std::string(kLogHeader) + "\nexercise " + log.exercise + "\n";
  if (!log.inputs.empty()) out += "inputs " + log.inputs + "\n";
  static const char* const verbs[] = {"advance", "inject", "do"};
  for (const auto& e : log.entries) {
    out += std::string(verbs[size_t(e.kind)]) + " " + std::to_string(e.day);
    if (!e.text.empty()) out += " " + e.text;
    out += "\n";
  }
  return out;
}

Log read_log(const std::filesystem::path& dir) {
  auto src = source_of(dir / kLogFile);
  Diagnostics d;
  Log log;
  std::istringstream in(src->text);
  std::string line;
  int n = 0;
  int last_day = 0;
  while (std::getline(in, line)) {
    ++n;
    const SourceLoc at{src, n, 1};
    if (n == 1) {
      if (line != kLogHeader) d.error(at, "expected '" + std::string(kLogHeader) + "': not an exercise log");
      continue;
    }
    if (n == 2) {
      if (line.rfind("exercise ", 0) != 0)
        d.error(at, "expected 'exercise FILE'");
      else
        log.exercise = line.substr(9);
      continue;
    }
    if (n == 3 && line.rfind("inputs ", 0) == 0) {  // absent from logs written before it was kept
      log.inputs = line.substr(7);
      continue;
    }
    const size_t sp = line.find(' ');
    const std::string verb = line.substr(0, sp);
    const size_t sp2 = sp == std::string::npos ? std::string::npos : line.find(' ', sp + 1);
    const std::string day_word =
        sp == std::string::npos ? "" : line.substr(sp + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp - 1);
    LogEntry e;
    e.line = n;
    e.text = sp2 == std::string::npos ? "" : line.substr(sp2 + 1);
    static const std::vector<std::string> verbs = {"advance", "inject", "do"};
    auto it = std::find(verbs.begin(), verbs.end(), verb);
    auto day = read_day(day_word);
    if (it == verbs.end()) {
      d.error(at, unknown_name("log entry", verb, verbs, {"; expected: ", ""}));
      continue;
    }
    if (!day || *day < last_day) {
      d.error(at.shifted(int(sp) + 1), "expected a day (a whole number, never before the entry above)");
      continue;
    }
    e.kind = LogEntry::Kind(it - verbs.begin());
    e.day = last_day = *day;
    log.entries.push_back(std::move(e));
  }
  if (n < 2) d.error(SourceLoc{src, 1, 1}, "an exercise log starts with two lines: the header and 'exercise FILE'");
  if (d.has_errors()) throw InputError(d);
  return log;
}

void write_log(const std::filesystem::path& dir, const Log& log) { write_file_atomic(dir / kLogFile, render_log(log)); }

RunOutput simulate(const sim::Model& m, int replicate, bool trace, bool staff_days) {
  RunOutput out;
  const auto& pop = *m.population;
  out.days.resize(pop.villages());
  out.villages.resize(pop.villages());
  out.funds.resize(pop.villages());
  out.orders_filled.assign(m.orders.size(), -1);
  for (size_t t = 0; t < pop.towns(); ++t) {
    sim::TownOutput o = sim::simulate_town(m, replicate, int(t), trace, nullptr, staff_days);
    const uint32_t first = pop.town_villages[t].begin;
    for (size_t v = 0; v < o.days.size(); ++v) {
      out.days[first + v] = std::move(o.days[v]);
      out.villages[first + v] = o.villages[v];
      if (!o.funds.empty()) out.funds[first + v] = std::move(o.funds[v]);
    }
    for (size_t i = 0; i < o.orders_filled.size(); ++i)
      if (o.orders_filled[i] >= 0) out.orders_filled[i] = o.orders_filled[i];
    out.persons.insert(out.persons.end(), o.persons.begin(), o.persons.end());
    if (staff_days) out.staff_worked.push_back(std::move(o.staff_worked));
    out.town_roles.push_back(std::move(o.roles));
  }
  return out;
}

namespace {

// Each file's digest (core/atomic_file.h), in order, space-separated: where the files are is not
// part of it, so a moved exercise folder still plays.
std::string files_digest(const std::vector<std::string>& files) {
  std::string out;
  for (const auto& f : files) out += (out.empty() ? "" : " ") + file_digest(f);
  return out;
}

// Which of `files` changed between two such digests: the first whose digest differs, or, when the
// count differs (the scenario names other rule files), the scenario's list of files.
std::string changed_file(const std::vector<std::string>& files, const std::string& was, const std::string& now) {
  std::istringstream a(was), b(now);
  std::vector<std::string> x{std::istream_iterator<std::string>(a), {}}, y{std::istream_iterator<std::string>(b), {}};
  if (x.size() != y.size()) return "the scenario's list of rule and grid files";
  for (size_t i = 0; i < x.size() && i < files.size(); ++i)
    if (x[i] != y[i]) return files[i];
  return "one of its files";
}

// The files an exercise's days depend on: the exercise, its scenario, the scenario's rule and grid
// files, per-village policies' too.
std::vector<std::string> input_files(const std::string& exercise, const config::ScenarioSpec& sc) {
  std::vector<std::string> files = {exercise, sc.path};
  files.insert(files.end(), sc.rule_files.begin(), sc.rule_files.end());
  if (!sc.grid_file.empty()) files.push_back(sc.grid_file);
  for (const auto& o : sc.policy_overrides) {
    files.insert(files.end(), o.rule_files.begin(), o.rule_files.end());
    if (!o.grid_file.empty()) files.push_back(o.grid_file);
  }
  return files;
}

}  // namespace

Session::Session(Log log, std::optional<uint64_t> seed) : log_(std::move(log)), seed_(seed) {
  Diagnostics d;
  if (!log_.entries.empty() && !std::filesystem::exists(log_.exercise)) {
    d.error({}, "the exercise file " + log_.exercise +
                    " is not there (the exercise folder's exercise.log names it on its second line): put it back, or "
                    "write where it is now on that line");
    throw InputError(d);
  }
  auto x = load_exercise(log_.exercise, d);
  if (!x) throw InputError(d);
  spec_ = std::move(*x);
  base_ = model({});
  const auto files = input_files(log_.exercise, base_.scenario);
  const std::string digest = files_digest(files);
  if (!log_.inputs.empty() && log_.inputs != digest) {
    d.error({}, changed_file(files, log_.inputs, digest) +
                    " has changed since the exercise started (the log keeps a digest of the exercise file, its "
                    "scenario and their rule and grid files; any edit counts, a comment too): playing the log again "
                    "would change the days already played. Put it back as it was, or start a new exercise "
                    "(exercise start FILE --out NEW_FOLDER)");
    throw InputError(d);
  }
  log_.inputs = digest;
  const auto& prog = *base_.program;
  names_.villages = played_villages();
  names_.roles = prog.roles();
  names_.supplies = prog.supplies();
  // Each played village's own policy (its town's program: the scenario's or an override's), and
  // their union; a village the scenario lacks (reported below) gets the scenario's.
  for (const auto& v : names_.villages) {
    const int g = village_index(base_, v);
    const rules::Program& own = g < 0 ? prog : base_.town_program(base_.population->village_town[size_t(g)]);
    PolicyNames& n = names_.of_village.emplace_back(policy_names(own));
    if (g >= 0) {
      const std::string& town = base_.population->town_name[base_.population->village_town[size_t(g)]];
      auto t = std::find_if(names_.towns.begin(), names_.towns.end(), [&](const auto& tn) { return tn.first == town; });
      if (t == names_.towns.end()) t = names_.towns.insert(names_.towns.end(), {town, {}});
      t->second.push_back(v);
    }
    add_missing(names_.posts, n.posts);
    add_missing(names_.channels, n.channels);
    add_missing(names_.events, n.events);
    add_missing(names_.tasks, n.tasks);
    add_missing(names_.repeated, n.repeated);
    add_missing(names_.templates, n.templates);
  }
  // The teams' villages and roles are the scenario's.
  const auto& all = base_.population->village_name;
  for (const auto& t : spec_.teams) {
    for (size_t k = 0; k < t.villages.size(); ++k)
      if (std::find(all.begin(), all.end(), t.villages[k]) == all.end())
        d.error(t.village_locs[k], unknown_name("village", t.villages[k], all, {"; the scenario has: ", "", 20}));
    for (size_t k = 0; k < t.roles.size(); ++k)
      if (prog.find_role(t.roles[k]) < 0)
        d.error(t.role_locs[k], unknown_name("role", t.roles[k], prog.roles(), {"; the policy declares: ", ""}));
  }
  for (const auto& in : spec_.injects)
    for (const auto& e : in.expected) {
      if (d.has_errors()) break;  // a misspelt team village would make every expected action wrong
      Diagnostics one;
      if (!parse_command(e.command, e.loc, names_, e.day, one)) d.merge(one);
    }
  for (const auto& o : spec_.objectives)
    if (o.measure == Objective::Measure::SupplyOutAtMost &&
        std::find(prog.supplies().begin(), prog.supplies().end(), o.supply) == prog.supplies().end())
      d.error(o.supply_loc, unknown_name("supply", o.supply, prog.supplies(), {"; the policy declares: ", ""}));
  if (spec_.horizon_days > base_.horizon_days) {
    d.error(spec_.horizon_loc, "horizon_days " + std::to_string(spec_.horizon_days) +
                                   " is longer than the scenario's (" + std::to_string(base_.horizon_days) + " days, " +
                                   spec_.scenario_file + "): an exercise plays the scenario's days or fewer");
    throw InputError(d);
  }
  // Every inject is delivered, and every expected action can be given, at a stop before the end
  // (the last stop is 00:00 of the day before the horizon; at the horizon the exercise is over).
  const int end = base_.horizon_days;
  const std::string last = " is after the exercise's last day, " + std::to_string(end - 1) +
                           (spec_.horizon_days > 0 ? " (horizon_days: " : " (the scenario's horizon_days: ") +
                           std::to_string(end) + ")";
  for (const auto& in : spec_.injects) {
    if (in.day >= end)
      d.error(in.day_loc,
              "inject '" + in.id + "' on day " + std::to_string(in.day) + last + ": it would never be delivered");
    for (const auto& e : in.expected)
      if (e.day >= end)
        d.error(e.day_loc,
                "an expected action due by day " + std::to_string(e.day) + last + ": it could never be given in time");
  }
  if (d.has_errors()) throw InputError(d);
}

std::vector<std::string> Session::played_villages() const {
  std::vector<std::string> out;
  for (const auto& t : spec_.teams)
    for (const auto& v : t.villages)
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

Command Session::check(std::string_view text, const SourceLoc& loc) const {
  Diagnostics d;
  auto c = parse_command(text, loc, names_, day(), d);
  if (c && c->kind == Command::Kind::Request) {  // the channels of the village's own policy
    const size_t town = base_.population->village_town[size_t(village_index(base_, c->village))];
    const auto& channels = base_.town_program(town).channels();
    const auto ch = size_t(std::find(channels.begin(), channels.end(), c->channel) - channels.begin());
    const auto& supplies = base_.program->supplies();
    const auto su = size_t(std::find(supplies.begin(), supplies.end(), c->supply) - supplies.begin());
    const auto& offers = base_.town_channels(town)[ch].offers;
    if (offers.empty() || !offers[su]) d.error(loc, "channel " + c->channel + " does not offer " + c->supply);
  }
  if (c && c->kind == Command::Kind::Move) {
    const int have = members_left(c->role, c->village, c->day);
    if (have < c->count)
      d.error(loc, c->village + " has " + std::to_string(have) + " " + c->role + " to lend from day " +
                       std::to_string(c->day) + " (not counting those lent already or called in for a later day)" +
                       "; cannot move " + std::to_string(c->count));
  }
  if (c && c->day >= horizon() && c->kind != Command::Kind::Note)  // a note changes nothing: always welcome
    d.error(loc, "day " + std::to_string(c->day) + " is after the exercise's last day, " +
                     std::to_string(horizon() - 1) + ": this would change nothing");
  if (d.has_errors()) throw InputError(d);
  return *c;
}

int Session::members_left(const std::string& role, const std::string& village, int day) const {
  config::ScenarioSpec s = base_.scenario;
  for (const auto& c : decisions()) apply_command(c, s);
  return int(movable_members(s, role, village, day).size());
}

std::vector<Command> Session::decisions() const {
  std::vector<Command> out;
  for (const auto& e : log_.entries) {
    if (e.kind != LogEntry::Kind::Do) continue;
    Diagnostics d;
    auto src = std::make_shared<const SourceFile>("exercise.log line " + std::to_string(e.line), e.text);
    auto c = parse_command(e.text, SourceLoc{src, 1, 1}, names_, e.day, d);
    if (!c) throw InputError(d);
    out.push_back(*c);
  }
  return out;
}

std::vector<Command> Session::expected_actions() const {
  std::vector<Command> out;
  for (const auto& in : spec_.injects)
    for (const auto& e : in.expected) {
      Diagnostics d;
      if (auto c = parse_command(e.command, e.loc, names_, e.day, d)) out.push_back(*c);
    }
  std::stable_sort(out.begin(), out.end(), [](const Command& a, const Command& b) { return a.day < b.day; });
  return out;
}

int Session::next_inject_day() const {
  for (const auto& in : spec_.injects)
    if (in.day > day() && in.day < horizon()) return in.day;
  return horizon();
}

// Logged on the day it is given, which its text is read against again: a command `from day D` takes
// effect on D (c.day), but D in the log would put the entry after a later `advance` (refused).
void Session::record(const Command& c) { log_.entries.push_back({LogEntry::Kind::Do, day(), c.text, 0}); }

void Session::advance_to(int to) {
  const bool first = log_.entries.empty();
  const int from = day();
  log_.entries.push_back({LogEntry::Kind::Advance, to, "", 0});
  for (const auto& in : spec_.injects)
    if ((in.day > from || (first && in.day == from)) && in.day <= to)
      log_.entries.push_back({LogEntry::Kind::Inject, to, in.id, 0});
}

sim::Model Session::model(const std::vector<Command>& commands, std::optional<uint64_t> seed) const {
  Diagnostics d;
  sim::Overrides o;
  o.seed = seed ? seed : seed_;
  o.replicates = 1;
  o.amend = [&](config::ScenarioSpec& s) {
    // Shorter than the scenario's; a longer one is refused (the constructor), with the scenario's
    // horizon left here to say so.
    if (spec_.horizon_days > 0 && spec_.horizon_days <= s.horizon_days) s.horizon_days = spec_.horizon_days;
    add_injects(spec_, s);
    for (const auto& c : commands) apply_command(c, s);
  };
  return sim::load_model(spec_.scenario_file, d, o);
}

}  // namespace vg::exercise
