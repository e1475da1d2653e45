// Literal atoms: NUMBER and STRING+ (with f-strings), built from the results
// of parser/literals.h. Each f-string expression is parsed by a fresh Parser
// over its own tokens ("(" expr ")"), placed as CPython 3.10 places them.
#include <vector>

#include "lexer/lex.h"
#include "parser/literals.h"
#include "parser/parser.h"

namespace xpyc::parse {

namespace {

literals::TokenSpan SpanOf(const Pos& p) {
  return literals::TokenSpan{p.lineno, p.col_offset, p.end_lineno, p.end_col_offset};
}

}  // namespace

// Parses the expression text of one f-string replacement field.
class FStringCompiler final : public literals::ExpressionCompiler {
 public:
  // `depth` is the outer parser's rule depth: nested parsers continue it so
  // that f-strings inside deep expressions cannot overflow the C++ stack.
  FStringCompiler(Ast& tree, Diagnostics& diag, int depth)
      : tree_(tree), diag_(diag), depth_(depth) {}

  void* CompileExpression(const literals::ExpressionText& expr) override {
    lex::Source source;
    Diagnostics decode_diag;
    if (!lex::DecodeSource(expr.text, "<fstring>", source, decode_diag)) {
      diag_.Error(*decode_diag.error());
      return nullptr;
    }
    lex::Tokens tokens = lex::Tokenize(source);
    if (tokens.tokens.empty()) return nullptr;
    Diagnostics sub_diag;
    Parser sub(source, tokens.tokens, tokens.error, tree_, sub_diag);
    // Token lines are 1-based within the text; 3.10 adds starting_lineno - 1.
    sub.SetPositionShift(expr.start_lineno - 1, expr.start_col);
    sub.level_ = depth_;
    ExprId result = sub.FStringExpression();
    if (!result && !sub_diag.HasError()) {
      uint32_t furthest = sub.FurthestToken();
      sub.ResetForSecondPass();
      sub.level_ = depth_;
      sub.FStringExpression();
      if (!sub_diag.HasError()) {
        sub.RaiseAt(ErrorClass::SyntaxError, "invalid syntax", furthest);
      }
    }
    if (!result) {
      Diagnostic d = *sub_diag.error();
      const bool syntax = d.cls == ErrorClass::SyntaxError || d.cls == ErrorClass::IndentationError;
      const bool own_tokenizer = tokens.error && tokens.error->message == d.message &&
                                 tokens.error->lineno == d.lineno && tokens.error->col == d.col;
      if (syntax && d.text) {
        // Raised by a tokenizer, whose line numbers 3.10 shifts too (once:
        // a nested f-string's error arrives here already shifted).
        if (own_tokenizer) {
          d.lineno += expr.start_lineno - 1;
          d.end_lineno += expr.start_lineno - 1;
        }
      } else if (syntax) {
        // Raised by the parser: "f-string: " and the expression's own line
        // as the tokenizer holds it.
        d.message = "f-string: " + d.message;
        d.text = sub.ErrorLineText(d.lineno);
        d.text_overrides_file = true;
      }
      diag_.Error(std::move(d));
      return nullptr;
    }
    return reinterpret_cast<void*>(static_cast<uintptr_t>(result.index));
  }

 private:
  Ast& tree_;
  Diagnostics& diag_;
  int depth_;
};

ExprId Parser::Number(uint32_t token_index) {
  Pos pos = TokenPos(token_index);
  marshal::Ref value =
      literals::ParseNumber(TokenText(toks_[token_index]), SpanOf(pos), tree_.heap(), diag_);
  if (!value) {
    SetError();
    return {};
  }
  pos_ = token_index + 1;
  ExprNode n;
  n.kind = ExprKind::Constant;
  n.pos = pos;
  n.Constant = ConstantFields{value, NameId{}};
  return AddExpr(n);
}

ExprId Parser::Strings() {
  return Memo<ExprId>(MemoRule::Strings, [&] { return StringsUncached(); });
}


// strings: STRING+
ExprId Parser::StringsUncached() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  // Reused from call to call: strings never nest within one parser (nested
  // f-strings are parsed by their own Parser).
  std::vector<literals::StringToken>& run = string_run_;
  run.clear();
  while (At(TokenKind::String)) {
    const Token& t = Peek();
    run.push_back(literals::StringToken{TokenText(t), SpanOf(TokenPos(pos_))});
    ++pos_;
  }
  if (run.empty()) return {};
  // CPython raises string errors at the token after the run (its lookahead).
  Pos after = TokenPos(pos_);
  Peek();
  if (error_) return {};
  Pos outer = SpanFrom(start);
  FStringCompiler compiler(tree_, diag_, level_);
  literals::StringsResult result;
  if (!literals::ConcatenateStrings(run, SpanOf(after), &compiler, tree_.heap(), diag_, result)) {
    SetError();
    return {};
  }
  NameId kind_u = result.kind_u ? tree_.names().Intern("u") : NameId{};
  if (result.kind == literals::StringsResult::Kind::Constant) {
    ExprNode n;
    n.kind = ExprKind::Constant;
    n.pos = outer;
    n.Constant = ConstantFields{result.constant, kind_u};
    return AddExpr(n);
  }
  // JoinedStr: top-level parts take the whole run's span; inside a format
  // spec, the trailing literal and the spec itself take the span of the
  // token holding the spec (3.10's FstringParser_Finish(p, t, t)).
  auto build = [&](auto& self, const literals::JoinedString& joined, bool in_spec,
                   Pos spec_pos) -> ExprId {
    std::vector<ExprId> values;
    for (size_t i = 0; i < joined.parts.size(); ++i) {
      const literals::JoinedPart& part = joined.parts[i];
      ExprNode n;
      if (part.literal) {
        bool trailing = in_spec && i + 1 == joined.parts.size();
        n.kind = ExprKind::Constant;
        n.pos = trailing ? spec_pos : outer;
        n.Constant = ConstantFields{part.literal, trailing ? NameId{} : kind_u};
      } else {
        const literals::FormattedPart& fp = *part.value;
        ExprId spec;
        if (fp.format_spec) {
          Pos holder = TokenPos(start + fp.expr.token_index);
          spec = self(self, *fp.format_spec, true, holder);
        }
        n.kind = ExprKind::FormattedValue;
        n.pos = outer;
        n.FormattedValue = FormattedValueFields{
            ExprId{static_cast<uint32_t>(reinterpret_cast<uintptr_t>(fp.compiled))},
            fp.conversion, spec};
      }
      values.push_back(AddExpr(n));
    }
    ExprNode j;
    j.kind = ExprKind::JoinedStr;
    j.pos = in_spec ? spec_pos : outer;
    j.JoinedStr = JoinedStrFields{tree_.AddList(std::span<const ExprId>(values))};
    return AddExpr(j);
  };
  return build(build, result.joined, false, outer);
}

}  // namespace xpyc::parse
