// The annotation unparser (see unparse.h). Each node kind writes itself at a
// precedence level: the level of the context it sits in. A node whose own
// precedence is lower than that level wraps itself in parentheses.
#include "codegen/unparse.h"

#include <span>
#include <string_view>

namespace xpyc::codegen {
namespace {

using namespace ast;

// Precedence levels, loosest first.
enum Prec : int {
  kTuple,
  kTest,  // if-else, lambda
  kOr,
  kAnd,
  kNot,
  kCmp,
  kExpr,
  kBor = kExpr,
  kBxor,
  kBand,
  kShift,
  kArith,
  kTerm,
  kFactor,
  kPower,
  kAwait,
  kAtom,
};

// sys.int_info.default_max_str_digits: a longer int's repr raises ValueError.
constexpr size_t kMaxStrDigits = 4300;

struct OpInfo {
  std::string_view text;
  int prec;
};

OpInfo BinaryOp(Operator op) {
  switch (op) {
    case Operator::Add: return {" + ", kArith};
    case Operator::Sub: return {" - ", kArith};
    case Operator::Mult: return {" * ", kTerm};
    case Operator::MatMult: return {" @ ", kTerm};
    case Operator::Div: return {" / ", kTerm};
    case Operator::Mod: return {" % ", kTerm};
    case Operator::Pow: return {" ** ", kPower};
    case Operator::LShift: return {" << ", kShift};
    case Operator::RShift: return {" >> ", kShift};
    case Operator::BitOr: return {" | ", kBor};
    case Operator::BitXor: return {" ^ ", kBxor};
    case Operator::BitAnd: return {" & ", kBand};
    case Operator::FloorDiv: return {" // ", kTerm};
  }
  return {" ? ", kAtom};
}

OpInfo UnaryOpInfo(UnaryOperator op) {
  switch (op) {
    case UnaryOperator::Invert: return {"~", kFactor};
    case UnaryOperator::Not: return {"not ", kNot};
    case UnaryOperator::UAdd: return {"+", kFactor};
    case UnaryOperator::USub: return {"-", kFactor};
  }
  return {"?", kAtom};
}

std::string_view CompareOp(CmpOperator op) {
  switch (op) {
    case CmpOperator::Eq: return " == ";
    case CmpOperator::NotEq: return " != ";
    case CmpOperator::Lt: return " < ";
    case CmpOperator::LtE: return " <= ";
    case CmpOperator::Gt: return " > ";
    case CmpOperator::GtE: return " >= ";
    case CmpOperator::Is: return " is ";
    case CmpOperator::IsNot: return " is not ";
    case CmpOperator::In: return " in ";
    case CmpOperator::NotIn: return " not in ";
  }
  return " ? ";
}

// A float or complex repr with every "inf" written as 1e309 (one past the
// largest finite decimal exponent), so that the text evaluates back.
std::string ReplaceInf(std::string repr) {
  std::string out;
  out.reserve(repr.size());
  for (size_t i = 0; i < repr.size();) {
    if (repr.compare(i, 3, "inf") == 0) {
      out += "1e309";
      i += 3;
    } else {
      out += repr[i++];
    }
  }
  return out;
}

// The body of an f-string keeps literal braces doubled.
void AppendEscapedBraces(std::string& out, std::string_view text) {
  for (char c : text) {
    out += c;
    if (c == '{' || c == '}') out += c;
  }
}

class Unparser {
 public:
  explicit Unparser(const Ast& tree) : tree_(tree) {}

  // True once an int constant was too long for repr (see unparse.h).
  bool failed() const { return failed_; }

  void Expr(std::string& out, ExprId id, int level);

 private:
  void Open(std::string& out, bool wrap) const {
    if (wrap) out += '(';
  }
  void Close(std::string& out, bool wrap) const {
    if (wrap) out += ')';
  }
  std::string_view Name(NameId id) const { return tree_.Spelling(id); }

