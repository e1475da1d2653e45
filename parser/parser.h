#pragma once
// Internal to the parser stage: the recursive-descent PEG parser over the
// token vector. Rules are member functions named after Grammar/python.gram
// (3.10); they return a node id (None on failure) and leave the position
// where they started when they fail.
//
// Two passes (see Parse in parse.cpp): `call_invalid_rules_` is false in the
// first pass and true in the second, where the invalid_* rules may raise a
// specific error through RaiseAt/RaiseAtNode. Adding an invalid rule: write a
// member `bool InvalidXxx()` (in parse_invalid.cpp) that returns false when
// it does not match, call it where the grammar does, guarded by
// `call_invalid_rules_`, and raise with RaiseAt*/RaiseAtNode.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lexer/diagnostics.h"
#include "lexer/lex.h"
#include "lexer/source.h"
#include "lexer/token.h"
#include "parser/ast.h"
#include "parser/literals.h"

namespace xpyc::parse {

using lex::Token;
using lex::TokenKind;
using namespace xpyc::ast;

// Rules whose results are memoised per token position.
enum class MemoRule : uint8_t {
  Expression,
  Disjunction,
  Conjunction,
  Inversion,
  BitwiseOr,
  Factor,
  AwaitPrimary,
  Primary,
  StarExpression,
  StarTarget,
  TargetWithStarAtom,
  TPrimary,
  DelTarget,
  Strings,
  Arguments,
  SimpleStmt,
  Block,
  ClosedPattern,
  StarPattern,
  Count,
};

// Whether a rule's results are actually stored: the others are cheap to redo
// and never re-run at one position more than a constant number of times.
constexpr bool IsMemoised(MemoRule rule) {
  switch (rule) {
    case MemoRule::Expression:
    case MemoRule::TargetWithStarAtom:
    case MemoRule::TPrimary:
    case MemoRule::DelTarget:
    case MemoRule::Strings:
    case MemoRule::Arguments:
    case MemoRule::Block:
    case MemoRule::ClosedPattern:
    case MemoRule::StarPattern:
    case MemoRule::Primary:
      return true;
    case MemoRule::StarExpression:
    case MemoRule::Disjunction:
    case MemoRule::Conjunction:
    case MemoRule::Inversion:
    case MemoRule::BitwiseOr:
    case MemoRule::Factor:
    case MemoRule::AwaitPrimary:
    case MemoRule::StarTarget:
    case MemoRule::SimpleStmt:
    case MemoRule::Count:
      return false;
  }
  return false;
}

// The memo table of each memoised rule.
inline constexpr uint32_t kMemoSlots = 10;
constexpr uint32_t MemoSlot(MemoRule rule) {
  switch (rule) {
    case MemoRule::Expression: return 0;
    case MemoRule::Primary: return 1;
    case MemoRule::Strings: return 2;
    case MemoRule::Arguments: return 3;
    case MemoRule::TPrimary: return 4;
    case MemoRule::TargetWithStarAtom: return 5;
    case MemoRule::DelTarget: return 6;
    case MemoRule::Block: return 7;
    case MemoRule::ClosedPattern: return 8;
    case MemoRule::StarPattern: return 9;
    default: return kMemoSlots;
  }
}

// CPython 3.10's parser stops (MemoryError) beyond this many nested rule calls.
inline constexpr int kMaxRuleDepth = 6000;

// Items collected for one list node; nested collectors share one stack.
template <class T>
struct ScratchStack {
  std::vector<T> items;
};

class Parser {
 public:
  Parser(const lex::Source& source, std::span<const Token> tokens,
         const std::optional<Diagnostic>& token_error, Ast& tree, Diagnostics& diag);

  // file: [statements] ENDMARKER. Returns the Module id or None.
  ModId File();
  // The f-string sub-parser entry: star_expressions followed by ENDMARKER
  // (the text is "(" expr ")", tokenized on its own).
  ExprId FStringExpression();

  void EnableInvalidRules() { call_invalid_rules_ = true; }
  void ResetForSecondPass();
  bool HasError() const { return error_; }
  // The furthest token the parser looked at (CPython's p->fill - 1).
  uint32_t FurthestToken() const { return looked_end_ > 0 ? looked_end_ - 1 : 0; }
  const Token& TokenAt(uint32_t i) const { return toks_[i]; }
  // Positions of f-string sub-parses are shifted like 3.10 does.
  void SetPositionShift(int32_t line_offset, int32_t col_offset) {
    line_shift_ = line_offset;
    col_shift_ = col_offset;
  }

