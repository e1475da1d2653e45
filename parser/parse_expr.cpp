// Expression rules of the 3.10 grammar (expressions .. atom, arguments,
// comprehensions, lambda) and the assignment / del target rules.
#include "parser/parser.h"

namespace xpyc::parse {

namespace {

ExprNode NodeOf(ExprKind kind, Pos pos) {
  ExprNode n;
  n.kind = kind;
  n.pos = pos;
  return n;
}

}  // namespace

// The rest of a comma-separated list whose items from `base` on are already
// on exprs_scratch_: (',' item)* [','], a trailing comma allowed. Sets
// `*saw_comma` when any comma was eaten. Returns false, with the list's items
// dropped, when an error was raised meanwhile.
bool Parser::CommaListRest(ExprId (Parser::*item)(), size_t base, bool* saw_comma) {
  while (Eat(TokenKind::Comma)) {
    if (saw_comma != nullptr) *saw_comma = true;
    uint32_t m = Mark();
    ExprId e = (this->*item)();
    if (!e) {
      Reset(m);
      break;
    }
    exprs_scratch_.items.push_back(e);
  }
  if (error_) {
    exprs_scratch_.items.resize(base);
    return false;
  }
  return true;
}

// first (',' item)* [','] -> Tuple with `ctx`, spanning from token `start`;
// just `first` when no comma follows it.
ExprId Parser::TupleOrSingle(ExprId first, uint32_t start, ExprId (Parser::*item)(),
                             ExprContext ctx) {
  if (!At(TokenKind::Comma)) return first;
  size_t base = exprs_scratch_.items.size();
  exprs_scratch_.items.push_back(first);
  if (!CommaListRest(item, base, nullptr)) return {};
  return MakeTuple(FinishList(exprs_scratch_, base), ctx, SpanFrom(start));
}

// expressions: expression (',' expression)* [','] -> Tuple | expression
ExprId Parser::Expressions() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId a = Expression();
  if (!a) return {};
  return TupleOrSingle(a, start, &Parser::Expression, ExprContext::Load);
}

ExprId Parser::Expression() {
  return Memo<ExprId>(MemoRule::Expression, [&] { return ExpressionUncached(); });
}

// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
ExprId Parser::ExpressionUncached() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (call_invalid_rules_) {
    if (InvalidExpression() || error_) return {};
    if (InvalidLegacyExpression() || error_) return {};
  }
  return ExpressionBody(start);
}

// The alternatives of `expression` after its invalid_* ones.
ExprId Parser::ExpressionBody(uint32_t start) {
  ExprId body = Disjunction();
  if (body) {
    uint32_t after = Mark();
    if (Eat(TokenKind::KwIf)) {
      ExprId test = Disjunction();
      if (test && Eat(TokenKind::KwElse)) {
        ExprId orelse = Expression();
        if (orelse) {
          ExprNode n = NodeOf(ExprKind::IfExp, SpanFrom(start));
          n.IfExp = IfExpFields{test, body, orelse};
          return AddExpr(n);
        }
      }
    }
    Reset(after);
    return body;
  }
  if (error_) return {};
  Reset(start);
  return Lambdef();
}

// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
ExprId Parser::YieldExpr() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwYield)) return {};
  if (Eat(TokenKind::KwFrom)) {
    ExprId value = Expression();
    if (value) {
      ExprNode n = NodeOf(ExprKind::YieldFrom, SpanFrom(start));
      n.YieldFrom = YieldFromFields{value};
      return AddExpr(n);
    }
    Reset(start + 1);
  }
  ExprId value = StarExpressions();
  if (!value && error_) return {};
  ExprNode n = NodeOf(ExprKind::Yield, SpanFrom(start));
  n.Yield = YieldFields{value};
  return AddExpr(n);
}

// star_expressions: star_expression (',' star_expression)+ [','] -> Tuple
//                 | star_expression ',' -> Tuple | star_expression
ExprId Parser::StarExpressions() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId a = StarExpression();
  if (!a) return {};
  return TupleOrSingle(a, start, &Parser::StarExpression, ExprContext::Load);
}

// star_expression: '*' bitwise_or -> Starred | expression
ExprId Parser::StarExpression() {
  return Memo<ExprId>(MemoRule::StarExpression, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (Eat(TokenKind::Star)) {
      ExprId value = BitwiseOr();
      if (value) {
        ExprNode n = NodeOf(ExprKind::Starred, SpanFrom(start));
        n.Starred = StarredFields{value, ExprContext::Load};
        return AddExpr(n);
      }
      Reset(start);
      return {};
    }
    return Expression();
  });
}

// star_named_expressions: ','.star_named_expression+ [',']
bool Parser::StarNamedExpressions(Seq<ExprId>& out) {
  DepthGuard g(*this);
  if (!g.ok) return false;
  size_t base = exprs_scratch_.items.size();
  ExprId a = StarNamedExpression();
  if (!a) return false;
  exprs_scratch_.items.push_back(a);
  if (!CommaListRest(&Parser::StarNamedExpression, base, nullptr)) return false;
  out = FinishList(exprs_scratch_, base);
  return true;
}

// star_named_expression: '*' bitwise_or -> Starred | named_expression
ExprId Parser::StarNamedExpression() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (Eat(TokenKind::Star)) {
    ExprId value = BitwiseOr();
    if (value) {
      ExprNode n = NodeOf(ExprKind::Starred, SpanFrom(start));
      n.Starred = StarredFields{value, ExprContext::Load};
      return AddExpr(n);
    }
    Reset(start);
    return {};
  }
  return NamedExpression();
}

// assignment_expression: NAME ':=' ~ expression
ExprId Parser::AssignmentExpression() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!AtNameFollowedBy(TokenKind::ColonEqual)) return {};
  pos_ += 2;
  ExprId value = Expression();
  if (!value) {
    Reset(start);
    return {};
  }
  ExprNode n = NodeOf(ExprKind::NamedExpr, SpanFrom(start));
  n.NamedExpr = NamedExprFields{MakeName(start, ExprContext::Store), value};
  return AddExpr(n);
}