  void Items(std::string& out, std::span<const ExprId> items, int level);
  void BoolOp(std::string& out, const ExprNode& e, int level);
  void BinOp(std::string& out, const ExprNode& e, int level);
  void UnaryOp(std::string& out, const ExprNode& e, int level);
  void Arg(std::string& out, ArgId id);
  void Arguments(std::string& out, ArgumentsId id);
  void Lambda(std::string& out, const ExprNode& e, int level);
  void IfExp(std::string& out, const ExprNode& e, int level);
  void Dict(std::string& out, const ExprNode& e);
  void Tuple(std::string& out, const ExprNode& e, int level);
  void Comprehensions(std::string& out, Seq<ComprehensionId> generators);
  void Comprehension(std::string& out, char open, ExprId elt,
                     Seq<ComprehensionId> generators, char close);
  void DictComp(std::string& out, const ExprNode& e);
  void Compare(std::string& out, const ExprNode& e, int level);
  void Call(std::string& out, const ExprNode& e);
  void Keyword(std::string& out, KeywordId id);
  void Constant(std::string& out, const ExprNode& e);
  void ConstantRepr(std::string& out, marshal::Ref v);
  void Attribute(std::string& out, const ExprNode& e);
  void Slice(std::string& out, const ExprNode& e);
  void Subscript(std::string& out, const ExprNode& e);
  void Yield(std::string& out, const ExprNode& e);
  void YieldFrom(std::string& out, const ExprNode& e);
  void Await(std::string& out, const ExprNode& e, int level);
  void NamedExpr(std::string& out, const ExprNode& e, int level);
  void JoinedStr(std::string& out, const ExprNode& e, bool is_format_spec);
  void FormattedValue(std::string& out, const ExprNode& e);
  void FStringElement(std::string& out, ExprId id, bool is_format_spec);

  const Ast& tree_;
  bool failed_ = false;
};

void Unparser::Expr(std::string& out, ExprId id, int level) {
  const ExprNode& e = tree_[id];
  switch (e.kind) {
    case ExprKind::BoolOp: return BoolOp(out, e, level);
    case ExprKind::NamedExpr: return NamedExpr(out, e, level);
    case ExprKind::BinOp: return BinOp(out, e, level);
    case ExprKind::UnaryOp: return UnaryOp(out, e, level);
    case ExprKind::Lambda: return Lambda(out, e, level);
    case ExprKind::IfExp: return IfExp(out, e, level);
    case ExprKind::Dict: return Dict(out, e);
    case ExprKind::Set:
      out += '{';
      Items(out, tree_[e.Set.elts], kTest);
      out += '}';
      return;
    case ExprKind::ListComp:
      return Comprehension(out, '[', e.ListComp.elt, e.ListComp.generators, ']');
    case ExprKind::SetComp:
      return Comprehension(out, '{', e.SetComp.elt, e.SetComp.generators, '}');
    case ExprKind::DictComp: return DictComp(out, e);
    case ExprKind::GeneratorExp:
      return Comprehension(out, '(', e.GeneratorExp.elt, e.GeneratorExp.generators, ')');
    case ExprKind::Await: return Await(out, e, level);
    case ExprKind::Yield: return Yield(out, e);
    case ExprKind::YieldFrom: return YieldFrom(out, e);
    case ExprKind::Compare: return Compare(out, e, level);
    case ExprKind::Call: return Call(out, e);
    case ExprKind::FormattedValue: return FormattedValue(out, e);
    case ExprKind::JoinedStr: return JoinedStr(out, e, false);
    case ExprKind::Constant: return Constant(out, e);
    case ExprKind::Attribute: return Attribute(out, e);
    case ExprKind::Subscript: return Subscript(out, e);
    case ExprKind::Starred:
      out += '*';
      return Expr(out, e.Starred.value, kExpr);
    case ExprKind::Name: out += Name(e.Name.id); return;
    case ExprKind::List:
      out += '[';
      Items(out, tree_[e.List.elts], kTest);
      out += ']';
      return;
    case ExprKind::Tuple: return Tuple(out, e, level);
    case ExprKind::Slice: return Slice(out, e);
  }
}

// Comma-separated expressions, each at `level`.
void Unparser::Items(std::string& out, std::span<const ExprId> items, int level) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    Expr(out, items[i], level);
  }
}

void Unparser::BoolOp(std::string& out, const ExprNode& e, int level) {
  bool is_and = e.BoolOp.op == BoolOperator::And;
  int prec = is_and ? kAnd : kOr;
  Open(out, level > prec);
  auto values = tree_[e.BoolOp.values];
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += is_and ? " and " : " or ";
    Expr(out, values[i], prec + 1);
  }
  Close(out, level > prec);
}

