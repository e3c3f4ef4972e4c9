#include "io/explain.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "config/reader.h"
#include "core/diagnostics.h"
#include "core/time.h"
#include "io/outputs.h"
#include "sim/model.h"

namespace vg::io {

namespace {

namespace fs = std::filesystem;
using rules::ActionSpec;

constexpr int64_t kDay = kMinutesPerDay;

// ---- errors -------------------------------------------------------------------------------------

// An error about a whole file or folder ("path: error: ..."), or about a command-line value when
// `path` is empty ("<command line>: error: ...").
[[noreturn]] void fail(const std::string& path, const std::string& message) {
  SourceLoc loc;
  if (!path.empty()) {
    auto file = std::make_shared<SourceFile>();
    file->path = path;
    loc.file = file;
  }
  Diagnostics d;
  d.error(loc, message);
  throw InputError(std::move(d));
}

// An error at file:line:col that quotes the offending line. The SourceFile holds only that line
// (preceded by empty lines), so a large trace is never kept in memory for the sake of a message.
[[noreturn]] void fail_at(const std::string& path, int line, int col, std::string_view text,
                          const std::string& message) {
  auto file = std::make_shared<SourceFile>();
  file->path = path;
  file->text = std::string(size_t(std::max(0, line - 1)), '\n') + std::string(text);
  Diagnostics d;
  d.error(SourceLoc{file, line, std::max(1, col)}, message);
  throw InputError(std::move(d));
}

// ---- CSV ----------------------------------------------------------------------------------------

// Reads the plain, unquoted CSV the run writes: a header, then rows with as many fields.
class Csv {
 public:
  Csv(const fs::path& path, std::vector<std::string> columns) : path_(path.string()), in_(path, std::ios::binary) {
    if (!in_) fail(path_, "cannot read the file");
    if (!read_line()) fail(path_, "the file is empty: expected a header line");
    split();
    for (const auto& c : columns) {
      auto it = std::find(fields_.begin(), fields_.end(), c);
      if (it == fields_.end())
        fail_at(path_, line_no_, 1, line_,
                "the header has no column '" + c + "'; this file was not written by a villagegrid run");
      index_.push_back(size_t(it - fields_.begin()));
    }
    width_ = fields_.size();
  }

  // The next row; false at the end of the file. Empty lines are skipped.
  bool next() {
    while (read_line()) {
      if (line_.empty()) continue;
      split();
      if (fields_.size() != width_)
        fail_at(path_, line_no_, 1, line_,
                std::to_string(fields_.size()) + " fields, expected " + std::to_string(width_) + " as in the header");
      return true;
    }
    return false;
  }

  // Column `c` of the list given to the constructor.
  std::string_view text(size_t c) const { return fields_[index_[c]]; }

  int64_t integer(size_t c, int64_t min, int64_t max) const {
    std::string_view f = text(c);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || p != f.data() + f.size() || v < min || v > max)
      bad(c, "'" + std::string(f) + "' is not a valid " + what(c) + " (a whole number from " + std::to_string(min) +
                 " to " + std::to_string(max) + ")");
    return v;
  }

  [[noreturn]] void bad(size_t c, const std::string& message) const {
    fail_at(path_, line_no_, int(offsets_[index_[c]]) + 1, line_, message);
  }

  std::string what(size_t c) const { return header_[index_[c]]; }

 private:
  bool read_line() {
    if (!std::getline(in_, line_)) return false;
    ++line_no_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    return true;
  }
  void split() {
    fields_.clear();
    offsets_.clear();
    size_t b = 0;
    for (;;) {
      size_t e = line_.find(',', b);
      fields_.emplace_back(line_.data() + b, (e == std::string::npos ? line_.size() : e) - b);
      offsets_.push_back(b);
      if (e == std::string::npos) break;
      b = e + 1;
    }
    if (header_.empty())
      for (auto f : fields_) header_.emplace_back(f);
  }

