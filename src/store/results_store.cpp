#include "store/results_store.h"

#include <sqlite3.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

#include "core/diagnostics.h"
#include "metrics/metric_table.h"

namespace vg::store {

namespace fs = std::filesystem;

namespace {

// A fraction an input holds (`share`): its number, else none. Only text with a decimal point is
// read, so a digest or a seed is never taken for a number.
std::optional<double> fraction(const std::string& s) {
  if (s.find('.') == std::string::npos) return std::nullopt;
  double x = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

// The same input: the same text, or the same double written with more digits (a store begun by a
// build that wrote 0.90000000000000002 for 0.9): still exact, bit for bit.
bool same_input(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto x = fraction(a), y = fraction(b);
  return x && y && std::bit_cast<uint64_t>(*x) == std::bit_cast<uint64_t>(*y);
}

// An input as a message shows it: a fraction in its shortest round-trip form (0.8, not
// 0.80000000000000004), anything else as it is.
std::string shown(const std::string& s) {
  const auto x = fraction(s);
  if (!x) return s;
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, *x).ptr);
}

constexpr const char* kSchema = R"sql(
CREATE TABLE runs(run INTEGER PRIMARY KEY, command TEXT NOT NULL, version TEXT NOT NULL,
                  inputs_hash TEXT NOT NULL, state TEXT NOT NULL);
CREATE TABLE inputs(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE configurations(configuration INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE towns(configuration INTEGER NOT NULL, town INTEGER NOT NULL, name TEXT NOT NULL,
                   PRIMARY KEY(configuration, town));
CREATE TABLE villages(configuration INTEGER NOT NULL, village INTEGER NOT NULL, town TEXT NOT NULL,
                      name TEXT NOT NULL, PRIMARY KEY(configuration, village));
CREATE TABLE roles(configuration INTEGER NOT NULL, role INTEGER NOT NULL, name TEXT NOT NULL,
                   PRIMARY KEY(configuration, role));
CREATE TABLE replicates(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL,
                        PRIMARY KEY(configuration, replicate));
CREATE TABLE village_counts(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL, village INTEGER NOT NULL,
                            metric TEXT NOT NULL, value);
CREATE TABLE role_counts(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL, town INTEGER,
                         role INTEGER NOT NULL, metric TEXT NOT NULL, value);
CREATE TABLE guideline_counts(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL,
                              guideline INTEGER NOT NULL, metric TEXT NOT NULL, value);
CREATE TABLE tasks(configuration INTEGER NOT NULL, task INTEGER NOT NULL, name TEXT NOT NULL,
                   PRIMARY KEY(configuration, task));
CREATE TABLE task_counts(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL, task INTEGER NOT NULL,
                         metric TEXT NOT NULL, value);
CREATE TABLE day_counts(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL, village INTEGER NOT NULL,
                        day INTEGER NOT NULL, metric TEXT NOT NULL, value);
CREATE TABLE role_day_counts(configuration INTEGER NOT NULL, replicate INTEGER NOT NULL, town INTEGER NOT NULL,
                             day INTEGER NOT NULL, role INTEGER NOT NULL, metric TEXT NOT NULL, value);
CREATE INDEX village_counts_by_replicate ON village_counts(configuration, replicate);
CREATE INDEX role_counts_by_replicate ON role_counts(configuration, replicate);
CREATE INDEX guideline_counts_by_replicate ON guideline_counts(configuration, replicate);
CREATE INDEX task_counts_by_replicate ON task_counts(configuration, replicate);
)sql";

// For the resume tests (tests/cli/resume_test.cpp): VILLAGEGRID_KILL_AFTER_REPLICATES=N kills the
// process with SIGKILL right after the N-th replicate it commits; N:INT interrupts it (SIGINT, a
// Ctrl-C) instead. Unset in normal use.
void step_for_fault_tests() {
  static int saved = 0;
  const char* at = std::getenv("VILLAGEGRID_KILL_AFTER_REPLICATES");
  if (at && std::atoi(at) == ++saved) std::raise(std::strstr(at, ":INT") ? SIGINT : SIGKILL);
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("results store: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(st_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return st_; }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.c_str(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(st_, i);
    return *this;
  }
  // One step; true while a row is there.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("results store: ") + sqlite3_errstr(rc));
    return false;
  }
  // Runs an insert or update and makes the statement ready for the next.
  void run() {
    step();
    sqlite3_reset(st_);
  }
  int64_t integer(int col) const { return sqlite3_column_int64(st_, col); }
  std::string text(int col) const {
    const auto* t = sqlite3_column_text(st_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* st_ = nullptr;
};

// A count's value bound as INTEGER or REAL (a NaN becomes NULL), and read back the same way.
template <class Record>
void bind_count(sqlite3_stmt* st, int i, const Record& r, const metrics::Count<Record>& c) {
  std::visit(
      [&](auto m) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(r.*m)>, double>)
          sqlite3_bind_double(st, i, r.*m);
        else
          sqlite3_bind_int64(st, i, int64_t(r.*m));
      },
      c.field);
}
template <class Record>
void read_count(sqlite3_stmt* st, int col, Record& r, const metrics::Count<Record>& c) {
  std::visit(
      [&](auto m) {
        using T = std::remove_cvref_t<decltype(r.*m)>;
        if constexpr (std::is_same_v<T, double>)
          r.*m = sqlite3_column_type(st, col) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                             : sqlite3_column_double(st, col);
        else
          r.*m = T(sqlite3_column_int64(st, col));
      },
      c.field);
}

template <class Record, size_t N>
std::unordered_map<std::string, const metrics::Count<Record>*> by_name(const metrics::Count<Record> (&table)[N]) {
  std::unordered_map<std::string, const metrics::Count<Record>*> out;
  for (const auto& c : table) out.emplace(std::string(c.name), &c);
  return out;
}

// The names of a day's values: the columns of timeseries.csv after its keys.
std::vector<std::string> day_names(const Shape& s) {
  std::vector<std::string> out;
  for (const auto& c : metrics::kDayColumns) out.emplace_back(c.name);
  for (const auto& r : s.roles) out.push_back("minutes_worked_" + r);
  for (const auto& x : s.supplies) out.push_back("stock_" + x);
  return out;
}

int64_t day_value(const metrics::DayRow& d, size_t k) {
  const size_t cols = std::size(metrics::kDayColumns);
  if (k < cols) return d.*(metrics::kDayColumns[k].field);
  k -= cols;
  if (k < d.minutes_worked.size()) return d.minutes_worked[k];
  return d.stock.at(k - d.minutes_worked.size());
}
void set_day_value(metrics::DayRow& d, size_t k, int64_t v) {
  const size_t cols = std::size(metrics::kDayColumns);
  if (k < cols) {
    d.*(metrics::kDayColumns[k].field) = int32_t(v);
    return;
  }
  k -= cols;
  if (k < d.minutes_worked.size())
    d.minutes_worked[k] = int32_t(v);
  else
    d.stock.at(k - d.minutes_worked.size()) = v;
}

// The values of a role's day in a town (roles_by_day.csv's, per role).
constexpr std::pair<std::string_view, int64_t metrics::RoleDay::*> kRoleDayValues[] = {
    {"minutes_available", &metrics::RoleDay::minutes_available},
    {"minutes_could_do", &metrics::RoleDay::minutes_could_do},
    {"minutes_worked", &metrics::RoleDay::minutes_worked},
};

[[noreturn]] void refuse_resume(const fs::path& db, const std::vector<std::string>& differences) {
  std::string list;
  for (size_t i = 0; i < differences.size() && i < 6; ++i) list += (i ? "; " : "") + differences[i];
  if (differences.size() > 6) list += "; and " + std::to_string(differences.size() - 6) + " more";
  Diagnostics d;
  d.error(SourceLoc{}, "--resume: the unfinished run in '" + db.parent_path().string() +
                           "' was started with other inputs (" + list +
                           "); run without --resume to start afresh, or with that run's inputs to continue it");
  throw InputError(std::move(d));
}

}  // namespace

