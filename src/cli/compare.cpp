// `villagegrid compare`: runs configurations with common random numbers and reports each metric
// with a 95% interval and the paired difference against the first.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "analysis/compare.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "core/atomic_file.h"
#include "io/compare_output.h"
#include "sim/ranks.h"
#include "sim/runner.h"

namespace vg::cli {

namespace {

namespace fs = std::filesystem;

struct CompareArgs : CommonRunOptions {
  std::vector<std::string> scenarios;
  std::vector<std::string> metrics;   // --metrics, each a comma-separated list of names to print (none: all)
  std::vector<std::string> villages;  // --village, each a village to compare on its own
};

// The villages of --village, each with its index in each configuration (by name); a name no
// configuration has is an error with "did you mean".
std::vector<metrics::ComparedVillage> compared_villages(const std::vector<std::string>& names,
                                                        const std::vector<sim::Model>& models) {
  std::vector<metrics::ComparedVillage> out;
  std::vector<std::string> all;
  for (const auto& m : models)
    for (const auto& v : m.population->village_name)
      if (std::find(all.begin(), all.end(), v) == all.end()) all.push_back(v);
  Diagnostics d;
  for (const auto& name : names) {
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      const auto src = std::make_shared<SourceFile>(SourceFile{"--village", name});
      d.error(SourceLoc{src, 1, 1}, unknown_name("village", name, all, {"; the scenarios' villages: ", "", 12}));
      continue;
    }
    if (std::any_of(out.begin(), out.end(), [&](const auto& v) { return v.name == name; })) continue;
    metrics::ComparedVillage v{name, {}};
    for (const auto& m : models) {
      const auto& vs = m.population->village_name;
      const auto it = std::find(vs.begin(), vs.end(), name);
      v.index.push_back(it == vs.end() ? std::nullopt : std::optional<size_t>(size_t(it - vs.begin())));
    }
    out.push_back(std::move(v));
  }
  if (d.has_errors()) throw InputError(d);
  return out;
}

// What paired differences rely on: the same villages, households and residents (replicate k of
// each then has the same people); the returnees may differ.
std::string region_of(const sim::Model& m) {
  std::ostringstream s;
  const auto& p = *m.population;
  s << p.villages() << " villages, " << p.households() << " households, " << p.persons() << " residents";
  return s.str();
}

// own_seeds: each scenario's own seed where it was replaced by the first's (none with --seed).
std::vector<std::string> region_warnings(const std::vector<sim::Model>& models, const std::vector<std::string>& names,
                                         const std::vector<uint64_t>& own_seeds) {
  std::vector<std::string> out;
  for (size_t i = 1; i < models.size(); ++i) {
    const auto &a = models[0].scenario, &b = models[i].scenario;  // (b.seed: already the first's)
    if (b.horizon_days != a.horizon_days)
      out.push_back("[" + std::to_string(i + 1) + "] " + names[i] + " runs " + std::to_string(b.horizon_days) +
                    " days, [1] " + std::to_string(a.horizon_days) +
                    ": its paired differences mix the horizon with whatever else differs (its counts cover other "
                    "days)");
    if (own_seeds[i] != models[0].seed)
      out.push_back("[" + std::to_string(i + 1) + "] " + names[i] + "'s own seed (" + std::to_string(own_seeds[i]) +
                    ") is not used: every configuration runs [1]'s seed " + std::to_string(models[0].seed) +
                    ", so that replicate k of each draws the same returnees (common random numbers; --seed sets "
                    "one for all)");
  }
  for (size_t i = 1; i < models.size(); ++i)
    if (region_of(models[i]) != region_of(models[0]) ||
        models[i].population->village_name != models[0].population->village_name)
      out.push_back("[" + std::to_string(i + 1) + "] " + names[i] + " has another region than [1] " + names[0] + " (" +
                    region_of(models[i]) + " against " + region_of(models[0]) +
                    "): replicate k of each has other people, so its paired differences mean nothing");
  return out;
}

// Rule files added ("+name") and left out ("-name"), told apart by their full paths.
// The same input: one file, or two of the same content (a copy of a grid is no other grid).
bool same_file(const std::string& a, const std::string& b) {
  if (a == b || fs::weakly_canonical(a) == fs::weakly_canonical(b)) return true;
  std::error_code ec;
  return !a.empty() && !b.empty() && fs::is_regular_file(a, ec) && fs::is_regular_file(b, ec) &&
         file_digest(a) == file_digest(b);
}

std::string file_changes(const std::vector<std::string>& fa, const std::vector<std::string>& fb) {
  std::string rules;
  auto in = [](const std::vector<std::string>& list, const std::string& f) {
    return std::any_of(list.begin(), list.end(), [&](const auto& g) { return same_file(f, g); });
  };
  for (const auto& f : fb)
    if (!in(fa, f)) rules += (rules.empty() ? "" : ", ") + ("+" + fs::path(f).filename().string());
  for (const auto& f : fa)
    if (!in(fb, f)) rules += (rules.empty() ? "" : ", ") + ("-" + fs::path(f).filename().string());
  return rules;
}

std::vector<std::string> canonical(const std::vector<std::string>& files) {
  std::vector<std::string> v;
  for (const auto& f : files) v.push_back(fs::weakly_canonical(f).string());
  return v;
}

// The policy a village runs under: its override's (`policy: overrides:`), else the scenario's.
struct VillagePolicy {
  bool own = false;
  std::vector<std::string> rule_files;  // canonical
  std::string grid = "none", grid_file;
};
VillagePolicy village_policy(const sim::Model& m, const std::string& village) {
  VillagePolicy p;
  p.rule_files = canonical(m.scenario.rule_files);
  const rules::Program* program = m.program.get();
  for (const auto& o : m.scenario.policy_overrides)
    if (std::find(o.villages.begin(), o.villages.end(), village) != o.villages.end()) {
      p.own = true;
      p.rule_files = canonical(o.rule_files);
      if (!o.grid_file.empty()) p.grid_file = fs::weakly_canonical(o.grid_file).string();
    }
  const auto& pop = *m.population;
  for (size_t v = 0; v < pop.villages(); ++v)
    if (pop.village_name[v] == village) program = &m.town_program(pop.village_town[v]);
  if (program->grid()) p.grid = program->grid()->name;
  if (!p.own && !m.scenario.grid_file.empty()) p.grid_file = fs::weakly_canonical(m.scenario.grid_file).string();
  return p;
}

// The grid of each village under a per-village policy with a grid of its own, by village.
std::vector<std::pair<std::string, std::string>> village_grids(const sim::Model& m) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& o : m.scenario.policy_overrides)
    for (const auto& v : o.villages)
      if (const auto p = village_policy(m, v); p.own && p.grid != "none") out.emplace_back(v, p.grid);
  return out;
}

