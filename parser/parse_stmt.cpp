// Statement rules of the 3.10 grammar, blocks and function parameters.
#include "parser/parser.h"

namespace xpyc::parse {

namespace {

StmtNode StmtOf(StmtKind kind, Pos pos) {
  StmtNode n;
  n.kind = kind;
  n.pos = pos;
  return n;
}

// The memo stores a block as an index into block_results_ plus one.
struct BlockRef {
  uint32_t index = 0;
  explicit operator bool() const { return index != 0; }
};

}  // namespace

// statements: statement+   (pushes onto stmts_scratch_)
bool Parser::Statements(size_t& count) {
  count = 0;
  while (!error_ && Statement()) ++count;
  return count > 0 && !error_;
}

// statement: compound_stmt | simple_stmts
bool Parser::Statement() {
  DepthGuard g(*this);
  if (!g.ok) return false;
  if (StmtId s = CompoundStmt()) {
    stmts_scratch_.items.push_back(s);
    return true;
  }
  if (error_) return false;
  return SimpleStmts();
}

// simple_stmts: simple_stmt !';' NEWLINE | ';'.simple_stmt+ [';'] NEWLINE
bool Parser::SimpleStmts() {
  DepthGuard g(*this);
  if (!g.ok) return false;
  uint32_t start = Mark();
  size_t base = stmts_scratch_.items.size();
  StmtId first = SimpleStmt();
  if (!first) return false;
  stmts_scratch_.items.push_back(first);
  while (Eat(TokenKind::Semi)) {
    uint32_t m = Mark();
    StmtId s = SimpleStmt();
    if (!s) {
      Reset(m);
      break;
    }
    stmts_scratch_.items.push_back(s);
  }
  if (error_ || !Eat(TokenKind::Newline)) {
    stmts_scratch_.items.resize(base);
    Reset(start);
    return false;
  }
  return true;
}

StmtId Parser::SimpleStmt() {
  return Memo<StmtId>(MemoRule::SimpleStmt, [&] { return SimpleStmtUncached(); });
}

// simple_stmt: assignment | star_expressions | return_stmt | import_stmt
//            | raise_stmt | 'pass' | del_stmt | yield_stmt | assert_stmt
//            | 'break' | 'continue' | global_stmt | nonlocal_stmt
StmtId Parser::SimpleStmtUncached() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  auto bare = [&](StmtKind kind) {
    ++pos_;
    return AddStmt(StmtOf(kind, SpanFrom(start)));
  };
  switch (PeekKind()) {
    case TokenKind::KwReturn: return ReturnStmt();
    case TokenKind::KwImport: return ImportName();
    case TokenKind::KwFrom: return ImportFrom();
    case TokenKind::KwRaise: return RaiseStmt();
    case TokenKind::KwPass: return bare(StmtKind::Pass);
    case TokenKind::KwBreak: return bare(StmtKind::Break);
    case TokenKind::KwContinue: return bare(StmtKind::Continue);
    case TokenKind::KwDel: return DelStmt();
    case TokenKind::KwAssert: return AssertStmt();
    case TokenKind::KwGlobal: return GlobalOrNonlocal(true);
    case TokenKind::KwNonlocal: return GlobalOrNonlocal(false);
    case TokenKind::KwYield: {
      // `assignment` (with invalid_assignment) comes first in simple_stmt.
      if (call_invalid_rules_) {
        if (StmtId a = Assignment()) return a;
        if (error_) return {};
        Reset(start);
      }
      ExprId y = YieldExpr();
      if (!y) return {};
      StmtNode n = StmtOf(StmtKind::Expr, SpanFrom(start));
      n.Expr = ExprFields{y};
      return AddStmt(n);
    }
    default: break;
  }
  // The shortcut only skips rules that cannot match; the second pass runs
  // them all so that invalid_* rules are tried in CPython's order.
  const Token* op = call_invalid_rules_ ? nullptr : AssignmentTokenAhead();
  if (call_invalid_rules_ || op) {
    if (StmtId a = Assignment(call_invalid_rules_ || !IsAssignOperator(op->kind))) return a;
    if (error_) return {};
    Reset(start);
  }
  ExprId e = StarExpressions();
  if (!e) return {};
  StmtNode n = StmtOf(StmtKind::Expr, SpanFrom(start));
  n.Expr = ExprFields{e};
  return AddStmt(n);
}

bool Parser::AugAssignOp(Operator& op) {
  switch (PeekKind()) {
    case TokenKind::PlusEqual: op = Operator::Add; break;
    case TokenKind::MinEqual: op = Operator::Sub; break;
    case TokenKind::StarEqual: op = Operator::Mult; break;
    case TokenKind::AtEqual: op = Operator::MatMult; break;
    case TokenKind::SlashEqual: op = Operator::Div; break;
    case TokenKind::PercentEqual: op = Operator::Mod; break;
    case TokenKind::AmperEqual: op = Operator::BitAnd; break;
    case TokenKind::VBarEqual: op = Operator::BitOr; break;
    case TokenKind::CircumflexEqual: op = Operator::BitXor; break;
    case TokenKind::LeftShiftEqual: op = Operator::LShift; break;
    case TokenKind::RightShiftEqual: op = Operator::RShift; break;
    case TokenKind::DoubleStarEqual: op = Operator::Pow; break;
    case TokenKind::DoubleSlashEqual: op = Operator::FloorDiv; break;
    default: return false;
  }
  ++pos_;
  return true;
}

