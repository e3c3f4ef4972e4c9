// `villagegrid check`: validates scenario, grid, rule and exercise files without running.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "config/grid_loader.h"
#include "config/yaml_doc.h"
#include "exercise/lint.h"
#include "exercise/session.h"
#include "rules/policy_loader.h"
#include "rules/program.h"

namespace vg::cli {

namespace {

// The scenario's R0 from the next-generation matrix of its disease model, on stdout:
//   FILE: R0 2.23 (next-generation matrix; r0 asked 2.2), household share 26.2% (group 36.9%, ...)
void print_r0(const std::string& file, const epidemic::NextGeneration& g, double asked) {
  static constexpr std::array<const char*, 3> kCommunity = {"group", "village", "town"};
  char buf[160];
  std::snprintf(buf, sizeof buf, "R0 %.3g (next-generation matrix; r0 asked %.3g), household share %.1f%%", g.r0, asked,
                100 * g.household_share());
  std::cout << file << ": " << buf << " (";
  for (size_t l = 0; l < kCommunity.size(); ++l) {
    std::snprintf(buf, sizeof buf, "%s%s %.1f%%", l ? ", " : "", kCommunity[l], 100 * g.layer_share[l + 1]);
    std::cout << buf;
  }
  std::cout << ")\n";
}

// The households each contact member of a grid looks after, on stdout, one line per grid the
// region runs (the scenario's, and each per-village policy's, naming its villages): the span is
// the most a member takes before `cover_all` deals out the rest, so where every member is over it,
// the span does not set the load (a finer span changes who holds which household, not how many):
//   FILE: grid three_level: 60 party_member hold 1621 households in 1 village(s), 27.0 each on
//   average, at most 34 (Pushan); 60 of 60 over the span of 20 (cover_all deals out the rest) ...
void print_grid_load(const std::string& file, const sim::Model& m, const rules::Program& program,
                     const std::string& whose) {
  const auto& grid = program.grid();
  if (!grid || grid->contact_role < 0) return;
  const auto& pop = *m.population;
  const auto& c = m.contacts;
  int64_t members = 0, households = 0, over = 0, villages = 0, idle = 0;
  int32_t most = 0;
  size_t most_at = 0;
  for (size_t v = 0; v < pop.villages(); ++v) {
    if (c.members[v] == 0 || &m.town_program(pop.village_town[v]) != &program) continue;
    ++villages;
    members += c.members[v];
    households += int64_t(pop.village_households[v].size()) - c.without_member[v];
    over += c.over_span[v];
    idle += c.idle_members[v];
    if (c.max_load[v] > most) most = c.max_load[v], most_at = v;
  }
  if (members == 0) return;
  const std::string role = m.program->roles()[size_t(grid->contact_role)];
  char mean[32];
  std::snprintf(mean, sizeof mean, "%.1f", double(households) / double(members));
  std::cout << file << ": grid " << grid->name << whose << ": " << members << " " << role << " hold " << households
            << " households in " << villages << " village(s), " << mean << " each on average, at most " << most << " ("
            << pop.village_name[most_at] << "); " << over << " of " << members << " over the span of "
            << grid->households_per_member;
  if (idle > 0) std::cout << "; " << idle << " hold no household (the first members of each group fill the span)";
  if (over == members && grid->cover_all)
    std::cout << " (cover_all deals out the households beyond it: the span does not set the load here, so another "
                 "households_per_member changes who holds which household, not how many; more "
              << role << " would)";
  std::cout << "\n";
}

void print_grid_loads(const std::string& file, const sim::Model& m) {
  print_grid_load(file, m, *m.program, "");
  for (size_t k = 0; k < m.policies.size(); ++k)
    print_grid_load(file, m, *m.policies[k].program,
                    " (the per-village policy of " + sim::policy_villages(m.scenario, m.town_policy, k) + ")");
}

// Checks scenario, exercise and policy files. Policy files given together are compiled together
// (pass the vocabulary with the rules that use it); a scenario is checked with the policy it
// names, an exercise file as `exercise start` loads it (with its scenario, the names in its
// injects and expected actions), without running it.
int cmd_check(const std::vector<std::string>& files) {
  Diagnostics diags;
  std::vector<std::string> policy_files;
  int missing = 0;
  for (const auto& f : files) {
    Diagnostics local;
    std::error_code ec;
    if (!std::filesystem::exists(f, ec) || std::filesystem::is_directory(f, ec)) {  // said; the others still checked
      std::cerr << (std::filesystem::is_directory(f, ec)
                        ? f + ": error: a folder; check takes files (" +
                              (std::filesystem::path(f) / "*.yaml").lexically_normal().string() + ", say)"
                        : no_such_path(f, false))
                << "\n";
      ++missing;
      continue;
    }
    if (std::filesystem::path(f).extension() == ".commands") {  // not YAML: its errors would mislead
      local.error(SourceLoc{std::make_shared<const SourceFile>(f, ""), 1, 1},
                  "this is an exercise's command script: play it with `villagegrid exercise console "
                  "DIR --script " +
                      f + "` (check takes scenario, grid, policy and exercise files)");
      diags.merge(local);
      continue;
    }
    auto root = config::load_yaml_file(f, local);
    if (!root) {
      diags.merge(local);
      continue;
    }
    // A rule test file (rules/tests/*.test.yaml) is run, not checked: said so at its `tests` key,
    // instead of a list of the scenario keys it lacks.
    if (root->is_map() && root->find("tests") && !root->find("scenario") && !root->find("rules") &&
        !root->find("exercise")) {
      for (const auto& [key, value] : root->entries)
        if (key.scalar == "tests")
          local.error(key.loc, "this is a rule test file: run it with `villagegrid test " + f +
                                   "` (check takes scenario, grid, policy and exercise files)");
      diags.merge(local);
      continue;
    }
    // A top key that misspells another kind's ('grids:') in a file with no policy key: said so,
    // instead of checking it as a policy file that lacks 'vocabulary', 'rules' and 'tracking'.
    if (root->is_map() && !root->find("vocabulary") && !root->find("rules") && !root->find("tracking") &&
        !root->find("grid") && !root->find("exercise") && !root->find("scenario")) {
      static const std::string_view kKinds[] = {"grid", "exercise", "scenario"};
      bool told = false;
      for (const auto& [key, value] : root->entries) {
        const std::string hint = did_you_mean(key.scalar, kKinds);
        if (hint.empty()) continue;
        local.error(key.loc, "unknown key '" + key.scalar + "' at the top of the file" + hint +
                                 " (a grid file starts with 'grid:', a scenario with 'scenario:', an exercise with "
                                 "'exercise:', a policy file with 'vocabulary:', 'rules:' or 'tracking:')");
        told = true;
      }
      if (told) {
        diags.merge(local);
        continue;
      }
    }
    if (root->is_map() && root->find("grid")) {  // a grid file on its own: its structure
      // Its roles are checked against a policy through a scenario; a household level led by none
      // is told here as there.
      if (const auto g = config::load_grid(f, local);
          g && std::none_of(g->levels.begin(), g->levels.end(),
                            [](const auto& l) { return l.unit == "household" && !l.led_by.empty(); }))
        local.warning(g->loc,
                      "grid '" + g->name + "' has no household level led by a role: no household has a contact member");
      diags.merge(local);
      continue;
    }
    if (root->is_map() && root->find("exercise")) {
      try {
        exercise::Log log;
        log.exercise = f;  // as given: its messages name the file as the others do
        const exercise::Session session(std::move(log));
        exercise::lint_exercise(session, local);
      } catch (const InputError& e) {
        local.merge(e.diagnostics());
      }
      diags.merge(local);
      continue;
    }
    // A scenario's sections without its 'scenario:' header (policy, region, returnees): checked as
    // the scenario it is, which says the header is missing, not as a policy file with wrong keys.
    const bool scenario_body = root->is_map() && !root->find("vocabulary") && !root->find("rules") &&
                               !root->find("tracking") && !root->find("grid") && !root->find("exercise") &&
                               (root->find("region") || root->find("returnees") || root->find("policy"));
    if (root->is_map() && (root->find("scenario") || scenario_body)) {
      try {
        const sim::Model m = sim::load_model(f, local);
        if (m.next_generation) print_r0(f, *m.next_generation, m.disease->parameters().r0);
        print_grid_loads(f, m);
      } catch (const InputError&) {  // its problems are in `local` already
      }
      diags.merge(local);
    } else {
      policy_files.push_back(f);
    }
  }
  if (!policy_files.empty()) {
    Diagnostics local;
    auto policy = rules::load_policy(policy_files, local);
    rules::compile_policy(std::move(policy), local);  // after reading errors too: what was read is checked
    diags.merge(local);
  }
  print_diagnostics(diags);
  std::cerr << files.size() - size_t(missing) << " file(s) checked: " << diags.error_count() << " error(s), "
            << diags.warning_count() << " warning(s)";
  if (missing > 0) std::cerr << "; " << missing << " not checked (not found, or not a file)";
  std::cerr << "\n";
  return diags.has_errors() || missing > 0 ? kExitBadInput : kExitOk;
}

}  // namespace

Command add_check(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* check = app.add_subcommand("check", "Validate scenario, grid, rule and exercise files without running");
  check->add_option("files", *files, "Files to check (each one found is checked, even where another is missing)")
      ->required();
  return {check, [files] { return cmd_check(*files); }};
}

}  // namespace vg::cli
