// Expressions (CPython 3.10's compiler_visit_expr1 and its helpers):
// operators, conditional jumps, calls, displays with unpacking, subscripts,
// f-strings, and the SyntaxWarnings about literals that compile.c emits.
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "codegen/compiler.h"
#include "codegen/pyarith.h"

namespace xpyc::codegen {

using ast::ExprContext;
using ast::ExprId;
using ast::ExprKind;
using marshal::Type;

namespace {

constexpr size_t kMaxStackUse = 30;  // STACK_USE_GUIDELINE

Opcode BinaryOpcode(ast::Operator op) {
  switch (op) {
    case ast::Operator::Add: return Opcode::BINARY_ADD;
    case ast::Operator::Sub: return Opcode::BINARY_SUBTRACT;
    case ast::Operator::Mult: return Opcode::BINARY_MULTIPLY;
    case ast::Operator::MatMult: return Opcode::BINARY_MATRIX_MULTIPLY;
    case ast::Operator::Div: return Opcode::BINARY_TRUE_DIVIDE;
    case ast::Operator::Mod: return Opcode::BINARY_MODULO;
    case ast::Operator::Pow: return Opcode::BINARY_POWER;
    case ast::Operator::LShift: return Opcode::BINARY_LSHIFT;
    case ast::Operator::RShift: return Opcode::BINARY_RSHIFT;
    case ast::Operator::BitOr: return Opcode::BINARY_OR;
    case ast::Operator::BitXor: return Opcode::BINARY_XOR;
    case ast::Operator::BitAnd: return Opcode::BINARY_AND;
    case ast::Operator::FloorDiv: return Opcode::BINARY_FLOOR_DIVIDE;
  }
  return Opcode::NOP;
}

Opcode UnaryOpcode(ast::UnaryOperator op) {
  switch (op) {
    case ast::UnaryOperator::Invert: return Opcode::UNARY_INVERT;
    case ast::UnaryOperator::Not: return Opcode::UNARY_NOT;
    case ast::UnaryOperator::UAdd: return Opcode::UNARY_POSITIVE;
    case ast::UnaryOperator::USub: return Opcode::UNARY_NEGATIVE;
  }
  return Opcode::NOP;
}

// The type name of a constant, as Python's type(v).__name__.
const char* ConstantTypeName(Ref v) {
  switch (v->type) {
    case Type::None: return "NoneType";
    case Type::True:
    case Type::False: return "bool";
    case Type::Ellipsis: return "ellipsis";
    case Type::Int: return "int";
    case Type::Float: return "float";
    case Type::Complex: return "complex";
    case Type::Str: return "str";
    case Type::Bytes: return "bytes";
    case Type::Tuple: return "tuple";
    case Type::FrozenSet: return "frozenset";
    case Type::Set: return "set";
    case Type::List: return "list";
    case Type::Dict: return "dict";
    case Type::Code: return "code";
    case Type::Null:
    case Type::StopIteration: return "object";
  }
  return "object";
}

// infer_type: the type an expression certainly has, or null.
const char* InferType(const ast::ExprNode& e) {
  switch (e.kind) {
    case ExprKind::Tuple: return "tuple";
    case ExprKind::List:
    case ExprKind::ListComp: return "list";
    case ExprKind::Dict:
    case ExprKind::DictComp: return "dict";
    case ExprKind::Set:
    case ExprKind::SetComp: return "set";
    case ExprKind::GeneratorExp: return "generator";
    case ExprKind::Lambda: return "function";
    case ExprKind::JoinedStr:
    case ExprKind::FormattedValue: return "str";
    case ExprKind::Constant: return ConstantTypeName(e.Constant.value);
    default: return nullptr;
  }
}

// check_is_arg: None, True, False and Ellipsis may be compared with `is`.
bool IsAllowedIsOperand(const ast::ExprNode& e) {
  if (e.kind != ExprKind::Constant) return true;
  const Type t = e.Constant.value->type;
  return t == Type::None || t == Type::True || t == Type::False || t == Type::Ellipsis;
}

}  // namespace

void Compiler::VisitExprs(ast::Seq<ExprId> exprs) {
  for (ExprId id : tree_[exprs]) VisitExpr(id);
}

// compiler_visit_expr: the expression's location for its instructions, then
// the enclosing one again.
void Compiler::VisitExpr(ExprId id) {
  if (failed_) return;
  const SourceLocation saved = CurrentLocation();
  SetLoc(tree_[id].pos);
  VisitExpr1(id);
  RestoreLocation(saved);
}

void Compiler::VisitExpr1(ExprId id) {
  const ast::ExprNode& e = tree_[id];
  switch (e.kind) {
    case ExprKind::NamedExpr:
      VisitExpr(e.NamedExpr.value);
      AddOp(Opcode::DUP_TOP);
      VisitExpr(e.NamedExpr.target);
      return;
    case ExprKind::BoolOp: BoolOp(e); return;
    case ExprKind::BinOp:
      VisitExpr(e.BinOp.left);
      VisitExpr(e.BinOp.right);
      AddOp(BinaryOpcode(e.BinOp.op));
      return;
    case ExprKind::UnaryOp:
      VisitExpr(e.UnaryOp.operand);
      AddOp(UnaryOpcode(e.UnaryOp.op));
      return;
    case ExprKind::Lambda: CompileLambda(id); return;
    case ExprKind::IfExp: IfExp(e); return;
    case ExprKind::Dict: Dict(e); return;
    case ExprKind::Set:
      StarUnpackHelper(e.Set.elts, 0, Opcode::BUILD_SET, Opcode::SET_ADD, Opcode::SET_UPDATE,
                       false);
      return;
    case ExprKind::GeneratorExp:
    case ExprKind::ListComp:
    case ExprKind::SetComp:
    case ExprKind::DictComp: CompileComprehension(id); return;
    case ExprKind::Yield:
      if (u().ste->type != symtable::BlockType::Function) return Error("'yield' outside function");
      if (!e.Yield.value.IsNone()) {
        VisitExpr(e.Yield.value);
      } else {
        LoadNone();
      }
      AddOp(Opcode::YIELD_VALUE);
      return;
    case ExprKind::YieldFrom:
      if (u().ste->type != symtable::BlockType::Function) return Error("'yield' outside function");
      if (u().scope == ScopeType::AsyncFunction) {
        return Error("'yield from' inside async function");
      }
      VisitExpr(e.YieldFrom.value);
      AddOp(Opcode::GET_YIELD_FROM_ITER);
      LoadNone();
      AddOp(Opcode::YIELD_FROM);
      return;
    case ExprKind::Await:
      if (u().ste->type != symtable::BlockType::Function) return Error("'await' outside function");
      if (u().scope != ScopeType::AsyncFunction && u().scope != ScopeType::Comprehension) {
        return Error("'await' outside async function");
      }
      VisitExpr(e.Await.value);
      AddOp(Opcode::GET_AWAITABLE);
      LoadNone();
      AddOp(Opcode::YIELD_FROM);
      return;
    case ExprKind::Compare: Compare(e); return;
    case ExprKind::Call: Call(e); return;
    case ExprKind::Constant: LoadConst(e.Constant.value); return;
    case ExprKind::JoinedStr: JoinedStr(e); return;
    case ExprKind::FormattedValue: FormattedValue(e); return;
    case ExprKind::Attribute: Attribute(e); return;
    case ExprKind::Subscript: Subscript(id); return;
    case ExprKind::Starred:
      if (e.Starred.ctx == ExprContext::Store) {
        return Error("starred assignment target must be in a list or tuple");
      }
      return Error("can't use starred expression here");
    case ExprKind::Slice: Slice(e); return;
    case ExprKind::Name: NameOp(e.Name.id, e.Name.ctx); return;
    case ExprKind::List:
      if (e.List.ctx == ExprContext::Store) return AssignmentHelper(e.List.elts);
      if (e.List.ctx == ExprContext::Load) {
        return StarUnpackHelper(e.List.elts, 0, Opcode::BUILD_LIST, Opcode::LIST_APPEND,
                                Opcode::LIST_EXTEND, false);
      }
      return VisitExprs(e.List.elts);
    case ExprKind::Tuple:
      if (e.Tuple.ctx == ExprContext::Store) return AssignmentHelper(e.Tuple.elts);
      if (e.Tuple.ctx == ExprContext::Load) {
        return StarUnpackHelper(e.Tuple.elts, 0, Opcode::BUILD_LIST, Opcode::LIST_APPEND,
                                Opcode::LIST_EXTEND, true);
      }
      return VisitExprs(e.Tuple.elts);
  }
}

// Attribute loads and stores take the line where the attribute name ends.
void Compiler::Attribute(const ast::ExprNode& e) {
  VisitExpr(e.Attribute.value);
  const NameId attr = e.Attribute.attr;
  const int32_t lineno = code().lineno();
  switch (e.Attribute.ctx) {
    case ExprContext::Load:
      code().set_lineno(e.pos.end_lineno);
      AddOpName(Opcode::LOAD_ATTR, attr);
      break;
    case ExprContext::Store:
      if (ForbiddenName(Spelling(attr), ExprContext::Store)) return;
      code().set_lineno(e.pos.end_lineno);
      AddOpName(Opcode::STORE_ATTR, attr);
      break;
    case ExprContext::Del:
      AddOpName(Opcode::DELETE_ATTR, attr);
      break;
  }
  code().set_lineno(lineno);
}

// ---- boolean operators and conditional jumps ----------------------------------

void Compiler::BoolOp(const ast::ExprNode& e) {
  const Opcode jump = e.BoolOp.op == ast::BoolOperator::And ? Opcode::JUMP_IF_FALSE_OR_POP
                                                             : Opcode::JUMP_IF_TRUE_OR_POP;
  const BlockId end = NewBlock();
  const auto values = tree_[e.BoolOp.values];
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    VisitExpr(values[i]);
    AddJump(jump, end);
    UseNextBlock(NewBlock());
  }
  VisitExpr(values.back());
  UseNextBlock(end);
}

