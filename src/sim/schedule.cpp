// The scenario's arrival waves and scheduled events (`schedule:`), resolved against the program
// (roles, supplies) and the region (towns, villages) once, when the model is built.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/time.h"
#include "sim/model.h"

namespace vg::sim {

namespace {

struct Places {
  std::vector<std::string> villages, towns;  // by global village index, by town index
  std::vector<int> town_of_village;
  std::vector<std::vector<int>> role_count;  // [global village] role counts, from the scenario's rosters
  std::vector<std::vector<int>> town_role_count;
};

Places places_of(const config::ScenarioSpec& s, const rules::Program& prog) {
  Places p;
  for (size_t t = 0; t < s.towns.size(); ++t) {
    const auto& town = s.towns[t];
    p.towns.push_back(town.name);
    auto& trc = p.town_role_count.emplace_back(prog.roles().size(), 0);
    for (const auto& r : town.staff)
      if (int role = prog.find_role(r.role); role >= 0) trc[size_t(role)] += r.count;
    for (const auto& v : town.villages) {
      p.villages.push_back(v.name);
      p.town_of_village.push_back(int(t));
      auto& rc = p.role_count.emplace_back(prog.roles().size(), 0);
      for (const auto& r : v.staff)
        if (int role = prog.find_role(r.role); role >= 0) rc[size_t(role)] += r.count;
    }
  }
  return p;
}

int find_place(const std::vector<std::string>& names, const std::string& name, const SourceLoc& loc, const char* what,
               Diagnostics& d) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return int(it - names.begin());
  d.error(loc, unknown_name(what, name, names, {"; the scenario has: ", "; the scenario has none", 20}));
  return -1;
}

void warn_after_horizon(const SourceLoc& loc, const std::string& what, int day, const Model& m, Diagnostics& d) {
  if (day >= m.horizon_days)
    d.warning(loc, what + " on day " + std::to_string(day) + ", after the horizon (" + std::to_string(m.horizon_days) +
                       " days): it changes nothing");
}

void resolve_absence(const config::AbsenceSpec& a, const Places& places, const rules::Program& prog, Model& m,
                     Diagnostics& d) {
  Model::Absence out;
  out.role = prog.find_role(a.role);
  if (out.role < 0) {
    d.error(a.role_loc,
            unknown_name("role", a.role, prog.roles(), {"; the policy declares: ", "; the policy declares:"}));
    return;
  }
  int members = -1;  // in the one place named, to check `member` and `count` against
  if (!a.place.empty() && a.town) {
    out.town = find_place(places.towns, a.place, a.place_loc, "town", d);
    if (out.town < 0) return;
    out.village = -1;
    members = places.town_role_count[size_t(out.town)][size_t(out.role)];
  } else if (!a.place.empty()) {
    out.village = find_place(places.villages, a.place, a.place_loc, "village", d);
    if (out.village < 0) return;
    out.town = places.town_of_village[size_t(out.village)];
    members = places.role_count[size_t(out.village)][size_t(out.role)];
  }
  const int asked = std::max(a.member, a.count);
  if (members >= 0 && asked > members)
    d.error(a.loc, a.place + " has " + std::to_string(members) + " " + a.role +
                       (a.member ? "; there is no member " : "; cannot make ") + std::to_string(asked) +
                       (a.member ? "" : " absent"));
  out.member = a.member;
  out.count = a.count;
  out.share = a.share;
  out.from_day = a.from_day;
  out.to_day = a.to_day;
  warn_after_horizon(a.loc, "this absence begins", a.from_day, m, d);
  m.absences.push_back(out);
}

void resolve_stock_set(const config::StockSetSpec& st, const Places& places, const rules::Program& prog, Model& m,
                       Diagnostics& d) {
  Model::StockSet out;
  const auto& supplies = prog.supplies();
  auto it = std::find(supplies.begin(), supplies.end(), st.supply);
  if (it == supplies.end()) {
    d.error(st.supply_loc,
            unknown_name("supply", st.supply, supplies, {"; the policy declares: ", "; the policy declares none"}));
    return;
  }
  out.supply = int(it - supplies.begin());
  if (!st.village.empty() && (out.village = find_place(places.villages, st.village, st.village_loc, "village", d)) < 0)
    return;
  out.day = st.day;
  out.level = st.level;
  out.add = st.add;
  warn_after_horizon(st.loc, "this stock change is", st.day, m, d);
  m.stock_sets.push_back(out);
}

// A name of the policy's (a post, a channel): its index, or an error with a "did you mean".
int find_declared(const std::vector<std::string>& names, const std::string& name, const SourceLoc& loc,
                  const char* what, Diagnostics& d) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return int(it - names.begin());
  d.error(loc, unknown_name(what, name, names, {"; the policy declares: ", "; the policy declares none"}));
  return -1;
}