  // Coordinates of a token (shifted for f-string sub-parsers).
  int32_t LineOf(const Token& t) const;
  int32_t ColOf(const Token& t) const;
  int32_t EndLineOf(const Token& t) const;
  int32_t EndColOf(const Token& t) const;

  // Raises SyntaxError-family errors: sets the error indicator.
  bool RaiseAt(ErrorClass cls, std::string message, uint32_t token_index);
  bool RaiseRange(ErrorClass cls, std::string message, Pos pos);
  bool RaiseAtNode(std::string message, ExprId node);
  // RAISE_SYNTAX_ERROR / RAISE_INDENTATION_ERROR: at the furthest token read.
  bool RaiseAtLast(ErrorClass cls, std::string message);
  // A token's position as RAISE_ERROR_KNOWN_LOCATION reports it (Indent,
  // Dedent and EndMarker have none: offset 0, end offset 0).
  Pos KnownLocationPos(uint32_t token_index) const;
  bool RaiseMemoryError();
  // _PyPegen_tokenize_full_source_to_check_for_errors, after a parser error
  // that did not come from the tokenizer: the first tokenizer error in the
  // rest of the file may replace it (see lexer/lex.h, ErrorOrigin).
  void PreferErrorInRestOfFile(const lex::Tokens& tokens);
  // SyntaxError.text when the tokenizer is already past the error's line:
  // CPython then copies the line from the source without its newline.
  void SetErrorLineText();
  // CPython's SyntaxError.text for a parser error on `lineno` when the file
  // cannot be re-read (see _PyPegen_raise_error_known_location).
  std::string ErrorLineText(int32_t lineno) const;
  int32_t TokenizerBufferFirstLine() const;

 private:
  // ---- token verbs
  const Token& Peek() {
    if (pos_ >= looked_end_) [[unlikely]] LookAtNewToken();
    return toks_[pos_];
  }
  // The first look at the token at pos_: it moves the furthest mark, and an
  // error token raises its error then (as CPython's parser does when it
  // fetches the token); later looks cannot change either.
  void LookAtNewToken() {
    looked_end_ = pos_ + 1;
    const Token& t = toks_[pos_];
    if (t.kind == TokenKind::Error) ReachedErrorToken(t);
  }
  void ReachedErrorToken(const Token& t);
  TokenKind PeekKind() { return Peek().kind; }
  // The token after the current one (the current one when it ends the
  // input), both looked at.
  const Token& PeekNext() {
    const Token& t = Peek();
    if (t.kind == TokenKind::EndMarker || t.kind == TokenKind::Error) return t;
    ++pos_;
    const Token& next = Peek();
    --pos_;
    return next;
  }
  bool AtNameFollowedBy(TokenKind k) { return At(TokenKind::Name) && PeekNext().kind == k; }
  bool At(TokenKind k) { return PeekKind() == k; }
  bool Eat(TokenKind k) {
    const Token& t = Peek();
    if (t.kind != k) return false;
    if (k != TokenKind::EndMarker && k != TokenKind::Error) ++pos_;
    return true;
  }
  // The first token outside brackets, in the simple statement starting here,
  // that an assignment needs ('=', ':' or an augmented assignment), or the
  // token where the scan cannot tell (an unmatched closing bracket, the end
  // of the file); nullptr when the statement has none.
  const Token* AssignmentTokenAhead() const;
  bool MayBeAssignment() const { return AssignmentTokenAhead() != nullptr; }
  // '=' or an augmented assignment.
  static bool IsAssignOperator(TokenKind k) {
    switch (k) {
      case TokenKind::Equal:
      case TokenKind::PlusEqual:
      case TokenKind::MinEqual:
      case TokenKind::StarEqual:
      case TokenKind::AtEqual:
      case TokenKind::SlashEqual:
      case TokenKind::PercentEqual:
      case TokenKind::AmperEqual:
      case TokenKind::VBarEqual:
      case TokenKind::CircumflexEqual:
      case TokenKind::LeftShiftEqual:
      case TokenKind::RightShiftEqual:
      case TokenKind::DoubleStarEqual:
      case TokenKind::DoubleSlashEqual:
        return true;
      default:
        return false;
    }
  }
  // Whether the bracket opened by token `index` may hold a comprehension:
  // 'for' or 'async' directly inside it, or no matching close bracket.
  bool MayHoldComprehension(uint32_t index) const {
    const Token& t = toks_[index];
    if (t.kind != TokenKind::LPar && t.kind != TokenKind::LSqb && t.kind != TokenKind::LBrace) {
      return true;
    }
    return (t.flags & lex::kBracketMayHoldFor) != 0;
  }
  bool AtSoftKeyword(std::string_view word);
  bool EatSoftKeyword(std::string_view word);
  // A forced token (&&'x' in the grammar): raises "expected 'x'" if absent.
  bool Expect(TokenKind k, std::string_view spelling);
  uint32_t Mark() const { return pos_; }
  void Reset(uint32_t m) { pos_ = m; }
  std::string_view TokenText(const Token& t) const;

