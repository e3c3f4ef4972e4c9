#include "io/outputs.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "core/atomic_file.h"
#include "core/csv.h"
#include "metrics/metric_table.h"
#include "rules/event_label.h"
#include "rules/facts.h"

namespace vg::io {

namespace {

using nlohmann::ordered_json;

constexpr std::array<const char*, epidemic::kTransmissionLayers> kLayerNames = {"household", "group", "village",
                                                                                "town"};

ordered_json stat_json(const metrics::Stat& s) {
  ordered_json j;
  auto num = [](double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); };
  j["mean"] = num(s.mean);
  j["p5"] = num(s.p5);
  j["p95"] = num(s.p95);
  j["n"] = s.n;
  return j;
}

// One record per metric of a scope (docs/outputs.md, "summary.json"): flat, so that
// pandas.DataFrame(summary["metrics"]) is the whole table. Written as text a record at a time, each
// as dump(2) prints an element of a top-level array: a prefecture has some 85,000 records, and a
// document tree of them took more memory than the simulation.
void add_metric_records(std::string& out, const std::vector<metrics::NamedStat>& ms, const char* scope,
                        const std::string* town, const std::string* village) {
  for (const auto& m : ms) {
    ordered_json e;
    e["metric"] = m.name;
    e["scope"] = scope;
    e["town"] = town ? ordered_json(*town) : ordered_json(nullptr);
    e["village"] = village ? ordered_json(*village) : ordered_json(nullptr);
    e["unit"] = m.unit;
    e.update(stat_json(m.stat));
    out += out.empty() ? "[\n    " : ",\n    ";
    // At depth 2: every line of the record's own dump(2) indented by 4 more (no string value holds
    // a newline: dump escapes it).
    const std::string text = e.dump(2);
    size_t from = 0;
    for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
      out.append(text, from, nl + 1 - from);
      out += "    ";
      from = nl + 1;
    }
    out.append(text, from, std::string::npos);
  }
}

std::string fmt(const char* f, double x) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

std::string pad(std::string s, size_t w, bool right = false) {
  if (s.size() >= w) return s;
  return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

// The role table of the terminal summary, means over replicates, and its legend.
std::string role_table(const metrics::Summary& s, int horizon_days, size_t towns) {
  size_t width = 20;  // the longest role name, and a space
  for (const auto& r : s.roles) width = std::max(width, r.role.size() + 1);
  std::string out = "\n" + pad("role", width) + pad("avail h", 9, true) + pad("worked h", 10, true) +
                    pad("use", 6, true) + pad("could do h", 12, true) + pad("unmet h", 9, true) +
                    pad("days out", 10, true) + pad("first out", 11, true) + pad("busiest h", 11, true) +
                    pad("team gaps", 11, true) + "\n";
  bool none_staffed = false;
  for (const auto& r : s.roles) {
    auto mean = [&](const char* name) { return r.stat(name).mean; };
    const metrics::Stat& first_day = r.stat("first_day_out_of_hours");
    // A role nobody has (on duty in no replicate) cannot run out of hours: said, not "never".
    const bool nobody = r.stat("hours_available").p95 == 0;
    none_staffed = none_staffed || nobody;
    out += pad(r.role, width) + pad(fmt("%.0f", mean("hours_available")), 9, true) +
           pad(fmt("%.0f", mean("hours_worked")), 10, true) + pad(fmt("%.0f%%", mean("utilisation") * 100), 6, true) +
           pad(fmt("%.0f", mean("hours_could_do")), 12, true) + pad(fmt("%.0f", mean("hours_unmet")), 9, true) +
           pad(nobody ? "-" : fmt("%.1f", mean("days_out_of_hours")), 10, true) +
           pad(nobody        ? "no staff"
               : first_day.n ? fmt("day %.1f", first_day.mean)
                             : "never",
               11, true) +
           pad(fmt("%.0f", mean("busiest_person_hours")), 11, true) +
           pad(fmt("%.1f", mean("team_days_missing")), 11, true) + "\n";
  }
  const std::string days = std::to_string(horizon_days);
  out += "Means over replicates; definitions in docs/metrics.md, \"Roles\".\n";
  out += "  avail h: staff hours on duty; worked h: hours of tasks done (overtime included); use: worked / avail\n";
  out +=
      "  could do h: hours of the tasks created that the role may do (a task several roles may do counts for each)\n";
  out += "  unmet h: of those, hours of tasks that passed their deadline undone\n";
  out += "  days out: days (of " + days +
         ") on which the role's staff worked at least 95% of their hours, work they could do still open" +
         (towns > 1 ? " (in a region of several towns, the most of any town; the villages' own, below)" : "") + "\n";
  out += "  first out: the first such day (0 = start date), over the replicates with one\n";
  out += "  busiest h: hours worked by the role's busiest member; team gaps: tracking-days with its place in a team\n";
  out += "  empty or its duty undone\n";
  if (none_staffed)
    out += "  no staff: nobody of the role is on duty; other roles listed on its tasks must do them (could do h)\n";
  return out;
}

// The calendar date of each simulated day, formatted once for files with a row per day.
std::vector<std::string> day_dates(const sim::Model& model) {
  const int64_t start = model.scenario.start_date.days_since_epoch();
  std::vector<std::string> dates;
  for (int d = 0; d < model.horizon_days; ++d) dates.push_back(config::Date::from_days_since_epoch(start + d).str());
  return dates;
}

}  // namespace