void Unparser::BinOp(std::string& out, const ExprNode& e, int level) {
  OpInfo op = BinaryOp(e.BinOp.op);
  int right_assoc = e.BinOp.op == Operator::Pow ? 1 : 0;
  Open(out, level > op.prec);
  Expr(out, e.BinOp.left, op.prec + right_assoc);
  out += op.text;
  Expr(out, e.BinOp.right, op.prec + 1 - right_assoc);
  Close(out, level > op.prec);
}

void Unparser::UnaryOp(std::string& out, const ExprNode& e, int level) {
  OpInfo op = UnaryOpInfo(e.UnaryOp.op);
  Open(out, level > op.prec);
  out += op.text;
  Expr(out, e.UnaryOp.operand, op.prec);
  Close(out, level > op.prec);
}

void Unparser::Arg(std::string& out, ArgId id) {
  const ArgNode& a = tree_[id];
  out += Name(a.arg);
  if (a.annotation) {
    out += ": ";
    Expr(out, a.annotation, kTest);
  }
}

void Unparser::Arguments(std::string& out, ArgumentsId id) {
  const ArgumentsNode& args = tree_[id];
  bool first = true;
  auto separate = [&] {
    if (!first) out += ", ";
    first = false;
  };
  auto posonly = tree_[args.posonlyargs];
  auto positional = tree_[args.args];
  auto defaults = tree_[args.defaults];
  size_t count = posonly.size() + positional.size();
  for (size_t i = 0; i < count; ++i) {
    separate();
    Arg(out, i < posonly.size() ? posonly[i] : positional[i - posonly.size()]);
    // The defaults belong to the last positional parameters.
    if (i + defaults.size() >= count) {
      out += '=';
      Expr(out, defaults[i + defaults.size() - count], kTest);
    }
    if (i + 1 == posonly.size()) out += ", /";
  }
  auto kwonly = tree_[args.kwonlyargs];
  if (args.vararg || !kwonly.empty()) {
    separate();
    out += '*';
    if (args.vararg) Arg(out, args.vararg);
  }
  auto kw_defaults = tree_[args.kw_defaults];
  for (size_t i = 0; i < kwonly.size(); ++i) {
    separate();
    Arg(out, kwonly[i]);
    if (i + kw_defaults.size() >= kwonly.size()) {
      ExprId value = kw_defaults[i + kw_defaults.size() - kwonly.size()];
      if (value) {
        out += '=';
        Expr(out, value, kTest);
      }
    }
  }
  if (args.kwarg) {
    separate();
    out += "**";
    Arg(out, args.kwarg);
  }
}

void Unparser::Lambda(std::string& out, const ExprNode& e, int level) {
  const ArgumentsNode& args = tree_[e.Lambda.args];
  Open(out, level > kTest);
  // No space before a leading `*` or `**`: CPython writes `lambda*a: 0`.
  bool positional = !args.args.empty() || !args.posonlyargs.empty();
  out += positional ? "lambda " : "lambda";
  Arguments(out, e.Lambda.args);
  out += ": ";
  Expr(out, e.Lambda.body, kTest);
  Close(out, level > kTest);
}

void Unparser::IfExp(std::string& out, const ExprNode& e, int level) {
  Open(out, level > kTest);
  Expr(out, e.IfExp.body, kTest + 1);
  out += " if ";
  Expr(out, e.IfExp.test, kTest + 1);
  out += " else ";
  Expr(out, e.IfExp.orelse, kTest);
  Close(out, level > kTest);
}

void Unparser::Dict(std::string& out, const ExprNode& e) {
  auto keys = tree_[e.Dict.keys];
  auto values = tree_[e.Dict.values];
  out += '{';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    if (i < keys.size() && keys[i]) {
      Expr(out, keys[i], kTest);
      out += ": ";
      Expr(out, values[i], kTest);
    } else {
      out += "**";
      Expr(out, values[i], kExpr);
    }
  }
  out += '}';
}

void Unparser::Tuple(std::string& out, const ExprNode& e, int level) {
  auto elts = tree_[e.Tuple.elts];
  if (elts.empty()) {
    out += "()";
    return;
  }
  Open(out, level > kTuple);
  Items(out, elts, kTest);
  if (elts.size() == 1) out += ',';
  Close(out, level > kTuple);
}