  // ---- positions
  // start token .. last consumed token
  Pos SpanFrom(uint32_t start_mark) const {
    uint32_t last = pos_ > 0 ? pos_ - 1 : 0;
    while (last > 0 && IsLayoutToken(toks_[last].kind)) --last;
    Pos a = TokenPos(start_mark);
    Pos b = TokenPos(last);
    return Pos{a.lineno, a.col_offset, b.end_lineno, b.end_col_offset};
  }
  static bool IsLayoutToken(TokenKind k) {
    return k == TokenKind::Newline || k == TokenKind::Indent || k == TokenKind::Dedent ||
           k == TokenKind::EndMarker;
  }
  Pos TokenPos(uint32_t index) const {
    const Token& t = toks_[index];
    // The common case: no f-string shift, a one-line token whose column the
    // lexer cached.
    if ((line_shift_ | col_shift_) == 0 && t.col != lex::kColUnknown &&
        (t.flags & lex::kSpansLines) == 0) [[likely]] {
      int32_t line = static_cast<int32_t>(t.line);
      int32_t col = t.col;
      return Pos{line, col, line, col + static_cast<int32_t>(t.length)};
    }
    return TokenPosSlow(index);
  }
  Pos TokenPosSlow(uint32_t index) const;
  Pos JoinPos(Pos a, Pos b) const { return Pos{a.lineno, a.col_offset, b.end_lineno, b.end_col_offset}; }

  // ---- node construction
  ExprId AddExpr(const ExprNode& n) { return tree_.Add(n); }
  StmtId AddStmt(const StmtNode& n) { return tree_.Add(n); }
  PatternId AddPattern(const PatternNode& n) { return tree_.Add(n); }
  ExprId MakeName(uint32_t token_index, ExprContext ctx);
  NameId Identifier(const Token& t) {
    // The per-token cache is sized for these tokens by the constructor (a
    // nested parser may only grow it).
    const NameEntry& cached = memo_store_.names[static_cast<size_t>(&t - toks_.data())];
    if (cached.stamp == stamp_) return NameId{cached.name};
    return IdentifierSlow(t);
  }
  NameId IdentifierSlow(const Token& t);
  ExprId SetContext(ExprId e, ExprContext ctx);
  ExprId MakeTuple(Seq<ExprId> elts, ExprContext ctx, Pos pos);
  template <class T>
  Seq<T> FinishList(ScratchStack<T>& stack, size_t start);
  ScratchStack<ExprId> exprs_scratch_;
  ScratchStack<StmtId> stmts_scratch_;
  ScratchStack<PatternId> patterns_scratch_;
  ScratchStack<KeywordId> keywords_scratch_;
  ScratchStack<NameId> names_scratch_;
  ScratchStack<CmpOperator> cmpops_scratch_;
  ScratchStack<AliasId> aliases_scratch_;
  ScratchStack<ArgId> args_scratch_;
  ScratchStack<WithItemId> withitems_scratch_;
  ScratchStack<ComprehensionId> comps_scratch_;
  ScratchStack<ExceptHandlerId> handlers_scratch_;
  ScratchStack<MatchCaseId> cases_scratch_;
  ScratchStack<ExprId> dict_values_scratch_;