// assignment:
//   NAME ':' expression ['=' annotated_rhs]
// | ('(' single_target ')' | single_subscript_attribute_target) ':' expression
//       ['=' annotated_rhs]
// | (star_targets '=')+ (yield_expr | star_expressions) !'='
// | single_target augassign ~ (yield_expr | star_expressions)
StmtId Parser::Assignment(bool may_be_annotated) {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  auto rhs = [&]() -> ExprId {
    if (ExprId y = YieldExpr()) return y;
    if (error_) return {};
    return StarExpressions();
  };
  auto annotated = [&](ExprId target, int simple) -> StmtId {
    ExprId annotation = Expression();
    if (!annotation) return {};
    ExprId value;
    uint32_t m = Mark();
    if (Eat(TokenKind::Equal)) {
      value = rhs();
      if (!value) {
        if (error_) return {};
        Reset(m);
      }
    }
    StmtNode n = StmtOf(StmtKind::AnnAssign, SpanFrom(start));
    n.AnnAssign = AnnAssignFields{target, annotation, value, simple};
    return AddStmt(n);
  };
  // NAME ':' ...
  if (AtNameFollowedBy(TokenKind::Colon)) {
    pos_ += 2;
    if (StmtId s = annotated(MakeName(start, ExprContext::Store), 1)) return s;
    if (error_) return {};
    Reset(start);
  }
  // ('(' single_target ')' | single_subscript_attribute_target) ':' ...
  if (may_be_annotated) {
    ExprId target;
    if (Eat(TokenKind::LPar)) {
      target = SingleTarget();
      if (!target || !Eat(TokenKind::RPar)) target = {};
    }
    if (!target) {
      Reset(start);
      if (!error_) target = SingleSubscriptAttributeTarget();
    }
    if (target && Eat(TokenKind::Colon)) {
      if (StmtId s = annotated(target, 0)) return s;
    }
    if (error_) return {};
    Reset(start);
  }
  // (star_targets '=')+ (yield_expr | star_expressions) !'='
  {
    size_t base = exprs_scratch_.items.size();
    while (true) {
      // After a target, another one needs an '=' ahead; without it (the
      // usual case) go straight to the value. First pass only, like the
      // shortcut in SimpleStmtUncached.
      if (exprs_scratch_.items.size() > base && !call_invalid_rules_ && !MayBeAssignment()) {
        break;
      }
      uint32_t m = Mark();
      ExprId t = StarTargets();
      if (!t || !Eat(TokenKind::Equal)) {
        Reset(m);
        break;
      }
      exprs_scratch_.items.push_back(t);
    }
    if (error_) {
      exprs_scratch_.items.resize(base);
      return {};
    }
    if (exprs_scratch_.items.size() > base) {
      ExprId value = rhs();
      if (value && !At(TokenKind::Equal)) {
        Seq<ExprId> targets = FinishList(exprs_scratch_, base);
        StmtNode n = StmtOf(StmtKind::Assign, SpanFrom(start));
        n.Assign = AssignFields{targets, value, NameId{}};
        return AddStmt(n);
      }
    }
    exprs_scratch_.items.resize(base);
    if (error_) return {};
    Reset(start);
  }
  // single_target augassign ~ (yield_expr | star_expressions)
  {
    ExprId target = SingleTarget();
    Operator op;
    if (target && AugAssignOp(op)) {
      ExprId value = rhs();
      if (!value) {
        Reset(start);
        return {};
      }
      StmtNode n = StmtOf(StmtKind::AugAssign, SpanFrom(start));
      n.AugAssign = AugAssignFields{target, op, value};
      return AddStmt(n);
    }
  }
  Reset(start);
  if (call_invalid_rules_ && !error_) InvalidAssignment();
  return {};
}

// return_stmt: 'return' [star_expressions]
StmtId Parser::ReturnStmt() {
  uint32_t start = Mark();
  ++pos_;
  ExprId value = StarExpressions();
  if (error_) return {};
  StmtNode n = StmtOf(StmtKind::Return, SpanFrom(start));
  n.Return = ReturnFields{value};
  return AddStmt(n);
}

// raise_stmt: 'raise' expression ['from' expression] | 'raise'
StmtId Parser::RaiseStmt() {
  uint32_t start = Mark();
  ++pos_;
  ExprId exc = Expression();
  ExprId cause;
  if (exc) {
    uint32_t m = Mark();
    if (Eat(TokenKind::KwFrom)) {
      cause = Expression();
      if (!cause) Reset(m);
    }
  }
  if (error_) return {};
  StmtNode n = StmtOf(StmtKind::Raise, SpanFrom(start));
  n.Raise = RaiseFields{exc, cause};
  return AddStmt(n);
}

// global_stmt: 'global' ','.NAME+ ; nonlocal_stmt: 'nonlocal' ','.NAME+
StmtId Parser::GlobalOrNonlocal(bool global) {
  uint32_t start = Mark();
  ++pos_;
  size_t base = names_scratch_.items.size();
  while (At(TokenKind::Name)) {
    names_scratch_.items.push_back(Identifier(Peek()));
    ++pos_;
    if (!At(TokenKind::Comma) || PeekNext().kind != TokenKind::Name) break;
    ++pos_;
  }
  if (names_scratch_.items.size() == base) {
    Reset(start);
    return {};
  }
  Seq<NameId> names = FinishList(names_scratch_, base);
  StmtNode n = StmtOf(global ? StmtKind::Global : StmtKind::Nonlocal, SpanFrom(start));
  if (global) {
    n.Global = GlobalFields{names};
  } else {
    n.Nonlocal = NonlocalFields{names};
  }
  return AddStmt(n);
}