// Each role's people and their hours a day over the region's rosters (every town's pool and
// villages' staff), by name.
struct RoleStaff {
  size_t people = 0;
  int64_t minutes_per_day = 0;
};
std::map<std::string, RoleStaff> staff_by_role(const sim::Model& m) {
  std::map<std::string, RoleStaff> out;
  const auto& names = m.program->roles();
  for (const auto& town : m.rosters)
    for (size_t r = 0; r < town.by_role.size() && r < names.size(); ++r) {
      auto& x = out[names[r]];
      x.people += town.by_role[r].size();
      for (int s : town.by_role[r]) x.minutes_per_day += town.staff[size_t(s)].minutes_per_day;
    }
  return out;
}

// "staff party_member 162 (first: 60), village_cadre hours 140 a day (first: 70)": each role whose
// people differ, else whose hours a day do (the same people working longer).
std::string staff_changes(const sim::Model& a, const sim::Model& b) {
  auto ca = staff_by_role(a), cb = staff_by_role(b);
  std::string said;
  auto hours = [](int64_t minutes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", double(minutes) / 60.0);
    return std::string(buf);
  };
  for (const auto& [role, n] : cb) {
    const RoleStaff was = ca[role];
    std::string one;
    if (was.people != n.people)
      one = role + " " + std::to_string(n.people) + " (first: " + std::to_string(was.people) + ")";
    else if (was.minutes_per_day != n.minutes_per_day)
      one = role + " hours " + hours(n.minutes_per_day) + " a day (first: " + hours(was.minutes_per_day) + ")";
    if (!one.empty()) said += (said.empty() ? "" : ", ") + one;
  }
  for (const auto& [role, n] : ca)
    if (n.people > 0 && !cb.count(role))
      said += (said.empty() ? "" : ", ") + role + " 0 (first: " + std::to_string(n.people) + ")";
  return said.empty() ? said : "staff " + said;
}