  std::string path_;
  std::ifstream in_;
  std::string line_;
  int line_no_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<size_t> offsets_;
  std::vector<std::string> header_;
  std::vector<size_t> index_;
  size_t width_ = 0;
};

struct PersonRow {
  uint32_t person = 0;
  std::string village, origin, cls;
  uint32_t household = 0;
  int64_t registered = -1, screened = -1;
  int tracking_start = -1, tracking_days = 0, complete_days = 0;
};

struct TraceRow {
  int day = 0, minute = 0;  // minute of the day
  std::string event, rule, loc;
  bool fired = false;
  int created = 0;
  int64_t at() const { return day * kDay + minute; }
};

// ---- formatting ---------------------------------------------------------------------------------

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string clock(int64_t minute_of_day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", int(minute_of_day / 60), int(minute_of_day % 60));
  return buf;
}

std::string duration(int64_t minutes) {
  const int64_t h = minutes / 60, m = minutes % 60;
  if (h == 0) return std::to_string(m) + " min";
  if (m == 0) return std::to_string(h) + " h";
  return std::to_string(h) + " h " + std::to_string(m) + " min";
}

// "path:line:col" with the path relative to the current folder when it lies under it.
std::string show_loc(const std::string& loc) {
  size_t c2 = loc.rfind(':');
  size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : loc.rfind(':', c2 - 1);
  if (c1 == std::string::npos) return loc;
  fs::path p(loc.substr(0, c1));
  if (!p.is_absolute()) return loc;
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return loc;
  const fs::path rel = p.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return loc;
  return rel.generic_string() + loc.substr(c1);
}

// Whether two "path:line:col" name the same place: the same line and column, and paths equal or one
// a trailing part of the other (a run from another folder records the path as it was given).
bool same_loc(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto split = [](const std::string& s, std::string& path, std::string& pos) {
    size_t c2 = s.rfind(':');
    size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : s.rfind(':', c2 - 1);
    if (c1 == std::string::npos) return false;
    path = s.substr(0, c1);
    pos = s.substr(c1);
    return true;
  };
  std::string pa, qa, pb, qb;
  if (!split(a, pa, qa) || !split(b, pb, qb) || qa != qb) return false;
  fs::path x = fs::path(pa).lexically_normal(), y = fs::path(pb).lexically_normal();
  std::vector<fs::path> xs(x.begin(), x.end()), ys(y.begin(), y.end());
  if (xs.size() < ys.size()) std::swap(xs, ys);
  if (ys.empty()) return false;
  for (size_t i = 0; i < ys.size(); ++i)
    if (ys[ys.size() - 1 - i] != xs[xs.size() - 1 - i]) return false;
  return true;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep, const std::string& last_sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? last_sep : sep;
    out += parts[i];
  }
  return out;
}

// ---- the run ------------------------------------------------------------------------------------

struct RunInfo {
  int64_t start_epoch_day = 0;
  int horizon = 0;
  int replicates = -1;  // -1: not in summary.json
  std::string scenario_file;
};