// named_expression: assignment_expression | expression !':='
ExprId Parser::NamedExpression() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (ExprId a = AssignmentExpression()) return a;
  if (error_) return {};
  if (call_invalid_rules_ && (InvalidNamedExpression() || error_)) return {};
  ExprId e = Expression();
  if (e && At(TokenKind::ColonEqual)) {
    Reset(start);
    return {};
  }
  return e;
}

// disjunction: conjunction ('or' conjunction)+ -> BoolOp | conjunction
// conjunction: inversion ('and' inversion)+ -> BoolOp | inversion
namespace {
struct BoolChain {
  TokenKind keyword;
  BoolOperator op;
};
}  // namespace

namespace {

// Tokens that end an expression at disjunction level: after a NAME or NUMBER
// followed by one of these, every rule from disjunction down to atom yields
// just that atom.
bool EndsOperand(TokenKind k) {
  switch (k) {
    case TokenKind::Comma:
    case TokenKind::RPar:
    case TokenKind::RSqb:
    case TokenKind::RBrace:
    case TokenKind::Colon:
    case TokenKind::Equal:
    case TokenKind::ColonEqual:
    case TokenKind::Newline:
    case TokenKind::Semi:
    case TokenKind::KwIf:
    case TokenKind::KwElse:
    case TokenKind::KwFor:
    case TokenKind::KwAs:
      return true;
    default:
      return false;
  }
}

// Atoms made of one token that Atom turns into a node without further checks.
bool IsSingleTokenAtom(TokenKind k) {
  switch (k) {
    case TokenKind::Name:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse:
    case TokenKind::KwNone:
    case TokenKind::Ellipsis:
      return true;
    default:
      return false;
  }
}

}  // namespace

// A shortcut through the precedence chain: a primary followed by a token
// that no rule between disjunction and primary can use is the whole
// disjunction. Primary is memoised, so a miss costs no re-parse.
ExprId Parser::LoneOperand() {
  switch (PeekKind()) {
    case TokenKind::Name:
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::LPar:
    case TokenKind::LSqb:
    case TokenKind::LBrace:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse:
    case TokenKind::KwNone:
    case TokenKind::Ellipsis:
      break;
    default:
      return {};
  }
  uint32_t start = Mark();
  ExprId primary = Primary();
  if (primary && EndsOperand(PeekKind())) return primary;
  Reset(start);
  return {};
}

// first (op operand)+ -> BoolOp spanning from token `start` (disjunction,
// conjunction); just `first` when no operand follows an operator.
ExprId Parser::BoolOpChain(ExprId first, uint32_t start, TokenKind op, BoolOperator kind,
                           ExprId (Parser::*operand)()) {
  size_t base = exprs_scratch_.items.size();
  exprs_scratch_.items.push_back(first);
  while (true) {
    uint32_t m = Mark();
    if (!Eat(op)) break;
    ExprId next = (this->*operand)();
    if (!next) {
      Reset(m);
      break;
    }
    exprs_scratch_.items.push_back(next);
  }
  if (error_ || exprs_scratch_.items.size() - base < 2) {
    exprs_scratch_.items.resize(base);
    return error_ ? ExprId{} : first;
  }
  Seq<ExprId> values = FinishList(exprs_scratch_, base);
  ExprNode n = NodeOf(ExprKind::BoolOp, SpanFrom(start));
  n.BoolOp = BoolOpFields{kind, values};
  return AddExpr(n);
}

ExprId Parser::Disjunction() {
  return Memo<ExprId>(MemoRule::Disjunction, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    if (ExprId quick = LoneOperand()) return quick;
    if (error_) return {};
    uint32_t start = Mark();
    ExprId first = Conjunction();
    if (!first || !At(TokenKind::KwOr)) return first;
    return BoolOpChain(first, start, TokenKind::KwOr, BoolOperator::Or, &Parser::Conjunction);
  });
}

ExprId Parser::Conjunction() {
  return Memo<ExprId>(MemoRule::Conjunction, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    ExprId first = Inversion();
    if (!first || !At(TokenKind::KwAnd)) return first;
    return BoolOpChain(first, start, TokenKind::KwAnd, BoolOperator::And, &Parser::Inversion);
  });
}

// inversion: 'not' inversion | comparison
ExprId Parser::Inversion() {
  return Memo<ExprId>(MemoRule::Inversion, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (Eat(TokenKind::KwNot)) {
      ExprId operand = Inversion();
      if (operand) {
        ExprNode n = NodeOf(ExprKind::UnaryOp, SpanFrom(start));
        n.UnaryOp = UnaryOpFields{UnaryOperator::Not, operand};
        return AddExpr(n);
      }
      Reset(start);
      if (error_) return {};
    }
    return Comparison();
  });
}

// comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
ExprId Parser::Comparison() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId left = BitwiseOr();
  if (!left) return {};
  size_t ops_base = cmpops_scratch_.items.size();
  size_t base = exprs_scratch_.items.size();
  while (true) {
    uint32_t m = Mark();
    CmpOperator op;
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::EqEqual: op = CmpOperator::Eq; ++pos_; break;
      case TokenKind::NotEqual:
        if (t.flags & lex::kNotEqualIsLtGt) goto done;
        op = CmpOperator::NotEq;
        ++pos_;
        break;
      case TokenKind::LessEqual: op = CmpOperator::LtE; ++pos_; break;
      case TokenKind::Less: op = CmpOperator::Lt; ++pos_; break;
      case TokenKind::GreaterEqual: op = CmpOperator::GtE; ++pos_; break;
      case TokenKind::Greater: op = CmpOperator::Gt; ++pos_; break;
      case TokenKind::KwIn: op = CmpOperator::In; ++pos_; break;
      case TokenKind::KwNot:
        if (PeekNext().kind != TokenKind::KwIn) goto done;
        op = CmpOperator::NotIn;
        pos_ += 2;
        break;
      case TokenKind::KwIs:
        ++pos_;
        if (Eat(TokenKind::KwNot)) {
          op = CmpOperator::IsNot;
        } else {
          op = CmpOperator::Is;
        }
        break;
      default:
        goto done;
    }
    {
      ExprId right = BitwiseOr();
      if (!right) {
        Reset(m);
        goto done;
      }
      cmpops_scratch_.items.push_back(op);
      exprs_scratch_.items.push_back(right);
    }
  }
