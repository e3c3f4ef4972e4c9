// Internals of the condition language shared by its parts: the lexer and parser (expr_parse.cpp), the
// type checker (expr_check.cpp) and the code generator and VM (expr.cpp), and the operator
// semantics and number format that rule-test coverage (coverage.cpp) and the rule analysis
// (lint/condition.cpp) share with them. Not for use elsewhere: the public interface is rules/expr.h.
#pragma once

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rules/expr.h"

namespace vg::rules::detail {

using Op = CompiledExpr::Op;
using Instr = CompiledExpr::Instr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Semantics shared by constant folding and the VM, so a folded result is bit-for-bit what the
// program would have computed at run time.

inline uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }
inline double dbl(uint64_t b) { return std::bit_cast<double>(b); }
inline double b2d(bool b) { return b ? 1.0 : 0.0; }

inline std::string format_number(double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// NaN in, NaN out (std::min would return either operand depending on order).
inline double num_min(double a, double b) { return (a != a || b != b) ? kNaN : (b < a ? b : a); }
inline double num_max(double a, double b) { return (a != a || b != b) ? kNaN : (a < b ? b : a); }

// Membership of v in a set of integers 0..63. Same answer as comparing v == i for each listed i,
// including -0 (matches 0) and NaN or fractions (match nothing).
inline bool in_mask(double v, uint64_t mask) {
  if (!(v >= 0.0 && v < 64.0)) return false;
  auto i = static_cast<unsigned>(v);
  return static_cast<double>(i) == v && ((mask >> i) & 1u) != 0;
}

inline double apply(Op op, double x, double y) {
  switch (op) {
    case Op::Add: return x + y;
    case Op::Sub: return x - y;
    case Op::Mul: return x * y;
    case Op::Div: return x / y;
    case Op::Min: return num_min(x, y);
    case Op::Max: return num_max(x, y);
    case Op::Eq: return b2d(x == y);
    case Op::Ne: return b2d(x != y);
    case Op::Lt: return b2d(x < y);
    case Op::Le: return b2d(x <= y);
    case Op::Gt: return b2d(x > y);
    case Op::Ge: return b2d(x >= y);
    default: return kNaN;
  }
}

// ---------------------------------------------------------------------------------------------
// Positions and errors

// Thrown after a parse error has been reported: the parser stops at the first one, because what
// follows a syntax error rarely means what the author intended.
struct ParseAbort {};

class Reporter {
 public:
  Reporter(std::string_view text, const TextOrigin& origin, Diagnostics& diags)
      : text_(text), origin_(origin), diags_(diags) {}

  SourceLoc at(size_t off) const { return origin_.at(std::min(off, text_.size())); }
  void error(size_t off, std::string msg) { diags_.error(at(off), std::move(msg)); }
  void warning(size_t off, std::string msg) { diags_.warning(at(off), std::move(msg)); }
  void note(size_t off, std::string msg) { diags_.note(at(off), std::move(msg)); }
  [[noreturn]] void fail(size_t off, std::string msg) {
    error(off, std::move(msg));
    throw ParseAbort{};
  }
  std::string_view text() const { return text_; }
  size_t error_count() const { return diags_.error_count(); }

 private:
  std::string_view text_;
  const TextOrigin& origin_;
  Diagnostics& diags_;
};

// ---------------------------------------------------------------------------------------------
// Tokens (expr_parse.cpp)

enum class Tok : uint8_t {
  End,
  Number,
  String,
  Name,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Plus,
  Minus,
  Star,
  Slash,
  EqEq,
  NotEq,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
  Not,
  In,
  True,
  False,
};

struct Token {
  Tok kind = Tok::End;
  uint32_t pos = 0;
  uint32_t len = 0;
  double num = 0;
  std::string_view text;  // the spelling; a string's contents without its quotes
};
// A keyword written in the wrong case ("AND", "True"), or "".
std::string_view keyword_ignoring_case(std::string_view word);

// ---------------------------------------------------------------------------------------------
// Syntax tree

enum class NK : uint8_t { Num, Bool, Str, Field, Neg, Not, Bin, AndOr, Call, In };
enum class Fn : uint8_t { Min, Max, Abs, DaysSince };
// Value types while checking: String is a literal not yet resolved against a category set.
enum class VT : uint8_t { Error, Bool, Number, Category, String };

inline const std::string kFunctionNames[] = {"min", "max", "abs", "days_since"};

struct Node {
  NK kind = NK::Num;
  Op op = Op::Halt;        // Bin: Add..Ge; AndOr: JmpF ('and') or JmpT ('or')
  bool negated = false;    // In: 'not in'
  uint32_t pos = 0;        // where the operand starts, its '(' when parenthesized
  uint32_t tok = 0;        // its own token: operator, name, literal
  uint32_t end = 0;        // just past its last character, its ')' when parenthesized
  std::string_view spell;  // operator as written ("and" or "&&"), name, string contents
  double num = 0;
  std::vector<int> kids;
  // Set by the checker.
  VT vt = VT::Error;
  int set = -1;     // Category: the set
  int slot = -1;    // Field: its slot; days_since: the slot of `today`
  Fn fn = Fn::Min;  // Call
  bool is_k = false;
  double k = 0;
};

const char* vt_name(VT t);

inline bool is_comparison(Op op) { return op >= Op::Eq && op <= Op::Ge; }

// The comparison that gives the same answer with its operands swapped (a < b is b > a).
inline Op swapped(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

// Splits the text into tokens; the last is End. Reports and throws ParseAbort at the first error.
std::vector<Token> lex(Reporter& r);
// Parses the tokens into `nodes`; returns the root's index. Throws ParseAbort after an error.
int parse(const std::vector<Token>& toks, Reporter& r, std::vector<Node>& nodes);
// Types, resolves and folds the tree at `root` (see Checker in expr_check.cpp). False when it found
// an error; every error is reported.
bool check_tree(const Schema& schema, Reporter& r, std::vector<Node>& nodes, int root);

}  // namespace vg::rules::detail