void Unparser::Comprehensions(std::string& out, Seq<ComprehensionId> generators) {
  for (ComprehensionId id : tree_[generators]) {
    const ComprehensionNode& gen = tree_[id];
    out += gen.is_async ? " async for " : " for ";
    Expr(out, gen.target, kTuple);
    out += " in ";
    Expr(out, gen.iter, kTest + 1);
    for (ExprId test : tree_[gen.ifs]) {
      out += " if ";
      Expr(out, test, kTest + 1);
    }
  }
}

void Unparser::Comprehension(std::string& out, char open, ExprId elt,
                             Seq<ComprehensionId> generators, char close) {
  out += open;
  Expr(out, elt, kTest);
  Comprehensions(out, generators);
  out += close;
}

void Unparser::DictComp(std::string& out, const ExprNode& e) {
  out += '{';
  Expr(out, e.DictComp.key, kTest);
  out += ": ";
  Expr(out, e.DictComp.value, kTest);
  Comprehensions(out, e.DictComp.generators);
  out += '}';
}

void Unparser::Compare(std::string& out, const ExprNode& e, int level) {
  Open(out, level > kCmp);
  Expr(out, e.Compare.left, kCmp + 1);
  auto ops = tree_[e.Compare.ops];
  auto comparators = tree_[e.Compare.comparators];
  for (size_t i = 0; i < comparators.size() && i < ops.size(); ++i) {
    out += CompareOp(ops[i]);
    Expr(out, comparators[i], kCmp + 1);
  }
  Close(out, level > kCmp);
}

void Unparser::Call(std::string& out, const ExprNode& e) {
  Expr(out, e.Call.func, kAtom);
  auto args = tree_[e.Call.args];
  auto keywords = tree_[e.Call.keywords];
  // A lone generator expression argument brings its own parentheses.
  if (args.size() == 1 && keywords.empty() &&
      tree_[args[0]].kind == ExprKind::GeneratorExp) {
    return Expr(out, args[0], kTest);
  }
  out += '(';
  Items(out, args, kTest);
  for (size_t i = 0; i < keywords.size(); ++i) {
    if (i > 0 || !args.empty()) out += ", ";
    Keyword(out, keywords[i]);
  }
  out += ')';
}

void Unparser::Keyword(std::string& out, KeywordId id) {
  const KeywordNode& kw = tree_[id];
  if (kw.arg.IsNone()) {
    out += "**";
  } else {
    out += Name(kw.arg);
    out += '=';
  }
  Expr(out, kw.value, kTest);
}

void Unparser::Constant(std::string& out, const ExprNode& e) {
  marshal::Ref v = e.Constant.value;
  if (v->type == marshal::Type::Ellipsis) {
    out += "...";
    return;
  }
  // The `u` of a u'' literal is kept.
  if (!e.Constant.kind.IsNone()) out += Name(e.Constant.kind);
  if (v->type != marshal::Type::Tuple) return ConstantRepr(out, v);
  // A folded tuple: its items' reprs, in tuple display form.
  out += '(';
  for (size_t i = 0; i < v->items.size(); ++i) {
    if (i > 0) out += ", ";
    ConstantRepr(out, v->items[i]);
  }
  if (v->items.size() == 1) out += ',';
  out += ')';
}

void Unparser::ConstantRepr(std::string& out, marshal::Ref v) {
  switch (v->type) {
    case marshal::Type::Float:
    case marshal::Type::Complex:
      out += ReplaceInf(marshal::Repr(v));
      return;
    case marshal::Type::Int: {
      std::string digits = marshal::IntToDecimal(v);
      if (digits.size() - (v->negative ? 1 : 0) > kMaxStrDigits) failed_ = true;
      out += digits;
      return;
    }
    case marshal::Type::Null:
    case marshal::Type::None:
    case marshal::Type::True:
    case marshal::Type::False:
    case marshal::Type::Ellipsis:
    case marshal::Type::StopIteration:
    case marshal::Type::Str:
    case marshal::Type::Bytes:
    case marshal::Type::Tuple:
    case marshal::Type::List:
    case marshal::Type::Dict:
    case marshal::Type::Set:
    case marshal::Type::FrozenSet:
    case marshal::Type::Code:
      out += marshal::Repr(v);
      return;
  }
}

void Unparser::Attribute(std::string& out, const ExprNode& e) {
  const ExprNode& value = tree_[e.Attribute.value];
  Expr(out, e.Attribute.value, kAtom);
  // `1.real` would lex as a float: an int needs a space before the dot.
  bool int_value = value.kind == ExprKind::Constant &&
                   value.Constant.value->type == marshal::Type::Int;
  out += int_value ? " ." : ".";
  out += Name(e.Attribute.attr);
}

