#include "fuzz/targets.h"

#include <memory>
#include <string>
#include <vector>

#include "config/scenario_loader.h"
#include "config/yaml_doc.h"
#include "core/diagnostics.h"
#include "rules/expr.h"
#include "rules/facts.h"
#include "rules/policy_loader.h"
#include "rules/program.h"
#include "spec/scenario.h"

namespace vg::fuzz {

namespace {

// The facts of the shipped policy's vocabulary, as the compiler's schema step lays them out.
const rules::Schema& shipped_schema() {
  static const rules::Schema schema = [] {
    rules::Schema s;
    const int origin = s.add_category_set("origin", {"key_area", "other_province", "within_province", "local"});
    const int cls = s.add_category_set("class", {"general", "key", "watched"});
    const int mon = s.add_category_set("monitoring", {"none", "home_observation", "key_monitoring"});
    const int found = s.add_category_set("found_by", {rules::kFoundBy.begin(), rules::kFoundBy.end()});
    for (const auto& f : rules::kPersonFacts)
      s.add_field(std::string(f.name), f.type,
                  f.name == "origin"       ? origin
                  : f.name == "class"      ? cls
                  : f.name == "monitoring" ? mon
                  : f.name == "found_by"   ? found
                                           : -1);
    for (const auto& f : rules::kVillageFacts) s.add_field(std::string(f.name), f.type);
    return s;
  }();
  return schema;
}

// The shipped vocabulary, read once: fuzzed policy text is compiled after it, so that names resolve
// and the compiler's later steps are reached.
const rules::PolicySpec& shipped_vocabulary() {
  static const rules::PolicySpec spec = [] {
    Diagnostics d;
    return rules::load_policy({std::string(VILLAGEGRID_SOURCE_DIR) + "/rules/vocabulary.yaml"}, d);
  }();
  return spec;
}

}  // namespace

void scenario(std::string_view text) {
  Diagnostics d;
  auto root = config::parse_yaml("fuzz.yaml", std::string(text), d);
  if (root) config::read_scenario(*root, "fuzz.yaml", d);
  (void)d.format();
}

void expression(std::string_view text) {
  Diagnostics d;
  auto file = std::make_shared<SourceFile>("fuzz.yaml", "when: " + std::string(text));
  const rules::Schema& schema = shipped_schema();
  auto e = rules::compile_expr(text, SourceLoc{file, 1, 7}, schema, d);
  (void)d.format();
  if (!e) return;
  std::vector<double> slots(schema.slot_count(), 0.0);
  (void)e->eval_bool(slots.data());
  (void)e->disassemble();
}

void policy(std::string_view text) {
  Diagnostics d;
  auto root = config::parse_yaml("fuzz.yaml", std::string(text), d);
  if (!root) return;
  rules::PolicySpec spec = shipped_vocabulary();
  rules::read_policy_file(*root, "fuzz.yaml", spec, d);
  (void)rules::compile_policy(std::move(spec), d);  // what was read, as `villagegrid check` does
  (void)d.format();
}

}  // namespace vg::fuzz
