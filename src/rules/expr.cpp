#include "rules/expr.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace vg::rules {

const char* type_name(Type t) {
  switch (t) {
    case Type::Bool: return "bool";
    case Type::Number: return "number";
    case Type::Category: return "category";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Schema

int Schema::add_category_set(std::string name, std::vector<std::string> values) {
  if (name.empty()) throw std::invalid_argument("category set needs a name");
  if (set_index_.count(name)) throw std::invalid_argument("duplicate category set '" + name + "'");
  for (size_t i = 0; i < values.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (values[i] == values[j])
        throw std::invalid_argument("category set '" + name + "' lists '" + values[i] + "' twice");
  int index = static_cast<int>(sets_.size());
  set_index_.emplace(name, index);
  sets_.push_back({std::move(name), std::move(values)});
  return index;
}

int Schema::add_field(std::string name, Type type, int category_set, std::string doc) {
  if (name.empty()) throw std::invalid_argument("field needs a name");
  if (field_index_.count(name)) throw std::invalid_argument("duplicate field '" + name + "'");
  if (type == Type::Category) {
    if (category_set < 0 || category_set >= static_cast<int>(sets_.size()))
      throw std::invalid_argument("category field '" + name + "' needs a valid category set");
  } else if (category_set != -1) {
    throw std::invalid_argument("field '" + name + "' is not a category but names a category set");
  }
  int slot = static_cast<int>(fields_.size());
  field_index_.emplace(name, slot);
  fields_.push_back({std::move(name), type, category_set, std::move(doc)});
  return slot;
}

int Schema::find_field(std::string_view name) const {
  auto it = field_index_.find(name);
  return it == field_index_.end() ? -1 : it->second;
}

int Schema::find_category_set(std::string_view name) const {
  auto it = set_index_.find(name);
  return it == set_index_.end() ? -1 : it->second;
}

int Schema::find_value(int category_set, std::string_view value) const {
  if (category_set < 0 || category_set >= static_cast<int>(sets_.size())) return -1;
  const auto& v = sets_[category_set].values;
  auto it = std::find(v.begin(), v.end(), value);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

// ---------------------------------------------------------------------------------------------
// Semantics shared by constant folding and the VM, so a folded result is bit-for-bit what the
// program would have computed at run time.

namespace {

using Op = CompiledExpr::Op;
using Instr = CompiledExpr::Instr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }
inline double dbl(uint64_t b) { return std::bit_cast<double>(b); }
inline double b2d(bool b) { return b ? 1.0 : 0.0; }

// Shortest text that reads back as the same double.
std::string format_number(double v) {
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
  Reporter(std::string_view text, const SourceLoc& loc, int continuation_col, Diagnostics& diags)
      : text_(text), loc_(loc), continuation_col_(continuation_col), diags_(diags) {}

  SourceLoc at(size_t off) const {
    off = std::min(off, text_.size());
    size_t lines = 0, last_nl = 0;
    for (size_t i = 0; i < off; ++i)
      if (text_[i] == '\n') {
        ++lines;
        last_nl = i;
      }
    if (lines == 0) return loc_.shifted(static_cast<int>(off));
    return SourceLoc{loc_.file, loc_.line + static_cast<int>(lines),
                     continuation_col_ + static_cast<int>(off - last_nl - 1)};
  }
  void error(size_t off, std::string msg) { diags_.error(at(off), std::move(msg)); }
  void warning(size_t off, std::string msg) { diags_.warning(at(off), std::move(msg)); }
  void note(size_t off, std::string msg) { diags_.note(at(off), std::move(msg)); }
  [[noreturn]] void fail(size_t off, std::string msg) {
    error(off, std::move(msg));
    throw ParseAbort{};
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  const SourceLoc& loc_;
  int continuation_col_;
  Diagnostics& diags_;
};

// ---------------------------------------------------------------------------------------------
// Lexer

enum class Tok : uint8_t {
  End, Number, String, Name, LParen, RParen, LBracket, RBracket, Comma,
  Plus, Minus, Star, Slash, EqEq, NotEq, Lt, Le, Gt, Ge, And, Or, Not, In, True, False,
};

struct Token {
  Tok kind = Tok::End;
  uint32_t pos = 0;
  uint32_t len = 0;
  double num = 0;
  std::string_view text;  // the spelling; a string's contents without its quotes
};

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

const std::string_view kKeywords[] = {"and", "or", "not", "in", "true", "false"};

// A keyword written in the wrong case ("AND", "True"), or "".
std::string_view keyword_ignoring_case(std::string_view word) {
  for (std::string_view k : kKeywords) {
    if (k.size() != word.size()) continue;
    bool same = true;
    for (size_t i = 0; i < k.size() && same; ++i) {
      char c = word[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == k[i];
    }
    if (same && word != k) return k;
  }
  return {};
}

std::vector<Token> lex(Reporter& r) {
  std::string_view s = r.text();
  std::vector<Token> out;
  auto add = [&](Tok kind, size_t pos, size_t len) {
    if (out.size() >= kMaxExprTokens)
      r.fail(pos, "expression has too many tokens (more than " + std::to_string(kMaxExprTokens) +
                      "); split the condition into smaller rules");
    Token t;
    t.kind = kind;
    t.pos = static_cast<uint32_t>(pos);
    t.len = static_cast<uint32_t>(len);
    t.text = s.substr(pos, len);
    out.push_back(t);
    return &out.back();
  };
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    size_t start = i;
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
      while (i < n && is_digit(s[i])) ++i;
      if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
        ++i;
        while (i < n && is_digit(s[i])) ++i;
      }
      if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < n && is_digit(s[j])) {
          i = j;
          while (i < n && is_digit(s[i])) ++i;
        }
      }
      if (i < n && (is_alnum(s[i]) || s[i] == '.')) {
        while (i < n && (is_alnum(s[i]) || s[i] == '.')) ++i;
        r.fail(start, "malformed number '" + std::string(s.substr(start, i - start)) + "'");
      }
      double v = 0;
      auto res = std::from_chars(s.data() + start, s.data() + i, v);
      if (res.ec != std::errc() || res.ptr != s.data() + i)
        r.fail(start, "number '" + std::string(s.substr(start, i - start)) + "' is out of range");
      add(Tok::Number, start, i - start)->num = v;
      continue;
    }
    if (is_alpha(c)) {
      while (i < n && is_alnum(s[i])) ++i;
      std::string_view w = s.substr(start, i - start);
      Tok kind = w == "and" ? Tok::And : w == "or" ? Tok::Or : w == "not" ? Tok::Not : w == "in" ? Tok::In
               : w == "true" ? Tok::True : w == "false" ? Tok::False : Tok::Name;
      add(kind, start, i - start);
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t close = s.find_first_of(c == '"' ? "\"\n" : "'\n", i + 1);
      if (close == std::string_view::npos || s[close] != c)
        r.fail(start, std::string("unterminated string; it needs a closing ") + c + " on the same line");
      add(Tok::String, start, close + 1 - start)->text = s.substr(start + 1, close - start - 1);
      i = close + 1;
      continue;
    }
    char d = i + 1 < n ? s[i + 1] : '\0';
    auto two = [&](Tok kind) {
      add(kind, start, 2);
      i += 2;
    };
    auto one = [&](Tok kind) {
      add(kind, start, 1);
      i += 1;
    };
    switch (c) {
      case '(': one(Tok::LParen); break;
      case ')': one(Tok::RParen); break;
      case '[': one(Tok::LBracket); break;
      case ']': one(Tok::RBracket); break;
      case ',': one(Tok::Comma); break;
      case '+': one(Tok::Plus); break;
      case '-': one(Tok::Minus); break;
      case '*': one(Tok::Star); break;
      case '/': one(Tok::Slash); break;
      case '=':
        if (d != '=') r.fail(start, "'=' is not an operator; use '==' to compare");
        two(Tok::EqEq);
        break;
      case '!': d == '=' ? two(Tok::NotEq) : one(Tok::Not); break;
      case '<': d == '=' ? two(Tok::Le) : one(Tok::Lt); break;
      case '>': d == '=' ? two(Tok::Ge) : one(Tok::Gt); break;
      case '&':
        if (d != '&') r.fail(start, "'&' is not an operator; use 'and'");
        two(Tok::And);
        break;
      case '|':
        if (d != '|') r.fail(start, "'|' is not an operator; use 'or'");
        two(Tok::Or);
        break;
      default: {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) r.fail(start, std::string("unexpected character '") + c + "'");
        const char* hex = "0123456789ABCDEF";
        r.fail(start, std::string("unexpected byte 0x") + hex[u >> 4] + hex[u & 15] +
                          " (only strings may hold non-ASCII text)");
      }
    }
  }
  if (out.empty()) r.fail(0, "expression is empty");
  Token end;
  end.pos = static_cast<uint32_t>(n);
  out.push_back(end);  // not counted: the bound is on what the author wrote
  return out;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::End: return "the end of the expression";
    case Tok::Number: return "number " + std::string(t.text);
    case Tok::String: return "string " + std::string(t.text.data() - 1, t.len);
    case Tok::Name: return "name '" + std::string(t.text) + "'";
    default: return "'" + std::string(t.text) + "'";
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

enum class NK : uint8_t { Num, Bool, Str, Field, Neg, Not, Bin, AndOr, Call, In };
enum class Fn : uint8_t { Min, Max, Abs, DaysSince };
// Value types while checking: String is a literal not yet resolved against a category set.
enum class VT : uint8_t { Error, Bool, Number, Category, String };

const std::string kFunctionNames[] = {"min", "max", "abs", "days_since"};

struct Node {
  NK kind = NK::Num;
  Op op = Op::Halt;      // Bin: Add..Ge; AndOr: JmpF ('and') or JmpT ('or')
  bool negated = false;  // In: 'not in'
  uint32_t pos = 0;      // where the operand starts, its '(' when parenthesized
  uint32_t tok = 0;      // its own token: operator, name, literal
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

const char* vt_name(VT t) {
  switch (t) {
    case VT::Bool: return "bool";
    case VT::Number: return "number";
    case VT::Category: return "category";
    case VT::String: return "string";
    case VT::Error: break;
  }
  return "an invalid value";
}

bool is_comparison(Op op) { return op >= Op::Eq && op <= Op::Ge; }

// ---------------------------------------------------------------------------------------------
// Parser: recursive descent, one function per precedence level (see docs/expressions.md).

class Parser {
 public:
  Parser(const std::vector<Token>& toks, Reporter& r, std::vector<Node>& nodes)
      : toks_(toks), r_(r), nodes_(nodes) {}

  int parse() {
    int e = parse_or();
    if (peek().kind != Tok::End)
      r_.fail(peek().pos, "expected an operator or the end of the expression, got " + describe(peek()) +
                              keyword_hint(peek()));
    return e;
  }

 private:
  // Bounds recursion (and so the native stack) however the input nests.
  struct Nest {
    Nest(Parser& p, const Token& t) : p_(p) {
      if (++p_.depth_ > kMaxExprDepth)
        p_.r_.fail(t.pos, "expression nests too deeply (more than " + std::to_string(kMaxExprDepth) +
                              " levels of parentheses, brackets, calls, 'not' and unary '-')");
    }
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    Parser& p_;
  };

  const Token& peek(size_t ahead = 0) const { return toks_[std::min(i_ + ahead, toks_.size() - 1)]; }
  const Token& take() { return toks_[i_ < toks_.size() - 1 ? i_++ : i_]; }

  static std::string keyword_hint(const Token& t) {
    if (t.kind != Tok::Name) return {};
    std::string_view k = keyword_ignoring_case(t.text);
    return k.empty() ? std::string() : "; did you mean '" + std::string(k) + "'?";
  }

  int add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }

  int parse_or() { return parse_chain(Tok::Or); }
  int parse_and() { return parse_chain(Tok::And); }

  // 'and' and 'or' chains become one n-ary node: a long flat chain then costs no tree depth.
  int parse_chain(Tok which) {
    auto operand = [&] { return which == Tok::Or ? parse_and() : parse_not(); };
    int first = operand();
    if (peek().kind != which) return first;
    Node n;
    n.kind = NK::AndOr;
    n.op = which == Tok::Or ? Op::JmpT : Op::JmpF;
    n.pos = nodes_[first].pos;
    n.tok = peek().pos;
    n.spell = peek().text;
    n.kids.push_back(first);
    while (peek().kind == which) {
      take();
      n.kids.push_back(operand());
    }
    return add(std::move(n));
  }

  int parse_not() {
    if (peek().kind != Tok::Not) return parse_cmp();
    const Token& t = take();
    Nest nest(*this, t);
    Node n;
    n.kind = NK::Not;
    n.pos = n.tok = t.pos;
    n.spell = t.text;
    n.kids.push_back(parse_not());
    return add(std::move(n));
  }

  static bool is_cmp(Tok k) { return k >= Tok::EqEq && k <= Tok::Ge; }
  bool at_in() const { return peek().kind == Tok::In || (peek().kind == Tok::Not && peek(1).kind == Tok::In); }

  int parse_cmp() {
    int left = parse_sum();
    int result = left;
    if (is_cmp(peek().kind)) {
      const Token& t = take();
      Node n;
      n.kind = NK::Bin;
      n.op = t.kind == Tok::EqEq ? Op::Eq : t.kind == Tok::NotEq ? Op::Ne : t.kind == Tok::Lt ? Op::Lt
           : t.kind == Tok::Le ? Op::Le : t.kind == Tok::Gt ? Op::Gt : Op::Ge;
      n.pos = nodes_[left].pos;
      n.tok = t.pos;
      n.spell = t.text;
      n.kids = {left, parse_sum()};
      result = add(std::move(n));
    } else if (at_in()) {
      result = parse_in(left);
    } else {
      return left;
    }
    // Python's a < b < c means something else than C's; refusing both readings avoids surprises.
    if (is_cmp(peek().kind) || at_in())
      r_.fail(peek().pos, "comparisons cannot be chained; join them with 'and', as in 'a < b and b < c'");
    return result;
  }

  int parse_in(int left) {
    Node n;
    n.kind = NK::In;
    n.pos = nodes_[left].pos;
    n.tok = peek().pos;
    if (peek().kind == Tok::Not) {
      take();
      n.negated = true;
    }
    take();  // 'in'
    n.kids.push_back(left);
    const Token& open = peek();
    if (open.kind != Tok::LBracket)
      r_.fail(open.pos, "'in' expects a list in brackets, as in x in [\"a\", \"b\"]; got " + describe(open));
    take();
    Nest nest(*this, open);
    while (peek().kind != Tok::RBracket) {
      n.kids.push_back(parse_or());
      if (peek().kind == Tok::Comma) {
        take();
        continue;
      }
      if (peek().kind != Tok::RBracket) expected_close(open, "',' or ']' in the list", "the list starts here");
    }
    take();
    return add(std::move(n));
  }

  [[noreturn]] void expected_close(const Token& open, const std::string& what, const std::string& note) {
    r_.error(peek().pos, "expected " + what + ", got " + describe(peek()));
    r_.note(open.pos, note);
    throw ParseAbort{};
  }

  int parse_sum() {
    int left = parse_prod();
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) left = binary(left, &Parser::parse_prod);
    return left;
  }

  int parse_prod() {
    int left = parse_unary();
    while (peek().kind == Tok::Star || peek().kind == Tok::Slash) left = binary(left, &Parser::parse_unary);
    return left;
  }

  int binary(int left, int (Parser::*operand)()) {
    const Token& t = take();
    Node n;
    n.kind = NK::Bin;
    n.op = t.kind == Tok::Plus ? Op::Add : t.kind == Tok::Minus ? Op::Sub : t.kind == Tok::Star ? Op::Mul : Op::Div;
    n.pos = nodes_[left].pos;
    n.tok = t.pos;
    n.spell = t.text;
    n.kids = {left, (this->*operand)()};
    return add(std::move(n));
  }

  int parse_unary() {
    if (peek().kind != Tok::Minus) return parse_primary();
    const Token& t = take();
    Nest nest(*this, t);
    Node n;
    n.kind = NK::Neg;
    n.pos = n.tok = t.pos;
    n.spell = t.text;
    n.kids.push_back(parse_unary());
    return add(std::move(n));
  }

  int parse_primary() {
    const Token& t = peek();
    Node n;
    n.pos = n.tok = t.pos;
    n.spell = t.text;
    switch (t.kind) {
      case Tok::Number:
        take();
        n.kind = NK::Num;
        n.num = t.num;
        return add(std::move(n));
      case Tok::True:
      case Tok::False:
        take();
        n.kind = NK::Bool;
        n.num = t.kind == Tok::True ? 1.0 : 0.0;
        return add(std::move(n));
      case Tok::String:
        take();
        n.kind = NK::Str;
        return add(std::move(n));
      case Tok::Name:
        take();
        if (peek().kind == Tok::LParen) return parse_call(std::move(n));
        n.kind = NK::Field;
        return add(std::move(n));
      case Tok::LParen: {
        take();
        Nest nest(*this, t);
        int e = parse_or();
        if (peek().kind != Tok::RParen) expected_close(t, "')'", "to match this '('");
        take();
        nodes_[e].pos = t.pos;
        return e;
      }
      case Tok::Not:
        r_.fail(t.pos, "'" + std::string(t.text) +
                           "' binds more loosely than comparisons and arithmetic; put it in parentheses, as in "
                           "'a == (not b)'");
      default: {
        std::string after = i_ > 0 ? " after '" + std::string(toks_[i_ - 1].text) + "'" : "";
        if (i_ > 0 && toks_[i_ - 1].kind == Tok::String) after = " after " + describe(toks_[i_ - 1]);
        r_.fail(t.pos, "expected an expression" + after + ", got " + describe(t));
      }
    }
  }

  int parse_call(Node n) {
    const Token& open = take();
    Nest nest(*this, open);
    n.kind = NK::Call;
    if (peek().kind != Tok::RParen) {
      for (;;) {
        n.kids.push_back(parse_or());
        if (peek().kind == Tok::Comma) {
          take();
          continue;
        }
        if (peek().kind == Tok::RParen) break;
        expected_close(open, "',' or ')' in the call to '" + std::string(n.spell) + "'", "the call starts here");
      }
    }
    take();
    return add(std::move(n));
  }

  const std::vector<Token>& toks_;
  Reporter& r_;
  std::vector<Node>& nodes_;
  size_t i_ = 0;
  int depth_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Checker: types every node, resolves names and category strings, folds constants. Reports every
// problem it finds; a node that failed gets VT::Error, which its parents accept silently so one
// mistake yields one message.

class Checker {
 public:
  Checker(const Schema& schema, Reporter& r, std::vector<Node>& nodes) : schema_(schema), r_(r), nodes_(nodes) {
    for (const auto& f : schema.fields()) {
      names_.push_back(f.name);
      if (example_.empty() && f.type == Type::Category && !schema.category_sets()[f.category_set].values.empty())
        example_ = f.name + " == \"" + schema.category_sets()[f.category_set].values.front() + "\"";
    }
    names_.push_back("true");
    names_.push_back("false");
    if (example_.empty()) example_ = "field == \"value\"";
  }

  void check(int id) {
    // Nodes are not added while checking, so this reference stays valid.
    Node& x = nodes_[id];
    for (int kid : x.kids) check(kid);
    switch (x.kind) {
      case NK::Num:
      case NK::Bool:
        x.vt = x.kind == NK::Num ? VT::Number : VT::Bool;
        set_const(x, x.num);
        return;
      case NK::Str: x.vt = VT::String; return;
      case NK::Field: return check_field(x);
      case NK::Neg:
        if (!want(x.kids[0], VT::Number, "unary '-' expects a number operand")) return;
        x.vt = VT::Number;
        if (kid(x, 0).is_k) set_const(x, -kid(x, 0).k);
        return;
      case NK::Not:
        if (!want(x.kids[0], VT::Bool, "'" + std::string(x.spell) + "' expects a bool operand")) return;
        x.vt = VT::Bool;
        if (kid(x, 0).is_k) set_const(x, b2d(kid(x, 0).k == 0.0));
        return;
      case NK::Bin:
        if (x.op == Op::Eq || x.op == Op::Ne) return check_equality(x);
        return check_numeric(x);
      case NK::AndOr: return check_and_or(x);
      case NK::Call: return check_call(x);
      case NK::In: return check_in(x);
    }
  }

  // For the top level: a bare string is misuse, whatever type was expected.
  bool usable(int id) {
    if (nodes_[id].vt != VT::String) return true;
    string_misuse(nodes_[id]);
    return false;
  }

 private:
  Node& kid(const Node& x, size_t i) { return nodes_[x.kids[i]]; }
  static void set_const(Node& x, double v) {
    x.is_k = true;
    x.k = v;
  }

  void string_misuse(const Node& s) {
    r_.error(s.tok, "a string is only valid compared with a category, as in " + example_);
  }

  // Reports unless node `id` has type t. Nodes that already failed stay quiet.
  bool want(int id, VT t, const std::string& what) {
    const Node& k = nodes_[id];
    if (k.vt == t) return true;
    if (k.vt == VT::String) string_misuse(k);
    else if (k.vt != VT::Error) r_.error(k.pos, what + ", got " + vt_name(k.vt));
    return false;
  }

  void check_field(Node& x) {
    int slot = schema_.find_field(x.spell);
    if (slot < 0) {
      std::string msg;
      if (std::find(std::begin(kFunctionNames), std::end(kFunctionNames), x.spell) != std::end(kFunctionNames)) {
        msg = "'" + std::string(x.spell) + "' is a function; call it, as in " + std::string(x.spell) + "(...)";
      } else {
        msg = "unknown name '" + std::string(x.spell) + "'";
        std::string_view k = keyword_ignoring_case(x.spell);
        msg += k.empty() ? did_you_mean(x.spell, names_) : "; did you mean '" + std::string(k) + "'?";
      }
      r_.error(x.tok, std::move(msg));
      return;
    }
    const FieldDef& f = schema_.fields()[slot];
    x.slot = slot;
    x.set = f.category_set;
    x.vt = f.type == Type::Bool ? VT::Bool : f.type == Type::Number ? VT::Number : VT::Category;
  }

  std::string set_name(int set) const { return "'" + schema_.category_sets()[set].name + "'"; }

  // Turns string node s into the index of its value in `set`.
  bool resolve(Node& s, int set) {
    int index = schema_.find_value(set, s.spell);
    if (index < 0) {
      const auto& values = schema_.category_sets()[set].values;
      std::string msg = "'" + std::string(s.spell) + "' is not a value of category set " + set_name(set);
      std::string hint = did_you_mean(s.spell, values);
      if (hint.empty()) {
        hint = "; its values are ";
        for (size_t i = 0; i < values.size() && i < 12; ++i) hint += (i ? ", '" : "'") + values[i] + "'";
        if (values.size() > 12) hint += ", ...";
        if (values.empty()) hint = "; the set is empty";
      }
      r_.error(s.tok, msg + hint);
      return false;
    }
    s.vt = VT::Category;
    s.set = set;
    set_const(s, index);
    return true;
  }

  void check_equality(Node& x) {
    Node& a = kid(x, 0);
    Node& b = kid(x, 1);
    std::string op = "'" + std::string(x.spell) + "'";
    if (a.vt == VT::Error || b.vt == VT::Error) return;
    if (a.vt == VT::String && b.vt == VT::String) {
      r_.error(x.tok, op + " cannot compare two strings; one side must be a category field");
      return;
    }
    if (a.vt == VT::String || b.vt == VT::String) {
      Node& s = a.vt == VT::String ? a : b;
      Node& other = a.vt == VT::String ? b : a;
      if (other.vt != VT::Category) {
        r_.error(s.tok, op + " cannot compare " + vt_name(other.vt) +
                            " with a string; strings are only valid compared with a category");
        return;
      }
      if (!resolve(s, other.set)) return;
    } else if (a.vt != b.vt) {
      std::string msg = op + " cannot compare " + vt_name(a.vt) + " with " + vt_name(b.vt);
      if (a.vt == VT::Category || b.vt == VT::Category)
        msg += "; write category values as strings, as in " + example_;
      r_.error(x.tok, msg);
      return;
    } else if (a.vt == VT::Category && a.set != b.set) {
      r_.error(x.tok, op + " cannot compare values of category set " + set_name(a.set) +
                          " with values of category set " + set_name(b.set));
      return;
    }
    x.vt = VT::Bool;
    if (a.is_k && b.is_k) set_const(x, apply(x.op, a.k, b.k));
  }

  void check_numeric(Node& x) {
    std::string what = "'" + std::string(x.spell) + "' expects number operands";
    // Category order is just listing order, so ordering them is refused; said once, without a
    // second complaint about the string on the other side.
    for (int k : x.kids) {
      if (is_comparison(x.op) && nodes_[k].vt == VT::Category) {
        r_.error(nodes_[k].pos, what + ", got category (categories support only ==, != and in)");
        return;
      }
    }
    bool ok = want(x.kids[0], VT::Number, what);
    ok = want(x.kids[1], VT::Number, what) && ok;
    if (!ok) return;
    x.vt = is_comparison(x.op) ? VT::Bool : VT::Number;
    if (kid(x, 0).is_k && kid(x, 1).is_k) set_const(x, apply(x.op, kid(x, 0).k, kid(x, 1).k));
  }

  void check_and_or(Node& x) {
    std::string what = "'" + std::string(x.spell) + "' expects bool operands";
    bool ok = true;
    for (int k : x.kids) ok = want(k, VT::Bool, what) && ok;
    if (!ok) return;
    x.vt = VT::Bool;
    // With no side effects, a constant operand either decides the result ("x and false") or can
    // be dropped ("x and true"), wherever it stands.
    const bool is_or = x.op == Op::JmpT;
    std::vector<int> keep;
    for (int k : x.kids) {
      if (!nodes_[k].is_k) {
        keep.push_back(k);
      } else if ((nodes_[k].k != 0.0) == is_or) {
        set_const(x, b2d(is_or));
        return;
      }
    }
    if (keep.empty()) set_const(x, b2d(!is_or));
    x.kids = std::move(keep);
  }

  void check_call(Node& x) {
    const std::string name(x.spell);
    auto it = std::find(std::begin(kFunctionNames), std::end(kFunctionNames), name);
    if (it == std::end(kFunctionNames)) {
      if (schema_.find_field(name) >= 0)
        r_.error(x.tok, "'" + name + "' is a field, not a function");
      else
        r_.error(x.tok, "unknown function '" + name + "'" + did_you_mean(name, kFunctionNames));
      return;
    }
    x.fn = static_cast<Fn>(it - std::begin(kFunctionNames));
    const size_t argc = x.kids.size();
    if (x.fn == Fn::Min || x.fn == Fn::Max) {
      if (argc < 2) {
        r_.error(x.tok, "'" + name + "' expects at least 2 arguments, got " + std::to_string(argc));
        return;
      }
    } else if (argc != 1) {
      r_.error(x.tok, "'" + name + "' expects 1 argument, got " + std::to_string(argc));
      return;
    }
    std::string what = "'" + name + (argc == 1 ? "' expects a number argument" : "' expects number arguments");
    bool ok = true;
    for (int k : x.kids) ok = want(k, VT::Number, what) && ok;
    if (x.fn == Fn::DaysSince) {
      int today = schema_.find_field(kTodayField);
      if (today < 0) {
        r_.error(x.tok, "'days_since' needs a number field named '" + std::string(kTodayField) +
                            "', and this schema has none");
        return;
      }
      if (schema_.fields()[today].type != Type::Number) {
        r_.error(x.tok, "'days_since' needs '" + std::string(kTodayField) + "' to be a number field, but it is " +
                            type_name(schema_.fields()[today].type));
        return;
      }
      x.slot = today;
    }
    if (!ok) return;
    x.vt = VT::Number;
    if (x.fn == Fn::Abs && kid(x, 0).is_k) set_const(x, std::fabs(kid(x, 0).k));
    if (x.fn == Fn::Min || x.fn == Fn::Max) {
      bool all = true;
      double v = kid(x, 0).k;
      for (size_t i = 0; i < argc; ++i) {
        all = all && kid(x, i).is_k;
        if (i > 0) v = apply(x.fn == Fn::Min ? Op::Min : Op::Max, v, kid(x, i).k);
      }
      if (all) set_const(x, v);
    }
    // days_since reads `today`, never a constant.
  }

  void check_in(Node& x) {
    const Node& lhs = kid(x, 0);
    const std::string op = x.negated ? "'not in'" : "'in'";
    if (lhs.vt == VT::Error) return;
    if (lhs.vt == VT::String) return string_misuse(lhs);
    if (lhs.vt == VT::Bool) {
      r_.error(lhs.pos, op + " expects a category or number on its left, got bool");
      return;
    }
    bool ok = true;
    for (size_t i = 1; i < x.kids.size(); ++i) {
      Node& e = kid(x, i);
      if (lhs.vt == VT::Category) {
        if (e.vt == VT::String) {
          ok = resolve(e, lhs.set) && ok;
        } else {
          if (e.vt != VT::Error)
            r_.error(e.pos, "the list after " + op + " must hold values of category set " + set_name(lhs.set) +
                                " written as strings, got " + vt_name(e.vt));
          ok = false;
        }
      } else {
        if (e.vt != VT::Number) {
          if (e.vt == VT::String) r_.error(e.tok, "the list after " + op + " must hold numbers, got a string");
          else if (e.vt != VT::Error) r_.error(e.pos, "the list after " + op + " must hold numbers, got " + vt_name(e.vt));
          ok = false;
        } else if (!e.is_k) {
          r_.error(e.pos, "the list after " + op + " must hold constants");
          ok = false;
        }
      }
      if (!ok) continue;
      for (size_t j = 1; j < i; ++j) {
        if (kid(x, j).k != e.k) continue;
        r_.warning(e.pos, (e.kind == NK::Str ? "'" + std::string(e.spell) + "'" : format_number(e.k)) +
                              " is listed twice");
        break;
      }
    }
    if (!ok) return;
    x.vt = VT::Bool;
    if (x.kids.size() == 1) return set_const(x, b2d(x.negated));
    if (lhs.is_k) {
      bool found = false;
      for (size_t i = 1; i < x.kids.size(); ++i) found = found || lhs.k == kid(x, i).k;
      set_const(x, b2d(found != x.negated));
    }
  }

  const Schema& schema_;
  Reporter& r_;
  std::vector<Node>& nodes_;
  std::vector<std::string> names_;
  std::string example_;
};

// K form of a binary op (right operand constant), and the op with its operands swapped.
Op with_k(Op op) { return static_cast<Op>(static_cast<int>(op) - static_cast<int>(Op::Add) + static_cast<int>(Op::AddK)); }
Op with_slot_k(Op op) { return static_cast<Op>(static_cast<int>(op) - static_cast<int>(Op::Eq) + static_cast<int>(Op::EqSK)); }
Op swapped(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}
// Min/Max are left out: for -0 and +0 the order of operands decides the result's sign.
bool commutes(Op op) { return op == Op::Add || op == Op::Mul || is_comparison(op); }

const char* op_name(Op op) {
  static const char* const names[] = {
      "halt", "const", "load", "load_bool", "neg", "not", "abs", "add", "sub", "mul", "div", "min", "max",
      "eq", "ne", "lt", "le", "gt", "ge", "add_k", "sub_k", "mul_k", "div_k", "min_k", "max_k",
      "eq_k", "ne_k", "lt_k", "le_k", "gt_k", "ge_k", "eq_sk", "ne_sk", "lt_sk", "le_sk", "gt_sk", "ge_sk",
      "in_mask", "in_mask_s", "in_list", "jmp_f", "jmp_t"};
  static_assert(sizeof names / sizeof names[0] == static_cast<size_t>(Op::JmpT) + 1);
  return names[static_cast<size_t>(op)];
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Code generation

class ExprCompiler {
 public:
  explicit ExprCompiler(const std::vector<Node>& nodes) : nodes_(nodes) { out_.code_.clear(); }

  CompiledExpr compile(int root, std::string_view source, Type type, int category_set) {
    emit(root);
    put(Op::Halt, 0);
    out_.source_ = std::string(source);
    out_.type_ = type;
    out_.category_set_ = category_set;
    return std::move(out_);
  }

 private:
  void put(Op op, int delta, int32_t a = 0, uint64_t k = 0, uint16_t n = 0) {
    out_.code_.push_back(Instr{op, 0, n, a, k});
    depth_ += delta;
    max_depth_ = std::max(max_depth_, depth_);
    out_.max_stack_ = max_depth_;
  }

  // A field whose raw slot value can be compared directly (bool slots are normalized first).
  bool direct_slot(const Node& n) const { return n.kind == NK::Field && n.vt != VT::Bool; }

  void emit(int id) {
    const Node& x = nodes_[id];
    if (x.is_k) return put(Op::Const, 1, 0, bits(x.k));
    switch (x.kind) {
      case NK::Field: return put(x.vt == VT::Bool ? Op::LoadBool : Op::Load, 1, x.slot);
      case NK::Neg: emit(x.kids[0]); return put(Op::Neg, 0);
      case NK::Not: emit(x.kids[0]); return put(Op::Not, 0);
      case NK::Bin: return emit_binary(x.op, x.kids[0], x.kids[1]);
      case NK::AndOr: {
        std::vector<size_t> jumps;
        for (size_t i = 0; i < x.kids.size(); ++i) {
          emit(x.kids[i]);
          if (i + 1 == x.kids.size()) break;
          jumps.push_back(out_.code_.size());
          put(x.op, -1);  // the fall-through path pops; the jump keeps the deciding value
        }
        for (size_t j : jumps) out_.code_[j].a = static_cast<int32_t>(out_.code_.size());
        return;
      }
      case NK::Call:
        switch (x.fn) {
          case Fn::Abs: emit(x.kids[0]); return put(Op::Abs, 0);
          case Fn::DaysSince: put(Op::Load, 1, x.slot); return emit_right(Op::Sub, x.kids[0]);
          case Fn::Min:
          case Fn::Max:
            emit(x.kids[0]);
            for (size_t i = 1; i < x.kids.size(); ++i) emit_right(x.fn == Fn::Min ? Op::Min : Op::Max, x.kids[i]);
            return;
        }
        return;
      case NK::In: return emit_in(x);
      case NK::Num:
      case NK::Bool:
      case NK::Str: return;  // always constant, handled above
    }
  }

  // Applies op to the value on the stack and node `right`.
  void emit_right(Op op, int right) {
    const Node& r = nodes_[right];
    if (r.is_k) return put(with_k(op), 0, 0, bits(r.k));
    emit(right);
    put(op, -1);
  }

  void emit_binary(Op op, int left, int right) {
    const Node& l = nodes_[left];
    const Node& r = nodes_[right];
    if (is_comparison(op)) {
      if (r.is_k && direct_slot(l)) return put(with_slot_k(op), 1, l.slot, bits(r.k));
      if (l.is_k && direct_slot(r)) return put(with_slot_k(swapped(op)), 1, r.slot, bits(l.k));
    }
    if (l.is_k && !r.is_k && commutes(op)) {
      emit(right);
      return put(with_k(swapped(op)), 0, 0, bits(l.k));
    }
    emit(left);
    emit_right(op, right);
  }

  void emit_in(const Node& x) {
    const Node& lhs = nodes_[x.kids[0]];
    uint64_t mask = 0;
    bool small = true;  // every listed value is an integer 0..63, so a bit mask answers
    for (size_t i = 1; i < x.kids.size(); ++i) {
      double v = nodes_[x.kids[i]].k;
      if (v >= 0.0 && v < 64.0 && static_cast<double>(static_cast<unsigned>(v)) == v)
        mask |= uint64_t{1} << static_cast<unsigned>(v);
      else
        small = false;
    }
    if (small && direct_slot(lhs)) {
      put(Op::InMaskS, 1, lhs.slot, mask);
    } else {
      emit(x.kids[0]);
      if (small) {
        put(Op::InMask, 0, 0, mask);
      } else {
        auto start = static_cast<int32_t>(out_.pool_.size());
        for (size_t i = 1; i < x.kids.size(); ++i) out_.pool_.push_back(nodes_[x.kids[i]].k);
        put(Op::InList, 0, start, 0, static_cast<uint16_t>(x.kids.size() - 1));
      }
    }
    if (x.negated) put(Op::Not, 0);
  }

  const std::vector<Node>& nodes_;
  CompiledExpr out_;
  int depth_ = 0;
  int max_depth_ = 0;
};

// ---------------------------------------------------------------------------------------------
// CompiledExpr

CompiledExpr::CompiledExpr() : code_{Instr{Op::Const, 0, 0, 0, bits(1.0)}, Instr{}}, source_("true") {}

double CompiledExpr::run(const double* s) const {
  // compile_expr guarantees max_stack_ <= kEvalStackCapacity, so no bounds checks here.
  double stack[kEvalStackCapacity];
  double* sp = stack;  // next free slot; the top is sp[-1]
  const Instr* const code = code_.data();
  const Instr* ip = code;
  for (;;) {
    const Instr& in = *ip++;
    switch (in.op) {
      case Op::Halt: return sp[-1];
      case Op::Const: *sp++ = dbl(in.k); break;
      case Op::Load: *sp++ = s[in.a]; break;
      case Op::LoadBool: *sp++ = b2d(s[in.a] != 0.0); break;
      case Op::Neg: sp[-1] = -sp[-1]; break;
      case Op::Not: sp[-1] = b2d(sp[-1] == 0.0); break;
      case Op::Abs: sp[-1] = std::fabs(sp[-1]); break;
      case Op::Add: --sp; sp[-1] = sp[-1] + sp[0]; break;
      case Op::Sub: --sp; sp[-1] = sp[-1] - sp[0]; break;
      case Op::Mul: --sp; sp[-1] = sp[-1] * sp[0]; break;
      case Op::Div: --sp; sp[-1] = sp[-1] / sp[0]; break;
      case Op::Min: --sp; sp[-1] = num_min(sp[-1], sp[0]); break;
      case Op::Max: --sp; sp[-1] = num_max(sp[-1], sp[0]); break;
      case Op::Eq: --sp; sp[-1] = b2d(sp[-1] == sp[0]); break;
      case Op::Ne: --sp; sp[-1] = b2d(sp[-1] != sp[0]); break;
      case Op::Lt: --sp; sp[-1] = b2d(sp[-1] < sp[0]); break;
      case Op::Le: --sp; sp[-1] = b2d(sp[-1] <= sp[0]); break;
      case Op::Gt: --sp; sp[-1] = b2d(sp[-1] > sp[0]); break;
      case Op::Ge: --sp; sp[-1] = b2d(sp[-1] >= sp[0]); break;
      case Op::AddK: sp[-1] = sp[-1] + dbl(in.k); break;
      case Op::SubK: sp[-1] = sp[-1] - dbl(in.k); break;
      case Op::MulK: sp[-1] = sp[-1] * dbl(in.k); break;
      case Op::DivK: sp[-1] = sp[-1] / dbl(in.k); break;
      case Op::MinK: sp[-1] = num_min(sp[-1], dbl(in.k)); break;
      case Op::MaxK: sp[-1] = num_max(sp[-1], dbl(in.k)); break;
      case Op::EqK: sp[-1] = b2d(sp[-1] == dbl(in.k)); break;
      case Op::NeK: sp[-1] = b2d(sp[-1] != dbl(in.k)); break;
      case Op::LtK: sp[-1] = b2d(sp[-1] < dbl(in.k)); break;
      case Op::LeK: sp[-1] = b2d(sp[-1] <= dbl(in.k)); break;
      case Op::GtK: sp[-1] = b2d(sp[-1] > dbl(in.k)); break;
      case Op::GeK: sp[-1] = b2d(sp[-1] >= dbl(in.k)); break;
      case Op::EqSK: *sp++ = b2d(s[in.a] == dbl(in.k)); break;
      case Op::NeSK: *sp++ = b2d(s[in.a] != dbl(in.k)); break;
      case Op::LtSK: *sp++ = b2d(s[in.a] < dbl(in.k)); break;
      case Op::LeSK: *sp++ = b2d(s[in.a] <= dbl(in.k)); break;
      case Op::GtSK: *sp++ = b2d(s[in.a] > dbl(in.k)); break;
      case Op::GeSK: *sp++ = b2d(s[in.a] >= dbl(in.k)); break;
      case Op::InMask: sp[-1] = b2d(in_mask(sp[-1], in.k)); break;
      case Op::InMaskS: *sp++ = b2d(in_mask(s[in.a], in.k)); break;
      case Op::InList: {
        const double v = sp[-1];
        const double* p = pool_.data() + in.a;
        bool found = false;
        for (uint16_t i = 0; i < in.n; ++i) found |= p[i] == v;
        sp[-1] = b2d(found);
        break;
      }
      case Op::JmpF:
        if (sp[-1] == 0.0) ip = code + in.a;
        else --sp;
        break;
      case Op::JmpT:
        if (sp[-1] != 0.0) ip = code + in.a;
        else --sp;
        break;
    }
  }
}

std::vector<int> CompiledExpr::fields_read() const {
  std::vector<int> out;
  for (const Instr& in : code_) {
    bool reads = in.op == Op::Load || in.op == Op::LoadBool || in.op == Op::InMaskS ||
                 (in.op >= Op::EqSK && in.op <= Op::GeSK);
    if (reads) out.push_back(in.a);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool CompiledExpr::is_constant() const { return code_.size() == 2 && code_[0].op == Op::Const; }

std::optional<double> CompiledExpr::constant_value() const {
  if (!is_constant()) return std::nullopt;
  return dbl(code_[0].k);
}

std::string CompiledExpr::disassemble() const {
  std::string out;
  auto num = format_number;
  for (size_t i = 0; i < code_.size(); ++i) {
    const Instr& in = code_[i];
    out += std::to_string(i) + ": " + op_name(in.op);
    switch (in.op) {
      case Op::Const: out += " " + num(dbl(in.k)); break;
      case Op::Load:
      case Op::LoadBool: out += " @" + std::to_string(in.a); break;
      case Op::InMask: out += " mask=" + std::to_string(in.k); break;
      case Op::InMaskS: out += " @" + std::to_string(in.a) + " mask=" + std::to_string(in.k); break;
      case Op::InList:
        out += " [";
        for (uint16_t j = 0; j < in.n; ++j) out += (j ? ", " : "") + num(pool_[in.a + j]);
        out += "]";
        break;
      case Op::JmpF:
      case Op::JmpT: out += " -> " + std::to_string(in.a); break;
      default:
        if (in.op >= Op::AddK && in.op <= Op::GeK) out += " " + num(dbl(in.k));
        if (in.op >= Op::EqSK && in.op <= Op::GeSK) out += " @" + std::to_string(in.a) + " " + num(dbl(in.k));
        break;
    }
    out += "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

std::optional<CompiledExpr> compile_expr(std::string_view text, const SourceLoc& loc, const Schema& schema,
                                         Diagnostics& diags, Type expected, int continuation_col) {
  Reporter r(text, loc, continuation_col, diags);
  if (text.size() > kMaxExprLength) {
    r.error(0, "expression is too long (" + std::to_string(text.size()) + " characters; at most " +
                   std::to_string(kMaxExprLength) + ")");
    return std::nullopt;
  }
  const size_t errors_before = diags.error_count();
  std::vector<Node> nodes;
  int root = -1;
  try {
    std::vector<Token> toks = lex(r);
    nodes.reserve(toks.size());
    root = Parser(toks, r, nodes).parse();
  } catch (const ParseAbort&) {
    return std::nullopt;
  }

  Checker checker(schema, r, nodes);
  checker.check(root);
  if (diags.error_count() != errors_before) return std::nullopt;
  const Node& top = nodes[root];
  if (!checker.usable(root)) return std::nullopt;
  const Type got = top.vt == VT::Bool ? Type::Bool : top.vt == VT::Number ? Type::Number : Type::Category;
  if (got != expected) {
    r.error(top.pos, std::string("expected a ") + type_name(expected) + " expression, got " + type_name(got));
    return std::nullopt;
  }

  CompiledExpr out = ExprCompiler(nodes).compile(root, text, got, got == Type::Category ? top.set : -1);
  if (out.max_stack() > kEvalStackCapacity) {  // unreachable by the token bound; kept as a guard
    r.error(0, "expression is too complex to evaluate");
    return std::nullopt;
  }
  return out;
}

}  // namespace vg::rules
