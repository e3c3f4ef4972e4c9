#include "analysis/plan_roster.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vg::sim {

std::vector<int> split_in_proportion(int total, const std::vector<int>& weights) {
  std::vector<int64_t> w(weights.begin(), weights.end());
  int64_t sum = std::accumulate(w.begin(), w.end(), int64_t(0));
  if (sum <= 0) {
    std::fill(w.begin(), w.end(), 1);
    sum = int64_t(w.size());
  }
  std::vector<int> out(w.size(), 0);
  std::vector<std::pair<int64_t, size_t>> rest;  // remainder, entry
  int given = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    out[i] = int(int64_t(total) * w[i] / sum);
    given += out[i];
    rest.emplace_back(int64_t(total) * w[i] % sum, i);
  }
  std::stable_sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total && k < rest.size(); ++k, ++given) ++out[rest[k].second];
  return out;
}

namespace {

using config::role_limit;
using config::RoleLimit;
using config::RosterSpec;
using config::ScenarioSpec;
using config::TownSpec;

int residents(const TownSpec& t) {
  int n = 0;
  for (const auto& v : t.villages) n += v.residents;
  return n;
}

// Sets the entries of `role` in one roster to `headcount`, split as the base roster's entries are.
void set_roster(std::vector<RosterSpec>& staff, const std::vector<RosterSpec>& base, const std::string& role,
                int headcount) {
  std::vector<int> weights;
  for (const auto& r : base)
    if (r.role == role) weights.push_back(r.count);
  const std::vector<int> counts = split_in_proportion(headcount, weights);
  size_t k = 0;
  for (auto& r : staff)
    if (r.role == role) r.count = counts[k++];
}

bool lists(const std::vector<RosterSpec>& staff, const std::string& role) {
  return std::any_of(staff.begin(), staff.end(), [&](const RosterSpec& r) { return r.role == role; });
}

// The rosters of a part: the town's own (town parts) and its villages' (one, for a village part).
template <class Town, class F>
void for_each_roster(Town& t, const PlanPart& part, int village, F&& f) {
  if (part.is_town) f(t.staff, -1);
  for (size_t v = 0; v < t.villages.size(); ++v)
    if (part.is_town || int(v) == village) f(t.villages[v].staff, int(v));
}

// The village of a village part (index in its town).
int village_in_town(const ScenarioSpec& s, const PlanPart& part) {
  if (part.is_town) return -1;
  size_t g = 0;
  for (const auto& t : s.towns) {
    if (t.name == part.town) return int(part.villages[0] - g);
    g += t.villages.size();
  }
  return -1;
}

size_t town_of(const ScenarioSpec& s, const PlanPart& part) {
  for (size_t t = 0; t < s.towns.size(); ++t)
    if (s.towns[t].name == part.town) return t;
  return 0;
}

// Sets role `role` of the part in town `t` to `value` (what it means: req.mode).
void apply_role(TownSpec& t, const TownSpec& bt, const PlanRequest& req, const PlanPart& part, int village,
                const std::string& role, int value) {
  if (req.mode == VaryMode::TownTotal) {  // one split over every entry of the town
    std::vector<int> weights;
    for_each_roster(bt, part, village, [&](const std::vector<RosterSpec>& staff, int) {
      for (const auto& r : staff)
        if (r.role == role) weights.push_back(r.count);
    });
    const std::vector<int> counts = split_in_proportion(value, weights);
    size_t k = 0;
    for_each_roster(t, part, village, [&](std::vector<RosterSpec>& staff, int) {
      for (auto& r : staff)
        if (r.role == role) r.count = counts[k++];
    });
    return;
  }
  for_each_roster(t, part, village, [&](std::vector<RosterSpec>& staff, int v) {
    const auto& base = v < 0 ? bt.staff : bt.villages[size_t(v)].staff;
    if (!lists(base, role)) return;
    int headcount = value;
    if (req.mode == VaryMode::PerResidents) {
      const int res = v < 0 ? residents(bt) : bt.villages[size_t(v)].residents;
      headcount = int(std::lround(double(value) * res / req.per));
    }
    set_roster(staff, base, role, headcount);
  });
}

// A role of the roster above the max_count its entries give (the least of them), said as "village
// 'Pushan' allows at most 7 village_cadre (max_count)"; "" when none is.
std::string above_max_count(const std::vector<RosterSpec>& staff, const std::string& where) {
  for (const auto& r : staff)
    if (const RoleLimit lim = role_limit(staff, r.role); lim.exceeded())
      return where + " allows at most " + std::to_string(lim.most) + " " + r.role + " (its max_count)";
  return {};
}

// Why the part's rosters in `t` break the scenario's limits ("" when they do not): the checks of
// the scenario loader (config/scenario_loader.cpp) on a village's party members and every count.
std::string limit_broken(const TownSpec& t, const PlanPart& part, int village) {
  std::string why;
  for_each_roster(t, part, village, [&](const std::vector<RosterSpec>& staff, int v) {
    int party = 0;
    int64_t resident = 0;
    for (const auto& r : staff) {
      if (r.count > config::ScenarioLimits::max_staff_per_role && why.empty())
        why = "more than " + std::to_string(config::ScenarioLimits::max_staff_per_role) + " " + r.role + " staff";
      if (r.role == "party_member") party += r.count;
      if (!r.seconded) resident += r.count;
    }
    const std::string where = v < 0 ? "town '" + t.name + "'" : "village '" + t.villages[size_t(v)].name + "'";
    if (const std::string over = above_max_count(staff, where); !over.empty() && why.empty()) why = over;
    if (v < 0) return;
    const auto& vs = t.villages[size_t(v)];
    if (vs.residents > 0 && party > vs.party_members && why.empty())
      why = "village '" + vs.name + "' has only " + std::to_string(vs.party_members) + " party members";
    if (vs.residents > 0 && resident > vs.residents && why.empty())
      why = "village '" + vs.name + "' has only " + std::to_string(vs.residents) + " residents to staff it";
  });
  return why;
}

double roster_cost(const std::vector<RosterSpec>& staff, PlanCost cost) {
  double c = 0;
  for (const auto& r : staff) c += cost == PlanCost::Hours ? r.count * r.hours_per_day : r.count;
  return c;
}

// Whether town `t`'s villages can be planned one by one: the town has no staff of its own (and
// none varied into it) and no town-level transmission couples them.
bool villages_apart(const Model& base, const TownSpec& t, const PlanRequest& req) {
  if (req.mode == VaryMode::TownTotal) return false;
  if (base.disease && base.disease->rates().town_per_day > 0) return false;
  return std::none_of(t.staff.begin(), t.staff.end(), [](const RosterSpec& r) { return r.count > 0; }) &&
         std::none_of(req.vary.begin(), req.vary.end(), [&](const VarySpec& v) { return lists(t.staff, v.role); });
}

// The values of each varied role for `part`, up to the first that breaks a limit.
void part_values(const ScenarioSpec& s, const PlanRequest& req, PlanPart& part) {
  const size_t ti = town_of(s, part);
  const int village = village_in_town(s, part);
  const TownSpec& bt = s.towns[ti];
  part.values.assign(req.vary.size(), {});
  part.out_of_range.assign(req.vary.size(), "");
  for (size_t k = 0; k < req.vary.size(); ++k) {
    const auto& v = req.vary[k];
    bool rostered = false;
    for_each_roster(bt, part, village,
                    [&](const std::vector<RosterSpec>& staff, int) { rostered = rostered || lists(staff, v.role); });
    if (!rostered) continue;
    for (int x = v.min; x <= v.max; x += v.step) {
      TownSpec t = bt;
      apply_role(t, bt, req, part, village, v.role, x);
      if (std::string why = limit_broken(t, part, village); !why.empty()) {
        part.out_of_range[k] =
            v.role + "=" + std::to_string(x) + (x < v.max ? ".." + std::to_string(v.max) : "") + " not run: " + why;
        // One headcount for every village: the smallest caps the others. Sized to residents it does not.
        if (req.mode == VaryMode::PerRoster && part.villages.size() > 1)
          part.out_of_range[k] +=
              "; the same headcount goes to every village, so the smallest caps the others: "
              "--per 1000 sizes each village's to its residents";
        // A rate's step can jump past a limit: the people it is, and a finer rate.
        if (req.mode == VaryMode::PerResidents) {
          int people = 0;
          for_each_roster(t, part, village, [&](const std::vector<RosterSpec>& staff, int) {
            int c = 0;
            for (const auto& r : staff) c += r.role == v.role ? r.count : 0;
            people = std::max(people, c);
          });
          part.out_of_range[k] += " (" + std::to_string(x) + " per " + std::to_string(req.per) + " residents is " +
                                  std::to_string(people) + " people in its largest roster" +
                                  (int64_t(req.per) * 10 <= kMaxPerResidents
                                       ? "; --per " + std::to_string(int64_t(req.per) * 10) + " gives finer steps)"
                                       : ")");
        }
        break;
      }
      part.values[k].push_back(x);
    }
  }
}

}  // namespace