void Compiler::IfExp(const ast::ExprNode& e) {
  const BlockId end = NewBlock();
  const BlockId next = NewBlock();
  JumpIf(e.IfExp.test, next, false);
  VisitExpr(e.IfExp.body);
  code().AddJumpNoLine(Opcode::JUMP_FORWARD, end);
  UseNextBlock(next);
  VisitExpr(e.IfExp.orelse);
  UseNextBlock(end);
}

// compiler_jump_if: jumps to `next` when the truth of `id` is `cond`,
// without materialising booleans for not/and/or/if-else/chained compares.
void Compiler::JumpIf(ExprId id, BlockId next, bool cond) {
  if (failed_) return;
  const ast::ExprNode& e = tree_[id];
  switch (e.kind) {
    case ExprKind::UnaryOp:
      if (e.UnaryOp.op == ast::UnaryOperator::Not) return JumpIf(e.UnaryOp.operand, next, !cond);
      break;
    case ExprKind::BoolOp: {
      const auto values = tree_[e.BoolOp.values];
      const bool cond2 = e.BoolOp.op == ast::BoolOperator::Or;
      const BlockId next2 = cond2 != cond ? NewBlock() : next;
      for (size_t i = 0; i + 1 < values.size(); ++i) JumpIf(values[i], next2, cond2);
      JumpIf(values.back(), next, cond);
      if (!(next2 == next)) UseNextBlock(next2);
      return;
    }
    case ExprKind::IfExp: {
      const BlockId end = NewBlock();
      const BlockId next2 = NewBlock();
      JumpIf(e.IfExp.test, next2, false);
      JumpIf(e.IfExp.body, next, cond);
      code().AddJumpNoLine(Opcode::JUMP_FORWARD, end);
      UseNextBlock(next2);
      JumpIf(e.IfExp.orelse, next, cond);
      UseNextBlock(end);
      return;
    }
    case ExprKind::Compare: {
      SetLoc(e.pos);  // 3.10 keeps the comparison's line for what follows
      const auto ops = tree_[e.Compare.ops];
      const auto comparators = tree_[e.Compare.comparators];
      const size_t n = ops.size() - 1;
      if (n == 0) break;
      if (!CheckCompare(e)) return;
      const BlockId cleanup = NewBlock();
      VisitExpr(e.Compare.left);
      ChainedCompare(e, cleanup, Opcode::POP_JUMP_IF_FALSE);
      AddJump(cond ? Opcode::POP_JUMP_IF_TRUE : Opcode::POP_JUMP_IF_FALSE, next);
      NextBlock();
      const BlockId end = NewBlock();
      code().AddJumpNoLine(Opcode::JUMP_FORWARD, end);
      UseNextBlock(cleanup);
      AddOp(Opcode::POP_TOP);
      if (!cond) code().AddJumpNoLine(Opcode::JUMP_FORWARD, next);
      UseNextBlock(end);
      return;
    }
    default:
      break;
  }
  VisitExpr(id);
  AddJump(cond ? Opcode::POP_JUMP_IF_TRUE : Opcode::POP_JUMP_IF_FALSE, next);
  NextBlock();
}