// del_stmt: 'del' del_targets &(';' | NEWLINE)
StmtId Parser::DelStmt() {
  uint32_t start = Mark();
  ++pos_;
  Seq<ExprId> targets;
  if (!DelTargets(targets) || !(At(TokenKind::Semi) || At(TokenKind::Newline))) {
    Reset(start);
    if (call_invalid_rules_ && !error_) InvalidDelStmt();
    return {};
  }
  StmtNode n = StmtOf(StmtKind::Delete, SpanFrom(start));
  n.Delete = DeleteFields{targets};
  return AddStmt(n);
}

// assert_stmt: 'assert' expression [',' expression]
StmtId Parser::AssertStmt() {
  uint32_t start = Mark();
  ++pos_;
  ExprId test = Expression();
  if (!test) {
    Reset(start);
    return {};
  }
  ExprId msg;
  uint32_t m = Mark();
  if (Eat(TokenKind::Comma)) {
    msg = Expression();
    if (!msg) Reset(m);
  }
  if (error_) return {};
  StmtNode n = StmtOf(StmtKind::Assert, SpanFrom(start));
  n.Assert = AssertFields{test, msg};
  return AddStmt(n);
}

// dotted_name: dotted_name '.' NAME | NAME. Leaves the position after it.
bool Parser::DottedName(uint32_t& end_mark) {
  if (!At(TokenKind::Name)) return false;
  ++pos_;
  while (At(TokenKind::Dot) && PeekNext().kind == TokenKind::Name) pos_ += 2;
  end_mark = pos_;
  return true;
}

namespace {
// The dotted name spelled by tokens [start, end): NAME ('.' NAME)*.
std::string JoinDotted(Parser& p, uint32_t start, uint32_t end, Ast& tree,
                       NameId (*ident)(Parser&, const Token&)) {
  std::string out;
  for (uint32_t i = start; i < end; i += 2) {
    if (i > start) out += '.';
    out += tree.Spelling(ident(p, p.TokenAt(i)));
  }
  return out;
}
}  // namespace

// dotted_as_name: dotted_name ['as' NAME]
AliasId Parser::DottedAsName() {
  uint32_t start = Mark();
  uint32_t end = 0;
  if (!DottedName(end)) return {};
  NameId name;
  if (end == start + 1) {
    name = Identifier(toks_[start]);
  } else {
    name = tree_.names().Intern(JoinDotted(
        *this, start, end, tree_,
        [](Parser& p, const Token& t) { return p.Identifier(t); }));
  }
  return AliasWithOptionalAs(name, start);
}

// The ['as' NAME] ending an import alias, then the alias from token `start`.
AliasId Parser::AliasWithOptionalAs(NameId name, uint32_t start) {
  NameId asname;
  uint32_t m = Mark();
  if (Eat(TokenKind::KwAs)) {
    if (At(TokenKind::Name)) {
      asname = Identifier(Peek());
      ++pos_;
    } else {
      Reset(m);
    }
  }
  AliasNode a;
  a.name = name;
  a.asname = asname;
  a.pos = SpanFrom(start);
  return tree_.Add(a);
}

// import_name: 'import' dotted_as_names
StmtId Parser::ImportName() {
  uint32_t start = Mark();
  ++pos_;
  size_t base = aliases_scratch_.items.size();
  while (true) {
    uint32_t m = Mark();
    AliasId a = DottedAsName();
    if (!a) {
      Reset(m);
      if (aliases_scratch_.items.size() > base) Reset(m - 1);
      break;
    }
    aliases_scratch_.items.push_back(a);
    if (!Eat(TokenKind::Comma)) break;
  }
  if (aliases_scratch_.items.size() == base) {
    Reset(start);
    return {};
  }
  StmtNode n = StmtOf(StmtKind::Import, Pos{});
  n.Import = ImportFields{FinishList(aliases_scratch_, base)};
  n.pos = SpanFrom(start);
  return AddStmt(n);
}

// import_from_as_name: NAME ['as' NAME]
AliasId Parser::ImportFromAsName() {
  uint32_t start = Mark();
  if (!At(TokenKind::Name)) return {};
  NameId name = Identifier(Peek());
  ++pos_;
  return AliasWithOptionalAs(name, start);
}

