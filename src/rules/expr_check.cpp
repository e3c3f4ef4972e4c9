// The condition language's type checker and constant folder.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "rules/expr_internal.h"

namespace vg::rules::detail {

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

namespace {

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
    if (k.vt == VT::String)
      string_misuse(k);
    else if (k.vt != VT::Error)
      r_.error(k.pos, what + ", got " + vt_name(k.vt));
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
        // A category's value written without quotes (origin == key_area): the value, quoted.
        std::string value_of;
        for (const auto& set : schema_.category_sets())
          if (value_of.empty() && std::find(set.values.begin(), set.values.end(), x.spell) != set.values.end())
            value_of = set.name;
        if (!k.empty())
          msg += "; did you mean '" + std::string(k) + "'?";
        else if (!value_of.empty())
          msg += "; '" + std::string(x.spell) + "' is a value of " + value_of + ": write it in quotes, \"" +
                 std::string(x.spell) + "\"";
        else
          msg += did_you_mean(x.spell, names_);
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
      if (a.vt == VT::Category || b.vt == VT::Category) msg += "; write category values as strings, as in " + example_;
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
          if (e.vt == VT::String)
            r_.error(e.tok, "the list after " + op + " must hold numbers, got a string");
          else if (e.vt != VT::Error)
            r_.error(e.pos, "the list after " + op + " must hold numbers, got " + vt_name(e.vt));
          ok = false;
        } else if (!e.is_k) {
          r_.error(e.pos, "the list after " + op + " must hold constants");
          ok = false;
        }
      }
      if (!ok) continue;
      for (size_t j = 1; j < i; ++j) {
        if (kid(x, j).k != e.k) continue;
        r_.warning(e.pos,
                   (e.kind == NK::Str ? "'" + std::string(e.spell) + "'" : format_number(e.k)) + " is listed twice");
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
}  // namespace

bool check_tree(const Schema& schema, Reporter& r, std::vector<Node>& nodes, int root) {
  const size_t errors_before = r.error_count();
  Checker checker(schema, r, nodes);
  checker.check(root);
  if (r.error_count() != errors_before) return false;
  return checker.usable(root);
}

}  // namespace vg::rules::detail