// ---- comparisons -------------------------------------------------------------------

void Compiler::AddCompare(ast::CmpOperator op) {
  switch (op) {
    case ast::CmpOperator::Eq: return AddOp(Opcode::COMPARE_OP, 2);
    case ast::CmpOperator::NotEq: return AddOp(Opcode::COMPARE_OP, 3);
    case ast::CmpOperator::Lt: return AddOp(Opcode::COMPARE_OP, 0);
    case ast::CmpOperator::LtE: return AddOp(Opcode::COMPARE_OP, 1);
    case ast::CmpOperator::Gt: return AddOp(Opcode::COMPARE_OP, 4);
    case ast::CmpOperator::GtE: return AddOp(Opcode::COMPARE_OP, 5);
    case ast::CmpOperator::Is: return AddOp(Opcode::IS_OP, 0);
    case ast::CmpOperator::IsNot: return AddOp(Opcode::IS_OP, 1);
    case ast::CmpOperator::In: return AddOp(Opcode::CONTAINS_OP, 0);
    case ast::CmpOperator::NotIn: return AddOp(Opcode::CONTAINS_OP, 1);
  }
}

// check_compare: `is` / `is not` with a literal operand warns.
bool Compiler::CheckCompare(const ast::ExprNode& e) {
  bool left = IsAllowedIsOperand(tree_[e.Compare.left]);
  const auto ops = tree_[e.Compare.ops];
  const auto comparators = tree_[e.Compare.comparators];
  for (size_t i = 0; i < ops.size(); ++i) {
    const bool right = IsAllowedIsOperand(tree_[comparators[i]]);
    if ((ops[i] == ast::CmpOperator::Is || ops[i] == ast::CmpOperator::IsNot) &&
        (!right || !left)) {
      Warn(ops[i] == ast::CmpOperator::Is ? "\"is\" with a literal. Did you mean \"==\"?"
                                          : "\"is not\" with a literal. Did you mean \"!=\"?");
      return !failed_;
    }
    left = right;
  }
  return true;
}

