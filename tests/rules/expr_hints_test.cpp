// Hints for operators and numbers written as in other languages or as a table prints them: '=>'
// for '>=', '=<' for '<=', and a share written in per cent ('30%' for 0.3).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "rules/expr.h"

namespace vg::rules {
namespace {

// The one error `text` gives: its message and its 0-based column in the text.
std::pair<std::string, int> error_of(const std::string& text) {
  Schema schema;
  schema.add_field("household_size", Type::Number);
  schema.add_field("screened_share", Type::Number, -1, "share");
  auto file = std::make_shared<SourceFile>(SourceFile{"--target", text});
  Diagnostics d;
  auto e = compile_expr(text, SourceLoc{file, 1, 1}, schema, d, Type::Bool);
  EXPECT_FALSE(e) << text;
  if (d.error_count() != 1) return {"expected one error, got:\n" + d.format(), -1};
  return {d.items().front().message, d.items().front().loc.col - 1};
}

TEST(ExprHints, ReversedComparisonsSuggestTheOperator) {
  EXPECT_EQ(error_of("screened_share => 0.3"),
            std::make_pair(std::string("'=>' is not an operator; use '>=' to compare"), 15));
  EXPECT_EQ(error_of("household_size =< 3"),
            std::make_pair(std::string("'=<' is not an operator; use '<=' to compare"), 15));
  // A lone '=' still means '=='.
  EXPECT_EQ(error_of("household_size = 3").first, "'=' is not an operator; use '==' to compare");
}

TEST(ExprHints, APerCentSaysSharesAreWrittenFrom0To1) {
  EXPECT_EQ(error_of("screened_share >= 30%"),
            std::make_pair(std::string("unexpected character '%'; numbers are written without it (a share from 0 to 1: "
                                       "0.3 for 30%; a count or a number of days as it is)"),
                           20));
  EXPECT_EQ(error_of("screened_share >= 72.5%").first,
            "unexpected character '%'; numbers are written without it (a share from 0 to 1: 0.725 for 72.5%; a count "
            "or a number of days as it is)");
  // Not after a number (a remainder, as in other languages): no word of shares.
  EXPECT_EQ(error_of("household_size % 2 == 0").first, "unexpected character '%'");
  EXPECT_EQ(error_of("household_size >= 3 % 2").first, "unexpected character '%'");
}

}  // namespace
}  // namespace vg::rules