  // ---- memo
  // Memo tables live in per-thread storage reused from file to file; an entry
  // counts only if its stamp is this parse's (so nothing is ever cleared, and
  // a nested f-string parser overwriting entries only costs a recomputation).
  // 8 bytes, one table per rule: the parse moves forward through the tokens,
  // so each rule's entries are read nearly in order.
  struct MemoEntry {
    uint16_t stamp = 0;   // the parse's memo_stamp_
    uint16_t span = 0;    // end - start; kWideSpan: the end is in memo_wide_
    uint32_t result = 0;  // node index, 0 = failure
  };
  static constexpr uint16_t kWideSpan = 0xFFFF;
  struct NameEntry {
    uint32_t stamp = 0;
    uint32_t name = 0;
  };
  struct MemoStore {
    // One table per memoised rule, each sized for the tokens by the
    // constructor. Tables are cleared when the low 16 bits of the stamp wrap.
    std::vector<MemoEntry> tables[kMemoSlots];
    std::vector<NameEntry> names;
    uint32_t last_stamp = 0;
  };
  static MemoStore& ThreadMemoStore();
  // A fresh stamp for a parse (constructor, second pass).
  void NewStamp();
  // The entry of `rule` at `position` (valid until a nested parser runs).
  MemoEntry& MemoAt(MemoRule rule, uint32_t position) {
    return memo_store_.tables[MemoSlot(rule)][position];
  }
  // Ends of entries spanning kWideSpan tokens or more: (slot << 32 | start, end).
  std::vector<std::pair<uint64_t, uint32_t>> memo_wide_;
  uint32_t WideMemoEnd(MemoRule rule, uint32_t start) const;
  template <class Id, class F>
  Id Memo(MemoRule rule, F&& parse);

  // ---- recursion guard
  // Fails (ok false) when an error is set or the nesting gets too deep.
  struct DepthGuard {
    Parser& p;
    bool ok;
    explicit DepthGuard(Parser& parser)
        : p(parser), ok(++p.level_ <= p.level_limit_ || p.DepthLimitReached()) {}
    ~DepthGuard() { --p.level_; }
  };
  // Raises MemoryError unless an error is set already; returns false.
  bool DepthLimitReached();
  void SetError() {
    error_ = true;
    level_limit_ = -1;
  }

  // ---- statements (parse_stmt.cpp)
  bool Statements(size_t& count);
  bool Statement();
  bool SimpleStmts();
  StmtId SimpleStmt();
  StmtId SimpleStmtUncached();
  StmtId CompoundStmt();
  // With may_be_annotated false, the annotated alternatives other than
  // NAME ':' are skipped (they need a ':' before any '=').
  StmtId Assignment(bool may_be_annotated = true);
  bool AugAssignOp(Operator& op);
  StmtId ReturnStmt();
  StmtId RaiseStmt();
  StmtId GlobalOrNonlocal(bool global);
  StmtId DelStmt();
  StmtId AssertStmt();
  StmtId ImportName();
  StmtId ImportFrom();
  AliasId DottedAsName();
  AliasId ImportFromAsName();
  AliasId AliasWithOptionalAs(NameId name, uint32_t start);
  bool DottedName(uint32_t& end_mark);
  bool Block(Seq<StmtId>& out);
  bool BlockUncached(Seq<StmtId>& out);
  std::vector<Seq<StmtId>> block_results_;  // memoised blocks, by index - 1
  bool Decorators(Seq<ExprId>& out);
  StmtId ClassDef(Seq<ExprId> decorators);
  StmtId FunctionDef(Seq<ExprId> decorators);
  StmtId IfStmt(bool elif);
  bool ElseBlock(Seq<StmtId>& out);
  StmtId WhileStmt();
  StmtId ForStmt();
  StmtId WithStmt();
  WithItemId WithItem();
  StmtId TryStmt();
  ExceptHandlerId ExceptBlock();
  bool FinallyBlock(Seq<StmtId>& out);
  StmtId MatchStmt();
  ExprId SubjectExpr();
  MatchCaseId CaseBlock();

  // ---- parameters (parse_stmt.cpp)
  ArgumentsId Params(bool lambda);
  ArgumentsId EmptyArguments();
  ArgId Param(bool lambda);
  bool ParamNoDefault(bool lambda, ArgId& out);
  bool ParamWithDefault(bool lambda, ArgId& arg, ExprId& def);
  bool ParamMaybeDefault(bool lambda, ArgId& arg, ExprId& def);
  bool ParamEnd(bool lambda);