// import_from:
//   'from' ('.' | '...')* dotted_name 'import' import_from_targets
// | 'from' ('.' | '...')+ 'import' import_from_targets
StmtId Parser::ImportFrom() {
  uint32_t start = Mark();
  ++pos_;
  int32_t level = 0;
  while (true) {
    if (Eat(TokenKind::Dot)) {
      level += 1;
    } else if (Eat(TokenKind::Ellipsis)) {
      level += 3;
    } else {
      break;
    }
  }
  NameId module;
  uint32_t name_start = Mark();
  uint32_t name_end = 0;
  if (DottedName(name_end)) {
    if (name_end == name_start + 1) {
      module = Identifier(toks_[name_start]);
    } else {
      module = tree_.names().Intern(JoinDotted(
          *this, name_start, name_end, tree_,
          [](Parser& p, const Token& t) { return p.Identifier(t); }));
    }
  } else if (level == 0) {
    Reset(start);
    return {};
  }
  if (!Eat(TokenKind::KwImport)) {
    Reset(start);
    return {};
  }
  // import_from_targets: '(' import_from_as_names [','] ')'
  //                    | import_from_as_names !',' | '*'
  size_t base = aliases_scratch_.items.size();
  auto names = [&]() {
    while (true) {
      uint32_t m = Mark();
      AliasId a = ImportFromAsName();
      if (!a) {
        Reset(m);
        if (aliases_scratch_.items.size() > base) Reset(m - 1);
        break;
      }
      aliases_scratch_.items.push_back(a);
      if (!Eat(TokenKind::Comma)) break;
    }
    return aliases_scratch_.items.size() > base;
  };
  uint32_t targets_start = Mark();
  bool ok = false;
  if (Eat(TokenKind::LPar)) {
    ok = names();
    if (ok) {
      Eat(TokenKind::Comma);
      ok = Eat(TokenKind::RPar);
    }
  }
  if (!ok) {
    aliases_scratch_.items.resize(base);
    Reset(targets_start);
    ok = names() && !At(TokenKind::Comma);
  }
  if (!ok) {
    aliases_scratch_.items.resize(base);
    Reset(targets_start);
    if (Eat(TokenKind::Star)) {
      AliasNode a;
      a.name = tree_.names().Intern("*");
      a.pos = SpanFrom(targets_start);
      aliases_scratch_.items.push_back(tree_.Add(a));
      ok = true;
    }
  }
  if (!ok) {
    aliases_scratch_.items.resize(base);
    if (call_invalid_rules_ && !error_) {
      // invalid_import_from_targets: import_from_as_names ',' NEWLINE
      Reset(targets_start);
      bool trailing = names() && Eat(TokenKind::Comma) && At(TokenKind::Newline);
      aliases_scratch_.items.resize(base);
      if (trailing) {
        RaiseAtLast(ErrorClass::SyntaxError,
                    "trailing comma not allowed without surrounding parentheses");
        return {};
      }
    }
    Reset(start);
    return {};
  }
  StmtNode n = StmtOf(StmtKind::ImportFrom, Pos{});
  n.ImportFrom = ImportFromFields{module, FinishList(aliases_scratch_, base), level};
  n.pos = SpanFrom(start);
  return AddStmt(n);
}

// ---------------------------------------------------------------------------
// Compound statements

// compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt
//              | try_stmt | while_stmt | match_stmt
StmtId Parser::CompoundStmt() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  switch (PeekKind()) {
    case TokenKind::At: {
      Seq<ExprId> decorators;
      if (!Decorators(decorators)) return {};
      uint32_t after = Mark();
      if (StmtId f = FunctionDef(decorators)) return f;
      if (error_) return {};
      Reset(after);
      if (StmtId c = ClassDef(decorators)) return c;
      Reset(start);
      return {};
    }
    case TokenKind::KwDef: return FunctionDef(Seq<ExprId>{});
    case TokenKind::KwClass: return ClassDef(Seq<ExprId>{});
    case TokenKind::KwIf: return IfStmt(false);
    case TokenKind::KwWith: return WithStmt();
    case TokenKind::KwFor: return ForStmt();
    case TokenKind::KwTry: return TryStmt();
    case TokenKind::KwWhile: return WhileStmt();
    case TokenKind::KwAsync: {
      if (StmtId f = FunctionDef(Seq<ExprId>{})) return f;
      if (error_) return {};
      if (StmtId w = WithStmt()) return w;
      if (error_) return {};
      return ForStmt();
    }
    case TokenKind::Name: return MatchStmt();
    default: return {};
  }
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts
bool Parser::Block(Seq<StmtId>& out) {
  BlockRef ref = Memo<BlockRef>(MemoRule::Block, [&]() -> BlockRef {
    Seq<StmtId> seq;
    if (!BlockUncached(seq)) return {};
    block_results_.push_back(seq);
    return BlockRef{static_cast<uint32_t>(block_results_.size())};
  });
  if (!ref) return false;
  out = block_results_[ref.index - 1];
  return true;
}

bool Parser::BlockUncached(Seq<StmtId>& out) {
  DepthGuard g(*this);
  if (!g.ok) return false;
  uint32_t start = Mark();
  size_t base = stmts_scratch_.items.size();
  if (Eat(TokenKind::Newline)) {
    if (Eat(TokenKind::Indent)) {
      size_t count = 0;
      if (Statements(count) && Eat(TokenKind::Dedent)) {
        out = FinishList(stmts_scratch_, base);
        return true;
      }
    }
    stmts_scratch_.items.resize(base);
    Reset(start);
    return false;
  }
  if (error_) return false;
  if (SimpleStmts()) {
    out = FinishList(stmts_scratch_, base);
    return true;
  }
  stmts_scratch_.items.resize(base);
  Reset(start);
  return false;
}

// decorators: ('@' named_expression NEWLINE)+
bool Parser::Decorators(Seq<ExprId>& out) {
  uint32_t start = Mark();
  size_t base = exprs_scratch_.items.size();
  while (true) {
    uint32_t m = Mark();
    if (!Eat(TokenKind::At)) break;
    ExprId e = NamedExpression();
    if (!e || !Eat(TokenKind::Newline)) {
      Reset(m);
      break;
    }
    exprs_scratch_.items.push_back(e);
  }
  if (error_ || exprs_scratch_.items.size() == base) {
    exprs_scratch_.items.resize(base);
    Reset(start);
    return false;
  }
  out = FinishList(exprs_scratch_, base);
  return true;
}

