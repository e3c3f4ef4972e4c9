#include "io/plan_scenario.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "config/yaml_doc.h"

namespace vg::io {

namespace {

namespace fs = std::filesystem;
using config::YamlNode;

struct Edit {
  int line = 0, col = 0;  // 1-based
  size_t length = 0;
  std::string text, note;
};

// The nodes holding each roster entry's count, in the order the loader reads them (roles in file
// order, a role's list items in order): the same order as the spec's entries.
std::vector<const YamlNode*> count_nodes(const YamlNode* staff) {
  std::vector<const YamlNode*> out;
  if (!staff || !staff->is_map()) return out;
  auto one = [&](const YamlNode& v) { out.push_back(v.is_scalar() ? &v : v.find("count")); };
  for (const auto& [key, value] : staff->entries) {
    if (value.is_seq())
      for (const auto& item : value.items) one(item);
    else
      one(value);
  }
  return out;
}

void roster_edits(const YamlNode* staff, const std::vector<config::RosterSpec>& was,
                  const std::vector<config::RosterSpec>& now, std::vector<Edit>& edits) {
  const auto nodes = count_nodes(staff);
  for (size_t i = 0; i < nodes.size() && i < was.size() && i < now.size(); ++i)
    if (nodes[i] && nodes[i]->is_scalar() && was[i].count != now[i].count)
      edits.push_back({nodes[i]->loc.line, nodes[i]->loc.col, nodes[i]->scalar.size(), std::to_string(now[i].count),
                       now[i].role + " " + std::to_string(was[i].count) + " -> " + std::to_string(now[i].count)});
}

std::string relative_path(const std::string& file, const fs::path& written_to) {
  std::error_code ec;
  const fs::path rel = fs::relative(fs::absolute(file), fs::absolute(written_to), ec);
  return ec || rel.empty() ? fs::absolute(file).string() : rel.string();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Applies edits (right to left within a line) and marks each edited line with its notes.
std::string apply_edits(std::vector<std::string> lines, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.line != b.line ? a.line < b.line : a.col > b.col; });
  std::vector<std::string> notes(lines.size());
  for (const auto& e : edits) {
    if (e.line < 1 || size_t(e.line) > lines.size()) continue;
    std::string& l = lines[size_t(e.line - 1)];
    if (size_t(e.col - 1) + e.length > l.size()) continue;
    l.replace(size_t(e.col - 1), e.length, e.text);
    if (!e.note.empty()) notes[size_t(e.line - 1)] += (notes[size_t(e.line - 1)].empty() ? "" : ", ") + e.note;
  }
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += lines[i] + (notes[i].empty() ? "" : "  # plan: " + notes[i]) + "\n";
  return out;
}

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

// One roster as flow mappings, a role's entries as a list when it has several.
std::string staff_text(const std::vector<config::RosterSpec>& staff, const config::Date& start,
                       const std::string& indent) {
  std::string out;
  for (size_t i = 0; i < staff.size();) {
    size_t j = i;
    while (j < staff.size() && staff[j].role == staff[i].role) ++j;
    out += indent + staff[i].role + ":" + (j - i > 1 ? "\n" : " ");
    for (size_t k = i; k < j; ++k) {
      const auto& r = staff[k];
      std::string e = "{count: " + std::to_string(r.count) + ", hours_per_day: " + num(r.hours_per_day);
      if (r.overtime_hours_per_day > 0) e += ", overtime_hours_per_day: " + num(r.overtime_hours_per_day);
      char clock[32];
      std::snprintf(clock, sizeof clock, "%02d:%02d", r.shift_start_min / 60, r.shift_start_min % 60);
      if (r.shift_start_min != 8 * 60) e += ", shift_start: \"" + std::string(clock) + "\"";
      if (r.available_from_day != 0)
        e += ", available_from: " +
             config::Date::from_days_since_epoch(start.days_since_epoch() + r.available_from_day).str();
      if (r.max_count > 0) e += ", max_count: " + std::to_string(r.max_count);
      if (r.max_teams > 0) e += ", max_teams: " + std::to_string(r.max_teams);
      if (r.max_tasks_per_day > 0) e += ", max_tasks_per_day: " + std::to_string(r.max_tasks_per_day);
      if (r.seconded) e += ", seconded: true";
      out += (j - i > 1 ? indent + "  - " : "") + e + "}\n";
    }
    i = j;
  }
  return out;
}

// A generated region, listed.
std::string listed_region(const config::ScenarioSpec& s) {
  std::string out =
      "region:\n  # plan: the generated region written out listed, with the plan's roster for each part\n";
  out += "  towns:\n";
  for (const auto& t : s.towns) {
    out += "    - name: " + t.name + "\n";
    if (!t.county.empty()) out += "      county: " + t.county + "\n";
    if (!t.staff.empty()) out += "      staff:\n" + staff_text(t.staff, s.start_date, "        ");
    out += "      villages:\n";
    for (const auto& v : t.villages) {
      out += "        - name: " + v.name + "\n          residents: " + std::to_string(v.residents) +
             "\n          mean_household_size: " + num(v.mean_household_size) +
             "\n          villager_groups: " + std::to_string(v.villager_groups) +
             "\n          party_members: " + std::to_string(v.party_members) +
             "\n          returnees: " + std::to_string(v.returnees) + "\n";
      if (!v.staff.empty()) out += "          staff:\n" + staff_text(v.staff, s.start_date, "            ");
    }
  }
  return out;
}

}  // namespace

