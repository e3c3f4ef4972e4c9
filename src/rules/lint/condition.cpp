#include "rules/lint/condition.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "rules/expr_internal.h"

namespace vg::rules::lint {

namespace {

using Op = CompiledExpr::Op;
using Kind = ExprTree::Kind;

constexpr double kInf = std::numeric_limits<double>::infinity();

bool nonempty(const Interval& i) { return i.lo < i.hi || (i.lo == i.hi && !i.lo_open && !i.hi_open); }

std::string interval_text(const Interval& i) {
  std::string lo = detail::format_number(i.lo), hi = detail::format_number(i.hi);
  if (i.lo == i.hi) return lo;
  if (i.lo == -kInf) return (i.hi_open ? "below " : "at most ") + hi;
  if (i.hi == kInf) return (i.lo_open ? "above " : "at least ") + lo;
  return "in " + std::string(i.lo_open ? "(" : "[") + lo + ", " + hi + (i.hi_open ? ")" : "]");
}

// A key equal for two parts written alike (whatever the spacing), different otherwise.
std::string shape(const ExprTree& t, int id) {
  const auto& n = t.nodes[size_t(id)];
  std::string s = std::to_string(int(n.kind)) + "/" + std::to_string(int(n.op)) + "/" + std::to_string(n.slot) + "/" +
                  std::to_string(std::bit_cast<uint64_t>(n.k)) + (n.negated ? "!" : "");
  for (double v : n.list) s += "," + detail::format_number(v);
  s += "(";
  for (int k : n.kids) s += shape(t, k) + ";";
  return s + ")";
}

// The text of a part for messages, without parentheses around the whole of it.
std::string part_text(std::string_view s) {
  while (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    int depth = 0;
    size_t close = 0;
    for (size_t i = 0; i < s.size() && close == 0; ++i) {
      depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
      if (depth == 0) close = i;
    }
    if (close + 1 != s.size()) break;  // "(a) + (b)": the first '(' closes before the end
    s = s.substr(1, s.size() - 2);
  }
  return std::string(s);
}

// What the analysis answers past kMaxCubes: anything is possible.
Dnf unknown() {
  Dnf d;
  Cube c;
  c.opaque["?"] = Opaque{"(a condition too complex to analyse)", true};
  d.cubes.push_back(std::move(c));
  return d;
}

}  // namespace

std::string list_text(const std::vector<std::string>& items, const std::string& last) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " " + last + " " : ", ") + items[i];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value sets

ValueSet ValueSet::all_categories(int size) {
  ValueSet v;
  v.size = size;
  v.mask = size >= 64 ? ~uint64_t{0} : (uint64_t{1} << size) - 1;
  return v;
}

ValueSet ValueSet::all_numbers() {
  ValueSet v;
  v.is_number = true;
  v.intervals = {{-kInf, kInf}};
  v.nan = true;
  return v;
}

ValueSet ValueSet::compare(Op op, double k) {
  ValueSet v;
  v.is_number = true;
  if (std::isnan(k)) return op == Op::Ne ? all_numbers() : v;  // NaN equals nothing, itself included
  switch (op) {
    case Op::Eq: v.intervals = {{k, k}}; break;
    case Op::Ne: return points({k}).complement();
    case Op::Lt: v.intervals = {{-kInf, k, false, true}}; break;
    case Op::Le: v.intervals = {{-kInf, k}}; break;
    case Op::Gt: v.intervals = {{k, kInf, true, false}}; break;
    case Op::Ge: v.intervals = {{k, kInf}}; break;
    default: return all_numbers();
  }
  if (!nonempty(v.intervals.front())) v.intervals.clear();
  return v;
}

ValueSet ValueSet::points(std::vector<double> values) {
  ValueSet v;
  v.is_number = true;
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return std::isnan(x); }), values.end());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  for (double x : values) v.intervals.push_back({x, x});
  return v;
}

bool ValueSet::empty() const { return is_number ? intervals.empty() && !nan : mask == 0; }

bool ValueSet::full() const {
  if (!is_number) return mask == all_categories(size).mask;
  return nan && intervals.size() == 1 && intervals[0].lo == -kInf && intervals[0].hi == kInf && !intervals[0].lo_open &&
         !intervals[0].hi_open;
}