// class_def_raw: 'class' NAME ['(' [arguments] ')'] ':' block
StmtId Parser::ClassDef(Seq<ExprId> decorators) {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwClass) || !At(TokenKind::Name)) {
    Reset(start);
    return {};
  }
  NameId name = Identifier(Peek());
  ++pos_;
  Seq<ExprId> bases;
  Seq<KeywordId> keywords;
  uint32_t m = Mark();
  if (Eat(TokenKind::LPar)) {
    if (!Arguments(bases, keywords) && error_) return {};
    if (!Eat(TokenKind::RPar)) {
      Reset(m);
      bases = {};
      keywords = {};
    }
  }
  Seq<StmtId> body;
  if (MissingColon()) return {};
  if (!Eat(TokenKind::Colon)) {
    Reset(start);
    return {};
  }
  if (MissingBlock("class definition", start)) return {};
  if (!Block(body)) {
    Reset(start);
    return {};
  }
  StmtNode n = StmtOf(StmtKind::ClassDef, SpanFrom(start));
  n.ClassDef = ClassDefFields{name, bases, keywords, body, decorators};
  return AddStmt(n);
}

// function_def_raw: [ASYNC] 'def' NAME '(' [params] ')' ['->' expression] &&':'
//                   block
StmtId Parser::FunctionDef(Seq<ExprId> decorators) {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  bool is_async = Eat(TokenKind::KwAsync);
  if (!Eat(TokenKind::KwDef) || !At(TokenKind::Name)) {
    Reset(start);
    return {};
  }
  NameId name = Identifier(Peek());
  ++pos_;
  if (!Eat(TokenKind::LPar)) {
    Reset(start);
    return {};
  }
  ArgumentsId args = Params(/*lambda=*/false);
  if (error_) return {};
  if (!Eat(TokenKind::RPar)) {
    Reset(start);
    return {};
  }
  if (!args) args = EmptyArguments();
  ExprId returns;
  uint32_t m = Mark();
  if (Eat(TokenKind::RArrow)) {
    returns = Expression();
    if (!returns) Reset(m);
  }
  if (error_ || !Expect(TokenKind::Colon, ":")) return {};
  if (MissingBlock("function definition", is_async ? start + 1 : start)) return {};
  Seq<StmtId> body;
  if (!Block(body)) {
    Reset(start);
    return {};
  }
  StmtNode n = StmtOf(is_async ? StmtKind::AsyncFunctionDef : StmtKind::FunctionDef,
                      SpanFrom(start));
  FunctionDefFields f{name, args, body, decorators, returns, NameId{}};
  if (is_async) {
    n.AsyncFunctionDef = AsyncFunctionDefFields{f.name, f.args, f.body, f.decorator_list,
                                                f.returns, f.type_comment};
  } else {
    n.FunctionDef = f;
  }
  return AddStmt(n);
}

// if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
// elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
StmtId Parser::IfStmt(bool elif) {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!Eat(elif ? TokenKind::KwElif : TokenKind::KwIf)) return {};
  ExprId test = NamedExpression();
  Seq<StmtId> body;
  if (test && MissingColon()) return {};
  if (test && MissingBlockAfterColon(elif ? "'elif' statement" : "'if' statement", start)) {
    return {};
  }
  if (!test || !Eat(TokenKind::Colon) || !Block(body)) {
    Reset(start);
    return {};
  }
  Seq<StmtId> orelse;
  if (At(TokenKind::KwElif)) {
    if (StmtId next = IfStmt(true)) {
      orelse = tree_.AddList(std::span<const StmtId>(&next, 1));
    }
  } else {
    uint32_t m = Mark();
    if (!ElseBlock(orelse)) Reset(m);
  }
  if (error_) return {};
  StmtNode n = StmtOf(StmtKind::If, SpanFrom(start));
  n.If = IfFields{test, body, orelse};
  return AddStmt(n);
}

// else_block: 'else' &&':' block
bool Parser::ElseBlock(Seq<StmtId>& out) {
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwElse)) return false;
  if (!Expect(TokenKind::Colon, ":")) return false;
  if (MissingBlock("'else' statement", start)) return false;
  if (!Block(out)) {
    Reset(start);
    return false;
  }
  return true;
}

// while_stmt: 'while' named_expression ':' block [else_block]
StmtId Parser::WhileStmt() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ++pos_;
  ExprId test = NamedExpression();
  Seq<StmtId> body;
  if (test && MissingColon()) return {};
  if (test && MissingBlockAfterColon("'while' statement", start)) return {};
  if (!test || !Eat(TokenKind::Colon) || !Block(body)) {
    Reset(start);
    return {};
  }
  Seq<StmtId> orelse;
  uint32_t m = Mark();
  if (!ElseBlock(orelse)) Reset(m);
  if (error_) return {};
  StmtNode n = StmtOf(StmtKind::While, SpanFrom(start));
  n.While = WhileFields{test, body, orelse};
  return AddStmt(n);
}

