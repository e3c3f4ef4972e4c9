// The condition language's lexer and recursive-descent parser (docs/expressions.md, "Grammar").
#include <string>
#include <vector>

#include "rules/expr_internal.h"

namespace vg::rules::detail {

namespace {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

const std::string_view kKeywords[] = {"and", "or", "not", "in", "true", "false"};

}  // namespace

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

namespace {

// A character no token starts with, after the tokens before it.
void fail_unexpected(Reporter& r, size_t start, char c, const std::vector<Token>& out) {
  auto u = static_cast<unsigned char>(c);
  // `>= 30%`, read off a table that prints shares in per cent: shares are written 0..1.
  if (c == '%' && !out.empty() && out.back().kind == Tok::Number && out.back().pos + out.back().len == start)
    r.fail(start, "unexpected character '%'; numbers are written without it (a share from 0 to 1: " +
                      format_number(out.back().num / 100) + " for " + std::string(out.back().text) +
                      "%; a count or a number of days as it is)");
  if (u >= 0x20 && u < 0x7f) r.fail(start, std::string("unexpected character '") + c + "'");
  const char* hex = "0123456789ABCDEF";
  r.fail(start,
         std::string("unexpected byte 0x") + hex[u >> 4] + hex[u & 15] + " (only strings may hold non-ASCII text)");
}

}  // namespace

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
      Tok kind = w == "and"     ? Tok::And
                 : w == "or"    ? Tok::Or
                 : w == "not"   ? Tok::Not
                 : w == "in"    ? Tok::In
                 : w == "true"  ? Tok::True
                 : w == "false" ? Tok::False
                                : Tok::Name;
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
        // '=>' and '=<' are '>=' and '<=' written the other way round.
        if (d == '>' || d == '<')
          r.fail(start, std::string("'=") + d + "' is not an operator; use '" + d + "=' to compare");
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
      default: fail_unexpected(r, start, c, out);
    }
  }
  if (out.empty()) r.fail(0, "expression is empty");
  Token end;
  end.pos = static_cast<uint32_t>(n);
  out.push_back(end);  // not counted: the bound is on what the author wrote
  return out;
}

namespace {

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
// Parser: recursive descent, one function per precedence level (see docs/expressions.md).

class Parser {
 public:
  Parser(const std::vector<Token>& toks, Reporter& r, std::vector<Node>& nodes) : toks_(toks), r_(r), nodes_(nodes) {}

  int parse() {
    int e = parse_or();
    if (peek().kind != Tok::End)
      r_.fail(peek().pos,
              "expected an operator or the end of the expression, got " + describe(peek()) + keyword_hint(peek()));
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

  // Called once the node's last token is taken: that token ends its text.
  int add(Node n) {
    n.end = end_of_last();
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }

  uint32_t end_of_last() const { return i_ > 0 ? toks_[i_ - 1].pos + toks_[i_ - 1].len : 0; }

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

  int parse_not() { return peek().kind == Tok::Not ? prefix(NK::Not, &Parser::parse_not) : parse_cmp(); }

  // A prefix operator ('not', unary '-') applied to what `operand` parses after it.
  int prefix(NK kind, int (Parser::*operand)()) {
    const Token& t = take();
    Nest nest(*this, t);
    Node n;
    n.kind = kind;
    n.pos = n.tok = t.pos;
    n.spell = t.text;
    n.kids.push_back((this->*operand)());
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
      n.op = t.kind == Tok::EqEq    ? Op::Eq
             : t.kind == Tok::NotEq ? Op::Ne
             : t.kind == Tok::Lt    ? Op::Lt
             : t.kind == Tok::Le    ? Op::Le
             : t.kind == Tok::Gt    ? Op::Gt
                                    : Op::Ge;
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

  int parse_unary() { return peek().kind == Tok::Minus ? prefix(NK::Neg, &Parser::parse_unary) : parse_primary(); }

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
        nodes_[e].end = end_of_last();
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

}  // namespace

int parse(const std::vector<Token>& toks, Reporter& r, std::vector<Node>& nodes) {
  return Parser(toks, r, nodes).parse();
}

}  // namespace vg::rules::detail
