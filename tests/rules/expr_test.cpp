#include "rules/expr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace vg::rules {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Slots of the test schema, in add_field order.
enum Slot : int {
  kOrigin,
  kToday,
  kArrival,
  kHousehold,
  kMember,
  kRegion,
  kPrevOrigin,
  kScore,
  kVulnerable,
  kDistrict,
  kSlots
};

const std::vector<std::string> kOrigins = {"local", "key_area", "other_province", "within_province"};
const std::vector<std::string> kRegions = {"north", "south", "east"};

std::vector<std::string> district_names() {
  // More than 64 values, so membership cannot use the bit-mask instruction.
  std::vector<std::string> v;
  for (int i = 0; i < 70; ++i) v.push_back("d" + std::to_string(i));
  return v;
}

Schema make_schema() {
  Schema s;
  int origin = s.add_category_set("origin", kOrigins);
  int region = s.add_category_set("region", kRegions);
  int district = s.add_category_set("district", district_names());
  EXPECT_EQ(s.add_field("origin", Type::Category, origin, "where the household comes from"), kOrigin);
  EXPECT_EQ(s.add_field("today", Type::Number), kToday);
  EXPECT_EQ(s.add_field("arrival_day", Type::Number), kArrival);
  EXPECT_EQ(s.add_field("household_size", Type::Number), kHousehold);
  EXPECT_EQ(s.add_field("is_member", Type::Bool), kMember);
  EXPECT_EQ(s.add_field("region", Type::Category, region), kRegion);
  EXPECT_EQ(s.add_field("prev_origin", Type::Category, origin), kPrevOrigin);
  EXPECT_EQ(s.add_field("score", Type::Number), kScore);
  EXPECT_EQ(s.add_field("vulnerable", Type::Bool), kVulnerable);
  EXPECT_EQ(s.add_field("district", Type::Category, district), kDistrict);
  return s;
}

// The expression sits in a YAML line "    when: <text>", so its first character is column 11.
constexpr int kCol = 11;

struct Compiled {
  std::optional<CompiledExpr> expr;
  Diagnostics diags;
};

Compiled compile(const std::string& text, Type expected = Type::Bool, const Schema* schema = nullptr) {
  static const Schema kSchema = make_schema();
  auto file = std::make_shared<SourceFile>(SourceFile{"rules/test.yaml", "rules:\n    when: " + text + "\n"});
  Compiled c;
  c.expr = compile_expr(text, SourceLoc{file, 2, kCol}, schema ? *schema : kSchema, c.diags, expected);
  return c;
}

struct Slots {
  double v[kSlots] = {};
  Slots() {
    v[kOrigin] = 1;  // key_area
    v[kToday] = 100;
    v[kArrival] = 90;
    v[kHousehold] = 3;
    v[kMember] = 1;
    v[kRegion] = 0;  // north
    v[kPrevOrigin] = 0;
    v[kScore] = 2.5;
    v[kVulnerable] = 0;
    v[kDistrict] = 66;
  }
  Slots& set(Slot s, double x) {
    v[s] = x;
    return *this;
  }
};

double num(const std::string& text, const Slots& slots = Slots()) {
  Compiled c = compile(text, Type::Number);
  EXPECT_TRUE(c.expr) << text << "\n" << c.diags.format();
  return c.expr ? c.expr->eval_number(slots.v) : kNaN;
}

bool yes(const std::string& text, const Slots& slots = Slots()) {
  Compiled c = compile(text);
  EXPECT_TRUE(c.expr) << text << "\n" << c.diags.format();
  EXPECT_TRUE(c.diags.empty()) << c.diags.format();
  return c.expr && c.expr->eval_bool(slots.v);
}