std::string inputs_digest(const std::vector<Input>& inputs) {
  uint64_t h = 1469598103934665603ull;
  auto add = [&](const std::string& s) {
    for (char c : s) h = (h ^ uint8_t(c)) * 1099511628211ull;
    h = (h ^ 0xffu) * 1099511628211ull;  // a separator no text holds
  };
  for (const auto& i : inputs) {
    add(i.name);
    add(i.value);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

struct ResultsStore::Impl {
  sqlite3* db = nullptr;
  fs::path path;
  std::mutex mutex;
  std::map<int, Shape> shapes;

  ~Impl() {
    if (db) sqlite3_close(db);
  }
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("results store '" + path.string() + "': " + msg);
    }
  }
  void open() {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK)
      throw std::runtime_error("cannot open the results store '" + path.string() +
                               "': " + (db ? sqlite3_errmsg(db) : "out of memory"));
    // WAL with NORMAL sync: a commit survives the process being killed; after a power loss the
    // last commits may be lost, never half of one (their replicates are simply simulated again).
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  }
  bool has_run() {
    Statement st(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='runs'");
    st.step();
    if (st.integer(0) == 0) return false;
    Statement runs(db, "SELECT count(*) FROM runs");
    runs.step();
    return runs.integer(0) > 0;
  }
  std::vector<std::string> differences(const std::string& command, const std::vector<Input>& inputs) {
    std::map<std::string, std::string> stored, now;
    Statement st(db, "SELECT name, value FROM inputs");
    while (st.step()) stored[st.text(0)] = st.text(1);
    Statement run(db, "SELECT command FROM runs");
    if (run.step() && run.text(0) != command) stored["command"] = run.text(0);
    now["command"] = command;
    for (const auto& i : inputs) now[i.name] = i.value;
    stored.emplace("command", command);
    std::vector<std::string> out;
    for (const auto& [name, value] : now) {
      auto it = stored.find(name);
      if (it == stored.end())
        out.push_back(name + " is new");
      else if (!same_input(it->second, value))
        out.push_back(name + (value.size() == 16 && it->second.size() == 16
                                  ? " changed"
                                  : " is " + shown(value) + ", was " + shown(it->second)));
    }
    for (const auto& [name, value] : stored)
      if (!now.count(name)) out.push_back(name + " is no longer an input (was " + shown(value) + ")");
    return merge_configurations(out);
  }
  // A sweep's inputs are named "K: name" per configuration (K from 0, as the store's tables); the
  // same change in several is said once, numbered as compare's table numbers them, "[1], [2]: seed
  // is 7, was 20200124", in the order first seen.
  static std::vector<std::string> merge_configurations(const std::vector<std::string>& in) {
    std::vector<std::pair<std::string, std::string>> merged;  // (configurations, the rest)
    std::vector<std::string> out;
    for (const auto& d : in) {
      const size_t colon = d.find(": ");
      const bool numbered = colon != std::string::npos && colon > 0 && d.find_first_not_of("0123456789") == colon;
      if (!numbered) {
        merged.push_back({"", d});
        continue;
      }
      const std::string rest = d.substr(colon + 2);
      const std::string shown_as =
          colon < 10 ? "[" + std::to_string(std::stoll(d.substr(0, colon)) + 1) + "]" : d.substr(0, colon);
      auto it = std::find_if(merged.begin(), merged.end(),
                             [&](const auto& m) { return !m.first.empty() && m.second == rest; });
      if (it != merged.end())
        it->first += ", " + shown_as;
      else
        merged.push_back({shown_as, rest});
    }
    for (const auto& [configs, rest] : merged) out.push_back(configs.empty() ? rest : configs + ": " + rest);
    return out;
  }
  void create(const std::string& command, const std::vector<Input>& inputs) {
    exec("BEGIN");
    exec(kSchema);
    Statement run(db, "INSERT INTO runs(run, command, version, inputs_hash, state) VALUES(1, ?, ?, ?, 'running')");
    std::string version;
    for (const auto& i : inputs)
      if (i.name == "version") version = i.value;
    run.bind(1, command).bind(2, version).bind(3, inputs_digest(inputs)).run();
    Statement in(db, "INSERT INTO inputs(name, value) VALUES(?, ?)");
    for (const auto& i : inputs) in.bind(1, i.name).bind(2, i.value).run();
    exec("COMMIT");
  }
  int64_t count(const char* sql) {
    Statement st(db, sql);
    st.step();
    return st.integer(0);
  }
};