// Posts, channels, events, tasks and tracking templates are each program's own: a village's are
// its town's program's (a per-village override has its own, Model::town_program); -1 (a village
// not found): the scenario's.
const rules::Program& village_program(const Model& m, const Places& places, const rules::Program& prog, int village) {
  return village < 0 ? prog : m.town_program(size_t(places.town_of_village[size_t(village)]));
}

// Whose policy a name was looked up in, for messages: "the policy", or with per-village overrides
// "the policy of VILLAGE".
std::string whose_policy(const Model& m, const Places& places, int village) {
  return m.policies.empty() || village < 0 ? "the policy" : "the policy of " + places.villages[size_t(village)];
}

// " (the policy of A, B declares it)" when, with overrides, other villages' policies have the name.
std::string declared_elsewhere(const Model& m, const Places& places, const rules::Program& prog,
                               const std::function<bool(const rules::Program&)>& has) {
  if (m.policies.empty()) return "";
  std::string where;
  for (size_t v = 0; v < places.villages.size(); ++v)
    if (has(village_program(m, places, prog, int(v)))) where += (where.empty() ? "" : ", ") + places.villages[v];
  return where.empty() ? "" : " (the policy of " + where + " declares it)";
}

// The exercises' kinds (spec/scenario.h): surges, posts opened or closed, orders, overtime.
void resolve_exercise_events(const config::ScheduleSpec& s, const Places& places, const rules::Program& prog, Model& m,
                             Diagnostics& d) {
  for (const auto& x : s.surges) {
    Model::Surge out;
    out.village = find_place(places.villages, x.village, x.village_loc, "village", d);
    out.origin = find_declared(prog.origins(), x.origin, x.origin_loc, "origin", d);
    out.count = x.count;
    out.first_minute = int64_t(x.day) * kMinutesPerDay + x.minute;
    out.over_minutes = std::max(1, x.over_minutes);
    if (out.village >= 0 && out.origin >= 0) m.surges.push_back(out);
  }
  auto program_of = [&](int village) -> const rules::Program& { return village_program(m, places, prog, village); };
  for (const auto& x : s.posts) {
    const int village = find_place(places.villages, x.village, x.village_loc, "village", d);
    std::vector<std::string> posts;
    for (const auto& p : program_of(village).posts()) posts.push_back(p.name);
    Model::PostSet out{x.day, village, find_declared(posts, x.post, x.post_loc, "post", d), x.open};
    if (out.village >= 0 && out.post >= 0) m.post_sets.push_back(out);
  }
  for (const auto& x : s.orders) {
    const int village = find_place(places.villages, x.village, x.village_loc, "village", d);
    Model::Order out{x.day, village, find_declared(prog.supplies(), x.supply, x.supply_loc, "supply", d),
                     find_declared(program_of(village).channels(), x.channel, x.channel_loc, "channel", d), x.amount};
    if (out.village >= 0 && out.supply >= 0 && out.channel >= 0) m.orders.push_back(out);
  }
  for (const auto& x : s.overtime) {
    Model::Overtime out{prog.find_role(x.role), find_place(places.villages, x.village, x.village_loc, "village", d),
                        x.from_day, x.to_day, int(std::lround(x.hours * 60))};
    if (out.role < 0)
      d.error(x.role_loc,
              unknown_name("role", x.role, prog.roles(), {"; the policy declares: ", "; the policy declares:"}));
    if (out.role >= 0 && out.village >= 0) m.overtime.push_back(out);
  }
  auto by_day = [](const auto& a, const auto& b) { return a.day < b.day; };
  std::stable_sort(m.post_sets.begin(), m.post_sets.end(), by_day);
  std::stable_sort(m.orders.begin(), m.orders.end(), by_day);
}

