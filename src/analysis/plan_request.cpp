// `plan`'s request: --vary parsed; the varied roles and the targets checked against the model.
#include "analysis/plan_request.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string_view>
#include <type_traits>
#include <variant>

#include "metrics/metric_table.h"
#include "metrics/summary.h"

namespace vg::sim {

namespace {

SourceLoc flag_loc(const std::string& flag, const std::string& text) {
  auto f = std::make_shared<SourceFile>(SourceFile{flag, text});
  return SourceLoc{f, 1, 1};
}

bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

}  // namespace

std::optional<VarySpec> parse_vary(const std::string& text, Diagnostics& d) {
  const SourceLoc loc = flag_loc("--vary", text);
  const size_t eq = text.find('=');
  const size_t dots = text.find("..");
  if (eq == std::string::npos || dots == std::string::npos || dots < eq) {
    d.error(loc, "expected ROLE=MIN..MAX or ROLE=MIN..MAX:STEP, for example village_cadre=5..15");
    return std::nullopt;
  }
  VarySpec v;
  v.role = text.substr(0, eq);
  std::string_view lo = std::string_view(text).substr(eq + 1, dots - eq - 1);
  std::string_view rest = std::string_view(text).substr(dots + 2);
  std::string_view hi = rest, step = "1";
  if (size_t c = rest.find(':'); c != std::string_view::npos) {
    hi = rest.substr(0, c);
    step = rest.substr(c + 1);
  }
  // What is wrong, at the number it is wrong in.
  const int at_lo = int(eq) + 1, at_hi = int(dots) + 2, at_step = at_hi + int(hi.size()) + 1;
  std::string bad;
  int col = at_lo;
  if (!parse_int(lo, v.min)) {
    bad = "MIN '" + std::string(lo) + "' is not a whole number";
  } else if (!parse_int(hi, v.max)) {
    bad = "MAX '" + std::string(hi) + "' is not a whole number";
    col = at_hi;
  } else if (!parse_int(step, v.step)) {
    bad = "STEP '" + std::string(step) + "' is not a whole number";
    col = at_step;
  } else if (v.min < 0) {
    bad = "MIN " + std::to_string(v.min) + " is below 0";
  } else if (v.max < v.min) {
    bad = "MAX " + std::to_string(v.max) + " is below MIN " + std::to_string(v.min) + " (write " + v.role + "=" +
          std::to_string(v.max) + ".." + std::to_string(v.min) + ")";
    col = at_hi;
  } else if (v.max > 100000) {
    bad = "MAX " + std::to_string(v.max) + " is above 100000";
    col = at_hi;
  } else if (v.step < 1) {
    bad = "STEP " + std::to_string(v.step) + " is below 1";
    col = at_step;
  }
  if (!bad.empty()) {
    d.error(loc.shifted(col),
            bad + ": expected whole numbers 0 <= MIN <= MAX <= 100000 and STEP >= 1 after '" + v.role + "='");
    return std::nullopt;
  }
  if ((v.max - v.min) % v.step != 0) {  // the range stops short of MAX: said, not silently dropped
    const int last = v.min + (v.max - v.min) / v.step * v.step;
    d.warning(loc.shifted(int(eq + 1 + lo.size() + 2)),
              "MAX " + std::to_string(v.max) + " is not MIN plus a whole number of steps of " + std::to_string(v.step) +
                  ": the last value tried is " + std::to_string(last) + " (write " + v.role + "=" +
                  std::to_string(v.min) + ".." + std::to_string(last + v.step) + ":" + std::to_string(v.step) +
                  " to try " + std::to_string(last + v.step) + ")");
  }
  return v;
}

namespace {

// A share compared with a number outside 0..1 (`screened_within_24h_share >= 30`, read off a table
// that prints 30.0%) can never hold, or always does: refused, with the share it likely meant.
void check_share_bounds(const rules::CompiledExpr& e, const std::vector<std::pair<metrics::NamedStat, double>>& metrics,
                        Diagnostics& d) {
  const rules::ExprTree* tree = e.tree();
  if (!tree) return;
  for (const auto& n : tree->nodes) {
    if (n.kind != rules::ExprTree::Kind::Compare || n.kids.size() != 2) continue;
    for (int side = 0; side < 2; ++side) {
      const auto& field = tree->nodes[size_t(n.kids[size_t(side)])];
      const auto& value = tree->nodes[size_t(n.kids[size_t(1 - side)])];
      if (field.kind != rules::ExprTree::Kind::Field || value.kind != rules::ExprTree::Kind::Const) continue;
      if (field.slot < 0 || size_t(field.slot) >= metrics.size() || metrics[size_t(field.slot)].first.unit != "share")
        continue;
      if (value.k >= 0 && value.k <= 1) continue;
      char k[32], hint[32];
      std::snprintf(k, sizeof k, "%g", value.k);
      std::snprintf(hint, sizeof hint, "%g", value.k / 100);
      d.error(value.loc, "'" + metrics[size_t(field.slot)].first.name + "' is a share, from 0 to 1; " + k +
                             " is outside it" +
                             (value.k > 1 && value.k <= 100 ? std::string("; did you mean ") + hint + "?" : ""));
    }
  }
}

}  // namespace

// Roles to vary must be rostered somewhere in the scenario.
void check_varied_roles(const Model& base, const PlanRequest& req, Diagnostics& d) {
  const auto& prog = *base.program;
  std::set<std::string> seen;
  for (const auto& v : req.vary) {
    if (!seen.insert(v.role).second) {
      d.error(flag_loc("--vary", v.role), "role '" + v.role + "' is given twice; give each role one --vary range");
      continue;
    }
    int r = prog.find_role(v.role);
    bool rostered = false;
    for (const auto& t : base.scenario.towns) {
      for (const auto& s : t.staff) rostered = rostered || s.role == v.role;
      for (const auto& vil : t.villages)
        for (const auto& s : vil.staff) rostered = rostered || s.role == v.role;
    }
    if (r < 0) {
      std::string hint = did_you_mean(v.role, prog.roles());
      if (hint.empty()) {  // no near name: the roles the rosters list
        std::set<std::string> listed;
        for (const auto& t : base.scenario.towns) {
          for (const auto& s : t.staff) listed.insert(s.role);
          for (const auto& vil : t.villages)
            for (const auto& s : vil.staff) listed.insert(s.role);
        }
        for (const auto& name : listed) hint += (hint.empty() ? "; the rosters list: " : ", ") + name;
      }
      d.error(flag_loc("--vary", v.role),
              "role '" + v.role + "' is not in any roster of scenario '" + base.scenario.name + "'" + hint);
    } else if (!rostered)
      d.error(flag_loc("--vary", v.role),
              "role '" + v.role + "' is in the policy, but no roster of scenario '" + base.scenario.name +
                  "' lists it: plan varies the headcount of staff entries there are; add one (a town's or a "
                  "village's `staff:`) to plan it");
  }
}

namespace {
// The metrics a village count (results.sqlite's `village_counts`) goes into: those whose value moves
// when the count does, found by moving it (so the list follows metric_table.h).
std::vector<std::string_view> metrics_from_count(const metrics::Count<metrics::VillageTotals>& c) {
  metrics::VillageTotals base;
  for (const auto& k : metrics::kVillageCounts)  // every count 3 (a flag set), so that ratios are defined
    std::visit([&](auto m) { base.*m = std::remove_reference_t<decltype(base.*m)>(3); }, k.field);
  metrics::VillageTotals moved = base;
  std::visit([&](auto m) { moved.*m = std::remove_reference_t<decltype(moved.*m)>(7); }, c.field);
  std::vector<std::string_view> out;
  for (const auto& m : metrics::kVillageMetrics) {
    const double a = m.value(base), b = m.value(moved);
    if (!(a == b || (std::isnan(a) && std::isnan(b)))) out.push_back(m.name);
  }
  return out;
}

// A word of a target that is no metric: a count of the results store (`stockout_days`), or a
// metric written in other case, said as what it is.
std::string not_a_metric(const std::string& word, const std::vector<std::pair<metrics::NamedStat, double>>& sample) {
  std::string lower = word;
  for (char& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (lower != word && std::any_of(sample.begin(), sample.end(), [&](const auto& m) { return m.first.name == lower; }))
    return "'" + word + "' is not a metric; metric names are lower case: '" + lower + "'";
  for (const auto& c : metrics::kVillageCounts) {
    if (c.name != word) continue;
    const auto into = metrics_from_count(c);
    std::string list;
    for (size_t i = 0; i < into.size() && i < 4; ++i) list += std::string(i ? ", '" : "'") + std::string(into[i]) + "'";
    return "'" + word + "' is a count of the results store (results.sqlite's village_counts), not a metric" +
           (list.empty() ? std::string() : "; the metrics made from it: " + list) + " (docs/outputs.md)";
  }
  return {};
}
// A target on a metric the scenario does not model (infections without an `epidemic` section,
// money without supplies) would fail in every replicate, whatever the roster: refused.
void check_modelled(const Model& model, const std::string& text, const rules::CompiledExpr& e,
                    const std::vector<std::pair<metrics::NamedStat, double>>& sample, Diagnostics& d) {
  bool supplies = !model.program->supplies().empty();
  for (const auto& p : model.policies) supplies = supplies || !p.program->supplies().empty();
  metrics::VillageTotals modelled{};
  modelled.epidemic = model.disease != nullptr;
  modelled.supplies = supplies;
  for (int f : e.fields_read()) {
    const auto& metric = metrics::kVillageMetrics[size_t(f)];
    // The weekly coverage is over the days a full week lies behind: none in a horizon under 7 days.
    if (metric.name == "households_contacted_7d_share" && model.horizon_days < 7) {
      const size_t at = text.find(metric.name);
      d.error(flag_loc("--target", text).shifted(at == std::string::npos ? 0 : int(at)),
              "'households_contacted_7d_share' is not measured in this scenario: it is over the days a full week "
              "lies behind, and its horizon is " +
                  std::to_string(model.horizon_days) + " days; docs/metrics.md says what each metric needs");
      continue;
    }
    if (!metric.undefined || metric.undefined(modelled) != metrics::Undefined::NotModelled ||
        !std::isnan(metric.value(modelled)))
      continue;
    metrics::VillageTotals with_epidemic = modelled;
    with_epidemic.epidemic = true;
    const bool needs_epidemic =
        !modelled.epidemic && metric.undefined(with_epidemic) != metrics::Undefined::NotModelled;
    const std::string& name = sample[size_t(f)].first.name;
    const size_t at = text.find(name);
    d.error(flag_loc("--target", text).shifted(at == std::string::npos ? 0 : int(at)),
            "'" + name + "' is not modelled in this scenario (" +
                (needs_epidemic ? "it has no `epidemic` section" : "its policy names no supplies") +
                "), so the target could never hold; docs/metrics.md says what each metric needs");
  }
}
}  // namespace

// Targets: conditions over the metrics of one replicate (of a part, or of the region).
std::vector<rules::CompiledExpr> compile_targets(const Model& model, const PlanRequest& req, PlanResult& result,
                                                 Diagnostics& d) {
  auto sample = metrics::replicate_metrics(metrics::ReplicateResult{}, {});
  rules::Schema schema;
  for (const auto& [ns, v] : sample) {
    schema.add_field(ns.name, rules::Type::Number, -1, ns.unit);
    result.metric_names.push_back(ns.name);
  }
  std::vector<rules::CompiledExpr> targets;
  for (const auto& t : req.targets) {
    // A role metric (hours_worked) is per role: said so, not "unknown name".
    bool role_metric = false;
    for (size_t i = 0; i < t.size();) {
      if (!(std::isalpha(static_cast<unsigned char>(t[i])) || t[i] == '_')) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < t.size() && (std::isalnum(static_cast<unsigned char>(t[j])) || t[j] == '_')) ++j;
      const std::string word = t.substr(i, j - i);
      const bool field = std::any_of(sample.begin(), sample.end(), [&](const auto& m) { return m.first.name == word; });
      if (!field) {
        if (const std::string what = not_a_metric(word, sample); !what.empty()) {
          d.error(flag_loc("--target", t).shifted(int(i)), what);
          role_metric = true;  // said: not compiled as well
        }
      }
      if (!field && !role_metric &&
          std::any_of(std::begin(metrics::kRoleMetrics), std::end(metrics::kRoleMetrics),
                      [&](const auto& m) { return word == m.name; })) {
        d.error(flag_loc("--target", t).shifted(int(i)),
                "'" + word +
                    "' is a role metric (one value per role); a target reads the metrics of the region "
                    "or of a part (docs/metrics.md, \"Region and village metrics\")");
        role_metric = true;
      }
      i = j;
    }
    if (role_metric) continue;
    if (auto e = rules::compile_expr(t, flag_loc("--target", t), schema, d, rules::Type::Bool)) {
      check_share_bounds(*e, sample, d);
      check_modelled(model, t, *e, sample, d);
      targets.push_back(*e);
      result.target_metrics.push_back(e->fields_read());
    }
  }
  return targets;
}

}  // namespace vg::sim
