#include <algorithm>
#include <cmath>
#include <filesystem>

#include "config/reader.h"
#include "config/scenario_loader.h"
#include "core/random.h"

namespace vg::config {

namespace {

namespace fs = std::filesystem;

// Names appear unquoted in CSV outputs: refuse the characters that would break a row.
std::optional<std::string> read_place_name(const YamlNode& n, Diagnostics& d, std::string_view what) {
  auto s = read_string(n, d, what);
  if (!s) return s;
  if (s->empty() || s->size() > 100 || s->find_first_of(",\"\n\r") != std::string::npos) {
    d.error(n.loc, std::string(what) + " must be 1 to 100 characters without commas, quotes or line breaks "
                   "(names appear in CSV outputs)");
    return std::nullopt;
  }
  return s;
}

std::string resolve(const std::string& base_file, const std::string& rel) {
  fs::path p(rel);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(base_file).parent_path() / p).lexically_normal().string();
}

// A day given either as a whole number of days after the start date or as a date.
std::optional<int> read_day(const YamlNode& n, Diagnostics& d, std::string_view what, const Date& start) {
  if (n.is_scalar() && n.scalar.size() == 10 && n.scalar[4] == '-') {
    auto dt = read_date(n, d, what);
    if (!dt) return std::nullopt;
    int64_t day = dt->days_since_epoch() - start.days_since_epoch();
    if (day < 0 || day > ScenarioLimits::max_horizon_days) {
      d.error(n.loc, std::string(what) + " " + dt->str() + " is before the start date " + start.str() +
                         " or too far after it");
      return std::nullopt;
    }
    return static_cast<int>(day);
  }
  auto v = read_int(n, d, what, 0, ScenarioLimits::max_horizon_days);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

// The options a roster entry and a generated village's staff rate share: hours, overtime, shift,
// limits, seconded. `available_from` (which needs the start date) is read between the shift and
// the limits, so that errors come in the file's usual key order. Returns the overtime node, if any.
const YamlNode* read_roster_options(MapReader& m, Diagnostics& d, RosterSpec& r, const Date* start) {
  if (auto* h = m.get("hours_per_day"))
    if (auto v = read_number(*h, d, "hours_per_day", 0.25, 16)) r.hours_per_day = *v;
  const YamlNode* overtime = m.get("overtime_hours_per_day");
  if (overtime)
    if (auto v = read_number(*overtime, d, "overtime_hours_per_day", 0, 8)) r.overtime_hours_per_day = *v;
  if (auto* s = m.get("shift_start"))
    if (auto v = read_clock(*s, d, "shift_start")) r.shift_start_min = *v;
  if (start)
    if (auto* a = m.get("available_from"))
      if (auto v = read_day(*a, d, "available_from", *start)) r.available_from_day = *v;
  if (auto* t = m.get("max_teams"))
    if (auto v = read_int(*t, d, "max_teams", 1, 1000)) r.max_teams = int(*v);
  if (auto* t = m.get("max_tasks_per_day"))
    if (auto v = read_int(*t, d, "max_tasks_per_day", 1, 10000)) r.max_tasks_per_day = int(*v);
  if (auto* t = m.get("seconded"))
    if (auto v = read_bool(*t, d, "seconded")) r.seconded = *v;
  return overtime;
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
  if (auto* c = m.require("count"))
    if (auto v = read_int(*c, d, "count", 0, ScenarioLimits::max_staff_per_role)) r.count = int(*v);
  const YamlNode* overtime = read_roster_options(m, d, r, &start);
  m.finish();
  if (r.shift_start_min + r.hours_per_day * 60 > 24 * 60 + 1e-9)
    d.error(value.loc, "shift of " + what + " runs past midnight: a shift starting at " +
                           std::to_string(r.shift_start_min / 60) + ":" + (r.shift_start_min % 60 < 10 ? "0" : "") +
                           std::to_string(r.shift_start_min % 60) + " can last at most " +
                           std::to_string((24 * 60 - r.shift_start_min) / 60.0).substr(0, 4) + " hours");
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
      for (const auto& item : value.items)
        if (auto r = read_roster_entry(*role, key, item, d, what, start)) out.push_back(*r);
    } else if (auto r = read_roster_entry(*role, key, value, d, what, start)) {
      out.push_back(*r);
    }
  }
  return out;
}

