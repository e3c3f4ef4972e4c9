#include "sim/model.h"

#include <cmath>
#include <filesystem>

namespace vg::sim {

namespace {

void add_roster(const config::RosterSpec& r, int village, const rules::Program& prog, TownRoster& out,
                Diagnostics& d) {
  int role = prog.find_role(r.role);
  if (role < 0) {
    std::string msg = "unknown role '" + r.role + "'";
    std::string hint = did_you_mean(r.role, prog.roles());
    if (hint.empty()) {
      msg += "; the policy declares:";
      for (size_t i = 0; i < prog.roles().size(); ++i) msg += (i ? ", " : " ") + prog.roles()[i];
    }
    d.error(r.loc, msg + hint);
    return;
  }
  if (out.by_role.size() < prog.roles().size()) out.by_role.resize(prog.roles().size());
  for (int k = 0; k < r.count; ++k) {
    staffing::StaffMember s;
    s.role = uint16_t(role);
    s.village = village;
    s.shift_start = int16_t(r.shift_start_min);
    s.minutes_per_day = int16_t(std::lround(r.hours_per_day * 60));
    s.available_from_day = r.available_from_day;
    out.by_role[size_t(role)].push_back(int(out.staff.size()));
    out.staff.push_back(s);
    out.max_teams.push_back(r.max_teams);
  }
}

}  // namespace

std::vector<TownRoster> build_rosters(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d) {
  std::vector<TownRoster> rosters;
  // Village staff serve their village; town staff serve every village of the town.
  int village_index = 0;
  for (const auto& town : scenario.towns) {
    TownRoster roster;
    roster.by_role.resize(prog.roles().size());
    for (const auto& r : town.staff) add_roster(r, -1, prog, roster, d);
    for (const auto& v : town.villages) {
      for (const auto& r : v.staff) add_roster(r, village_index, prog, roster, d);
      ++village_index;
    }
    rosters.push_back(std::move(roster));
  }
  return rosters;
}

Model build_model(config::ScenarioSpec scenario, std::shared_ptr<const rules::Program> program, Diagnostics& d) {
  const size_t errors_before = d.error_count();
  Model m;
  const auto& prog = *program;

  // Origins in the mix must be declared; the mix becomes a cumulative table over all origins.
  std::vector<double> share(prog.origins().size(), 0.0);
  for (const auto& o : scenario.origin_mix) {
    int idx = prog.find_origin(o.origin);
    if (idx < 0) {
      d.error(o.loc, "unknown origin '" + o.origin + "'" + did_you_mean(o.origin, prog.origins()) +
                         " (origins are declared in a policy vocabulary)");
      continue;
    }
    share[size_t(idx)] = o.share;
  }
  double acc = 0;
  for (double s : share) m.origin_cumulative.push_back(acc += s);
  if (!m.origin_cumulative.empty()) m.origin_cumulative.back() = 1.0;

  m.rosters = build_rosters(scenario, prog, d);

  // Roles the policy needs that no roster provides: that work can never be done.
  std::vector<bool> rostered(prog.roles().size(), false);
  for (const auto& r : m.rosters)
    for (size_t role = 0; role < r.by_role.size(); ++role) rostered[role] = rostered[role] || !r.by_role[role].empty();
  for (const auto& k : prog.task_kinds()) {
    bool any = false;
    for (size_t role = 0; role < rostered.size(); ++role) any = any || (((k.role_mask >> role) & 1u) && rostered[role]);
    if (!any && k.role_mask)
      d.warning(k.loc, "no roster in scenario '" + scenario.name + "' has a role that may do task '" + k.name +
                           "'; it will never be done");
    if (k.counts_as_screening) m.has_screening_task = true;
  }
  // Team templates that need more people of a role than a village can call on (its own staff and
  // its town's pool): every team there will have an empty slot.
  {
    int vi = 0;
    for (size_t t = 0; t < scenario.towns.size(); ++t) {
      for (const auto& v : scenario.towns[t].villages) {
        for (const auto& tmpl : prog.tracking()) {
          std::vector<int> need(prog.roles().size(), 0);
          for (const auto& mem : tmpl.members)
            if (mem.role >= 0) need[size_t(mem.role)]++;
          for (size_t role = 0; role < need.size(); ++role) {
            if (!need[role]) continue;
            int have = 0;
            for (int si : m.rosters[t].by_role[role]) {
              const int sv = m.rosters[t].staff[size_t(si)].village;
              have += (sv == -1 || sv == vi) ? 1 : 0;
            }
            if (have < need[role])
              d.warning(v.loc, "tracking template '" + tmpl.id + "' needs " + std::to_string(need[role]) + " " +
                                   prog.roles()[role] + " per team but village '" + v.name + "' can call on " +
                                   std::to_string(have) + "; its teams will never be complete");
          }
        }
        ++vi;
      }
    }
  }
  if (!m.has_screening_task && !prog.rules().empty())
    d.warning(scenario.loc, "no task in the policy has 'counts_as: screening'; the screening metrics will be zero");

  m.horizon_days = scenario.horizon_days;
  m.replicates = scenario.replicates;
  m.seed = scenario.seed;
  m.program = std::move(program);
  if (d.error_count() > errors_before) throw InputError(d);
  m.population = population::build_population(scenario);
  m.scenario = std::move(scenario);
  return m;
}

Model load_model(const std::string& scenario_path, Diagnostics& d, const Overrides& overrides) {
  auto spec = config::load_scenario(scenario_path, d);
  if (!spec) throw InputError(d);
  if (overrides.seed) spec->seed = *overrides.seed;
  if (overrides.replicates) spec->replicates = *overrides.replicates;
  // A missing policy file is reported where the scenario names it.
  for (size_t i = 0; i < spec->rule_files.size(); ++i)
    if (!std::filesystem::is_regular_file(spec->rule_files[i]))
      d.error(spec->rule_file_locs[i], "rule file not found: " + spec->rule_files[i]);
  if (d.has_errors()) throw InputError(d);
  auto policy = rules::load_policy(spec->rule_files, d);
  if (d.has_errors()) throw InputError(d);
  auto program = rules::compile_policy(std::move(policy), d);
  if (!program) throw InputError(d);
  return build_model(std::move(*spec), std::move(program), d);
}

}  // namespace vg::sim
