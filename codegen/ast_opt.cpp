#include "codegen/ast_opt.h"

#include <algorithm>
#include <vector>

#include "codegen/pyarith.h"

namespace xpyc::codegen {

namespace {

using namespace xpyc::ast;
using marshal::Ref;
using marshal::Type;

// CPython's folding limits (Python/ast_opt.c, 3.10).
constexpr size_t kMaxIntBits = 128;
constexpr int64_t kMaxCollectionSize = 256;
constexpr int64_t kMaxStrSize = 4096;
constexpr int64_t kMaxTotalItems = 1024;

// Deepest nesting the optimizer recurses into, whatever the options say.
constexpr int kMaxDepth = 6000;

bool IsSequenceOrSet(Ref v) { return v->type == Type::Tuple || v->type == Type::FrozenSet; }
bool IsStrOrBytes(Ref v) { return v->type == Type::Str || v->type == Type::Bytes; }
bool IsNonZeroInt(Ref v) { return pyarith::IsInt(v) && pyarith::IntBitLength(v) != 0; }

// How much of `limit` is left after counting the items of nested tuples and
// frozensets; negative once the total exceeds it (check_complexity).
int64_t RemainingComplexity(Ref v, int64_t limit) {
  if (!IsSequenceOrSet(v)) return limit;
  limit -= static_cast<int64_t>(v->items.size());
  for (size_t i = 0; limit >= 0 && i < v->items.size(); ++i) {
    limit = RemainingComplexity(v->items[i], limit);
  }
  return limit;
}

// safe_multiply: refuses products that would build a big int, a long
// str/bytes or a big tuple.
Ref SafeMultiply(marshal::Heap& heap, Ref v, Ref w) {
  if (IsNonZeroInt(v) && IsNonZeroInt(w)) {
    if (pyarith::IntBitLength(v) + pyarith::IntBitLength(w) > kMaxIntBits) return nullptr;
  } else if (pyarith::IsInt(v) && IsSequenceOrSet(w)) {
    int64_t size = static_cast<int64_t>(w->items.size());
    if (size != 0) {
      auto n = pyarith::IntAsLong(v);
      if (!n || *n < 0 || *n > kMaxCollectionSize / size) return nullptr;
      if (*n != 0 && RemainingComplexity(w, kMaxTotalItems / *n) < 0) return nullptr;
    }
  } else if (pyarith::IsInt(v) && IsStrOrBytes(w)) {
    int64_t size = static_cast<int64_t>(pyarith::Length(w));
    if (size != 0) {
      auto n = pyarith::IntAsLong(v);
      if (!n || *n < 0 || *n > kMaxStrSize / size) return nullptr;
    }
  } else if (pyarith::IsInt(w) && (IsSequenceOrSet(v) || IsStrOrBytes(v))) {
    return SafeMultiply(heap, w, v);
  }
  return pyarith::BinaryOp(heap, Operator::Mult, v, w);
}

// safe_power: int ** positive int only while bits(base) * exponent <= 128.
Ref SafePower(marshal::Heap& heap, Ref v, Ref w) {
  if (IsNonZeroInt(v) && pyarith::IsInt(w) && !w->negative && IsNonZeroInt(w)) {
    auto exponent = pyarith::IntAsLong(w);
    if (!exponent) return nullptr;
    if (pyarith::IntBitLength(v) > kMaxIntBits / static_cast<uint64_t>(*exponent)) {
      return nullptr;
    }
  }
  return pyarith::BinaryOp(heap, Operator::Pow, v, w);
}

// safe_lshift: the shifted int stays within 128 bits.
Ref SafeLShift(marshal::Heap& heap, Ref v, Ref w) {
  if (IsNonZeroInt(v) && IsNonZeroInt(w)) {
    auto shift = pyarith::IntAsLong(w);
    if (!shift || *shift < 0) return nullptr;
    uint64_t bits = pyarith::IntBitLength(v);
    uint64_t by = static_cast<uint64_t>(*shift);
    if (by > kMaxIntBits || bits > kMaxIntBits - by) return nullptr;
  }
  return pyarith::BinaryOp(heap, Operator::LShift, v, w);
}

Ref FoldBinary(marshal::Heap& heap, Operator op, Ref v, Ref w) {
  switch (op) {
    case Operator::Mult:
      return SafeMultiply(heap, v, w);
    case Operator::Pow:
      return SafePower(heap, v, w);
    case Operator::LShift:
      return SafeLShift(heap, v, w);
    case Operator::Mod:
      if (IsStrOrBytes(v)) return nullptr;  // %-formatting is left to run time
      return pyarith::BinaryOp(heap, op, v, w);
    case Operator::MatMult:
      return nullptr;
    case Operator::Add:
    case Operator::Sub:
    case Operator::Div:
    case Operator::RShift:
    case Operator::BitOr:
    case Operator::BitXor:
    case Operator::BitAnd:
    case Operator::FloorDiv:
      return pyarith::BinaryOp(heap, op, v, w);
  }
  return nullptr;
}

// The negation of a comparison, where `not` may be folded into it.
bool InvertedComparison(CmpOperator op, CmpOperator& out) {
  switch (op) {
    case CmpOperator::Is:
      out = CmpOperator::IsNot;
      return true;
    case CmpOperator::IsNot:
      out = CmpOperator::Is;
      return true;
    case CmpOperator::In:
      out = CmpOperator::NotIn;
      return true;
    case CmpOperator::NotIn:
      out = CmpOperator::In;
      return true;
    // == and != may be defined in terms of each other, and < > on sets are
    // subset tests: none of these can be inverted safely.
    case CmpOperator::Eq:
    case CmpOperator::NotEq:
    case CmpOperator::Lt:
    case CmpOperator::LtE:
    case CmpOperator::Gt:
    case CmpOperator::GtE:
      return false;
  }
  return false;
}

class Folder {
 public:
  Folder(Ast& tree, const AstOptOptions& options, Diagnostics& diag)
      : ast_(tree), heap_(tree.heap()), options_(options), diag_(diag),
        depth_(options.recursion_start),
        // Bounded whatever the caller asks, so that deep input cannot
        // overflow the C++ stack.
        limit_(std::min(options.recursion_limit, options.recursion_start + kMaxDepth)) {
    debug_name_ = tree.names().Intern("__debug__");
  }