void Unparser::Slice(std::string& out, const ExprNode& e) {
  if (e.Slice.lower) Expr(out, e.Slice.lower, kTest);
  out += ':';
  if (e.Slice.upper) Expr(out, e.Slice.upper, kTest);
  if (e.Slice.step) {
    out += ':';
    Expr(out, e.Slice.step, kTest);
  }
}

void Unparser::Subscript(std::string& out, const ExprNode& e) {
  Expr(out, e.Subscript.value, kAtom);
  // A tuple with a starred item keeps its parentheses: `a[(*b,)]`.
  int level = kTuple;
  const ExprNode& slice = tree_[e.Subscript.slice];
  if (slice.kind == ExprKind::Tuple) {
    for (ExprId item : tree_[slice.Tuple.elts]) {
      if (tree_[item].kind == ExprKind::Starred) level = kTuple + 1;
    }
  }
  out += '[';
  Expr(out, e.Subscript.slice, level);
  out += ']';
}

void Unparser::Yield(std::string& out, const ExprNode& e) {
  if (!e.Yield.value) {
    out += "(yield)";
    return;
  }
  out += "(yield ";
  Expr(out, e.Yield.value, kTest);
  out += ')';
}

void Unparser::YieldFrom(std::string& out, const ExprNode& e) {
  out += "(yield from ";
  Expr(out, e.YieldFrom.value, kTest);
  out += ')';
}

void Unparser::Await(std::string& out, const ExprNode& e, int level) {
  Open(out, level > kAwait);
  out += "await ";
  Expr(out, e.Await.value, kAtom);
  Close(out, level > kAwait);
}

void Unparser::NamedExpr(std::string& out, const ExprNode& e, int level) {
  Open(out, level > kTuple);
  Expr(out, e.NamedExpr.target, kAtom);
  out += " := ";
  Expr(out, e.NamedExpr.value, kAtom);
  Close(out, level > kTuple);
}

// An f-string is written as one body (literal text with braces doubled, and
// the replacement fields) and then as `f` and the repr of that body, which
// picks the quotes. A format spec is the bare body.
void Unparser::JoinedStr(std::string& out, const ExprNode& e, bool is_format_spec) {
  std::string body;
  for (ExprId value : tree_[e.JoinedStr.values]) FStringElement(body, value, is_format_spec);
  if (is_format_spec) {
    out += body;
  } else {
    out += 'f';
    out += marshal::StrRepr(body);
  }
}

void Unparser::FStringElement(std::string& out, ExprId id, bool is_format_spec) {
  const ExprNode& e = tree_[id];
  if (e.kind == ExprKind::Constant && e.Constant.value->type == marshal::Type::Str) {
    AppendEscapedBraces(out, e.Constant.value->data);
  } else if (e.kind == ExprKind::JoinedStr) {
    JoinedStr(out, e, is_format_spec);
  } else {
    Expr(out, id, kTest);
  }
}

void Unparser::FormattedValue(std::string& out, const ExprNode& e) {
  // Above kTest, so that a lambda's or a conditional's ':' gets parentheses.
  std::string value;
  Expr(value, e.FormattedValue.value, kTest + 1);
  // `{{` would read as a literal brace.
  out += value.starts_with('{') ? "{ " : "{";
  out += value;
  int conversion = e.FormattedValue.conversion;
  if (conversion == 'a' || conversion == 'r' || conversion == 's') {
    out += '!';
    out += static_cast<char>(conversion);
  }
  if (e.FormattedValue.format_spec) {
    out += ':';
    FStringElement(out, e.FormattedValue.format_spec, true);
  }
  out += '}';
}

}  // namespace

std::optional<std::string> TryUnparseAnnotation(const ast::Ast& tree, ast::ExprId expr) {
  Unparser unparser(tree);
  std::string out;
  unparser.Expr(out, expr, kTest);
  if (unparser.failed()) return std::nullopt;
  return out;
}

std::string UnparseAnnotation(const ast::Ast& tree, ast::ExprId expr) {
  Unparser unparser(tree);
  std::string out;
  unparser.Expr(out, expr, kTest);
  return out;
}

}  // namespace xpyc::codegen