// `a < b < c` with `a` on the stack: every comparison but the last keeps
// its right operand for the next one and leaves through `fail_jump` to
// `cleanup` when false; the last comparison's result stays on the stack.
void Compiler::ChainedCompare(const ast::ExprNode& e, BlockId cleanup, Opcode fail_jump) {
  const auto ops = tree_[e.Compare.ops];
  const auto comparators = tree_[e.Compare.comparators];
  const size_t n = ops.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    VisitExpr(comparators[i]);
    AddOp(Opcode::DUP_TOP);
    AddOp(Opcode::ROT_THREE);
    AddCompare(ops[i]);
    AddJump(fail_jump, cleanup);
    NextBlock();
  }
  VisitExpr(comparators[n]);
  AddCompare(ops[n]);
}

void Compiler::Compare(const ast::ExprNode& e) {
  if (!CheckCompare(e)) return;
  VisitExpr(e.Compare.left);
  const auto ops = tree_[e.Compare.ops];
  const auto comparators = tree_[e.Compare.comparators];
  const size_t n = ops.size() - 1;
  if (n == 0) {
    VisitExpr(comparators[0]);
    AddCompare(ops[0]);
    return;
  }
  const BlockId cleanup = NewBlock();
  ChainedCompare(e, cleanup, Opcode::JUMP_IF_FALSE_OR_POP);
  const BlockId end = NewBlock();
  code().AddJumpNoLine(Opcode::JUMP_FORWARD, end);
  UseNextBlock(cleanup);
  AddOp(Opcode::ROT_TWO);
  AddOp(Opcode::POP_TOP);
  UseNextBlock(end);
}

// ---- calls --------------------------------------------------------------------------

