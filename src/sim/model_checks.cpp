// The checks build_model makes of a scenario against its policy (sim/model_checks.h).
#include "sim/model_checks.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace vg::sim::detail {

// Roles the policy needs that no roster provides: that work can never be done (warnings). Returns
// whether some task counts as screening.
bool warn_unstaffed_tasks(const config::ScenarioSpec& scenario, const rules::Program& prog,
                          const std::vector<TownRoster>& rosters, Diagnostics& d) {
  bool has_screening_task = false;
  std::vector<bool> rostered(prog.roles().size(), false);
  for (const auto& r : rosters)
    for (size_t role = 0; role < r.by_role.size(); ++role) rostered[role] = rostered[role] || !r.by_role[role].empty();
  for (const auto& k : prog.task_kinds()) {
    bool any = false;
    for (size_t role = 0; role < rostered.size(); ++role) any = any || (((k.role_mask >> role) & 1u) && rostered[role]);
    if (!any && k.role_mask)
      d.warning(k.loc, "no roster in scenario '" + scenario.name + "' has a role that may do task '" + k.name +
                           "'; it will never be done");
    for (size_t role = 0; any && k.team && role < rostered.size(); ++role)
      if (((k.role_mask >> role) & 1u) && !rostered[role])
        d.warning(k.loc, "no roster in scenario '" + scenario.name + "' has role '" + prog.roles()[role] +
                             "' that team task '" + k.name + "' needs; it will never be done");
    if (k.counts_as_screening) has_screening_task = true;
    // A post's shift is taken whole, from its start or from when a member comes on (a late start
    // covers the rest), and never past the member's hours with their overtime: a shift no member of
    // its roles can take in their hours is never staffed.
    if (any && k.post >= 0 && k.shift_to > k.shift_from) {
      const int len = k.shift_to - k.shift_from;
      bool can = false;
      for (const auto& r : rosters)
        for (const auto& m : r.staff) {
          if (!((k.role_mask >> m.role) & 1u)) continue;
          const int from = std::max(k.shift_from, int(m.shift_start));
          can = can || (from < k.shift_to && from + len <= m.shift_start + m.minutes_per_day + m.overtime_minutes);
        }
      if (!can)
        d.warning(k.loc, "post shift '" + k.name + "' fits in the hours of no member of its roles in scenario '" +
                             scenario.name +
                             "' (a shift is taken whole, and a late start covers the rest): it is never staffed");
    }
    // A task is never split: one longer than every shift (with its overtime) of the roles that may
    // do it is never started. Post shifts are sized to their window and go by latest start.
    if (!any || k.post >= 0 || k.minutes <= 0) continue;
    int longest = 0;
    for (const auto& r : rosters)
      for (const auto& m : r.staff)
        if ((k.role_mask >> m.role) & 1u) longest = std::max(longest, m.minutes_per_day + m.overtime_minutes);
    if (k.minutes > longest)
      d.warning(k.loc, "task '" + k.name + "' takes " + std::to_string(k.minutes) +
                           " minutes, longer than any shift of " + "the roles that may do it in scenario '" +
                           scenario.name + "' (at most " + std::to_string(longest) +
                           "); it will never be done (a task is not split over shifts)");
  }
  return has_screening_task;
}

// Supplies the policy's tasks use that the scenario gives no stock of: every village starts with
// none, so each such task runs short from day 0 (what its if_short says), which reads like a real
// shortage in the outputs. Warned once per supply, at the first task using it.
void warn_unstocked_supplies(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d) {
  std::vector<bool> warned(prog.supplies().size(), false);
  for (const auto& k : prog.task_kinds())
    for (const auto& [sup, amount] : k.uses) {
      if (amount <= 0 || warned[size_t(sup)]) continue;
      const std::string& name = prog.supplies()[size_t(sup)];
      bool stocked = false;
      if (scenario.supplies)
        for (const auto& st : scenario.supplies->stocks) stocked = stocked || (st.origin == name && st.share > 0);
      if (stocked) continue;
      warned[size_t(sup)] = true;
      d.warning(scenario.supplies
                    ? (scenario.supplies->stocks_loc.file ? scenario.supplies->stocks_loc : scenario.supplies->loc)
                    : scenario.loc,
                "task '" + k.name + "' (" + k.loc.str() + ") uses " + name + " but scenario '" + scenario.name +
                    "' gives " + (scenario.supplies ? "no stock of it" : "no supplies section") +
                    ": every village starts with none, so such tasks run short from day 0 (give supplies: stocks: {" +
                    name + ": N})");
    }
}