VillageSpec read_village(const YamlNode& n, Diagnostics& d, const Date& start) {
  VillageSpec v;
  v.loc = n.loc;
  MapReader m(n, d, "village");
  if (!m.ok()) return v;
  if (auto* x = m.require("name"))
    if (auto s = read_place_name(*x, d, "village name")) v.name = *s;
  const std::string where = "village '" + v.name + "'";
  if (auto* x = m.require("residents"))
    if (auto i = read_int(*x, d, "residents of " + where, 1, ScenarioLimits::max_residents_per_village)) v.residents = int(*i);
  if (auto* x = m.require("mean_household_size"))
    if (auto f = read_number(*x, d, "mean_household_size of " + where, 1, 20)) v.mean_household_size = *f;
  if (auto* x = m.get("villager_groups"))
    if (auto i = read_int(*x, d, "villager_groups of " + where, 1, 10'000)) v.villager_groups = int(*i);
  if (auto* x = m.get("party_members"))
    if (auto i = read_int(*x, d, "party_members of " + where, 0, ScenarioLimits::max_residents_per_village)) v.party_members = int(*i);
  const YamlNode* ret = m.require("returnees");
  if (ret)
    if (auto i = read_int(*ret, d, "returnees of " + where, 0, ScenarioLimits::max_residents_per_village)) v.returnees = int(*i);
  if (auto* x = m.get("staff")) v.staff = read_staff(*x, d, where, start);
  m.finish();
  if (v.residents > 0 && v.returnees > v.residents)
    d.error(ret->loc, where + " has " + std::to_string(v.returnees) + " returnees but only " +
                          std::to_string(v.residents) + " residents; returnees are counted among the residents");
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
  if (party_member_staff > v.party_members && v.residents > 0)
    d.error(party_loc, where + " lists " + std::to_string(party_member_staff) + " party_member staff but has only " +
                           std::to_string(v.party_members) + " party members");
  return v;
}

TownSpec read_town(const YamlNode& n, Diagnostics& d, const Date& start) {
  TownSpec t;
  t.loc = n.loc;
  MapReader m(n, d, "town");
  if (!m.ok()) return t;
  if (auto* x = m.require("name"))
    if (auto s = read_place_name(*x, d, "town name")) t.name = *s;
  if (auto* x = m.get("county"))
    if (auto s = read_string(*x, d, "county")) t.county = *s;
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

// A region described compactly (a prefecture's ~1,900 villages are not listed one by one): per
// county, how many towns and villages per town, and village sizes drawn from a lognormal around a
// median, clamped; each village's numbers and staff follow from its size by the given rates.
// Deterministic in the scenario seed (docs/scenarios.md).
void generate_region(const YamlNode& n, Diagnostics& d, ScenarioSpec& s) {
  MapReader m(n, d, "'generate'");
  if (!m.ok()) return;
  struct County {
    std::string name;
    int towns = 0, villages_per_town = 0;
  };
  std::vector<County> counties;
  double median = 0, spread = 0, min_res = 1, max_res = 1;
  double household = 0, groups_per_1000 = 0, party_per_1000 = 0, returnee_share = 0;
  struct Rate {
    std::string role;
    SourceLoc loc;
    double per_1000 = 0;
    int min = 0;
    RosterSpec base;
  };
  std::vector<Rate> village_staff;
  std::vector<RosterSpec> town_staff;
  if (auto* x = m.require("counties")) {
    if (expect_list(*x, d, "counties"))
      for (const auto& c : x->items) {
        MapReader cm(c, d, "county");
        if (!cm.ok()) continue;
        County k;
        if (auto* y = cm.require("name"))
          if (auto v = read_place_name(*y, d, "county name")) k.name = *v;
        if (auto* y = cm.require("towns"))
          if (auto v = read_int(*y, d, "towns", 1, 1000)) k.towns = int(*v);
        if (auto* y = cm.require("villages_per_town"))
          if (auto v = read_int(*y, d, "villages_per_town", 1, 1000)) k.villages_per_town = int(*v);
        cm.finish();
        counties.push_back(k);
      }
  }
  if (auto* x = m.require("residents")) {
    MapReader rm(*x, d, "residents");
    if (rm.ok()) {
      if (auto* y = rm.require("median"))
        if (auto v = read_number(*y, d, "median residents", 10, 1e6)) median = *v;
      if (auto* y = rm.require("spread"))
        if (auto v = read_number(*y, d, "spread (sd of log residents)", 0, 3)) spread = *v;
      if (auto* y = rm.require("min"))
        if (auto v = read_number(*y, d, "min residents", 10, 1e6)) min_res = *v;
      if (auto* y = rm.require("max"))
        if (auto v = read_number(*y, d, "max residents", 10, 1e6)) max_res = *v;
      rm.finish();
      if (max_res < min_res) d.error(x->loc, "residents: max is below min");
    }
  }
  if (auto* x = m.require("village")) {
    MapReader vm(*x, d, "village template");
    if (vm.ok()) {
      if (auto* y = vm.require("mean_household_size"))
        if (auto v = read_number(*y, d, "mean_household_size", 1, 20)) household = *v;
      if (auto* y = vm.require("villager_groups_per_1000"))
        if (auto v = read_number(*y, d, "villager_groups_per_1000", 0.01, 100)) groups_per_1000 = *v;
      if (auto* y = vm.require("party_members_per_1000"))
        if (auto v = read_number(*y, d, "party_members_per_1000", 0, 500)) party_per_1000 = *v;
      if (auto* y = vm.require("returnee_share"))
        if (auto v = read_number(*y, d, "returnee_share", 0, 1)) returnee_share = *v;
      if (auto* y = vm.get("staff")) {
        MapReader sm(*y, d, "village template staff");
        if (sm.ok())
          for (const auto& [key, value] : y->entries) {
            sm.get(key.scalar);
            Rate rate;
            auto role = read_identifier(key, d, "a role name");
            if (!role) continue;
            rate.role = *role;
            rate.loc = key.loc;
            MapReader rr(value, d, "role '" + rate.role + "' in the village template");
            if (!rr.ok()) continue;
            if (auto* z = rr.require("per_1000"))
              if (auto v = read_number(*z, d, "per_1000", 0, 1000)) rate.per_1000 = *v;
            if (auto* z = rr.get("min"))
              if (auto v = read_int(*z, d, "min", 0, 10000)) rate.min = int(*v);
            rate.base.role = rate.role;
            rate.base.loc = key.loc;
            read_roster_options(rr, d, rate.base, nullptr);  // a generated village's staff start on day 0
            rr.finish();
            village_staff.push_back(rate);
          }
      }
      vm.finish();
    }
  }
  if (auto* x = m.get("town_staff")) town_staff = read_staff(*x, d, "every generated town", s.start_date);
  m.finish();
  if (d.has_errors()) return;

  size_t total = 0;
  for (const auto& c : counties) total += size_t(c.towns) * size_t(c.villages_per_town);
  if (total > size_t(ScenarioLimits::max_villages)) {
    d.error(n.loc, "the description generates " + std::to_string(total) + " villages; the limit is " +
                       std::to_string(ScenarioLimits::max_villages));
    return;
  }
  uint32_t village_index = 0;
  for (const auto& c : counties)
    for (int t = 0; t < c.towns; ++t) {
      TownSpec town;
      town.name = c.name + "-T" + std::to_string(t + 1);
      town.county = c.name;
      town.loc = n.loc;
      town.staff = town_staff;
      for (int v = 0; v < c.villages_per_town; ++v, ++village_index) {
        RandomStream rng(StreamKey{s.seed, 0, village_index, 0, Purpose::Population});
        const double size = std::clamp(median * std::exp(spread * rng.normal()), min_res, max_res);
        VillageSpec vs;
        vs.name = town.name + "-V" + std::to_string(v + 1);
        vs.loc = n.loc;
        vs.residents = int(std::lround(size));
        vs.mean_household_size = household;
        const int households = std::max(1, int(vs.residents / household));
        vs.villager_groups = std::clamp(int(std::lround(vs.residents * groups_per_1000 / 1000.0)), 1, households);
        vs.party_members = int(std::lround(vs.residents * party_per_1000 / 1000.0));
        vs.returnees = int(std::lround(vs.residents * returnee_share));
        for (const auto& rate : village_staff) {
          RosterSpec r = rate.base;
          r.count = std::max(rate.min, int(std::lround(vs.residents * rate.per_1000 / 1000.0)));
          if (r.role == "party_member") r.count = std::min(r.count, vs.party_members);
          vs.staff.push_back(r);
        }
        town.villages.push_back(std::move(vs));
      }
      s.towns.push_back(std::move(town));
    }
}

}  // namespace

std::optional<ScenarioSpec> read_scenario(const YamlNode& root, const std::string& path, Diagnostics& d) {
  const size_t errors_before = d.error_count();
  ScenarioSpec s;
  s.path = path;
  s.loc = root.loc;
  MapReader top(root, d, "scenario file");
  if (!top.ok()) return std::nullopt;

  if (auto* sc = top.require("scenario")) {
    MapReader m(*sc, d, "'scenario'");
    if (m.ok()) {
      if (auto* x = m.require("name"))
        if (auto v = read_identifier(*x, d, "scenario name")) s.name = *v;
      if (auto* x = m.get("title"))
        if (auto v = read_string(*x, d, "title")) s.title = *v;
      if (auto* x = m.require("start_date"))
        if (auto v = read_date(*x, d, "start_date")) s.start_date = *v;
      if (auto* x = m.require("horizon_days"))
        if (auto v = read_int(*x, d, "horizon_days", 1, ScenarioLimits::max_horizon_days)) s.horizon_days = int(*v);
      if (auto* x = m.require("seed"))
        if (auto v = read_int(*x, d, "seed", 0, INT64_MAX)) s.seed = uint64_t(*v);
      if (auto* x = m.get("replicates"))
        if (auto v = read_int(*x, d, "replicates", 1, ScenarioLimits::max_replicates)) s.replicates = int(*v);
      m.finish();
    }
  }
  if (auto* p = top.require("policy")) {
    MapReader m(*p, d, "'policy'");
    if (m.ok()) {
      if (auto* r = m.require("rules")) {
        if (expect_list(*r, d, "policy rules")) {
          if (r->items.empty()) d.error(r->loc, "policy lists no rule files");
          for (const auto& f : r->items)
            if (auto v = read_string(f, d, "rule file")) {
              s.rule_files.push_back(resolve(path, *v));
              s.rule_file_locs.push_back(f.loc);
            }
        }
      }
      if (auto* g = m.get("grid"))
        if (auto v = read_string(*g, d, "grid file")) {
          s.grid_file = resolve(path, *v);
          s.grid_file_loc = g->loc;
        }
      m.finish();
    }
  }
  if (auto* r = top.require("region")) {
    MapReader m(*r, d, "'region'");
    if (m.ok()) {
      const YamlNode* towns = m.get("towns");
      const YamlNode* gen = m.get("generate");
      if (towns && gen) d.error(gen->loc, "a region is either listed (towns) or generated (generate), not both");
      if (!towns && !gen) d.error(r->loc, "missing required key 'towns' (or 'generate') in 'region'");
      if (towns && expect_list(*towns, d, "towns")) {
        if (towns->items.empty()) d.error(towns->loc, "region has no towns");
        for (const auto& tn : towns->items) s.towns.push_back(read_town(tn, d, s.start_date));
      }
      if (gen) generate_region(*gen, d, s);
      m.finish();
    }
  }
  if (auto* r = top.require("returnees")) {
    MapReader m(*r, d, "'returnees'");
    if (m.ok()) {
      if (auto* mix = m.require("origin_mix")) {
        MapReader om(*mix, d, "origin_mix");
        if (om.ok()) {
          double total = 0;
          for (const auto& [k, v] : mix->entries) {
            om.get(k.scalar);
            OriginShare o;
            o.loc = k.loc;
            if (auto id = read_identifier(k, d, "an origin name")) o.origin = *id;
            if (auto f = read_number(v, d, "share of origin '" + o.origin + "'", 0, 1)) o.share = *f;
            total += o.share;
            s.origin_mix.push_back(o);
          }
          if (s.origin_mix.empty()) d.error(mix->loc, "origin_mix lists no origins");
          else if (std::fabs(total - 1.0) > 1e-6)
            d.error(mix->loc, "origin_mix shares add up to " + std::to_string(total) + "; expected 1");
        }
      }
      if (auto* a = m.require("arrival_days")) {
        s.arrivals.loc = a->loc;
        MapReader am(*a, d, "arrival_days");
        if (am.ok()) {
          if (auto* x = am.require("first")) if (auto f = read_number(*x, d, "first arrival day", -365, 3650)) s.arrivals.first_day = *f;
          if (auto* x = am.require("peak")) if (auto f = read_number(*x, d, "peak arrival day", -365, 3650)) s.arrivals.peak_day = *f;
          if (auto* x = am.require("last")) if (auto f = read_number(*x, d, "last arrival day", -365, 3650)) s.arrivals.last_day = *f;
          am.finish();
          const auto& ar = s.arrivals;
          if (!(ar.first_day <= ar.peak_day && ar.peak_day <= ar.last_day && ar.first_day < ar.last_day))
            d.error(a->loc, "arrival_days must satisfy first <= peak <= last and first < last");
        }
      }
      m.finish();
    }
  }
  if (auto* e = top.get("supplies")) {
    SuppliesSpec sp;
    sp.loc = e->loc;
    MapReader m(*e, d, "'supplies'");
    if (m.ok()) {
      auto amounts = [&](const YamlNode& n, const std::string& what, double max) {
        std::vector<OriginShare> out;
        MapReader am(n, d, what);
        if (!am.ok()) return out;
        for (const auto& [k, v] : n.entries) {
          am.get(k.scalar);
          OriginShare o;
          o.loc = k.loc;
          if (auto id = read_identifier(k, d, "a supply")) o.origin = *id;
          if (auto f = read_number(v, d, what + " of '" + o.origin + "'", 0, max)) o.share = *f;
          out.push_back(o);
        }
        return out;
      };
      if (auto* x = m.get("funds_per_village"))
        if (auto v = read_number(*x, d, "funds_per_village", 0, 1e9)) sp.funds_per_village = *v;
      if (auto* x = m.get("funds")) {
        sp.has_funds = true;
        if (auto* y = m.node().find("funds_per_village"))
          d.error(y->loc, "give either funds_per_village or funds (sources shared among the villages), not both");
        MapReader fm(*x, d, "funds");
        if (fm.ok()) {
          if (auto* y = fm.require("sources")) {
            if (expect_list(*y, d, "fund sources")) {
              if (y->items.empty()) d.error(y->loc, "funds need at least one source");
              for (const auto& item : y->items) {
                MapReader sm(item, d, "fund source");
                if (!sm.ok()) continue;
                SuppliesSpec::FundSource fs;
                fs.loc = item.loc;
                if (auto* z = sm.require("name"))
                  if (auto v = read_identifier(*z, d, "fund source name")) fs.name = *v;
                if (auto* z = sm.require("amount"))
                  if (auto v = read_int(*z, d, "amount (whole yuan)", 0, 1'000'000'000'000)) fs.amount = *v;
                static constexpr std::string_view kLevels[] = {"prefecture"};
                if (auto* z = sm.require("level"))
                  if (auto c = read_choice(*z, d, "fund level", kLevels)) fs.level = std::string(kLevels[*c]);
                sm.finish();
                sp.fund_sources.push_back(std::move(fs));
              }
            }
          }
          static constexpr std::string_view kAllocate[] = {"equal", "per_resident", "per_returnee"};
          if (auto* y = fm.require("allocate"))
            if (auto c = read_choice(*y, d, "allocation rule", kAllocate)) sp.allocate = SuppliesSpec::Allocate(*c);
          fm.finish();
        }
      }
      if (auto* x = m.get("stocks")) sp.stocks = amounts(*x, "stock", 1e9);
      if (auto* x = m.get("channels")) {
        if (expect_list(*x, d, "channels"))
          for (const auto& item : x->items) {
            MapReader cm(item, d, "channel");
            if (!cm.ok()) continue;
            SuppliesSpec::Channel c;
            c.loc = item.loc;
            if (auto* y = cm.require("name"))
              if (auto v = read_identifier(*y, d, "channel name")) c.name = *v;
            if (auto* y = cm.require("lead_days"))
              if (auto v = read_int(*y, d, "lead_days", 0, 365)) c.lead_days = int(*v);
            if (auto* y = cm.get("max_per_request"))
              if (auto v = read_int(*y, d, "max_per_request", 1, 1'000'000'000)) c.max_per_request = *v;
            if (auto* y = cm.require("unit_cost")) c.unit_cost = amounts(*y, "unit cost", 1e6);
            cm.finish();
            sp.channels.push_back(std::move(c));
          }
      }
      m.finish();
    }
    s.supplies = std::move(sp);
  }
  if (auto* e = top.get("epidemic")) {
    EpidemicSpec ep;
    ep.loc = e->loc;
    MapReader m(*e, d, "'epidemic'");
    if (m.ok()) {
      if (auto* x = m.get("r0"))
        if (auto v = read_number(*x, d, "r0", 0, 20)) ep.r0 = *v;
      if (auto* x = m.get("household_sar"))
        if (auto v = read_number(*x, d, "household_sar", 0, 0.99)) ep.household_sar = *v;
      if (auto* x = m.get("asymptomatic_share"))
        if (auto v = read_number(*x, d, "asymptomatic_share", 0, 1)) ep.asymptomatic_share = *v;
      if (auto* x = m.require("infection_probability")) {
        MapReader pm(*x, d, "infection_probability");
        if (pm.ok())
          for (const auto& [k, v] : x->entries) {
            pm.get(k.scalar);
            OriginShare o;
            o.loc = k.loc;
            if (auto id = read_identifier(k, d, "an origin name")) o.origin = *id;
            if (auto f = read_number(v, d, "infection probability of origin '" + o.origin + "'", 0, 1)) o.share = *f;
            ep.infection_probability.push_back(o);
          }
      }
      if (auto* x = m.get("care_seeking_days"))
        if (auto v = read_int(*x, d, "care_seeking_days", 0, 30)) ep.care_seeking_days = int(*v);
      if (auto* x = m.get("isolate_local_cases"))
        if (auto v = read_bool(*x, d, "isolate_local_cases")) ep.isolate_local_cases = *v;
      if (auto* x = m.get("staff_isolation_days"))
        if (auto v = read_int(*x, d, "staff_isolation_days", 0, 60)) ep.staff_isolation_days = int(*v);
      if (auto* x = m.get("contact")) {
        MapReader cm(*x, d, "contact");
        if (cm.ok())
          for (const auto& [k, v] : x->entries) {
            cm.get(k.scalar);
            EpidemicSpec::Contact c;
            c.loc = k.loc;
            if (auto id = read_identifier(k, d, "a monitoring kind")) c.kind = *id;
            MapReader one(v, d, "contact of '" + c.kind + "'");
            if (one.ok()) {
              if (auto* y = one.require("household"))
                if (auto f = read_number(*y, d, "household", 0, 1)) c.household = *f;
              if (auto* y = one.require("community"))
                if (auto f = read_number(*y, d, "community", 0, 1)) c.community = *f;
              one.finish();
            }
            ep.contact.push_back(c);
          }
      }
      m.finish();
    }
    s.epidemic = std::move(ep);
  }
  top.finish();
  if (d.error_count() > errors_before) return std::nullopt;
  return s;
}

std::optional<ScenarioSpec> load_scenario(const std::string& path, Diagnostics& d) {
  auto root = load_yaml_file(path, d);
  if (!root) return std::nullopt;
  return read_scenario(*root, path, d);
}

}  // namespace vg::config