bool Compiler::CheckCaller(ExprId func) {
  const ast::ExprNode& e = tree_[func];
  switch (e.kind) {
    case ExprKind::Constant:
    case ExprKind::Tuple:
    case ExprKind::List:
    case ExprKind::ListComp:
    case ExprKind::Dict:
    case ExprKind::DictComp:
    case ExprKind::Set:
    case ExprKind::SetComp:
    case ExprKind::GeneratorExp:
    case ExprKind::JoinedStr:
    case ExprKind::FormattedValue:
      Warn(fmt::format("'{}' object is not callable; perhaps you missed a comma?", InferType(e)));
      return !failed_;
    default:
      return true;
  }
}

void Compiler::Call(const ast::ExprNode& e) {
  if (MaybeOptimizeMethodCall(e)) return;
  if (!CheckCaller(e.Call.func)) return;
  VisitExpr(e.Call.func);
  CallHelper(0, e.Call.args, e.Call.keywords);
}

// maybe_optimize_method_call: `obj.meth(args)` without keywords or starred
// arguments becomes LOAD_METHOD / CALL_METHOD, on the line of the attribute.
bool Compiler::MaybeOptimizeMethodCall(const ast::ExprNode& e) {
  const ast::ExprNode& meth = tree_[e.Call.func];
  if (meth.kind != ExprKind::Attribute || meth.Attribute.ctx != ExprContext::Load ||
      !e.Call.keywords.empty() || e.Call.args.size() >= kMaxStackUse) {
    return false;
  }
  for (ExprId arg : tree_[e.Call.args]) {
    if (tree_[arg].kind == ExprKind::Starred) return false;
  }
  VisitExpr(meth.Attribute.value);
  const int32_t lineno = code().lineno();
  code().set_lineno(meth.pos.end_lineno);
  AddOpName(Opcode::LOAD_METHOD, meth.Attribute.attr);
  VisitExprs(e.Call.args);
  AddOp(Opcode::CALL_METHOD, static_cast<int32_t>(e.Call.args.size()));
  code().set_lineno(lineno);
  return true;
}

// validate_keywords: `__debug__=` and repeated keywords. CPython reports the
// first keyword (in order) that is repeated later, at its first repetition.
bool Compiler::ValidateKeywords(ast::Seq<ast::KeywordId> keywords) {
  std::unordered_map<std::string_view, size_t> first_seen;
  size_t best_first = SIZE_MAX, best_repeat = 0;
  const auto kws = tree_[keywords];
  for (size_t i = 0; i < kws.size(); ++i) {
    const ast::KeywordNode& kw = tree_[kws[i]];
    if (kw.arg.IsNone()) continue;
    if (ForbiddenName(Spelling(kw.arg), ExprContext::Store)) return false;
    auto [it, inserted] = first_seen.emplace(Spelling(kw.arg), i);
    if (!inserted && it->second < best_first) {
      best_first = it->second;
      best_repeat = i;
    }
  }
  if (best_first == SIZE_MAX) return true;
  const ast::KeywordNode& repeated = tree_[kws[best_repeat]];
  SetLoc(repeated.pos);
  Error(fmt::format("keyword argument repeated: {}", Spelling(repeated.arg)));
  return false;
}

// compiler_subkwargs: keyword arguments [begin, end) as one dict.
void Compiler::SubKwargs(std::span<const ast::KeywordId> keywords) {
  const size_t n = keywords.size();
  const bool big = n * 2 > kMaxStackUse;
  if (n > 1 && !big) {
    std::vector<std::string> keys;
    for (ast::KeywordId kw : keywords) {
      VisitExpr(tree_[kw].value);
      keys.emplace_back(Spelling(tree_[kw].arg));
    }
    LoadConst(NameTupleConst(keys));
    AddOp(Opcode::BUILD_CONST_KEY_MAP, static_cast<int32_t>(n));
    return;
  }
  if (big) code().AddOpNoLine(Opcode::BUILD_MAP, 0);
  for (ast::KeywordId kw : keywords) {
    LoadConst(cache().Interned(Spelling(tree_[kw].arg)));
    VisitExpr(tree_[kw].value);
    if (big) code().AddOpNoLine(Opcode::MAP_ADD, 1);
  }
  if (!big) AddOp(Opcode::BUILD_MAP, static_cast<int32_t>(n));
}

