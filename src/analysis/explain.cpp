// The narrative of `explain`: the person's timeline, each rule considered with why it fired or not,
// and the verdict, in words. The files of the run are read by run_files.h; the policy the run
// used is loaded again here to quote conditions and to know which rules start tracking.
#include "analysis/explain.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "analysis/run_files.h"
#include "core/diagnostics.h"
#include "core/time.h"
#include "rules/event_label.h"
#include "rules/facts.h"
#include "sim/model.h"
#include "spec/date.h"

namespace vg::io {

namespace {

namespace fs = std::filesystem;
using rules::event_label;

constexpr int64_t kDay = kMinutesPerDay;

// ---- formatting ---------------------------------------------------------------------------------

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
  // The components after a relative path's leading "..": "../trial/rules/a.yaml" (a trace written
  // before rule locations were absolute, from another folder) is the same file as ".../trial/rules/a.yaml".
  auto parts = [](const std::string& path) {
    std::vector<fs::path> out;
    for (const auto& c : fs::path(path).lexically_normal())
      if (!out.empty() || c != "..") out.push_back(c);
    return out;
  };
  std::vector<fs::path> xs = parts(pa), ys = parts(pb);
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
      if (std::holds_alternative<rules::StartTracking>(a)) return &a;
    return nullptr;
  }
  const rules::TrackingTemplate* started_template() const {
    if (!model_ || !starter_) return nullptr;
    const auto* r = rule(starter_->rule);
    const auto* a = r ? start_action(*r) : nullptr;
    return a ? &model_->program->tracking()[size_t(std::get<rules::StartTracking>(*a).tmpl)] : nullptr;
  }
  bool is_screening_event(const std::string& event) const {
    if (event.rfind("task_done:", 0) != 0) return false;
    if (!model_) return true;
    const std::string kind = event.substr(10);
    for (const auto& k : model_->program->task_kinds())
      if (k.name == kind) return k.counts_as_screening;
    return false;
  }
  // The template's places whose role no roster serving the person's village lists (its own staff
  // or its town's): those places were empty every day, whatever else happened ("" if none).
  std::string unstaffed_places(const rules::TrackingTemplate* t) const {
    if (!t || !model_) return "";
    const auto& pop = *model_->population;
    const auto vit = std::find(pop.village_name.begin(), pop.village_name.end(), p_.village);
    if (vit == pop.village_name.end()) return "";
    const auto v = int32_t(vit - pop.village_name.begin());
    const auto& roster = model_->rosters[pop.village_town[size_t(v)]];
    std::vector<std::string> none;
    for (const auto& m : t->members) {
      if (m.role < 0) continue;
      const bool staffed = std::any_of(roster.staff.begin(), roster.staff.end(), [&](const auto& s) {
        return int(s.role) == m.role && (s.village == v || s.village < 0);
      });
      const std::string& name = model_->program->roles()[size_t(m.role)];
      if (!staffed && std::find(none.begin(), none.end(), name) == none.end()) none.push_back(name);
    }
    if (none.empty()) return "";
    std::string list;
    for (size_t i = 0; i < none.size(); ++i) list += (i == 0 ? "" : i + 1 == none.size() ? " and " : ", ") + none[i];
    return "No roster serving " + p_.village + " lists " + list + ", whom " + t->id +
           " asks for: " + (none.size() == 1 ? "that place was" : "those places were") +
           " empty every day, so the team was never complete (add them to the village's or the town's staff).\n";
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
      entries_.push_back({p_.registered, "", registration("no rule listens to returnee_arrived"), {}});
    if (came_home_apart())
      entries_.push_back({p_.arrival,
                          "",
                          home_at_start() ? "home at the start (came home on day 0 or before it: the run counts an "
                                            "earlier arrival from its first minute); not registered yet"
                                          : "came home (not registered yet)",
                          {}});
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

  // Whether the person was registered as they came home (`found_by: arrival`, no `finding`
  // section) rather than found later by a channel of the grid or by reporting themselves.
  bool registered_on_arrival() const { return p_.found_by == "arrival" || p_.found_by.empty(); }
  // arrival_minute 0: home by the run's first minute, perhaps days before (persons.csv counts an
  // arrival before day 0 as 0), so no time home is known before the start.
  bool home_at_start() const { return p_.arrival == 0; }
  // Coming home is an entry of its own when it is not the registration.
  bool came_home_apart() const { return p_.arrival >= 0 && !registered_on_arrival() && p_.arrival != p_.registered; }

  // The registration entry: "came home and registered" or "registered, found by CHANNEL, D after
  // coming home"; `why` names the event (or says that no rule listens to it).
  std::string registration(const std::string& why) const {
    if (registered_on_arrival()) return "came home and registered (" + why + ")";
    std::string s = "registered, found by " + p_.found_by + " (" + why + ")";
    if (p_.arrival >= 0 && p_.registered >= p_.arrival)
      s += ", " + (p_.registered == p_.arrival ? std::string(home_at_start() ? "at the start" : "as they came home")
                   : home_at_start()
                       ? duration(p_.registered - p_.arrival) + " after the start (home since it or before)"
                       : duration(p_.registered - p_.arrival) + " after coming home");
    return s;
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
      return registration("event returnee_arrived");
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

  // How explain tells a fired rule's actions (rules/actions/*.h `explain`): what it has to go on,
  // and the person's story so far, which some actions move on.
  struct ActionStory {
    const rules::Program& prog;
    std::vector<std::string>& parts;
    bool& class_set;       // a rule set the class at this event already
    std::string& cls_now;  // the person's class now
    int64_t& tracked_from;
    int64_t at;            // when the rule fired
    bool creates = false;  // it creates tasks (counted from the trace)
    const rules::Program& program() const { return prog; }
    void say(std::string s) { parts.push_back(std::move(s)); }
    static std::string duration(int64_t minutes) { return io::duration(minutes); }
    static std::string plural(int64_t n, const char* one, const char* many) { return io::plural(n, one, many); }
    static std::string show_loc(const std::string& loc) { return io::show_loc(loc); }
  };

  std::string fired_detail(const TraceRow& r, bool& class_set) {
    std::vector<std::string> parts;
    const auto* cr = model_ ? rule(r.rule) : nullptr;
    bool creates = false;
    if (cr) {
      ActionStory story{*model_->program, parts, class_set, cls_now_, tracked_from_, r.at()};
      for (const auto& a : cr->actions) rules::explain_action(a, story);
      creates = story.creates;
    }
    if (r.created > 0 || creates)
      parts.insert(parts.begin(), r.created > 0 ? "created " + plural(r.created, "task", "tasks") : "created no task");
    return join(parts, ", ", ", ");
  }

  // A fact a condition reads, as this person had it at `at`, where the run's files tell it: its
  // value as the rules see it (NaN: a name the policy does not have) and in words.
  struct Known {
    double value;
    std::string text;
  };
  std::optional<Known> known(int slot, int64_t at) const {
    const auto& prog = *model_->program;
    const auto index = [](const auto& names, std::string_view name) {
      const auto it = std::find(names.begin(), names.end(), name);
      return it == names.end() ? std::nan("") : double(it - names.begin());
    };
    if (slot == rules::kSlotOrigin) return Known{index(prog.origins(), p_.origin), "origin is " + p_.origin};
    if (slot == rules::kSlotClass) return Known{index(prog.classes(), cls_now_), "class was " + cls_now_};
    if (slot == rules::kSlotArrivalDay) {
      const int day = day_of(p_.arrival >= 0 ? p_.arrival : p_.registered);
      return Known{double(day), "arrival_day is " + std::to_string(day)};
    }
    if (slot == rules::kSlotIsReturnee) return Known{1, "is_returnee is true"};
    if (slot == rules::kSlotTracked)
      return Known{tracked_at(at) ? 1.0 : 0.0, std::string("tracked was ") + (tracked_at(at) ? "true" : "false")};
    if (slot == rules::kSlotHouseholdSize && p_.household < model_->population->household_size.size()) {
      const auto size = model_->population->household_size[p_.household];
      return Known{double(size), "household_size is " + std::to_string(size)};
    }
    if (slot == rules::kSlotFoundBy && !p_.found_by.empty()) {  // set once, when registered
      const std::string by = p_.registered >= 0 && at >= p_.registered ? p_.found_by : "none";
      return Known{index(rules::kFoundBy, by), "found_by was " + by};
    }
    if (slot == prog.village_slot(rules::kVillageToday))
      return Known{double(day_of(at)), "today was " + std::to_string(day_of(at))};
    return std::nullopt;
  }

  // The facts a condition reads, with the values this person had when it was checked, where known.
  std::string facts(const rules::CompiledExpr& when, int64_t at) const {
    std::vector<std::string> parts, unknown;
    const auto& schema = model_->program->schema();
    for (int slot : when.fields_read()) {
      if (const auto k = known(slot, at))
        parts.push_back(k->text);
      else
        unknown.push_back(schema.fields()[size_t(slot)].name);
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
      // The condition on the facts known then, when they are all known, tells which of the two.
      const std::optional<bool> held = cr->when ? evaluate(*cr->when, r.at()) : std::optional<bool>(true);
      if (held && !*held) return cond;
      if (held && *held)
        return ev +
               (cr->when ? " (its condition `" + cr->when->source() + "` held: " + facts(*cr->when, r.at()) + ")" : "");
      return cond.empty() ? ev : "either " + ev + ", or " + cond;
    }
    return cond.empty() ? "why is not recorded" : cond;
  }

  // The condition's value for this person at `at`, when every fact it reads is known; nullopt otherwise.
  std::optional<bool> evaluate(const rules::CompiledExpr& when, int64_t at) const {
    std::vector<double> slots(size_t(std::max(0, model_->program->slot_count())), 0.0);
    for (int slot : when.fields_read()) {
      const auto k = known(slot, at);
      if (!k || std::isnan(k->value) || slot < 0 || size_t(slot) >= slots.size()) return std::nullopt;
      slots[size_t(slot)] = k->value;
    }
    return when.eval_bool(slots.data());
  }

  // ---- header, day status, verdict ----
  std::string header() const {
    std::string out = "Person " + std::to_string(p_.person) + " (replicate " + std::to_string(rep_) +
                      ") lives in household " + std::to_string(p_.household) + " of " + p_.village +
                      ". A returnee from " + p_.origin + ", class " + p_.cls + " at the end.\n";
    if (p_.registered < 0 && p_.arrival >= 0)
      out += "Came home on " + day_and_date_lower(int(p_.arrival / kDay)) +
             " but not registered within the run: nobody found the person by the run's last day (day " +
             std::to_string(run_.horizon - 1) + ").\n";
    else if (p_.registered < 0)
      out += "Not registered within the run: they came home after the run's last day (day " +
             std::to_string(run_.horizon - 1) + ").\n";
    return out;
  }

  std::string day_status(int day) const {
    std::string out = "On " + day_and_date_lower(day) + ": ";
    if (p_.arrival < 0 || day < p_.arrival / kDay) return out + "not home yet.\n";
    if (p_.registered < 0 || day < p_.registered / kDay) return out + "home, not yet registered.\n";
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
      if (const std::string none = unstaffed_places(t); !none.empty()) out += none;
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

// The policy of the run, loaded again; nullopt, with a note saying why, when it cannot be.
std::optional<sim::Model> load_policy_of(const RunInfo& run, std::vector<std::string>& notes) {
  if (run.scenario_file.empty()) {
    notes.push_back(
        "summary.json does not name the scenario file (a run from an older villagegrid), so the "
        "policy was not loaded: conditions and the rules that start tracking cannot be shown.");
    return std::nullopt;
  }
  if (!fs::is_regular_file(run.scenario_file)) {
    notes.push_back("the scenario file " + run.scenario_file +
                    " named in summary.json is gone, so the policy was "
                    "not loaded: conditions and the rules that start tracking cannot be shown.");
    return std::nullopt;
  }
  try {
    Diagnostics diags;
    return sim::load_model(run.scenario_file, diags);
  } catch (const InputError& e) {
    std::string first = e.diagnostics().items().empty() ? "" : ": " + e.diagnostics().items().front().message;
    notes.push_back("the scenario " + run.scenario_file + " no longer loads" + first +
                    "; conditions and the rules that start tracking cannot be shown.");
  }
  return std::nullopt;
}

}  // namespace

std::string explain_person(const fs::path& run_dir, uint32_t person, std::optional<int> day, int replicate) {
  const RunInfo run = read_run_info(run_dir);
  const PersonRow found = read_person(run_dir, run, person, replicate, day);
  std::vector<TraceRow> rows = read_trace(run_dir, run, person, replicate);
  std::vector<std::string> notes;
  const std::optional<sim::Model> model = load_policy_of(run, notes);
  Explainer ex(run, found, replicate, std::move(rows), model ? &*model : nullptr, std::move(notes));
  ex.set_initial_class(model ? model->program->classes()[size_t(model->program->default_class())] : "unscreened");
  return ex.explain(day);
}

}  // namespace vg::io