done:
  if (error_ || exprs_scratch_.items.size() == base) {
    cmpops_scratch_.items.resize(ops_base);
    exprs_scratch_.items.resize(base);
    return error_ ? ExprId{} : left;
  }
  Seq<CmpOperator> ops = FinishList(cmpops_scratch_, ops_base);
  Seq<ExprId> comparators = FinishList(exprs_scratch_, base);
  ExprNode n = NodeOf(ExprKind::Compare, SpanFrom(start));
  n.Compare = CompareFields{left, ops, comparators};
  return AddExpr(n);
}

// The left-recursive binary operator rules, as loops.
namespace {

bool BinaryOperatorOf(TokenKind k, int level, Operator& op) {
  switch (level) {
    case 0:
      if (k == TokenKind::VBar) { op = Operator::BitOr; return true; }
      return false;
    case 1:
      if (k == TokenKind::Circumflex) { op = Operator::BitXor; return true; }
      return false;
    case 2:
      if (k == TokenKind::Amper) { op = Operator::BitAnd; return true; }
      return false;
    case 3:
      if (k == TokenKind::LeftShift) { op = Operator::LShift; return true; }
      if (k == TokenKind::RightShift) { op = Operator::RShift; return true; }
      return false;
    case 4:
      if (k == TokenKind::Plus) { op = Operator::Add; return true; }
      if (k == TokenKind::Minus) { op = Operator::Sub; return true; }
      return false;
    case 5:
      switch (k) {
        case TokenKind::Star: op = Operator::Mult; return true;
        case TokenKind::Slash: op = Operator::Div; return true;
        case TokenKind::DoubleSlash: op = Operator::FloorDiv; return true;
        case TokenKind::Percent: op = Operator::Mod; return true;
        case TokenKind::At: op = Operator::MatMult; return true;
        default: return false;
      }
    default:
      return false;
  }
}

}  // namespace

#define XPYC_BINARY_RULE(Name, Level, Operand)                      \
  ExprId Parser::Name() {                                           \
    DepthGuard g(*this);                                            \
    if (!g.ok) return {};                                           \
    uint32_t start = Mark();                                        \
    ExprId left = Operand();                                        \
    if (!left) return {};                                           \
    while (true) {                                                  \
      uint32_t m = Mark();                                          \
      Operator op;                                                  \
      if (!BinaryOperatorOf(PeekKind(), Level, op)) break;          \
      ++pos_;                                                       \
      ExprId right = Operand();                                     \
      if (!right) {                                                 \
        Reset(m);                                                   \
        break;                                                      \
      }                                                             \
      ExprNode n = NodeOf(ExprKind::BinOp, SpanFrom(start));        \
      n.BinOp = BinOpFields{left, op, right};                       \
      left = AddExpr(n);                                            \
    }                                                               \
    if (error_) return {};                                          \
    return left;                                                    \
  }

XPYC_BINARY_RULE(BitwiseXor, 1, BitwiseAnd)
XPYC_BINARY_RULE(BitwiseAnd, 2, ShiftExpr)
XPYC_BINARY_RULE(ShiftExpr, 3, Sum)
XPYC_BINARY_RULE(Sum, 4, Term)
XPYC_BINARY_RULE(Term, 5, Factor)
#undef XPYC_BINARY_RULE

ExprId Parser::BitwiseOr() {
  return Memo<ExprId>(MemoRule::BitwiseOr, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    ExprId left = BitwiseXor();
    if (!left) return {};
    while (At(TokenKind::VBar)) {
      uint32_t m = Mark();
      ++pos_;
      ExprId right = BitwiseXor();
      if (!right) {
        Reset(m);
        break;
      }
      ExprNode n = NodeOf(ExprKind::BinOp, SpanFrom(start));
      n.BinOp = BinOpFields{left, Operator::BitOr, right};
      left = AddExpr(n);
    }
    if (error_) return {};
    return left;
  });
}

// factor: '+' factor | '-' factor | '~' factor | power
ExprId Parser::Factor() {
  return Memo<ExprId>(MemoRule::Factor, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    UnaryOperator op;
    switch (PeekKind()) {
      case TokenKind::Plus: op = UnaryOperator::UAdd; break;
      case TokenKind::Minus: op = UnaryOperator::USub; break;
      case TokenKind::Tilde: op = UnaryOperator::Invert; break;
      default: return Power();
    }
    ++pos_;
    ExprId operand = Factor();
    if (!operand) {
      Reset(start);
      return {};
    }
    ExprNode n = NodeOf(ExprKind::UnaryOp, SpanFrom(start));
    n.UnaryOp = UnaryOpFields{op, operand};
    return AddExpr(n);
  });
}

// power: await_primary '**' factor | await_primary
ExprId Parser::Power() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId left = AwaitPrimary();
  if (!left) return {};
  uint32_t m = Mark();
  if (Eat(TokenKind::DoubleStar)) {
    ExprId right = Factor();
    if (right) {
      ExprNode n = NodeOf(ExprKind::BinOp, SpanFrom(start));
      n.BinOp = BinOpFields{left, Operator::Pow, right};
      return AddExpr(n);
    }
    if (error_) return {};
    Reset(m);
  }
  return left;
}

// await_primary: AWAIT primary | primary
ExprId Parser::AwaitPrimary() {
  return Memo<ExprId>(MemoRule::AwaitPrimary, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (Eat(TokenKind::KwAwait)) {
      ExprId value = Primary();
      if (!value) {
        Reset(start);
        return {};
      }
      ExprNode n = NodeOf(ExprKind::Await, SpanFrom(start));
      n.Await = AwaitFields{value};
      return AddExpr(n);
    }
    return Primary();
  });
}