namespace {

// A fresh replicate of this shape, every count at its default.
metrics::ReplicateResult empty_replicate(const Shape& s) {
  metrics::ReplicateResult r;
  r.villages.assign(s.villages.size(), {});
  r.roles.assign(s.roles.size(), {});
  r.town_roles.assign(s.towns.size(), std::vector<metrics::RoleTotals>(s.roles.size()));
  r.guidelines.assign(metrics::kGuidelineSlots, {});
  r.tasks.assign(s.tasks.size(), {});
  if (s.days > 0) {
    metrics::DayRow day;
    day.minutes_worked.assign(s.roles.size(), 0);
    day.stock.assign(s.supplies.size(), 0);
    r.days.assign(s.villages.size(), std::vector<metrics::DayRow>(size_t(s.days), day));
    r.town_role_days.assign(s.towns.size(), std::vector<std::vector<metrics::RoleDay>>(
                                                size_t(s.days), std::vector<metrics::RoleDay>(s.roles.size())));
  }
  return r;
}

[[noreturn]] void damaged(const std::string& what) {
  throw std::runtime_error("the results store is damaged (" + what + "); run without --resume to start afresh");
}

// Index `i` of a vector of `n`, or the store is damaged.
size_t checked(int64_t i, size_t n, const char* what) {
  if (i < 0 || size_t(i) >= n) damaged(std::string(what) + " " + std::to_string(i) + " out of range");
  return size_t(i);
}

// Each role's days in each town, for read_back (each value counted by `rep`).
void read_role_days(sqlite3* db, int index, const std::function<metrics::ReplicateResult&(int64_t)>& rep) {
  Statement q(db, "SELECT replicate, town, day, role, metric, value FROM role_day_counts WHERE configuration = ?");
  q.bind(1, index);
  while (q.step()) {
    auto& towns = rep(q.integer(0)).town_role_days;
    auto& days = towns[checked(q.integer(1), towns.size(), "town")];
    auto& roles = days[checked(q.integer(2), days.size(), "day")];
    auto& rd = roles[checked(q.integer(3), roles.size(), "role")];
    const std::string metric = q.text(4);
    bool known = false;
    for (const auto& [name, field] : kRoleDayValues)
      if (metric == name) {
        rd.*field = q.integer(5);
        known = true;
      }
    if (!known) damaged("unknown role day value " + metric);
  }
}

// The replicates of configuration `index` recorded in the store, read back row by row.
std::map<int, metrics::ReplicateResult> read_back(sqlite3* db, int index, const Shape& shape) {
  std::map<int, metrics::ReplicateResult> out;
  Statement reps(db, "SELECT replicate FROM replicates WHERE configuration = ?");
  reps.bind(1, index);
  while (reps.step()) out.emplace(int(reps.integer(0)), empty_replicate(shape));
  // Per replicate: its values read, and the towns it recorded (plan records those it simulated).
  std::map<int, std::pair<size_t, std::set<size_t>>> seen;
  auto rep = [&](int64_t r) -> metrics::ReplicateResult& {
    auto it = out.find(int(r));
    if (it == out.end()) damaged("values of replicate " + std::to_string(r) + ", which is not recorded");
    seen[int(r)].first++;
    return it->second;
  };
  const auto village_counts = by_name(metrics::kVillageCounts);
  Statement v(db, "SELECT replicate, village, metric, value FROM village_counts WHERE configuration = ?");
  v.bind(1, index);
  while (v.step()) {
    auto& r = rep(v.integer(0));
    auto c = village_counts.find(v.text(2));
    if (c == village_counts.end()) damaged("unknown village count " + v.text(2));
    read_count(v.get(), 3, r.villages[checked(v.integer(1), r.villages.size(), "village")], *c->second);
  }
  const auto role_counts = by_name(metrics::kRoleCounts);
  Statement ro(db, "SELECT replicate, town, role, metric, value FROM role_counts WHERE configuration = ?");
  ro.bind(1, index);
  while (ro.step()) {
    auto& r = rep(ro.integer(0));
    auto c = role_counts.find(ro.text(3));
    if (c == role_counts.end()) damaged("unknown role count " + ro.text(3));
    const bool region = sqlite3_column_type(ro.get(), 1) == SQLITE_NULL;
    const size_t town = region ? 0 : checked(ro.integer(1), r.town_roles.size(), "town");
    if (!region) seen[int(ro.integer(0))].second.insert(town);
    auto& roles = region ? r.roles : r.town_roles[town];
    read_count(ro.get(), 4, roles[checked(ro.integer(2), roles.size(), "role")], *c->second);
  }
  const auto guideline_counts = by_name(metrics::kGuidelineCounts);
  Statement g(db, "SELECT replicate, guideline, metric, value FROM guideline_counts WHERE configuration = ?");
  g.bind(1, index);
  while (g.step()) {
    auto& r = rep(g.integer(0));
    auto c = guideline_counts.find(g.text(2));
    if (c == guideline_counts.end()) damaged("unknown guideline count " + g.text(2));
    read_count(g.get(), 3, r.guidelines[checked(g.integer(1), r.guidelines.size(), "guideline")], *c->second);
  }
  const auto task_counts = by_name(metrics::kTaskCounts);
  Statement tk(db, "SELECT replicate, task, metric, value FROM task_counts WHERE configuration = ?");
  tk.bind(1, index);
  while (tk.step()) {
    auto& r = rep(tk.integer(0));
    auto c = task_counts.find(tk.text(2));
    if (c == task_counts.end()) damaged("unknown task count " + tk.text(2));
    read_count(tk.get(), 3, r.tasks[checked(tk.integer(1), r.tasks.size(), "task")], *c->second);
  }
  const auto names = day_names(shape);
  std::unordered_map<std::string, size_t> day_column;
  for (size_t k = 0; k < names.size(); ++k) day_column.emplace(names[k], k);
  Statement d(db, "SELECT replicate, village, day, metric, value FROM day_counts WHERE configuration = ?");
  d.bind(1, index);
  while (d.step()) {
    auto& r = rep(d.integer(0));
    auto c = day_column.find(d.text(3));
    if (c == day_column.end()) damaged("unknown day value " + d.text(3));
    auto& days = r.days[checked(d.integer(1), r.days.size(), "village")];
    set_day_value(days[checked(d.integer(2), days.size(), "day")], c->second, d.integer(4));
  }
  read_role_days(db, index, rep);
  // Every value of every replicate, exactly once: of the towns it recorded (all but in a plan's).
  for (const auto& [r, result] : out) {
    const auto& towns = seen[r].second;
    size_t villages = 0;
    for (size_t i = 0; i < shape.villages.size(); ++i)
      villages += shape.village_town.empty() || towns.count(shape.village_town[i]) ? 1 : 0;
    const size_t expected = villages * std::size(metrics::kVillageCounts) +
                            (towns.size() + 1) * shape.roles.size() * std::size(metrics::kRoleCounts) +
                            (shape.by_task ? size_t(metrics::kGuidelineSlots) * std::size(metrics::kGuidelineCounts) +
                                                 shape.tasks.size() * std::size(metrics::kTaskCounts)
                                           : 0) +
                            shape.villages.size() * size_t(shape.days) * names.size() +
                            shape.towns.size() * size_t(shape.days) * shape.roles.size() * std::size(kRoleDayValues);
    if (seen[r].first != expected)
      damaged(std::to_string(seen[r].first) + " values for replicate " + std::to_string(r) + " of " +
              std::to_string(towns.size()) + " towns, not " + std::to_string(expected));
  }
  return out;
}

}  // namespace