// Rules for days the scenario does not run (`on: {day: N}`, `from_day: N`, N at or past the horizon):
// they never fire.
void warn_rules_after_horizon(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d) {
  for (const auto& r : prog.rules()) {
    const int day = r.event == rules::Event::OnDay ? std::max(r.filter, r.from_day) : r.from_day;
    if (day < scenario.horizon_days) continue;
    d.warning(r.loc, "rule '" + r.id + "' is for day " + std::to_string(day) +
                         (r.event == rules::Event::OnDay ? "" : " on") + " but scenario '" + scenario.name +
                         "' runs days 0 to " + std::to_string(scenario.horizon_days - 1) + ": it never fires");
  }
}

// Returnees or staff that come only after the horizon: nothing of theirs is simulated.
void warn_after_horizon(const config::ScenarioSpec& scenario, Diagnostics& d) {
  const double h = scenario.horizon_days;
  for (const auto& w : scenario.arrivals.waves) {
    const SourceLoc& at = w.loc.file ? w.loc : scenario.arrivals.loc.file ? scenario.arrivals.loc : scenario.loc;
    const std::string who = w.name.empty() ? "returnee" : "returnee of wave '" + w.name + "'";
    if (w.share <= 0 && scenario.arrivals.waves.size() > 1) {
      d.warning(at, "wave '" + w.name + "' has share 0: none of the returnees arrive in it");
    } else if (w.first_day >= h) {
      d.warning(at, "every " + who + " arrives on or after day " + std::to_string(scenario.horizon_days) +
                        ", the horizon: none of them is simulated");
    } else if (w.last_day > h) {
      // The triangle's share past the horizon: (last - h)^2 / ((last - first)(last - peak)) when the
      // horizon is past the peak, else 1 - (h - first)^2 / ((last - first)(peak - first)).
      const double span = w.last_day - w.first_day;
      const double after = h >= w.peak_day
                               ? (w.last_day - h) * (w.last_day - h) / (span * (w.last_day - w.peak_day))
                               : 1 - (h - w.first_day) * (h - w.first_day) / (span * (w.peak_day - w.first_day));
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.0f%%", 100 * after);
      if (after >= 0.005)
        d.warning(at, "about " + std::string(pct) +
                          (w.name.empty() ? " of the returnees arrive" : " of wave '" + w.name + "' arrives") +
                          " on or after day " + std::to_string(scenario.horizon_days) +
                          ", the horizon (the wave runs to day " + std::to_string(int(w.last_day)) +
                          "): they are not simulated, and the metrics count only "
                          "those who came home in time");
    }
  }
  auto staff = [&](const std::vector<config::RosterSpec>& roster) {
    for (const auto& r : roster)
      if (r.count > 0 && r.available_from_day >= scenario.horizon_days)
        d.warning(r.loc, "these " + r.role + " staff are available only from day " +
                             std::to_string(r.available_from_day) + ", on or after the horizon (day " +
                             std::to_string(scenario.horizon_days) + "): they never work");
  };
  for (const auto& t : scenario.towns) {
    staff(t.staff);
    for (const auto& v : t.villages) staff(v.staff);
  }
}