// What sets configuration `b` apart from the first, `a`, besides its name: its horizon, its staff,
// its policy's rule files and grid, its region and how many returnees it has (compare.json's
// `differs_from_first`). Rule files are told apart by their full paths, and named by their file
// names.
std::vector<std::string> differences(const sim::Model& a, const sim::Model& b) {
  std::vector<std::string> out;
  if (a.scenario.horizon_days != b.scenario.horizon_days)
    out.push_back("horizon " + std::to_string(b.scenario.horizon_days) +
                  " days (first: " + std::to_string(a.scenario.horizon_days) + ")");
  if (const std::string staff = staff_changes(a, b); !staff.empty()) out.push_back(staff);
  const std::string rules = file_changes(canonical(a.scenario.rule_files), canonical(b.scenario.rule_files));
  if (!rules.empty()) out.push_back("rule files " + rules);
  const auto &ga = a.program->grid(), &gb = b.program->grid();
  const std::string na = ga ? ga->name : "none", nb = gb ? gb->name : "none";
  if (na != nb)
    out.push_back("grid " + nb + " (first: " + na + ")");
  else if (ga && !same_file(a.scenario.grid_file, b.scenario.grid_file))
    out.push_back("grid " + nb + " of another file, " + b.scenario.grid_file + " (first: " + a.scenario.grid_file +
                  ")");
  if (region_of(a) != region_of(b)) out.push_back("region: " + region_of(b) + " (first: " + region_of(a) + ")");
  if (a.population->returnees.size() != b.population->returnees.size())
    out.push_back(std::to_string(b.population->returnees.size()) +
                  " returnees (first: " + std::to_string(a.population->returnees.size()) + ")");
  // Each village under a per-village policy in either: its own rule files and grid against the
  // first's (the scenario's policy where it has none of its own).
  std::vector<std::string> named;
  for (const auto* m : {&a, &b})
    for (const auto& o : m->scenario.policy_overrides)
      for (const auto& v : o.villages)
        if (std::find(named.begin(), named.end(), v) == named.end()) named.push_back(v);
  auto has = [](const sim::Model& m, const std::string& v) {
    const auto& names = m.population->village_name;
    return std::find(names.begin(), names.end(), v) != names.end();
  };
  for (const auto& v : named) {
    if (!has(a, v) || !has(b, v)) continue;  // another region: said above
    const auto pa = village_policy(a, v), pb = village_policy(b, v);
    std::string said;
    if (pa.own != pb.own)
      said = pb.own ? "a policy of its own (first: the scenario's)" : "the scenario's policy (first: its own)";
    std::string files = file_changes(pa.rule_files, pb.rule_files);
    const bool same_order = pa.rule_files.size() == pb.rule_files.size() &&
                            std::equal(pa.rule_files.begin(), pa.rule_files.end(), pb.rule_files.begin(), same_file);
    if (files.empty() && !same_order) files = "in another order";
    if (!files.empty()) said += (said.empty() ? "" : "; ") + ("rule files " + files);
    if (pa.grid != pb.grid)
      said += (said.empty() ? "" : "; ") + ("grid " + pb.grid + " (first: " + pa.grid + ")");
    else if (!same_file(pa.grid_file, pb.grid_file))
      said += (said.empty() ? "" : "; ") + ("grid " + pb.grid + " of another file (first: " + pa.grid_file + ")");
    if (!said.empty()) out.push_back(v + ": " + said);
  }
  return out;
}

// The names of every --metrics (each a comma-separated list).
std::vector<std::string> metric_names(const std::vector<std::string>& lists) {
  std::vector<std::string> out;
  for (const auto& list : lists) {
    std::istringstream in(list);
    for (std::string name; std::getline(in, name, ',');)
      if (!name.empty()) out.push_back(name);
  }
  return out;
}

