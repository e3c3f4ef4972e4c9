#include <gtest/gtest.h>

#include <memory>

#include "core/diagnostics.h"

namespace vg {
namespace {

TEST(DidYouMean, FindsLikelyTypos) {
  std::vector<std::string> keys{"horizon_days", "start_date", "seed", "replicates"};
  EXPECT_EQ(closest_match("horizon_dyas", keys), "horizon_days");  // transposition
  EXPECT_EQ(closest_match("strat_date", keys), "start_date");
  EXPECT_EQ(closest_match("replicate", keys), "replicates");
  EXPECT_EQ(closest_match("colour", keys), "");  // nothing close: no suggestion
  EXPECT_EQ(did_you_mean("sed", keys), "; did you mean 'seed'?");
}

// The one message every lookup of a declared name gives (compiler, scenario model, rule tests).
TEST(UnknownName, SuggestsTheClosestNameOrListsTheKnownOnes) {
  const std::vector<std::string> roles{"village_cadre", "village_doctor", "party_member"};
  const KnownNames shown{"; declared: ", "; none declared"};
  EXPECT_EQ(unknown_name("role", "village_doctr", roles, shown),
            "unknown role 'village_doctr'; did you mean 'village_doctor'?");
  EXPECT_EQ(unknown_name("role", "nurse", roles, shown),
            "unknown role 'nurse'; declared: village_cadre, village_doctor, party_member");
  EXPECT_EQ(unknown_name("role", "nurse", {}, shown), "unknown role 'nurse'; none declared");
}

TEST(UnknownName, CutsALongListAtMost) {
  const std::vector<std::string> tasks{"a", "b", "c"};
  EXPECT_EQ(unknown_name("task", "zzz", tasks, {"; the policy has: ", "", 2}),
            "unknown task 'zzz'; the policy has: a, b, ...");
  EXPECT_EQ(unknown_name("task", "zzz", tasks, {"; the policy has: ", "", 3}),
            "unknown task 'zzz'; the policy has: a, b, c");
}

TEST(Diagnostics, FormatsLocationLineAndCaret) {
  auto f = std::make_shared<SourceFile>(SourceFile{"a.yaml", "x: 1\nhorizon_dyas: 3\n"});
  Diagnostics d;
  d.error(SourceLoc{f, 2, 1}, "unknown key");
  d.warning(SourceLoc{f, 1, 4}, "odd");
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.warning_count(), 1u);
  EXPECT_EQ(d.format(),
            "a.yaml:2:1: error: unknown key\n  horizon_dyas: 3\n  ^\n"
            "a.yaml:1:4: warning: odd\n  x: 1\n     ^\n");
}

}  // namespace
}  // namespace vg
