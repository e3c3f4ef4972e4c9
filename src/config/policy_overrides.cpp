#include "config/policy_overrides.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "config/reader.h"

namespace vg::config {

std::string resolve_path(const std::string& base_file, const std::string& rel) {
  std::filesystem::path p(rel);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (std::filesystem::path(base_file).parent_path() / p).lexically_normal().string();
}

void read_rule_files(const YamlNode& list, const std::string& base_file, std::vector<std::string>& files,
                     std::vector<SourceLoc>& locs, Diagnostics& d) {
  for (const auto& f : list.items)
    if (auto v = read_string(f, d, "rule file")) {
      files.push_back(resolve_path(base_file, *v));
      locs.push_back(f.loc);
    }
}

namespace {

// The override each village (global index) is listed in, or -1.
std::vector<int> village_overrides(const ScenarioSpec& s) {
  std::map<std::string, int> index;
  int gv = 0;
  for (const auto& t : s.towns)
    for (const auto& v : t.villages) index.emplace(v.name, gv++);
  std::vector<int> out(size_t(gv), -1);
  for (size_t o = 0; o < s.policy_overrides.size(); ++o)
    for (const auto& name : s.policy_overrides[o].villages)
      if (auto it = index.find(name); it != index.end() && out[size_t(it->second)] < 0)
        out[size_t(it->second)] = int(o);
  return out;
}

// The first override with the same rule files and grid as override o (o itself when none before it).
int canonical(const ScenarioSpec& s, int o) {
  if (o < 0) return -1;
  const PolicyKey k = policy_key(s, o);
  for (int e = 0; e < o; ++e)
    if (policy_key(s, e) == k) return e;
  return o;
}

std::string describe(const ScenarioSpec& s, int o) {
  if (o < 0) return "the scenario's policy";
  return "the override at " + s.policy_overrides[size_t(o)].loc.str();
}

}  // namespace

void read_policy_overrides(const YamlNode& list, ScenarioSpec& s, Diagnostics& d) {
  for_each_map(list, d, "policy overrides", "policy override", [&](MapReader& m, const YamlNode& item) {
    PolicyOverrideSpec o;
    o.loc = item.loc;
    if (auto* vs = m.require("villages"); vs && expect_list(*vs, d, "override villages")) {
      if (vs->items.empty()) d.error(vs->loc, "a policy override names no villages");
      for (const auto& v : vs->items)
        if (auto name = read_string(v, d, "village name")) {
          o.villages.push_back(*name);
          o.village_locs.push_back(v.loc);
        }
    }
    if (auto* r = m.get("rules"); r && expect_list(*r, d, "override rules")) {
      if (r->items.empty())
        d.error(r->loc, "a policy override lists no rule files (leave `rules` out to keep the scenario's)");
      read_rule_files(*r, s.path, o.rule_files, o.rule_file_locs, d);
    }
    if (auto v = m.string("grid", "grid file")) {
      o.grid_file = resolve_path(s.path, *v);
      o.grid_file_loc = item.find("grid")->loc;
    }
    if (!item.find("rules") && !item.find("grid"))
      d.error(item.loc, "a policy override gives neither rules nor a grid: it would change nothing");
    s.policy_overrides.push_back(std::move(o));
  });
}

PolicyKey policy_key(const ScenarioSpec& s, int o) {
  PolicyKey k{s.rule_files, s.grid_file};
  if (o < 0) return k;
  const auto& ov = s.policy_overrides[size_t(o)];
  if (!ov.rule_files.empty()) k.rule_files = ov.rule_files;
  if (!ov.grid_file.empty()) k.grid_file = ov.grid_file;
  return k;
}

void check_policy_overrides(const ScenarioSpec& s, Diagnostics& d) {
  if (s.policy_overrides.empty()) return;
  std::vector<std::string> names;
  std::map<std::string, SourceLoc> named;  // village -> where an override first names it
  for (const auto& t : s.towns)
    for (const auto& v : t.villages) names.push_back(v.name);
  for (const auto& o : s.policy_overrides)
    for (size_t i = 0; i < o.villages.size(); ++i) {
      const auto& name = o.villages[i];
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        d.error(o.village_locs[i],
                unknown_name("village", name, names, {"; the region has: ", "; the region has no villages", 12}));
        continue;
      }
      if (auto [it, fresh] = named.emplace(name, o.village_locs[i]); !fresh)
        d.error(o.village_locs[i],
                "village '" + name + "' already has a policy override (at " + it->second.str() + ")");
    }
  if (d.has_errors()) return;
  // A town runs under one program: its villages must all run under the same policy.
  const std::vector<int> by_village = village_overrides(s);
  size_t gv = 0;
  for (const auto& t : s.towns) {
    const size_t first = gv;
    for (size_t k = 0; k < t.villages.size(); ++k, ++gv) {
      const int a = canonical(s, by_village[first]), b = canonical(s, by_village[gv]);
      if (a == b) continue;
      const auto& v = t.villages[k];
      const SourceLoc at = named.count(v.name) ? named.at(v.name) : v.loc;
      d.error(at, "village '" + v.name + "' runs under " + describe(s, b) + " but village '" + t.villages[0].name +
                      "' of the same town '" + t.name + "' runs under " + describe(s, a) +
                      "; the villages of a town run under one policy: give them all the same override");
    }
  }
}

std::vector<int> town_overrides(const ScenarioSpec& s) {
  const std::vector<int> by_village = village_overrides(s);
  std::vector<int> out;
  size_t gv = 0;
  for (const auto& t : s.towns) {
    out.push_back(t.villages.empty() ? -1 : canonical(s, by_village[gv]));
    gv += t.villages.size();
  }
  return out;
}

}  // namespace vg::config
