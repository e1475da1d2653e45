// The parser core: token verbs, positions, node helpers, memo, the two-pass
// driver and the generic error placement.
#include "parser/parse.h"

#include <algorithm>

#include "lexer/lex.h"
#include "parser/parser.h"

namespace xpyc::parse {

Parser::Parser(const lex::Source& source, std::span<const Token> tokens,
               const std::optional<Diagnostic>& token_error, Ast& tree, Diagnostics& diag)
    : src_(source),
      toks_(tokens),
      token_error_(token_error),
      tree_(tree),
      diag_(diag),
      memo_store_(ThreadMemoStore()) {
  NewStamp();
  if (memo_store_.names.size() < toks_.size()) memo_store_.names.resize(toks_.size());
  for (auto& table : memo_store_.tables) {
    if (table.size() < toks_.size()) table.resize(toks_.size());
  }
  tree_.Reserve(static_cast<uint32_t>(toks_.size()));
}

Parser::MemoStore& Parser::ThreadMemoStore() {
  thread_local MemoStore store;
  return store;
}

void Parser::NewStamp() {
  stamp_ = ++memo_store_.last_stamp;
  if ((stamp_ & 0xFFFF) == 0) {
    // Memo stamps are 16 bits: forget every entry before reusing them.
    for (auto& table : memo_store_.tables) std::fill(table.begin(), table.end(), MemoEntry{});
    stamp_ = ++memo_store_.last_stamp;
  }
  memo_stamp_ = static_cast<uint16_t>(stamp_);
  memo_wide_.clear();
}

uint32_t Parser::WideMemoEnd(MemoRule rule, uint32_t start) const {
  const uint64_t key = static_cast<uint64_t>(MemoSlot(rule)) << 32 | start;
  for (auto it = memo_wide_.rbegin(); it != memo_wide_.rend(); ++it) {
    if (it->first == key) return it->second;
  }
  return start;  // not reached: every wide entry is recorded
}

void Parser::ResetForSecondPass() {
  NewStamp();
  pos_ = 0;
  level_ = 0;
  call_invalid_rules_ = true;
}

// ---------------------------------------------------------------------------
// Token verbs

void Parser::ReachedErrorToken(const Token& t) {
  // An unknown character is a token no rule accepts, not an error yet.
  if (t.flags & lex::kUnknownCharacter) return;
  if (!error_) {
    SetError();
    if (token_error_) {
      diag_.Error(*token_error_);
    } else {
      diag_.Error(Diagnostic{ErrorClass::SyntaxError, "invalid token", LineOf(t), ColOf(t),
                             LineOf(t), ColOf(t), std::nullopt});
    }
  }
}

const Token* Parser::AssignmentTokenAhead() const {
  int depth = 0;
  for (size_t i = pos_; i < toks_.size(); ++i) {
    const Token& t = toks_[i];
    switch (t.kind) {
      case TokenKind::LPar:
      case TokenKind::LSqb:
      case TokenKind::LBrace: ++depth; break;
      case TokenKind::RPar:
      case TokenKind::RSqb:
      case TokenKind::RBrace:
        if (--depth < 0) return &t;
        break;
      case TokenKind::Newline:
      case TokenKind::Semi:
      case TokenKind::EndMarker:
      case TokenKind::Error:
        if (depth == 0) return nullptr;
        if (t.kind == TokenKind::EndMarker || t.kind == TokenKind::Error) return &t;
        break;
      case TokenKind::Colon:
        if (depth == 0) return &t;
        break;
      default:
        if (depth == 0 && IsAssignOperator(t.kind)) return &t;
        break;
    }
  }
  return &toks_.back();
}

std::string_view Parser::TokenText(const Token& t) const {
  return std::string_view(src_.text).substr(t.offset, t.length);
}

bool Parser::AtSoftKeyword(std::string_view word) {
  const Token& t = Peek();
  return t.kind == TokenKind::Name && TokenText(t) == word;
}

bool Parser::EatSoftKeyword(std::string_view word) {
  if (!AtSoftKeyword(word)) return false;
  ++pos_;
  return true;
}

// ---------------------------------------------------------------------------
// Positions

static bool SpansLines(const Token& t) {
  return t.kind == TokenKind::String && (t.flags & lex::kSpansLines) != 0;
}

// 0-based byte column of the token's first byte.
static int32_t RawCol(const lex::Source& src, const Token& t) {
  if (t.col != lex::kColUnknown) [[likely]] return t.col;
  return static_cast<int32_t>(t.offset - src.line_starts[t.line - 1]);
}

int32_t Parser::LineOf(const Token& t) const { return static_cast<int32_t>(t.line) + line_shift_; }

static int32_t RawEndLine(const lex::Source& src, const Token& t) {
  if (!SpansLines(t)) return static_cast<int32_t>(t.line);
  std::string_view text = std::string_view(src.text).substr(t.offset, t.length);
  if (text.find('\n') == std::string_view::npos) return static_cast<int32_t>(t.line);
  return static_cast<int32_t>(t.line + std::count(text.begin(), text.end(), '\n'));
}

int32_t Parser::ColOf(const Token& t) const {
  int32_t col = RawCol(src_, t);
  if (col_shift_ != 0 && RawEndLine(src_, t) == 1) col += col_shift_;
  return col;
}

int32_t Parser::EndLineOf(const Token& t) const { return RawEndLine(src_, t) + line_shift_; }

int32_t Parser::EndColOf(const Token& t) const {
  int32_t end_line = RawEndLine(src_, t);
  int32_t col = static_cast<int32_t>(t.offset + t.length - src_.line_starts[end_line - 1]);
  if (col_shift_ != 0 && end_line == 1) col += col_shift_;
  return col;
}

Pos Parser::TokenPosSlow(uint32_t index) const {
  const Token& t = toks_[index];
  if (line_shift_ == 0 && col_shift_ == 0) [[likely]] {
    int32_t col = RawCol(src_, t);
    int32_t line = static_cast<int32_t>(t.line);
    if (!SpansLines(t)) [[likely]] {
      return Pos{line, col, line, col + static_cast<int32_t>(t.length)};
    }
    std::string_view text = std::string_view(src_.text).substr(t.offset, t.length);
    size_t last_newline = text.rfind('\n');
    int32_t end_line = line;
    for (size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1)) {
      ++end_line;
    }
    int32_t end_col = static_cast<int32_t>(text.size() - last_newline - 1);
    return Pos{line, col, end_line, end_col};
  }
  return Pos{LineOf(t), ColOf(t), EndLineOf(t), EndColOf(t)};
}