// Exactly one error, with this message, at this 0-based offset into the text.
void expect_error(const std::string& text, int offset, const std::string& message, Type expected = Type::Bool) {
  SCOPED_TRACE(text.size() > 80 ? text.substr(0, 80) + "..." : text);
  Compiled c = compile(text, expected);
  EXPECT_FALSE(c.expr);
  ASSERT_EQ(c.diags.error_count(), 1u) << c.diags.format();
  const Diagnostic& d = c.diags.items().front();
  EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(d.message, message);
  EXPECT_EQ(d.loc.line, 2);
  EXPECT_EQ(d.loc.col, kCol + offset);
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// ---------------------------------------------------------------------------------------------
// Operators

TEST(ExprLiterals, NumbersAndBools) {
  EXPECT_EQ(num("3"), 3);
  EXPECT_EQ(num("2.5"), 2.5);
  EXPECT_EQ(num("-1"), -1);
  EXPECT_EQ(num(".5"), 0.5);
  EXPECT_EQ(num("1e3"), 1000);
  EXPECT_EQ(num("1.5E-2"), 0.015);
  EXPECT_EQ(num("1e+2"), 100);
  EXPECT_TRUE(yes("true"));
  EXPECT_FALSE(yes("false"));
}

TEST(ExprArithmetic, Operators) {
  EXPECT_EQ(num("household_size + 2"), 5);
  EXPECT_EQ(num("household_size - 5"), -2);
  EXPECT_EQ(num("household_size * score"), 7.5);
  EXPECT_EQ(num("household_size / 2"), 1.5);
  EXPECT_EQ(num("2 - household_size"), -1);
  EXPECT_EQ(num("12 / household_size"), 4);
  EXPECT_EQ(num("-household_size"), -3);
  EXPECT_EQ(num("- -household_size"), 3);
  EXPECT_EQ(num("--household_size"), 3);
  EXPECT_EQ(num("today - arrival_day"), 10);
}

TEST(ExprArithmetic, Precedence) {
  EXPECT_EQ(num("2 + 3 * 4"), 14);
  EXPECT_EQ(num("(2 + 3) * 4"), 20);
  EXPECT_EQ(num("10 - 4 - 3"), 3);  // left-associative
  EXPECT_EQ(num("24 / 4 / 2"), 3);
  EXPECT_EQ(num("-2 * 3"), -6);
  EXPECT_EQ(num("2 * -household_size + 1"), -5);
  EXPECT_EQ(num("household_size - -household_size"), 6);
  EXPECT_EQ(num("1 + household_size * 2 - 4 / 2"), 5);
}

TEST(ExprArithmetic, DivisionByZeroFollowsIeee) {
  EXPECT_EQ(num("1 / 0"), kInf);
  EXPECT_EQ(num("-1 / 0"), -kInf);
  EXPECT_TRUE(std::isnan(num("0 / 0")));
  Slots s;
  s.set(kHousehold, 0);
  EXPECT_EQ(num("score / household_size", s), kInf);
  EXPECT_TRUE(std::isnan(num("household_size / household_size", s)));
  // NaN compares false with everything, except that != is true.
  EXPECT_FALSE(yes("household_size / household_size > 0", s));
  EXPECT_FALSE(yes("household_size / household_size <= 0", s));
  EXPECT_FALSE(yes("household_size / household_size == household_size / household_size", s));
  EXPECT_TRUE(yes("household_size / household_size != 0", s));
  EXPECT_TRUE(yes("score / household_size > 1e308", s));
}

TEST(ExprComparison, Numbers) {
  EXPECT_TRUE(yes("household_size == 3"));
  EXPECT_FALSE(yes("household_size != 3"));
  EXPECT_TRUE(yes("household_size < 4"));
  EXPECT_FALSE(yes("household_size < 3"));
  EXPECT_TRUE(yes("household_size <= 3"));
  EXPECT_TRUE(yes("household_size > 2"));
  EXPECT_FALSE(yes("household_size > 3"));
  EXPECT_TRUE(yes("household_size >= 3"));
  EXPECT_TRUE(yes("2 < household_size"));  // constant on the left
  EXPECT_FALSE(yes("3 > household_size"));
  EXPECT_TRUE(yes("score * 2 == household_size + 2"));
  EXPECT_TRUE(yes("1 + 1 == 2"));
}

TEST(ExprComparison, Bools) {
  EXPECT_TRUE(yes("is_member == true"));
  EXPECT_TRUE(yes("is_member != vulnerable"));
  EXPECT_TRUE(yes("vulnerable == false"));
  EXPECT_TRUE(yes("(household_size > 2) == is_member"));
  EXPECT_TRUE(yes("true != false"));
}

TEST(ExprComparison, BoolSlotIsTrueWhenNonzero) {
  Slots s;
  s.set(kMember, 2.0);
  EXPECT_TRUE(yes("is_member", s));
  EXPECT_TRUE(yes("is_member == true", s));
  EXPECT_TRUE(yes("is_member == (1 < 2)", s));
  s.set(kMember, 0.0);
  EXPECT_FALSE(yes("is_member", s));
}

TEST(ExprCategory, EqualityWithStrings) {
  EXPECT_TRUE(yes("origin == \"key_area\""));
  EXPECT_TRUE(yes("origin == 'key_area'"));
  EXPECT_TRUE(yes("\"key_area\" == origin"));
  EXPECT_FALSE(yes("origin == \"local\""));
  EXPECT_TRUE(yes("origin != \"local\""));
  EXPECT_TRUE(yes("region == \"north\""));
  Slots s;
  s.set(kOrigin, 3);
  EXPECT_TRUE(yes("origin == 'within_province'", s));
  // An index outside the set matches no value.
  s.set(kOrigin, 17);
  EXPECT_FALSE(yes("origin == 'local'", s));
  EXPECT_TRUE(yes("origin != 'local'", s));
}

TEST(ExprCategory, FieldsOfTheSameSet) {
  EXPECT_FALSE(yes("origin == prev_origin"));
  Slots s;
  s.set(kPrevOrigin, 1);
  EXPECT_TRUE(yes("origin == prev_origin", s));
  EXPECT_FALSE(yes("origin != prev_origin", s));
}

TEST(ExprCategory, Result) {
  Compiled c = compile("origin", Type::Category);
  ASSERT_TRUE(c.expr) << c.diags.format();
  EXPECT_EQ(c.expr->type(), Type::Category);
  EXPECT_EQ(c.expr->category_set(), 0);
  EXPECT_EQ(c.expr->eval_number(Slots().v), 1);
}

TEST(ExprLogic, AndOrNot) {
  EXPECT_TRUE(yes("is_member and household_size > 2"));
  EXPECT_FALSE(yes("is_member and vulnerable"));
  EXPECT_TRUE(yes("vulnerable or is_member"));
  EXPECT_FALSE(yes("vulnerable or false"));
  EXPECT_TRUE(yes("not vulnerable"));
  EXPECT_FALSE(yes("not is_member"));
  EXPECT_TRUE(yes("is_member and is_member and not vulnerable"));
  EXPECT_TRUE(yes("vulnerable or vulnerable or is_member"));
}

TEST(ExprLogic, SymbolSynonyms) {
  EXPECT_TRUE(yes("is_member && household_size > 2"));
  EXPECT_TRUE(yes("vulnerable || is_member"));
  EXPECT_TRUE(yes("!vulnerable"));
  EXPECT_TRUE(yes("!!is_member"));
  EXPECT_TRUE(yes("is_member && !vulnerable || vulnerable"));
}

TEST(ExprLogic, Precedence) {
  // or < and
  EXPECT_TRUE(yes("is_member or vulnerable and false"));  // is_member or (vulnerable and false)
  EXPECT_FALSE(yes("(is_member or vulnerable) and false"));
  // and < not
  EXPECT_FALSE(yes("not is_member and vulnerable"));  // (not is_member) and vulnerable
  EXPECT_TRUE(yes("not vulnerable and is_member"));
  // not < comparison: "not household_size > 5" is not (household_size > 5)
  EXPECT_TRUE(yes("not household_size > 5"));
  EXPECT_TRUE(yes("not origin == 'local'"));
  EXPECT_FALSE(yes("not origin in ['key_area']"));
  // comparison < arithmetic
  EXPECT_TRUE(yes("household_size + 1 > 3 and 2 * household_size == 6"));
  // ! is exactly 'not', so it binds the same way
  EXPECT_TRUE(yes("!household_size > 5"));
}

TEST(ExprIn, Categories) {
  EXPECT_TRUE(yes("origin in ['local', 'key_area']"));
  EXPECT_FALSE(yes("origin in ['local', 'other_province']"));
  EXPECT_TRUE(yes("origin not in ['local', 'other_province']"));
  EXPECT_FALSE(yes("origin not in [\"key_area\"]"));
  EXPECT_TRUE(yes("origin in ['key_area',]"));  // trailing comma
  EXPECT_FALSE(yes("origin in []"));
  EXPECT_TRUE(yes("origin not in []"));
  Slots s;
  s.set(kOrigin, 17);
  EXPECT_FALSE(yes("origin in ['local', 'key_area']", s));
  s.set(kOrigin, 1.5);
  EXPECT_FALSE(yes("origin in ['local', 'key_area']", s));
  s.set(kOrigin, kNaN);
  EXPECT_FALSE(yes("origin in ['local', 'key_area']", s));
  EXPECT_TRUE(yes("origin not in ['local', 'key_area']", s));
}

TEST(ExprIn, LargeCategorySet) {
  EXPECT_TRUE(yes("district in ['d1', 'd66']"));
  EXPECT_FALSE(yes("district in ['d1', 'd65']"));
  EXPECT_TRUE(yes("district not in ['d65']"));
  EXPECT_TRUE(yes("district in ['d3', 'd4'] or district == 'd66'"));
}

TEST(ExprIn, Numbers) {
  EXPECT_TRUE(yes("household_size in [1, 2, 3]"));
  EXPECT_FALSE(yes("household_size in [1, 2]"));
  EXPECT_TRUE(yes("household_size not in [1, 2]"));
  EXPECT_TRUE(yes("score in [2.5, 100]"));
  EXPECT_TRUE(yes("household_size * 10 in [30, 1000]"));
  EXPECT_TRUE(yes("-household_size in [-3, -1]"));
  EXPECT_TRUE(yes("household_size in [1 + 2]"));  // constant expressions are fine
  Slots s;
  s.set(kHousehold, -0.0);
  EXPECT_TRUE(yes("household_size in [0, 1]", s));
  s.set(kHousehold, kNaN);
  EXPECT_FALSE(yes("household_size in [0, 1, 100]", s));
  EXPECT_TRUE(yes("household_size not in [0, 1, 100]", s));
}

TEST(ExprIn, DuplicateIsAWarning) {
  Compiled c = compile("origin in ['local', 'key_area', 'local']");
  ASSERT_TRUE(c.expr);
  ASSERT_EQ(c.diags.warning_count(), 1u);
  EXPECT_EQ(c.diags.items()[0].message, "'local' is listed twice");
  EXPECT_EQ(c.diags.items()[0].loc.col, kCol + 32);
  Compiled n = compile("household_size in [2, 3, 2]");
  ASSERT_EQ(n.diags.warning_count(), 1u);
  EXPECT_EQ(n.diags.items()[0].message, "2 is listed twice");
}

TEST(ExprFunctions, MinMaxAbs) {
  EXPECT_EQ(num("min(household_size, 2)"), 2);
  EXPECT_EQ(num("min(2, household_size)"), 2);
  EXPECT_EQ(num("max(household_size, 2)"), 3);
  EXPECT_EQ(num("max(household_size, score, 10)"), 10);
  EXPECT_EQ(num("min(household_size, score, 10)"), 2.5);
  EXPECT_EQ(num("abs(-household_size)"), 3);
  EXPECT_EQ(num("abs(household_size - 10)"), 7);
  EXPECT_EQ(num("abs(-2.5)"), 2.5);
  EXPECT_EQ(num("max(min(1, 2), 0)"), 1);
  Slots s;
  s.set(kScore, kNaN);
  EXPECT_TRUE(std::isnan(num("min(score, 1)", s)));
  EXPECT_TRUE(std::isnan(num("min(1, score)", s)));
  EXPECT_TRUE(std::isnan(num("max(score, household_size)", s)));
  EXPECT_TRUE(std::isnan(num("max(household_size, score)", s)));
}

TEST(ExprFunctions, DaysSince) {
  EXPECT_EQ(num("days_since(arrival_day)"), 10);
  EXPECT_EQ(num("days_since(arrival_day - 5)"), 15);
  EXPECT_EQ(num("days_since(40)"), 60);
  EXPECT_TRUE(yes("days_since(arrival_day) <= 14"));
  Compiled c = compile("days_since(40) > 1");
  ASSERT_TRUE(c.expr);
  EXPECT_EQ(c.expr->fields_read(), std::vector<int>{kToday});
}

TEST(ExprFunctions, DaysSinceNeedsANumberToday) {
  Schema none;
  none.add_field("arrival_day", Type::Number);
  Compiled a = compile("days_since(arrival_day) < 3", Type::Bool, &none);
  EXPECT_FALSE(a.expr);
  ASSERT_EQ(a.diags.error_count(), 1u);
  EXPECT_EQ(a.diags.items()[0].message, "'days_since' needs a number field named 'today', and this schema has none");
  EXPECT_EQ(a.diags.items()[0].loc.col, kCol);

  Schema wrong;
  wrong.add_field("arrival_day", Type::Number);
  wrong.add_field("today", Type::Bool);
  Compiled b = compile("days_since(arrival_day) < 3", Type::Bool, &wrong);
  EXPECT_FALSE(b.expr);
  ASSERT_EQ(b.diags.error_count(), 1u);
  EXPECT_EQ(b.diags.items()[0].message, "'days_since' needs 'today' to be a number field, but it is bool");
}

// ---------------------------------------------------------------------------------------------
// Program properties

TEST(ExprProgram, TypicalConditionIsCompact) {
  const std::string text = "origin == \"key_area\" and days_since(arrival_day) <= 14 and household_size > 2";
  Compiled c = compile(text);
  ASSERT_TRUE(c.expr) << c.diags.format();
  EXPECT_TRUE(c.diags.empty());
  EXPECT_EQ(c.expr->source(), text);
  EXPECT_EQ(c.expr->type(), Type::Bool);
  EXPECT_FALSE(c.expr->is_constant());
  EXPECT_EQ(c.expr->fields_read(), (std::vector<int>{kOrigin, kToday, kArrival, kHousehold}));
  EXPECT_LE(c.expr->code().size(), 9u) << c.expr->disassemble();
  EXPECT_LE(c.expr->max_stack(), 2) << c.expr->disassemble();
  Slots s;
  EXPECT_TRUE(c.expr->eval_bool(s.v));
  EXPECT_FALSE(c.expr->eval_bool(Slots(s).set(kArrival, 80).v));
  EXPECT_FALSE(c.expr->eval_bool(Slots(s).set(kOrigin, 0).v));
  EXPECT_FALSE(c.expr->eval_bool(Slots(s).set(kHousehold, 2).v));
}

TEST(ExprProgram, ConstantFolding) {
  struct Case {
    const char* text;
    double value;
  } cases[] = {
      {"1 > 2", 0},
      {"2 * 3 + 1 == 7", 1},
      {"is_member and false", 0},
      {"false and is_member", 0},
      {"household_size > 3 or true", 1},
      {"not (1 > 2)", 1},
      {"origin in []", 0},
      {"3 in [1, 2, 3]", 1},
      {"min(1, 2) < max(3, 4)", 1},
      {"abs(-3) == 3", 1},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.text);
    Compiled c = compile(k.text);
    ASSERT_TRUE(c.expr) << c.diags.format();
    EXPECT_TRUE(c.expr->is_constant()) << c.expr->disassemble();
    EXPECT_EQ(c.expr->constant_value(), k.value);
    EXPECT_TRUE(c.expr->fields_read().empty());
  }
  // Constant operands that decide nothing are dropped, the rest still runs.
  Compiled c = compile("is_member and true and household_size > 2");
  ASSERT_TRUE(c.expr);
  EXPECT_FALSE(c.expr->is_constant());
  EXPECT_EQ(c.expr->constant_value(), std::nullopt);
  EXPECT_EQ(c.expr->fields_read(), (std::vector<int>{kHousehold, kMember}));
  // days_since always reads `today`, so it is never constant.
  EXPECT_FALSE(compile("days_since(3) > 1").expr->is_constant());
}