// The exercises' injects and decisions that reach into the epidemic and the rules: fevers in key
// persons, events raised, rule parameters changed in a village.
void resolve_fevers_raises_params(const config::ScenarioSpec& sc, const Places& places, const rules::Program& prog,
                                  Model& m, Diagnostics& d) {
  const auto& s = sc.schedule;
  for (const auto& x : s.fevers) {
    if (!sc.epidemic) {
      d.error(x.loc, "a fever in a key person needs the scenario's 'epidemic' section (infection is not modelled)");
      continue;
    }
    const int32_t v = find_place(places.villages, x.village, x.village_loc, "village", d);
    if (v >= 0) m.fevers.push_back({v, x.key_person, x.day, x.minute});
  }
  // Events, tasks and templates are the village's own policy's (an override may declare its own).
  for (const auto& x : s.raises) {
    const int32_t v = find_place(places.villages, x.village, x.village_loc, "village", d);
    const rules::Program& vp = village_program(m, places, prog, v);
    int event = -1;
    for (size_t k = 0; k < vp.events().size(); ++k)
      if (vp.events()[k].name == x.event) event = int(k);
    if (event >= 0 && vp.events()[size_t(event)].about != rules::Subject::Village) {
      d.error(x.event_loc,
              "event '" + x.event + "' is about a person; only an event about a village can be raised here");
      continue;
    }
    if (event < 0) {
      std::vector<std::string> village_events;
      for (const auto& e : vp.events())
        if (e.about == rules::Subject::Village) village_events.push_back(e.name);
      const std::string who = whose_policy(m, places, v);
      const std::string listed = "; " + who + " declares (about a village): ", none = "; " + who + " declares none";
      std::string msg = unknown_name("event", x.event, village_events, {listed, none});
      msg += declared_elsewhere(m, places, prog, [&](const rules::Program& p) {
        return std::any_of(p.events().begin(), p.events().end(),
                           [&](const auto& e) { return e.name == x.event && e.about == rules::Subject::Village; });
      });
      if (std::any_of(std::begin(rules::kTriggerSyntax), std::end(rules::kTriggerSyntax),
                      [&](const auto& t) { return t.name == x.event; }))
        msg += " ('" + x.event + "' is raised by the simulation itself)";
      d.error(x.event_loc, msg);
      continue;
    }
    if (v >= 0) m.raises.push_back({event, v, x.day, x.minute});
  }
  for (const auto& x : s.params) {
    using W = config::ParamSetSpec::What;
    const int32_t v = find_place(places.villages, x.village, x.village_loc, "village", d);
    const rules::Program& vp = village_program(m, places, prog, v);
    std::vector<std::string> names;  // the village's tracking templates, or its task kinds
    if (x.what == W::TrackingDays)
      for (const auto& t : vp.tracking()) names.push_back(t.id);
    else
      for (const auto& k : vp.task_kinds()) names.push_back(k.name);
    const char* what = x.what == W::TrackingDays ? "tracking template" : "task";
    int index = -1;
    if (auto it = std::find(names.begin(), names.end(), x.name); it != names.end()) {
      index = int(it - names.begin());
    } else {
      const std::string who = whose_policy(m, places, v);
      const std::string listed = "; " + who + " declares: ", none = "; " + who + " declares none";
      d.error(x.name_loc, unknown_name(what, x.name, names, {listed, none}) +
                              declared_elsewhere(m, places, prog, [&](const rules::Program& p) {
                                if (x.what == W::TrackingDays)
                                  return std::any_of(p.tracking().begin(), p.tracking().end(),
                                                     [&](const auto& t) { return t.id == x.name; });
                                return std::any_of(p.task_kinds().begin(), p.task_kinds().end(),
                                                   [&](const auto& k) { return k.name == x.name; });
                              }));
    }
    if (index >= 0 && x.what == W::EveryDays && vp.task_kinds()[size_t(index)].repeat.every_days <= 0)
      d.error(x.name_loc, "task '" + x.name + "' is not repeated (its rule gives no 'repeat: {every_days: N}')");
    else if (index >= 0 && v >= 0)
      m.param_sets.push_back({x.what, index, v, x.day, x.value});
  }
  auto by_day = [](const auto& a, const auto& b) { return a.day < b.day; };
  std::stable_sort(m.fevers.begin(), m.fevers.end(), by_day);
  std::stable_sort(m.raises.begin(), m.raises.end(), by_day);
  std::stable_sort(m.param_sets.begin(), m.param_sets.end(), by_day);
}

}  // namespace

void resolve_schedule(const config::ScenarioSpec& scenario, const rules::Program& prog, Model& m, Diagnostics& d) {
  m.horizon_days = scenario.horizon_days;
  m.arrival_waves.clear();
  m.wave_cumulative.clear();
  double acc = 0;
  for (const auto& w : scenario.arrivals.waves) {
    m.arrival_waves.push_back({w.first_day, w.peak_day, w.last_day});
    m.wave_cumulative.push_back(acc += w.share);
  }
  if (!m.wave_cumulative.empty()) m.wave_cumulative.back() = 1.0;
  const Places places = places_of(scenario, prog);
  for (const auto& a : scenario.schedule.absences) resolve_absence(a, places, prog, m, d);
  for (const auto& st : scenario.schedule.stocks) resolve_stock_set(st, places, prog, m, d);
  resolve_exercise_events(scenario.schedule, places, prog, m, d);
  resolve_fevers_raises_params(scenario, places, prog, m, d);
  std::stable_sort(m.stock_sets.begin(), m.stock_sets.end(),
                   [](const Model::StockSet& a, const Model::StockSet& b) { return a.day < b.day; });
}

}  // namespace vg::sim