  // ---- invalid_* rules (parse_invalid.cpp), second pass only. Each returns
  // true when it raised its error; otherwise it leaves the position unchanged.
  bool InvalidExpression();
  bool InvalidLegacyExpression();
  // The "expected an indented block after ..." alternatives of invalid_def_raw,
  // invalid_class_def_raw, invalid_if_stmt, ...: at ':' NEWLINE !INDENT.
  bool InvalidMissingBlock(std::string_view what, uint32_t keyword_index);
  // The "expected ':'" alternatives (invalid_if_stmt, invalid_class_def_raw,
  // ...): a statement header directly followed by NEWLINE.
  bool MissingColon() {
    if (!call_invalid_rules_ || !At(TokenKind::Newline)) return false;
    RaiseAt(ErrorClass::SyntaxError, "expected ':'", pos_);
    return true;
  }
  bool MissingBlock(std::string_view what, uint32_t keyword_index) {
    return call_invalid_rules_ && InvalidMissingBlock(what, keyword_index);
  }
  // The same check made at the header's ':' without consuming it.
  bool MissingBlockAfterColon(std::string_view what, uint32_t keyword_index) {
    if (!call_invalid_rules_ || !At(TokenKind::Colon)) return false;
    uint32_t colon = Mark();
    ++pos_;
    if (InvalidMissingBlock(what, keyword_index)) return true;
    Reset(colon);
    return false;
  }
  ExprId ExpressionWithoutInvalid();
  enum class TargetsType : uint8_t { kStar, kDel, kFor };
  std::string ExprName(ExprId e);
  ExprId GetInvalidTarget(ExprId e, TargetsType type);
  bool RaiseInvalidTarget(TargetsType type, ExprId e);
  bool RaiseStartingFrom(std::string message, Pos start);
  bool AtUnassignableAtom();
  bool InvalidNamedExpression();
  ExprId InvalidAnnAssignTarget();
  bool InvalidAssignment();
  bool InvalidDelStmt();
  bool InvalidForTarget();
  bool InvalidWithItem();
  bool InvalidArguments(uint32_t start);
  bool InvalidKwarg();
  bool InvalidParameters(bool lambda);
  bool InvalidStarEtc(bool lambda);
  bool InvalidGroup();
  bool InvalidComprehension(bool brackets_or_braces);
  bool InvalidDictComprehension();
  bool InvalidDoubleStarredKvpairs();
  bool InvalidExceptStmt(uint32_t start);
  bool InvalidWithStmt(uint32_t items_start);
  bool InvalidAsPattern();
  bool InvalidLaterDictKey();
  bool InvalidClassArgumentPattern();
  ExprId LastComprehensionItem(Seq<ComprehensionId> gens);
  // Bracket nesting level of a token as CPython's tokenizer records it.
  int TokenLevel(uint32_t index);
  bool RaiseBetween(std::string message, ExprId first, ExprId last);
  std::vector<uint16_t> token_levels_;

  // ---- expressions (parse_expr.cpp)
  ExprId Expressions();
  ExprId Expression();
  ExprId ExpressionUncached();
  ExprId ExpressionBody(uint32_t start);
  ExprId YieldExpr();
  bool CommaListRest(ExprId (Parser::*item)(), size_t base, bool* saw_comma);
  ExprId BoolOpChain(ExprId first, uint32_t start, lex::TokenKind op, BoolOperator kind,
                     ExprId (Parser::*operand)());
  ExprId TupleOrSingle(ExprId first, uint32_t start, ExprId (Parser::*item)(), ExprContext ctx);
  ExprId StarExpressions();
  ExprId StarExpression();
  bool StarNamedExpressions(Seq<ExprId>& out);
  ExprId StarNamedExpression();
  ExprId AssignmentExpression();
  ExprId NamedExpression();
  ExprId Disjunction();
  ExprId LoneOperand();
  ExprId Conjunction();
  ExprId Inversion();
  ExprId Comparison();
  ExprId BitwiseOr();
  ExprId BitwiseXor();
  ExprId BitwiseAnd();
  ExprId ShiftExpr();
  ExprId Sum();
  ExprId Term();
  ExprId Factor();
  ExprId Power();
  ExprId AwaitPrimary();
  ExprId Primary();
  ExprId Slices();
  ExprId Slice();
  ExprId Atom();
  ExprId ParenAtom();
  ExprId BracketAtom();
  ExprId BraceAtom();
  ExprId Lambdef();
  ExprId Strings();
  std::vector<literals::StringToken> string_run_;
  ExprId StringsUncached();
  ExprId Number(uint32_t token_index);
  ExprId Genexp();
  bool ForIfClauses(Seq<ComprehensionId>& out);
  bool Arguments(Seq<ExprId>& args, Seq<KeywordId>& keywords);
  // With args_only, CPython's `args` alone (no [','] &')' after it).
  bool ArgumentsUncached(Seq<ExprId>& args, Seq<KeywordId>& keywords, bool args_only = false);
  struct ArgumentsResult {
    Seq<ExprId> args;
    Seq<KeywordId> keywords;
  };
  std::vector<ArgumentsResult> arguments_results_;  // memoised arguments, by index - 1
  ExprId StarredExpression();
  ExprId PositionalArgument();
  KeywordId KwargOrStarred(bool double_starred, ExprId& starred);
  ExprId CallTrailer(ExprId func, uint32_t start);
  ExprId MakeCall(ExprId func, Seq<ExprId> args, Seq<KeywordId> kws, uint32_t start);