// Team templates that need more people of a role than a village can call on (its own staff and
// its town's pool): every team there will have an empty slot.
void warn_short_teams(const config::ScenarioSpec& scenario, const rules::Program& prog,
                      const std::vector<TownRoster>& rosters, Diagnostics& d) {
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
          for (int si : rosters[t].by_role[role]) {
            const int sv = rosters[t].staff[size_t(si)].village;
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

// What the policy needs of the scenario's grid (errors).
void check_grid_needs(const config::ScenarioSpec& scenario, const rules::Program& prog, Diagnostics& d,
                      const std::string& whose) {
  const std::string names = whose.empty() ? "scenario '" + scenario.name + "'" : whose;
  // Tasks for a household's contact member need a grid that gives households one, of a role that may do the task.
  for (const auto& k : prog.task_kinds()) {
    if (!k.assign_contact_member) continue;
    const auto& g = prog.grid();
    if (!g || g->contact_role < 0)
      d.error(k.loc, "task '" + k.name + "' goes to each household's contact member, but " + names +
                         " names no grid with a household level led by a role (" +
                         (whose.empty() ? "policy: grid: FILE" : "its overrides entry's grid: FILE") + ")");
    else if (!((k.role_mask >> g->contact_role) & 1u))
      d.error(k.loc, "task '" + k.name + "' goes to each household's contact member, a " +
                         prog.roles()[size_t(g->contact_role)] +
                         ", but that role is not among the task's roles (grid '" + g->name +
                         "' makes it the household level's leader, at " + g->contact_loc.str() +
                         "): lead the household level by one of the task's roles, or add the role to the task");
  }
  // Escalation climbs the grid: a scenario without one cannot run such rules.
  if (!prog.grid())
    for (const auto& r : prog.rules())
      for (const auto& a : r.actions)
        if (std::holds_alternative<rules::Escalate>(a))
          d.error(r.loc, "rule '" + r.id + "' escalates up the grid, but " + names + " names no grid (" +
                             (whose.empty() ? "policy: grid: FILE" : "its overrides entry's grid: FILE") + ")");
}

// A village whose own staff, with its town's, have none of the roles a task of its policy takes
// (every role, for a team task): that work is never done there, while check, looking at the
// region, found each role rostered somewhere (village staff serve only their own village). Kinds
// no roster of the region can do are warned of once, by warn_unstaffed_tasks; tracking duties by
// warn_short_teams.
void warn_unstaffed_villages(const config::ScenarioSpec& scenario, const Model& m,
                             const std::vector<TownRoster>& rosters, Diagnostics& d) {
  uint32_t anywhere = 0;
  for (const auto& r : rosters)
    for (const auto& s : r.staff) anywhere |= 1u << s.role;
  int vi = 0;
  for (size_t t = 0; t < scenario.towns.size() && t < rosters.size(); ++t) {
    const rules::Program& prog = m.town_program(t);
    for (const auto& v : scenario.towns[t].villages) {
      uint32_t here = 0;
      for (const auto& s : rosters[t].staff)
        if (s.village == -1 || s.village == vi) here |= 1u << s.role;
      std::vector<std::string> missed;
      uint32_t roles = 0;
      for (const auto& k : prog.task_kinds()) {
        if (k.tracking >= 0 || k.role_mask == 0 || (k.role_mask & anywhere) == 0) continue;
        if (k.team ? (k.role_mask & here) == k.role_mask : (k.role_mask & here) != 0) continue;
        missed.push_back(k.name);
        roles |= k.role_mask & ~here;
      }
      ++vi;
      if (missed.empty()) continue;
      std::string tasks;
      for (size_t i = 0; i < missed.size() && i < 4; ++i) tasks += (i ? ", '" : "'") + missed[i] + "'";
      if (missed.size() > 4) tasks += " and " + std::to_string(missed.size() - 4) + " more";
      std::string names;
      for (size_t r = 0; r < prog.roles().size(); ++r)
        if ((roles >> r) & 1u) names += (names.empty() ? "" : ", ") + prog.roles()[r];
      d.warning(v.loc, "village '" + v.name + "': none of its staff, nor its town's, may do " +
                           (missed.size() == 1 ? "task " : "tasks ") + tasks +
                           " of its policy: they are never done there (roles that could: " + names +
                           "; a village's staff serve only their own village, its town's every village of the town)");
    }
  }
}

// A grid level whose daily coordination (a task for the leader of each unit) asks more minutes in a
// village than every member of its roles serving the village has in a day, before any other
// work (one instructor leading 16 party groups at 60 minutes); or, over a town's villages, more
// than the town's members of its roles (its own and its villages') have together: at least the
// difference goes undone every day.
void warn_grid_hours(const Model& m, Diagnostics& d) {
  const auto& pop = *m.population;
  auto hours = [](int64_t minutes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", double(minutes) / 60.0);
    return std::string(buf);
  };
  for (size_t t = 0; t < pop.towns() && t < m.rosters.size(); ++t) {
    const auto& prog = m.town_program(t);
    const auto& grid = prog.grid();
    if (!grid) continue;
    for (const auto& level : grid->levels) {
      if (level.leader_task < 0) continue;
      const auto& k = prog.task_kinds()[size_t(level.leader_task)];
      std::string roles;
      for (size_t r = 0; r < prog.roles().size(); ++r)
        if ((k.role_mask >> r) & 1u) roles += (roles.empty() ? "" : " or ") + prog.roles()[r];
      auto said = [&](int64_t units, int64_t need, int64_t have) {
        return "asks " + std::to_string(units) + (units == 1 ? " coordination task" : " coordination tasks") +
               " a day of " + std::to_string(k.minutes) + " minutes: " + hours(need) + " hours a day of " + roles +
               ", who have " + hours(have) + " hours";
      };
      int64_t town_need = 0, town_units = 0, pool = 0, town_have = 0;
      bool warned = false;
      for (const auto& s : m.rosters[t].staff)
        if (s.village == -1 && ((k.role_mask >> s.role) & 1u)) pool += s.minutes_per_day + s.overtime_minutes;
      town_have = pool;
      for (size_t v = pop.town_villages[t].begin; v < pop.town_villages[t].end; ++v) {
        const int64_t units = level.unit == rules::GridLevel::Unit::Village ? 1 : int64_t(pop.village_groups[v].size());
        const int64_t need = units * k.minutes;
        int64_t own = 0;
        for (const auto& s : m.rosters[t].staff)
          if (s.village == int32_t(v) && ((k.role_mask >> s.role) & 1u)) own += s.minutes_per_day + s.overtime_minutes;
        town_need += need;
        town_units += units;
        town_have += own;
        if (need <= own + pool || units == 0) continue;
        warned = true;
        d.warning(k.loc, "grid '" + grid->name + "': in village '" + pop.village_name[v] + "', level '" + level.name +
                             "' " + said(units, need, own + pool) + " there in all: at least " +
                             hours(need - own - pool) +
                             " hours of it go undone every day (fewer minutes for the level, or more of its leaders)");
      }
      if (!warned && town_need > town_have)
        d.warning(k.loc, "grid '" + grid->name + "': in town '" + pop.town_name[t] + "', level '" + level.name + "' " +
                             said(town_units, town_need, town_have) +
                             " in the town in all (its own staff, shared by its villages, and theirs): at least " +
                             hours(town_need - town_have) +
                             " hours of it go undone every day (fewer minutes for the level, or more of its leaders)");
    }
  }
}

namespace {

// The share of a triangular wave's arrivals before day x.
double before(const config::ArrivalWave& w, double x) {
  if (x <= w.first_day) return 0;
  if (x >= w.last_day) return 1;
  const double span = w.last_day - w.first_day;
  if (x <= w.peak_day) return (x - w.first_day) * (x - w.first_day) / (span * (w.peak_day - w.first_day));
  return 1 - (w.last_day - x) * (w.last_day - x) / (span * (w.last_day - w.peak_day));
}

}  // namespace

// Returnees to be found (`finding:`) who come home after the policy's last household visit: when
// every household-contact task comes from a rule on a given day, its rounds end on a known day, and
// those arriving after it (before the horizon) are found only by their own or a neighbour's report.
// The shipped sweep runs five weekly rounds from day 0, for arrivals that end about day 10; a
// return-to-work wave a month later went mostly unfound, silently.
void warn_arrivals_after_visits(const config::ScenarioSpec& scenario, const Model& m, Diagnostics& d) {
  if (!scenario.finding) return;
  // Each program the region runs (the scenario's, a per-village policy's), with its villages.
  std::vector<const rules::Program*> programs;
  std::vector<std::string> villages;
  std::vector<size_t> towns_under;
  for (size_t t = 0; t < scenario.towns.size(); ++t) {
    const rules::Program* p = &m.town_program(t);
    size_t i = size_t(std::find(programs.begin(), programs.end(), p) - programs.begin());
    if (i == programs.size()) programs.push_back(p), villages.emplace_back(), towns_under.push_back(0);
    ++towns_under[i];
    for (const auto& v : scenario.towns[t].villages) villages[i] += (villages[i].empty() ? "" : ", ") + v.name;
  }
  struct Said {  // one warning for the policies whose visits end alike, naming all their villages
    std::string head, rule_loc, villages;
    const config::ArrivalWave* wave;
    size_t towns;
  };
  std::vector<Said> said;
  for (size_t i = 0; i < programs.size(); ++i) {
    const rules::Program& prog = *programs[i];
    double last = -1;
    const rules::CompiledRule* by = nullptr;
    bool open_ended = false;
    for (const auto& k : prog.task_kinds()) {
      if (!k.counts_as_household_contact) continue;
      // The grid's, or a rule's raised again and again (day_started, an event): visits go on.
      if (k.rule < 0 || prog.rules()[size_t(k.rule)].event != rules::Event::OnDay) {
        open_ended = true;
        break;
      }
      const auto& r = prog.rules()[size_t(k.rule)];
      const int rounds = k.repeat.every_days > 0 ? std::max(1, k.repeat.times) : 1;
      const double end = std::max(r.filter, r.from_day) + double(k.repeat.every_days) * (rounds - 1) +
                         double(k.within_minutes) / 1440.0;
      if (end > last) last = end, by = &r;
    }
    if (open_ended || !by || last >= scenario.horizon_days) continue;
    double after = 0;  // of every returnee, those arriving after `last` and before the horizon
    const config::ArrivalWave* most = nullptr;
    double most_after = 0;
    for (const auto& w : scenario.arrivals.waves) {
      const double a = w.share * (before(w, scenario.horizon_days) - before(w, last));
      after += a;
      if (a > most_after) most_after = a, most = &w;
    }
    if (after < 0.05 || !most) continue;
    char buf[240];
    std::snprintf(buf, sizeof buf,
                  "about %.0f%% of the returnees arrive after day %.0f, when the last household visit of rule '%s' "
                  "ends",
                  100 * after, last, by->id.c_str());
    auto same = std::find_if(said.begin(), said.end(), [&](const Said& s) { return s.head == buf; });
    if (same == said.end()) {
      said.push_back({buf, by->loc.str(), villages[i], most, towns_under[i]});
    } else {
      same->villages += ", " + villages[i];
      same->towns += towns_under[i];
    }
  }
  for (const auto& s : said)
    d.warning(s.wave->loc.file             ? s.wave->loc
              : scenario.arrivals.loc.file ? scenario.arrivals.loc
                                           : scenario.loc,
              s.head + " (" + s.rule_loc + (s.towns == scenario.towns.size() ? "" : "; for " + s.villages) +
                  "): nobody visits their households, so only their own or a neighbour's report finds them "
                  "(finding:); more rounds of the visits (repeat: times) would reach them");
}

// A task name that a per-village policy defines otherwise than a policy before it (its guideline,
// minutes or roles): the outputs count tasks by kind by name (Model::task_kinds), so the two are
// one row there, under the first's guideline.
void warn_task_kind_clashes(const Model& m, Diagnostics& d) {
  std::vector<const rules::TaskKind*> first;
  auto seen = [&](const std::string& name) -> const rules::TaskKind* {
    for (const auto* k : first)
      if (k->name == name) return k;
    return nullptr;
  };
  auto add = [&](const rules::Program& p, bool check) {
    for (const auto& k : p.task_kinds()) {
      const rules::TaskKind* f = seen(k.name);
      if (!f) {
        first.push_back(&k);
        continue;
      }
      if (!check || (f->guideline == k.guideline && f->minutes == k.minutes && f->role_mask == k.role_mask)) continue;
      d.warning(k.loc,
                "task '" + k.name + "' of this per-village policy is not the task of that name at " + f->loc.str() +
                    " (guideline " + std::to_string(k.guideline) + " against " + std::to_string(f->guideline) + ", " +
                    std::to_string(k.minutes) + " minutes against " + std::to_string(f->minutes) +
                    (f->role_mask == k.role_mask ? "" : ", other roles") +
                    "): summary.json and compare count tasks by name, so both are one kind there, under guideline " +
                    std::to_string(f->guideline) + "; give it a name of its own");
    }
  };
  add(*m.program, false);
  for (const auto& p : m.policies) add(*p.program, true);
}

}  // namespace vg::sim::detail