std::string summary_json(const sim::Model& model, const metrics::Summary& summary, const std::string& version) {
  const auto& sc = model.scenario;
  ordered_json j;
  j["villagegrid"] = version;
  j["scenario"] = sc.name;
  j["title"] = sc.title;
  // Absolute, so `villagegrid explain` finds the policy from any folder.
  j["scenario_file"] = std::filesystem::absolute(sc.path).lexically_normal().string();
  j["start_date"] = sc.start_date.str();
  j["horizon_days"] = sc.horizon_days;
  j["seed"] = model.seed;
  j["replicates"] = summary.replicates;
  j["population"] = {{"towns", model.population->towns()},
                     {"villages", model.population->villages()},
                     {"households", model.population->households()},
                     {"persons", model.population->persons()},
                     {"returnees", model.population->returnees.size()}};
  if (model.next_generation) {
    // R0 from the next-generation matrix of the disease model's rates (docs/epidemic.md).
    const auto& g = *model.next_generation;
    ordered_json layers;
    for (size_t l = 0; l < g.layer_share.size(); ++l) layers[kLayerNames[l]] = g.layer_share[l];
    j["r0"] = {{"next_generation", g.r0},
               {"asked", model.disease->parameters().r0},
               {"household_share", g.household_share()},
               {"layer_share", layers}};
  }
  std::string records;
  add_metric_records(records, summary.metrics, "region", nullptr, nullptr);
  for (const auto& t : summary.towns) add_metric_records(records, t.metrics, "town", &t.name, nullptr);
  for (const auto& v : summary.villages) add_metric_records(records, v.metrics, "village", &v.town, &v.name);
  records += records.empty() ? "[]" : "\n  ]";
  j["metrics"] = ordered_json::array();  // its place in the key order; the text replaces it below
  ordered_json roles = ordered_json::array();
  for (const auto& r : summary.roles)
    for (size_t i = 0; i < r.metrics.size(); ++i) {
      ordered_json e = {{"role", r.role}, {"metric", r.metrics[i].name}, {"unit", r.metrics[i].unit}};
      e.update(stat_json(r.metrics[i].stat));
      // A share of replicates is one number, in `mean`: it has no percentiles.
      if (metrics::kRoleMetrics[i].over == metrics::OverReplicates::Share) e["p5"] = e["p95"] = nullptr;
      roles.push_back(std::move(e));
    }
  j["roles"] = std::move(roles);
  ordered_json first = ordered_json::array();
  for (size_t i = 0; i < summary.first_roles_out.size(); ++i)
    first.push_back({{"role", summary.first_roles_out[i]}, {"share_of_replicates", summary.first_roles_out_share[i]}});
  j["first_roles_out_of_hours"] = first;
  // Each village's grid: the scenario's, or its own policy's (`policy: overrides:`); villages
  // without one are left out, and the top-level fields are the scenario's grid's (null without).
  const auto grid_of = [&](size_t v) -> const config::GridSpec* {
    const size_t town = model.population->village_town[v];
    const int k = town < model.town_policy.size() ? model.town_policy[town] : -1;
    const auto& g = k < 0 ? model.grid : model.policies[size_t(k)].grid;
    return g ? &*g : nullptr;
  };
  ordered_json gv = ordered_json::array();
  for (size_t v = 0; v < model.population->villages(); ++v)
    if (const auto* g = grid_of(v))
      gv.push_back({{"village", model.population->village_name[v]},
                    {"grid", g->name},
                    {"households_per_member", g->households_per_member},
                    {"households", model.population->village_households[v].size()},
                    {"households_without_contact_member", model.contacts.without_member[v]},
                    {"contact_members", model.contacts.members[v]},
                    {"members_over_span", model.contacts.over_span[v]},
                    {"most_households_per_member", model.contacts.max_load[v]}});
  if (!gv.empty())
    j["grid"] = {
        {"name", model.grid ? ordered_json(model.grid->name) : ordered_json(nullptr)},
        {"households_per_member", model.grid ? ordered_json(model.grid->households_per_member) : ordered_json(nullptr)},
        {"cover_all", model.grid ? ordered_json(model.grid->cover_all) : ordered_json(nullptr)},
        {"villages", std::move(gv)}};
  ordered_json guidelines = ordered_json::array();
  for (const auto& g : summary.guidelines)
    for (const auto& m : g.metrics) {
      ordered_json e = {{"guideline", g.guideline}, {"metric", m.name}, {"unit", m.unit}};
      e.update(stat_json(m.stat));
      guidelines.push_back(std::move(e));
    }
  j["guidelines"] = std::move(guidelines);
  ordered_json tasks = ordered_json::array();
  for (const auto& t : summary.tasks)
    for (const auto& m : t.metrics) {
      ordered_json e = {{"task", t.task}, {"guideline", t.guideline}, {"metric", m.name}, {"unit", m.unit}};
      e.update(stat_json(m.stat));
      tasks.push_back(std::move(e));
    }
  j["tasks"] = std::move(tasks);
  ordered_json towns = ordered_json::array();
  for (const auto& t : summary.towns) towns.push_back({{"town", t.name}});
  j["towns"] = std::move(towns);
  ordered_json villages = ordered_json::array();
  for (const auto& v : summary.villages) villages.push_back({{"village", v.name}, {"town", v.town}});
  j["villages"] = std::move(villages);
  ordered_json supplies_out = ordered_json::array();
  for (const auto& so : summary.supplies_out) {
    supplies_out.push_back({{"village", so.village},
                            {"town", so.town},
                            {"supply", so.supply},
                            {"stockout_days", stat_json(so.days)},
                            {"first_day", stat_json(so.first_day)}});
  }
  j["supplies_out"] = std::move(supplies_out);
  std::string text = j.dump(2);
  j = nullptr;
  // The one top-level "metrics" key: at the start of a line, indented 2 (any other is deeper, or
  // inside a string, where its quotes are escaped).
  const std::string_view key = "\n  \"metrics\": []";
  const size_t at = text.find(key);
  // Around the records, in their own string (the largest part by far: no copy of it).
  records.insert(0, text, 0, at + key.size() - 2);
  records.append(text, at + key.size(), std::string::npos);
  records += "\n";
  return records;
}