// compiler_call_helper: `pushed` positional arguments are already on the stack.
void Compiler::CallHelper(int pushed, ast::Seq<ExprId> args_seq,
                          ast::Seq<ast::KeywordId> keywords_seq) {
  if (!ValidateKeywords(keywords_seq)) return;
  const auto args = tree_[args_seq];
  const auto keywords = tree_[keywords_seq];
  bool ex_call = args.size() + keywords.size() * 2 > kMaxStackUse;
  for (ExprId arg : args) ex_call = ex_call || tree_[arg].kind == ExprKind::Starred;
  for (ast::KeywordId kw : keywords) ex_call = ex_call || tree_[kw].arg.IsNone();

  if (!ex_call) {
    for (ExprId arg : args) VisitExpr(arg);
    const int32_t count = pushed + static_cast<int32_t>(args.size() + keywords.size());
    if (keywords.empty()) return AddOp(Opcode::CALL_FUNCTION, count);
    std::vector<std::string> names;
    for (ast::KeywordId kw : keywords) {
      VisitExpr(tree_[kw].value);
      names.emplace_back(Spelling(tree_[kw].arg));
    }
    LoadConst(NameTupleConst(names));
    return AddOp(Opcode::CALL_FUNCTION_KW, count);
  }

  if (pushed == 0 && args.size() == 1 && tree_[args[0]].kind == ExprKind::Starred) {
    VisitExpr(tree_[args[0]].Starred.value);
  } else {
    StarUnpackHelper(args_seq, pushed, Opcode::BUILD_LIST, Opcode::LIST_APPEND,
                     Opcode::LIST_EXTEND, true);
  }
  if (!keywords.empty()) {
    bool have_dict = false;
    size_t seen = 0;  // plain keywords waiting to be packed
    for (size_t i = 0; i < keywords.size(); ++i) {
      const ast::KeywordNode& kw = tree_[keywords[i]];
      if (!kw.arg.IsNone()) {
        ++seen;
        continue;
      }
      if (seen > 0) {
        SubKwargs(keywords.subspan(i - seen, seen));
        if (have_dict) AddOp(Opcode::DICT_MERGE, 1);
        have_dict = true;
        seen = 0;
      }
      if (!have_dict) {
        AddOp(Opcode::BUILD_MAP, 0);
        have_dict = true;
      }
      VisitExpr(kw.value);
      AddOp(Opcode::DICT_MERGE, 1);
    }
    if (seen > 0) {
      SubKwargs(keywords.subspan(keywords.size() - seen, seen));
      if (have_dict) AddOp(Opcode::DICT_MERGE, 1);
    }
  }
  AddOp(Opcode::CALL_FUNCTION_EX, keywords.empty() ? 0 : 1);
}

// ---- displays and unpacking ------------------------------------------------------------

// starunpack_helper: BUILD_* for plain items; with starred items (or many
// items) build incrementally; more than two constants load as one tuple.
void Compiler::StarUnpackHelper(ast::Seq<ExprId> elts_seq, int pushed, Opcode build,
                                Opcode add, Opcode extend, bool tuple) {
  const auto elts = tree_[elts_seq];
  const size_t n = elts.size();
  bool all_const = n > 2;
  for (ExprId elt : elts) all_const = all_const && tree_[elt].kind == ExprKind::Constant;
  if (all_const) {
    std::vector<Ref> items;
    for (ExprId elt : elts) items.push_back(tree_[elt].Constant.value);
    if (tuple) {
      LoadConst(heap().Tuple(items));
    } else {
      AddOp(build, pushed);
      LoadConst(add == Opcode::SET_ADD ? pyarith::MakeFrozenSet(heap(), items) : heap().Tuple(items));
      AddOp(extend, 1);
    }
    return;
  }
  const bool big = n + static_cast<size_t>(pushed) > kMaxStackUse;
  bool seen_star = false;
  for (ExprId elt : elts) seen_star = seen_star || tree_[elt].kind == ExprKind::Starred;
  if (!seen_star && !big) {
    for (ExprId elt : elts) VisitExpr(elt);
    AddOp(tuple ? Opcode::BUILD_TUPLE : build, static_cast<int32_t>(n) + pushed);
    return;
  }
  bool built = false;
  if (big) {
    AddOp(build, pushed);
    built = true;
  }
  for (size_t i = 0; i < n; ++i) {
    const ast::ExprNode& elt = tree_[elts[i]];
    if (elt.kind == ExprKind::Starred) {
      if (!built) {
        AddOp(build, static_cast<int32_t>(i) + pushed);
        built = true;
      }
      VisitExpr(elt.Starred.value);
      AddOp(extend, 1);
    } else {
      VisitExpr(elts[i]);
      if (built) AddOp(add, 1);
    }
  }
  if (tuple) AddOp(Opcode::LIST_TO_TUPLE);
}

