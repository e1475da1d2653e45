// The invalid_* rules of the 3.10 grammar: tried only in the second pass,
// they turn a failed parse into CPython's specific SyntaxError.
//
// To add one: declare `bool InvalidXxx()` in parser.h, implement it here
// (return true after raising with RaiseAt / RaiseRange / RaiseBetween, or
// reset the position and return false), and call it from the rule that lists
// it in Grammar/python.gram, at the same place among the alternatives, under
// `if (call_invalid_rules_)`.
#include "parser/parser.h"

namespace xpyc::parse {

namespace {

bool IsLegacyName(std::string_view name) { return name == "print" || name == "exec"; }

}  // namespace

bool Parser::RaiseBetween(std::string message, ExprId first, ExprId last) {
  return !RaiseRange(ErrorClass::SyntaxError, std::move(message),
                     JoinPos(tree_[first].pos, tree_[last].pos));
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
  bool name_string = first.kind == TokenKind::Name && PeekAhead(1).kind == TokenKind::String;
  bool soft_keyword = first.kind == TokenKind::Name &&
                      (AtSoftKeyword("match") || AtSoftKeyword("case") || AtSoftKeyword("_"));
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
  if (!At(TokenKind::Newline) || PeekAhead(1).kind == TokenKind::Indent) return false;
  RaiseAt(ErrorClass::IndentationError,
          "expected an indented block after " + std::string(what) + " on line " +
              std::to_string(LineOf(toks_[keyword_index])),
          pos_ + 1);
  return true;
}

// invalid_legacy_expression: NAME !'(' star_expressions, for print and exec.
bool Parser::InvalidLegacyExpression() {
  uint32_t start = Mark();
  if (!At(TokenKind::Name) || PeekAhead(1).kind == TokenKind::LPar) return false;
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

}  // namespace xpyc::parse