// Every --metrics name must be one compare reports: an error with "did you mean" otherwise, at its
// column in its comma-separated list. An empty name is an error too (`--metrics ''` printed every
// metric). `task_names`: every configuration's task kinds, for `task:NAME`.
void check_metric_names(const std::vector<std::string>& lists, const std::vector<std::string>& task_names) {
  auto known = io::compared_metric_names();
  known.insert(known.end(), {"tasks", "guidelines"});
  Diagnostics d;
  for (const auto& list : lists) {
    const auto src = std::make_shared<SourceFile>(SourceFile{"--metrics", list});
    for (size_t at = 0; at <= list.size();) {
      const size_t end = std::min(list.find(',', at), list.size());
      const std::string w = list.substr(at, end - at);
      const SourceLoc loc{src, 1, int(at) + 1};
      if (w.empty()) {  // `--metrics ''` or `a,,b`: not every metric, quietly, but a mistake
        std::string msg = "empty metric name; give names separated by commas, e.g. " + known[0];
        if (known.size() > 1) msg += "," + known[1];
        d.error(loc, msg);
      } else if (w.starts_with("guideline:")) {
        const std::string n = w.substr(10);
        int g = -1;
        const auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), g);
        if (ec != std::errc() || p != n.data() + n.size() || g < 0 || g >= metrics::kGuidelineSlots)
          d.error(loc, "'" + w + "': a guideline is a number from 0 to " +
                           std::to_string(metrics::kGuidelineSlots - 1) +
                           " (0: tasks of rules without a guideline number, and tracking duties)");
      } else if (w.starts_with("task:")) {
        const std::string n = w.substr(5);
        if (std::find(task_names.begin(), task_names.end(), n) == task_names.end())
          d.error(loc, unknown_name("task kind", n, task_names, {"; the scenarios' task kinds: ", "", 12}) +
                           " (--metrics task:NAME)");
      } else if (std::find(known.begin(), known.end(), w) == known.end()) {
        d.error(loc, unknown_name("metric", w, known, {"; metrics: ", "", 12}));
      }
      at = end + 1;
    }
  }
  if (d.has_errors()) throw InputError(d);
}