ExprId Parser::MakeCall(ExprId func, Seq<ExprId> args, Seq<KeywordId> kws, uint32_t start) {
  ExprNode n = NodeOf(ExprKind::Call, SpanFrom(start));
  n.Call = CallFields{func, args, kws};
  return AddExpr(n);
}

// '(' [arguments] ')' after `func`; None (position unchanged) if absent.
ExprId Parser::CallTrailer(ExprId func, uint32_t start) {
  uint32_t m = Mark();
  if (!At(TokenKind::LPar)) return {};
  // primary genexp, whose invalid_comprehension comes before the arguments.
  if (call_invalid_rules_) {
    if (!Genexp() && !error_) {
      Reset(m);
      InvalidComprehension(false);
    }
    if (error_) return {};
    Reset(m);
  }
  ++pos_;
  Seq<ExprId> args;
  Seq<KeywordId> kws;
  if (!Arguments(args, kws) && error_) return {};
  if (!Eat(TokenKind::RPar)) {
    Reset(m);
    return {};
  }
  return MakeCall(func, args, kws, start);
}

// primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')'
//        | primary '[' slices ']' | atom
ExprId Parser::Primary() {
  return Memo<ExprId>(MemoRule::Primary, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    ExprId e = Atom();
    if (!e) return {};
    while (!error_) {
      uint32_t m = Mark();
      TokenKind k = PeekKind();
      if (k == TokenKind::Dot) {
        ++pos_;
        if (!At(TokenKind::Name)) {
          Reset(m);
          break;
        }
        NameId attr = Identifier(Peek());
        ++pos_;
        ExprNode n = NodeOf(ExprKind::Attribute, SpanFrom(start));
        n.Attribute = AttributeFields{e, attr, ExprContext::Load};
        e = AddExpr(n);
      } else if (k == TokenKind::LPar) {
        if (ExprId gen = Genexp()) {
          size_t base = exprs_scratch_.items.size();
          exprs_scratch_.items.push_back(gen);
          e = MakeCall(e, FinishList(exprs_scratch_, base), Seq<KeywordId>{}, start);
          continue;
        }
        if (error_) return {};
        ExprId call = CallTrailer(e, start);
        if (!call) break;
        e = call;
      } else if (k == TokenKind::LSqb) {
        ++pos_;
        ExprId slice = Slices();
        if (!slice || !Eat(TokenKind::RSqb)) {
          Reset(m);
          break;
        }
        ExprNode n = NodeOf(ExprKind::Subscript, SpanFrom(start));
        n.Subscript = SubscriptFields{e, slice, ExprContext::Load};
        e = AddExpr(n);
      } else {
        break;
      }
    }
    if (error_) return {};
    return e;
  });
}

// slices: slice !',' | ','.slice+ [','] -> Tuple
ExprId Parser::Slices() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId first = Slice();
  if (!first) return {};
  return TupleOrSingle(first, start, &Parser::Slice, ExprContext::Load);
}

// slice: [expression] ':' [expression] [':' [expression]] | named_expression
ExprId Parser::Slice() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId lower = Expression();
  if (error_) return {};
  if (Eat(TokenKind::Colon)) {
    ExprId upper = Expression();
    ExprId step;
    if (Eat(TokenKind::Colon)) step = Expression();
    if (error_) return {};
    ExprNode n = NodeOf(ExprKind::Slice, SpanFrom(start));
    n.Slice = SliceFields{lower, upper, step};
    return AddExpr(n);
  }
  Reset(start);
  return NamedExpression();
}

// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple/group/genexp
//     | list/listcomp | dict/set/dictcomp/setcomp | '...'
ExprId Parser::Atom() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  const Token& t = Peek();
  auto constant = [&](marshal::Ref value) {
    ++pos_;
    ExprNode n = NodeOf(ExprKind::Constant, SpanFrom(start));
    n.Constant = ConstantFields{value, NameId{}};
    return AddExpr(n);
  };
  // The first cases, one token each, are the kinds IsSingleTokenAtom lists:
  // keep the two in step.
  switch (t.kind) {
    case TokenKind::Name:
      ++pos_;
      return MakeName(start, ExprContext::Load);
    case TokenKind::KwTrue: return constant(tree_.heap().True());
    case TokenKind::KwFalse: return constant(tree_.heap().False());
    case TokenKind::KwNone: return constant(tree_.heap().None());
    case TokenKind::Ellipsis: return constant(tree_.heap().Ellipsis());
    case TokenKind::String: return Strings();
    case TokenKind::Number: return Number(start);
    case TokenKind::LPar: return ParenAtom();
    case TokenKind::LSqb: return BracketAtom();
    case TokenKind::LBrace: return BraceAtom();
    default: return {};
  }
}

// tuple | group | genexp
ExprId Parser::ParenAtom() {
  uint32_t start = Mark();
  // tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
  ++pos_;
  if (Eat(TokenKind::RPar)) {
    return MakeTuple(Seq<ExprId>{}, ExprContext::Load, SpanFrom(start));
  }
  if (ExprId first = StarNamedExpression()) {
    if (Eat(TokenKind::Comma)) {
      size_t base = exprs_scratch_.items.size();
      exprs_scratch_.items.push_back(first);
      Seq<ExprId> rest;
      if (StarNamedExpressions(rest)) {
        for (ExprId e : tree_[rest]) exprs_scratch_.items.push_back(e);
      }
      if (!error_ && Eat(TokenKind::RPar)) {
        return MakeTuple(FinishList(exprs_scratch_, base), ExprContext::Load, SpanFrom(start));
      }
      exprs_scratch_.items.resize(base);
    }
  }
  if (error_) return {};
  // group: '(' (yield_expr | named_expression) ')'
  Reset(start + 1);
  ExprId inner = YieldExpr();
  if (!inner && !error_) inner = NamedExpression();
  if (inner && Eat(TokenKind::RPar)) return inner;
  if (error_) return {};
  Reset(start);
  if (call_invalid_rules_ && (InvalidGroup() || error_)) return {};
  // genexp
  ExprId genexp = Genexp();
  if (genexp || error_ || !call_invalid_rules_) return genexp;
  InvalidComprehension(false);
  return {};
}

// genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')'
ExprId Parser::Genexp() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  // A shortcut (first pass only): without 'for' directly inside the
  // parentheses, for_if_clauses cannot match.
  if (!call_invalid_rules_ && !MayHoldComprehension(pos_)) return {};
  uint32_t start = Mark();
  if (!Eat(TokenKind::LPar)) return {};
  ExprId elt = AssignmentExpression();
  if (!elt && !error_) {
    elt = Expression();
    if (elt && At(TokenKind::ColonEqual)) elt = {};
  }
  Seq<ComprehensionId> gens;
  if (elt && ForIfClauses(gens) && Eat(TokenKind::RPar)) {
    ExprNode n = NodeOf(ExprKind::GeneratorExp, SpanFrom(start));
    n.GeneratorExp = GeneratorExpFields{elt, gens};
    return AddExpr(n);
  }
  Reset(start);
  return {};
}

// list | listcomp
ExprId Parser::BracketAtom() {
  uint32_t start = Mark();
  ++pos_;
  Seq<ExprId> elts;
  StarNamedExpressions(elts);
  if (error_) return {};
  if (Eat(TokenKind::RSqb)) {
    ExprNode n = NodeOf(ExprKind::List, SpanFrom(start));
    n.List = ListFields{elts, ExprContext::Load};
    return AddExpr(n);
  }
  Reset(start + 1);
  ExprId elt = NamedExpression();
  Seq<ComprehensionId> gens;
  if (elt && ForIfClauses(gens) && Eat(TokenKind::RSqb)) {
    ExprNode n = NodeOf(ExprKind::ListComp, SpanFrom(start));
    n.ListComp = ListCompFields{elt, gens};
    return AddExpr(n);
  }
  Reset(start);
  if (call_invalid_rules_ && !error_) InvalidComprehension(true);
  return {};
}

// dict | set | dictcomp | setcomp
ExprId Parser::BraceAtom() {
  uint32_t start = Mark();
  ++pos_;
  // dict: '{' [double_starred_kvpairs] '}'
  {
    size_t keys_base = exprs_scratch_.items.size();
    size_t values_base = dict_values_scratch_.items.size();
    while (true) {
      uint32_t m = Mark();
      ExprId key, value;
      if (Eat(TokenKind::DoubleStar)) {
        value = BitwiseOr();
      } else {
        if (call_invalid_rules_ && m > start + 1 && InvalidLaterDictKey()) {
          exprs_scratch_.items.resize(keys_base);
          dict_values_scratch_.items.resize(values_base);
          return {};
        }
        key = Expression();
        if (key && Eat(TokenKind::Colon)) {
          value = Expression();
        } else {
          key = {};
        }
      }
      if (!value) {
        Reset(m);
        break;
      }
      exprs_scratch_.items.push_back(key);
      dict_values_scratch_.items.push_back(value);
      if (!Eat(TokenKind::Comma)) break;
    }
    if (!error_ && Eat(TokenKind::RBrace)) {
      Seq<ExprId> keys = FinishList(exprs_scratch_, keys_base);
      Seq<ExprId> vals = FinishList(dict_values_scratch_, values_base);
      ExprNode n = NodeOf(ExprKind::Dict, SpanFrom(start));
      n.Dict = DictFields{keys, vals};
      return AddExpr(n);
    }
    exprs_scratch_.items.resize(keys_base);
    dict_values_scratch_.items.resize(values_base);
    if (error_) return {};
    Reset(start + 1);
    if (call_invalid_rules_ && (InvalidDoubleStarredKvpairs() || error_)) return {};
  }
  // set: '{' star_named_expressions '}'
  Reset(start + 1);
  {
    Seq<ExprId> elts;
    if (StarNamedExpressions(elts) && Eat(TokenKind::RBrace)) {
      ExprNode n = NodeOf(ExprKind::Set, SpanFrom(start));
      n.Set = SetFields{elts};
      return AddExpr(n);
    }
    if (error_) return {};
  }
  // dictcomp: '{' kvpair for_if_clauses '}'
  Reset(start + 1);
  {
    ExprId key = Expression();
    if (key && Eat(TokenKind::Colon)) {
      ExprId value = Expression();
      Seq<ComprehensionId> gens;
      if (value && ForIfClauses(gens) && Eat(TokenKind::RBrace)) {
        ExprNode n = NodeOf(ExprKind::DictComp, SpanFrom(start));
        n.DictComp = DictCompFields{key, value, gens};
        return AddExpr(n);
      }
    }
    if (error_) return {};
    Reset(start);
    if (call_invalid_rules_ && (InvalidDictComprehension() || error_)) return {};
  }
  // setcomp: '{' named_expression for_if_clauses '}'
  Reset(start + 1);
  {
    ExprId elt = NamedExpression();
    Seq<ComprehensionId> gens;
    if (elt && ForIfClauses(gens) && Eat(TokenKind::RBrace)) {
      ExprNode n = NodeOf(ExprKind::SetComp, SpanFrom(start));
      n.SetComp = SetCompFields{elt, gens};
      return AddExpr(n);
    }
  }
  Reset(start);
  if (call_invalid_rules_ && !error_) InvalidComprehension(true);
  return {};
}