  bool VisitMod(ModId id) {
    if (!id) return true;
    ModNode mod = ast_[id];
    switch (mod.kind) {
      case ModKind::Module:
        return VisitBody(mod.Module.body);
      case ModKind::Interactive:
        return VisitStmts(mod.Interactive.body);
      case ModKind::Expression:
        return VisitExpr(mod.Expression.body);
      case ModKind::FunctionType:
        return true;
    }
    return true;
  }

 private:
  // ----------------------------------------------------------- helpers

  bool Enter() {
    if (++depth_ > limit_) [[unlikely]] return TooDeep();
    return true;
  }

  [[gnu::noinline, gnu::cold]] bool TooDeep() {
    Diagnostic d;
    d.cls = ErrorClass::RecursionError;
    d.message = "maximum recursion depth exceeded during compilation";
    return diag_.Error(d);
  }

  bool IsConstant(ExprId id) const { return id && ast_[id].kind == ExprKind::Constant; }
  Ref ConstantOf(ExprId id) const { return ast_[id].Constant.value; }

  // make_const: turns the node into a Constant in place (position kept).
  void MakeConstant(ExprId id, Ref value) {
    if (value == nullptr) return;  // the operation would raise: keep it
    ExprNode& node = ast_[id];
    node.kind = ExprKind::Constant;
    node.Constant = ConstantFields{};
    node.Constant.value = value;
  }

  // The values of `elts` when every one is a Constant.
  bool ConstantItems(Seq<ExprId> elts, std::vector<Ref>& out) const {
    out.clear();
    for (uint32_t i = 0; i < elts.size(); ++i) {
      ExprId e = ast_[elts][i];
      if (!IsConstant(e)) return false;
      out.push_back(ConstantOf(e));
    }
    return true;
  }

  bool IsDocstring(Seq<StmtId> body) const {
    if (body.empty()) return false;
    const StmtNode& first = ast_[ast_[body][0]];
    if (first.kind != StmtKind::Expr) return false;
    ExprId value = first.Expr.value;
    return IsConstant(value) && ConstantOf(value)->type == Type::Str;
  }

  // ----------------------------------------------------------- folds

