#include "io/plan_output.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"

namespace vg::io {

namespace {

std::string roster_text(const sim::PlanRequest& req, const sim::Candidate& c) {
  std::string s;
  for (size_t k = 0; k < req.vary.size(); ++k)
    s += (k ? ", " : "") + req.vary[k].role + " " + std::to_string(c.counts[k]);
  return s;
}

std::string pct(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", x * 100);
  return buf;
}

}  // namespace

std::string plan_table(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res) {
  std::string out = "Plan for " + base.scenario.name + ": " + std::to_string(base.replicates) +
                    " replicates per roster, seed " + std::to_string(base.seed) +
                    " (common random numbers). Targets, each to hold together in at least " + pct(req.required_share) +
                    " of replicates:\n";
  for (const auto& t : req.targets) out += "  " + t + "\n";
  const char* unit = req.cost == sim::PlanCost::Hours ? " staff-hours/day" : " people";
  size_t evaluated = 0;
  for (const auto& c : res.candidates) evaluated += c.evaluated;
  out +=
      std::to_string(evaluated) + " of " + std::to_string(res.candidates.size()) + " rosters run, cheapest first.\n\n";
  auto line = [&](const sim::Candidate& c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", c.cost);
    std::string s =
        roster_text(req, c) + "  (cost " + buf + unit + "): all targets in " + pct(c.share_met) + " of replicates";
    for (size_t t = 0; t < req.targets.size(); ++t) {
      s += "; '" + req.targets[t] + "' in " + pct(c.target_share[t]);
      // How close: the mean over replicates of each metric the target reads.
      if (t < res.target_metrics.size() && !c.metric_means.empty()) {
        std::string means;
        for (int m : res.target_metrics[t]) {
          char v[64];
          std::snprintf(v, sizeof v, "%.4g", c.metric_means[size_t(m)]);
          means += (means.empty() ? " (mean " : ", ") + res.metric_names[size_t(m)] + " " + v;
        }
        if (!means.empty()) s += means + ")";
      }
    }
    return s + "\n";
  };
  if (res.best) {
    out += "Smallest roster meeting the targets:\n  " + line(res.candidates[*res.best]);
  } else {
    out += "No roster in the ranges meets the targets; widen the ranges (--vary) or relax the targets.\n";
  }
  if (!res.runners_up.empty()) {
    out += "Closest of the rosters that fall short" + std::string(res.best ? " (no more costly than the answer)" : "") +
           ":\n";
    for (size_t i : res.runners_up) out += "  " + line(res.candidates[i]);
  }
  return out;
}

std::string plan_csv(const sim::PlanRequest& req, const sim::PlanResult& res) {
  std::string out;
  for (const auto& v : req.vary) out += v.role + ",";
  out += "cost,evaluated,feasible,share_all_targets";
  for (size_t t = 0; t < req.targets.size(); ++t) out += ",share_target_" + std::to_string(t + 1);
  for (const auto& m : res.metric_names) out += ",mean_" + m;
  out += "\n";
  char buf[64];
  for (const auto& c : res.candidates) {
    for (int k : c.counts) out += std::to_string(k) + ",";
    std::snprintf(buf, sizeof buf, "%.17g", c.cost);
    out += std::string(buf) + "," + (c.evaluated ? "1" : "0") + "," + (c.feasible ? "1" : "0") + ",";
    if (c.evaluated) {
      std::snprintf(buf, sizeof buf, "%.17g", c.share_met);
      out += buf;
      for (double s : c.target_share) {
        std::snprintf(buf, sizeof buf, ",%.17g", s);
        out += buf;
      }
      for (double m : c.metric_means) {
        std::snprintf(buf, sizeof buf, ",%.17g", m);
        out += buf;
      }
    }
    out += "\n";
  }
  return out;
}

std::string plan_json(const sim::Model& base, const sim::PlanRequest& req, const sim::PlanResult& res,
                      const std::string& version) {
  nlohmann::ordered_json j;
  j["villagegrid"] = version;
  j["scenario"] = base.scenario.name;
  j["replicates"] = base.replicates;
  j["seed"] = base.seed;
  j["targets"] = req.targets;
  j["required_share"] = req.required_share;
  j["cost"] = req.cost == sim::PlanCost::Hours ? "hours" : "headcount";
  auto cand = [&](const sim::Candidate& c) {
    nlohmann::ordered_json r = nlohmann::ordered_json::object();
    for (size_t k = 0; k < req.vary.size(); ++k) r[req.vary[k].role] = c.counts[k];
    return nlohmann::ordered_json{
        {"roster", r}, {"cost", c.cost}, {"share_all_targets", c.share_met}, {"share_per_target", c.target_share}};
  };
  j["best"] = res.best ? cand(res.candidates[*res.best]) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json ru = nlohmann::ordered_json::array();
  for (size_t i : res.runners_up) ru.push_back(cand(res.candidates[i]));
  j["runners_up"] = ru;
  return j.dump(2) + "\n";
}

void write_plan_outputs(const std::filesystem::path& dir, const sim::Model& base, const sim::PlanRequest& req,
                        const sim::PlanResult& res, const std::string& version, const OutputExtras& extras) {
  const std::string csv = plan_csv(req, res);
  const std::string json = plan_json(base, req, res, version);
  write_files_atomic(dir, {{"plan.csv", csv}, {"plan.json", json}}, extras);
}

}  // namespace vg::io
