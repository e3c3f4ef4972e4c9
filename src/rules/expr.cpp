#include "rules/expr.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "rules/expr_internal.h"

namespace vg::rules {

using namespace detail;

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
// Code generation

namespace {

// K form of a binary op (right operand constant).
Op with_k(Op op) {
  return static_cast<Op>(static_cast<int>(op) - static_cast<int>(Op::Add) + static_cast<int>(Op::AddK));
}
Op with_slot_k(Op op) {
  return static_cast<Op>(static_cast<int>(op) - static_cast<int>(Op::Eq) + static_cast<int>(Op::EqSK));
}
// Min/Max are left out: for -0 and +0 the order of operands decides the result's sign.
bool commutes(Op op) { return op == Op::Add || op == Op::Mul || is_comparison(op); }

const char* op_name(Op op) {
  static const char* const names[] = {
      "halt",  "const", "load",  "load_bool", "neg",     "not",       "abs",     "add",   "sub",   "mul",   "div",
      "min",   "max",   "eq",    "ne",        "lt",      "le",        "gt",      "ge",    "add_k", "sub_k", "mul_k",
      "div_k", "min_k", "max_k", "eq_k",      "ne_k",    "lt_k",      "le_k",    "gt_k",  "ge_k",  "eq_sk", "ne_sk",
      "lt_sk", "le_sk", "gt_sk", "ge_sk",     "in_mask", "in_mask_s", "in_list", "jmp_f", "jmp_t"};
  static_assert(sizeof names / sizeof names[0] == static_cast<size_t>(Op::JmpT) + 1);
  return names[static_cast<size_t>(op)];
}

// Copies the checked tree below `id` into `out` (folded parts as constants); returns its index.
int copy_tree(const std::vector<Node>& nodes, int id, const Reporter& r, ExprTree& out) {
  using K = ExprTree::Kind;
  const Node& x = nodes[size_t(id)];
  ExprTree::Node n;
  n.begin = x.pos;
  n.end = x.end;
  n.loc = r.at(x.pos);
  n.type = x.vt == VT::Bool ? Type::Bool : x.vt == VT::Category ? Type::Category : Type::Number;
  n.slot = x.slot;
  n.op = x.op;
  n.negated = x.negated;
  size_t first_kid = 0;
  if (x.is_k) {
    n.kind = K::Const;
    n.k = x.k;
    first_kid = x.kids.size();
  } else {
    switch (x.kind) {
      case NK::Field: n.kind = K::Field; break;
      case NK::Neg: n.kind = K::Neg; break;
      case NK::Not: n.kind = K::Not; break;
      case NK::Bin: n.kind = is_comparison(x.op) ? K::Compare : K::Arith; break;
      case NK::AndOr: n.kind = x.op == Op::JmpF ? K::And : K::Or; break;
      case NK::Call:
        n.kind = x.fn == Fn::Abs ? K::Abs : x.fn == Fn::Min ? K::Min : x.fn == Fn::Max ? K::Max : K::DaysSince;
        break;
      case NK::In:
        n.kind = K::In;
        for (size_t i = 1; i < x.kids.size(); ++i) n.list.push_back(nodes[size_t(x.kids[i])].k);
        n.kids.push_back(copy_tree(nodes, x.kids[0], r, out));
        first_kid = x.kids.size();  // the list is constants, kept as values
        break;
      case NK::Num:
      case NK::Bool:
      case NK::Str: break;  // always constant, handled above
    }
  }
  for (size_t i = first_kid; i < x.kids.size(); ++i) n.kids.push_back(copy_tree(nodes, x.kids[i], r, out));
  out.nodes.push_back(std::move(n));
  return int(out.nodes.size() - 1);
}

}  // namespace

class ExprCompiler {
 public:
  explicit ExprCompiler(const std::vector<Node>& nodes) : nodes_(nodes) { out_.code_.clear(); }

