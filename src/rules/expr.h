// The condition language of policy rules (`when:` in the YAML). A condition is parsed, checked
// against a Schema of the facts it may read, and compiled once into a flat stack program that is
// then evaluated for every entity, from many threads, with no allocation. The language reference
// for rule authors is docs/expressions.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/source.h"

namespace vg::rules {

enum class Type : uint8_t { Bool, Number, Category };

// "bool", "number", "category" (the spelling used in diagnostics and docs).
const char* type_name(Type t);

struct CategorySet {
  std::string name;
  std::vector<std::string> values;
};

struct FieldDef {
  std::string name;
  Type type;
  int category_set = -1;
  std::string doc;
};

// The facts a condition may read. Built by code (not by users), so misuse throws
// std::invalid_argument instead of producing diagnostics.
class Schema {
 public:
  int add_category_set(std::string name, std::vector<std::string> values);
  int add_field(std::string name, Type type, int category_set = -1, std::string doc = {});

  int find_field(std::string_view name) const;                     // -1 if absent
  int find_category_set(std::string_view name) const;              // -1 if absent
  int find_value(int category_set, std::string_view value) const;  // value's index, -1 if absent

  const std::vector<FieldDef>& fields() const { return fields_; }
  const std::vector<CategorySet>& category_sets() const { return sets_; }
  size_t slot_count() const { return fields_.size(); }

 private:
  std::vector<FieldDef> fields_;
  std::vector<CategorySet> sets_;
  std::map<std::string, int, std::less<>> field_index_;
  std::map<std::string, int, std::less<>> set_index_;
};

// Limits on one expression. They keep parsing and checking bounded on hostile input; the token
// bound also caps the evaluation stack (see kEvalStackCapacity).
inline constexpr size_t kMaxExprLength = 4096;  // characters (bytes)
inline constexpr int kMaxExprDepth = 64;        // nested (), [], calls, unary '-' and 'not'
inline constexpr size_t kMaxExprTokens = 1024;
// Every pending stack value needs an operand token and an operator token after it, so a program
// from at most kMaxExprTokens tokens never needs more than half as many stack slots.
inline constexpr int kEvalStackCapacity = static_cast<int>(kMaxExprTokens / 2);

// The schema field days_since(x) subtracts from.
inline constexpr std::string_view kTodayField = "today";

struct ExprTree;

class CompiledExpr {
 public:
  enum class Op : uint8_t {
    Halt,
    Const,     // push k
    Load,      // push slots[a]
    LoadBool,  // push slots[a] != 0 (so a sloppy 2.0 still reads as true)
    Neg,
    Not,
    Abs,
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    // Right operand is the constant k: the common "field op literal" needs one stack slot less.
    AddK,
    SubK,
    MulK,
    DivK,
    MinK,
    MaxK,
    EqK,
    NeK,
    LtK,
    LeK,
    GtK,
    GeK,
    // push slots[a] op k: the typical comparison of a fact with a literal in one dispatch.
    EqSK,
    NeSK,
    LtSK,
    LeSK,
    GtSK,
    GeSK,
    InMask,   // top = top is a category index whose bit is set in the 64-bit mask k
    InMaskS,  // push slots[a] is an index whose bit is set in mask k
    InList,   // top = top equals one of pool[a .. a+n)
    JmpF,     // top == 0 ? jump to a (keeping it) : pop   -- 'and'
    JmpT,     // top != 0 ? jump to a (keeping it) : pop   -- 'or'
  };
  struct Instr {
    Op op = Op::Halt;
    uint8_t unused = 0;
    uint16_t n = 0;
    int32_t a = 0;
    uint64_t k = 0;  // a double's bits, or a mask; kept as bits so no FP move can touch a mask
  };

  // The constant `true`: what a rule without `when:` means.
  CompiledExpr();

