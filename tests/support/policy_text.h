// Test helper: compiles a policy written in a few YAML lines, for tests of the compiler.
//
// Every rule and tracking template needs a `title` and a `source`, which a test about compiling
// does not care about: write `- id: NAME` and only the keys the test is about, and the helper adds
// `title: NAME` and `source: report` to the parsed tree. It adds them after parsing, so every line
// and column a message names is the one in the test's text. The text is the file "p.yaml"; one
// leading newline is dropped, so that in
//   compile_text(R"(
//   vocabulary: {classes: [unscreened]}
//   ...)")
// `vocabulary:` is line 1.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/yaml_doc.h"
#include "core/diagnostics.h"
#include "rules/policy_loader.h"
#include "rules/program.h"
#include "spec/grid.h"

namespace vg::testing {

struct CompiledPolicy {
  Diagnostics diags;
  std::shared_ptr<const rules::Program> program;  // null when there was an error

  // Every diagnostic as "p.yaml:LINE:COL: error|warning: MESSAGE", in the order given.
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : diags.items())
      out.push_back(d.loc.str() + (d.severity == Severity::Error ? ": error: " : ": warning: ") + d.message);
    return out;
  }
};

namespace detail {

inline void add_title_and_source(config::YamlNode& list) {
  if (!list.is_seq()) return;
  for (auto& item : list.items) {
    const config::YamlNode* id = item.is_map() ? item.find("id") : nullptr;
    if (!id) continue;
    auto scalar = [&](const std::string& text) {
      config::YamlNode n;
      n.kind = config::YamlNode::Kind::Scalar;
      n.loc = item.loc;
      n.scalar = text;
      return n;
    };
    if (!item.find("title")) item.entries.push_back({scalar("title"), scalar(id->scalar)});
    if (!item.find("source")) item.entries.push_back({scalar("source"), scalar("report")});
  }
}

}  // namespace detail

// The policy in `yaml` as a spec; reading problems go to `d`.
inline rules::PolicySpec read_policy_text(std::string yaml, Diagnostics& d) {
  if (yaml.starts_with('\n')) yaml.erase(0, 1);
  rules::PolicySpec spec;
  auto root = config::parse_yaml("p.yaml", yaml, d);
  if (!root) return spec;
  for (auto& [key, value] : root->entries)
    if (key.scalar == "rules" || key.scalar == "tracking") detail::add_title_and_source(value);
  rules::read_policy_file(*root, "p.yaml", spec, d);
  return spec;
}

// Compiles a spec (built by read_policy_text, perhaps changed by the test).
inline CompiledPolicy compile_spec(rules::PolicySpec spec, const config::GridSpec* grid = nullptr) {
  CompiledPolicy c;
  c.program = rules::compile_policy(std::move(spec), c.diags, grid);
  return c;
}

// Reads and compiles; a reading problem is reported as it is, and then nothing is compiled (unlike
// `villagegrid check`, which compiles what was read), so a test sees the one problem it is about.
inline CompiledPolicy compile_text(const std::string& yaml, const config::GridSpec* grid = nullptr) {
  CompiledPolicy c;
  rules::PolicySpec spec = read_policy_text(yaml, c.diags);
  if (!c.diags.has_errors()) c.program = rules::compile_policy(std::move(spec), c.diags, grid);
  return c;
}

// A policy with one tracking template, `team` (one cadre, 10 minutes a day for 14 days), and one rule
// that starts the template named `started` when a returnee arrives. Line 5 is the rule's `do:`, the
// name at column 27; line 7 is the template's `- id: team`.
inline std::string tracking_policy(const std::string& started) {
  return "vocabulary: {classes: [unscreened], roles: [cadre]}\n"
         "rules:\n"
         "  - id: track\n"
         "    on: returnee_arrived\n"
         "    do: [{start_tracking: " +
         started +
         "}]\n"
         "tracking:\n"
         "  - id: team\n"
         "    days: 14\n"
         "    team: [{role: cadre, duty: visit, minutes_per_day: 10}]\n";
}

// A rule `make` on `trigger` that creates task `sweep` for a cadre, and a rule `after` (line 6) on
// task_done of `done` that sets class `key`; `on: {task_done: ` ends at column 20.
inline std::string task_then_class(const std::string& trigger, const std::string& done) {
  return "vocabulary: {classes: [unscreened, key], roles: [cadre]}\n"
         "rules:\n"
         "  - id: make\n"
         "    on: " +
         trigger +
         "\n"
         "    do: [{create_task: {name: sweep, roles: [cadre], minutes: 5, within_hours: 24}}]\n"
         "  - id: after\n"
         "    on: {task_done: " +
         done +
         "}\n"
         "    do: [{set_class: key}]\n";
}

}  // namespace vg::testing