namespace {

// One CSV row of names and integers written straight into the file's string: room for the longest
// such row made once, the fields written through a pointer, the string cut back to what was written
// when the row ends. The per-replicate files have replicates x villages x days rows; appending a
// field at a time costs a capacity check and a copy call for each comma and number.
class RowWriter {
 public:
  // The most a row can take: `ints` integer fields (a comma and at most 20 characters each) and
  // `text` bytes of names, separators and the newline.
  static size_t room(size_t ints, size_t text) { return ints * 21 + text; }
  RowWriter(std::string& out, size_t room) : out_(out) {
    const size_t at = out.size();
    out.resize(at + room);
    p_ = out.data() + at;
  }
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;
  ~RowWriter() { out_.resize(static_cast<size_t>(p_ - out_.data())); }
  void number(int64_t x) { p_ = std::to_chars(p_, p_ + 20, x).ptr; }
  void field(int64_t x) {  // a comma, then the number
    *p_++ = ',';
    number(x);
  }
  void text(std::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void field(std::string_view s) {
    *p_++ = ',';
    text(s);
  }
  void end() { *p_++ = '\n'; }

 private:
  std::string& out_;
  char* p_;
};

}  // namespace

std::string timeseries_csv(const sim::Model& model, const sim::RunResult& run) {
  const auto& pop = *model.population;
  const auto& roles = model.program->roles();
  std::string out = "replicate,town,village,day,date";
  for (const auto& c : metrics::kDayColumns) out += "," + std::string(c.name);
  for (const auto& r : roles) out += ",minutes_worked_" + r;
  for (const auto& sup : model.program->supplies()) out += ",stock_" + sup;
  out += "\n";
  const std::vector<std::string> dates = day_dates(model);
  size_t date_room = 0;
  for (const auto& date : dates) date_room = std::max(date_room, date.size());
  for (size_t rep = 0; rep < run.replicates.size(); ++rep) {
    const auto& rr = run.replicates[rep];
    for (size_t v = 0; v < rr.days.size(); ++v) {
      const std::string& town = pop.town_name[pop.village_town[v]];
      const std::string& village = pop.village_name[v];
      for (size_t d = 0; d < rr.days[v].size(); ++d) {
        const auto& row = rr.days[v][d];
        const size_t ints = 2 + std::size(metrics::kDayColumns) + row.minutes_worked.size() + row.stock.size();
        RowWriter w(out, RowWriter::room(ints, town.size() + village.size() + date_room + 4));
        w.number(int64_t(rep));
        w.field(town);
        w.field(village);
        w.field(int64_t(d));
        w.field(dates[d]);
        for (const auto& c : metrics::kDayColumns) w.field(row.*c.field);
        for (int32_t m : row.minutes_worked) w.field(m);
        for (int64_t st : row.stock) w.field(st);
        w.end();
      }
    }
  }
  return out;
}

std::string roles_by_day_csv(const sim::Model& model, const sim::RunResult& run) {
  const auto& pop = *model.population;
  const auto& roles = model.program->roles();
  std::string out = "replicate,town,day,date";
  for (const char* m : {"minutes_available_", "minutes_could_do_", "minutes_worked_"})
    for (const auto& r : roles) out += "," + std::string(m) + r;
  out += "\n";
  const std::vector<std::string> dates = day_dates(model);
  size_t date_room = 0;
  for (const auto& date : dates) date_room = std::max(date_room, date.size());
  for (size_t rep = 0; rep < run.replicates.size(); ++rep) {
    const auto& towns = run.replicates[rep].town_role_days;
    for (size_t t = 0; t < towns.size(); ++t)
      for (size_t d = 0; d < towns[t].size(); ++d) {
        const auto& day = towns[t][d];
        RowWriter w(out, RowWriter::room(2 + 3 * day.size(), pop.town_name[t].size() + date_room + 3));
        w.number(int64_t(rep));
        w.field(pop.town_name[t]);
        w.field(int64_t(d));
        w.field(dates[d]);
        for (const auto& rd : day) w.field(rd.minutes_available);
        for (const auto& rd : day) w.field(rd.minutes_could_do);
        for (const auto& rd : day) w.field(rd.minutes_worked);
        w.end();
      }
  }
  return out;
}

namespace {

// A rule's place with its file's absolute path: the same whichever folder the run was started in
// and however the scenario was named (explain compares it with the policy as it is now).
std::string absolute_loc(const SourceLoc& loc) {
  if (!loc.file) return loc.str();
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(loc.path(), ec);
  if (ec) return loc.str();
  return p.lexically_normal().string() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

}  // namespace

std::string trace_csv(const sim::Model& model, const sim::RunResult& run) {
  const auto& pop = *model.population;
  std::string out = "replicate,day,time,person,village,event,rule,fired,tasks_created,guideline,rule_location\n";
  char buf[768];
  std::vector<std::string> locs;  // by rule, of the program last seen (one per town at most)
  const rules::Program* locs_of = nullptr;
  for (size_t rep = 0; rep < run.trace.size(); ++rep) {
    for (const auto& t : run.trace[rep]) {
      // The rule of the village's town's program (a per-village override has its own).
      const auto& prog = model.town_program(pop.village_town[size_t(t.village)]);
      const auto& r = prog.rules()[size_t(t.rule)];
      if (locs_of != &prog) {
        locs.clear();
        for (const auto& cr : prog.rules()) locs.push_back(absolute_loc(cr.loc));
        locs_of = &prog;
      }
      std::snprintf(buf, sizeof buf, "%zu,%d,%02d:%02d,%d,%s,%s,%s,%s,%d,%d,%s\n", rep, t.day, t.minute / 60,
                    t.minute % 60, t.person, pop.village_name[size_t(t.village)].c_str(),
                    rules::event_label(prog, rules::Event(t.event), t.filter).c_str(), r.id.c_str(),
                    t.fired ? "yes" : "no", t.created, r.guideline, locs[size_t(t.rule)].c_str());
      out += buf;
    }
  }
  return out;
}

std::string persons_csv(const sim::Model& model, const sim::RunResult& run) {
  const auto& prog = *model.program;
  const auto& pop = *model.population;
  std::string out =
      "replicate,person,village,household,origin,class,registered_minute,screened_minute,"
      "tracking_start_day,tracking_days,tracking_complete_days,infection_day,arrival_minute,found_by\n";
  char buf[512];
  for (size_t rep = 0; rep < run.persons.size(); ++rep)
    for (const auto& p : run.persons[rep]) {
      // infection_day is empty when not infected: an imported infection's day may be -1 (the day
      // before the start date) or earlier, so no number can stand for "none".
      char infected[16] = "";
      if (p.infection_day != sim::PersonRecord::kNotInfected)
        std::snprintf(infected, sizeof infected, "%d", p.infection_day);
      std::snprintf(buf, sizeof buf, "%zu,%u,%s,%u,%s,%s,%lld,%lld,%d,%d,%d,%s,%lld,%s\n", rep, p.person,
                    pop.village_name[size_t(p.village)].c_str(), pop.person_household[p.person],
                    prog.origins()[p.origin].c_str(), prog.classes()[p.cls].c_str(), (long long)p.arrival,
                    (long long)p.screened, p.tracking_start_day, p.tracking_days, p.tracking_complete_days, infected,
                    (long long)p.home, std::string(rules::kFoundBy[p.found_by]).c_str());
      out += buf;
    }
  return out;
}

std::string roles_csv(const metrics::Summary& summary) {
  std::string out = "role,metric,unit,mean,p5,p95,n\n";
  for (const auto& r : summary.roles)
    for (size_t i = 0; i < r.metrics.size(); ++i) {
      const auto& m = r.metrics[i];
      // A share of replicates is one number, as in summary.json.
      const bool share = metrics::kRoleMetrics[i].over == metrics::OverReplicates::Share;
      out += r.role + "," + m.name + "," + m.unit + "," + csv_number(m.stat.mean) + "," +
             (share ? "" : csv_number(m.stat.p5)) + "," + (share ? "" : csv_number(m.stat.p95)) + "," +
             std::to_string(m.stat.n) + "\n";
    }
  return out;
}

void add_supply_stockouts(metrics::Summary& summary, const sim::Model& model, const sim::RunResult& run) {
  summary.supplies_out.clear();
  const auto& pop = *model.population;
  for (size_t v = 0; v < pop.villages(); ++v) {
    const size_t town = pop.village_town[v];
    const rules::Program& prog = model.town_program(town);
    std::vector<bool> used(prog.supplies().size(), false);
    for (const auto& k : prog.task_kinds())
      for (const auto& [sup, amount] : k.uses) used[size_t(sup)] = true;
    for (size_t k = 0; k < prog.monitoring().size(); ++k)
      for (const auto& [sup, amount] : prog.monitoring_uses(int(k))) used[size_t(sup)] = true;
    for (size_t sup = 0; sup < used.size(); ++sup) {
      if (!used[sup]) continue;
      std::vector<double> days, first;
      for (const auto& rep : run.replicates) {
        if (v >= rep.days.size()) continue;
        int out = 0, at = -1;
        for (size_t d = 0; d < rep.days[v].size(); ++d)
          if (sup < rep.days[v][d].stock.size() && rep.days[v][d].stock[sup] <= 0) {
            ++out;
            if (at < 0) at = int(d);
          }
        days.push_back(out);
        if (at >= 0) first.push_back(at);
      }
      if (first.empty()) continue;
      summary.supplies_out.push_back({pop.village_name[v], pop.town_name[town], prog.supplies()[sup],
                                      metrics::describe(days), metrics::describe(first)});
    }
  }
}

namespace {
// Villages named in the run summary, a few then how many more: each (its rank value, its index),
// in the order given, described by `say(village, first?)`.
std::string list_villages(const std::vector<std::pair<double, size_t>>& hit,
                          const std::function<std::string(size_t, bool)>& say) {
  constexpr size_t kNamed = 4;
  std::string out;
  for (size_t i = 0; i < hit.size() && i < kNamed; ++i) out += (i ? ", " : "") + say(hit[i].second, i == 0);
  if (hit.size() > kNamed) out += " and " + std::to_string(hit.size() - kNamed) + " more";
  return out;
}

// "in K of N replicates" when a first day came in only some of them.
std::string in_some(const metrics::Stat& first, int replicates) {
  return first.n < replicates ? "in " + std::to_string(first.n) + " of " + std::to_string(replicates) + " replicates"
                              : std::string();
}

// The villages where a village metric counted something (mean over replicates above 0), most
// first, with the first day it happened: "Nanba 18.6 days (first day 0.0), Pushan 7.6 (day 0.0)
// and 4 more". Empty when none did.
std::string villages_where(const metrics::Summary& s, std::string_view days, std::string_view first,
                           const std::function<std::string(size_t)>& more = {}) {
  std::vector<std::pair<double, size_t>> hit;
  for (size_t v = 0; v < s.villages.size(); ++v)
    if (const auto& st = metrics::stat_of(s.villages[v].metrics, days); st.n > 0 && st.mean > 0)
      hit.emplace_back(st.mean, v);
  std::stable_sort(hit.begin(), hit.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return list_villages(hit, [&](size_t v, bool lead) {
    const auto& f = metrics::stat_of(s.villages[v].metrics, first);
    const std::string some = in_some(f, s.replicates);
    return s.villages[v].name + " " + fmt("%.1f", metrics::stat_of(s.villages[v].metrics, days).mean) +
           (lead ? " days (first day " : " (day ") + fmt("%.1f", f.mean) + (some.empty() ? "" : ", " + some) +
           (more ? more(v) : "") + ")";
  });
}

// The villages whose funds fell short of a request, earliest first: "Pushan day 4.0 (0 yuan left),
// Luofu day 6.0 (in 3 of 5 replicates; 120 yuan left)". Empty when none did.
std::string funds_short(const metrics::Summary& s) {
  std::vector<std::pair<double, size_t>> hit;
  for (size_t v = 0; v < s.villages.size(); ++v)
    if (const auto& st = metrics::stat_of(s.villages[v].metrics, "first_funds_short_day"); st.n > 0)
      hit.emplace_back(st.mean, v);
  std::stable_sort(hit.begin(), hit.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return list_villages(hit, [&](size_t v, bool) {
    const auto& ms = s.villages[v].metrics;
    const std::string some = in_some(metrics::stat_of(ms, "first_funds_short_day"), s.replicates);
    return s.villages[v].name + " day " + fmt("%.1f", metrics::stat_of(ms, "first_funds_short_day").mean) + " (" +
           (some.empty() ? "" : some + "; ") + fmt("%.0f", metrics::stat_of(ms, "funds_left").mean) + " yuan left)";
  });
}
}  // namespace

std::string summary_table(const sim::Model& model, const metrics::Summary& s) {
  const auto& sc = model.scenario;
  std::string out;
  out += sc.title.empty() ? sc.name : sc.title;
  out += "\n" + std::to_string(model.population->villages()) + " village(s), " +
         std::to_string(model.population->persons()) + " residents, " +
         std::to_string(model.population->returnees.size()) + " returnees; " + std::to_string(sc.horizon_days) +
         " days from " + sc.start_date.str() + "; " + std::to_string(s.replicates) + " replicate(s), seed " +
         std::to_string(model.seed) + "\n\n";
  size_t width = 30;  // the longest metric name, and a space
  for (const auto& m : s.metrics) width = std::max(width, m.name.size() + 1);
  out += pad("metric", width) + pad("mean", 12, true) + pad("p5", 12, true) + pad("p95", 12, true) + "\n";
  for (const auto& m : s.metrics) {
    // The table leaves out what this scenario does not use (summary.json keeps every metric):
    // metrics undefined in every replicate, and posts or monitoring that never happened.
    if (m.stat.n == 0) continue;
    if ((m.name == "monitored_person_days" || m.name == "post_hours_required") && m.stat.p95 == 0 && m.stat.mean == 0)
      continue;
    const char* f = m.unit == "share" ? "%.1f%%" : "%.1f";
    const double k = m.unit == "share" ? 100.0 : 1.0;
    out += pad(m.name, width) + pad(fmt(f, m.stat.mean * k), 12, true) + pad(fmt(f, m.stat.p5 * k), 12, true) +
           pad(fmt(f, m.stat.p95 * k), 12, true) + "\n";
  }
  out += role_table(s, sc.horizon_days, model.population->town_name.size());
  out += "\n";
  auto get = [&](const char* name) {
    for (const auto& m : s.metrics)
      if (m.name == name) return m.stat.mean;
    return std::nan("");
  };
  // With finding, returnees are registered when found, often days after they came home: the share
  // screened within 24 hours of arrival comes first, since 100% of registration can hide that.
  const std::string registered = fmt("%.0f", get("screened_within_24h")) + " of " + fmt("%.0f", get("returnees")) +
                                 " returnees registered (" + fmt("%.1f%%", get("screened_within_24h_share") * 100);
  if (model.finding)
    out += "Screened within 24 hours of arrival: " + fmt("%.1f%%", get("screened_within_24h_of_arrival_share") * 100) +
           " of returnees home (mean over replicates); within 24 hours of registration (being found): " + registered +
           ").\n";
  else
    out += "Screened within 24 hours of registration: " + registered + ", mean over replicates).\n";
  if (model.finding) {
    // A mean that is not whole keeps its decimal: "5660 of 5660 found ... never found 0.2" read as
    // a contradiction.
    const auto count = [](double x) { return fmt(x == std::floor(x) ? "%.0f" : "%.1f", x); };
    out +=
        "Found: " + count(get("returnees")) + " of " + count(get("returnees_arrived")) + " returnees home (" +
        fmt("%.1f%%", get("found_share") * 100) + "): self-report " + fmt("%.0f", get("found_self_report")) +
        ", household visits " + fmt("%.0f", get("found_household_visit")) + ", checkpoints " +
        fmt("%.0f", get("found_checkpoint")) + ", seeking care " + fmt("%.0f", get("found_care_seeking")) +
        (model.neighbour_report_probability > 0 ? ", neighbours " + fmt("%.0f", get("found_neighbour_report")) : "") +
        "; never found " + fmt("%.1f", get("never_found")) + "; found " + fmt("%.1f", get("arrival_to_found_hours")) +
        " hours after arriving on average.\n";
  }
  out += "Key persons identified: " + fmt("%.1f", get("key_identified")) +
         "; tracked by a full team on every day: " + fmt("%.1f", get("key_fully_tracked")) + " (team complete on " +
         fmt("%.1f%%", get("team_complete_share") * 100) + " of tracked days).\n";
  if (s.first_roles_out.empty()) {
    out += "No role ran out of hours in most replicates.\n";
  } else {
    out += "First to run out of hours (mean day " + fmt("%.1f", s.first_day_out_mean) + "): ";
    for (size_t i = 0; i < s.first_roles_out.size(); ++i)
      out += (i ? ", " : "") + s.first_roles_out[i] + " (" + fmt("%.0f%%", s.first_roles_out_share[i] * 100) + ")";
    out += "; percentages are the share of replicates in which the role was among the first.\n";
  }
  // Where: the region's figures above hide which villages ran short of staff or of supplies.
  if (const auto where = villages_where(s, "out_of_hours_village_days", "first_out_of_hours_day"); where.empty())
    out += "No village's own staff ran out of hours with work overdue.\n";
  else
    out += "Villages whose own staff ran out of hours with work overdue (days, means over replicates): " + where +
           "; " + fmt("%.1f", get("out_of_hours_village_days")) + " village-days in all.\n";
  if (metrics::stat_of(s.metrics, "stockout_village_days").n > 0) {  // the scenario has supplies
    // Which supplies: "Pushan 3.0 days (first day 1.0; masks 3.0 from day 1.0, thermometers 0.5 from day 4.0)".
    const auto which = [&](size_t v) {
      std::string list;
      for (const auto& so : s.supplies_out)
        if (so.village == s.villages[v].name && so.town == s.villages[v].town)
          list += (list.empty() ? "; " : ", ") + so.supply + " " + fmt("%.1f", so.days.mean) + " from day " +
                  fmt("%.1f", so.first_day.mean) +
                  (so.first_day.n < s.replicates ? " " + in_some(so.first_day, s.replicates) : "");
      return list;
    };
    if (const auto where = villages_where(s, "stockout_village_days", "first_stockout_day", which); where.empty())
      out += "No village ran out of a supply.\n";
    else
      out += "Villages that ended days out of a supply (days, means over replicates): " + where + ".\n";
    if (const auto short_of = funds_short(s); !short_of.empty())
      out += "Villages whose funds fell short of a request (first day, means over replicates): " + short_of + ".\n";
  }
  return out;
}

void write_run_outputs(const std::filesystem::path& dir, const sim::Model& model, const sim::RunResult& run,
                       const metrics::Summary& summary, const std::string& version, bool trace,
                       const OutputExtras& extras) {
  // Render everything before touching the disk.
  const std::string json = summary_json(model, summary, version);
  const std::string csv = timeseries_csv(model, run);
  const std::string by_day = roles_by_day_csv(model, run);
  const std::string roles = roles_csv(summary);
  const std::string tr = trace ? trace_csv(model, run) : std::string();
  const std::string persons = trace ? persons_csv(model, run) : std::string();
  // summary.json last: its presence says the run's outputs are complete.
  if (trace)
    write_files_atomic(dir,
                       {{"timeseries.csv", csv},
                        {"roles_by_day.csv", by_day},
                        {"roles.csv", roles},
                        {"trace.csv", tr},
                        {"persons.csv", persons},
                        {"summary.json", json}},
                       extras);
  else
    write_files_atomic(
        dir, {{"timeseries.csv", csv}, {"roles_by_day.csv", by_day}, {"roles.csv", roles}, {"summary.json", json}},
        extras);
}

}  // namespace vg::io