// for_stmt: [ASYNC] 'for' star_targets 'in' ~ star_expressions ':' block [else_block]
StmtId Parser::ForStmt() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  bool is_async = Eat(TokenKind::KwAsync);
  if (!Eat(TokenKind::KwFor)) {
    Reset(start);
    return {};
  }
  ExprId target = StarTargets();
  if (!target || !Eat(TokenKind::KwIn)) {
    Reset(start);
    if (call_invalid_rules_ && !error_) InvalidForTarget();
    return {};
  }
  ExprId iter = StarExpressions();
  Seq<StmtId> body;
  if (iter && MissingColon()) return {};
  if (iter && MissingBlockAfterColon("'for' statement", is_async ? start + 1 : start)) return {};
  if (!iter || !Eat(TokenKind::Colon) || !Block(body)) {
    Reset(start);
    return {};
  }
  Seq<StmtId> orelse;
  uint32_t m = Mark();
  if (!ElseBlock(orelse)) Reset(m);
  if (error_) return {};
  StmtNode n = StmtOf(is_async ? StmtKind::AsyncFor : StmtKind::For, SpanFrom(start));
  ForFields f{target, iter, body, orelse, NameId{}};
  if (is_async) {
    n.AsyncFor = AsyncForFields{f.target, f.iter, f.body, f.orelse, f.type_comment};
  } else {
    n.For = f;
  }
  return AddStmt(n);
}

// with_item: expression 'as' star_target &(',' | ')' | ':') | expression
WithItemId Parser::WithItem() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  const uint32_t item_start = Mark();
  ExprId e = Expression();
  if (!e) return {};
  ExprId vars;
  uint32_t m = Mark();
  if (Eat(TokenKind::KwAs)) {
    vars = StarTarget();
    TokenKind k = vars ? PeekKind() : TokenKind::EndMarker;
    if (!(k == TokenKind::Comma || k == TokenKind::RPar || k == TokenKind::Colon)) {
      vars = {};
      if (call_invalid_rules_ && !error_) {
        Reset(item_start);
        if (InvalidWithItem()) return {};
      }
      Reset(m);
    }
  }
  if (error_) return {};
  WithItemNode w;
  w.context_expr = e;
  w.optional_vars = vars;
  return tree_.Add(w);
}

// with_stmt: [ASYNC] 'with' '(' ','.with_item+ ','? ')' ':' block
//          | [ASYNC] 'with' ','.with_item+ ':' block
StmtId Parser::WithStmt() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  bool is_async = Eat(TokenKind::KwAsync);
  uint32_t keyword = Mark();
  if (!Eat(TokenKind::KwWith)) {
    Reset(start);
    return {};
  }
  uint32_t items_start = Mark();
  size_t base = withitems_scratch_.items.size();
  auto items = [&]() {
    while (true) {
      uint32_t m = Mark();
      WithItemId w = WithItem();
      if (!w) {
        Reset(m);
        if (withitems_scratch_.items.size() > base) Reset(m - 1);
        break;
      }
      withitems_scratch_.items.push_back(w);
      if (!Eat(TokenKind::Comma)) break;
    }
    return withitems_scratch_.items.size() > base;
  };
  Seq<StmtId> body;
  bool ok = false;
  if (Eat(TokenKind::LPar)) {
    if (items()) {
      Eat(TokenKind::Comma);
      ok = Eat(TokenKind::RPar);
      if (ok && MissingColon()) return {};
      ok = ok && Eat(TokenKind::Colon) &&
           !MissingBlock("'with' statement", keyword) && Block(body);
    }
  }
  if (!ok && !error_) {
    withitems_scratch_.items.resize(base);
    Reset(items_start);
    ok = items() && !MissingColon() && Eat(TokenKind::Colon) &&
         !MissingBlock("'with' statement", keyword) && Block(body);
  }
  if (!ok || error_) {
    withitems_scratch_.items.resize(base);
    if (call_invalid_rules_ && !error_ && InvalidWithStmt(items_start)) return {};
    Reset(start);
    return {};
  }
  Seq<WithItemId> list = FinishList(withitems_scratch_, base);
  StmtNode n = StmtOf(is_async ? StmtKind::AsyncWith : StmtKind::With, SpanFrom(start));
  if (is_async) {
    n.AsyncWith = AsyncWithFields{list, body, NameId{}};
  } else {
    n.With = WithFields{list, body, NameId{}};
  }
  return AddStmt(n);
}

// try_stmt: 'try' &&':' block finally_block
//         | 'try' &&':' block except_block+ [else_block] [finally_block]
StmtId Parser::TryStmt() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ++pos_;
  if (!Expect(TokenKind::Colon, ":")) return {};
  if (MissingBlock("'try' statement", start)) return {};
  Seq<StmtId> body;
  if (!Block(body)) {
    Reset(start);
    return {};
  }
  if (call_invalid_rules_ && !At(TokenKind::KwExcept) && !At(TokenKind::KwFinally)) {
    RaiseAtLast(ErrorClass::SyntaxError, "expected 'except' or 'finally' block");
    return {};
  }
  size_t base = handlers_scratch_.items.size();
  while (ExceptHandlerId h = ExceptBlock()) handlers_scratch_.items.push_back(h);
  if (error_) {
    handlers_scratch_.items.resize(base);
    return {};
  }
  Seq<ExceptHandlerId> handlers = FinishList(handlers_scratch_, base);
  Seq<StmtId> orelse, finalbody;
  if (!handlers.empty()) {
    uint32_t m = Mark();
    if (!ElseBlock(orelse)) Reset(m);
  }
  if (error_) return {};
  uint32_t m = Mark();
  bool has_finally = FinallyBlock(finalbody);
  if (!has_finally) Reset(m);
  if (error_ || (handlers.empty() && !has_finally)) {
    Reset(start);
    return {};
  }
  StmtNode n = StmtOf(StmtKind::Try, SpanFrom(start));
  n.Try = TryFields{body, handlers, orelse, finalbody};
  return AddStmt(n);
}