ResultsStore::ResultsStore(const OutputLock& lock, const std::string& command, const std::vector<Input>& inputs,
                           bool resume, std::string& note)
    : impl_(std::make_unique<Impl>()) {
  note.clear();
  const fs::path partial = partial_folder(lock.dir());
  impl_->path = partial / "results.sqlite";
  std::error_code ec;
  if (fs::exists(impl_->path, ec)) {
    bool started = false;
    try {
      impl_->open();
      started = impl_->has_run();
    } catch (const std::runtime_error& e) {  // not a database (a file left half-created, or another's)
      if (resume) damaged(e.what());
    }
    if (started && resume) {
      const auto diff = impl_->differences(command, inputs);
      if (!diff.empty()) refuse_resume(impl_->path, diff);
      note = "resuming: " + std::to_string(impl_->count("SELECT count(*) FROM replicates")) +
             " replicates finished earlier are read back from " + impl_->path.string();
      return;
    }
    if (started && impl_->count("SELECT count(*) FROM replicates") > 0)
      note = "discarded the results store of an unfinished run (" +
             std::to_string(impl_->count("SELECT count(*) FROM replicates")) +
             " replicates finished); --resume would have continued it";
    if (impl_->db) sqlite3_close(impl_->db);
    impl_->db = nullptr;
    fs::remove_all(partial);
  } else if (resume) {
    note = "nothing to resume in " + partial.string() + ": starting afresh";
    fs::remove_all(partial, ec);
  }
  fs::create_directories(partial);
  impl_->open();
  impl_->create(command, inputs);
}