TEST(ExprProgram, DefaultIsConstantTrue) {
  CompiledExpr e;
  EXPECT_TRUE(e.is_constant());
  EXPECT_EQ(e.constant_value(), 1.0);
  EXPECT_TRUE(e.eval_bool(nullptr));
  EXPECT_EQ(e.type(), Type::Bool);
}

TEST(ExprProgram, NumberExpected) {
  Compiled c = compile("household_size * 2 + 1", Type::Number);
  ASSERT_TRUE(c.expr);
  EXPECT_EQ(c.expr->type(), Type::Number);
  EXPECT_EQ(c.expr->eval_number(Slots().v), 7);
  EXPECT_TRUE(c.expr->eval_bool(Slots().v));  // nonzero
}

// ---------------------------------------------------------------------------------------------
// Errors: exact message and column

TEST(ExprErrors, ExactMessagesAndColumns) {
  expect_error("origin == \"key_aera\"", 10,
               "'key_aera' is not a value of category set 'origin'; did you mean 'key_area'?");
  expect_error("origin in ['local', 'key_aera']", 20,
               "'key_aera' is not a value of category set 'origin'; did you mean 'key_area'?");
  expect_error("region == 'west'", 10,
               "'west' is not a value of category set 'region'; its values are 'north', 'south', 'east'");
  expect_error("orgin == 'local'", 0, "unknown name 'orgin'; did you mean 'origin'?");
  expect_error("household_size > 2 and is_membr", 23, "unknown name 'is_membr'; did you mean 'is_member'?");
  expect_error("zzz > 1", 0, "unknown name 'zzz'");
  expect_error("household_size > 2 and True", 23, "unknown name 'True'; did you mean 'true'?");
  expect_error("household_size and is_member", 0, "'and' expects bool operands, got number");
  expect_error("is_member && household_size", 13, "'&&' expects bool operands, got number");
  expect_error("is_member or origin", 13, "'or' expects bool operands, got category");
  expect_error("not household_size", 4, "'not' expects a bool operand, got number");
  expect_error("is_member + 1 > 0", 0, "'+' expects number operands, got bool");
  expect_error("-is_member", 1, "unary '-' expects a number operand, got bool");
  expect_error("(is_member or vulnerable) * 2 > 1", 0, "'*' expects number operands, got bool");
  expect_error("origin < 'local'", 0,
               "'<' expects number operands, got category (categories support only ==, != and in)");
  expect_error("is_member == 1", 10, "'==' cannot compare bool with number");
  expect_error("origin == 1", 7,
               "'==' cannot compare category with number; write category values as strings, as in origin == \"local\"");
  expect_error("origin == region", 7,
               "'==' cannot compare values of category set 'origin' with values of category set 'region'");
  expect_error("household_size == '3'", 18,
               "'==' cannot compare number with a string; strings are only valid compared with a category");
  expect_error("'a' == 'b'", 4, "'==' cannot compare two strings; one side must be a category field");
  expect_error("'local'", 0, "a string is only valid compared with a category, as in origin == \"local\"");
  expect_error("'local' in ['local']", 0, "a string is only valid compared with a category, as in origin == \"local\"");
  expect_error("is_member in [true]", 0, "'in' expects a category or number on its left, got bool");
  expect_error("origin in ['local', 2]", 20,
               "the list after 'in' must hold values of category set 'origin' written as strings, got number");
  expect_error("household_size not in [1, '2']", 26, "the list after 'not in' must hold numbers, got a string");
  expect_error("household_size in [1, score]", 22, "the list after 'in' must hold constants");
  expect_error("household_size", 0, "expected a bool expression, got number");
  expect_error("is_member", 0, "expected a number expression, got bool", Type::Number);
  expect_error("mn(1, 2) > 0", 0, "unknown function 'mn'; did you mean 'min'?");
  expect_error("origin(1)", 0, "'origin' is a field, not a function");
  expect_error("abs > 1", 0, "'abs' is a function; call it, as in abs(...)");
  expect_error("abs(1, 2) > 0", 0, "'abs' expects 1 argument, got 2");
  expect_error("min(1) > 0", 0, "'min' expects at least 2 arguments, got 1");
  expect_error("days_since(is_member) > 0", 11, "'days_since' expects a number argument, got bool");
  expect_error("max(1, is_member) > 0", 7, "'max' expects number arguments, got bool");
}