  void FoldUnaryOp(ExprId id) {
    ExprNode node = ast_[id];
    ExprId operand = node.UnaryOp.operand;
    if (IsConstant(operand)) {
      MakeConstant(id, pyarith::UnaryOp(heap_, node.UnaryOp.op, ConstantOf(operand)));
      return;
    }
    if (node.UnaryOp.op != UnaryOperator::Not) return;
    ExprNode compare = ast_[operand];
    if (compare.kind != ExprKind::Compare || compare.Compare.ops.size() != 1) return;
    CmpOperator inverted;
    if (!InvertedComparison(ast_[compare.Compare.ops][0], inverted)) return;
    // CPython copies the whole Compare node, positions included, over the
    // `not` node.
    compare.Compare.ops = ast_.AddList(std::span<const CmpOperator>(&inverted, 1));
    ast_[id] = compare;
  }

  void FoldBinOp(ExprId id) {
    const ExprNode& node = ast_[id];
    ExprId left = node.BinOp.left, right = node.BinOp.right;
    if (!IsConstant(left) || !IsConstant(right)) return;
    MakeConstant(id, FoldBinary(heap_, node.BinOp.op, ConstantOf(left), ConstantOf(right)));
  }

  void FoldTuple(ExprId id) {
    const ExprNode& node = ast_[id];
    if (node.Tuple.ctx != ExprContext::Load) return;
    std::vector<Ref> items;
    if (!ConstantItems(node.Tuple.elts, items)) return;
    MakeConstant(id, heap_.Tuple(items));
  }

  void FoldSubscript(ExprId id) {
    const ExprNode& node = ast_[id];
    if (node.Subscript.ctx != ExprContext::Load) return;
    ExprId value = node.Subscript.value, index = node.Subscript.slice;
    if (!IsConstant(value) || !IsConstant(index)) return;
    MakeConstant(id, pyarith::GetItem(heap_, ConstantOf(value), ConstantOf(index)));
  }

  // fold_iter: a list (without starred items) becomes a tuple, constant when
  // it can be; a set of constants becomes a frozenset.
  void FoldIter(ExprId id) {
    ExprNode node = ast_[id];
    std::vector<Ref> items;
    if (node.kind == ExprKind::List) {
      for (uint32_t i = 0; i < node.List.elts.size(); ++i) {
        if (ast_[ast_[node.List.elts][i]].kind == ExprKind::Starred) return;
      }
      TupleFields tuple{};
      tuple.elts = node.List.elts;
      tuple.ctx = node.List.ctx;
      ExprNode& target = ast_[id];
      target.kind = ExprKind::Tuple;
      target.Tuple = tuple;
      if (ConstantItems(tuple.elts, items)) MakeConstant(id, heap_.Tuple(items));
    } else if (node.kind == ExprKind::Set) {
      if (ConstantItems(node.Set.elts, items)) {
        MakeConstant(id, pyarith::MakeFrozenSet(heap_, items));
      }
    }
  }

  void FoldCompare(ExprId id) {
    const ExprNode& node = ast_[id];
    uint32_t n = node.Compare.ops.size();
    if (n == 0 || node.Compare.comparators.size() < n) return;
    CmpOperator last = ast_[node.Compare.ops][n - 1];
    if (last == CmpOperator::In || last == CmpOperator::NotIn) {
      FoldIter(ast_[node.Compare.comparators][n - 1]);
    }
  }

  // ----------------------------------------------------------- visitors
  // Lists are re-read by index on every step: folding may append to the
  // Ast's arrays, which moves them.

  bool VisitExprs(Seq<ExprId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      if (!VisitExpr(ast_[seq][i])) return false;
    }
    return true;
  }

  bool VisitStmts(Seq<StmtId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      if (!VisitStmt(ast_[seq][i])) return false;
    }
    return true;
  }