// except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
ExceptHandlerId Parser::ExceptBlock() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwExcept)) return {};
  if (MissingColon()) return {};
  ExprId type;
  NameId name;
  if (!At(TokenKind::Colon)) {
    type = Expression();
    if (!type) {
      Reset(start);
      return {};
    }
    uint32_t m = Mark();
    if (Eat(TokenKind::KwAs)) {
      if (At(TokenKind::Name)) {
        name = Identifier(Peek());
        ++pos_;
      } else {
        Reset(m);
      }
    }
  }
  Seq<StmtId> body;
  if (call_invalid_rules_ && !At(TokenKind::Colon) && InvalidExceptStmt(start)) return {};
  if (MissingColon()) return {};
  if (!Eat(TokenKind::Colon)) {
    Reset(start);
    return {};
  }
  if (MissingBlock("'except' statement", start)) return {};
  if (!Block(body)) {
    Reset(start);
    return {};
  }
  ExceptHandlerNode h;
  h.kind = ExceptHandlerKind::ExceptHandler;
  h.pos = SpanFrom(start);
  h.ExceptHandler = ExceptHandlerFields{type, name, body};
  return tree_.Add(h);
}

// finally_block: 'finally' &&':' block
bool Parser::FinallyBlock(Seq<StmtId>& out) {
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwFinally)) return false;
  if (!Expect(TokenKind::Colon, ":")) return false;
  if (MissingBlock("'finally' statement", start)) return false;
  if (!Block(out)) {
    Reset(start);
    return false;
  }
  return true;
}

// match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
StmtId Parser::MatchStmt() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!EatSoftKeyword("match")) return {};
  ExprId subject = SubjectExpr();
  if (subject && MissingColon()) return {};
  if (subject && MissingBlockAfterColon("'match' statement", start)) return {};
  if (!subject || !Eat(TokenKind::Colon) || !Eat(TokenKind::Newline) ||
      !Eat(TokenKind::Indent)) {
    Reset(start);
    return {};
  }
  size_t base = cases_scratch_.items.size();
  while (MatchCaseId c = CaseBlock()) cases_scratch_.items.push_back(c);
  if (error_ || cases_scratch_.items.size() == base || !Eat(TokenKind::Dedent)) {
    cases_scratch_.items.resize(base);
    Reset(start);
    return {};
  }
  StmtNode n = StmtOf(StmtKind::Match, Pos{});
  n.Match = MatchFields{subject, FinishList(cases_scratch_, base)};
  n.pos = SpanFrom(start);
  return AddStmt(n);
}

// subject_expr: star_named_expression ',' star_named_expressions? -> Tuple
//             | named_expression
ExprId Parser::SubjectExpr() {
  uint32_t start = Mark();
  if (ExprId first = StarNamedExpression()) {
    if (Eat(TokenKind::Comma)) {
      size_t base = exprs_scratch_.items.size();
      exprs_scratch_.items.push_back(first);
      Seq<ExprId> rest;
      if (StarNamedExpressions(rest)) {
        for (ExprId e : tree_[rest]) exprs_scratch_.items.push_back(e);
      }
      if (error_) {
        exprs_scratch_.items.resize(base);
        return {};
      }
      return MakeTuple(FinishList(exprs_scratch_, base), ExprContext::Load, SpanFrom(start));
    }
  }
  if (error_) return {};
  Reset(start);
  return NamedExpression();
}

// case_block: "case" patterns guard? ':' block
MatchCaseId Parser::CaseBlock() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!EatSoftKeyword("case")) return {};
  PatternId pattern = Patterns();
  if (!pattern) {
    Reset(start);
    return {};
  }
  ExprId guard;
  uint32_t m = Mark();
  if (Eat(TokenKind::KwIf)) {
    guard = NamedExpression();
    if (!guard) Reset(m);
  }
  Seq<StmtId> body;
  if (!error_ && MissingColon()) return {};
  if (!error_ && MissingBlockAfterColon("'case' statement", start)) return {};
  if (error_ || !Eat(TokenKind::Colon) || !Block(body)) {
    Reset(start);
    return {};
  }
  MatchCaseNode c;
  c.pattern = pattern;
  c.guard = guard;
  c.body = body;
  return tree_.Add(c);
}

// ---------------------------------------------------------------------------
// Parameters (def and lambda)

ArgumentsId Parser::EmptyArguments() { return tree_.Add(ArgumentsNode{}); }

// param: NAME annotation?   lambda_param: NAME
ArgId Parser::Param(bool lambda) {
  uint32_t start = Mark();
  if (!At(TokenKind::Name)) return {};
  NameId name = Identifier(Peek());
  ++pos_;
  ExprId annotation;
  if (!lambda) {
    uint32_t m = Mark();
    if (Eat(TokenKind::Colon)) {
      annotation = Expression();
      if (!annotation) {
        if (error_) return {};
        Reset(m);
      }
    }
  }
  ArgNode a;
  a.arg = name;
  a.annotation = annotation;
  a.pos = SpanFrom(start);
  return tree_.Add(a);
}