RunInfo read_summary(const fs::path& dir) {
  const fs::path p = dir / "summary.json";
  std::ifstream in(p, std::ios::binary);
  if (!in) fail(dir.string(), "no summary.json here: not an output folder of `villagegrid run`");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail(p.string(), std::string("not valid JSON: ") + e.what());
  }
  RunInfo info;
  const auto sd = j.find("start_date");
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (sd == j.end() || !sd->is_string() ||
      std::sscanf(sd->get<std::string>().c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    fail(p.string(), "missing or malformed \"start_date\" (expected \"YYYY-MM-DD\")");
  info.start_epoch_day = config::Date{y, m, d}.days_since_epoch();
  const auto hz = j.find("horizon_days");
  if (hz == j.end() || !hz->is_number_integer() || hz->get<int64_t>() < 1 || hz->get<int64_t>() > 100000)
    fail(p.string(), "missing or malformed \"horizon_days\"");
  info.horizon = hz->get<int>();
  if (auto r = j.find("replicates"); r != j.end() && r->is_number_integer() && r->get<int64_t>() >= 1)
    info.replicates = int(std::min<int64_t>(r->get<int64_t>(), 1000000000));
  if (auto s = j.find("scenario_file"); s != j.end() && s->is_string()) info.scenario_file = s->get<std::string>();
  return info;
}

// ---- the explanation ----------------------------------------------------------------------------

// One moment of the person's timeline: an event the rules heard (with the rules considered), or a
// milestone known from persons.csv that no rule listened to.
struct Entry {
  int64_t at = 0;
  std::string event;  // trace event label; "" for a milestone
  std::string what;
  std::vector<TraceRow> rows;
};

class Explainer {
 public:
  Explainer(const RunInfo& run, const PersonRow& p, int replicate, std::vector<TraceRow> rows, const sim::Model* model,
            std::vector<std::string> notes)
      : run_(run), p_(p), rep_(replicate), rows_(std::move(rows)), model_(model), notes_(std::move(notes)) {
    if (model_) {
      const auto& rules = model_->program->rules();
      for (size_t i = 0; i < rules.size(); ++i) rule_index_[rules[i].id] = int(i);
    }
  }

  std::string explain(std::optional<int> only_day) {
    build_timeline();
    std::string out = header();
    std::string body;
    bool any = false;
    for (auto& e : entries_) {
      std::string text = render(e);  // renders every entry: facts such as the class carry forward
      if (only_day && e.at / kDay != *only_day) continue;
      body += text;
      any = true;
    }
    if (only_day) {
      if (!any) body += date(*only_day) + ": nothing happened for this person; no rule was considered for them.\n";
      body += day_status(*only_day);
    } else if (!any) {
      body += "No rule was considered for this person within the run.\n";
    }
    out += body + verdict();
    check_locations();
    for (const auto& n : notes_) out += "Note: " + n + "\n";
    return out;
  }

 private:
  // ---- small helpers ----
  std::string date(int64_t day) const {
    return "Day " + std::to_string(day) + " (" + config::Date::from_days_since_epoch(run_.start_epoch_day + day).str() +
           ")";
  }
  std::string day_and_date_lower(int64_t day) const {
    return "day " + std::to_string(day) + " (" + config::Date::from_days_since_epoch(run_.start_epoch_day + day).str() +
           ")";
  }
  const rules::CompiledRule* rule(const std::string& id) const {
    auto it = rule_index_.find(id);
    return it == rule_index_.end() ? nullptr : &model_->program->rules()[size_t(it->second)];
  }
  // A rule's location as the run recorded it; from the policy loaded now (an absolute path, shown
  // relative to the current folder) when the two agree.
  std::string loc_of(const TraceRow& row) const {
    if (const auto* cr = model_ ? rule(row.rule) : nullptr; cr && same_loc(cr->loc.str(), row.loc))
      return show_loc(cr->loc.str());
    return show_loc(row.loc);
  }
  std::string loc_of(const std::string& id) const {
    for (const auto& r : rows_)
      if (r.rule == id) return loc_of(r);
    if (auto* r = rule(id)) return show_loc(r->loc.str());
    return "?";
  }
  static const rules::Action* start_action(const rules::CompiledRule& r) {
    for (const auto& a : r.actions)
      if (a.kind == ActionSpec::Kind::StartTracking) return &a;
    return nullptr;
  }
  const rules::TrackingTemplate* started_template() const {
    if (!model_ || !starter_) return nullptr;
    const auto* r = rule(starter_->rule);
    const auto* a = r ? start_action(*r) : nullptr;
    return a ? &model_->program->tracking()[size_t(a->arg)] : nullptr;
  }
  bool is_screening_event(const std::string& event) const {
    if (event.rfind("task_done:", 0) != 0) return false;
    if (!model_) return true;
    const std::string kind = event.substr(10);
    for (const auto& k : model_->program->task_kinds())
      if (k.name == kind) return k.counts_as_screening;
    return false;
  }
  // Last day of tracking, and whether the tracking ended within the run (rather than being cut off).
  int64_t last_tracked_day() const { return p_.tracking_start + p_.tracking_days - 1; }
  bool tracking_ended_in_run() const {
    if (p_.tracking_start < 0 || p_.tracking_days <= 0) return false;
    const auto* t = started_template();
    if (last_tracked_day() < run_.horizon - 1) return true;
    return t && p_.tracking_days >= t->days;
  }

  // ---- timeline ----
  void build_timeline() {
    bool saw_registration = false, saw_screening = false, saw_end = false;
    for (const auto& r : rows_) {
      Entry* e = nullptr;
      for (auto it = entries_.rbegin(); it != entries_.rend() && it->at == r.at(); ++it)
        if (it->event == r.event) e = &*it;
      if (!e) {
        entries_.push_back({r.at(), r.event, "", {}});
        e = &entries_.back();
        e->what = describe_event(r.event, r.at(), saw_registration, saw_screening, saw_end);
      }
      e->rows.push_back(r);
      if (!starter_ && r.fired && model_)
        if (auto* cr = rule(r.rule); cr && start_action(*cr)) starter_ = r;
    }
    if (p_.registered >= 0 && !saw_registration)
      entries_.push_back({p_.registered, "", "registered (no rule listens to returnee_arrived)", {}});
    if (p_.screened >= 0 && !saw_screening) entries_.push_back({p_.screened, "", "screened" + screening_delay(), {}});
    if (p_.tracking_start >= 0 && p_.tracking_start < run_.horizon) {
      const auto* t = started_template();
      std::string what =
          "tracking " + (t ? t->id + " " : std::string()) + "begins (the morning after the person was identified)";
      entries_.push_back({p_.tracking_start * kDay, "", what, {}});
      if (p_.tracking_days > 0 && !saw_end) {
        std::string last = "last day tracked (" + plural(p_.tracking_days, "day", "days") + " in all)";
        if (!tracking_ended_in_run()) last = "tracking still under way when the run ends";
        entries_.push_back({last_tracked_day() * kDay + kDay - 1, "", last, {}});
      }
    }
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.at < b.at; });
  }

  std::string screening_delay() const {
    if (p_.screened < 0 || p_.registered < 0) return "";
    const int64_t d = p_.screened - p_.registered;
    return ", " + duration(d) + " after registration (" + (d <= kDay ? "within 24 h" : "not within 24 h") + ")";
  }

  std::string describe_event(const std::string& event, int64_t at, bool& saw_registration, bool& saw_screening,
                             bool& saw_end) {
    const auto colon = event.find(':');
    const std::string name = event.substr(0, colon);
    const std::string arg = colon == std::string::npos ? "" : event.substr(colon + 1);
    if (name == "returnee_arrived") {
      saw_registration = true;
      return "registered (returnee_arrived)";
    }
    if (name == "task_done") {
      std::string s = "task " + arg + " done";
      if (!saw_screening && at == p_.screened && is_screening_event(event)) {
        saw_screening = true;
        s += screening_delay();
      }
      return s;
    }
    if (name == "class_changed") return "class changed to " + arg + " (" + event + ")";
    if (name == "tracking_ended") {
      saw_end = true;
      return "tracking " + arg + " ended (" + event + ")";
    }
    if (name == "event") return "event " + arg + " raised";
    if (name == "monitoring_ended")
      return arg.empty() ? "monitoring ended (" + event + ")" : "monitoring " + arg + " ended (" + event + ")";
    return event;
  }

  // ---- one entry ----
  std::string render(const Entry& e) {
    std::string out = date(e.at / kDay) + " " + clock(e.at % kDay) + "  " + e.what + "\n";
    bool any_not = false;
    for (const auto& r : e.rows) any_not |= !r.fired;
    const size_t w = any_not ? 9 : 5;
    bool class_set = false;
    for (const auto& r : e.rows) {
      std::string status = r.fired ? "fired" : "not fired";
      status.resize(w, ' ');
      std::string detail = r.fired ? fired_detail(r, class_set) : not_fired_detail(r);
      if (!r.fired) not_fired_[r.rule] = detail;
      out += "    " + status + "  " + r.rule + " (" + loc_of(r) + ")" + (detail.empty() ? "" : ": " + detail) + "\n";
    }
    if (e.event.rfind("class_changed:", 0) == 0) cls_now_ = e.event.substr(14);
    return out;
  }

  std::string fired_detail(const TraceRow& r, bool& class_set) {
    std::vector<std::string> parts;
    const auto* cr = model_ ? rule(r.rule) : nullptr;
    bool creates = false;
    if (cr) {
      const auto& prog = *model_->program;
      for (const auto& a : cr->actions) {
        switch (a.kind) {
          case ActionSpec::Kind::CreateTask:
            creates = true;
            break;
          case ActionSpec::Kind::SetClass:
            if (class_set) {
              parts.push_back("its set_class " + prog.classes()[size_t(a.arg)] +
                              " was skipped (an earlier rule set the class)");
            } else {
              class_set = true;
              parts.push_back("set class " + prog.classes()[size_t(a.arg)]);
              cls_now_ = prog.classes()[size_t(a.arg)];
            }
            break;
          case ActionSpec::Kind::StartTracking:
            if (tracked_from_ < 0) {
              tracked_from_ = r.at();
              parts.push_back("started tracking " + prog.tracking()[size_t(a.arg)].id + " (" +
                              show_loc(prog.tracking()[size_t(a.arg)].loc.str()) + ")");
            } else {
              parts.push_back("start_tracking " + prog.tracking()[size_t(a.arg)].id +
                              " did nothing (already tracked once)");
            }
            break;
          case ActionSpec::Kind::EndTracking:
            parts.push_back("ended tracking " + prog.tracking()[size_t(a.arg)].id);
            break;
          case ActionSpec::Kind::SetAttribute: {
            const auto& at = prog.attributes()[size_t(a.arg)];
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", a.value);
            parts.push_back("set " + at.name + " = " +
                            (at.is_bool ? (a.value != 0 ? "true" : "false") : std::string(buf)));
            break;
          }
          case ActionSpec::Kind::Raise:
            parts.push_back("raised event " + prog.events()[size_t(a.arg)].name +
                            (a.value > 0 ? " in " + duration(int64_t(a.value)) : std::string()));
            break;
          case ActionSpec::Kind::Request:
            parts.push_back("ordered " + std::to_string(int64_t(a.value)) + " " + prog.supplies()[size_t(a.arg)] +
                            " through " + prog.channels()[size_t(a.arg2)]);
            break;
          case ActionSpec::Kind::Escalate: {
            const int64_t delay = prog.escalation_delay(int(a.value));
            parts.push_back("escalated event " + prog.events()[size_t(a.arg)].name + " up the grid" +
                            (delay > 0 ? ", arriving " + duration(delay) + " later" : std::string()));
            break;
          }
          case ActionSpec::Kind::StartMonitoring:
            parts.push_back("started " + prog.monitoring()[size_t(a.arg)] + " for " +
                            plural(int64_t(a.value), "day", "days"));
            break;
          case ActionSpec::Kind::ObserveHousehold:
            parts.push_back("put the rest of the household under " + prog.monitoring()[size_t(a.arg)] + " for " +
                            plural(int64_t(a.value), "day", "days"));
            break;
          case ActionSpec::Kind::EndMonitoring:
            parts.push_back(a.arg >= 0 ? "ended monitoring " + prog.monitoring()[size_t(a.arg)]
                                       : std::string("ended monitoring"));
            break;
          case ActionSpec::Kind::OpenPost:
            parts.push_back("opened post " + prog.posts()[size_t(a.arg)].name);
            break;
          case ActionSpec::Kind::ClosePost:
            parts.push_back("closed post " + prog.posts()[size_t(a.arg)].name + " (from tomorrow)");
            break;
        }
      }
    }
    if (r.created > 0 || creates)
      parts.insert(parts.begin(), r.created > 0 ? "created " + plural(r.created, "task", "tasks") : "created no task");
    return join(parts, ", ", ", ");
  }

  // The facts a condition reads, with the values this person had when it was checked, where known.
  std::string facts(const rules::CompiledExpr& when, int64_t at) const {
    std::vector<std::string> parts, unknown;
    const auto& schema = model_->program->schema();
    for (int slot : when.fields_read()) {
      const std::string& name = schema.fields()[size_t(slot)].name;
      if (slot == rules::kSlotOrigin)
        parts.push_back("origin is " + p_.origin);
      else if (slot == rules::kSlotClass)
        parts.push_back("class was " + cls_now_);
      else if (slot == rules::kSlotArrivalDay)
        parts.push_back("arrival_day is " + std::to_string(p_.registered / kDay));
      else if (slot == rules::kSlotIsReturnee)
        parts.push_back("is_returnee is true");
      else if (slot == rules::kSlotTracked)
        parts.push_back(std::string("tracked was ") + (tracked_at(at) ? "true" : "false"));
      else if (slot == rules::kSlotHouseholdSize && p_.household < model_->population->household_size.size())
        parts.push_back("household_size is " + std::to_string(model_->population->household_size[p_.household]));
      else if (slot == model_->program->village_slot(rules::kVillageToday))
        parts.push_back("today was " + std::to_string(at / kDay));
      else
        unknown.push_back(name);
    }
    std::string out = join(parts, ", ", ", ");
    if (!unknown.empty())
      out += std::string(out.empty() ? "" : "; ") + join(unknown, ", ", " and ") + " at that moment " +
             (unknown.size() == 1 ? "is" : "are") + " not recorded";
    return out;
  }

  bool tracked_at(int64_t at) const {
    if (tracked_from_ < 0 || at < tracked_from_) return false;
    return !(tracking_ended_in_run() && at >= last_tracked_day() * kDay + kDay - 1);
  }

  std::string not_fired_detail(const TraceRow& r) const {
    const auto* cr = model_ ? rule(r.rule) : nullptr;
    if (!cr)
      return model_ ? "the policy has no rule with this id any more, so why is not known"
                    : "why is not known without the policy (its period, after_event or condition)";
    const int day = r.day;
    if (day < cr->from_day || day > cr->until_day) {
      std::string period = cr->until_day == INT32_MAX ? "from day " + std::to_string(cr->from_day)
                                                      : "from day " + std::to_string(cr->from_day) + " to day " +
                                                            std::to_string(cr->until_day);
      return "it is in force only " + period + ", and this was day " + std::to_string(day);
    }
    std::string cond;
    if (cr->when) {
      cond = "its condition `" + cr->when->source() + "` was false for this person";
      const std::string f = facts(*cr->when, r.at());
      if (!f.empty()) cond += " (" + f + ")";
    }
    if (cr->after_event >= 0) {
      const std::string ev = "event " + model_->program->events()[size_t(cr->after_event)].name +
                             " had not been raised in the village yet";
      return cond.empty() ? ev : "either " + ev + ", or " + cond;
    }
    return cond.empty() ? "why is not recorded" : cond;
  }

  // ---- header, day status, verdict ----
  std::string header() const {
    std::string out = "Person " + std::to_string(p_.person) + " (replicate " + std::to_string(rep_) +
                      ") lives in household " + std::to_string(p_.household) + " of " + p_.village +
                      ". A returnee from " + p_.origin + ", class " + p_.cls + " at the end.\n";
    if (p_.registered < 0)
      out += "Not registered within the run: the person comes home after the run's last day (day " +
             std::to_string(run_.horizon - 1) + ").\n";
    return out;
  }

  std::string day_status(int day) const {
    std::string out = "On " + day_and_date_lower(day) + ": ";
    if (p_.registered < 0 || day < p_.registered / kDay) return out + "not yet registered.\n";
    if (p_.tracking_start >= 0 && p_.tracking_days > 0 && day >= p_.tracking_start && day <= last_tracked_day())
      return out + "tracked, day " + std::to_string(day - p_.tracking_start + 1) + " of " +
             std::to_string(p_.tracking_days) + " tracked in this run.\n";
    if (p_.tracking_start >= 0 && day < p_.tracking_start) return out + "not tracked yet.\n";
    if (p_.tracking_start >= 0) return out + "no longer tracked.\n";
    return out + "not tracked.\n";
  }

  std::string verdict() const {
    if (p_.tracking_start >= 0) return tracked_verdict();
    if (p_.registered < 0)
      return "Not tracked: the person was not registered within the run's " + plural(run_.horizon, "day", "days") +
             ", so no rule was considered for them.\n";
    if (!model_)
      return "Not tracked. Which rules start tracking is not known because the policy could not be loaded "
             "(see the note below); every rule considered for this person is listed above.\n";
    std::vector<std::string> parts;
    const auto& prog = *model_->program;
    for (const auto& cr : prog.rules()) {
      if (!start_action(cr) || cr.subject != rules::Subject::Person) continue;
      std::string s = cr.id + " (" + loc_of(cr.id) + ")";
      const TraceRow* last = nullptr;
      bool fired = false;
      for (const auto& r : rows_)
        if (r.rule == cr.id) last = &r, fired |= r.fired;
      if (fired) {
        s += ", which fired, yet no tracking was recorded for this person";
      } else if (last) {
        auto it = not_fired_.find(cr.id);
        s += ", which did not fire";
        if (it != not_fired_.end()) s += ": " + it->second;
      } else {
        const std::string ev = event_label(prog, cr.event, cr.filter);
        const bool heard = std::any_of(rows_.begin(), rows_.end(), [&](const TraceRow& r) { return r.event == ev; });
        if (heard) {
          s += ", which listens to " + ev +
               " but was not considered when that happened: the run did not have this "
               "rule (the policy files changed since the run)";
        } else {
          s += ", which listens to " + ev + "; that never happened for this person";
          if (is_screening_event(ev) && p_.screened < 0) s += " (not screened within the run)";
        }
      }
      parts.push_back(s);
    }
    if (parts.empty())
      return "Not tracked: no rule of this policy starts tracking (there is no start_tracking action).\n";
    return "Not tracked: tracking starts only from " + join(parts, "; or from ", "; or from ") + ".\n";
  }

  std::string tracked_verdict() const {
    const auto* t = started_template();
    std::string out = "Tracked: ";
    if (starter_) {
      out += starter_->rule + " (" + loc_of(*starter_) + ") fired on " + day_and_date_lower(starter_->day) + " at " +
             clock(starter_->minute);
      if (t)
        out += " and started " + t->id + " (" + show_loc(t->loc.str()) + "), a " + std::to_string(t->days) +
               "-day tracking";
      out += ".\n";
    } else {
      out += "the person was identified on " + day_and_date_lower(p_.tracking_start - 1) +
             (model_ ? "" : " (the policy could not be loaded, so the rule that started tracking is not named)") +
             ".\n";
    }
    if (p_.tracking_start >= run_.horizon)
      return out + "Tracking would have begun on day " + std::to_string(p_.tracking_start) +
             ", after the run's last day (" + std::to_string(run_.horizon - 1) + "), so no day was tracked.\n";
    const int n = p_.tracking_days, c = p_.complete_days;
    out += "Tracking ran from " + day_and_date_lower(p_.tracking_start) + " to " +
           day_and_date_lower(last_tracked_day()) + ": " + plural(n, "day", "days") + " tracked";
    if (t && n < t->days) {
      out += last_tracked_day() >= run_.horizon - 1 ? " (of its " + std::to_string(t->days) + "; the run ended)"
                                                    : " (of its " + std::to_string(t->days) + "; ended early)";
    }
    if (c == n) {
      out += n == 1 ? ", with a complete team" : ", all " + std::to_string(n) + " with a complete team";
      out += " (every member's duty done that day).\n";
    } else {
      out += ", " + std::to_string(c) + " with a complete team (every member's duty done that day).\n";
      out += "The team was incomplete on " + plural(n - c, "day", "days") +
             " (a duty not done, or a place in the team left empty). Which days is not recorded per person: "
             "persons.csv keeps only these totals; timeseries.csv has, per village and day, how many trackings "
             "were active and how many complete (tracking_active, tracking_complete).\n";
    }
    return out;
  }

  // A rule whose location in the policy now differs from the trace: the files changed since the run.
  void check_locations() {
    if (!model_) return;
    for (const auto& r : rows_) {
      const auto* cr = rule(r.rule);
      if (cr && same_loc(cr->loc.str(), r.loc)) continue;
      notes_.push_back(cr ? "rule " + r.rule + " is now at " + show_loc(cr->loc.str()) + ", not at " + show_loc(r.loc) +
                                " as in the trace: the policy files changed since the run, so conditions quoted "
                                "here may not be those the run used."
                          : "rule " + r.rule +
                                " of the trace is no longer in the policy: the policy files changed "
                                "since the run.");
      return;
    }
  }

  const RunInfo& run_;
  const PersonRow& p_;
  int rep_;
  std::vector<TraceRow> rows_;
  const sim::Model* model_;
  std::vector<std::string> notes_;
  std::map<std::string, int> rule_index_;
  std::vector<Entry> entries_;
  std::optional<TraceRow> starter_;               // the row of the rule that started tracking
  std::map<std::string, std::string> not_fired_;  // rule -> why it last did not fire
  // While rendering, in timeline order.
  std::string cls_now_;
  int64_t tracked_from_ = -1;

 public:
  void set_initial_class(std::string c) { cls_now_ = std::move(c); }
};

}  // namespace