// for_if_clauses: for_if_clause+
// for_if_clause: [ASYNC] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*
bool Parser::ForIfClauses(Seq<ComprehensionId>& out) {
  DepthGuard g(*this);
  if (!g.ok) return false;
  size_t base = comps_scratch_.items.size();
  while (!error_) {
    uint32_t m = Mark();
    bool is_async = Eat(TokenKind::KwAsync);
    if (!Eat(TokenKind::KwFor)) {
      Reset(m);
      break;
    }
    ExprId target = StarTargets();
    if (!target || !Eat(TokenKind::KwIn)) {
      Reset(m);
      if (call_invalid_rules_ && !error_) InvalidForTarget();
      break;
    }
    ExprId iter = Disjunction();
    if (!iter) {
      Reset(m);
      break;
    }
    size_t ifs_base = exprs_scratch_.items.size();
    while (true) {
      uint32_t im = Mark();
      if (!Eat(TokenKind::KwIf)) break;
      ExprId cond = Disjunction();
      if (!cond) {
        Reset(im);
        break;
      }
      exprs_scratch_.items.push_back(cond);
    }
    ComprehensionNode c;
    c.target = target;
    c.iter = iter;
    c.ifs = FinishList(exprs_scratch_, ifs_base);
    c.is_async = is_async ? 1 : 0;
    comps_scratch_.items.push_back(tree_.Add(c));
  }
  if (error_ || comps_scratch_.items.size() == base) {
    comps_scratch_.items.resize(base);
    return false;
  }
  out = FinishList(comps_scratch_, base);
  return true;
}

// lambdef: 'lambda' [lambda_params] ':' expression
ExprId Parser::Lambdef() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwLambda)) return {};
  ArgumentsId args = Params(/*lambda=*/true);
  if (error_) return {};
  if (!args) args = EmptyArguments();
  if (!Eat(TokenKind::Colon)) {
    Reset(start);
    return {};
  }
  ExprId body = Expression();
  if (!body) {
    Reset(start);
    return {};
  }
  ExprNode n = NodeOf(ExprKind::Lambda, SpanFrom(start));
  n.Lambda = LambdaFields{args, body};
  return AddExpr(n);
}

// arguments: args [','] &')'
bool Parser::Arguments(Seq<ExprId>& args, Seq<KeywordId>& keywords) {
  // The memo stores an index into arguments_results_ plus one.
  struct ArgumentsRef {
    uint32_t index = 0;
    explicit operator bool() const { return index != 0; }
  };
  ArgumentsRef ref = Memo<ArgumentsRef>(MemoRule::Arguments, [&]() -> ArgumentsRef {
    ArgumentsResult result;
    const uint32_t start = Mark();
    if (!ArgumentsUncached(result.args, result.keywords)) {
      if (call_invalid_rules_ && !error_) InvalidArguments(start);
      return {};
    }
    arguments_results_.push_back(result);
    return ArgumentsRef{static_cast<uint32_t>(arguments_results_.size())};
  });
  if (!ref) return false;
  args = arguments_results_[ref.index - 1].args;
  keywords = arguments_results_[ref.index - 1].keywords;
  return true;
}

// starred_expression: '*' expression
ExprId Parser::StarredExpression() {
  uint32_t start = Mark();
  if (!Eat(TokenKind::Star)) return {};
  ExprId value = Expression();
  if (!value) {
    Reset(start);
    return {};
  }
  ExprNode n = NodeOf(ExprKind::Starred, SpanFrom(start));
  n.Starred = StarredFields{value, ExprContext::Load};
  return AddExpr(n);
}

// kwarg_or_starred: NAME '=' expression | starred_expression
// kwarg_or_double_starred: NAME '=' expression | '**' expression
KeywordId Parser::KwargOrStarred(bool double_starred, ExprId& starred) {
  uint32_t start = Mark();
  starred = {};
  if (call_invalid_rules_ && (InvalidKwarg() || error_)) return {};
  if (AtNameFollowedBy(TokenKind::Equal)) {
    NameId name = Identifier(Peek());
    pos_ += 2;
    ExprId value = Expression();
    if (value) {
      KeywordNode k;
      k.arg = name;
      k.value = value;
      k.pos = SpanFrom(start);
      return tree_.Add(k);
    }
    Reset(start);
    if (error_) return {};
  }
  if (double_starred) {
    if (Eat(TokenKind::DoubleStar)) {
      ExprId value = Expression();
      if (value) {
        KeywordNode k;
        k.value = value;
        k.pos = SpanFrom(start);
        return tree_.Add(k);
      }
      Reset(start);
    }
    return {};
  }
  starred = StarredExpression();
  return {};
}

// starred_expression | (assignment_expression | expression !':=') !'='
ExprId Parser::PositionalArgument() {
  ExprId e = StarredExpression();
  if (e || error_) return e;
  e = AssignmentExpression();
  if (!e && !error_) {
    e = Expression();
    if (e && At(TokenKind::ColonEqual)) return {};
  }
  if (e && At(TokenKind::Equal)) return {};
  return e;
}