ValueSet ValueSet::intersect(const ValueSet& o) const {
  ValueSet v = *this;
  if (!is_number) {
    v.mask &= o.mask;
    return v;
  }
  v.nan = nan && o.nan;
  v.intervals.clear();
  for (const Interval& a : intervals)
    for (const Interval& b : o.intervals) {
      Interval i;
      i.lo = std::max(a.lo, b.lo);
      i.lo_open = (a.lo == i.lo && a.lo_open) || (b.lo == i.lo && b.lo_open);
      i.hi = std::min(a.hi, b.hi);
      i.hi_open = (a.hi == i.hi && a.hi_open) || (b.hi == i.hi && b.hi_open);
      if (nonempty(i)) v.intervals.push_back(i);
    }
  std::sort(v.intervals.begin(), v.intervals.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
  return v;
}

ValueSet ValueSet::complement() const {
  ValueSet v = *this;
  if (!is_number) {
    v.mask = ~mask & all_categories(size).mask;
    return v;
  }
  v.nan = !nan;
  v.intervals.clear();
  double lo = -kInf;
  bool lo_open = false;
  for (const Interval& i : intervals) {
    Interval gap{lo, i.lo, lo_open, !i.lo_open};
    if (nonempty(gap)) v.intervals.push_back(gap);
    lo = i.hi;
    lo_open = !i.hi_open;
  }
  Interval last{lo, kInf, lo_open, false};
  if (nonempty(last)) v.intervals.push_back(last);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Conditions

ValueSet ConditionAnalysis::any_value(int slot) const {
  const FieldDef& f = schema_.fields()[size_t(slot)];
  if (f.type == Type::Number) return ValueSet::all_numbers();
  if (f.type == Type::Bool) return ValueSet::all_categories(2);
  return ValueSet::all_categories(int(schema_.category_sets()[size_t(f.category_set)].values.size()));
}

bool ConditionAnalysis::fits_mask(int slot) const {
  const FieldDef& f = schema_.fields()[size_t(slot)];
  return f.type != Type::Category || schema_.category_sets()[size_t(f.category_set)].values.size() <= 64;
}

Dnf ConditionAnalysis::admits(const CompiledExpr& e, bool want) const {
  if (!e.tree()) {  // the default `true`
    Dnf d;
    if (want)
      d.cubes.emplace_back();
    else
      d.conflict = "it is the constant true";
    return d;
  }
  return node(e, e.tree()->root, want);
}

Dnf ConditionAnalysis::node(const CompiledExpr& e, int id, bool want) const {
  const ExprTree& t = *e.tree();
  const ExprTree::Node& n = t.nodes[size_t(id)];
  switch (n.kind) {
    case Kind::Const: {
      Dnf d;
      if ((n.k != 0.0) == want)
        d.cubes.emplace_back();
      else
        d.conflict = std::string("it is the constant ") + (want ? "false" : "true");
      return d;
    }
    case Kind::Field: {
      ValueSet is_true = ValueSet::all_categories(2);
      is_true.mask = 2;
      return fact(n.slot, is_true, want);
    }
    case Kind::Not: return node(e, n.kids[0], !want);
    case Kind::And:
    case Kind::Or: {
      // `a and b` is true when both are, false when either is false; `or` the other way round.
      const bool join_all = (n.kind == Kind::And) == want;
      Dnf acc = node(e, n.kids[0], want);
      for (size_t i = 1; i < n.kids.size(); ++i) {
        Dnf k = node(e, n.kids[i], want);
        if (join_all) {
          acc = both(acc, k);
          continue;
        }
        if (acc.conflict.empty()) acc.conflict = k.conflict;
        acc.cubes.insert(acc.cubes.end(), k.cubes.begin(), k.cubes.end());
        if (acc.cubes.size() > kMaxCubes) return unknown();
      }
      return acc;
    }
    case Kind::Compare: return compare(e, id, want);
    case Kind::In: {
      const ExprTree::Node& lhs = t.nodes[size_t(n.kids[0])];
      if (lhs.kind != Kind::Field || !fits_mask(lhs.slot)) return opaque(e, id, want);
      ValueSet v = ValueSet::points(n.list);
      if (schema_.fields()[size_t(lhs.slot)].type == Type::Category) {
        v = any_value(lhs.slot);
        v.mask = 0;
        for (double x : n.list) v.mask |= uint64_t{1} << unsigned(x);  // checked: indices of the set
      }
      return fact(lhs.slot, n.negated ? v.complement() : v, want);
    }
    default: return opaque(e, id, want);
  }
}

// A fact compared with a constant is exact; anything else compared is opaque.
Dnf ConditionAnalysis::compare(const CompiledExpr& e, int id, bool want) const {
  const ExprTree& t = *e.tree();
  const ExprTree::Node& n = t.nodes[size_t(id)];
  const ExprTree::Node& a = t.nodes[size_t(n.kids[0])];
  const ExprTree::Node& b = t.nodes[size_t(n.kids[1])];
  int slot = -1;
  double k = 0;
  Op op = n.op;
  if (a.kind == Kind::Field && b.kind == Kind::Const) {
    slot = a.slot;
    k = b.k;
  } else if (b.kind == Kind::Field && a.kind == Kind::Const) {
    slot = b.slot;
    k = a.k;
    op = detail::swapped(op);
  }
  if (slot < 0 || !fits_mask(slot)) return opaque(e, id, want);
  if (schema_.fields()[size_t(slot)].type == Type::Number) return fact(slot, ValueSet::compare(op, k), want);
  // A category (index) or bool (0/1): only == and != reach here.
  ValueSet v = any_value(slot);
  const double index = schema_.fields()[size_t(slot)].type == Type::Bool ? double(k != 0.0) : k;
  v.mask = index >= 0 && index < v.size && index == std::floor(index) ? uint64_t{1} << unsigned(index) : 0;
  return fact(slot, op == Op::Ne ? v.complement() : v, want);
}

Dnf ConditionAnalysis::fact(int slot, ValueSet v, bool want) const {
  if (!want) v = v.complement();
  Dnf d;
  if (v.empty()) {
    d.conflict = "no value of " + schema_.fields()[size_t(slot)].name + " can make it " + (want ? "true" : "false");
    return d;
  }
  Cube c;
  if (!v.full()) c.facts.emplace(slot, std::move(v));
  d.cubes.push_back(std::move(c));
  return d;
}

Dnf ConditionAnalysis::opaque(const CompiledExpr& e, int id, bool want) const {
  const ExprTree::Node& n = e.tree()->nodes[size_t(id)];
  Dnf d;
  Cube c;
  c.opaque.emplace(shape(*e.tree(), id),
                   Opaque{part_text(std::string_view(e.source()).substr(n.begin, n.end - n.begin)), want});
  d.cubes.push_back(std::move(c));
  return d;
}

Dnf ConditionAnalysis::both(const Dnf& a, const Dnf& b) const {
  Dnf d;
  d.conflict = !a.conflict.empty() ? a.conflict : b.conflict;
  for (const Cube& x : a.cubes)
    for (const Cube& y : b.cubes) {
      Cube c;
      std::string why;
      if (join(x, y, c, why))
        d.cubes.push_back(std::move(c));
      else if (d.conflict.empty())
        d.conflict = why;
      if (d.cubes.size() > kMaxCubes) return unknown();
    }
  return d;
}

bool ConditionAnalysis::join(const Cube& a, const Cube& b, Cube& out, std::string& why) const {
  out = a;
  for (const auto& [slot, v] : b.facts) {
    auto [it, fresh] = out.facts.emplace(slot, v);
    if (fresh) continue;
    ValueSet w = it->second.intersect(v);
    if (w.empty()) {
      why = schema_.fields()[size_t(slot)].name + " cannot be both " + describe(slot, it->second) + " and " +
            describe(slot, v);
      return false;
    }
    it->second = std::move(w);
  }
  for (const auto& [key, o] : b.opaque) {
    auto [it, fresh] = out.opaque.emplace(key, o);
    if (!fresh && it->second.value != o.value) {
      why = "'" + o.text + "' cannot be both true and false";
      return false;
    }
  }
  return true;
}

std::string ConditionAnalysis::describe(int slot, const ValueSet& v) const {
  std::vector<std::string> parts;
  if (v.is_number) {
    for (const Interval& i : v.intervals) parts.push_back(interval_text(i));
    if (v.nan) parts.push_back("NaN");
    return list_text(parts, "or");
  }
  const FieldDef& f = schema_.fields()[size_t(slot)];
  auto name = [&](int i) {
    if (f.type == Type::Bool) return std::string(i ? "true" : "false");
    return schema_.category_sets()[size_t(f.category_set)].values[size_t(i)];
  };
  const ValueSet rest = v.complement();
  if (v.size > 2 && std::popcount(rest.mask) == 1) return "other than " + name(std::countr_zero(rest.mask));
  for (int i = 0; i < v.size; ++i)
    if ((v.mask >> i) & 1u) parts.push_back(name(i));
  return list_text(parts, "or");
}

std::string ConditionAnalysis::describe(const Cube& c) const {
  std::string out;
  for (const auto& [slot, v] : c.facts)
    out += (out.empty() ? "" : " and ") + schema_.fields()[size_t(slot)].name + " is " + describe(slot, v);
  for (const auto& [key, o] : c.opaque)
    out += (out.empty() ? "" : " and ") + (o.value ? o.text : "not (" + o.text + ")");
  return out;
}

}  // namespace vg::rules::lint
