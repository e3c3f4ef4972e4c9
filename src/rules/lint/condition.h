// What a condition admits: the fact assignments under which it is true (or false), as a disjunction
// of conjunctions ("cubes") of per-fact constraints. A category fact (and a bool one: values false,
// true) is constrained to a set of its values, a number fact to a union of intervals, with or without
// NaN. What the analysis cannot see into (arithmetic, days_since, two facts compared) is an opaque
// part, free to be true or false on its own, so every answer errs on the safe side: "always false"
// only when no assignment at all can make the condition true, an overlap only when an assignment of
// plain facts makes both conditions true. The rule analysis (analyse.h) is built on it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rules/expr.h"

namespace vg::rules::lint {

struct Interval {
  double lo, hi;
  bool lo_open = false, hi_open = false;
};

// The values one fact may take.
struct ValueSet {
  bool is_number = false;
  uint64_t mask = 0;                // category or bool: bit i = value i allowed
  int size = 0;                     // category or bool: how many values there are
  std::vector<Interval> intervals;  // number: sorted, disjoint
  bool nan = false;                 // number: NaN allowed

  static ValueSet all_categories(int size);
  static ValueSet all_numbers();
  // Number: { v : v op k } for op one of Eq..Ge.
  static ValueSet compare(CompiledExpr::Op op, double k);
  // Number: the listed values.
  static ValueSet points(std::vector<double> values);

  bool empty() const;
  bool full() const;
  // Whether some value other than NaN is allowed (NaN is never a plausible fact).
  bool has_real_value() const { return is_number ? !intervals.empty() : mask != 0; }
  ValueSet intersect(const ValueSet& o) const;
  ValueSet complement() const;
};

// A part of a condition the analysis cannot see into, required true or false.
struct Opaque {
  std::string text;  // as written
  bool value = true;
};

// One conjunction: a set of values per fact (absent: any value), and opaque parts.
struct Cube {
  std::map<int, ValueSet> facts;         // by slot
  std::map<std::string, Opaque> opaque;  // by structure (the same part written twice is one key)
};

struct Dnf {
  std::vector<Cube> cubes;  // none: impossible
  std::string conflict;     // why a combination was dropped as impossible, the first one (for messages)
};

// "a", "a or b", "a, b or c" (with last = "or").
std::string list_text(const std::vector<std::string>& items, const std::string& last);

// Cubes kept at most; beyond, a condition is treated as unknown (one cube with an opaque part).
inline constexpr size_t kMaxCubes = 256;

class ConditionAnalysis {
 public:
  explicit ConditionAnalysis(const Schema& schema) : schema_(schema) {}

  // The assignments under which `e` evaluates to `want`.
  Dnf admits(const CompiledExpr& e, bool want = true) const;
  // The same for part `id` of e's tree.
  Dnf admits(const CompiledExpr& e, int id, bool want) const { return node(e, id, want); }
  // Both a and b: every pair of cubes, joined; impossible pairs dropped (with the reason).
  Dnf both(const Dnf& a, const Dnf& b) const;

  // "origin cannot be both key_area and local" style texts.
  std::string describe(int slot, const ValueSet& v) const;  // "key_area or local", "above 2"
  std::string describe(const Cube& c) const;                // "origin is key_area and tracked is false"
  const Schema& schema() const { return schema_; }
  // The full value set of the fact in `slot`.
  ValueSet any_value(int slot) const;

 private:
  // Whether the fact's values fit a 64-bit mask (a category of more values is left opaque).
  bool fits_mask(int slot) const;
  Dnf node(const CompiledExpr& e, int id, bool want) const;
  Dnf compare(const CompiledExpr& e, int id, bool want) const;
  Dnf fact(int slot, ValueSet v, bool want) const;
  Dnf opaque(const CompiledExpr& e, int id, bool want) const;
  // Joins two cubes; false (with the reason in `why`) when they cannot both hold.
  bool join(const Cube& a, const Cube& b, Cube& out, std::string& why) const;

  const Schema& schema_;
};

}  // namespace vg::rules::lint