ResultsStore::~ResultsStore() = default;

std::map<int, metrics::ReplicateResult> ResultsStore::configuration(int index, const std::string& name,
                                                                    const std::string& description,
                                                                    const Shape& shape) {
  const std::lock_guard<std::mutex> hold(impl_->mutex);
  Impl& s = *impl_;
  s.shapes[index] = shape;
  {
    Statement find(s.db, "SELECT count(*) FROM configurations WHERE configuration = ?");
    find.bind(1, index).step();
    if (find.integer(0) == 0) {
      s.exec("BEGIN");
      Statement c(s.db, "INSERT INTO configurations(configuration, name, description) VALUES(?, ?, ?)");
      c.bind(1, index).bind(2, name).bind(3, description).run();
      Statement t(s.db, "INSERT INTO towns(configuration, town, name) VALUES(?, ?, ?)");
      for (size_t i = 0; i < shape.towns.size(); ++i)
        t.bind(1, index).bind(2, int64_t(i)).bind(3, shape.towns[i]).run();
      Statement v(s.db, "INSERT INTO villages(configuration, village, town, name) VALUES(?, ?, ?, ?)");
      for (size_t i = 0; i < shape.villages.size(); ++i)
        v.bind(1, index).bind(2, int64_t(i)).bind(3, shape.village_towns[i]).bind(4, shape.villages[i]).run();
      Statement r(s.db, "INSERT INTO roles(configuration, role, name) VALUES(?, ?, ?)");
      for (size_t i = 0; i < shape.roles.size(); ++i)
        r.bind(1, index).bind(2, int64_t(i)).bind(3, shape.roles[i]).run();
      Statement k(s.db, "INSERT INTO tasks(configuration, task, name) VALUES(?, ?, ?)");
      for (size_t i = 0; i < shape.tasks.size(); ++i)
        k.bind(1, index).bind(2, int64_t(i)).bind(3, shape.tasks[i]).run();
      s.exec("COMMIT");
      return {};
    }
  }
  return read_back(s.db, index, shape);
}

