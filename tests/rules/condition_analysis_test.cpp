// The condition analysis behind `check`'s contradiction, tautology, gap and overlap warnings
// (src/rules/lint/condition.h): which fact assignments a condition admits, why none do, and that
// what it cannot see into never yields a claim.
#include "rules/lint/condition.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <tuple>
#include <vector>

namespace vg::rules::lint {
namespace {

using Op = CompiledExpr::Op;

enum Slot : int { kOrigin, kToday, kArrival, kHousehold, kVulnerable, kDistrict };

Schema make_schema() {
  Schema s;
  const int origin = s.add_category_set("origin", {"local", "key_area", "other_province", "within_province"});
  std::vector<std::string> districts;  // more values than a 64-bit mask holds
  for (int i = 0; i < 70; ++i) districts.push_back("d" + std::to_string(i));
  const int district = s.add_category_set("district", districts);
  const std::tuple<const char*, Type, int> fields[] = {
      {"origin", Type::Category, origin},   {"today", Type::Number, -1},    {"arrival_day", Type::Number, -1},
      {"household_size", Type::Number, -1}, {"vulnerable", Type::Bool, -1}, {"district", Type::Category, district}};
  for (const auto& [name, type, set] : fields) s.add_field(name, type, set);
  return s;
}

class ConditionAnalysisTest : public testing::Test {
 protected:
  CompiledExpr compile(const std::string& text) {
    Diagnostics d;
    auto e = compile_expr(text, SourceLoc{nullptr, 1, 1}, schema_, d);
    EXPECT_TRUE(e.has_value()) << text << "\n" << d.format();
    return e ? *e : CompiledExpr();
  }
  Dnf when_true(const std::string& text) { return analysis_.admits(compile(text), true); }
  Dnf when_false(const std::string& text) { return analysis_.admits(compile(text), false); }