std::vector<PlanPart> plan_parts(const Model& base, const PlanRequest& req) {
  std::vector<PlanPart> parts;
  size_t g = 0;
  for (const auto& t : base.scenario.towns) {
    if (villages_apart(base, t, req)) {
      for (const auto& v : t.villages) {
        PlanPart& p = parts.emplace_back();
        p.name = v.name;
        p.town = t.name;
        p.villages = {g++};
      }
    } else {
      PlanPart p;
      p.name = t.name;
      p.town = t.name;
      p.is_town = true;
      for (size_t v = 0; v < t.villages.size(); ++v) p.villages.push_back(g++);
      if (t.villages.size() == 1) p.only_village = t.villages[0].name;
      parts.push_back(std::move(p));
    }
  }
  for (auto& p : parts) part_values(base.scenario, req, p);
  return parts;
}

namespace {

// Sets the part's rosters in `t` (a copy of the part's town in `base`) to `point`.
void apply_to_town(TownSpec& t, const ScenarioSpec& base, const PlanRequest& req, const PlanPart& part,
                   const PartPoint& point) {
  const TownSpec& bt = base.towns[town_of(base, part)];
  const int village = village_in_town(base, part);
  for (size_t k = 0; k < req.vary.size(); ++k)
    if (!part.values[k].empty())
      apply_role(t, bt, req, part, village, req.vary[k].role, part.values[k][size_t(point[k])]);
}

}  // namespace

