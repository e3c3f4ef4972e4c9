#include "sim/model.h"

#include <algorithm>
#include <chrono>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include "config/grid_loader.h"
#include "config/scenario_loader.h"
#include "config/size_estimate.h"
#include "core/random.h"
#include "rules/policy_loader.h"
#include "sim/model_checks.h"

namespace vg::sim {

namespace {

void add_roster(const config::RosterSpec& r, int village, const rules::Program& prog, TownRoster& out, Diagnostics& d) {
  int role = prog.find_role(r.role);
  if (role < 0) {
    d.error(r.loc, unknown_name("role", r.role, prog.roles(), {"; the policy declares: ", "; the policy declares:"}));
    return;
  }
  if (out.by_role.size() < prog.roles().size()) out.by_role.resize(prog.roles().size());
  for (int k = 0; k < r.count; ++k) {
    staffing::StaffMember s;
    s.role = uint16_t(role);
    s.village = village;
    s.shift_start = int16_t(r.shift_start_min);
    s.minutes_per_day = int16_t(std::lround(r.hours_per_day * 60));
    s.overtime_minutes = int16_t(
        std::min<long>(std::lround(r.overtime_hours_per_day * 60), 24 * 60 - s.shift_start - s.minutes_per_day));
    s.available_from_day = r.available_from_day;
    s.max_tasks_per_day = r.max_tasks_per_day;
    out.by_role[size_t(role)].push_back(int(out.staff.size()));
    out.staff.push_back(s);
    out.max_teams.push_back(r.max_teams);
    out.resident.push_back(village >= 0 && !r.seconded ? 1 : 0);
    out.person.push_back(-1);  // chosen among the residents once the population exists
  }
}

}  // namespace

std::vector<TownRoster> build_rosters(const config::ScenarioSpec& scenario, const rules::Program& prog,
                                      Diagnostics& d) {
  std::vector<TownRoster> rosters;
  // Village staff serve their village; town staff serve every village of the town.
  int village_index = 0;
  for (const auto& town : scenario.towns) {
    TownRoster roster;
    roster.by_role.resize(prog.roles().size());
    for (const auto& r : town.staff) add_roster(r, -1, prog, roster, d);
    const int first_village = village_index;
    for (const auto& v : town.villages) {
      for (const auto& r : v.staff)
        if (!r.reinforcement) add_roster(r, village_index, prog, roster, d);
      ++village_index;
    }
    // Staff called in during a run come after everyone else, so the others keep their places.
    village_index = first_village;
    for (const auto& v : town.villages) {
      for (const auto& r : v.staff)
        if (r.reinforcement) add_roster(r, village_index, prog, roster, d);
      ++village_index;
    }
    rosters.push_back(std::move(roster));
  }
  return rosters;
}

std::vector<int64_t> allocate_funds(int64_t total, const std::vector<int64_t>& weights) {
  std::vector<int64_t> out(weights.size(), 0);
  int64_t sum = 0;
  for (int64_t w : weights) sum += w > 0 ? w : 0;
  if (sum == 0 || total <= 0) return out;
  // floor(total * w / sum) exactly, in integers without overflow: total = q * sum + r, r < sum.
  const int64_t q = total / sum, r = total % sum;
  int64_t given = 0;
  for (size_t v = 0; v < weights.size(); ++v) {
    if (weights[v] <= 0) continue;
    out[v] = q * weights[v] + r * weights[v] / sum;
    given += out[v];
  }
  for (size_t v = 0; v < weights.size() && given < total; ++v)
    if (weights[v] > 0) {
      ++out[v];
      ++given;
    }
  return out;
}

void assign_staff_persons(const population::Population& pop, uint64_t seed, std::vector<TownRoster>& rosters) {
  // Resident staff are distinct residents of their village who are not returnees (they were
  // home), drawn from the seed in staff order; a village with too few such residents leaves the
  // rest unlinked (-1: they cannot fall ill).
  std::vector<uint8_t> is_returnee(pop.persons(), 0);
  for (uint32_t p : pop.returnees) is_returnee[p] = 1;
  std::vector<uint8_t> taken(pop.persons(), 0);
  for (auto& roster : rosters)
    for (size_t s = 0; s < roster.staff.size(); ++s) {
      if (!roster.resident[s]) continue;
      const auto& vr = pop.village_persons[size_t(roster.staff[s].village)];
      RandomStream rng(StreamKey{seed, 0, vr.begin + uint32_t(s), 0, Purpose::Staff});
      // A few draws, then a scan from a random start: cheap and deterministic.
      uint32_t start = vr.begin + rng.below(std::max<uint32_t>(1, vr.size()));
      for (uint32_t k = 0; k < vr.size(); ++k) {
        const uint32_t p = vr.begin + (start - vr.begin + k) % vr.size();
        if (!taken[p] && !is_returnee[p]) {
          taken[p] = 1;
          roster.person[s] = int32_t(p);
          break;
        }
      }
    }
}

ContactAssignment assign_contacts(const population::Population& pop, const std::vector<TownRoster>& rosters,
                                  const std::function<const rules::Program&(size_t town)>& program_of_town) {
  ContactAssignment a;
  a.member.assign(pop.households(), -1);
  a.without_member.assign(pop.villages(), 0);
  a.over_span.assign(pop.villages(), 0);
  a.max_load.assign(pop.villages(), 0);
  a.members.assign(pop.villages(), 0);
  a.idle_members.assign(pop.villages(), 0);
  for (size_t v = 0; v < pop.villages(); ++v) {
    const auto& grid = program_of_town(pop.village_town[v]).grid();
    const auto& hr = pop.village_households[v];
    if (!grid || grid->contact_role < 0) {
      a.without_member[v] = int32_t(hr.size());
      continue;
    }
    const TownRoster& roster = rosters[pop.village_town[v]];
    std::vector<int32_t> members;
    for (int si : roster.by_role[size_t(grid->contact_role)])
      if (roster.staff[size_t(si)].village == int32_t(v)) members.push_back(si);
    const auto& gr = pop.village_groups[v];
    const uint32_t ng = gr.size();
    // Members per group: proportional to households, largest remainder, ties to the first group.
    std::vector<size_t> per_group(ng, 0);
    std::vector<std::pair<double, uint32_t>> rem;
    size_t given = 0;
    for (uint32_t g = 0; g < ng; ++g) {
      const double exact = double(members.size()) * pop.group_households[gr.begin + g].size() / double(hr.size());
      per_group[g] = size_t(exact);
      given += per_group[g];
      rem.push_back({exact - double(per_group[g]), g});
    }
    std::stable_sort(rem.begin(), rem.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    for (size_t k = 0; given < members.size(); ++k, ++given) per_group[rem[k % rem.size()].second]++;
    std::vector<int32_t> load(roster.staff.size(), 0);
    size_t next_member = 0;
    const int span = grid->households_per_member;
    for (uint32_t g = 0; g < ng; ++g) {
      const auto& gh = pop.group_households[gr.begin + g];
      const size_t first = next_member, count = per_group[g];
      next_member += count;
      uint32_t h = gh.begin;
      for (size_t m = 0; m < count; ++m)
        for (int k = 0; k < span && h < gh.end; ++k, ++h) {
          a.member[h] = members[first + m];
          load[size_t(members[first + m])]++;
        }
      // Past the span: dealt out in turn to the group's members (or the village's when the group has none).
      for (size_t turn = 0; h < gh.end; ++h, ++turn) {
        if (!grid->cover_all || members.empty()) {
          a.without_member[v]++;
          continue;
        }
        const int32_t m = count > 0 ? members[first + turn % count] : members[turn % members.size()];
        a.member[h] = m;
        load[size_t(m)]++;
      }
    }
    a.members[v] = int32_t(members.size());
    for (int32_t m : members) {
      a.max_load[v] = std::max(a.max_load[v], load[size_t(m)]);
      if (load[size_t(m)] > span) a.over_span[v]++;
      if (load[size_t(m)] == 0) a.idle_members[v]++;
    }
  }
  return a;
}

namespace {

int find_supply(const rules::Program& prog, const std::string& name) {
  auto it = std::find(prog.supplies().begin(), prog.supplies().end(), name);
  return it == prog.supplies().end() ? -1 : int(it - prog.supplies().begin());
}

// The supply channels a program's request actions name, by its channel index, from the scenario's
// `supplies: channels:`; a channel a rule orders through that the scenario lacks is an error, and
// so is an unknown supply among a channel's costs (unless `reported` names it: said once).
std::vector<Model::Channel> build_channels(const config::ScenarioSpec& scenario, const rules::Program& prog,
                                           Diagnostics& d, const std::vector<std::string>& reported = {}) {
  std::vector<Model::Channel> channels;
  const size_t ns = prog.supplies().size();
  std::vector<std::string> names;
  if (scenario.supplies)
    for (const auto& c : scenario.supplies->channels) names.push_back(c.name);
  for (const auto& cname : prog.channels()) {
    auto it = std::find(names.begin(), names.end(), cname);
    if (it == names.end()) {  // at each `channel:` naming it, as written in the policy
      std::string has;
      for (const auto& n : names) has += (has.empty() ? "" : ", ") + n;
      has = has.empty() ? " (it has no `supplies: channels:`)" : " (its `supplies: channels:` are " + has + ")";
      for (const auto& r : prog.spec().rules)
        for (const auto& a : r.actions)
          if (a.read && a.channel.name == cname)
            d.error(a.channel.loc, "rule '" + r.id + "' orders through channel '" + cname + "', which scenario '" +
                                       scenario.name + "' does not have" + did_you_mean(cname, names) + has);
      channels.push_back({});
      continue;
    }
    const auto& c = scenario.supplies->channels[size_t(it - names.begin())];
    Model::Channel ch;
    ch.lead_days = c.lead_days;
    ch.max_per_request = c.max_per_request;
    ch.unit_cost.assign(ns, 0.0);
    ch.offers.assign(ns, false);
    const bool report = std::find(reported.begin(), reported.end(), cname) == reported.end();
    for (const auto& u : c.unit_cost)
      if (int k = find_supply(prog, u.origin); k >= 0) {
        ch.unit_cost[size_t(k)] = u.share;
        ch.offers[size_t(k)] = true;
      } else if (report) {
        d.error(u.loc, "unknown supply '" + u.origin + "'" + did_you_mean(u.origin, prog.supplies()) +
                           " (supplies are declared in a policy vocabulary)");
      }
    // A rule ordering a supply the channel does not sell buys nothing, every time, without a trace.
    if (report) {
      std::string sold;
      for (const auto& u : c.unit_cost) sold += (sold.empty() ? "" : ", ") + u.origin;
      for (const auto& r : prog.spec().rules)
        for (const auto& a : r.actions)
          if (const int k = find_supply(prog, a.name.name);
              a.read && a.channel.name == cname && k >= 0 && !ch.offers[size_t(k)])
            d.warning(a.channel.loc, "rule '" + r.id + "' orders " + a.name.name + " through channel '" + cname +
                                         "', which does not sell it in scenario '" + scenario.name +
                                         "' (its unit_cost lists " + (sold.empty() ? "nothing" : sold) +
                                         "): the request buys nothing");
    }
    channels.push_back(std::move(ch));
  }
  return channels;
}

// Supplies: stocks and channels resolved to the policy's supply names; every channel a rule
// orders through must exist.
void build_supplies(Model& m, const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d) {
  const size_t ns = prog.supplies().size();
  m.initial_stock.assign(ns, 0);
  auto supply = [&](const config::OriginShare& o) {
    auto it = std::find(prog.supplies().begin(), prog.supplies().end(), o.origin);
    if (it != prog.supplies().end()) return int(it - prog.supplies().begin());
    d.error(o.loc, "unknown supply '" + o.origin + "'" + did_you_mean(o.origin, prog.supplies()) +
                       " (supplies are declared in a policy vocabulary)");
    return -1;
  };
  if (scenario.supplies) {
    const auto& sp = *scenario.supplies;
    const size_t nv = m.population->village_persons.size();
    if (sp.has_funds) {
      int64_t total = 0;
      for (const auto& fs : sp.fund_sources) total += fs.amount;
      std::vector<int64_t> weights(nv, 1);
      const auto& pop = *m.population;
      for (size_t v = 0; v < nv; ++v) {
        if (sp.allocate == config::SuppliesSpec::Allocate::PerResident) weights[v] = pop.village_persons[v].size();
        if (sp.allocate == config::SuppliesSpec::Allocate::PerReturnee) weights[v] = pop.village_returnees[v].size();
      }
      const auto shares = allocate_funds(total, weights);
      m.village_funds.assign(shares.begin(), shares.end());
    } else {
      m.village_funds.assign(nv, sp.funds_per_village);
    }
    for (const auto& st : scenario.supplies->stocks)
      if (int k = supply(st); k >= 0) m.initial_stock[size_t(k)] = int64_t(st.share);
  }
  m.channels = build_channels(scenario, prog, d);
}

// The disease model and infection parameters of the scenario's `epidemic` section.
void build_epidemic(Model& m, const config::EpidemicSpec& ep, const rules::Program& prog, Diagnostics& d) {
  epidemic::Parameters params;
  if (ep.r0) params.r0 = *ep.r0;
  if (ep.household_sar) params.household_sar = *ep.household_sar;
  if (ep.asymptomatic_share) params.asymptomatic_share = *ep.asymptomatic_share;
  try {
    const epidemic::Calibration c = epidemic::calibrate(params, *m.population);
    // calibrate would silently leave the community layers at 0: the r0 asked for cannot be had.
    if (auto why = epidemic::r0_below_households(params, c)) d.error(ep.r0 ? ep.r0_loc : ep.loc, *why);
    m.disease = std::make_shared<const epidemic::DiseaseModel>(params, c.rates);
    m.next_generation = epidemic::next_generation(*m.disease, *m.population);
  } catch (const std::exception& e) {
    d.error(ep.loc, std::string("the epidemic parameters cannot be used: ") + e.what());
  }
  m.infection_probability.assign(prog.origins().size(), 0.0);
  for (const auto& o : ep.infection_probability) {
    const int idx = prog.find_origin(o.origin);
    if (idx < 0)
      d.error(o.loc, "unknown origin '" + o.origin + "'" + did_you_mean(o.origin, prog.origins()));
    else
      m.infection_probability[size_t(idx)] = o.share;
  }
  m.monitoring_contact.assign(prog.monitoring().size(), {1.0f, 1.0f});
  for (const auto& c : ep.contact) {
    auto it = std::find(prog.monitoring().begin(), prog.monitoring().end(), c.kind);
    if (it == prog.monitoring().end())
      d.error(c.loc, "unknown monitoring kind '" + c.kind + "'" + did_you_mean(c.kind, prog.monitoring()) +
                         " (monitoring kinds are declared in a policy vocabulary)");
    else
      m.monitoring_contact[size_t(it - prog.monitoring().begin())] = {float(c.household), float(c.community)};
  }
  m.care_seeking_days = ep.care_seeking_days;
  m.staff_isolation_days = ep.staff_isolation_days;
  m.isolate_local_cases = ep.isolate_local_cases;
}

// The scenario's `finding` section: self-report by origin and the household visit's chance.
void build_finding(Model& m, const config::FindingSpec& f, const rules::Program& prog, Diagnostics& d) {
  m.finding = true;
  m.self_report_probability.assign(prog.origins().size(), 0.0);
  m.self_report_median_minutes.assign(prog.origins().size(), 0.0);
  for (const auto& r : f.self_report) {
    const int idx = prog.find_origin(r.origin);
    if (idx < 0) {
      d.error(r.loc, "unknown origin '" + r.origin + "'" + did_you_mean(r.origin, prog.origins()));
      continue;
    }
    m.self_report_probability[size_t(idx)] = r.probability;
    m.self_report_median_minutes[size_t(idx)] = r.median_delay_hours * 60.0;
  }
  m.household_visit_probability = f.household_visit_probability;
  m.neighbour_report_probability = f.neighbour_report_probability;
  if (!f.visit_detection) return;
  m.visit_detection.assign(prog.roles().size(), f.visit_detection->probability);
  for (const auto& r : f.visit_detection->by_role) {
    const int idx = prog.find_role(r.origin);
    if (idx < 0)
      d.error(r.loc, "unknown role '" + r.origin + "'" + did_you_mean(r.origin, prog.roles()));
    else
      m.visit_detection[size_t(idx)] = r.share;
  }
}

// A returnee surge adds its returnees to its village's (they are the village's last returnees:
// Town::draw_returnees gives them the surge's origin and arrival window).
void add_surge_returnees(const Model& m, config::ScenarioSpec& scenario, Diagnostics& d) {
  int32_t gv = 0;
  for (auto& town : scenario.towns)
    for (auto& v : town.villages) {
      for (size_t k = 0; k < m.surges.size(); ++k)
        if (m.surges[k].village == gv) v.returnees += m.surges[k].count;
      if (v.returnees > v.residents)
        d.error(scenario.schedule.surges.empty() ? v.loc : scenario.schedule.surges.front().loc,
                "surges bring " + v.name + "'s returnees to " + std::to_string(v.returnees) + ", more than its " +
                    std::to_string(v.residents) + " residents");
      ++gv;
    }
}

}  // namespace

namespace {

// What the grid's contacts leave out, per village, told before a run: households with no contact
// member (the span times the members falls short, cover_all false), and members given none where
// the span never binds (larger than a villager group's households: its first member takes them all).
void warn_contacts(const Model& m, const config::ScenarioSpec& scenario, Diagnostics& d) {
  const auto& pop = *m.population;
  size_t gv = 0;
  for (const auto& town : scenario.towns)
    for (const auto& village : town.villages) {
      const size_t v = gv++;
      const auto& grid = m.town_program(pop.village_town[v]).grid();
      if (!grid || grid->contact_role < 0) continue;
      const std::string role = m.town_program(pop.village_town[v]).roles()[size_t(grid->contact_role)];
      const std::string span = "households_per_member " + std::to_string(grid->households_per_member);
      const auto households = pop.village_households[v].size();
      if (const int32_t left = m.contacts.without_member[v]; left > 0 && m.contacts.members[v] == 0)
        d.warning(village.loc, "grid '" + grid->name + "': none of " + village.name + "'s " +
                                   std::to_string(households) +
                                   " households has a contact member: the village has no " + role +
                                   " staff, who hold them (summary.json: households_without_contact_member)");
      else if (left > 0)
        d.warning(village.loc, "grid '" + grid->name + "': " + std::to_string(left) + " of " + village.name + "'s " +
                                   std::to_string(households) + " households have no contact member (" +
                                   std::to_string(m.contacts.members[v]) + " " + role + " x " + span +
                                   ", cover_all false); more " + role +
                                   ", a larger span or cover_all: true would "
                                   "reach them (summary.json: households_without_contact_member)");
      // Members left without a household while nobody reached the span: the span never binds.
      if (const int32_t idle = m.contacts.idle_members[v];
          idle > 0 && households > 0 && m.contacts.max_load[v] < grid->households_per_member)
        d.warning(village.loc, "grid '" + grid->name + "': " + std::to_string(idle) + " of " + village.name + "'s " +
                                   std::to_string(m.contacts.members[v]) + " " + role + " look after no household (" +
                                   span +
                                   " is more than a villager group's households: each group's first member takes "
                                   "all of them; the span is the most households one member looks after)");
    }
}

}  // namespace

void build_staffing(Model& m, std::vector<TownRoster> rosters) {
  m.contacts =
      assign_contacts(*m.population, rosters, [&m](size_t t) -> const rules::Program& { return m.town_program(t); });
  assign_staff_persons(*m.population, m.seed, rosters);
  m.rosters = std::move(rosters);
}

Model build_model(config::ScenarioSpec scenario, std::shared_ptr<const rules::Program> program, Diagnostics& d,
                  std::vector<Model::Policy> policies, std::vector<int> town_policy) {
  const size_t errors_before = d.error_count();
  Model m;
  m.policies = std::move(policies);
  m.town_policy = std::move(town_policy);
  m.program = program;  // before resolve_schedule: a village without an override uses it (town_program)
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

  std::vector<TownRoster> rosters = build_rosters(scenario, prog, d);
  m.has_screening_task = detail::warn_unstaffed_tasks(scenario, prog, rosters, d);
  detail::warn_short_teams(scenario, prog, rosters, d);
  detail::warn_unstaffed_villages(scenario, m, rosters, d);
  detail::warn_unstocked_supplies(scenario, prog, d);
  detail::warn_after_horizon(scenario, d);
  detail::warn_rules_after_horizon(scenario, prog, d);
  detail::warn_arrivals_after_visits(scenario, m, d);
  if (!m.has_screening_task && !prog.rules().empty())
    d.warning(scenario.loc, "no task in the policy has 'counts_as: screening'; the screening metrics will be zero");

  m.horizon_days = scenario.horizon_days;
  resolve_schedule(scenario, prog, m, d);
  m.replicates = scenario.replicates;
  m.seed = scenario.seed;
  m.program = std::move(program);
  index_task_kinds(m);
  detail::warn_task_kind_clashes(m, d);
  if (d.error_count() > errors_before) throw InputError(d);
  detail::check_grid_needs(scenario, prog, d);
  for (size_t k = 0; k < m.policies.size(); ++k)
    detail::check_grid_needs(scenario, *m.policies[k].program, d,
                             "the per-village policy of " + policy_villages(scenario, m.town_policy, k));
  if (d.error_count() > errors_before) throw InputError(d);
  const auto population_t0 = std::chrono::steady_clock::now();
  add_surge_returnees(m, scenario, d);
  if (d.error_count() > errors_before) throw InputError(d);
  m.population = std::make_shared<const population::Population>(population::build_population(scenario));
  build_staffing(m, std::move(rosters));
  warn_contacts(m, scenario, d);
  detail::warn_grid_hours(m, d);
  m.population_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - population_t0).count();
  build_supplies(m, scenario, prog, d);
  for (auto& p : m.policies) p.channels = build_channels(scenario, *p.program, d, prog.channels());
  if (d.error_count() > errors_before) throw InputError(d);
  if (scenario.epidemic) {
    build_epidemic(m, *scenario.epidemic, prog, d);
    if (d.error_count() > errors_before) throw InputError(d);
  }
  if (scenario.finding) {
    build_finding(m, *scenario.finding, prog, d);
    if (d.error_count() > errors_before) throw InputError(d);
  }
  m.scenario = std::move(scenario);
  return m;
}

Model load_model(const std::string& scenario_path, Diagnostics& d, const Overrides& overrides) {
  auto spec = config::load_scenario(scenario_path, d);
  if (!spec) throw InputError(d);
  if (overrides.seed) spec->seed = *overrides.seed;
  if (overrides.replicates) spec->replicates = *overrides.replicates;
  if (overrides.amend) overrides.amend(*spec);
  // Refused from the spec alone, before the population or a roster is built.
  config::check_size(*spec, config::allocatable_bytes(), d);
  if (d.has_errors()) throw InputError(d);
  // A missing policy file is reported where the scenario names it.
  for (size_t i = 0; i < spec->rule_files.size(); ++i)
    if (auto why = config::file_problem(spec->rule_files[i]))
      d.error(spec->rule_file_locs[i], "rule file " + *why + ": " + spec->rule_files[i]);
  if (d.has_errors()) throw InputError(d);
  auto policy = rules::load_policy(spec->rule_files, d);  // errors here: compile_policy checks what was read
  std::optional<config::GridSpec> grid;
  if (!spec->grid_file.empty()) {
    if (auto why = config::file_problem(spec->grid_file)) {
      d.error(spec->grid_file_loc, "grid file " + *why + ": " + spec->grid_file);
      throw InputError(d);
    }
    grid = config::load_grid(spec->grid_file, d);
    if (!grid) {
      d.note(spec->grid_file_loc, "the grid file named here");
      throw InputError(d);
    }
  }
  auto program = rules::compile_policy(std::move(policy), d, grid ? &*grid : nullptr);
  if (!program) throw InputError(d);
  std::vector<Model::Policy> policies;
  std::vector<int> town_policy;
  load_policy_overrides(*spec, *program, policies, town_policy, d);
  if (d.has_errors()) throw InputError(d);
  Model m = build_model(std::move(*spec), std::move(program), d, std::move(policies), std::move(town_policy));
  m.grid = std::move(grid);
  return m;
}

}  // namespace vg::sim
