#include "config/grid_loader.h"

#include <cmath>

#include "config/reader.h"

namespace vg::config {

std::optional<GridSpec> load_grid(const std::string& path, Diagnostics& d) {
  const size_t errors_before = d.error_count();
  auto root = load_yaml_file(path, d);
  if (!root) return std::nullopt;
  GridSpec g;
  g.path = path;
  g.loc = root->loc;
  // A scenario, policy or exercise file where a grid goes: one error saying so, not a "missing
  // 'grid'" and an unknown key for each of its sections.
  if (root->is_map() && !root->find("grid"))
    for (const auto& [key, value] : root->entries)
      for (const auto& [k, what] :
           {std::pair{"scenario", "a scenario file"}, std::pair{"rules", "a policy file"},
            std::pair{"vocabulary", "a policy file"}, std::pair{"exercise", "an exercise file"}})
        if (key.scalar == k) {
          d.error(key.loc, std::string("this is ") + what +
                               ", not a grid: a grid file starts with a 'grid:' section (docs/grids.md), and a "
                               "scenario names it under policy.grid");
          return std::nullopt;
        }
  MapReader top(*root, d, "grid file");
  if (!top.ok()) return std::nullopt;
  if (auto* gn = top.require("grid")) {
    MapReader m(*gn, d, "'grid'");
    if (m.ok()) {
      if (auto s = m.identifier(required("name"), "grid name")) g.name = *s;
      if (auto s = m.string("title")) g.title = *s;
      static constexpr std::string_view kSources[] = {"report", "assumption"};
      if (auto c = m.choice(required("source"), kSources)) g.from_report = *c == 0;
      if (auto s = m.string("note")) g.note = *s;
      const YamlNode* src = gn->find("source");
      if (src && !g.from_report && g.note.empty() && src->is_scalar() && src->scalar == "assumption")
        d.error(src->loc, "an assumption needs a 'note' saying what it assumes and why");
      if (auto v = m.integer(required("households_per_member"), 1, 10000)) g.households_per_member = int(*v);
      if (auto v = m.boolean("cover_all")) g.cover_all = *v;
      if (auto* x = m.require("levels")) {
        if (expect_list(*x, d, "levels")) {
          if (x->items.empty() || x->items.size() > 3)
            d.error(x->loc, "a grid has one to three levels (village, villager group, household)");
          static constexpr std::string_view kUnits[] = {"village", "villager_group", "household"};
          size_t last_unit = 0;
          for (size_t i = 0; i < x->items.size(); ++i) {
            const auto& item = x->items[i];
            MapReader lm(item, d, "grid level");
            if (!lm.ok()) continue;
            GridLevelSpec l;
            l.loc = item.loc;
            if (auto s = lm.identifier(required("name"), "level name")) {
              l.name = *s;
              // A level's name names its coordination task (grid:NAME): two levels may not share one.
              for (const auto& other : g.levels)
                if (other.name == l.name)
                  d.error(item.find("name")->loc, "level name '" + l.name + "' is used twice (first at line " +
                                                      std::to_string(other.loc.line) +
                                                      "); each level's coordination task is named after it");
            }
            if (auto* y = lm.require("unit"))
              if (auto c = read_choice(*y, d, "level unit", kUnits)) {
                l.unit = std::string(kUnits[*c]);
                if (i > 0 && *c <= last_unit)
                  d.error(y->loc, "levels go from the village down: unit '" + l.unit + "' cannot come after '" +
                                      std::string(kUnits[last_unit]) + "'");
                if (i == 0 && *c != 0) d.error(y->loc, "the first level of a grid is the village");
                last_unit = *c;
              }
            if (auto s = lm.identifier("led_by", "role")) {
              l.led_by = *s;
              l.led_by_loc = item.find("led_by")->loc;
            }
            if (auto v = lm.integer("leader_minutes_per_day", 0, 16 * 60)) l.leader_minutes_per_day = int(*v);
            if (auto v = lm.number("report_delay_hours", 0, 24 * 14))
              l.report_delay_minutes = int(std::lround(*v * 60));
            lm.finish();
            if (l.leader_minutes_per_day > 0 && l.unit == "household")
              d.error(item.loc, "level '" + l.name +
                                    "' is the household level: its members' work is the rules' "
                                    "household tasks (assign: contact_member), not leader_minutes_per_day");
            if (l.leader_minutes_per_day > 0 && l.led_by.empty())
              d.error(item.loc, "level '" + l.name + "' has leader_minutes_per_day but no led_by role");
            g.levels.push_back(std::move(l));
          }
        }
      }
      m.finish();
    }
  }
  top.finish();
  if (d.error_count() > errors_before) return std::nullopt;
  return g;
}

}  // namespace vg::config