// args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+
//         [',' kwargs]
//     | kwargs
bool Parser::ArgumentsUncached(Seq<ExprId>& args, Seq<KeywordId>& keywords, bool args_only) {
  DepthGuard g(*this);
  if (!g.ok) return false;
  uint32_t start = Mark();
  size_t args_base = exprs_scratch_.items.size();
  size_t kw_base = keywords_scratch_.items.size();
  auto fail = [&] {
    exprs_scratch_.items.resize(args_base);
    keywords_scratch_.items.resize(kw_base);
    Reset(start);
    return false;
  };
  // Positional arguments.
  while (!error_) {
    uint32_t m = Mark();
    // NAME '=' starts the keywords: PositionalArgument would parse the NAME
    // only to reject it at the '=' (first pass only: the second runs the
    // invalid_* rules on the way).
    ExprId e;
    if (call_invalid_rules_ || !AtNameFollowedBy(TokenKind::Equal)) e = PositionalArgument();
    if (!e) {
      Reset(m);
      if (m > start) Reset(m - 1);  // give back the separating comma
      break;
    }
    exprs_scratch_.items.push_back(e);
    if (!At(TokenKind::Comma)) break;
    ++pos_;
  }
  if (error_) return fail();
  bool have_positional = exprs_scratch_.items.size() > args_base;
  uint32_t before_kwargs = Mark();
  if (have_positional && !Eat(TokenKind::Comma)) {
    // no kwargs
  } else {
    // kwargs: ','.kwarg_or_starred+ ',' ','.kwarg_or_double_starred+
    //       | ','.kwarg_or_starred+ | ','.kwarg_or_double_starred+
    auto gather = [&](bool double_starred) {
      size_t count = 0;
      while (!error_) {
        uint32_t m = Mark();
        ExprId starred;
        KeywordId kw = KwargOrStarred(double_starred, starred);
        if (kw) {
          keywords_scratch_.items.push_back(kw);
        } else if (starred) {
          exprs_scratch_.items.push_back(starred);
        } else {
          Reset(m);
          if (count > 0) Reset(m - 1);
          break;
        }
        ++count;
        if (!At(TokenKind::Comma)) break;
        ++pos_;
      }
      return count;
    };
    size_t first = gather(false);
    if (first > 0) {
      uint32_t m = Mark();
      size_t args_mark = exprs_scratch_.items.size();
      size_t kw_mark = keywords_scratch_.items.size();
      if (Eat(TokenKind::Comma) && gather(true) > 0) {
        // both groups
      } else {
        exprs_scratch_.items.resize(args_mark);
        keywords_scratch_.items.resize(kw_mark);
        Reset(m);
      }
    } else if (!error_) {
      if (gather(true) == 0) {
        if (!have_positional) return fail();
        Reset(before_kwargs);
      }
    }
  }
  if (error_) return fail();
  if (args_only) {
    args = FinishList(exprs_scratch_, args_base);
    keywords = FinishList(keywords_scratch_, kw_base);
    return true;
  }
  // [','] &')'
  uint32_t m = Mark();
  Eat(TokenKind::Comma);
  if (!At(TokenKind::RPar)) {
    Reset(m);
    return fail();
  }
  args = FinishList(exprs_scratch_, args_base);
  keywords = FinishList(keywords_scratch_, kw_base);
  return true;
}

// ---------------------------------------------------------------------------
// Targets

bool Parser::AtTLookahead() {
  TokenKind k = PeekKind();
  return k == TokenKind::LPar || k == TokenKind::LSqb || k == TokenKind::Dot;
}

// star_targets: star_target !',' | star_target (',' star_target)* [','] -> Tuple
ExprId Parser::StarTargets() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId first = StarTarget();
  if (!first) return {};
  return TupleOrSingle(first, start, &Parser::StarTarget, ExprContext::Store);
}

// star_targets_list_seq: ','.star_target+ [',']
// star_targets_tuple_seq: star_target (',' star_target)+ [','] | star_target ','
bool Parser::StarTargetsSeq(Seq<ExprId>& out, bool tuple_form) {
  uint32_t start = Mark();
  size_t base = exprs_scratch_.items.size();
  ExprId first = StarTarget();
  if (!first) return false;
  exprs_scratch_.items.push_back(first);
  bool comma = false;
  if (!CommaListRest(&Parser::StarTarget, base, &comma) || (tuple_form && !comma)) {
    exprs_scratch_.items.resize(base);
    Reset(start);
    return false;
  }
  out = FinishList(exprs_scratch_, base);
  return true;
}

// star_target: '*' (!'*' star_target) -> Starred | target_with_star_atom
ExprId Parser::StarTarget() {
  return Memo<ExprId>(MemoRule::StarTarget, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (Eat(TokenKind::Star)) {
      if (At(TokenKind::Star)) {
        Reset(start);
        return {};
      }
      ExprId inner = StarTarget();
      if (!inner) {
        Reset(start);
        return {};
      }
      ExprNode n = NodeOf(ExprKind::Starred, SpanFrom(start));
      n.Starred = StarredFields{SetContext(inner, ExprContext::Store), ExprContext::Store};
      return AddExpr(n);
    }
    return TargetWithStarAtom();
  });
}

// t_primary '.' NAME / t_primary '[' slices ']' followed by !t_lookahead.
ExprId Parser::TargetTrailer(ExprId base, uint32_t start, ExprContext ctx) {
  uint32_t m = Mark();
  if (Eat(TokenKind::Dot)) {
    if (At(TokenKind::Name)) {
      NameId attr = Identifier(Peek());
      ++pos_;
      if (!AtTLookahead()) {
        ExprNode n = NodeOf(ExprKind::Attribute, SpanFrom(start));
        n.Attribute = AttributeFields{base, attr, ctx};
        return AddExpr(n);
      }
    }
  } else if (Eat(TokenKind::LSqb)) {
    ExprId slice = Slices();
    if (slice && Eat(TokenKind::RSqb) && !AtTLookahead()) {
      ExprNode n = NodeOf(ExprKind::Subscript, SpanFrom(start));
      n.Subscript = SubscriptFields{base, slice, ctx};
      return AddExpr(n);
    }
  }
  Reset(m);
  return {};
}

// target_with_star_atom: t_primary '.' NAME !t_lookahead
//                      | t_primary '[' slices ']' !t_lookahead | star_atom
ExprId Parser::TargetWithStarAtom() {
  return Memo<ExprId>(MemoRule::TargetWithStarAtom, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (ExprId base = TPrimary()) {
      if (ExprId t = TargetTrailer(base, start, ExprContext::Store)) return t;
      Reset(start);
    }
    if (error_) return {};
    return StarAtom();
  });
}

// star_atom: NAME | '(' target_with_star_atom ')' | '(' [star_targets_tuple_seq] ')'
//          | '[' [star_targets_list_seq] ']'
ExprId Parser::StarAtom() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (At(TokenKind::Name)) {
    ++pos_;
    return MakeName(start, ExprContext::Store);
  }
  if (Eat(TokenKind::LPar)) {
    ExprId inner = TargetWithStarAtom();
    if (inner && Eat(TokenKind::RPar)) return SetContext(inner, ExprContext::Store);
    if (error_) return {};
    Reset(start + 1);
    Seq<ExprId> elts;
    StarTargetsSeq(elts, /*tuple_form=*/true);
    if (!error_ && Eat(TokenKind::RPar)) {
      return MakeTuple(elts, ExprContext::Store, SpanFrom(start));
    }
    Reset(start);
    return {};
  }
  if (Eat(TokenKind::LSqb)) {
    Seq<ExprId> elts;
    StarTargetsSeq(elts, /*tuple_form=*/false);
    if (!error_ && Eat(TokenKind::RSqb)) {
      ExprNode n = NodeOf(ExprKind::List, SpanFrom(start));
      n.List = ListFields{elts, ExprContext::Store};
      return AddExpr(n);
    }
    Reset(start);
  }
  return {};
}