// ---------------------------------------------------------------------------
// Errors

bool Parser::RaiseRange(ErrorClass cls, std::string message, Pos pos) {
  SetError();
  if (col_shift_ != 0) {
    // An f-string expression's parser: CPython reports columns relative to
    // the expression's own text (it takes starting_col_offset off again).
    if (pos.col_offset >= 0) pos.col_offset -= col_shift_;
    if (pos.end_col_offset >= 0) pos.end_col_offset -= col_shift_;
  }
  diag_.Error(Diagnostic{cls, std::move(message), pos.lineno, pos.col_offset, pos.end_lineno,
                         pos.end_col_offset, std::nullopt});
  return false;
}

bool Parser::RaiseAt(ErrorClass cls, std::string message, uint32_t token_index) {
  return RaiseRange(cls, std::move(message), KnownLocationPos(token_index));
}

bool Parser::RaiseAtNode(std::string message, ExprId node) {
  return RaiseRange(ErrorClass::SyntaxError, std::move(message), tree_[node].pos);
}

bool Parser::DepthLimitReached() {
  if (!error_) RaiseMemoryError();
  return false;
}

bool Parser::RaiseMemoryError() {
  if (!error_) {
    SetError();
    diag_.Error(Diagnostic{ErrorClass::MemoryError, "", 0, -1, 0, -1, std::nullopt});
  }
  return false;
}

// ---------------------------------------------------------------------------
// Memo


// ---------------------------------------------------------------------------
// Node helpers

NameId Parser::IdentifierSlow(const Token& t) {
  // Identifier has checked the cache; the constructor sized it.
  size_t index = static_cast<size_t>(&t - toks_.data());
  std::string_view text(src_.text.data() + t.offset, t.length);
  NameId id = (t.flags & lex::kNonAsciiName)
                  ? tree_.names().Intern(lex::NormalizeIdentifier(text))
                  : tree_.names().Intern(text);
  // Look up again: interning may not resize, but a nested parser might have.
  memo_store_.names[index] = NameEntry{stamp_, id.index};
  return id;
}

ExprId Parser::MakeName(uint32_t token_index, ExprContext ctx) {
  ExprNode n;
  n.kind = ExprKind::Name;
  n.pos = TokenPos(token_index);
  n.Name = NameFields{Identifier(toks_[token_index]), ctx};
  return AddExpr(n);
}

ExprId Parser::MakeTuple(Seq<ExprId> elts, ExprContext ctx, Pos pos) {
  ExprNode n;
  n.kind = ExprKind::Tuple;
  n.pos = pos;
  n.Tuple = TupleFields{elts, ctx};
  return AddExpr(n);
}

// A copy of `e` with its (and its elements') context set to `ctx`, as
// _PyPegen_set_expr_context builds it.
ExprId Parser::SetContext(ExprId e, ExprContext ctx) {
  ExprNode n = tree_[e];
  auto map_elts = [&](Seq<ExprId> elts) {
    size_t start = exprs_scratch_.items.size();
    for (uint32_t i = 0; i < elts.count; ++i) {
      ExprId item = tree_[elts][i];
      exprs_scratch_.items.push_back(SetContext(item, ctx));
    }
    return FinishList(exprs_scratch_, start);
  };
  switch (n.kind) {
    case ExprKind::Name: n.Name.ctx = ctx; break;
    case ExprKind::Attribute: n.Attribute.ctx = ctx; break;
    case ExprKind::Subscript: n.Subscript.ctx = ctx; break;
    case ExprKind::Starred:
      n.Starred.value = SetContext(n.Starred.value, ctx);
      n.Starred.ctx = ctx;
      break;
    case ExprKind::List:
      n.List.elts = map_elts(n.List.elts);
      n.List.ctx = ctx;
      break;
    case ExprKind::Tuple:
      n.Tuple.elts = map_elts(n.Tuple.elts);
      n.Tuple.ctx = ctx;
      break;
    default:
      return e;
  }
  return AddExpr(n);
}