  bool VisitPatterns(Seq<PatternId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      if (!VisitPattern(ast_[seq][i])) return false;
    }
    return true;
  }

  bool VisitKeywords(Seq<KeywordId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      KeywordId k = ast_[seq][i];
      if (k && !VisitExpr(ast_[k].value)) return false;
    }
    return true;
  }

  bool VisitComprehensions(Seq<ComprehensionId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      ComprehensionId c = ast_[seq][i];
      if (!c) continue;
      ComprehensionNode node = ast_[c];
      if (!VisitExpr(node.target) || !VisitExpr(node.iter) || !VisitExprs(node.ifs)) {
        return false;
      }
      FoldIter(node.iter);
    }
    return true;
  }

  bool VisitAnnotation(ExprId id) {
    if (options_.future_annotations) return true;
    return VisitExpr(id);
  }

  bool VisitArgs(Seq<ArgId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      if (!VisitArg(ast_[seq][i])) return false;
    }
    return true;
  }

  bool VisitArg(ArgId id) {
    if (!id) return true;
    return VisitAnnotation(ast_[id].annotation);
  }

  bool VisitArguments(ArgumentsId id) {
    if (!id) return true;
    ArgumentsNode a = ast_[id];
    return VisitArgs(a.posonlyargs) && VisitArgs(a.args) && VisitArg(a.vararg) &&
           VisitArgs(a.kwonlyargs) && VisitExprs(a.kw_defaults) && VisitArg(a.kwarg) &&
           VisitExprs(a.defaults);
  }

  // A module, class or function body: keeps a string made by folding from
  // becoming a docstring.
  bool VisitBody(Seq<StmtId> body) {
    bool had_docstring = IsDocstring(body);
    if (!VisitStmts(body)) return false;
    if (!had_docstring && IsDocstring(body)) {
      StmtId first = ast_[body][0];
      ExprId value = ast_[first].Expr.value;
      ExprNode joined;
      joined.kind = ExprKind::JoinedStr;
      joined.pos = ast_[first].pos;
      joined.JoinedStr = JoinedStrFields{};
      joined.JoinedStr.values = ast_.AddList(std::span<const ExprId>(&value, 1));
      ExprId joined_id = ast_.Add(joined);
      ast_[first].Expr.value = joined_id;
    }
    return true;
  }

  bool VisitExpr(ExprId id) {
    if (!id) return true;
    if (!Enter()) return false;
    // A reference, not a copy: folding inside an expression rewrites nodes in
    // place but never adds one (only VisitBody does), so it stays valid.
    const ExprNode& e = ast_[id];
    bool ok = true;
    switch (e.kind) {
      case ExprKind::BoolOp:
        ok = VisitExprs(e.BoolOp.values);
        break;
      case ExprKind::NamedExpr:
        ok = VisitExpr(e.NamedExpr.value);
        break;
      case ExprKind::BinOp:
        ok = VisitExpr(e.BinOp.left) && VisitExpr(e.BinOp.right);
        if (ok) FoldBinOp(id);
        break;
      case ExprKind::UnaryOp:
        ok = VisitExpr(e.UnaryOp.operand);
        if (ok) FoldUnaryOp(id);
        break;
      case ExprKind::Lambda:
        ok = VisitArguments(e.Lambda.args) && VisitExpr(e.Lambda.body);
        break;
      case ExprKind::IfExp:
        ok = VisitExpr(e.IfExp.test) && VisitExpr(e.IfExp.body) && VisitExpr(e.IfExp.orelse);
        break;
      case ExprKind::Dict:
        ok = VisitExprs(e.Dict.keys) && VisitExprs(e.Dict.values);
        break;
      case ExprKind::Set:
        ok = VisitExprs(e.Set.elts);
        break;
      case ExprKind::ListComp:
        ok = VisitExpr(e.ListComp.elt) && VisitComprehensions(e.ListComp.generators);
        break;
      case ExprKind::SetComp:
        ok = VisitExpr(e.SetComp.elt) && VisitComprehensions(e.SetComp.generators);
        break;
      case ExprKind::DictComp:
        ok = VisitExpr(e.DictComp.key) && VisitExpr(e.DictComp.value) &&
             VisitComprehensions(e.DictComp.generators);
        break;
      case ExprKind::GeneratorExp:
        ok = VisitExpr(e.GeneratorExp.elt) && VisitComprehensions(e.GeneratorExp.generators);
        break;
      case ExprKind::Await:
        ok = VisitExpr(e.Await.value);
        break;
      case ExprKind::Yield:
        ok = VisitExpr(e.Yield.value);
        break;
      case ExprKind::YieldFrom:
        ok = VisitExpr(e.YieldFrom.value);
        break;
      case ExprKind::Compare:
        ok = VisitExpr(e.Compare.left) && VisitExprs(e.Compare.comparators);
        if (ok) FoldCompare(id);
        break;
      case ExprKind::Call:
        ok = VisitExpr(e.Call.func) && VisitExprs(e.Call.args) &&
             VisitKeywords(e.Call.keywords);
        break;
      case ExprKind::FormattedValue:
        ok = VisitExpr(e.FormattedValue.value) && VisitExpr(e.FormattedValue.format_spec);
        break;
      case ExprKind::JoinedStr:
        ok = VisitExprs(e.JoinedStr.values);
        break;
      case ExprKind::Constant:
        break;
      case ExprKind::Attribute:
        ok = VisitExpr(e.Attribute.value);
        break;
      case ExprKind::Subscript:
        ok = VisitExpr(e.Subscript.value) && VisitExpr(e.Subscript.slice);
        if (ok) FoldSubscript(id);
        break;
      case ExprKind::Starred:
        ok = VisitExpr(e.Starred.value);
        break;
      case ExprKind::Name:
        if (e.Name.ctx == ExprContext::Load && e.Name.id == debug_name_) {
          MakeConstant(id, heap_.Bool(options_.optimize == 0));
        }
        break;
      case ExprKind::List:
        ok = VisitExprs(e.List.elts);
        break;
      case ExprKind::Tuple:
        ok = VisitExprs(e.Tuple.elts);
        if (ok) FoldTuple(id);
        break;
      case ExprKind::Slice:
        ok = VisitExpr(e.Slice.lower) && VisitExpr(e.Slice.upper) && VisitExpr(e.Slice.step);
        break;
    }
    if (!ok) return false;
    --depth_;
    return true;
  }

  bool VisitStmt(StmtId id) {
    if (!id) return true;
    if (!Enter()) return false;
    const StmtNode& s = ast_[id];  // statements are never added while folding
    bool ok = true;
    switch (s.kind) {
      case StmtKind::FunctionDef:
        ok = VisitArguments(s.FunctionDef.args) && VisitBody(s.FunctionDef.body) &&
             VisitExprs(s.FunctionDef.decorator_list) &&
             VisitAnnotation(s.FunctionDef.returns);
        break;
      case StmtKind::AsyncFunctionDef:
        ok = VisitArguments(s.AsyncFunctionDef.args) && VisitBody(s.AsyncFunctionDef.body) &&
             VisitExprs(s.AsyncFunctionDef.decorator_list) &&
             VisitAnnotation(s.AsyncFunctionDef.returns);
        break;
      case StmtKind::ClassDef:
        ok = VisitExprs(s.ClassDef.bases) && VisitKeywords(s.ClassDef.keywords) &&
             VisitBody(s.ClassDef.body) && VisitExprs(s.ClassDef.decorator_list);
        break;
      case StmtKind::Return:
        ok = VisitExpr(s.Return.value);
        break;
      case StmtKind::Delete:
        ok = VisitExprs(s.Delete.targets);
        break;
      case StmtKind::Assign:
        ok = VisitExprs(s.Assign.targets) && VisitExpr(s.Assign.value);
        break;
      case StmtKind::AugAssign:
        ok = VisitExpr(s.AugAssign.target) && VisitExpr(s.AugAssign.value);
        break;
      case StmtKind::AnnAssign:
        ok = VisitExpr(s.AnnAssign.target) && VisitAnnotation(s.AnnAssign.annotation) &&
             VisitExpr(s.AnnAssign.value);
        break;
      case StmtKind::For:
        ok = VisitExpr(s.For.target) && VisitExpr(s.For.iter) && VisitStmts(s.For.body) &&
             VisitStmts(s.For.orelse);
        if (ok) FoldIter(s.For.iter);
        break;
      case StmtKind::AsyncFor:
        ok = VisitExpr(s.AsyncFor.target) && VisitExpr(s.AsyncFor.iter) &&
             VisitStmts(s.AsyncFor.body) && VisitStmts(s.AsyncFor.orelse);
        break;
      case StmtKind::While:
        ok = VisitExpr(s.While.test) && VisitStmts(s.While.body) && VisitStmts(s.While.orelse);
        break;
      case StmtKind::If:
        ok = VisitExpr(s.If.test) && VisitStmts(s.If.body) && VisitStmts(s.If.orelse);
        break;
      case StmtKind::With:
        ok = VisitWithItems(s.With.items) && VisitStmts(s.With.body);
        break;
      case StmtKind::AsyncWith:
        ok = VisitWithItems(s.AsyncWith.items) && VisitStmts(s.AsyncWith.body);
        break;
      case StmtKind::Match:
        ok = VisitExpr(s.Match.subject) && VisitMatchCases(s.Match.cases);
        break;
      case StmtKind::Raise:
        ok = VisitExpr(s.Raise.exc) && VisitExpr(s.Raise.cause);
        break;
      case StmtKind::Try:
        ok = VisitStmts(s.Try.body) && VisitHandlers(s.Try.handlers) &&
             VisitStmts(s.Try.orelse) && VisitStmts(s.Try.finalbody);
        break;
      case StmtKind::Assert:
        ok = VisitExpr(s.Assert.test) && VisitExpr(s.Assert.msg);
        break;
      case StmtKind::Expr:
        ok = VisitExpr(s.Expr.value);
        break;
      case StmtKind::Import:
      case StmtKind::ImportFrom:
      case StmtKind::Global:
      case StmtKind::Nonlocal:
      case StmtKind::Pass:
      case StmtKind::Break:
      case StmtKind::Continue:
        break;
    }
    if (!ok) return false;
    --depth_;
    return true;
  }

  bool VisitWithItems(Seq<WithItemId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      WithItemId w = ast_[seq][i];
      if (!w) continue;
      WithItemNode item = ast_[w];
      if (!VisitExpr(item.context_expr) || !VisitExpr(item.optional_vars)) return false;
    }
    return true;
  }

  bool VisitHandlers(Seq<ExceptHandlerId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      ExceptHandlerId h = ast_[seq][i];
      if (!h) continue;
      ExceptHandlerNode handler = ast_[h];
      switch (handler.kind) {
        case ExceptHandlerKind::ExceptHandler:
          if (!VisitExpr(handler.ExceptHandler.type) ||
              !VisitStmts(handler.ExceptHandler.body)) {
            return false;
          }
          break;
      }
    }
    return true;
  }

  bool VisitMatchCases(Seq<MatchCaseId> seq) {
    for (uint32_t i = 0; i < seq.size(); ++i) {
      MatchCaseId c = ast_[seq][i];
      if (!c) continue;
      MatchCaseNode mc = ast_[c];
      if (!VisitPattern(mc.pattern) || !VisitExpr(mc.guard) || !VisitStmts(mc.body)) {
        return false;
      }
    }
    return true;
  }

  bool VisitPattern(PatternId id) {
    if (!id) return true;
    if (!Enter()) return false;
    PatternNode p = ast_[id];
    bool ok = true;
    switch (p.kind) {
      case PatternKind::MatchValue:
        ok = VisitExpr(p.MatchValue.value);
        break;
      case PatternKind::MatchSingleton:
        break;
      case PatternKind::MatchSequence:
        ok = VisitPatterns(p.MatchSequence.patterns);
        break;
      case PatternKind::MatchMapping:
        ok = VisitExprs(p.MatchMapping.keys) && VisitPatterns(p.MatchMapping.patterns);
        break;
      case PatternKind::MatchClass:
        ok = VisitExpr(p.MatchClass.cls) && VisitPatterns(p.MatchClass.patterns) &&
             VisitPatterns(p.MatchClass.kwd_patterns);
        break;
      case PatternKind::MatchStar:
        break;
      case PatternKind::MatchAs:
        ok = VisitPattern(p.MatchAs.pattern);
        break;
      case PatternKind::MatchOr:
        ok = VisitPatterns(p.MatchOr.patterns);
        break;
    }
    if (!ok) return false;
    --depth_;
    return true;
  }

  Ast& ast_;
  marshal::Heap& heap_;
  const AstOptOptions& options_;
  Diagnostics& diag_;
  int depth_;
  int limit_;
  NameId debug_name_;
};

}  // namespace

bool HasFutureAnnotations(const Ast& tree) {
  if (!tree.root) return false;
  const ModNode& mod = tree[tree.root];
  if (mod.kind != ModKind::Module) return false;
  auto body = tree[mod.Module.body];
  size_t i = 0;
  if (!body.empty()) {
    const StmtNode& first = tree[body[0]];
    if (first.kind == StmtKind::Expr && first.Expr.value &&
        tree[first.Expr.value].kind == ExprKind::Constant &&
        tree[first.Expr.value].Constant.value->type == Type::Str) {
      i = 1;
    }
  }
  bool found = false;
  for (; i < body.size(); ++i) {
    const StmtNode& s = tree[body[i]];
    if (s.kind != StmtKind::ImportFrom || s.ImportFrom.module.IsNone() ||
        tree.Spelling(s.ImportFrom.module) != "__future__") {
      break;
    }
    for (AliasId alias : tree[s.ImportFrom.names]) {
      if (tree.Spelling(tree[alias].name) == "annotations") found = true;
    }
  }
  return found;
}

bool OptimizeAst(Ast& tree, const AstOptOptions& options, Diagnostics& diag) {
  Folder folder(tree, options, diag);
  return folder.VisitMod(tree.root);
}

}  // namespace xpyc::codegen
