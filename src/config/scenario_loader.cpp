#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "config/policy_overrides.h"
#include "config/reader.h"
#include "config/scenario_loader.h"
#include "config/scenario_sections.h"
#include "core/random.h"

namespace vg::config {

namespace {

using detail::read_amounts;
using detail::read_epidemic;
using detail::read_finding;

namespace fs = std::filesystem;

// Names appear unquoted in CSV outputs: refuse the characters that would break a row.
std::optional<std::string> read_place_name(const YamlNode& n, Diagnostics& d, std::string_view what) {
  auto s = read_string(n, d, what);
  if (!s) return s;
  if (s->empty() || s->size() > 100 || s->find_first_of(",\"\n\r") != std::string::npos) {
    d.error(n.loc, std::string(what) +
                       " must be 1 to 100 characters without commas, quotes or line breaks "
                       "(names appear in CSV outputs)");
    return std::nullopt;
  }
  return s;
}

// A day given either as a whole number of days after the start date or as a date.
std::optional<int> read_day(const YamlNode& n, Diagnostics& d, std::string_view what, const Date& start) {
  if (n.is_scalar() && n.scalar.size() == 10 && n.scalar[4] == '-') {
    auto dt = read_date(n, d, what);
    if (!dt) return std::nullopt;
    if (start.year == 0) return std::nullopt;  // no valid start date: its own error says so, not one per date
    int64_t day = dt->days_since_epoch() - start.days_since_epoch();
    if (day < 0) {
      d.error(n.loc, std::string(what) + " " + dt->str() + " is before the start date " + start.str() +
                         "; the scenario's days count from it");
      return std::nullopt;
    }
    if (day > ScenarioLimits::max_horizon_days) {
      d.error(n.loc, std::string(what) + " " + dt->str() + " is " + std::to_string(day) +
                         " days after the start date " + start.str() + "; at most " +
                         std::to_string(ScenarioLimits::max_horizon_days));
      return std::nullopt;
    }
    return static_cast<int>(day);
  }
  // Neither a date nor a whole number ("2021/02/21", "Feb 21"): say that both are taken.
  if (n.is_scalar() && !n.scalar.empty() && n.scalar.find_first_not_of("0123456789-+") != std::string::npos &&
      n.scalar.find_first_not_of("0123456789.eE-+") != std::string::npos) {
    d.error(n.loc, "expected a day number (0 is the start date) or a date YYYY-MM-DD for " + std::string(what) +
                       ", found '" + n.scalar + "'");
    return std::nullopt;
  }
  auto v = read_int(n, d, what, 0, ScenarioLimits::max_horizon_days);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

// A place name read through m: see read_place_name.
std::optional<std::string> place_name(MapReader& m, Key key, std::string_view what) {
  return m.value(key, [&](const YamlNode& n) { return read_place_name(n, m.diags(), what); });
}

// The options a roster entry and a generated village's staff rate share: hours, overtime, shift,
// limits, seconded. `available_from` (which needs the start date) is read between the shift and
// the limits, so that errors come in the file's usual key order. Returns the overtime node, if any.
const YamlNode* read_roster_options(MapReader& m, RosterSpec& r, const Date* start) {
  if (auto v = m.number("hours_per_day", 0.25, 16)) r.hours_per_day = *v;
  if (auto v = m.number("overtime_hours_per_day", 0, 8)) r.overtime_hours_per_day = *v;
  if (auto v = m.clock("shift_start")) r.shift_start_min = *v;
  if (start) {
    auto day = [&](const YamlNode& n) { return read_day(n, m.diags(), "available_from", *start); };
    if (auto v = m.value("available_from", day)) r.available_from_day = *v;
  }
  if (auto v = m.integer("max_teams", 1, 1000)) r.max_teams = int(*v);
  if (auto v = m.integer("max_tasks_per_day", 1, 10000)) r.max_tasks_per_day = int(*v);
  if (auto v = m.boolean("seconded")) r.seconded = *v;
  return m.node().find("overtime_hours_per_day");
}

// One roster entry: `count` people of a role with the same hours and shift.
std::optional<RosterSpec> read_roster_entry(const std::string& role, const YamlNode& key, const YamlNode& value,
                                            Diagnostics& d, const std::string& what, const Date& start) {
  RosterSpec r;
  r.role = role;
  r.loc = key.loc;
  if (value.is_scalar()) {  // `village_doctor: 3` is short for a count with default hours
    auto c = read_int(value, d, "count of " + what, 0, ScenarioLimits::max_staff_per_role);
    if (!c) return std::nullopt;
    r.count = int(*c);
    return r;
  }
  MapReader m(value, d, what);
  if (!m.ok()) return std::nullopt;
  if (auto v = m.integer(required("count"), 0, ScenarioLimits::max_staff_per_role)) r.count = int(*v);
  if (auto v = m.integer("max_count", 1, ScenarioLimits::max_staff_per_role)) r.max_count = int(*v);
  const YamlNode* overtime = read_roster_options(m, r, &start);
  m.finish();
  if (r.shift_start_min + r.hours_per_day * 60 > 24 * 60 + 1e-9)
    d.error((value.find("shift_start") ? value.find("shift_start") : value.find("hours_per_day"))->loc,
            "shift of " + what + " runs past midnight: a shift starting at " + std::to_string(r.shift_start_min / 60) +
                ":" + (r.shift_start_min % 60 < 10 ? "0" : "") + std::to_string(r.shift_start_min % 60) +
                " can last at most " + std::to_string((24 * 60 - r.shift_start_min) / 60.0).substr(0, 4) + " hours");
  else if (overtime && r.shift_start_min + (r.hours_per_day + r.overtime_hours_per_day) * 60 > 24 * 60 + 1e-9)
    d.error(overtime->loc, "overtime of " + what + " runs past midnight: shift and overtime must end by 24:00");
  return r;
}

// `staff:` maps each role to a count, an entry, or a list of entries (groups of the same role on
// different shifts: day and night, early and late).
std::vector<RosterSpec> read_staff(const YamlNode& n, Diagnostics& d, const std::string& where, const Date& start) {
  std::vector<RosterSpec> out;
  MapReader staff(n, d, "staff of " + where);
  if (!staff.ok()) return out;
  for (const auto& [key, value] : n.entries) {
    staff.get(key.scalar);  // every role name is accepted here; roles are checked against the policy later
    auto role = read_identifier(key, d, "a role name");
    if (!role) continue;
    const std::string what = "role '" + *role + "' in staff of " + where;
    if (value.is_seq()) {
      if (value.items.empty()) d.error(value.loc, "empty list of roster entries for " + what);
      const auto scalar = std::find_if(value.items.begin(), value.items.end(), [](auto& i) { return i.is_scalar(); });
      if (scalar != value.items.end())  // `[6, 8]` read as groups of 6 and 8 people: never what is meant
        d.error(scalar->loc, "a list under a role is of roster entries, one mapping per group of " + what +
                                 " ({count: N, hours_per_day: H, shift_start: HH:MM}), found '" + scalar->scalar +
                                 "'; for 6 people of 8 hours write `" + *role + ": {count: 6, hours_per_day: 8}`");
      for (const auto& item : value.items)
        if (auto r = item.is_scalar() ? std::nullopt : read_roster_entry(*role, key, item, d, what, start))
          out.push_back(*r);
    } else if (auto r = read_roster_entry(*role, key, value, d, what, start)) {
      out.push_back(*r);
    }
    detail::check_max_count(out, *role, value, what, d);
  }
  return out;
}

VillageSpec read_village(const YamlNode& n, Diagnostics& d, const Date& start) {
  VillageSpec v;
  v.loc = n.loc;
  MapReader m(n, d, "village");
  if (!m.ok()) return v;
  constexpr int kMaxResidents = ScenarioLimits::max_residents_per_village;
  if (auto s = place_name(m, required("name"), "village name")) v.name = *s;
  const std::string where = "village '" + v.name + "'";
  if (auto i = m.integer(required("residents"), 1, kMaxResidents, "residents of " + where)) v.residents = int(*i);
  if (auto f = m.number(required("mean_household_size"), 1, 20, "mean_household_size of " + where))
    v.mean_household_size = *f;
  if (auto i = m.integer("villager_groups", 1, 10'000, "villager_groups of " + where)) v.villager_groups = int(*i);
  const size_t errors_before_party = d.error_count();
  if (auto i = m.integer("party_members", 0, kMaxResidents, "party_members of " + where)) v.party_members = int(*i);
  const bool party_read = d.error_count() == errors_before_party;  // else 0 would be a made-up count
  if (auto i = m.integer(required("returnees"), 0, kMaxResidents, "returnees of " + where)) v.returnees = int(*i);
  if (auto* x = m.get("staff")) v.staff = read_staff(*x, d, where, start);
  m.finish();
  if (v.residents > 0 && v.returnees > v.residents)  // both read: the returnees key is there
    d.error(n.find("returnees")->loc, where + " has " + std::to_string(v.returnees) + " returnees but only " +
                                          std::to_string(v.residents) +
                                          " residents; returnees are counted among the residents");
  if (v.residents > 0 && v.party_members > v.residents)
    d.error(n.loc, where + " has more party members than residents");
  if (v.residents > 0 && v.mean_household_size > 0 && v.villager_groups > v.residents / v.mean_household_size)
    d.error(n.loc, where + " has more villager groups (" + std::to_string(v.villager_groups) +
                       ") than households (about " + std::to_string(int(v.residents / v.mean_household_size)) + ")");
  int party_member_staff = 0;
  SourceLoc party_loc;
  for (const auto& r : v.staff)
    if (r.role == "party_member") {
      party_member_staff += r.count;
      party_loc = r.loc;
    }
  if (party_member_staff > v.party_members && v.residents > 0 && party_read)
    d.error(party_loc, where + " lists " + std::to_string(party_member_staff) + " party_member staff but has only " +
                           std::to_string(v.party_members) + " party members");
  // Staff who are not seconded live in the village: more of them than its residents is an error;
  // more than its residents who are not returnees leaves the rest unlinked to a person (they were
  // home, so they cannot be returnees), who cannot fall ill: a warning (docs/scenarios.md).
  int64_t resident_staff = 0;
  SourceLoc last_resident;
  for (const auto& r : v.staff)
    if (!r.seconded) {
      resident_staff += r.count;
      last_resident = r.loc;
    }
  if (v.residents > 0 && resident_staff > v.residents)
    d.error(last_resident, where + " lists " + std::to_string(resident_staff) +
                               " staff living in the village (not seconded) but has only " +
                               std::to_string(v.residents) + " residents; each of them is one of its residents");
  else if (v.residents > 0 && v.returnees <= v.residents && resident_staff > v.residents - v.returnees)
    d.warning(last_resident, where + " lists " + std::to_string(resident_staff) +
                                 " staff living in the village (not seconded) but has only " +
                                 std::to_string(v.residents - v.returnees) +
                                 " residents who are not returnees: the others are linked to no resident and cannot "
                                 "fall ill");
  return v;
}

TownSpec read_town(const YamlNode& n, Diagnostics& d, const Date& start) {
  TownSpec t;
  t.loc = n.loc;
  MapReader m(n, d, "town");
  if (!m.ok()) return t;
  if (auto s = place_name(m, required("name"), "town name")) t.name = *s;
  if (auto s = m.string("county")) t.county = *s;
  if (auto* x = m.get("staff")) t.staff = read_staff(*x, d, "town '" + t.name + "'", start);
  if (auto* x = m.require("villages")) {
    if (expect_list(*x, d, "villages of town '" + t.name + "'")) {
      if (x->items.empty()) d.error(x->loc, "town '" + t.name + "' has no villages");
      for (const auto& vn : x->items) t.villages.push_back(read_village(vn, d, start));
    }
  }
  m.finish();
  return t;
}

// What `generate:` says, read and checked before any village is made.
struct RegionTemplate {
  struct County {
    std::string name;
    int towns = 0, villages_per_town = 0;
  };
  struct Rate {  // a role's staff per 1,000 residents of a generated village
    double per_1000 = 0;
    int min = 0;
    RosterSpec base;
  };
  std::vector<County> counties;
  double median = 0, spread = 0, min_res = 1, max_res = 1;
  double household = 0, groups_per_1000 = 0, party_per_1000 = 0, returnee_share = 0;
  std::vector<Rate> village_staff;
  std::vector<RosterSpec> town_staff;
};

void read_counties(const YamlNode& x, Diagnostics& d, RegionTemplate& g) {
  for_each_map(x, d, "counties", "county", [&](MapReader& cm, const YamlNode&) {
    RegionTemplate::County& k = g.counties.emplace_back();
    if (auto v = place_name(cm, required("name"), "county name")) k.name = *v;
    if (auto v = cm.integer(required("towns"), 1, 1000)) k.towns = int(*v);
    if (auto v = cm.integer(required("villages_per_town"), 1, 1000)) k.villages_per_town = int(*v);
  });
}

void read_village_sizes(const YamlNode& x, Diagnostics& d, RegionTemplate& g) {
  MapReader rm(x, d, "residents");
  if (!rm.ok()) return;
  if (auto v = rm.number(required("median"), 10, 1e6, "median residents")) g.median = *v;
  if (auto v = rm.number(required("spread"), 0, 3, "spread (sd of log residents)")) g.spread = *v;
  auto min = rm.number(required("min"), 10, 1e6, "min residents");
  auto max = rm.number(required("max"), 10, 1e6, "max residents");
  if (min) g.min_res = *min;
  if (max) g.max_res = *max;
  rm.finish();
  // Only when both were read: a max refused for its range is not also "below min".
  if (min && max && *max < *min) d.error(x.loc, "residents: max is below min");
}

// The village template's staff: per role, a rate per 1,000 residents and the roster options.
void read_staff_rates(const YamlNode& y, Diagnostics& d, RegionTemplate& g) {
  MapReader sm(y, d, "village template staff");
  if (!sm.ok()) return;
  for (const auto& [key, value] : y.entries) {
    sm.get(key.scalar);
    RegionTemplate::Rate rate;
    auto role = read_identifier(key, d, "a role name");
    if (!role) continue;
    MapReader rr(value, d, "role '" + *role + "' in the village template");
    if (!rr.ok()) continue;
    if (auto v = rr.number(required("per_1000"), 0, 1000)) rate.per_1000 = *v;
    if (auto v = rr.integer("min", 0, 10000)) rate.min = int(*v);
    rate.base.role = *role;
    rate.base.loc = key.loc;
    read_roster_options(rr, rate.base, nullptr);  // a generated village's staff start on day 0
    rr.finish();
    g.village_staff.push_back(rate);
  }
}

void read_village_template(const YamlNode& x, Diagnostics& d, RegionTemplate& g) {
  MapReader vm(x, d, "village template");
  if (!vm.ok()) return;
  if (auto v = vm.number(required("mean_household_size"), 1, 20)) g.household = *v;
  if (auto v = vm.number(required("villager_groups_per_1000"), 0.01, 100)) g.groups_per_1000 = *v;
  if (auto v = vm.number(required("party_members_per_1000"), 0, 500)) g.party_per_1000 = *v;
  if (auto v = vm.number(required("returnee_share"), 0, 1)) g.returnee_share = *v;
  if (auto* y = vm.get("staff")) read_staff_rates(*y, d, g);
  vm.finish();
}

// One generated village: its size drawn from the scenario seed and its index, the rest by the rates.
VillageSpec generate_village(const RegionTemplate& g, const std::string& name, SourceLoc loc, uint64_t seed,
                             uint32_t village_index, bool& party_capped) {
  RandomStream rng(StreamKey{seed, 0, village_index, 0, Purpose::Population});
  const double size = std::clamp(g.median * std::exp(g.spread * rng.normal()), g.min_res, g.max_res);
  VillageSpec vs;
  vs.name = name;
  vs.loc = std::move(loc);
  vs.residents = int(std::lround(size));
  vs.mean_household_size = g.household;
  const int households = std::max(1, int(vs.residents / g.household));
  vs.villager_groups = std::clamp(int(std::lround(vs.residents * g.groups_per_1000 / 1000.0)), 1, households);
  vs.party_members = int(std::lround(vs.residents * g.party_per_1000 / 1000.0));
  vs.returnees = int(std::lround(vs.residents * g.returnee_share));
  for (const auto& rate : g.village_staff) {
    RosterSpec r = rate.base;
    r.count = std::max(rate.min, int(std::lround(vs.residents * rate.per_1000 / 1000.0)));
    if (r.role == "party_member" && r.count > vs.party_members) {  // its `min` above a small village's members
      r.count = vs.party_members;
      party_capped = true;
    }
    vs.staff.push_back(r);
  }
  return vs;
}

// A region described compactly (a prefecture's ~1,900 villages are not listed one by one): per
// county, how many towns and villages per town, and village sizes drawn from a lognormal around a
// median, clamped; each village's numbers and staff follow from its size by the given rates.
// Deterministic in the scenario seed (docs/scenarios.md).
void generate_region(const YamlNode& n, Diagnostics& d, ScenarioSpec& s) {
  MapReader m(n, d, "'generate'");
  if (!m.ok()) return;
  RegionTemplate g;
  if (auto* x = m.require("counties")) read_counties(*x, d, g);
  if (auto* x = m.require("residents")) read_village_sizes(*x, d, g);
  if (auto* x = m.require("village")) read_village_template(*x, d, g);
  if (auto* x = m.get("town_staff")) g.town_staff = read_staff(*x, d, "every generated town", s.start_date);
  m.finish();
  if (d.has_errors()) return;

  size_t total = 0;
  for (const auto& c : g.counties) total += size_t(c.towns) * size_t(c.villages_per_town);
  if (total > size_t(ScenarioLimits::max_villages)) {
    d.error(n.loc, "the description generates " + std::to_string(total) + " villages; the limit is " +
                       std::to_string(ScenarioLimits::max_villages));
    return;
  }
  // A village's party_member staff may not outnumber its party members (an error for a listed
  // village): a rate above the villages' own is an error; a `min` above a small village's members
  // is cut to them there, and said.
  for (const auto& rate : g.village_staff)
    if (rate.base.role == "party_member" && rate.per_1000 > g.party_per_1000) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "party_member staff per_1000 %g is more than party_members_per_1000 %g",
                    rate.per_1000, g.party_per_1000);
      d.error(rate.base.loc, std::string(buf) +
                                 ": every generated village would have more party_member staff than party members "
                                 "(a village's party_member staff may not outnumber its party_members)");
      return;
    }
  uint32_t village_index = 0, capped = 0;
  for (const auto& c : g.counties)
    for (int t = 0; t < c.towns; ++t) {
      TownSpec town;
      town.name = c.name + "-T" + std::to_string(t + 1);
      town.county = c.name;
      town.loc = n.loc;
      town.staff = g.town_staff;
      for (int v = 0; v < c.villages_per_town; ++v, ++village_index) {
        bool party_capped = false;
        town.villages.push_back(
            generate_village(g, town.name + "-V" + std::to_string(v + 1), n.loc, s.seed, village_index, party_capped));
        capped += party_capped;
      }
      s.towns.push_back(std::move(town));
    }
  if (capped > 0)
    for (const auto& rate : g.village_staff)
      if (rate.base.role == "party_member")
        d.warning(rate.base.loc, "in " + std::to_string(capped) + " of " + std::to_string(village_index) +
                                     " generated villages party_member staff (min " + std::to_string(rate.min) +
                                     ") would outnumber the village's party members: there it is cut to them");
}

// The sections of a scenario file: each reads the section's mapping through m (read_section).
void read_header(MapReader& m, const YamlNode&, ScenarioSpec& s) {
  if (auto v = m.identifier(required("name"), "scenario name")) s.name = *v;
  if (auto v = m.string("title")) s.title = *v;
  if (auto v = m.date(required("start_date"))) s.start_date = *v;
  if (auto v = m.integer(required("horizon_days"), 1, ScenarioLimits::max_horizon_days)) s.horizon_days = int(*v);
  if (auto v = m.integer(required("seed"), 0, INT64_MAX)) s.seed = uint64_t(*v);
  if (auto v = m.integer("replicates", 1, ScenarioLimits::max_replicates)) s.replicates = int(*v);
}

void read_policy(MapReader& m, const YamlNode& n, ScenarioSpec& s) {
  Diagnostics& d = m.diags();
  if (auto* r = m.require("rules")) {
    if (expect_list(*r, d, "policy rules")) {
      if (r->items.empty()) d.error(r->loc, "policy lists no rule files");
      read_rule_files(*r, s.path, s.rule_files, s.rule_file_locs, d);
    }
  }
  if (auto v = m.string("grid", "grid file")) {
    s.grid_file = resolve_path(s.path, *v);
    s.grid_file_loc = n.find("grid")->loc;
  }
  if (auto* o = m.get("overrides")) read_policy_overrides(*o, s, d);
}

void read_region(MapReader& m, const YamlNode& r, ScenarioSpec& s) {
  Diagnostics& d = m.diags();
  const YamlNode* towns = m.get("towns");
  const YamlNode* gen = m.get("generate");
  if (towns && gen) d.error(gen->loc, "a region is either listed (towns) or generated (generate), not both");
  if (!towns && !gen) d.error(r.loc, "missing required key 'towns' (or 'generate') in 'region'");
  if (towns && expect_list(*towns, d, "towns")) {
    if (towns->items.empty()) d.error(towns->loc, "region has no towns");
    for (const auto& tn : towns->items) s.towns.push_back(read_town(tn, d, s.start_date));
    // Schedules, exercises and every output name a place: two of one name could not be told apart.
    std::map<std::string, SourceLoc> town_at, village_at;
    auto once = [&](std::map<std::string, SourceLoc>& seen, const YamlNode& place, const char* what) {
      const YamlNode* name = place.is_map() ? place.find("name") : nullptr;
      if (!name || !name->is_scalar()) return;
      if (auto [it, fresh] = seen.try_emplace(name->scalar, name->loc); !fresh)
        d.error(name->loc, std::string(what) + " '" + name->scalar + "' is listed twice (first at " + it->second.str() +
                               "); each " + what +
                               " needs a name of its own, since schedules, exercises and outputs "
                               "name it");
    };
    for (const auto& tn : towns->items) {
      once(town_at, tn, "town");
      if (const YamlNode* vs = tn.is_map() ? tn.find("villages") : nullptr; vs && vs->is_seq())
        for (const auto& vn : vs->items) once(village_at, vn, "village");
    }
  }
  if (gen) generate_region(*gen, d, s);
}

// One wave's first, peak and last day (relative to the start date).
void read_wave(MapReader& am, ArrivalWave& w) {
  if (auto f = am.number(required("first"), -365, 3650, "first arrival day")) w.first_day = *f;
  if (auto f = am.number(required("peak"), -365, 3650, "peak arrival day")) w.peak_day = *f;
  if (auto f = am.number(required("last"), -365, 3650, "last arrival day")) w.last_day = *f;
}

void check_wave(const ArrivalWave& w, const SourceLoc& loc, const std::string& what, Diagnostics& d) {
  if (!(w.first_day <= w.peak_day && w.peak_day <= w.last_day && w.first_day < w.last_day))
    d.error(loc, what + " must satisfy first <= peak <= last and first < last");
}

// A sum of shares as written (0.9, 1.01), not to six places.
std::string share_sum(double total) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", total);
  return buf;
}

void read_returnees(MapReader& m, const YamlNode&, ScenarioSpec& s) {
  Diagnostics& d = m.diags();
  if (auto* mix = m.require("origin_mix")) {
    const size_t errors_before = d.error_count();
    s.origin_mix = read_amounts(*mix, d, "origin_mix", "an origin name", "share of origin", 1);
    double total = 0;
    for (const auto& o : s.origin_mix) total += o.share;
    // A share that could not be read is left out of the total: its sum would be wrong, so none.
    if (mix->is_map() && s.origin_mix.empty() && d.error_count() == errors_before)
      d.error(mix->loc, "origin_mix lists no origins");
    else if (mix->is_map() && d.error_count() == errors_before && std::fabs(total - 1.0) > 1e-6)
      d.error(mix->loc, "origin_mix shares add up to " + share_sum(total) + "; expected 1");
  }
  const YamlNode* days = m.get("arrival_days");
  const YamlNode* waves = m.get("arrival_waves");
  if (days && waves)
    d.error(waves->loc, "give arrival_days (one wave) or arrival_waves (several), not both");
  else if (!days && !waves && !misspelt(m.node(), {"arrival_days", "arrival_waves"}, "origin_mix"))
    m.require("arrival_days");  // the usual message; docs/scenarios.md tells of arrival_waves
  if (days && !waves) {
    s.arrivals.loc = days->loc;
    MapReader am(*days, d, "arrival_days");
    if (am.ok()) {
      ArrivalWave& w = s.arrivals.waves.emplace_back();
      read_wave(am, w);
      am.finish();
      check_wave(w, days->loc, "arrival_days", d);
    }
  }
  if (waves && !days) {
    s.arrivals.loc = waves->loc;
    const size_t errors_before = d.error_count();
    for_each_map(*waves, d, "arrival_waves", "arrival wave", [&](MapReader& wm, const YamlNode& item) {
      ArrivalWave& w = s.arrivals.waves.emplace_back();
      w.loc = item.loc;
      if (auto v = wm.identifier(required("name"), "wave name")) w.name = *v;
      if (auto v = wm.number(required("share"), 0, 1, "share of the returnees")) w.share = *v;
      read_wave(wm, w);
      check_wave(w, item.loc, "arrival wave '" + w.name + "'", d);
    });
    double total = 0;
    for (const auto& w : s.arrivals.waves) total += w.share;
    if (!s.arrivals.waves.empty() && d.error_count() == errors_before && std::fabs(total - 1.0) > 1e-6)
      d.error(waves->loc, "arrival_waves' shares add up to " + share_sum(total) + "; expected 1");
    if (waves->is_seq() && waves->items.empty()) d.error(waves->loc, "arrival_waves lists no waves");
  }
}

// A name (a role, a supply) that is checked later, against the policy: the name and where it is.
void read_name_at(MapReader& m, Key key, std::string& name, SourceLoc& loc) {
  if (const YamlNode* n = m.lookup(key)) {
    loc = n->loc;
    if (auto v = read_identifier(*n, m.diags(), key.name)) name = *v;
  }
}

// `schedule: absences:` - staff of a role absent over days, whatever the rules do.
void read_absences(const YamlNode& x, Diagnostics& d, ScenarioSpec& s) {
  for_each_map(x, d, "schedule absences", "absence", [&](MapReader& am, const YamlNode& item) {
    AbsenceSpec& a = s.schedule.absences.emplace_back();
    a.loc = item.loc;
    read_name_at(am, required("role"), a.role, a.role_loc);
    const YamlNode* village = am.get("village");
    const YamlNode* town = am.get("town");
    if (village && town) d.error(town->loc, "an absence is in a village or a town, not both");
    if (const YamlNode* place = village ? village : town) {
      a.place_loc = place->loc;
      a.town = place == town;
      if (auto v = read_place_name(*place, d, a.town ? "town" : "village")) a.place = *v;
    }
    const YamlNode* member = am.get("member");
    const YamlNode* count = am.get("count");
    const YamlNode* share = am.get("share");
    if (int(member != nullptr) + int(count != nullptr) + int(share != nullptr) != 1)
      d.error(item.loc, "an absence names one of: member (which one, from 1), count or share of the role's members");
    if (member)
      if (auto v = read_int(*member, d, "member", 1, ScenarioLimits::max_staff_per_role)) a.member = int(*v);
    if (count)
      if (auto v = read_int(*count, d, "count", 1, ScenarioLimits::max_staff_per_role)) a.count = int(*v);
    if (share)
      if (auto v = read_number(*share, d, "share", 0, 1)) a.share = *v;
    auto day = [&](const char* what) {
      return [&, what](const YamlNode& n) { return read_day(n, d, what, s.start_date); };
    };
    if (auto v = am.value(required("from"), day("from"))) a.from_day = *v;
    if (auto v = am.value(required("to"), day("to"))) a.to_day = *v;
    if (a.to_day < a.from_day) d.error(item.loc, "an absence ends (to) before it begins (from)");
  });
}

// `schedule: stocks:` - a village's stock of a supply set to a level (`level`), or added to (`add`:
// a delivery), at 00:00 of a day.
void read_stock_sets(const YamlNode& x, Diagnostics& d, ScenarioSpec& s) {
  for_each_map(x, d, "schedule stocks", "stock change", [&](MapReader& sm, const YamlNode& item) {
    StockSetSpec& st = s.schedule.stocks.emplace_back();
    st.loc = item.loc;
    read_name_at(sm, required("supply"), st.supply, st.supply_loc);
    if (const YamlNode* n = sm.get("village")) {
      st.village_loc = n->loc;
      if (auto v = read_place_name(*n, d, "village")) st.village = *v;
    }
    if (auto v = sm.value(required("day"), [&](const YamlNode& n) { return read_day(n, d, "day", s.start_date); }))
      st.day = *v;
    const YamlNode* add = sm.get("add");
    if (add && sm.node().find("level")) {
      sm.get("level");
      d.error(add->loc, "give level (the stock set to it, which may lower it) or add (a delivery), not both");
    } else if (add) {
      st.add = true;
      if (auto v = sm.integer("add", 1, 1'000'000'000, "stock delivered")) st.level = *v;
    } else if (auto v = sm.integer(required("level"), 0, 1'000'000'000, "stock level")) {
      st.level = *v;
    }
  });
}

void read_schedule(MapReader& m, const YamlNode&, ScenarioSpec& s) {
  if (auto* x = m.get("absences")) read_absences(*x, m.diags(), s);
  if (auto* x = m.get("stocks")) read_stock_sets(*x, m.diags(), s);
}

// `funds:` sources shared among the villages by an allocation rule.
void read_funds(const YamlNode& x, Diagnostics& d, SuppliesSpec& sp) {
  MapReader fm(x, d, "funds");
  if (!fm.ok()) return;
  if (auto* y = fm.require("sources")) {
    if (y->is_seq() && y->items.empty()) d.error(y->loc, "funds need at least one source");
    for_each_map(*y, d, "fund sources", "fund source", [&](MapReader& sm, const YamlNode& item) {
      SuppliesSpec::FundSource& fs = sp.fund_sources.emplace_back();
      fs.loc = item.loc;
      if (auto v = sm.identifier(required("name"), "fund source name")) fs.name = *v;
      if (auto v = sm.integer(required("amount"), 0, 1'000'000'000'000, "amount (whole yuan)")) fs.amount = *v;
      static constexpr std::string_view kLevels[] = {"prefecture"};
      if (auto c = sm.choice(required("level"), kLevels, "fund level")) fs.level = std::string(kLevels[*c]);
    });
  }
  static constexpr std::string_view kAllocate[] = {"equal", "per_resident", "per_returnee"};
  if (auto c = fm.choice(required("allocate"), kAllocate, "allocation rule")) sp.allocate = SuppliesSpec::Allocate(*c);
  fm.finish();
}

void read_channels(const YamlNode& x, Diagnostics& d, SuppliesSpec& sp) {
  for_each_map(x, d, "channels", "channel", [&](MapReader& cm, const YamlNode& item) {
    SuppliesSpec::Channel& c = sp.channels.emplace_back();
    c.loc = item.loc;
    if (auto v = cm.identifier(required("name"), "channel name")) c.name = *v;
    if (auto v = cm.integer(required("lead_days"), 0, 365)) c.lead_days = int(*v);
    if (auto v = cm.integer("max_per_request", 1, 1'000'000'000)) c.max_per_request = *v;
    if (auto* y = cm.require("unit_cost"))
      c.unit_cost = read_amounts(*y, d, "unit cost", "a supply", "unit cost of", 1e6);
  });
}

void read_supplies(MapReader& m, const YamlNode& e, ScenarioSpec& s) {
  Diagnostics& d = m.diags();
  SuppliesSpec& sp = s.supplies.emplace();
  sp.loc = e.loc;
  if (auto v = m.number("funds_per_village", 0, 1e9)) sp.funds_per_village = *v;
  if (auto* x = m.get("funds")) {
    sp.has_funds = true;
    if (auto* y = e.find("funds_per_village"))
      d.error(y->loc, "give either funds_per_village or funds (sources shared among the villages), not both");
    read_funds(*x, d, sp);
  }
  if (auto* x = m.get("stocks")) {
    sp.stocks_loc = x->loc;
    sp.stocks = read_amounts(*x, d, "stock", "a supply", "stock of", 1e9);
  }
  if (auto* x = m.get("channels")) read_channels(*x, d, sp);
}

// A section of the scenario file: read(reader, node, s) when it is there and a mapping (a missing
// required one, or one that is not a mapping, is reported); then the check for unknown keys.
void read_section(MapReader& top, Key key, void (*read)(MapReader&, const YamlNode&, ScenarioSpec&), ScenarioSpec& s) {
  const YamlNode* n = top.lookup(key);
  if (!n) return;
  MapReader m(*n, top.diags(), "'" + std::string(key.name) + "'");
  if (!m.ok()) return;
  read(m, *n, s);
  m.finish();
}

// A grid, policy or exercise file given where a scenario goes (a newcomer's usual mistake): one
// error saying what the file is and where it belongs, instead of every key of a scenario missing.
bool not_a_scenario(const YamlNode& root, Diagnostics& d) {
  if (!root.is_map() || (root.find("scenario") && !root.find("exercise"))) return false;
  struct Kind {
    const char* key;
    const char* what;
  };
  static constexpr const char* kPolicy =
      "a policy file, not a scenario: a scenario lists it under policy.rules (docs/rules.md)";
  static constexpr Kind kKinds[] = {
      {"grid", "a grid file, not a scenario: a scenario names it under policy.grid (docs/grids.md)"},
      {"rules", kPolicy},
      {"vocabulary", kPolicy},
      {"exercise",
       "an exercise file, not a scenario: start it with 'villagegrid exercise start FILE' (docs/exercises.md)"},
  };
  for (const YamlEntry& e : root.entries)
    for (const Kind& k : kKinds)
      if (e.first.scalar == k.key) {
        d.error(e.first.loc, std::string("this is ") + k.what +
                                 "; a scenario file starts with a 'scenario:' section (docs/scenarios.md)");
        return true;
      }
  return false;
}

}  // namespace

std::optional<ScenarioSpec> read_scenario(const YamlNode& root, const std::string& path, Diagnostics& d) {
  const size_t errors_before = d.error_count();
  ScenarioSpec s;
  s.path = path;
  s.loc = root.loc;
  if (not_a_scenario(root, d)) return std::nullopt;
  MapReader top(root, d, "scenario file");
  if (!top.ok()) return std::nullopt;
  read_section(top, required("scenario"), read_header, s);
  read_section(top, required("policy"), read_policy, s);
  read_section(top, required("region"), read_region, s);
  read_section(top, required("returnees"), read_returnees, s);
  read_section(top, "supplies", read_supplies, s);  // not a mapping: an error, so s is not returned
  read_section(top, "epidemic", read_epidemic, s);
  read_section(top, "schedule", read_schedule, s);
  read_section(top, "finding", read_finding, s);
  top.finish();
  check_policy_overrides(s, d);
  if (d.error_count() > errors_before) return std::nullopt;
  return s;
}

std::optional<ScenarioSpec> load_scenario(const std::string& path, Diagnostics& d) {
  auto root = load_yaml_file(path, d);
  if (!root) return std::nullopt;
  return read_scenario(*root, path, d);
}

}  // namespace vg::config
