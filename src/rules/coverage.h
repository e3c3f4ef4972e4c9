// Coverage of rule tests (`villagegrid test --coverage`, as `opa test --coverage`): which rules the
// tests made fire, how often each was considered, and which outcomes of the parts of its condition
// (each `and`/`or` operand, each comparison, true and false) no test produced. The runner reports
// every rule its dispatches consider; a rule is known by its file and line, so one met in several
// test files' policies counts once.
#pragma once

#include <map>
#include <optional>
#include <string>
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

  // Lists the rules of a policy the tests run against, so rules never considered are reported too.
  void add_policy(const Program& p);
  // A dispatch considered rule `rule` of `p`; `slots` are the facts its condition saw (null when it
  // has none or was not reached).
  void considered(const Program& p, int rule, bool fired, const double* slots);

  // Per policy file: each rule's id, file:line, fired/considered counts and the condition outcomes
  // no test produced; then the totals.
  std::string report() const;
  // Every rule listed, by (file, line).
  const std::map<std::pair<std::string, int>, Rule>& rules() const { return rules_; }

 private:
  Rule& entry(const CompiledRule& r);

  std::map<std::pair<std::string, int>, Rule> rules_;
};

}  // namespace vg::rules