// ',' or, without consuming, the closing ')' (':' for lambda).
bool Parser::ParamEnd(bool lambda) {
  if (Eat(TokenKind::Comma)) return true;
  return At(lambda ? TokenKind::Colon : TokenKind::RPar);
}

// param_no_default: param ',' | param &')'
bool Parser::ParamNoDefault(bool lambda, ArgId& out) {
  uint32_t start = Mark();
  out = Param(lambda);
  if (out && ParamEnd(lambda)) return true;
  Reset(start);
  return false;
}

// param_with_default: param default ',' | param default &')'
bool Parser::ParamWithDefault(bool lambda, ArgId& arg, ExprId& def) {
  uint32_t start = Mark();
  arg = Param(lambda);
  if (arg && Eat(TokenKind::Equal)) {
    def = Expression();
    if (def && ParamEnd(lambda)) return true;
  }
  Reset(start);
  return false;
}

// param_maybe_default: param default? ',' | param default? &')'
bool Parser::ParamMaybeDefault(bool lambda, ArgId& arg, ExprId& def) {
  uint32_t start = Mark();
  def = {};
  arg = Param(lambda);
  if (!arg) return false;
  uint32_t m = Mark();
  if (Eat(TokenKind::Equal)) {
    def = Expression();
    if (!def) Reset(m);
  }
  if (ParamEnd(lambda)) return true;
  Reset(start);
  return false;
}

// parameters (and lambda_parameters): positional-only part with '/', plain
// and defaulted parameters, then star_etc ('*' ..., '**' ...).
ArgumentsId Parser::Params(bool lambda) {
  DepthGuard g(*this);
  if (!g.ok) return {};
  if (call_invalid_rules_ && (InvalidParameters(lambda) || error_)) return {};
  uint32_t start = Mark();
  size_t args_base = args_scratch_.items.size();
  size_t defaults_base = exprs_scratch_.items.size();
  std::vector<ArgId> posonly;
  std::vector<ExprId> kw_defaults;
  ArgumentsNode result;

  // Leading plain parameters, then defaulted ones.
  auto gather_plain = [&] {
    ArgId a;
    while (ParamNoDefault(lambda, a)) args_scratch_.items.push_back(a);
  };
  auto gather_defaulted = [&] {
    size_t n = 0;
    ArgId a;
    ExprId d;
    while (ParamWithDefault(lambda, a, d)) {
      args_scratch_.items.push_back(a);
      exprs_scratch_.items.push_back(d);
      ++n;
    }
    return n;
  };
  gather_plain();
  size_t plain_count = args_scratch_.items.size() - args_base;
  size_t defaulted = gather_defaulted();
  if (error_) return {};
  // '/' followed by ',' or the closer makes everything so far positional-only.
  if ((plain_count > 0 || defaulted > 0) && At(TokenKind::Slash)) {
    uint32_t m = Mark();
    ++pos_;
    if (ParamEnd(lambda)) {
      posonly.assign(args_scratch_.items.begin() + args_base, args_scratch_.items.end());
      args_scratch_.items.resize(args_base);
      if (defaulted == 0) gather_plain();
      gather_defaulted();
    } else {
      Reset(m);
    }
  }
  if (error_) return {};
  // star_etc: '*' param_no_default param_maybe_default* [kwds]
  //         | '*' ',' param_maybe_default+ [kwds] | kwds
  std::vector<ArgId> kwonly;
  {
    uint32_t m = Mark();
    if (Eat(TokenKind::Star)) {
      bool ok = false;
      ArgId vararg;
      if (ParamNoDefault(lambda, vararg)) {
        result.vararg = vararg;
        ok = true;
      } else if (Eat(TokenKind::Comma)) {
        ok = true;
      }
      if (ok) {
        ArgId a;
        ExprId d;
        while (ParamMaybeDefault(lambda, a, d)) {
          kwonly.push_back(a);
          kw_defaults.push_back(d);
        }
        if (!result.vararg && kwonly.empty()) ok = false;
      }
      if (!ok) {
        result.vararg = {};
        kwonly.clear();
        kw_defaults.clear();
        Reset(m);
        if (call_invalid_rules_ && (error_ || InvalidStarEtc(lambda))) return {};
      }
    }
    // kwds: '**' param_no_default
    uint32_t k = Mark();
    if (Eat(TokenKind::DoubleStar)) {
      ArgId kwarg;
      if (ParamNoDefault(lambda, kwarg)) {
        result.kwarg = kwarg;
      } else {
        Reset(k);
      }
    }
  }
  if (error_) return {};
  if (Mark() == start) {
    args_scratch_.items.resize(args_base);
    exprs_scratch_.items.resize(defaults_base);
    return {};
  }
  result.posonlyargs = tree_.AddList(std::span<const ArgId>(posonly));
  result.args = FinishList(args_scratch_, args_base);
  result.defaults = FinishList(exprs_scratch_, defaults_base);
  result.kwonlyargs = tree_.AddList(std::span<const ArgId>(kwonly));
  result.kw_defaults = tree_.AddList(std::span<const ExprId>(kw_defaults));
  return tree_.Add(result);
}

}  // namespace xpyc::parse
