// local_case_found: a resident who is not a returnee, isolated by the health system when seeking
// care, raises the village event once; the shipped rule has a cadre trace the household. On the
// default scenario (with its epidemic), the rule fires exactly as often as residents are isolated,
// and its task is created as often, in every replicate.
#include <gtest/gtest.h>

#include <string>

#include "sim/runner.h"

namespace vg::sim {
namespace {

TEST(LocalCases, EveryIsolatedResidentRaisesOneLocalCaseFound) {
  Diagnostics d;
  Overrides ov;
  ov.replicates = 4;
  const Model m = load_model(std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020.yaml", d, ov);
  int rule = -1;
  for (size_t i = 0; i < m.program->rules().size(); ++i)
    if (m.program->spec().rules[i].id == "trace-local-case") rule = int(i);
  ASSERT_GE(rule, 0);
  const RunResult r = run_model(m, /*trace=*/true);
  int64_t total = 0;
  for (size_t rep = 0; rep < r.replicates.size(); ++rep) {
    int64_t isolated = 0;
    for (const auto& v : r.replicates[rep].villages) isolated += v.local_cases_isolated;
    int64_t fired = 0, created = 0;
    for (const auto& t : r.trace[rep]) {
      if (t.rule != rule) continue;
      EXPECT_EQ(t.event, uint8_t(rules::Event::LocalCaseFound));
      EXPECT_EQ(t.person, -1);  // a village rule
      fired += t.fired ? 1 : 0;
      created += t.created;
    }
    EXPECT_EQ(fired, isolated) << "replicate " << rep;
    EXPECT_EQ(created, isolated) << "replicate " << rep;
    total += isolated;
  }
  EXPECT_GT(total, 0);  // the scenario's epidemic does isolate residents
}

}  // namespace
}  // namespace vg::sim