TEST(ExprErrors, SyntaxMessagesAndColumns) {
  expect_error("household_size > ", 17, "expected an expression after '>', got the end of the expression");
  expect_error("", 0, "expression is empty");
  expect_error("   ", 0, "expression is empty");
  expect_error("1 < household_size < 3", 19,
               "comparisons cannot be chained; join them with 'and', as in 'a < b and b < c'");
  expect_error("household_size = 3", 15, "'=' is not an operator; use '==' to compare");
  expect_error("is_member & vulnerable", 10, "'&' is not an operator; use 'and'");
  expect_error("is_member | vulnerable", 10, "'|' is not an operator; use 'or'");
  expect_error("household_size % 2 == 0", 15, "unexpected character '%'");
  expect_error("household_size > 2 AND is_member", 19,
               "expected an operator or the end of the expression, got name 'AND'; did you mean 'and'?");
  expect_error("household_size > 2 is_member", 19,
               "expected an operator or the end of the expression, got name 'is_member'");
  expect_error("origin == 'local", 10, "unterminated string; it needs a closing ' on the same line");
  expect_error("3x > 1", 0, "malformed number '3x'");
  expect_error("1.2.3 > 1", 0, "malformed number '1.2.3'");
  expect_error("1e999 > 1", 0, "number '1e999' is out of range");
  expect_error("origin in 'local'", 10,
               "'in' expects a list in brackets, as in x in [\"a\", \"b\"]; got string 'local'");
  expect_error("is_member == not vulnerable", 13,
               "'not' binds more loosely than comparisons and arithmetic; put it in parentheses, as in 'a == (not b)'");
  expect_error("origin == \xc3\xa9", 10, "unexpected byte 0xC3 (only strings may hold non-ASCII text)");
  expect_error("()", 1, "expected an expression after '(', got ')'");
}