void Compiler::UnpackHelper(ast::Seq<ExprId> elts_seq) {
  const auto elts = tree_[elts_seq];
  const size_t n = elts.size();
  bool seen_star = false;
  for (size_t i = 0; i < n; ++i) {
    if (tree_[elts[i]].kind != ExprKind::Starred) continue;
    if (seen_star) return Error("multiple starred expressions in assignment");
    if (i >= (1u << 8) || n - i - 1 >= (INT32_MAX >> 8)) {
      return Error("too many expressions in star-unpacking assignment");
    }
    AddOp(Opcode::UNPACK_EX, static_cast<int32_t>(i + ((n - i - 1) << 8)));
    seen_star = true;
  }
  if (!seen_star) AddOp(Opcode::UNPACK_SEQUENCE, static_cast<int32_t>(n));
}

void Compiler::AssignmentHelper(ast::Seq<ExprId> elts) {
  UnpackHelper(elts);
  for (ExprId id : tree_[elts]) {
    const ast::ExprNode& elt = tree_[id];
    VisitExpr(elt.kind == ExprKind::Starred ? elt.Starred.value : id);
  }
}

// compiler_subdict: items [begin, end) of a dict display as one dict.
void Compiler::SubDict(const ast::ExprNode& e, size_t begin, size_t end) {
  const auto keys = tree_[e.Dict.keys];
  const auto values = tree_[e.Dict.values];
  const size_t n = end - begin;
  const bool big = n * 2 > kMaxStackUse;
  bool const_keys = n > 1 && !big;
  for (size_t i = begin; i < end && const_keys; ++i) {
    const_keys = tree_[keys[i]].kind == ExprKind::Constant;
  }
  if (const_keys) {
    std::vector<Ref> key_values;
    for (size_t i = begin; i < end; ++i) {
      VisitExpr(values[i]);
      key_values.push_back(tree_[keys[i]].Constant.value);
    }
    LoadConst(heap().Tuple(key_values));
    AddOp(Opcode::BUILD_CONST_KEY_MAP, static_cast<int32_t>(n));
    return;
  }
  if (big) AddOp(Opcode::BUILD_MAP, 0);
  for (size_t i = begin; i < end; ++i) {
    VisitExpr(keys[i]);
    VisitExpr(values[i]);
    if (big) AddOp(Opcode::MAP_ADD, 1);
  }
  if (!big) AddOp(Opcode::BUILD_MAP, static_cast<int32_t>(n));
}

void Compiler::Dict(const ast::ExprNode& e) {
  const auto keys = tree_[e.Dict.keys];
  const auto values = tree_[e.Dict.values];
  const size_t n = values.size();
  bool have_dict = false;
  size_t elements = 0;
  for (size_t i = 0; i < n; ++i) {
    if (keys[i].IsNone()) {  // **mapping
      if (elements > 0) {
        SubDict(e, i - elements, i);
        if (have_dict) AddOp(Opcode::DICT_UPDATE, 1);
        have_dict = true;
        elements = 0;
      }
      if (!have_dict) {
        AddOp(Opcode::BUILD_MAP, 0);
        have_dict = true;
      }
      VisitExpr(values[i]);
      AddOp(Opcode::DICT_UPDATE, 1);
    } else if (elements * 2 > kMaxStackUse) {
      SubDict(e, i - elements, i + 1);
      if (have_dict) AddOp(Opcode::DICT_UPDATE, 1);
      have_dict = true;
      elements = 0;
    } else {
      ++elements;
    }
  }
  if (elements > 0) {
    SubDict(e, n - elements, n);
    if (have_dict) AddOp(Opcode::DICT_UPDATE, 1);
    have_dict = true;
  }
  if (!have_dict) AddOp(Opcode::BUILD_MAP, 0);
}

// ---- subscripts and slices -----------------------------------------------------------------