  // Evaluate against one entity's slots (slot i holds field i; see Schema). Thread-safe, no
  // allocation. eval_bool is "result != 0"; eval_number returns the raw result (a Bool result is
  // 0/1, a Category result the value's index).
  // A program of one comparison of a fact with a literal (`origin == "key_area"`, `day >= 3`: most
  // conditions) is evaluated here, inline, without the interpreter's loop; the same comparison, so
  // the same result.
  bool eval_bool(const double* slots) const {
    if (code_.size() == 2 && code_[0].op >= Op::EqSK && code_[0].op <= Op::GeSK) {
      const Instr& in = code_[0];
      const double x = slots[in.a];  // only a comparison reads a slot here (a constant needs none)
      double k;
      std::memcpy(&k, &in.k, sizeof k);
      switch (in.op) {
        case Op::EqSK: return x == k;
        case Op::NeSK: return x != k;
        case Op::LtSK: return x < k;
        case Op::LeSK: return x <= k;
        case Op::GtSK: return x > k;
        case Op::GeSK: return x >= k;
        default: break;
      }
    }
    return run(slots) != 0.0;
  }
  double eval_number(const double* slots) const { return run(slots); }

  Type type() const { return type_; }
  int category_set() const { return category_set_; }  // -1 unless type() is Category
  const std::string& source() const { return source_; }
  // Where source() starts in its file (no file for the default `true`).
  const SourceLoc& loc() const { return loc_; }
  // The checked, folded syntax the program was generated from, for analysis and coverage
  // (src/rules/lint); null for the default `true`.
  const ExprTree* tree() const { return tree_.get(); }
  // Sorted, distinct slots the program reads. Constant folding can drop reads ("x > 1 and
  // false" reads nothing); days_since adds the slot of `today`.
  std::vector<int> fields_read() const;
  bool is_constant() const;
  std::optional<double> constant_value() const;

  const std::vector<Instr>& code() const { return code_; }
  int max_stack() const { return max_stack_; }
  // One instruction a line, for debugging and `explain` output.
  std::string disassemble() const;

 private:
  friend class ExprCompiler;
  double run(const double* slots) const;

  std::vector<Instr> code_;
  std::vector<double> pool_;  // InList values
  std::string source_;
  SourceLoc loc_;
  std::shared_ptr<const ExprTree> tree_;  // shared: copies of a compiled condition share one tree
  Type type_ = Type::Bool;
  int category_set_ = -1;
  int max_stack_ = 1;
};

// A compiled condition as a tree: what its program computes, operator by operator, after names are
// resolved and constant parts folded, with where each part was written. Read by the rule analysis
// and by rule-test coverage (src/rules/lint); evaluation never uses it.
struct ExprTree {
  enum class Kind : uint8_t {
    Const,  // k (folded parts too)
    Field,  // slots[slot] (a bool field reads as 0/1)
    Neg,
    Not,
    Abs,
    Arith,    // kids[0] op kids[1], op one of Add..Div
    Compare,  // kids[0] op kids[1], op one of Eq..Ge
    And,
    Or,  // two or more kids
    In,  // kids[0] in (or, negated, not in) `list`
    Min,
    Max,        // two or more kids
    DaysSince,  // slots[slot] (today) - kids[0]
  };
  struct Node {
    Kind kind = Kind::Const;
    CompiledExpr::Op op = CompiledExpr::Op::Halt;
    bool negated = false;
    Type type = Type::Bool;
    int slot = -1;
    double k = 0;
    std::vector<double> list;
    std::vector<int> kids;
    uint32_t begin = 0, end = 0;  // its text: source().substr(begin, end - begin)
    SourceLoc loc;                // where that text starts
  };
  std::vector<Node> nodes;
  int root = -1;
};

// Parses, type-checks and compiles `text`. `loc` is the position of text's first character in its
// YAML file; diagnostics point at loc shifted by the offending token's offset. After a newline in
// text the line advances and the column restarts at `continuation_col`: 1 for text copied verbatim,
// or the first column of a YAML block scalar's content (its indentation + 1), whose lines reach us
// without that indentation. Returns nullopt on error, with every
// error found in `diags` (parse errors stop at the first; type errors are all reported). The only
// warning it adds is for a value listed twice after `in`; warning about a condition that is
// always true/false (is_constant()) is left to the caller, which knows the rule's context.
std::optional<CompiledExpr> compile_expr(std::string_view text, const SourceLoc& loc, const Schema& schema,
                                         Diagnostics& diags, Type expected = Type::Bool, int continuation_col = 1);
// The same, for text whose characters were not written along one line each (a YAML scalar over
// several lines, folded or indented): `origin` places each of them (config::YamlNode::text_origin).
std::optional<CompiledExpr> compile_expr(std::string_view text, const TextOrigin& origin, const Schema& schema,
                                         Diagnostics& diags, Type expected = Type::Bool);

}  // namespace vg::rules