  CompiledExpr compile(int root, std::string_view source, Type type, int category_set, const SourceLoc& loc,
                       std::shared_ptr<const ExprTree> tree) {
    emit(root);
    put(Op::Halt, 0);
    out_.source_ = std::string(source);
    out_.loc_ = loc;
    out_.tree_ = std::move(tree);
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
      case Op::Add:
        --sp;
        sp[-1] = sp[-1] + sp[0];
        break;
      case Op::Sub:
        --sp;
        sp[-1] = sp[-1] - sp[0];
        break;
      case Op::Mul:
        --sp;
        sp[-1] = sp[-1] * sp[0];
        break;
      case Op::Div:
        --sp;
        sp[-1] = sp[-1] / sp[0];
        break;
      case Op::Min:
        --sp;
        sp[-1] = num_min(sp[-1], sp[0]);
        break;
      case Op::Max:
        --sp;
        sp[-1] = num_max(sp[-1], sp[0]);
        break;
      case Op::Eq:
        --sp;
        sp[-1] = b2d(sp[-1] == sp[0]);
        break;
      case Op::Ne:
        --sp;
        sp[-1] = b2d(sp[-1] != sp[0]);
        break;
      case Op::Lt:
        --sp;
        sp[-1] = b2d(sp[-1] < sp[0]);
        break;
      case Op::Le:
        --sp;
        sp[-1] = b2d(sp[-1] <= sp[0]);
        break;
      case Op::Gt:
        --sp;
        sp[-1] = b2d(sp[-1] > sp[0]);
        break;
      case Op::Ge:
        --sp;
        sp[-1] = b2d(sp[-1] >= sp[0]);
        break;
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
        if (sp[-1] == 0.0)
          ip = code + in.a;
        else
          --sp;
        break;
      case Op::JmpT:
        if (sp[-1] != 0.0)
          ip = code + in.a;
        else
          --sp;
        break;
    }
  }
}

std::vector<int> CompiledExpr::fields_read() const {
  std::vector<int> out;
  for (const Instr& in : code_) {
    bool reads =
        in.op == Op::Load || in.op == Op::LoadBool || in.op == Op::InMaskS || (in.op >= Op::EqSK && in.op <= Op::GeSK);
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
  return compile_expr(text, TextOrigin::verbatim(text, loc, continuation_col), schema, diags, expected);
}

std::optional<CompiledExpr> compile_expr(std::string_view text, const TextOrigin& origin, const Schema& schema,
                                         Diagnostics& diags, Type expected) {
  Reporter r(text, origin, diags);
  const SourceLoc loc = origin.at(0);
  if (text.size() > kMaxExprLength) {
    r.error(0, "expression is too long (" + std::to_string(text.size()) + " characters; at most " +
                   std::to_string(kMaxExprLength) + ")");
    return std::nullopt;
  }
  std::vector<Node> nodes;
  int root = -1;
  try {
    std::vector<Token> toks = lex(r);
    nodes.reserve(toks.size());
    root = parse(toks, r, nodes);
  } catch (const ParseAbort&) {
    return std::nullopt;
  }

  if (!check_tree(schema, r, nodes, root)) return std::nullopt;
  const Node& top = nodes[root];
  const Type got = top.vt == VT::Bool ? Type::Bool : top.vt == VT::Number ? Type::Number : Type::Category;
  if (got != expected) {
    r.error(top.pos, std::string("expected a ") + type_name(expected) + " expression, got " + type_name(got));
    return std::nullopt;
  }

  auto tree = std::make_shared<ExprTree>();
  tree->root = copy_tree(nodes, root, r, *tree);
  CompiledExpr out = ExprCompiler(nodes).compile(root, text, got, got == Type::Category ? top.set : -1, loc, tree);
  if (out.max_stack() > kEvalStackCapacity) {  // unreachable by the token bound; kept as a guard
    r.error(0, "expression is too complex to evaluate");
    return std::nullopt;
  }
  return out;
}

}  // namespace vg::rules