bool Compiler::CheckSubscripter(ExprId value) {
  const ast::ExprNode& e = tree_[value];
  switch (e.kind) {
    case ExprKind::Constant: {
      const Type t = e.Constant.value->type;
      if (!(t == Type::None || t == Type::Ellipsis || t == Type::Int || t == Type::Float ||
            t == Type::Complex || t == Type::FrozenSet || t == Type::Set || t == Type::True ||
            t == Type::False)) {
        return true;
      }
      break;
    }
    case ExprKind::Set:
    case ExprKind::SetComp:
    case ExprKind::GeneratorExp:
    case ExprKind::Lambda:
      break;
    default:
      return true;
  }
  Warn(fmt::format("'{}' object is not subscriptable; perhaps you missed a comma?",
                   InferType(e)));
  return !failed_;
}

bool Compiler::CheckIndex(ExprId value, ExprId index) {
  const ast::ExprNode& s = tree_[index];
  const char* index_type = s.kind == ExprKind::Slice ? "slice" : InferType(s);
  if (index_type == nullptr || std::string_view(index_type) == "int" ||
      std::string_view(index_type) == "bool" || std::string_view(index_type) == "slice") {
    return true;
  }
  const ast::ExprNode& e = tree_[value];
  switch (e.kind) {
    case ExprKind::Constant: {
      const Type t = e.Constant.value->type;
      if (!(t == Type::Str || t == Type::Bytes || t == Type::Tuple)) return true;
      break;
    }
    case ExprKind::Tuple:
    case ExprKind::List:
    case ExprKind::ListComp:
    case ExprKind::JoinedStr:
    case ExprKind::FormattedValue:
      break;
    default:
      return true;
  }
  Warn(fmt::format("{} indices must be integers or slices, not {}; perhaps you missed a comma?",
                   InferType(e), index_type));
  return !failed_;
}

void Compiler::Subscript(ExprId id) {
  const ast::ExprNode& e = tree_[id];
  const ExprContext ctx = e.Subscript.ctx;
  if (ctx == ExprContext::Load) {
    if (!CheckSubscripter(e.Subscript.value)) return;
    if (!CheckIndex(e.Subscript.value, e.Subscript.slice)) return;
  }
  VisitExpr(e.Subscript.value);
  VisitExpr(e.Subscript.slice);
  AddOp(ctx == ExprContext::Load    ? Opcode::BINARY_SUBSCR
        : ctx == ExprContext::Store ? Opcode::STORE_SUBSCR
                                    : Opcode::DELETE_SUBSCR);
}

void Compiler::Slice(const ast::ExprNode& e) {
  int n = 2;
  if (!e.Slice.lower.IsNone()) {
    VisitExpr(e.Slice.lower);
  } else {
    LoadNone();
  }
  if (!e.Slice.upper.IsNone()) {
    VisitExpr(e.Slice.upper);
  } else {
    LoadNone();
  }
  if (!e.Slice.step.IsNone()) {
    ++n;
    VisitExpr(e.Slice.step);
  }
  AddOp(Opcode::BUILD_SLICE, n);
}

// ---- f-strings ----------------------------------------------------------------------------

void Compiler::JoinedStr(const ast::ExprNode& e) {
  const size_t count = e.JoinedStr.values.size();
  if (count > kMaxStackUse) {
    LoadConst(cache().Interned(""));
    AddOpName(Opcode::LOAD_METHOD, "join");
    AddOp(Opcode::BUILD_LIST, 0);
    for (ExprId value : tree_[e.JoinedStr.values]) {
      VisitExpr(value);
      AddOp(Opcode::LIST_APPEND, 1);
    }
    AddOp(Opcode::CALL_METHOD, 1);
    return;
  }
  VisitExprs(e.JoinedStr.values);
  if (count != 1) AddOp(Opcode::BUILD_STRING, static_cast<int32_t>(count));
}

void Compiler::FormattedValue(const ast::ExprNode& e) {
  VisitExpr(e.FormattedValue.value);
  int32_t oparg = 0;
  switch (e.FormattedValue.conversion) {
    case 's': oparg = 1; break;
    case 'r': oparg = 2; break;
    case 'a': oparg = 3; break;
    default: oparg = 0; break;
  }
  if (!e.FormattedValue.format_spec.IsNone()) {
    VisitExpr(e.FormattedValue.format_spec);
    oparg |= 4;
  }
  AddOp(Opcode::FORMAT_VALUE, oparg);
}

}  // namespace xpyc::codegen