TEST(ExprErrors, UnclosedParenthesisHasANote) {
  Compiled c = compile("(household_size > 2 and is_member");
  EXPECT_FALSE(c.expr);
  ASSERT_EQ(c.diags.items().size(), 2u);
  EXPECT_EQ(c.diags.items()[0].message, "expected ')', got the end of the expression");
  EXPECT_EQ(c.diags.items()[0].loc.col, kCol + 33);
  EXPECT_EQ(c.diags.items()[1].severity, Severity::Note);
  EXPECT_EQ(c.diags.items()[1].message, "to match this '('");
  EXPECT_EQ(c.diags.items()[1].loc.col, kCol);

  Compiled l = compile("origin in ['local' 'key_area']");
  ASSERT_EQ(l.diags.items().size(), 2u);
  EXPECT_EQ(l.diags.items()[0].message, "expected ',' or ']' in the list, got string 'key_area'");
  EXPECT_EQ(l.diags.items()[0].loc.col, kCol + 19);
  Compiled f = compile("min(1 2) > 0");
  ASSERT_EQ(f.diags.items().size(), 2u);
  EXPECT_EQ(f.diags.items()[0].message, "expected ',' or ')' in the call to 'min', got number 2");
}

TEST(ExprErrors, EveryTypeErrorIsReported) {
  Compiled c = compile("orgin == 'local' and househld > 2 or region == 'wset'");
  EXPECT_FALSE(c.expr);
  ASSERT_EQ(c.diags.error_count(), 3u) << c.diags.format();
  EXPECT_EQ(c.diags.items()[0].loc.col, kCol + 0);
  EXPECT_EQ(c.diags.items()[1].loc.col, kCol + 21);
  EXPECT_EQ(c.diags.items()[2].loc.col, kCol + 47);
  EXPECT_EQ(c.diags.items()[2].message,
            "'wset' is not a value of category set 'region'; its values are 'north', 'south', 'east'");
}

TEST(ExprErrors, MultilineTextMovesLineAndColumn) {
  std::string text = "origin == 'local' and\n  housold_size > 2";
  auto file = std::make_shared<SourceFile>(SourceFile{"r.yaml", "when: " + text});
  Diagnostics d;
  EXPECT_FALSE(compile_expr(text, SourceLoc{file, 1, 7}, make_schema(), d));
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].loc.line, 2);
  EXPECT_EQ(d.items()[0].loc.col, 3);
  EXPECT_EQ(d.items()[0].message, "unknown name 'housold_size'; did you mean 'household_size'?");

  // A YAML block scalar hands over its lines without their indentation; continuation_col puts it back.
  auto block = std::make_shared<SourceFile>(
      SourceFile{"r.yaml", "when: |\n    origin == 'local' and\n      housold_size > 2\n"});
  Diagnostics b;
  EXPECT_FALSE(compile_expr(text, SourceLoc{block, 2, 5}, make_schema(), b, Type::Bool, 5));
  ASSERT_EQ(b.items().size(), 1u);
  EXPECT_EQ(b.items()[0].loc.line, 3);
  EXPECT_EQ(b.items()[0].loc.col, 7);
  EXPECT_EQ(format_diagnostic(b.items()[0]),
            "r.yaml:3:7: error: unknown name 'housold_size'; did you mean 'household_size'?\n"
            "        housold_size > 2\n"
            "        ^\n");
}

