// Coverage of rule tests (`villagegrid test --coverage`, as `opa test --coverage`): which rules the
// tests made fire, how often each was considered, and which outcomes of the parts of its condition
// (each `and`/`or` operand, each comparison, true and false) no test produced. The runner reports
// every rule its dispatches consider; a rule is known by its place (file, line and column), id and
// condition, so one met in several test files' policies counts once, and two rules written on one
// line (flow style) count as two.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "rules/program.h"

namespace vg::rules {

class RuleCoverage {
 public:
  struct Rule {
    std::string id;
    SourceLoc loc;
    int considered = 0;
    int fired = 0;
    std::optional<CompiledExpr> when;
    std::vector<uint8_t> seen;  // by node of when->tree(): bit 0 seen false, bit 1 seen true
  };

  // What tells one rule from another: where it is written, its id and its condition. Ordered by
  // file, line and column, as the report lists them.
  struct Key {
    std::string path;
    int line = 0, col = 0;
    std::string id;
    std::string when;
    bool operator<(const Key& o) const {
      return std::tie(path, line, col, id, when) < std::tie(o.path, o.line, o.col, o.id, o.when);
    }
  };

  // Lists the rules of a policy the tests run against, so rules never considered are reported too.
  void add_policy(const Program& p);
  // A dispatch considered rule `rule` of `p`; `slots` are the facts its condition saw (null when it
  // has none or was not reached).
  void considered(const Program& p, int rule, bool fired, const double* slots);

  // Per policy file: each rule's id, file:line, fired/considered counts and the condition outcomes
  // no test produced; then the totals.
  std::string report() const;
  // Every rule listed.
  const std::map<Key, Rule>& rules() const { return rules_; }

 private:
  Rule& entry(const CompiledRule& r);

  std::map<Key, Rule> rules_;
};

}  // namespace vg::rules
