// The scenario file's sections read apart (scenario_sections.h): amounts, epidemic, finding.
#include "config/scenario_sections.h"

namespace vg::config::detail {

namespace {

// How contact with a monitored person spreads infection, per monitoring kind.
std::vector<EpidemicSpec::Contact> read_contact(const YamlNode& x, Diagnostics& d) {
  std::vector<EpidemicSpec::Contact> out;
  MapReader cm(x, d, "contact");
  if (!cm.ok()) return out;
  for (const auto& [k, v] : x.entries) {
    cm.get(k.scalar);
    EpidemicSpec::Contact c;
    c.loc = k.loc;
    if (auto id = read_identifier(k, d, "a monitoring kind")) c.kind = *id;
    MapReader one(v, d, "contact of '" + c.kind + "'");
    if (one.ok()) {
      if (auto f = one.number(required("household"), 0, 1)) c.household = *f;
      if (auto f = one.number(required("community"), 0, 1)) c.community = *f;
      one.finish();
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<OriginShare> read_amounts(const YamlNode& n, Diagnostics& d, const std::string& what,
                                      std::string_view key_what, const std::string& value_what, double max) {
  std::vector<OriginShare> out;
  MapReader m(n, d, what);
  if (!m.ok()) return out;
  for (const auto& [k, v] : n.entries) {
    m.get(k.scalar);
    OriginShare o;
    o.loc = k.loc;
    if (auto id = read_identifier(k, d, key_what)) o.origin = *id;
    if (auto f = read_number(v, d, value_what + " '" + o.origin + "'", 0, max)) o.share = *f;
    out.push_back(o);
  }
  return out;
}

void check_max_count(const std::vector<RosterSpec>& staff, const std::string& role, const YamlNode& value,
                     const std::string& what, Diagnostics& d) {
  const RoleLimit lim = role_limit(staff, role);
  if (!lim.exceeded()) return;
  const int total = lim.total, most = lim.most;
  SourceLoc at = lim.limiting->loc;  // at the max_count that limits, where it can be found
  auto look = [&](const YamlNode& entry) {
    if (const YamlNode* x = entry.is_scalar() ? nullptr : entry.find("max_count");
        x && x->scalar == std::to_string(most))
      at = x->loc;
  };
  if (value.is_seq())
    for (const auto& item : value.items) look(item);
  else
    look(value);
  d.error(at, what + " has " + std::to_string(total) + " people, more than its max_count of " + std::to_string(most) +
                  " (its entries together): lower a count or raise max_count");
}

void read_epidemic(MapReader& m, const YamlNode& e, ScenarioSpec& s) {
  Diagnostics& d = m.diags();
  EpidemicSpec& ep = s.epidemic.emplace();
  ep.loc = e.loc;
  if (auto v = m.number("r0", 0, 20)) ep.r0 = *v;
  if (const YamlNode* r0 = m.get("r0")) ep.r0_loc = r0->loc;
  if (auto v = m.number("household_sar", 0, 0.99)) ep.household_sar = *v;
  if (auto v = m.number("asymptomatic_share", 0, 1)) ep.asymptomatic_share = *v;
  if (auto* x = m.require("infection_probability"))
    ep.infection_probability =
        read_amounts(*x, d, "infection_probability", "an origin name", "infection probability of origin", 1);
  if (auto v = m.integer("care_seeking_days", 0, 30)) ep.care_seeking_days = int(*v);
  if (auto v = m.boolean("isolate_local_cases")) ep.isolate_local_cases = *v;
  if (auto v = m.integer("staff_isolation_days", 0, 60)) ep.staff_isolation_days = int(*v);
  if (auto* x = m.get("contact")) ep.contact = read_contact(*x, d);
}

// `finding: {self_report: {ORIGIN: {probability, median_delay_hours}}, household_visit: {probability},
// neighbour_report: {probability_per_day}, visit_detection: {probability, by_role: {ROLE: P}}}`.
void read_finding(MapReader& m, const YamlNode& f, ScenarioSpec& s) {
  Diagnostics& d = m.diags();
  FindingSpec& fs = s.finding.emplace();
  fs.loc = f.loc;
  if (auto* x = m.get("self_report")) {
    MapReader sm(*x, d, "self_report");
    if (sm.ok()) {
      for (const auto& [k, v] : x->entries) {
        sm.get(k.scalar);
        FindingSpec::SelfReport r;
        r.loc = k.loc;
        if (auto id = read_identifier(k, d, "an origin name")) r.origin = *id;
        MapReader one(v, d, "self_report of '" + r.origin + "'");
        if (!one.ok()) continue;
        if (auto p = one.number(required("probability"), 0, 1)) r.probability = *p;
        if (auto h = one.number(required("median_delay_hours"), 0, 24 * 365)) r.median_delay_hours = *h;
        one.finish();
        fs.self_report.push_back(r);
      }
      sm.finish();
    }
  }
  if (auto* x = m.get("household_visit")) {
    MapReader hm(*x, d, "household_visit");
    if (hm.ok()) {
      if (auto p = hm.number(required("probability"), 0, 1)) fs.household_visit_probability = *p;
      hm.finish();
    }
  }
  if (auto* x = m.get("neighbour_report")) {
    MapReader nm(*x, d, "neighbour_report");
    if (nm.ok()) {
      if (auto p = nm.number(required("probability_per_day"), 0, 1)) fs.neighbour_report_probability = *p;
      nm.finish();
    }
  }
  if (auto* x = m.get("visit_detection")) {
    MapReader vm(*x, d, "visit_detection");
    if (vm.ok()) {
      auto& vd = fs.visit_detection.emplace();
      vd.loc = x->loc;
      if (auto p = vm.number(required("probability"), 0, 1)) vd.probability = *p;
      if (auto* r = vm.get("by_role"))
        vd.by_role = read_amounts(*r, d, "by_role", "a role name", "visit detection probability of role", 1);
      vm.finish();
    }
  }
}

}  // namespace vg::config::detail