std::string plan_scenario_text(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res,
                               const fs::path& written_to) {
  std::ifstream in(base.scenario.path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  Diagnostics quiet;
  const auto root = config::parse_yaml(base.scenario.path, text, quiet);
  std::vector<Edit> edits;
  const YamlNode* region = root ? root->find("region") : nullptr;
  const YamlNode* policy = root ? root->find("policy") : nullptr;
  // Rule and grid paths, the policy's and each override's, made relative to the file written.
  auto repath = [&](const YamlNode* section, const std::vector<std::string>& rule_files, const std::string& grid_file) {
    if (const YamlNode* rules = section ? section->find("rules") : nullptr; rules && rules->is_seq())
      for (size_t i = 0; i < rules->items.size() && i < rule_files.size(); ++i) {
        const YamlNode& r = rules->items[i];
        const SourceLoc at = r.text_loc();
        edits.push_back({at.line, at.col, r.scalar.size(), relative_path(rule_files[i], written_to), ""});
      }
    if (const YamlNode* grid = section ? section->find("grid") : nullptr;
        grid && grid->is_scalar() && !grid_file.empty())
      edits.push_back(
          {grid->text_loc().line, grid->text_loc().col, grid->scalar.size(), relative_path(grid_file, written_to), ""});
  };
  repath(policy, base.scenario.rule_files, base.scenario.grid_file);
  if (const YamlNode* overrides = policy ? policy->find("overrides") : nullptr; overrides && overrides->is_seq())
    for (size_t i = 0; i < overrides->items.size() && i < base.scenario.policy_overrides.size(); ++i)
      repath(&overrides->items[i], base.scenario.policy_overrides[i].rule_files,
             base.scenario.policy_overrides[i].grid_file);
  // The seed and replicates the plan ran (--seed, --replicates), so that `run` repeats its figures.
  if (const YamlNode* head = root ? root->find("scenario") : nullptr; head && head->is_map()) {
    auto set = [&](const char* key, const std::string& value, const std::string& note) {
      const YamlNode* n = head->find(key);
      if (n && n->is_scalar() && n->scalar != value)
        edits.push_back({n->text_loc().line, n->text_loc().col, n->scalar.size(), value,
                         std::string(key) + " " + n->scalar + " -> " + value + note});
    };
    set("replicates", std::to_string(base.replicates), " (as planned; raise it to confirm the answer)");
    set("seed", std::to_string(base.seed), " (as planned)");
  }
  const YamlNode* towns = region ? region->find("towns") : nullptr;
  if (towns && towns->is_seq())
    for (size_t t = 0; t < towns->items.size() && t < res.answer.towns.size(); ++t) {
      const YamlNode& tn = towns->items[t];
      roster_edits(tn.find("staff"), base.scenario.towns[t].staff, res.answer.towns[t].staff, edits);
      const YamlNode* vs = tn.find("villages");
      for (size_t v = 0; vs && vs->is_seq() && v < vs->items.size() && v < res.answer.towns[t].villages.size(); ++v)
        roster_edits(vs->items[v].find("staff"), base.scenario.towns[t].villages[v].staff,
                     res.answer.towns[t].villages[v].staff, edits);
    }
  std::vector<std::string> lines = lines_of(apply_edits(lines_of(text), std::move(edits)));
  if (root && region && !towns) {  // generated: the region section's lines replaced by the listing
    size_t first = 0, last = lines.size();
    for (size_t i = 0; i < root->entries.size(); ++i)
      if (&root->entries[i].second == region) {
        first = size_t(root->entries[i].first.loc.line - 1);
        if (i + 1 < root->entries.size()) last = size_t(root->entries[i + 1].first.loc.line - 1);
      }
    std::vector<std::string> listed = lines_of(listed_region(res.answer));
    listed.emplace_back("");
    lines.erase(lines.begin() + long(first), lines.begin() + long(std::min(last, lines.size())));
    lines.insert(lines.begin() + long(first), listed.begin(), listed.end());
  }
  const bool none = std::none_of(res.parts.begin(), res.parts.end(), [](const auto& p) { return p.best; });
  std::string goal = ", in at least " + num(req.required_share * 100) + "% of " + std::to_string(base.replicates) +
                     " replicates (seed " + std::to_string(base.seed) + "),";
  for (size_t t = 0; t < req.targets.size(); ++t) goal += (t ? " and " : " ") + req.targets[t];
  std::string head = "# Written by `villagegrid plan` from " + base.scenario.path + ":\n# ";
  // A part whose ranges are all beyond the scenario's limits ran nothing: it keeps the scenario's roster.
  const bool none_in_limits =
      std::any_of(res.parts.begin(), res.parts.end(), [](const auto& p) { return p.none_in_limits(); });
  const std::string fallback = none_in_limits ? "the top of the ranges, or the scenario's own roster where no roster "
                                                "of the ranges is within the scenario's limits"
                                              : "the top of the ranges";
  head += none ? "no roster in the ranges meets" + goal + ": this is " + fallback
               : "the roster found to meet" + goal +
                     (res.all_parts_answered ? "" : "; where the ranges held none, " + fallback);
  head += root && region && !towns
              ? ".\n# The generated region is written out listed, town by town and village by village (a roster per "
                "village is not a rate);\n# rule and grid paths are relative to this file.\n"
              : ".\n# Changed counts, seed and replicates are marked '# plan:'; rule and grid paths are relative to "
                "this file.\n";
  std::string out = head;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace vg::io