template <class T>
Seq<T> Parser::FinishList(ScratchStack<T>& stack, size_t start) {
  std::span<const T> items(stack.items.data() + start, stack.items.size() - start);
  Seq<T> seq = tree_.AddList(items);
  stack.items.resize(start);
  return seq;
}

template Seq<ExprId> Parser::FinishList(ScratchStack<ExprId>&, size_t);
template Seq<StmtId> Parser::FinishList(ScratchStack<StmtId>&, size_t);
template Seq<PatternId> Parser::FinishList(ScratchStack<PatternId>&, size_t);
template Seq<KeywordId> Parser::FinishList(ScratchStack<KeywordId>&, size_t);
template Seq<NameId> Parser::FinishList(ScratchStack<NameId>&, size_t);
template Seq<CmpOperator> Parser::FinishList(ScratchStack<CmpOperator>&, size_t);
template Seq<AliasId> Parser::FinishList(ScratchStack<AliasId>&, size_t);
template Seq<ArgId> Parser::FinishList(ScratchStack<ArgId>&, size_t);
template Seq<WithItemId> Parser::FinishList(ScratchStack<WithItemId>&, size_t);
template Seq<ComprehensionId> Parser::FinishList(ScratchStack<ComprehensionId>&, size_t);
template Seq<ExceptHandlerId> Parser::FinishList(ScratchStack<ExceptHandlerId>&, size_t);
template Seq<MatchCaseId> Parser::FinishList(ScratchStack<MatchCaseId>&, size_t);

// ---------------------------------------------------------------------------
// Entry points

ModId Parser::File() {
  size_t start = stmts_scratch_.items.size();
  size_t count = 0;
  Statements(count);
  if (error_ || !Eat(TokenKind::EndMarker)) {
    stmts_scratch_.items.resize(start);
    return ModId{};
  }
  ModNode m;
  m.kind = ModKind::Module;
  m.Module = ModuleFields{FinishList(stmts_scratch_, start), Seq<TypeIgnoreId>{}};
  return tree_.Add(m);
}

ExprId Parser::FStringExpression() { return StarExpressions(); }

namespace {

// Places the generic "invalid syntax" (or its indentation variants) at the
// furthest token of the first pass, as _Pypegen_set_syntax_error does.
void ReportGenericError(Parser& parser, uint32_t last_index) {
  const Token& last = parser.TokenAt(last_index);
  if (last.kind == TokenKind::Indent || last.kind == TokenKind::Dedent) {
    parser.RaiseAtLast(ErrorClass::IndentationError,
                       last.kind == TokenKind::Indent ? "unexpected indent" : "unexpected unindent");
    return;
  }
  parser.RaiseAt(ErrorClass::SyntaxError, "invalid syntax", last_index);
}

}  // namespace

std::unique_ptr<ast::Ast> Parse(const lex::Source& source, const lex::Tokens& tokens,
                                Diagnostics& diag, const ParseOptions&) {
  auto tree = std::make_unique<ast::Ast>();
  if (tokens.tokens.empty()) return nullptr;
  Parser parser(source, tokens.tokens, tokens.error, *tree, diag);
  ModId root = parser.File();
  if (root) {
    tree->root = root;
    return tree;
  }
  bool indentation = false;
  if (!diag.HasError()) {
    // Second pass, with the invalid_* rules enabled.
    uint32_t last_first_pass = parser.FurthestToken();
    parser.ResetForSecondPass();
    parser.File();
    if (!diag.HasError()) {
      ReportGenericError(parser, last_first_pass);
      indentation = diag.error()->cls == ErrorClass::IndentationError;
    }
  }
  // CPython then tokenizes the rest of the file; an error there may win.
  if (!indentation) parser.PreferErrorInRestOfFile(tokens);
  parser.SetErrorLineText();
  return nullptr;
}

std::unique_ptr<ast::Ast> ParseBytes(std::string_view bytes, std::string path,
                                     Diagnostics& diag) {
  lex::Source source;
  if (!lex::DecodeSource(bytes, std::move(path), source, diag)) return nullptr;
  lex::Tokens tokens = lex::Tokenize(source);
  return Parse(source, tokens, diag);
}

}  // namespace xpyc::parse

namespace xpyc::parse {

bool Parser::Expect(TokenKind k, std::string_view spelling) {
  if (Eat(k)) return true;
  if (error_) return false;
  return RaiseAt(ErrorClass::SyntaxError, "expected '" + std::string(spelling) + "'", pos_);
}

}  // namespace xpyc::parse