// single_target: single_subscript_attribute_target | NAME | '(' single_target ')'
ExprId Parser::SingleTarget() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (ExprId t = SingleSubscriptAttributeTarget()) return t;
  if (error_) return {};
  if (At(TokenKind::Name)) {
    ++pos_;
    return MakeName(start, ExprContext::Store);
  }
  if (Eat(TokenKind::LPar)) {
    ExprId inner = SingleTarget();
    if (inner && Eat(TokenKind::RPar)) return inner;
    Reset(start);
  }
  return {};
}

// single_subscript_attribute_target: t_primary '.' NAME !t_lookahead
//                                  | t_primary '[' slices ']' !t_lookahead
ExprId Parser::SingleSubscriptAttributeTarget() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId base = TPrimary();
  if (!base) return {};
  if (ExprId t = TargetTrailer(base, start, ExprContext::Store)) return t;
  Reset(start);
  return {};
}

// t_primary: t_primary '.' NAME &t_lookahead | t_primary '[' slices ']' &t_lookahead
//          | t_primary genexp &t_lookahead | t_primary '(' [arguments] ')' &t_lookahead
//          | atom &t_lookahead
ExprId Parser::TPrimary() {
  return Memo<ExprId>(MemoRule::TPrimary, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (IsSingleTokenAtom(PeekKind())) {
      // Such an atom without a t_lookahead after it fails here: decide before
      // building it. The guard mirrors Atom's.
      DepthGuard atom_guard(*this);
      if (!atom_guard.ok) return {};
      ++pos_;
      bool lookahead = AtTLookahead();
      Reset(start);
      if (!lookahead) return {};
    }
    ExprId e = Atom();
    if (!e || !AtTLookahead()) {
      Reset(start);
      return {};
    }
    while (!error_) {
      uint32_t m = Mark();
      ExprId next;
      TokenKind k = PeekKind();
      if (k == TokenKind::Dot) {
        ++pos_;
        if (At(TokenKind::Name)) {
          NameId attr = Identifier(Peek());
          ++pos_;
          if (AtTLookahead()) {
            ExprNode n = NodeOf(ExprKind::Attribute, SpanFrom(start));
            n.Attribute = AttributeFields{e, attr, ExprContext::Load};
            next = AddExpr(n);
          }
        }
      } else if (k == TokenKind::LSqb) {
        ++pos_;
        ExprId slice = Slices();
        if (slice && Eat(TokenKind::RSqb) && AtTLookahead()) {
          ExprNode n = NodeOf(ExprKind::Subscript, SpanFrom(start));
          n.Subscript = SubscriptFields{e, slice, ExprContext::Load};
          next = AddExpr(n);
        }
      } else if (k == TokenKind::LPar) {
        if (ExprId gen = Genexp(); gen && AtTLookahead()) {
          size_t base = exprs_scratch_.items.size();
          exprs_scratch_.items.push_back(gen);
          next = MakeCall(e, FinishList(exprs_scratch_, base), Seq<KeywordId>{}, start);
        } else if (!error_) {
          Reset(m);
          ExprId call = CallTrailer(e, start);
          if (call && AtTLookahead()) next = call;
        }
      }
      if (!next) {
        Reset(m);
        break;
      }
      e = next;
    }
    if (error_) return {};
    return e;
  });
}

// del_targets: ','.del_target+ [',']
bool Parser::DelTargets(Seq<ExprId>& out) {
  size_t base = exprs_scratch_.items.size();
  ExprId first = DelTarget();
  if (!first) return false;
  exprs_scratch_.items.push_back(first);
  if (!CommaListRest(&Parser::DelTarget, base, nullptr)) return false;
  out = FinishList(exprs_scratch_, base);
  return true;
}

// del_target: t_primary '.' NAME !t_lookahead | t_primary '[' slices ']' !t_lookahead
//           | del_t_atom
ExprId Parser::DelTarget() {
  return Memo<ExprId>(MemoRule::DelTarget, [&]() -> ExprId {
    DepthGuard g(*this);
    if (!g.ok) return {};
    uint32_t start = Mark();
    if (ExprId base = TPrimary()) {
      if (ExprId t = TargetTrailer(base, start, ExprContext::Del)) return t;
      Reset(start);
    }
    if (error_) return {};
    return DelTAtom();
  });
}

// del_t_atom: NAME | '(' del_target ')' | '(' [del_targets] ')' | '[' [del_targets] ']'
ExprId Parser::DelTAtom() {
  uint32_t start = Mark();
  if (At(TokenKind::Name)) {
    ++pos_;
    return MakeName(start, ExprContext::Del);
  }
  if (Eat(TokenKind::LPar)) {
    ExprId inner = DelTarget();
    if (inner && Eat(TokenKind::RPar)) return SetContext(inner, ExprContext::Del);
    if (error_) return {};
    Reset(start + 1);
    Seq<ExprId> elts;
    DelTargets(elts);
    if (!error_ && Eat(TokenKind::RPar)) return MakeTuple(elts, ExprContext::Del, SpanFrom(start));
    Reset(start);
    return {};
  }
  if (Eat(TokenKind::LSqb)) {
    Seq<ExprId> elts;
    DelTargets(elts);
    if (!error_ && Eat(TokenKind::RSqb)) {
      ExprNode n = NodeOf(ExprKind::List, SpanFrom(start));
      n.List = ListFields{elts, ExprContext::Del};
      return AddExpr(n);
    }
    Reset(start);
  }
  return {};
}

}  // namespace xpyc::parse
