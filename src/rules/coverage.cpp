#include "rules/coverage.h"

#include <cmath>
#include <string>
#include <string_view>

#include "rules/expr_internal.h"

namespace vg::rules {

namespace {

using Kind = ExprTree::Kind;

// Evaluates part `id` of a condition as its program does, recording the outcome of every bool part
// reached: `and`/`or` stop at the first operand that decides, as the program does, so an operand
// after it counts as not reached. (The rule's own result comes from the program; this only says
// which parts led to it.)
double eval(const ExprTree& t, int id, const double* s, std::vector<uint8_t>& seen) {
  const ExprTree::Node& n = t.nodes[size_t(id)];
  auto kid = [&](size_t i) { return eval(t, n.kids[i], s, seen); };
  double v = 0;
  switch (n.kind) {
    case Kind::Const: return n.k;  // folded: no outcome to cover
    case Kind::Field: v = n.type == Type::Bool ? detail::b2d(s[n.slot] != 0.0) : s[n.slot]; break;
    case Kind::Neg: v = -kid(0); break;
    case Kind::Not: v = detail::b2d(kid(0) == 0.0); break;
    case Kind::Abs: v = std::fabs(kid(0)); break;
    case Kind::Arith:
    case Kind::Compare: {
      const double a = kid(0);
      v = detail::apply(n.op, a, kid(1));
      break;
    }
    case Kind::And:
    case Kind::Or: {
      const bool is_or = n.kind == Kind::Or;
      v = detail::b2d(!is_or);
      for (size_t i = 0; i < n.kids.size(); ++i)
        if ((kid(i) != 0.0) == is_or) {
          v = detail::b2d(is_or);
          break;
        }
      break;
    }
    case Kind::In: {
      const double x = kid(0);
      bool found = false;
      for (double k : n.list) found = found || x == k;
      v = detail::b2d(found != n.negated);
      break;
    }
    case Kind::Min:
    case Kind::Max: {
      const auto op = n.kind == Kind::Min ? CompiledExpr::Op::Min : CompiledExpr::Op::Max;
      v = kid(0);
      for (size_t i = 1; i < n.kids.size(); ++i) v = detail::apply(op, v, kid(i));
      break;
    }
    case Kind::DaysSince: v = s[n.slot] - kid(0); break;
  }
  if (n.type == Type::Bool) seen[size_t(id)] |= v != 0.0 ? 2 : 1;
  return v;
}

// A part of a condition on one line of the report: a line break and the indentation after it, as
// a condition over several lines has them, become one space.
std::string one_line(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\r')) out.pop_back();
    while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
    out += ' ';
  }
  return out;
}

// The outcomes of `when` no test produced: "FILE:LINE:COL: 'origin != "key_area"' never false".
std::vector<std::string> missed(const RuleCoverage::Rule& r, int& outcomes, int& covered) {
  std::vector<std::string> out;
  if (!r.when || !r.when->tree()) return out;
  const ExprTree& t = *r.when->tree();
  // A condition never evaluated at all (the rule never considered, or only outside its period or
  // before its after_event): one line for it, not every part "never reached", which reads as an
  // operand skipped by an earlier one.
  if (t.root >= 0 && r.seen[size_t(t.root)] == 0) {
    for (const auto& n : t.nodes) outcomes += n.type == Type::Bool && n.kind != Kind::Const ? 2 : 0;
    out.push_back(r.when->loc().str() + ": the condition was never evaluated (" +
                  (r.considered == 0 ? std::string("no test's event reached the rule")
                                     : "the rule was considered only outside its period, or before its after_event") +
                  ")");
    return out;
  }
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const ExprTree::Node& n = t.nodes[i];
    if (n.type != Type::Bool || n.kind == Kind::Const) continue;
    outcomes += 2;
    covered += (r.seen[i] & 1) + (r.seen[i] >> 1);
    if (r.seen[i] == 3) continue;
    const std::string what = r.seen[i] == 0 ? "never reached" : r.seen[i] == 1 ? "never true" : "never false";
    out.push_back(n.loc.str() + ": '" + one_line(std::string_view(r.when->source()).substr(n.begin, n.end - n.begin)) +
                  "' " + what);
  }
  return out;
}

}  // namespace

RuleCoverage::Rule& RuleCoverage::entry(const CompiledRule& r) {
  auto [it, fresh] = rules_.try_emplace(Key{r.loc.path(), r.loc.line, r.loc.col, r.id, r.when ? r.when->source() : ""});
  if (fresh) {
    it->second.id = r.id;
    it->second.loc = r.loc;
    it->second.when = r.when;
    if (r.when && r.when->tree()) it->second.seen.assign(r.when->tree()->nodes.size(), 0);
  }
  return it->second;
}

void RuleCoverage::add_policy(const Program& p) {
  for (const CompiledRule& r : p.rules()) entry(r);
}

void RuleCoverage::considered(const Program& p, int rule, bool fired, const double* slots) {
  Rule& e = entry(p.rules()[size_t(rule)]);
  e.considered++;
  e.fired += fired ? 1 : 0;
  if (slots && e.when && e.when->tree()) eval(*e.when->tree(), e.when->tree()->root, slots, e.seen);
}

std::string RuleCoverage::report() const {
  std::string out, file;
  int rules = 0, fired = 0, outcomes = 0, covered = 0;
  for (const auto& [key, r] : rules_) {
    if (key.path != file) {
      file = key.path;
      out += "coverage of " + file + ":\n";
    }
    ++rules;
    fired += r.fired > 0 ? 1 : 0;
    out += "  " + file + ":" + std::to_string(key.line) + ": " + r.id + ": fired " + std::to_string(r.fired) + " of " +
           std::to_string(r.considered) + " times considered" + (r.fired == 0 ? " (NOT FIRED)" : "") + "\n";
    for (const std::string& m : missed(r, outcomes, covered)) out += "    " + m + "\n";
  }
  out += "coverage: " + std::to_string(fired) + " of " + std::to_string(rules) + " rules fired, " +
         std::to_string(covered) + " of " + std::to_string(outcomes) + " condition outcomes seen\n";
  return out;
}

}  // namespace vg::rules
