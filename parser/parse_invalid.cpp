// The invalid_* rules of the 3.10 grammar: tried only in the second pass,
// they turn a failed parse into CPython's specific SyntaxError.
//
// To add one: declare `bool InvalidXxx()` in parser.h, implement it here
// (return true after raising with RaiseAt / RaiseRange / RaiseBetween, or
// reset the position and return false), and call it from the rule that lists
// it in Grammar/python.gram, at the same place among the alternatives, under
// `if (call_invalid_rules_)`.
#include <algorithm>

#include "parser/parser.h"

namespace xpyc::parse {

namespace {

bool IsLegacyName(std::string_view name) { return name == "print" || name == "exec"; }

// SOFT_KEYWORD as 3.10's _PyPegen_soft_keyword_token matches it: it compares
// only the NAME's length of each soft keyword, so any prefix of "match",
// "case" or "_" ("c", "ma", ...) counts.
bool IsSoftKeywordToken(std::string_view name) {
  for (std::string_view keyword : {"match", "case", "_"}) {
    if (!name.empty() && keyword.starts_with(name)) return true;
  }
  return false;
}

}  // namespace

bool Parser::RaiseBetween(std::string message, ExprId first, ExprId last) {
  return !RaiseRange(ErrorClass::SyntaxError, std::move(message),
                     JoinPos(tree_[first].pos, tree_[last].pos));
}

namespace {

// CPython's Indent, Dedent and EndMarker tokens have no column.
bool HasNoColumn(TokenKind k) {
  return k == TokenKind::Indent || k == TokenKind::Dedent || k == TokenKind::EndMarker;
}

}  // namespace

Pos Parser::KnownLocationPos(uint32_t token_index) const {
  const Token& t = toks_[token_index];
  if (!HasNoColumn(t.kind)) return TokenPos(token_index);
  return Pos{LineOf(t), -1, LineOf(t), -1};
}

// _PyPegen_raise_error: the furthest token read; for one without a column
// the tokenizer's cursor column is the (1-based) offset and the end is
// unknown (end_col -2, shown as -1).
bool Parser::RaiseAtLast(ErrorClass cls, std::string message) {
  const Token& t = toks_[FurthestToken()];
  if (!HasNoColumn(t.kind)) return RaiseRange(cls, std::move(message), TokenPos(FurthestToken()));
  const int32_t cursor = ColOf(t);
  return RaiseRange(cls, std::move(message), Pos{LineOf(t), cursor - 1, LineOf(t), -2});
}

int Parser::TokenLevel(uint32_t index) {
  if (token_levels_.empty()) {
    token_levels_.resize(toks_.size());
    int level = 0;
    for (size_t i = 0; i < toks_.size(); ++i) {
      switch (toks_[i].kind) {
        case TokenKind::LPar:
        case TokenKind::LSqb:
        case TokenKind::LBrace: ++level; break;
        case TokenKind::RPar:
        case TokenKind::RSqb:
        case TokenKind::RBrace:
          if (level > 0) --level;
          break;
        default: break;
      }
      token_levels_[i] = static_cast<uint16_t>(level);
    }
  }
  return token_levels_[index];
}

// expression_without_invalid: `expression`'s plain alternatives with the
// invalid_* rules switched off inside.
ExprId Parser::ExpressionWithoutInvalid() {
  bool saved = call_invalid_rules_;
  call_invalid_rules_ = false;
  ExprId e = ExpressionBody(Mark());
  call_invalid_rules_ = saved;
  return e;
}

// invalid_expression:
//   !(NAME STRING | SOFT_KEYWORD) disjunction expression_without_invalid
//       -> "invalid syntax. Perhaps you forgot a comma?" (inside brackets)
// | disjunction 'if' disjunction !('else'|':')
//       -> "expected 'else' after 'if' expression"
bool Parser::InvalidExpression() {
  uint32_t start = Mark();
  const Token& first = Peek();
  bool name_string = first.kind == TokenKind::Name && PeekNext().kind == TokenKind::String;
  bool soft_keyword = first.kind == TokenKind::Name && IsSoftKeywordToken(TokenText(first));
  if (!name_string && !soft_keyword) {
    ExprId a = Disjunction();
    if (a) {
      ExprId b = ExpressionWithoutInvalid();
      if (b) {
        bool legacy = tree_[a].kind == ExprKind::Name &&
                      IsLegacyName(tree_.Spelling(tree_[a].Name.id));
        if (!legacy && TokenLevel(pos_ - 1) != 0) {
          return RaiseBetween("invalid syntax. Perhaps you forgot a comma?", a, b);
        }
      }
    }
    if (error_) return false;
    Reset(start);
  }
  ExprId a = Disjunction();
  if (a && Eat(TokenKind::KwIf)) {
    ExprId b = Disjunction();
    if (b && !At(TokenKind::KwElse) && !At(TokenKind::Colon)) {
      return RaiseBetween("expected 'else' after 'if' expression", a, b);
    }
  }
  Reset(start);
  return false;
}

bool Parser::InvalidMissingBlock(std::string_view what, uint32_t keyword_index) {
  if (!At(TokenKind::Newline) || PeekNext().kind == TokenKind::Indent) return false;
  RaiseAtLast(ErrorClass::IndentationError,
              "expected an indented block after " + std::string(what) + " on line " +
                  std::to_string(LineOf(toks_[keyword_index])));
  return true;
}

// invalid_legacy_expression: NAME !'(' star_expressions, for print and exec.
bool Parser::InvalidLegacyExpression() {
  uint32_t start = Mark();
  if (!At(TokenKind::Name) || PeekNext().kind == TokenKind::LPar) return false;
  std::string name(TokenText(Peek()));
  ++pos_;
  ExprId b = StarExpressions();
  if (b && IsLegacyName(name)) {
    ExprId a = MakeName(start, ExprContext::Load);
    return RaiseBetween("Missing parentheses in call to '" + name + "'. Did you mean " +
                            name + "(...)?",
                        a, b);
  }
  Reset(start);
  return false;
}

// ---------------------------------------------------------------------------
// After both passes: the rest of the file, SyntaxError.text

namespace {

bool SameError(const Diagnostic& a, const Diagnostic& b) {
  return a.cls == b.cls && a.message == b.message && a.lineno == b.lineno && a.col == b.col;
}

Diagnostic NeverClosed(char bracket, uint32_t line, uint32_t col) {
  Diagnostic d;
  d.message = std::string("'") + bracket + "' was never closed";
  d.lineno = static_cast<int32_t>(line);
  d.col = static_cast<int32_t>(col);
  d.end_lineno = d.lineno;
  d.end_col = -1;
  return d;
}

}  // namespace

void Parser::PreferErrorInRestOfFile(const lex::Tokens& tokens) {
  if (!tokens.error || !diag_.error()) return;
  const Diagnostic current = *diag_.error();
  if (current.cls == ErrorClass::MemoryError) return;
  // The parser stopped at the tokenizer's own error (an unknown character is
  // only an unusable token to CPython's parser: the rest is still scanned).
  if (tokens.error_origin != lex::ErrorOrigin::kNotAnError && SameError(current, *tokens.error)) {
    return;
  }
  // The first error CPython's tokenizer meets after the parser's last token.
  const Diagnostic* error = &*tokens.error;
  lex::ErrorOrigin origin = tokens.error_origin;
  char bracket = tokens.open_bracket;
  uint32_t bracket_line = tokens.open_bracket_line;
  uint32_t bracket_col = tokens.open_bracket_col;
  if (origin == lex::ErrorOrigin::kNotAnError) {
    if (!tokens.error_after_unknown_character) return;
    const lex::TokenizerError& next = *tokens.error_after_unknown_character;
    error = &next.diag;
    origin = next.origin;
    bracket = next.open_bracket;
    bracket_line = next.open_bracket_line;
    bracket_col = next.open_bracket_col;
  }
  const int32_t current_line = LineOf(toks_[FurthestToken()]);
  Diagnostic replacement;
  if (bracket != 0 && current_line > static_cast<int32_t>(bracket_line) &&
      origin == lex::ErrorOrigin::kDoneCode) {
    replacement = NeverClosed(bracket, bracket_line, bracket_col);
  } else if (origin == lex::ErrorOrigin::kException) {
    replacement = *error;
  } else if (origin == lex::ErrorOrigin::kDecodeError) {
    replacement.cls = ErrorClass::UnicodeDecodeError;
    constexpr std::string_view kPrefix = "(unicode error) ";
    std::string_view message = error->message;
    if (message.starts_with(kPrefix)) message.remove_prefix(kPrefix.size());
    replacement.message = std::string(message);
  } else {
    return;
  }
  diag_.ClearError();
  diag_.Error(std::move(replacement));
}

namespace {

int32_t TokenEndLine(const lex::Source& src, const Token& t) {
  if (t.kind != TokenKind::String) return static_cast<int32_t>(t.line);
  std::string_view text = std::string_view(src.text).substr(t.offset, t.length);
  return static_cast<int32_t>(t.line + std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

// The first line of CPython's tokenizer buffer: the first line of the token
// that made the tokenizer read its current line (a multi-line string), else
// that line.
int32_t Parser::TokenizerBufferFirstLine() const {
  const int32_t current = TokenEndLine(src_, toks_[FurthestToken()]);
  for (uint32_t i = FurthestToken() + 1; i-- > 0;) {
    const Token& t = toks_[i];
    if (TokenEndLine(src_, t) < current) break;
    if (static_cast<int32_t>(t.line) < current) return static_cast<int32_t>(t.line);
  }
  return current;
}

std::string Parser::ErrorLineText(int32_t lineno) const {
  const int32_t current = TokenEndLine(src_, toks_[FurthestToken()]);
  const int32_t raw = lineno - line_shift_;
  const auto line_count = static_cast<int32_t>(src_.line_starts.size());
  if (raw >= current) {
    // The tokenizer's buffer, to the end of its current line.
    const int32_t first = TokenizerBufferFirstLine();
    std::string text;
    for (int32_t l = std::max(first, 1); l <= std::min(current, line_count); ++l) {
      text += src_.LineText(static_cast<uint32_t>(l));
      text += '\n';
    }
    return text;
  }
  if (raw < 1 || raw > line_count) return "";
  return std::string(src_.LineText(static_cast<uint32_t>(raw)));
}

void Parser::SetErrorLineText() {
  if (!diag_.error() || diag_.error()->text || line_shift_ != 0) return;
  Diagnostic d = *diag_.error();
  // CPython counts this one's column from the start of its tokenizer buffer.
  if (d.message == "unexpected character after line continuation character" && d.col >= 0) {
    const int32_t first = TokenizerBufferFirstLine();
    if (first >= 1 && first < d.lineno) {
      d.col += static_cast<int32_t>(src_.line_starts[d.lineno - 1] - src_.line_starts[first - 1]);
    }
  }
  if (d.lineno <= 0 || static_cast<size_t>(d.lineno) > src_.line_starts.size()) return;
  std::string text = ErrorLineText(d.lineno);
  std::string_view plain = src_.LineText(static_cast<uint32_t>(d.lineno));
  if (!(text.size() == plain.size() + 1 && text.starts_with(plain) && text.back() == '\n')) {
    d.text = std::move(text);
  }
  diag_.ClearError();
  diag_.Error(std::move(d));
}

// ---------------------------------------------------------------------------
// Targets, assignments and named expressions

// _PyPegen_get_expr_name: how error messages name an expression.
std::string Parser::ExprName(ExprId e) {
  const ExprNode& n = tree_[e];
  switch (n.kind) {
    case ExprKind::Attribute: return "attribute";
    case ExprKind::Subscript: return "subscript";
    case ExprKind::Starred: return "starred";
    case ExprKind::Name: return "name";
    case ExprKind::List: return "list";
    case ExprKind::Tuple: return "tuple";
    case ExprKind::Lambda: return "lambda";
    case ExprKind::Call: return "function call";
    case ExprKind::BoolOp:
    case ExprKind::BinOp:
    case ExprKind::UnaryOp: return "expression";
    case ExprKind::GeneratorExp: return "generator expression";
    case ExprKind::Yield:
    case ExprKind::YieldFrom: return "yield expression";
    case ExprKind::Await: return "await expression";
    case ExprKind::ListComp: return "list comprehension";
    case ExprKind::SetComp: return "set comprehension";
    case ExprKind::DictComp: return "dict comprehension";
    case ExprKind::Dict: return "dict literal";
    case ExprKind::Set: return "set display";
    case ExprKind::JoinedStr:
    case ExprKind::FormattedValue: return "f-string expression";
    case ExprKind::Compare: return "comparison";
    case ExprKind::IfExp: return "conditional expression";
    case ExprKind::NamedExpr: return "named expression";
    case ExprKind::Constant: {
      if (n.pos.lineno - line_shift_ < 1 ||
          static_cast<size_t>(n.pos.lineno - line_shift_) > src_.line_starts.size()) {
        return "literal";
      }
      std::string_view line = src_.LineText(static_cast<uint32_t>(n.pos.lineno - line_shift_));
      int32_t col = n.pos.col_offset - (n.pos.lineno - line_shift_ == 1 ? col_shift_ : 0);
      if (col < 0 || static_cast<size_t>(col) > line.size()) return "literal";
      std::string_view text = line.substr(static_cast<size_t>(col));
      int32_t width = n.pos.end_lineno == n.pos.lineno ? n.pos.end_col_offset - n.pos.col_offset : -1;
      if (width == 4 && text.starts_with("None")) return "None";
      if (width == 4 && text.starts_with("True")) return "True";
      if (width == 5 && text.starts_with("False")) return "False";
      if (width == 3 && text.starts_with("...")) return "ellipsis";
      return "literal";
    }
    default: return "expression";
  }
}

// _PyPegen_get_invalid_target.
ExprId Parser::GetInvalidTarget(ExprId e, TargetsType type) {
  if (!e) return {};
  const ExprNode& n = tree_[e];
  switch (n.kind) {
    case ExprKind::List:
    case ExprKind::Tuple: {
      Seq<ExprId> elts = n.kind == ExprKind::List ? n.List.elts : n.Tuple.elts;
      for (ExprId child : tree_[elts]) {
        if (ExprId bad = GetInvalidTarget(child, type)) return bad;
      }
      return {};
    }
    case ExprKind::Starred:
      if (type == TargetsType::kDel) return e;
      return GetInvalidTarget(n.Starred.value, type);
    case ExprKind::Compare:
      if (type == TargetsType::kFor) {
        if (tree_[n.Compare.ops][0] == CmpOperator::In) {
          return GetInvalidTarget(n.Compare.left, type);
        }
        return {};
      }
      return e;
    case ExprKind::Name:
    case ExprKind::Subscript:
    case ExprKind::Attribute: return {};
    default: return e;
  }
}

bool Parser::RaiseInvalidTarget(TargetsType type, ExprId e) {
  ExprId bad = GetInvalidTarget(e, type);
  if (!bad) return false;
  const char* verb = type == TargetsType::kDel ? "cannot delete " : "cannot assign to ";
  RaiseAtNode(verb + ExprName(bad), bad);
  return true;
}

// RAISE_SYNTAX_ERROR_STARTING_FROM: from `start` to the tokenizer's cursor.
bool Parser::RaiseStartingFrom(std::string message, Pos start) {
  const Token& t = toks_[FurthestToken()];
  const bool no_column = HasNoColumn(t.kind);
  int32_t cursor = no_column ? ColOf(t) : EndColOf(t);
  int32_t line = no_column ? LineOf(t) : EndLineOf(t);
  RaiseRange(ErrorClass::SyntaxError, std::move(message),
             Pos{start.lineno, start.col_offset, line, cursor - 1});
  return true;
}

// !(list|tuple|genexp|'True'|'None'|'False')
bool Parser::AtUnassignableAtom() {
  uint32_t start = Mark();
  bool result = false;
  switch (PeekKind()) {
    case TokenKind::KwTrue:
    case TokenKind::KwNone:
    case TokenKind::KwFalse: return true;
    case TokenKind::LSqb: {
      ExprId e = BracketAtom();
      result = e && tree_[e].kind == ExprKind::List;
      break;
    }
    case TokenKind::LPar: {
      ExprId e = ParenAtom();
      result = e && (tree_[e].kind == ExprKind::Tuple || tree_[e].kind == ExprKind::GeneratorExp);
      break;
    }
    default: break;
  }
  Reset(start);
  return result;
}

// invalid_named_expression:
//     a=expression ':=' expression
//   | a=NAME '=' b=bitwise_or !('='|':=')
//   | !(list|tuple|genexp|'True'|'None'|'False') a=bitwise_or b='=' bitwise_or !('='|':=')
bool Parser::InvalidNamedExpression() {
  uint32_t start = Mark();
  ExprId a = Expression();
  if (a && Eat(TokenKind::ColonEqual) && Expression()) {
    RaiseAtNode("cannot use assignment expressions with " + ExprName(a), a);
    return true;
  }
  if (error_) return false;
  Reset(start);
  if (AtNameFollowedBy(TokenKind::Equal)) {
    pos_ += 2;
    ExprId b = BitwiseOr();
    if (b && !At(TokenKind::Equal) && !At(TokenKind::ColonEqual)) {
      RaiseRange(ErrorClass::SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                 JoinPos(TokenPos(start), tree_[b].pos));
      return true;
    }
    if (error_) return false;
    Reset(start);
  }
  if (!AtUnassignableAtom() && !error_) {
    ExprId target = BitwiseOr();
    if (target && Eat(TokenKind::Equal)) {
      ExprId value = BitwiseOr();
      if (value && !At(TokenKind::Equal) && !At(TokenKind::ColonEqual)) {
        RaiseAtNode("cannot assign to " + ExprName(target) +
                        " here. Maybe you meant '==' instead of '='?",
                    target);
        return true;
      }
    }
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_ann_assign_target: list | tuple | '(' invalid_ann_assign_target ')'
ExprId Parser::InvalidAnnAssignTarget() {
  uint32_t start = Mark();
  if (At(TokenKind::LSqb)) {
    ExprId e = BracketAtom();
    if (e && tree_[e].kind == ExprKind::List) return e;
  } else if (At(TokenKind::LPar)) {
    ExprId e = ParenAtom();
    if (e && tree_[e].kind == ExprKind::Tuple) return e;
    if (error_) return {};
    Reset(start + 1);
    ExprId inner = InvalidAnnAssignTarget();
    if (inner && Eat(TokenKind::RPar)) return inner;
  }
  Reset(start);
  return {};
}

// invalid_assignment (see python.gram 3.10).
bool Parser::InvalidAssignment() {
  uint32_t start = Mark();
  if (ExprId a = InvalidAnnAssignTarget()) {
    if (Eat(TokenKind::Colon) && Expression()) {
      RaiseAtNode("only single target (not " + ExprName(a) + ") can be annotated", a);
      return true;
    }
  }
  if (error_) return false;
  Reset(start);
  if (ExprId a = StarNamedExpression()) {
    if (Eat(TokenKind::Comma)) {
      Seq<ExprId> rest;
      while (StarNamedExpressions(rest)) {
      }
      if (!error_ && Eat(TokenKind::Colon) && Expression()) {
        RaiseAtNode("only single target (not tuple) can be annotated", a);
        return true;
      }
    }
  }
  if (error_) return false;
  Reset(start);
  if (ExprId a = Expression()) {
    if (Eat(TokenKind::Colon) && Expression()) {
      RaiseAtNode("illegal target for annotation", a);
      return true;
    }
  }
  if (error_) return false;
  Reset(start);
  // (star_targets '=')*
  auto skip_targets = [&] {
    while (true) {
      uint32_t m = Mark();
      if (StarTargets() && Eat(TokenKind::Equal)) continue;
      Reset(m);
      break;
    }
  };
  skip_targets();
  if (error_) return false;
  uint32_t after_targets = Mark();
  if (ExprId a = StarExpressions()) {
    if (Eat(TokenKind::Equal) && RaiseInvalidTarget(TargetsType::kStar, a)) return true;
  }
  if (error_) return false;
  Reset(after_targets);
  if (ExprId a = YieldExpr()) {
    if (Eat(TokenKind::Equal)) {
      RaiseAtNode("assignment to yield expression not possible", a);
      return true;
    }
  }
  if (error_) return false;
  Reset(start);
  if (ExprId a = StarExpressions()) {
    Operator op;
    if (AugAssignOp(op)) {
      ExprId value = YieldExpr();
      if (!value && !error_) value = StarExpressions();
      if (value) {
        RaiseAtNode("'" + ExprName(a) + "' is an illegal expression for augmented assignment", a);
        return true;
      }
    }
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_del_stmt: 'del' a=star_expressions
bool Parser::InvalidDelStmt() {
  uint32_t start = Mark();
  if (!Eat(TokenKind::KwDel)) return false;
  ExprId a = StarExpressions();
  if (a && RaiseInvalidTarget(TargetsType::kDel, a)) return true;
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_for_target: ASYNC? 'for' a=star_expressions
bool Parser::InvalidForTarget() {
  uint32_t start = Mark();
  Eat(TokenKind::KwAsync);
  if (Eat(TokenKind::KwFor)) {
    ExprId a = StarExpressions();
    if (a && RaiseInvalidTarget(TargetsType::kFor, a)) return true;
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_with_item: expression 'as' a=expression &(',' | ')' | ':')
bool Parser::InvalidWithItem() {
  uint32_t start = Mark();
  if (Expression() && Eat(TokenKind::KwAs)) {
    ExprId a = Expression();
    if (a && (At(TokenKind::Comma) || At(TokenKind::RPar) || At(TokenKind::Colon)) &&
        RaiseInvalidTarget(TargetsType::kStar, a)) {
      return true;
    }
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// ---------------------------------------------------------------------------
// Calls, parameters, displays and handlers

// _PyPegen_get_last_comprehension_item of the last comprehension.
ExprId Parser::LastComprehensionItem(Seq<ComprehensionId> gens) {
  const ComprehensionNode& c = tree_[tree_[gens][gens.count - 1]];
  if (c.ifs.count == 0) return c.iter;
  return tree_[c.ifs][c.ifs.count - 1];
}

// invalid_arguments (tried where `arguments` fails; `start` is its start).
bool Parser::InvalidArguments(uint32_t start) {
  constexpr std::string_view kGenexp = "Generator expression must be parenthesized";
  Seq<ExprId> args;
  Seq<KeywordId> kws;
  Seq<ComprehensionId> gens;
  auto parse_args = [&] { return ArgumentsUncached(args, kws, /*args_only=*/true); };
  // a=args ',' '*'
  Reset(start);
  if (parse_args()) {
    Pos a = SpanFrom(start);
    if (Eat(TokenKind::Comma) && At(TokenKind::Star)) {
      RaiseRange(ErrorClass::SyntaxError,
                 "iterable argument unpacking follows keyword argument unpacking", a);
      return true;
    }
  }
  if (error_) return false;
  // a=expression b=for_if_clauses ',' [args | expression for_if_clauses]
  Reset(start);
  if (ExprId a = Expression()) {
    if (ForIfClauses(gens) && Eat(TokenKind::Comma)) {
      // The optional part is still parsed (and may meet a tokenizer error).
      uint32_t m = Mark();
      if (!parse_args()) {
        Reset(m);
        Seq<ComprehensionId> more;
        if (!error_ && !(Expression() && ForIfClauses(more))) Reset(m);
      }
      if (error_) return false;
      RaiseBetween(std::string(kGenexp), a, LastComprehensionItem(gens));
      return true;
    }
  }
  if (error_) return false;
  // a=NAME b='=' expression for_if_clauses
  Reset(start);
  if (AtNameFollowedBy(TokenKind::Equal)) {
    pos_ += 2;
    if (Expression() && ForIfClauses(gens)) {
      RaiseRange(ErrorClass::SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                 JoinPos(TokenPos(start), TokenPos(start + 1)));
      return true;
    }
  }
  if (error_) return false;
  // a=args for_if_clauses
  Reset(start);
  if (parse_args() && ForIfClauses(gens) && args.count > 1) {
    RaiseBetween(std::string(kGenexp), tree_[args][args.count - 1], LastComprehensionItem(gens));
    return true;
  }
  if (error_) return false;
  // args ',' a=expression b=for_if_clauses
  Reset(start);
  if (parse_args() && Eat(TokenKind::Comma)) {
    if (ExprId a = Expression()) {
      if (ForIfClauses(gens)) {
        RaiseBetween(std::string(kGenexp), a, LastComprehensionItem(gens));
        return true;
      }
    }
  }
  if (error_) return false;
  // a=args ',' args
  Reset(start);
  if (parse_args() && Eat(TokenKind::Comma)) {
    Seq<ExprId> args2;
    Seq<KeywordId> kws2;
    if (ArgumentsUncached(args2, kws2, true)) {
      bool unpacking = false;
      for (KeywordId k : tree_[kws]) {
        if (tree_[k].arg == NameId{}) unpacking = true;
      }
      RaiseAtLast(ErrorClass::SyntaxError,
                  unpacking ? "positional argument follows keyword argument unpacking"
                            : "positional argument follows keyword argument");
      return true;
    }
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_kwarg:
//     a=('True'|'False'|'None') b='='
//   | a=NAME b='=' expression for_if_clauses
//   | !(NAME '=') a=expression b='='
bool Parser::InvalidKwarg() {
  uint32_t start = Mark();
  TokenKind k = PeekKind();
  if ((k == TokenKind::KwTrue || k == TokenKind::KwFalse || k == TokenKind::KwNone) &&
      PeekNext().kind == TokenKind::Equal) {
    RaiseRange(ErrorClass::SyntaxError, "cannot assign to " + std::string(TokenText(Peek())),
               JoinPos(TokenPos(start), TokenPos(start + 1)));
    return true;
  }
  if (AtNameFollowedBy(TokenKind::Equal)) {
    pos_ += 2;
    Seq<ComprehensionId> gens;
    if (Expression() && ForIfClauses(gens)) {
      RaiseRange(ErrorClass::SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                 JoinPos(TokenPos(start), TokenPos(start + 1)));
      return true;
    }
    if (error_) return false;
    Reset(start);
    return false;
  }
  if (ExprId a = Expression()) {
    if (At(TokenKind::Equal)) {
      RaiseRange(ErrorClass::SyntaxError,
                 "expression cannot contain assignment, perhaps you meant \"==\"?",
                 JoinPos(tree_[a].pos, TokenPos(pos_)));
      return true;
    }
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_parameters: param_no_default* invalid_parameters_helper a=param_no_default
// invalid_parameters_helper: slash_with_default | param_with_default+
bool Parser::InvalidParameters(bool lambda) {
  uint32_t start = Mark();
  ArgId a;
  ExprId d;
  while (ParamNoDefault(lambda, a)) {
  }
  // Either helper alternative needs param_with_default+; slash_with_default
  // may then take a '/' as well.
  size_t with_default = 0;
  while (ParamWithDefault(lambda, a, d)) ++with_default;
  if (with_default > 0) {
    uint32_t m = Mark();
    if (!(Eat(TokenKind::Slash) && ParamEnd(lambda))) Reset(m);
  }
  if (!error_ && with_default > 0 && ParamNoDefault(lambda, a)) {
    RaiseRange(ErrorClass::SyntaxError, "non-default argument follows default argument",
               tree_[a].pos);
    return true;
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_star_etc: a='*' (')' | ',' (')' | '**'))
// invalid_lambda_star_etc: '*' (':' | ',' (':' | '**'))
bool Parser::InvalidStarEtc(bool lambda) {
  uint32_t start = Mark();
  if (!Eat(TokenKind::Star)) return false;
  TokenKind close = lambda ? TokenKind::Colon : TokenKind::RPar;
  bool matched = At(close) || (Eat(TokenKind::Comma) && (At(close) || At(TokenKind::DoubleStar)));
  if (matched) {
    if (lambda) {
      RaiseAtLast(ErrorClass::SyntaxError, "named arguments must follow bare *");
    } else {
      RaiseAt(ErrorClass::SyntaxError, "named arguments must follow bare *", start);
    }
    return true;
  }
  Reset(start);
  return false;
}

// invalid_group: '(' a=starred_expression ')' | '(' a='**' expression ')'
bool Parser::InvalidGroup() {
  uint32_t start = Mark();
  if (!Eat(TokenKind::LPar)) return false;
  if (ExprId a = StarredExpression()) {
    if (Eat(TokenKind::RPar)) {
      RaiseAtNode("cannot use starred expression here", a);
      return true;
    }
  }
  if (error_) return false;
  Reset(start + 1);
  if (Eat(TokenKind::DoubleStar) && Expression() && Eat(TokenKind::RPar)) {
    RaiseAt(ErrorClass::SyntaxError, "cannot use double starred expression here", start + 1);
    return true;
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_comprehension:
//     ('[' | '(' | '{') a=starred_expression for_if_clauses
//   | ('[' | '{') a=star_named_expression ',' b=star_named_expressions for_if_clauses
//   | ('[' | '{') a=star_named_expression b=',' for_if_clauses
bool Parser::InvalidComprehension(bool brackets_or_braces) {
  uint32_t start = Mark();
  ++pos_;  // the opening bracket
  Seq<ComprehensionId> gens;
  if (ExprId a = StarredExpression()) {
    if (ForIfClauses(gens)) {
      RaiseAtNode("iterable unpacking cannot be used in comprehension", a);
      return true;
    }
  }
  if (error_) return false;
  if (brackets_or_braces) {
    constexpr std::string_view kMessage = "did you forget parentheses around the comprehension target?";
    Reset(start + 1);
    if (ExprId a = StarNamedExpression()) {
      uint32_t comma = Mark();
      if (Eat(TokenKind::Comma)) {
        Seq<ExprId> rest;
        if (StarNamedExpressions(rest) && ForIfClauses(gens)) {
          RaiseBetween(std::string(kMessage), a, tree_[rest][rest.count - 1]);
          return true;
        }
        if (error_) return false;
        Reset(comma + 1);
        if (ForIfClauses(gens)) {
          RaiseRange(ErrorClass::SyntaxError, std::string(kMessage),
                     JoinPos(tree_[a].pos, TokenPos(comma)));
          return true;
        }
      }
    }
    if (error_) return false;
  }
  Reset(start);
  return false;
}

// invalid_dict_comprehension: '{' a='**' bitwise_or for_if_clauses '}'
bool Parser::InvalidDictComprehension() {
  uint32_t start = Mark();
  ++pos_;
  Seq<ComprehensionId> gens;
  if (Eat(TokenKind::DoubleStar) && BitwiseOr() && ForIfClauses(gens) && Eat(TokenKind::RBrace)) {
    RaiseAt(ErrorClass::SyntaxError, "dict unpacking cannot be used in dict comprehension",
            start + 1);
    return true;
  }
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_double_starred_kvpairs / invalid_kvpair, after '{'.
bool Parser::InvalidDoubleStarredKvpairs() {
  uint32_t start = Mark();
  auto value_errors = [&]() -> bool {
    // expression ':' a='*' bitwise_or | expression ':' &('}'|',')
    uint32_t m = Mark();
    if (Expression() && Eat(TokenKind::Colon)) {
      uint32_t star = Mark();
      if (Eat(TokenKind::Star) && BitwiseOr()) {
        return RaiseStartingFrom("cannot use a starred expression in a dictionary value",
                                 TokenPos(star));
      }
      if (error_) return false;
      Reset(star);
      if (At(TokenKind::RBrace) || At(TokenKind::Comma)) {
        RaiseAt(ErrorClass::SyntaxError, "expression expected after dictionary key and ':'",
                star - 1);
        return true;
      }
    }
    if (!error_) Reset(m);
    return false;
  };
  // ','.double_starred_kvpair+ ',' invalid_kvpair
  size_t pairs = 0;
  while (true) {
    uint32_t m = Mark();
    bool ok = false;
    if (Eat(TokenKind::DoubleStar)) {
      ok = BitwiseOr().index != 0;
    } else if (Expression() && Eat(TokenKind::Colon)) {
      ok = Expression().index != 0;
    }
    if (error_) return false;
    if (!ok) {
      Reset(m);
      break;
    }
    ++pairs;
    if (!Eat(TokenKind::Comma)) break;
  }
  if (pairs > 0 && Mark() > start && toks_[Mark() - 1].kind == TokenKind::Comma) {
    uint32_t m = Mark();
    if (ExprId a = Expression()) {
      if (!At(TokenKind::Colon)) {
        const Pos& p = tree_[a].pos;
        RaiseRange(ErrorClass::SyntaxError, "':' expected after dictionary key",
                   Pos{p.lineno, p.end_col_offset - 1, p.end_lineno, -1});
        return true;
      }
    }
    if (error_) return false;
    Reset(m);
    if (value_errors()) return true;
    if (error_) return false;
  }
  Reset(start);
  if (value_errors()) return true;
  if (error_) return false;
  Reset(start);
  return false;
}

// invalid_except_stmt: 'except' a=expression ',' expressions ['as' NAME ] ':'
bool Parser::InvalidExceptStmt(uint32_t start) {
  uint32_t saved = Mark();
  Reset(start + 1);
  if (ExprId a = Expression()) {
    if (Eat(TokenKind::Comma) && Expressions()) {
      uint32_t m = Mark();
      if (!(Eat(TokenKind::KwAs) && Eat(TokenKind::Name))) Reset(m);
      if (Eat(TokenKind::Colon)) {
        return RaiseStartingFrom("multiple exception types must be parenthesized", tree_[a].pos);
      }
    }
  }
  if (error_) return false;
  Reset(saved);
  return false;
}

// invalid_with_stmt (3.10: "expected ':'" only before a NEWLINE):
//     [ASYNC] 'with' ','.(expression ['as' star_target])+ NEWLINE
//   | [ASYNC] 'with' '(' ','.(expressions ['as' star_target])+ ','? ')' NEWLINE
bool Parser::InvalidWithStmt(uint32_t items_start) {
  auto items = [&](bool parenthesized) {
    size_t count = 0;
    while (true) {
      uint32_t m = Mark();
      ExprId e = parenthesized ? Expressions() : Expression();
      if (!e) {
        Reset(m);
        if (count > 0) Reset(m - 1);
        break;
      }
      ++count;
      uint32_t as = Mark();
      if (Eat(TokenKind::KwAs) && !StarTarget()) Reset(as);
      if (error_ || !Eat(TokenKind::Comma)) break;
    }
    return count > 0 && !error_;
  };
  auto expected_colon = [&] {
    if (!At(TokenKind::Newline)) return false;
    RaiseAtLast(ErrorClass::SyntaxError, "expected ':'");
    return true;
  };
  Reset(items_start);
  if (items(false) && expected_colon()) return true;
  if (error_) return false;
  Reset(items_start);
  if (Eat(TokenKind::LPar) && items(true)) {
    Eat(TokenKind::Comma);
    if (Eat(TokenKind::RPar) && expected_colon()) return true;
  }
  return false;
}

// invalid_as_pattern, after `or_pattern 'as'`:
//     a="_" -> "cannot use '_' as a target" | !NAME a=expression -> "invalid pattern target"
bool Parser::InvalidAsPattern() {
  uint32_t start = Mark();
  if (AtSoftKeyword("_")) {
    RaiseAt(ErrorClass::SyntaxError, "cannot use '_' as a target", start);
    return true;
  }
  if (!At(TokenKind::Name)) {
    if (ExprId a = Expression()) {
      RaiseAtNode("invalid pattern target", a);
      return true;
    }
  }
  if (!error_) Reset(start);
  return false;
}

// invalid_class_argument_pattern: [positional_patterns ','] keyword_patterns ','
// a=positional_patterns, at `a`: "positional patterns follow keyword patterns".
bool Parser::InvalidClassArgumentPattern() {
  uint32_t start = Mark();
  PatternId first = Pattern();
  PatternId last = first;
  while (last && !error_) {
    uint32_t m = Mark();
    if (!Eat(TokenKind::Comma)) break;
    PatternId next = Pattern();
    if (!next) {
      Reset(m);
      break;
    }
    last = next;
  }
  if (error_) return false;
  if (!first) {
    Reset(start);
    return false;
  }
  RaiseRange(ErrorClass::SyntaxError, "positional patterns follow keyword patterns",
             JoinPos(tree_[first].pos, tree_[last].pos));
  return true;
}

// A dict key after the first item that no ':' follows. CPython 3.10 reports
// it as invalid_kvpair does, with the key read as if without the invalid_*
// rules (whatever follows the key); observed behaviour, see
// testdata/errors and tools/errors_diff.py.
bool Parser::InvalidLaterDictKey() {
  uint32_t start = Mark();
  // Read under a memo stamp of its own, so that what this look-ahead finds
  // without the invalid_* rules is not reused once they are on again.
  const uint32_t saved_stamp = stamp_;
  const uint16_t saved_memo_stamp = memo_stamp_;
  auto saved_wide = memo_wide_;
  NewStamp();
  ExprId key = ExpressionWithoutInvalid();
  stamp_ = saved_stamp;
  memo_stamp_ = saved_memo_stamp;
  memo_wide_ = std::move(saved_wide);
  if (key && !At(TokenKind::Colon) && !error_) {
    const Pos& p = tree_[key].pos;
    RaiseRange(ErrorClass::SyntaxError, "':' expected after dictionary key",
               Pos{p.lineno, p.end_col_offset - 1, p.end_lineno, -1});
    return true;
  }
  if (!error_) Reset(start);
  return false;
}

}  // namespace xpyc::parse