void apply_point(config::ScenarioSpec& s, const config::ScenarioSpec& base, const PlanRequest& req,
                 const PlanPart& part, const PartPoint& point) {
  apply_to_town(s.towns[town_of(base, part)], base, req, part, point);
}

double part_cost(const config::ScenarioSpec& base, const PlanRequest& req, const PlanPart& part,
                 const PartPoint& point) {
  TownSpec t = base.towns[town_of(base, part)];
  apply_to_town(t, base, req, part, point);
  double c = 0;
  for_each_roster(t, part, village_in_town(base, part),
                  [&](const std::vector<RosterSpec>& staff, int) { c += roster_cost(staff, req.cost); });
  return c;
}

std::vector<int> part_people(const config::ScenarioSpec& base, const PlanRequest& req, const PlanPart& part,
                             const PartPoint& point) {
  TownSpec t = base.towns[town_of(base, part)];
  apply_to_town(t, base, req, part, point);
  std::vector<int> people(req.vary.size(), -1);
  for (size_t k = 0; k < req.vary.size(); ++k) {
    if (part.values[k].empty()) continue;
    people[k] = 0;
    for_each_roster(t, part, village_in_town(base, part), [&](const std::vector<RosterSpec>& staff, int) {
      for (const auto& r : staff)
        if (r.role == req.vary[k].role) people[k] += r.count;
    });
  }
  return people;
}

double scenario_cost(const config::ScenarioSpec& s, PlanCost cost) {
  double c = 0;
  for (const auto& t : s.towns) {
    c += roster_cost(t.staff, cost);
    for (const auto& v : t.villages) c += roster_cost(v.staff, cost);
  }
  return c;
}

std::string describe_point(const PlanRequest& req, const PlanPart& part, const PartPoint& point) {
  std::string out;
  for (size_t k = 0; k < req.vary.size(); ++k)
    if (!part.values[k].empty())
      out += (out.empty() ? "" : ", ") + req.vary[k].role + "=" + std::to_string(part.values[k][size_t(point[k])]);
  return out;
}

}  // namespace vg::sim