  // ---- targets (parse_expr.cpp)
  ExprId StarTargets();
  bool StarTargetsSeq(Seq<ExprId>& out, bool tuple_form);
  ExprId StarTarget();
  ExprId TargetWithStarAtom();
  ExprId StarAtom();
  ExprId SingleTarget();
  ExprId SingleSubscriptAttributeTarget();
  ExprId TPrimary();
  bool AtTLookahead();
  bool DelTargets(Seq<ExprId>& out);
  ExprId DelTarget();
  ExprId DelTAtom();
  ExprId TargetTrailer(ExprId base, uint32_t start, ExprContext ctx);

  // ---- patterns (parse_pattern.cpp)
  PatternId Patterns();
  PatternId Pattern();
  PatternId OrPattern();
  PatternId ClosedPattern();
  PatternId ClosedPatternUncached();
  PatternId LiteralPattern();
  ExprId LiteralExpr();
  ExprId SignedNumber();
  ExprId ComplexNumber();
  PatternId CapturePattern();
  ExprId PatternCaptureTarget();
  PatternId WildcardPattern();
  PatternId ValuePattern();
  ExprId Attr();
  ExprId NameOrAttr();
  PatternId GroupPattern();
  PatternId SequencePattern();
  bool MaybeSequencePattern(Seq<PatternId>& out);
  bool OpenSequencePattern(Seq<PatternId>& out);
  PatternId MaybeStarPattern();
  PatternId StarPattern();
  PatternId MappingPattern();
  PatternId ClassPattern();

  // ---- state
  const lex::Source& src_;
  std::span<const Token> toks_;
  const std::optional<Diagnostic>& token_error_;
  Ast& tree_;
  Diagnostics& diag_;
  uint32_t pos_ = 0;
  uint32_t looked_end_ = 0;  // one past the furthest token looked at
  int level_ = 0;
  // kMaxRuleDepth, or -1 once an error is set: every rule then fails at its
  // DepthGuard, with a single comparison for both checks.
  int level_limit_ = kMaxRuleDepth;
  bool call_invalid_rules_ = false;
  bool error_ = false;  // set only through SetError, which keeps level_limit_ with it
  int32_t line_shift_ = 0;
  int32_t col_shift_ = 0;
  MemoStore& memo_store_;
  uint32_t stamp_ = 0;
  uint16_t memo_stamp_ = 0;  // the low 16 bits of stamp_, never 0
  friend class FStringCompiler;  // runs nested parsers on the same tree
};

}  // namespace xpyc::parse

namespace xpyc::parse {

template <class Id, class F>
Id Parser::Memo(MemoRule rule, F&& parse) {
  if (!IsMemoised(rule)) return parse();
  static_assert(sizeof(MemoEntry) == 8);
  uint32_t start = pos_;
  const MemoEntry& entry = MemoAt(rule, start);
  if (entry.stamp == memo_stamp_) {
    pos_ = entry.span != kWideSpan ? start + entry.span : WideMemoEnd(rule, start);
    return Id{entry.result};
  }
  Id result = parse();
  if (!result) pos_ = start;
  uint32_t span = pos_ - start;
  if (span >= kWideSpan) [[unlikely]] {
    memo_wide_.emplace_back(static_cast<uint64_t>(MemoSlot(rule)) << 32 | start, pos_);
    span = kWideSpan;
  }
  MemoAt(rule, start) = MemoEntry{memo_stamp_, static_cast<uint16_t>(span), result.index};
  return result;
}

}  // namespace xpyc::parse