// Runs each configuration with the same seed and replicate count (common random numbers) and
// reports each metric with a 95% interval and the paired difference against the first.
int cmd_compare(const CompareArgs& a) {
  const auto only = metric_names(a.metrics);
  auto threads = a.limit_threads();
  Diagnostics diags;
  std::vector<sim::Model> models;
  sim::Overrides ov = a.overrides();
  const bool seed_given = ov.seed.has_value();
  // Every configuration gets the first one's seed and replicate count unless given here.
  // Each scenario's own seed, before the first's replaces it (warned of where they differ).
  std::vector<uint64_t> own_seeds(a.scenarios.size());
  for (size_t i = 0; i < a.scenarios.size(); ++i) {
    sim::Overrides own = ov;
    if (i > 0 && !seed_given) {
      own.seed.reset();
      own.amend = [&, i, first = models[0].seed](config::ScenarioSpec& s) {
        own_seeds[i] = s.seed;
        s.seed = first;
        if (ov.amend) ov.amend(s);
      };
    }
    models.push_back(sim::load_model(a.scenarios[i], diags, own));
    if (i == 0) {
      for (auto& x : own_seeds) x = models[0].seed;  // the same unless a later one says otherwise
      ov.seed = models[0].seed;
      ov.replicates = models[0].replicates;
    }
  }
  print_diagnostics(diags);
  std::vector<std::vector<std::string>> task_kinds;  // per configuration, in the program's order
  std::vector<std::string> all_task_kinds;
  for (const auto& m : models) {
    task_kinds.emplace_back();
    for (const auto& [name, guideline] : m.task_kinds) {  // every program's of the region, by name
      task_kinds.back().push_back(name);
      if (std::find(all_task_kinds.begin(), all_task_kinds.end(), name) == all_task_kinds.end())
        all_task_kinds.push_back(name);
    }
  }
  check_metric_names(a.metrics, all_task_kinds);
  const auto villages = compared_villages(a.villages, models);
  for (const auto& m : models) sim::check_memory(m, false, false);
  io::CompareReport report;
  report.replicates = models[0].replicates;
  report.seed = models[0].seed;
  std::vector<std::string> scenario_names;
  for (const auto& m : models) scenario_names.push_back(m.scenario.name);
  const auto names = io::distinct_names(scenario_names);
  for (size_t i = 0; i < models.size(); ++i) {
    const auto& grid = models[i].program->grid();
    report.configs.push_back({names[i], scenario_names[i], a.scenarios[i], grid ? grid->name : std::string(),
                              i == 0 ? std::vector<std::string>{} : differences(models[0], models[i]),
                              village_grids(models[i])});
  }
  report.warnings = region_warnings(models, names, own_seeds);
  // Who the returnees are, where they live and when they arrive: the population's people and
  // households (a region of other households has other people, even with the same count of
  // returnees), the returnees, their origin mix and waves.
  auto same_arrivals = [](const sim::Model& x, const sim::Model& y) {
    const auto &px = *x.population, &py = *y.population;
    return px.returnees == py.returnees && px.person_household == py.person_household &&
           px.village_name == py.village_name && x.origin_cumulative == y.origin_cumulative &&
           x.wave_cumulative == y.wave_cumulative && x.arrival_waves == y.arrival_waves;
  };
  for (size_t i = 1; i < models.size(); ++i)
    report.same_returnees = report.same_returnees && same_arrivals(models[0], models[i]);
  for (const auto& w : report.warnings) std::cerr << "villagegrid: warning: " << w << "\n";
  const fs::path out = a.out.empty() ? fs::path("runs") / "compare" : fs::path(a.out);
  // Each finished (configuration, replicate) goes to the results store, for --resume.
  std::vector<store::Input> inputs;
  for (size_t i = 0; i < models.size(); ++i) add_model_inputs(inputs, models[i], std::to_string(i) + ": ");
  StoredSweep sweep(out, "compare", std::move(inputs), a.resume);
  std::vector<std::vector<metrics::ReplicateResult>> runs;
  std::vector<std::vector<std::string>> roles;
  Progress progress("compare", "replicates", a.quiet);
  progress.queue(models.size() * size_t(models[0].replicates));
  for (size_t i = 0; i < models.size(); ++i) {
    sim::RunOptions options{.trace = false, .keep_days = false};
    options.store = sweep.store();
    options.configuration = int(i);
    options.name = models[i].scenario.name;
    options.description = a.scenarios[i];
    options.on_replicate = progress.on_replicate();
    runs.push_back(sim::run_model(models[i], options).replicates);
    roles.push_back(models[i].program->roles());
  }
  progress.finish();
  report.metrics = metrics::compare_runs(runs, roles, task_kinds, villages);
  if (sim::is_root()) {  // under mpirun, rank 0 alone writes (sim/ranks.h)
    io::write_compare_outputs(out, report, VILLAGEGRID_VERSION, sweep.finish());
    sweep.done();
  }
  if (a.quiet) return kExitOk;
  std::cout << io::compare_table(report, only);
  std::cout << "\nOutputs written to " << out.string() << "/ (compare.csv, compare.json, results.sqlite)\n";
  return kExitOk;
}

}  // namespace

Command add_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  auto* compare = app.add_subcommand(
      "compare",
      "Run configurations with common random numbers; report each metric (region and roles) with a 95% interval "
      "and the paired difference against the first");
  compare->add_option("scenarios", args->scenarios, "Scenario files (two or more)")
      ->required()
      ->expected(2, 64)
      ->check(CLI::ExistingFile)
      ->option_text("FILE FILE [FILE...] REQUIRED");  // CLI11 would print "x 2", as if exactly two
  compare
      ->add_option(
          "--metrics", args->metrics,
          "Metrics to print, comma-separated (docs/metrics.md): a region and role metric's name; "
          "task:NAME for a task kind's tasks created, done and late and hours worked; guideline:N for a guideline's "
          "tasks created and late; tasks or guidelines for all of them (default: the region's and roles'). The files "
          "keep every metric")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  compare
      ->add_option("--village", args->villages,
                   "A village to compare on its own as well: the region's metrics over it alone, in a section of its "
                   "own and in the files (scope village:NAME); repeat for several")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  args->add_to(compare, "runs/compare; seed and replicates default to the first scenario's", 2);
  return {compare, [args] { return cmd_compare(*args); }};
}

}  // namespace vg::cli