TEST(ExprErrors, FormattedWithCaret) {
  Compiled c = compile("origin == \"key_aera\"");
  EXPECT_EQ(c.diags.format(),
            "rules/test.yaml:2:21: error: 'key_aera' is not a value of category set 'origin'; did you mean "
            "'key_area'?\n"
            "      when: origin == \"key_aera\"\n"
            "                      ^\n");
}

// ---------------------------------------------------------------------------------------------
// Limits

TEST(ExprLimits, TooLong) {
  std::string text(5000, ' ');
  text.replace(0, 9, "is_member");
  expect_error(text, 0, "expression is too long (5000 characters; at most 4096)");
  expect_error(std::string(10000, '('), 0, "expression is too long (10000 characters; at most 4096)");
}

TEST(ExprLimits, NestingDepth) {
  auto parens = [](int n) { return std::string(n, '(') + "is_member" + std::string(n, ')'); };
  EXPECT_TRUE(yes(parens(kMaxExprDepth)));
  const std::string deep =
      "expression nests too deeply (more than 64 levels of parentheses, brackets, calls, 'not' and unary '-')";
  expect_error(parens(kMaxExprDepth + 1), kMaxExprDepth, deep);
  expect_error(std::string(1000, '('), 64, deep);
  std::string nots;
  for (int i = 0; i < 900; ++i) nots += "not ";
  expect_error(nots + "is_member", 64 * 4, deep);
  expect_error(std::string(1000, '-') + "1", 64, deep, Type::Number);
  // Past the token bound, the lexer stops first: still an error, never deep recursion.
  expect_error(std::string(4000, '('), 1024,
               "expression has too many tokens (more than 1024); split the condition into smaller rules");
  std::string calls;
  for (int i = 0; i < 100; ++i) calls += "abs(";
  expect_error(calls + "1" + std::string(100, ')') + " > 0", 64 * 4 + 3, deep);
  std::string lists = "household_size in [";
  for (int i = 0; i < 100; ++i) lists += "(";
  expect_error(lists + "1" + std::string(100, ')') + "]", 19 + 63, deep);
}

TEST(ExprLimits, TokenCount) {
  std::string text = "1";
  while (text.size() < 2100) text += "+1";  // 2100 tokens, well under the length limit
  expect_error(text + " > 0", 1024,
               "expression has too many tokens (more than 1024); split the condition into smaller rules");
  // A long flat chain under the limit compiles (and folds).
  std::string ok = "household_size";
  for (int i = 0; i < 500; ++i) ok += "+1";
  EXPECT_EQ(num(ok), 503);
  std::string ors = "origin == 'local'";
  for (int i = 0; i < 150; ++i) ors += " or household_size == " + std::to_string(i);
  EXPECT_TRUE(yes(ors));
}

TEST(ExprSchema, MisuseThrows) {
  Schema s;
  int set = s.add_category_set("origin", {"a", "b"});
  EXPECT_THROW(s.add_category_set("origin", {"c"}), std::invalid_argument);
  EXPECT_THROW(s.add_category_set("dup", {"c", "c"}), std::invalid_argument);
  EXPECT_EQ(s.add_field("x", Type::Number), 0);
  EXPECT_THROW(s.add_field("x", Type::Number), std::invalid_argument);
  EXPECT_THROW(s.add_field("y", Type::Category), std::invalid_argument);
  EXPECT_THROW(s.add_field("y", Type::Number, set), std::invalid_argument);
  EXPECT_EQ(s.add_field("y", Type::Category, set), 1);
  EXPECT_EQ(s.find_field("y"), 1);
  EXPECT_EQ(s.find_field("z"), -1);
  EXPECT_EQ(s.find_category_set("origin"), set);
  EXPECT_EQ(s.find_value(set, "b"), 1);
  EXPECT_EQ(s.find_value(set, "c"), -1);
}

// ---------------------------------------------------------------------------------------------
// Random expressions against a reference interpreter. Each generated expression carries its text
// and a closure computing its value directly from the documented semantics; the text is printed
// with the fewest parentheses the documented precedence allows (plus some redundant ones), so the
// parser's precedence is tested too.

enum Prec : int { kOr = 1, kAnd, kNot, kCmp, kSum, kProd, kUnary, kPrimary };

struct Gen {
  struct E {
    std::string text;
    int prec;
    std::function<double(const double*)> eval;
  };

  std::mt19937_64 rng{20240611};

  int pick(int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }

  // Text of `e` as an operand that must bind at least as tightly as `min_prec`.
  std::string operand(const E& e, int min_prec) {
    if (e.prec < min_prec || chance(8)) return "(" + e.text + ")";
    return e.text;
  }

