// The exercise file's warnings (lint.h).
#include "exercise/lint.h"

#include <algorithm>

namespace vg::exercise {

namespace {

// The village an inject's effect happens in ("" when none, or every village, or a town's staff).
std::pair<std::string, SourceLoc> effect_village(const Effect& e) {
  switch (e.kind) {
    case Effect::Kind::Surge: return {e.surge.village, e.surge.village_loc};
    case Effect::Kind::Absence:
      return e.absence.town ? std::pair<std::string, SourceLoc>{} : std::pair{e.absence.place, e.absence.place_loc};
    case Effect::Kind::Stock: return {e.stock.village, e.stock.village_loc};
    case Effect::Kind::Fever: return {e.fever.village, e.fever.village_loc};
    case Effect::Kind::Raise: return {e.raise.village, e.raise.village_loc};
    case Effect::Kind::None: break;
  }
  return {};
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Whether some task or monitoring of the policy of one of `villages` (every village when empty)
// uses the supply: the simulation's "used supply" (sim/engine.cpp), whose stockouts count.
bool supply_used(const sim::Model& m, const std::string& supply, const std::vector<std::string>& villages) {
  const auto& supplies = m.program->supplies();
  const auto k = int(std::find(supplies.begin(), supplies.end(), supply) - supplies.begin());
  if (k >= int(supplies.size())) return true;  // a misspelt supply is an error elsewhere
  const auto& names = m.population->village_name;
  for (size_t v = 0; v < names.size(); ++v) {
    if (!villages.empty() && std::find(villages.begin(), villages.end(), names[v]) == villages.end()) continue;
    const rules::Program& p = m.town_program(m.population->village_town[v]);
    for (const auto& kind : p.task_kinds())
      for (const auto& use : kind.uses)
        if (use.first == k) return true;
    for (size_t mk = 0; mk < p.monitoring().size(); ++mk)
      for (const auto& use : p.monitoring_uses(int(mk)))
        if (use.first == k) return true;
  }
  return false;
}

// Said of a supply no task or monitoring uses.
const char* const kUnused =
    ", which no task or monitoring of the policy uses: its stock changes no work, so no alert says it is out and "
    "stockout_days stays 0";

}  // namespace

void lint_exercise(const Session& s, Diagnostics& d) {
  const ExerciseSpec& x = s.spec();
  for (const auto& in : x.injects) {
    const auto [village, loc] = effect_village(in.effect);
    const auto team = std::find_if(x.teams.begin(), x.teams.end(), [&](const Team& t) { return t.name == in.player; });
    auto plays = [&v = village](const Team& t) {  // a structured binding is captured by name
      return std::find(t.villages.begin(), t.villages.end(), v) != t.villages.end();
    };
    if (!village.empty() && team != x.teams.end() && !plays(*team)) {
      const auto other = std::find_if(x.teams.begin(), x.teams.end(), plays);
      d.warning(loc, "inject '" + in.id + "' happens in " + village + ", which its player, team '" + team->name +
                         "', does not play (it plays " + joined(team->villages) + ")" +
                         (other != x.teams.end()
                              ? ": team '" + other->name + "' plays " + village + "; make it the inject's player"
                              : ": no team plays it, so every command naming " + village +
                                    " is refused, and the objectives measure only the played villages"));
    }
    if (in.effect.kind == Effect::Kind::Stock &&
        !supply_used(s.base(), in.effect.stock.supply,
                     village.empty() ? std::vector<std::string>{} : std::vector<std::string>{village}))
      d.warning(in.effect.stock.supply_loc, "inject '" + in.id + "' sets the stock of " + in.effect.stock.supply +
                                                (village.empty() ? "" : " in " + village) + kUnused);
  }
  for (const auto& o : x.objectives)
    if (o.measure == Objective::Measure::SupplyOutAtMost && !supply_used(s.base(), o.supply, s.played_villages()))
      d.warning(o.supply_loc, "objective '" + o.id + "' counts the days the played villages are out of " + o.supply +
                                  kUnused + ": the objective can say 'out' while nothing else does");
}

}  // namespace vg::exercise