namespace {
// A replicate's counts by guideline and by task kind.
void save_by_task(sqlite3* db, int configuration, int replicate, const metrics::ReplicateResult& r) {
  Statement g(db, "INSERT INTO guideline_counts VALUES(?, ?, ?, ?, ?)");
  g.bind(1, configuration).bind(2, replicate);
  for (size_t i = 0; i < r.guidelines.size(); ++i)
    for (const auto& c : metrics::kGuidelineCounts) {
      bind_count(g.get(), 5, r.guidelines[i], c);
      g.bind(3, int64_t(i)).bind(4, std::string(c.name)).run();
    }
  Statement tk(db, "INSERT INTO task_counts VALUES(?, ?, ?, ?, ?)");
  tk.bind(1, configuration).bind(2, replicate);
  for (size_t i = 0; i < r.tasks.size(); ++i)
    for (const auto& c : metrics::kTaskCounts) {
      bind_count(tk.get(), 5, r.tasks[i], c);
      tk.bind(3, int64_t(i)).bind(4, std::string(c.name)).run();
    }
}
}  // namespace

void ResultsStore::save(int configuration, int replicate, const metrics::ReplicateResult& r,
                        const std::vector<bool>& towns) {
  const std::lock_guard<std::mutex> hold(impl_->mutex);
  Impl& s = *impl_;
  const Shape& shape = s.shapes.at(configuration);
  const auto simulated = [&](size_t town) { return towns.empty() || (town < towns.size() && towns[town]); };
  if (!towns.empty() && shape.days > 0) throw std::logic_error("ResultsStore::save: daily rows are of every town");
  s.exec("BEGIN");
  try {
    Statement rep(s.db, "INSERT INTO replicates(configuration, replicate) VALUES(?, ?)");
    rep.bind(1, configuration).bind(2, replicate).run();
    Statement v(s.db, "INSERT INTO village_counts VALUES(?, ?, ?, ?, ?)");
    v.bind(1, configuration).bind(2, replicate);
    for (size_t i = 0; i < r.villages.size(); ++i) {
      if (!towns.empty() && !simulated(shape.village_town.at(i))) continue;
      for (const auto& c : metrics::kVillageCounts) {
        bind_count(v.get(), 5, r.villages[i], c);
        v.bind(3, int64_t(i)).bind(4, std::string(c.name)).run();
      }
    }
    Statement ro(s.db, "INSERT INTO role_counts VALUES(?, ?, ?, ?, ?, ?)");
    ro.bind(1, configuration).bind(2, replicate);
    auto roles = [&](const std::vector<metrics::RoleTotals>& totals, int64_t town) {
      for (size_t i = 0; i < totals.size(); ++i)
        for (const auto& c : metrics::kRoleCounts) {
          if (town < 0)
            ro.bind_null(3);
          else
            ro.bind(3, town);
          bind_count(ro.get(), 6, totals[i], c);
          ro.bind(4, int64_t(i)).bind(5, std::string(c.name)).run();
        }
    };
    roles(r.roles, -1);  // the region's (town NULL), then each town's
    for (size_t t = 0; t < r.town_roles.size(); ++t)
      if (simulated(t)) roles(r.town_roles[t], int64_t(t));
    if (shape.by_task) save_by_task(s.db, configuration, replicate, r);
    if (shape.days > 0) {
      const auto names = day_names(shape);
      Statement d(s.db, "INSERT INTO day_counts VALUES(?, ?, ?, ?, ?, ?)");
      d.bind(1, configuration).bind(2, replicate);
      for (size_t i = 0; i < r.days.size(); ++i)
        for (size_t day = 0; day < r.days[i].size(); ++day)
          for (size_t k = 0; k < names.size(); ++k)
            d.bind(3, int64_t(i)).bind(4, int64_t(day)).bind(5, names[k]).bind(6, day_value(r.days[i][day], k)).run();
      Statement rd(s.db, "INSERT INTO role_day_counts VALUES(?, ?, ?, ?, ?, ?, ?)");
      rd.bind(1, configuration).bind(2, replicate);
      for (size_t t = 0; t < r.town_role_days.size(); ++t)
        for (size_t day = 0; day < r.town_role_days[t].size(); ++day)
          for (size_t role = 0; role < r.town_role_days[t][day].size(); ++role)
            for (const auto& [name, field] : kRoleDayValues)
              rd.bind(3, int64_t(t))
                  .bind(4, int64_t(day))
                  .bind(5, int64_t(role))
                  .bind(6, std::string(name))
                  .bind(7, r.town_role_days[t][day][role].*field)
                  .run();
    }
    s.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(s.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  step_for_fault_tests();
}

int64_t ResultsStore::replicates() const {
  const std::lock_guard<std::mutex> hold(impl_->mutex);
  return impl_->db ? impl_->count("SELECT count(*) FROM replicates") : 0;
}

fs::path ResultsStore::close() {
  const std::lock_guard<std::mutex> hold(impl_->mutex);
  impl_->exec("UPDATE runs SET state = 'finished'");
  impl_->exec("PRAGMA journal_mode=DELETE");  // one file again: the write-ahead log is folded in
  sqlite3_close(impl_->db);
  impl_->db = nullptr;
  return impl_->path;
}

}  // namespace vg::store