  static std::string number_text(double v) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
  }

  E literal() {
    static const double values[] = {0, 1, 2, 2.5, 3, 14, 0.1, 100, 1e300, 7.25};
    double v = values[pick(10)];
    return {number_text(v), kPrimary, [v](const double*) { return v; }};
  }

  E number(int depth) {
    if (depth <= 0 || chance(20)) {
      if (chance(40)) return literal();
      static const Slot fields[] = {kToday, kArrival, kHousehold, kScore};
      Slot f = fields[pick(4)];
      static const char* const names[] = {"today", "arrival_day", "household_size", "score"};
      const char* name = names[f == kToday ? 0 : f == kArrival ? 1 : f == kHousehold ? 2 : 3];
      return {name, kPrimary, [f](const double* s) { return s[f]; }};
    }
    switch (pick(9)) {
      case 0:
      case 1:
      case 2: {  // + - * /
        static const char* const ops[] = {"+", "-", "*", "/"};
        int o = pick(4);
        E a = number(depth - 1), b = number(depth - 1);
        int prec = o < 2 ? kSum : kProd;
        std::string text = operand(a, prec) + " " + ops[o] + " " + operand(b, prec + 1);
        auto fa = a.eval, fb = b.eval;
        return {text, prec, [o, fa, fb](const double* s) {
                  double x = fa(s), y = fb(s);
                  return o == 0 ? x + y : o == 1 ? x - y : o == 2 ? x * y : x / y;
                }};
      }
      case 3: {
        E a = number(depth - 1);
        auto fa = a.eval;
        return {(chance(50) ? "-" : "- ") + operand(a, kUnary), kUnary, [fa](const double* s) { return -fa(s); }};
      }
      case 4:
      case 5: {  // min / max with 2 or 3 arguments
        bool is_min = chance(50);
        int argc = chance(70) ? 2 : 3;
        std::string text = is_min ? "min(" : "max(";
        std::vector<std::function<double(const double*)>> args;
        for (int i = 0; i < argc; ++i) {
          E a = number(depth - 1);
          text += (i ? ", " : "") + a.text;
          args.push_back(a.eval);
        }
        return {text + ")", kPrimary, [is_min, args](const double* s) {
                  double v = args[0](s);
                  for (size_t i = 1; i < args.size(); ++i) {
                    double w = args[i](s);
                    if (std::isnan(v) || std::isnan(w))
                      v = kNaN;
                    else if (is_min)
                      v = w < v ? w : v;
                    else
                      v = v < w ? w : v;
                  }
                  return v;
                }};
      }
      case 6: {
        E a = number(depth - 1);
        auto fa = a.eval;
        return {"abs(" + a.text + ")", kPrimary, [fa](const double* s) { return std::fabs(fa(s)); }};
      }
      case 7: {
        E a = number(depth - 1);
        auto fa = a.eval;
        return {"days_since(" + a.text + ")", kPrimary, [fa](const double* s) { return s[kToday] - fa(s); }};
      }
      default: return literal();
    }
  }

  struct Cat {
    Slot slot;
    const char* name;
    std::vector<std::string> values;
  };
  Cat category() {
    static const std::vector<std::string> districts = district_names();
    switch (pick(4)) {
      case 0: return {kOrigin, "origin", kOrigins};
      case 1: return {kPrevOrigin, "prev_origin", kOrigins};
      case 2: return {kRegion, "region", kRegions};
      default: return {kDistrict, "district", districts};
    }
  }
  static std::string quoted(const std::string& v, bool single) { return single ? "'" + v + "'" : "\"" + v + "\""; }

  E boolean(int depth) {
    if (depth <= 0 || chance(15)) {
      switch (pick(4)) {
        case 0: return {"is_member", kPrimary, [](const double* s) { return s[kMember] != 0 ? 1.0 : 0.0; }};
        case 1: return {"vulnerable", kPrimary, [](const double* s) { return s[kVulnerable] != 0 ? 1.0 : 0.0; }};
        case 2: return {"true", kPrimary, [](const double*) { return 1.0; }};
        default: return {"false", kPrimary, [](const double*) { return 0.0; }};
      }
    }
    switch (pick(10)) {
      case 0:
      case 1: {  // and / or
        bool is_and = chance(50);
        int prec = is_and ? kAnd : kOr;
        E a = boolean(depth - 1), b = boolean(depth - 1);
        const char* op = is_and ? (chance(80) ? "and" : "&&") : (chance(80) ? "or" : "||");
        std::string text = operand(a, prec) + " " + op + " " + operand(b, prec + 1);
        auto fa = a.eval, fb = b.eval;
        return {text, prec, [is_and, fa, fb](const double* s) {
                  bool x = fa(s) != 0, y = fb(s) != 0;
                  return (is_and ? (x && y) : (x || y)) ? 1.0 : 0.0;
                }};
      }
      case 2: {
        E a = boolean(depth - 1);
        auto fa = a.eval;
        return {(chance(80) ? "not " : "!") + operand(a, kNot), kNot,
                [fa](const double* s) { return fa(s) == 0 ? 1.0 : 0.0; }};
      }
      case 3:
      case 4: {  // number comparison
        static const char* const ops[] = {"==", "!=", "<", "<=", ">", ">="};
        int o = pick(6);
        E a = number(depth - 1), b = number(depth - 1);
        std::string text = operand(a, kSum) + " " + ops[o] + " " + operand(b, kSum);
        auto fa = a.eval, fb = b.eval;
        return {
            text, kCmp, [o, fa, fb](const double* s) {
              double x = fa(s), y = fb(s);
              bool r = o == 0 ? x == y : o == 1 ? x != y : o == 2 ? x < y : o == 3 ? x <= y : o == 4 ? x > y : x >= y;
              return r ? 1.0 : 0.0;
            }};
      }
      case 5: {  // bool equality
        bool eq = chance(50);
        E a = boolean(depth - 1), b = boolean(depth - 1);
        std::string text = operand(a, kSum) + (eq ? " == " : " != ") + operand(b, kSum);
        auto fa = a.eval, fb = b.eval;
        return {text, kCmp, [eq, fa, fb](const double* s) { return ((fa(s) == fb(s)) == eq) ? 1.0 : 0.0; }};
      }
      case 6: {  // category against a string, either side
        Cat c = category();
        int v = pick(static_cast<int>(c.values.size()));
        bool eq = chance(50);
        std::string lit = quoted(c.values[v], chance(50));
        std::string op = eq ? " == " : " != ";
        std::string text = chance(70) ? c.name + op + lit : lit + op + c.name;
        Slot f = c.slot;
        return {text, kCmp, [f, v, eq](const double* s) { return ((s[f] == v) == eq) ? 1.0 : 0.0; }};
      }
      case 7: {  // category against a category of the same set
        bool eq = chance(50);
        std::string text = chance(50) ? "origin" : "prev_origin";
        text += eq ? " == " : " != ";
        text += chance(50) ? "prev_origin" : "origin";
        bool first_origin = text.rfind("origin", 0) == 0;
        bool second_origin = text.size() >= 7 && text.compare(text.size() - 7, 7, " origin") == 0;
        Slot a = first_origin ? kOrigin : kPrevOrigin, b = second_origin ? kOrigin : kPrevOrigin;
        return {text, kCmp, [a, b, eq](const double* s) { return ((s[a] == s[b]) == eq) ? 1.0 : 0.0; }};
      }
      case 8: {  // category in a list
        Cat c = category();
        bool negated = chance(40);
        int n = pick(5);
        std::vector<int> listed;
        std::string text = std::string(c.name) + (negated ? " not in [" : " in [");
        for (int i = 0; i < n; ++i) {
          int v = pick(static_cast<int>(c.values.size()));
          if (std::find(listed.begin(), listed.end(), v) != listed.end()) continue;
          text += (listed.empty() ? "" : ", ") + quoted(c.values[v], chance(50));
          listed.push_back(v);
        }
        Slot f = c.slot;
        return {text + "]", kCmp, [f, listed, negated](const double* s) {
                  bool found = false;
                  for (int v : listed) found = found || s[f] == v;
                  return found != negated ? 1.0 : 0.0;
                }};
      }
      default: {  // number in a list
        static const double pool[] = {0, 1, 2, 3, 4, 14, 2.5, 100, -1, 63, 64};
        bool negated = chance(40);
        E a = number(depth - 1);
        std::vector<double> listed;
        std::string text = operand(a, kSum) + (negated ? " not in [" : " in [");
        for (int i = 0, n = pick(5); i < n; ++i) {
          double v = pool[pick(11)];
          if (std::find(listed.begin(), listed.end(), v) != listed.end()) continue;
          text += (listed.empty() ? "" : ", ") + number_text(v);
          listed.push_back(v);
        }
        auto fa = a.eval;
        return {text + "]", kCmp, [fa, listed, negated](const double* s) {
                  double x = fa(s);
                  bool found = false;
                  for (double v : listed) found = found || x == v;
                  return found != negated ? 1.0 : 0.0;
                }};
      }
    }
  }

  void fill(double* s) {
    static const double numbers[] = {0, -0.0, 1, -1, 2, 2.5, 3, 14, 63, 64, 100, 1e300, -1e300, kInf, -kInf, kNaN};
    for (Slot f : {kToday, kArrival, kHousehold, kScore})
      s[f] = chance(60) ? numbers[pick(16)] : static_cast<double>(pick(200) - 50) / (chance(50) ? 1 : 4);
    for (Slot f : {kMember, kVulnerable}) s[f] = chance(10) ? 2.0 : pick(2);
    s[kOrigin] = chance(5) ? 9 : pick(4);
    s[kPrevOrigin] = pick(4);
    s[kRegion] = chance(5) ? kNaN : pick(3);
    s[kDistrict] = pick(70);
  }
};

