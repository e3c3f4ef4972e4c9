// Per-village policy (`policy: overrides:`, docs/scenarios.md): each distinct override compiled once
// into its own immutable program, checked to declare the scenario's vocabulary.
#include <algorithm>

#include "config/grid_loader.h"
#include "config/policy_overrides.h"
#include "rules/policy_loader.h"
#include "sim/model.h"

namespace vg::sim {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

// The outputs and the model's tables are indexed by these lists: an override must declare them
// exactly as the scenario's policy does (same names, same order).
void check_vocabulary(const rules::Program& base, const rules::Program& p, const SourceLoc& at, Diagnostics& d) {
  auto same = [&](std::string_view what, const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a == b) return;
    d.error(at, "the override's policy declares " + std::string(what) + " " + joined(b) +
                    " but the scenario's policy declares " + joined(a) +
                    "; an override must declare the same vocabulary (the same names in the same order)");
  };
  same("roles", base.roles(), p.roles());
  same("origins", base.origins(), p.origins());
  same("classes", base.classes(), p.classes());
  same("monitoring kinds", base.monitoring(), p.monitoring());
  same("supplies", base.supplies(), p.supplies());
  auto keys = [](const rules::Program& q) {
    std::vector<std::string> out;
    for (size_t c = 0; c < q.classes().size(); ++c)
      if (q.is_key_class(int(c))) out.push_back(q.classes()[c]);
    return out;
  };
  same("key classes", keys(base), keys(p));
}

// Loads and compiles the rule files and grid of one override (the scenario's where it gives none).
std::shared_ptr<const rules::Program> compile_override(const config::ScenarioSpec& s, int o,
                                                       std::optional<config::GridSpec>& grid, Diagnostics& d) {
  const auto& ov = s.policy_overrides[size_t(o)];
  const config::PolicyKey key = config::policy_key(s, o);
  for (size_t i = 0; i < ov.rule_files.size(); ++i)
    if (auto why = config::file_problem(ov.rule_files[i]))
      d.error(ov.rule_file_locs[i], "rule file " + *why + ": " + ov.rule_files[i]);
  if (!ov.grid_file.empty())
    if (auto why = config::file_problem(ov.grid_file))
      d.error(ov.grid_file_loc, "grid file " + *why + ": " + ov.grid_file);
  if (d.has_errors()) return nullptr;
  auto policy = rules::load_policy(key.rule_files, d);  // errors here: compile_policy checks what was read
  if (!key.grid_file.empty()) {
    grid = config::load_grid(key.grid_file, d);
    if (!grid) return nullptr;
  }
  return rules::compile_policy(std::move(policy), d, grid ? &*grid : nullptr);
}

}  // namespace

void load_policy_overrides(const config::ScenarioSpec& s, const rules::Program& base,
                           std::vector<Model::Policy>& policies, std::vector<int>& town_policy, Diagnostics& d) {
  if (s.policy_overrides.empty()) return;
  const std::vector<int> by_town = config::town_overrides(s);
  std::vector<int> compiled(s.policy_overrides.size(), -1);  // override -> index in `policies`
  for (int o : by_town) {
    if (o < 0 || compiled[size_t(o)] >= 0) continue;
    Model::Policy p;
    p.program = compile_override(s, o, p.grid, d);
    if (!p.program) return;
    check_vocabulary(base, *p.program, s.policy_overrides[size_t(o)].loc, d);
    compiled[size_t(o)] = int(policies.size());
    policies.push_back(std::move(p));
  }
  town_policy.clear();
  for (int o : by_town) town_policy.push_back(o < 0 ? -1 : compiled[size_t(o)]);
}

std::string policy_villages(const config::ScenarioSpec& scenario, const std::vector<int>& town_policy, size_t k) {
  std::string villages;
  for (size_t t = 0; t < town_policy.size() && t < scenario.towns.size(); ++t)
    if (town_policy[t] == int(k))
      for (const auto& v : scenario.towns[t].villages) villages += (villages.empty() ? "" : ", ") + v.name;
  return villages;
}

void index_task_kinds(Model& m) {
  m.task_kinds.clear();
  m.task_kind_of.clear();
  auto add = [&](const rules::Program& p) {
    auto& map = m.task_kind_of.emplace_back();
    for (const auto& k : p.task_kinds()) {
      const auto it = std::find_if(m.task_kinds.begin(), m.task_kinds.end(),
                                   [&](const auto& named) { return named.first == k.name; });
      map.push_back(uint32_t(it - m.task_kinds.begin()));
      if (it == m.task_kinds.end()) m.task_kinds.emplace_back(k.name, k.guideline);
    }
  };
  add(*m.program);
  for (const auto& p : m.policies) add(*p.program);
}

}  // namespace vg::sim