std::string explain_person(const fs::path& run_dir, uint32_t person, std::optional<int> day, int replicate) {
  if (!fs::is_directory(run_dir)) fail(run_dir.string(), "no such folder: expected the output folder of a run");
  const RunInfo run = read_summary(run_dir);
  const fs::path trace_path = run_dir / "trace.csv", persons_path = run_dir / "persons.csv";
  for (const auto& p : {trace_path, persons_path})
    if (!fs::is_regular_file(p))
      fail(run_dir.string(), "no " + p.filename().string() +
                                 " here: the run was made without --trace; run it again with `villagegrid run "
                                 "--trace --out " +
                                 run_dir.string() + "` to explain a person");
  auto check_args = [&](int replicates) {
    if (replicate < 0 || replicate >= replicates)
      fail("", "replicate " + std::to_string(replicate) + " is outside this run: it has " +
                   plural(replicates, "replicate", "replicates") + " (" +
                   (replicates == 1 ? "only replicate 0" : "0 to " + std::to_string(replicates - 1)) + ")");
    if (day && (*day < 0 || *day >= run.horizon))
      fail("", "day " + std::to_string(*day) + " is outside this run: it has " + plural(run.horizon, "day", "days") +
                   " (0 to " + std::to_string(run.horizon - 1) + ")");
  };
  if (run.replicates > 0) check_args(run.replicates);

  // persons.csv: the person's row, and the returnees of the replicate for the message if absent.
  enum { kRep, kPerson, kVillage, kHousehold, kOrigin, kClass, kReg, kScr, kStart, kDays, kComplete };
  Csv pc(persons_path, {"replicate", "person", "village", "household", "origin", "class", "registered_minute",
                        "screened_minute", "tracking_start_day", "tracking_days", "tracking_complete_days"});
  const int64_t max_minute = int64_t(run.horizon) * kDay;
  std::optional<PersonRow> found;
  int64_t count = 0, max_rep = -1;
  uint32_t lo = UINT32_MAX, hi = 0;
  while (pc.next()) {
    const int64_t rep = pc.integer(kRep, 0, INT32_MAX);
    const auto id = uint32_t(pc.integer(kPerson, 0, UINT32_MAX));
    pc.integer(kHousehold, 0, UINT32_MAX);
    pc.integer(kReg, -1, max_minute);
    pc.integer(kScr, -1, max_minute + kDay);
    pc.integer(kStart, -1, run.horizon + 1);
    const int64_t days = pc.integer(kDays, 0, run.horizon);
    if (pc.integer(kComplete, 0, run.horizon) > days)
      pc.bad(kComplete, "more days with a complete team than days tracked");
    max_rep = std::max(max_rep, rep);
    if (rep != replicate) continue;
    ++count;
    lo = std::min(lo, id);
    hi = std::max(hi, id);
    if (id != person) continue;
    if (found) pc.bad(kPerson, "person " + std::to_string(id) + " is listed twice in replicate " + std::to_string(rep));
    PersonRow p;
    p.person = id;
    p.village = pc.text(kVillage);
    p.household = uint32_t(pc.integer(kHousehold, 0, UINT32_MAX));
    p.origin = pc.text(kOrigin);
    p.cls = pc.text(kClass);
    p.registered = pc.integer(kReg, -1, max_minute);
    p.screened = pc.integer(kScr, -1, max_minute + kDay);
    p.tracking_start = int(pc.integer(kStart, -1, run.horizon + 1));
    p.tracking_days = int(days);
    p.complete_days = int(pc.integer(kComplete, 0, run.horizon));
    found = p;
  }
  if (run.replicates <= 0) check_args(int(max_rep + 1));
  if (!found) {
    if (count == 0)
      fail(persons_path.string(), "person " + std::to_string(person) +
                                      " is not a returnee: this file lists no returnee in replicate " +
                                      std::to_string(replicate));
    fail(persons_path.string(),
         "person " + std::to_string(person) + " is not a returnee of this run: this file lists " +
             plural(count, "returnee", "returnees") + " in replicate " + std::to_string(replicate) + ", ids " +
             std::to_string(lo) + " to " + std::to_string(hi) + " (not every id in between is a returnee)");
  }

  // trace.csv: the rules considered for this person in this replicate. Every row is checked.
  enum { kTRep, kTDay, kTTime, kTPerson, kTVillage, kTEvent, kTRule, kTFired, kTCreated, kTLoc };
  Csv tc(trace_path,
         {"replicate", "day", "time", "person", "village", "event", "rule", "fired", "tasks_created", "rule_location"});
  std::vector<TraceRow> rows;
  while (tc.next()) {
    const int64_t rep = tc.integer(kTRep, 0, INT32_MAX);
    const int64_t d = tc.integer(kTDay, 0, run.horizon);
    const std::string_view t = tc.text(kTTime);
    int h = -1, m = -1;
    if (t.size() != 5 || t[2] != ':' || std::from_chars(t.data(), t.data() + 2, h).ptr != t.data() + 2 ||
        std::from_chars(t.data() + 3, t.data() + 5, m).ptr != t.data() + 5 || h < 0 || h > 23 || m < 0 || m > 59)
      tc.bad(kTTime, "'" + std::string(t) + "' is not a time of day (HH:MM)");
    const int64_t who = tc.integer(kTPerson, -1, UINT32_MAX);
    const std::string_view fired = tc.text(kTFired);
    if (fired != "yes" && fired != "no")
      tc.bad(kTFired, "'" + std::string(fired) + "' in column fired: expected yes or no");
    const int64_t created = tc.integer(kTCreated, 0, INT32_MAX);
    if (rep != replicate || who != int64_t(person)) continue;
    TraceRow r;
    r.day = int(d);
    r.minute = h * 60 + m;
    r.event = tc.text(kTEvent);
    r.rule = tc.text(kTRule);
    r.fired = fired == "yes";
    r.created = int(created);
    r.loc = tc.text(kTLoc);
    rows.push_back(std::move(r));
  }

  // The policy, for conditions and for which rules start tracking.
  std::vector<std::string> notes;
  std::optional<sim::Model> model;
  if (run.scenario_file.empty()) {
    notes.push_back(
        "summary.json does not name the scenario file (a run from an older villagegrid), so the "
        "policy was not loaded: conditions and the rules that start tracking cannot be shown.");
  } else if (!fs::is_regular_file(run.scenario_file)) {
    notes.push_back("the scenario file " + run.scenario_file +
                    " named in summary.json is gone, so the policy was "
                    "not loaded: conditions and the rules that start tracking cannot be shown.");
  } else {
    try {
      Diagnostics diags;
      model.emplace(sim::load_model(run.scenario_file, diags));
    } catch (const InputError& e) {
      std::string first = e.diagnostics().items().empty() ? "" : ": " + e.diagnostics().items().front().message;
      notes.push_back("the scenario " + run.scenario_file + " no longer loads" + first +
                      "; conditions and the rules that start tracking cannot be shown.");
    }
  }

  Explainer ex(run, *found, replicate, std::move(rows), model ? &*model : nullptr, std::move(notes));
  ex.set_initial_class(model ? model->program->classes()[size_t(model->program->default_class())] : "unscreened");
  return ex.explain(day);
}

}  // namespace vg::io