TEST(ExprRandom, MatchesReferenceInterpreter) {
  Gen gen;
  int compiled = 0, constant = 0, evaluations = 0;
  for (int i = 0; i < 4000; ++i) {
    const bool as_number = i % 3 == 0;
    const int depth = 1 + gen.pick(6);
    Gen::E e = as_number ? gen.number(depth) : gen.boolean(depth);
    ASSERT_LE(e.text.size(), kMaxExprLength);
    Compiled c = compile(e.text, as_number ? Type::Number : Type::Bool);
    ASSERT_TRUE(c.expr) << e.text << "\n" << c.diags.format();
    ASSERT_FALSE(c.diags.has_errors());
    ++compiled;
    constant += c.expr->is_constant();
    for (int k = 0; k < 12; ++k) {
      double slots[kSlots];
      gen.fill(slots);
      const double want = e.eval(slots);
      const double got = c.expr->eval_number(slots);
      ++evaluations;
      ASSERT_TRUE(same(want, got)) << e.text << "\nwant " << want << ", got " << got << "\n" << c.expr->disassemble();
      if (!as_number) {
        ASSERT_EQ(c.expr->eval_bool(slots), want != 0) << e.text;
      }
      if (c.expr->is_constant()) {
        ASSERT_TRUE(same(*c.expr->constant_value(), want)) << e.text;
      }
    }
  }
  EXPECT_EQ(compiled, 4000);
  EXPECT_GT(evaluations, 40000);
  EXPECT_LT(constant, 2000);  // the generator mostly exercises the VM, not just the folder
}

// ---------------------------------------------------------------------------------------------

TEST(ExprThreads, OneProgramFromFourThreads) {
  Compiled c = compile(
      "(origin in ['key_area', 'local'] and days_since(arrival_day) <= 14 or household_size * 2 > score) and "
      "not vulnerable and district not in ['d1', 'd2', 'd69']");
  ASSERT_TRUE(c.expr) << c.diags.format();
  Gen gen;
  std::vector<std::array<double, kSlots>> inputs(2000);
  std::vector<char> want(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    gen.fill(inputs[i].data());
    want[i] = c.expr->eval_bool(inputs[i].data());
  }
  const CompiledExpr& shared = *c.expr;
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round)
        for (size_t i = 0; i < inputs.size(); ++i)
          mismatches[t] +=
              shared.eval_bool(inputs[(i + t * 97) % inputs.size()].data()) != want[(i + t * 97) % inputs.size()];
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace vg::rules