  Schema schema_ = make_schema();
  ConditionAnalysis analysis_{schema_};
};

TEST(ValueSetTest, IntervalsIntersectAndComplement) {
  const ValueSet below3 = ValueSet::compare(Op::Lt, 3), at_least2 = ValueSet::compare(Op::Ge, 2);
  const ValueSet both = below3.intersect(at_least2);
  ASSERT_EQ(both.intervals.size(), 1u);
  EXPECT_EQ(both.intervals[0].lo, 2);
  EXPECT_EQ(both.intervals[0].hi, 3);
  EXPECT_FALSE(both.intervals[0].lo_open);
  EXPECT_TRUE(both.intervals[0].hi_open);
  EXPECT_FALSE(both.nan);
  // Not below 3: at least 3, or NaN (which compares false with everything).
  const ValueSet rest = below3.complement();
  ASSERT_EQ(rest.intervals.size(), 1u);
  EXPECT_EQ(rest.intervals[0].lo, 3);
  EXPECT_FALSE(rest.intervals[0].lo_open);
  EXPECT_TRUE(rest.nan);
  EXPECT_TRUE(below3.intersect(rest).empty());
  EXPECT_TRUE(ValueSet::compare(Op::Ne, 4).complement().intersect(ValueSet::compare(Op::Eq, 4)).has_real_value());
  EXPECT_TRUE(ValueSet::all_numbers().full());
  EXPECT_TRUE(ValueSet::compare(Op::Gt, 5).intersect(ValueSet::compare(Op::Lt, 5)).empty());
  EXPECT_FALSE(ValueSet::compare(Op::Ge, 5).intersect(ValueSet::compare(Op::Le, 5)).empty());
}

TEST_F(ConditionAnalysisTest, CategoriesThatCannotBothHold) {
  const Dnf d = when_true("origin == \"key_area\" and origin == \"local\"");
  EXPECT_TRUE(d.cubes.empty());
  EXPECT_EQ(d.conflict, "origin cannot be both key_area and local");
}

TEST_F(ConditionAnalysisTest, IntervalsThatCannotBothHold) {
  const Dnf d = when_true("household_size > 5 and household_size < 2");
  EXPECT_TRUE(d.cubes.empty());
  EXPECT_EQ(d.conflict, "household_size cannot be both above 5 and below 2");
  // Touching bounds leave one value.
  const Dnf five = when_true("household_size >= 5 and household_size <= 5");
  ASSERT_EQ(five.cubes.size(), 1u);
  EXPECT_EQ(analysis_.describe(five.cubes[0]), "household_size is 5");
}

TEST_F(ConditionAnalysisTest, MembershipAndNotIn) {
  const Dnf d = when_true("origin in [\"local\", \"key_area\"] and origin not in [\"local\"]");
  ASSERT_EQ(d.cubes.size(), 1u);
  EXPECT_EQ(analysis_.describe(d.cubes[0]), "origin is key_area");
  const Dnf other = when_true("origin != \"key_area\"");
  EXPECT_EQ(analysis_.describe(other.cubes[0]), "origin is other than key_area");
}

TEST_F(ConditionAnalysisTest, NotAndOrAreDeMorgan) {
  // Always true: nothing makes it false.
  EXPECT_TRUE(when_false("not (origin == \"local\") or origin == \"local\"").cubes.empty());
  EXPECT_TRUE(when_false("origin in [\"local\", \"key_area\"] or origin not in [\"local\"]").cubes.empty());
  // False exactly when both parts are false.
  const Dnf d = when_false("vulnerable or household_size > 2");
  ASSERT_EQ(d.cubes.size(), 1u);
  EXPECT_EQ(analysis_.describe(d.cubes[0]), "household_size is at most 2 or NaN and vulnerable is false");
  const Dnf b = when_true("vulnerable and not vulnerable");
  EXPECT_TRUE(b.cubes.empty());
  EXPECT_EQ(b.conflict, "vulnerable cannot be both true and false");
}

TEST_F(ConditionAnalysisTest, NaNKeepsAComparisonAndItsOppositeFromCoveringEverything) {
  const Dnf d = when_false("household_size > 5 or household_size <= 5");
  ASSERT_EQ(d.cubes.size(), 1u);
  EXPECT_EQ(analysis_.describe(d.cubes[0]), "household_size is NaN");
  EXPECT_FALSE(d.cubes[0].facts.at(kHousehold).has_real_value());
}

TEST_F(ConditionAnalysisTest, OpaquePartsAreFreeButTheSamePartIsOne) {
  // Arithmetic over several facts is not looked into: two different parts stay possible together,
  // even when they are in fact contradictory (no claim rather than a wrong one).
  EXPECT_FALSE(when_true("household_size + arrival_day > 3 and household_size + arrival_day <= 2").cubes.empty());
  // The same part required true and false is a contradiction, whatever it computes.
  const Dnf d = when_true("days_since(arrival_day) > 3 and not (days_since(arrival_day) > 3)");
  EXPECT_TRUE(d.cubes.empty());
  EXPECT_EQ(d.conflict, "'days_since(arrival_day) > 3' cannot be both true and false");
  // A category too large for a mask is opaque too.
  const Dnf large = when_true("district == \"d1\" and district == \"d2\"");
  EXPECT_FALSE(large.cubes.empty()) << large.conflict;
}

TEST_F(ConditionAnalysisTest, ConstantsAndTheDefaultTrue) {
  EXPECT_TRUE(when_true("1 > 2").cubes.empty());
  EXPECT_EQ(when_true("1 > 2").conflict, "it is the constant false");
  EXPECT_EQ(analysis_.admits(CompiledExpr(), true).cubes.size(), 1u);
  EXPECT_TRUE(analysis_.admits(CompiledExpr(), false).cubes.empty());
}

TEST_F(ConditionAnalysisTest, BothFindsWhereTwoConditionsHoldTogether) {
  const Dnf a = when_true("origin == \"key_area\" or household_size > 4");
  const Dnf b = when_true("origin in [\"key_area\", \"local\"] and household_size < 3");
  const Dnf d = analysis_.both(a, b);
  ASSERT_EQ(d.cubes.size(), 1u);
  EXPECT_EQ(analysis_.describe(d.cubes[0]), "origin is key_area and household_size is below 3");
  EXPECT_EQ(d.conflict, "household_size cannot be both above 4 and below 3");
}

TEST_F(ConditionAnalysisTest, TooManyCombinationsIsUnknownNotAClaim) {
  // 3^6 = 729 combinations in disjunctive form: past the bound, the answer is "anything".
  std::string text;
  for (int i = 0; i < 6; ++i)
    text += std::string(i ? " and " : "") + "(household_size == " + std::to_string(i) +
            " or arrival_day == " + std::to_string(i) + " or vulnerable)";
  const Dnf t = when_true(text), f = when_false(text);
  EXPECT_FALSE(t.cubes.empty());
  EXPECT_FALSE(f.cubes.empty());
  EXPECT_LE(t.cubes.size(), kMaxCubes);
}

TEST_F(ConditionAnalysisTest, TreeKeepsWhereEachPartWasWritten) {
  const CompiledExpr e = compile("origin == \"local\" and (household_size > 2)");
  const ExprTree* t = e.tree();
  ASSERT_NE(t, nullptr);
  const auto& root = t->nodes[size_t(t->root)];
  EXPECT_EQ(root.kind, ExprTree::Kind::And);
  ASSERT_EQ(root.kids.size(), 2u);
  const auto& right = t->nodes[size_t(root.kids[1])];
  EXPECT_EQ(e.source().substr(right.begin, right.end - right.begin), "(household_size > 2)");
  EXPECT_EQ(right.loc.col, 23);  // its "(", 22 characters in
}

}  // namespace
}  // namespace vg::rules::lint
