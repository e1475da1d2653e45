// Match statement patterns (PEP 634) of the 3.10 grammar.
#include "parser/parser.h"

namespace xpyc::parse {

namespace {

PatternNode PatternOf(PatternKind kind, Pos pos) {
  PatternNode n;
  n.kind = kind;
  n.pos = pos;
  return n;
}

}  // namespace

// patterns: open_sequence_pattern -> MatchSequence | pattern
PatternId Parser::Patterns() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  Seq<PatternId> items;
  if (OpenSequencePattern(items)) {
    PatternNode n = PatternOf(PatternKind::MatchSequence, SpanFrom(start));
    n.MatchSequence = MatchSequenceFields{items};
    return AddPattern(n);
  }
  if (error_) return {};
  Reset(start);
  return Pattern();
}

// pattern: as_pattern | or_pattern
// as_pattern: or_pattern 'as' pattern_capture_target
PatternId Parser::Pattern() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  PatternId p = OrPattern();
  if (!p) return {};
  uint32_t m = Mark();
  if (Eat(TokenKind::KwAs)) {
    if (ExprId target = PatternCaptureTarget()) {
      PatternNode n = PatternOf(PatternKind::MatchAs, SpanFrom(start));
      n.MatchAs = MatchAsFields{p, tree_[target].Name.id};
      return AddPattern(n);
    }
    if (error_) return {};
    if (call_invalid_rules_ && InvalidAsPattern()) return {};
    Reset(m);
  }
  return p;
}

// or_pattern: '|'.closed_pattern+
PatternId Parser::OrPattern() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  PatternId first = ClosedPattern();
  if (!first) return {};
  if (!At(TokenKind::VBar)) return first;
  size_t base = patterns_scratch_.items.size();
  patterns_scratch_.items.push_back(first);
  while (true) {
    uint32_t m = Mark();
    if (!Eat(TokenKind::VBar)) break;
    PatternId next = ClosedPattern();
    if (!next) {
      Reset(m);
      break;
    }
    patterns_scratch_.items.push_back(next);
  }
  if (error_) {
    patterns_scratch_.items.resize(base);
    return {};
  }
  if (patterns_scratch_.items.size() - base == 1) {
    patterns_scratch_.items.resize(base);
    return first;
  }
  Seq<PatternId> alternatives = FinishList(patterns_scratch_, base);
  PatternNode n = PatternOf(PatternKind::MatchOr, SpanFrom(start));
  n.MatchOr = MatchOrFields{alternatives};
  return AddPattern(n);
}

PatternId Parser::ClosedPattern() {
  return Memo<PatternId>(MemoRule::ClosedPattern, [&] { return ClosedPatternUncached(); });
}

// closed_pattern: literal_pattern | capture_pattern | wildcard_pattern
//   | value_pattern | group_pattern | sequence_pattern | mapping_pattern
//   | class_pattern
PatternId Parser::ClosedPatternUncached() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  using Alternative = PatternId (Parser::*)();
  static constexpr Alternative kAlternatives[] = {
      &Parser::LiteralPattern, &Parser::CapturePattern,  &Parser::WildcardPattern,
      &Parser::ValuePattern,   &Parser::GroupPattern,    &Parser::SequencePattern,
      &Parser::MappingPattern, &Parser::ClassPattern,
  };
  uint32_t start = Mark();
  for (Alternative alt : kAlternatives) {
    if (PatternId p = (this->*alt)()) return p;
    if (error_) return {};
    Reset(start);
  }
  return {};
}

// literal_pattern: signed_number !('+' | '-') | complex_number | strings
//                | 'None' | 'True' | 'False'
PatternId Parser::LiteralPattern() {
  uint32_t start = Mark();
  auto singleton = [&](marshal::Ref v) {
    ++pos_;
    PatternNode n = PatternOf(PatternKind::MatchSingleton, SpanFrom(start));
    n.MatchSingleton = MatchSingletonFields{v};
    return AddPattern(n);
  };
  switch (PeekKind()) {
    case TokenKind::KwNone: return singleton(tree_.heap().None());
    case TokenKind::KwTrue: return singleton(tree_.heap().True());
    case TokenKind::KwFalse: return singleton(tree_.heap().False());
    default: break;
  }
  ExprId value = LiteralExpr();
  if (!value) return {};
  PatternNode n = PatternOf(PatternKind::MatchValue, SpanFrom(start));
  n.MatchValue = MatchValueFields{value};
  return AddPattern(n);
}

// literal_expr: signed_number !('+' | '-') | complex_number | strings
//             | 'None' | 'True' | 'False'
ExprId Parser::LiteralExpr() {
  uint32_t start = Mark();
  auto constant = [&](marshal::Ref v) {
    ++pos_;
    ExprNode n;
    n.kind = ExprKind::Constant;
    n.pos = SpanFrom(start);
    n.Constant = ConstantFields{v, NameId{}};
    return AddExpr(n);
  };
  switch (PeekKind()) {
    case TokenKind::KwNone: return constant(tree_.heap().None());
    case TokenKind::KwTrue: return constant(tree_.heap().True());
    case TokenKind::KwFalse: return constant(tree_.heap().False());
    case TokenKind::String: return Strings();
    default: break;
  }
  if (ExprId n = SignedNumber()) {
    if (!At(TokenKind::Plus) && !At(TokenKind::Minus)) return n;
    Reset(start);
  }
  if (error_) return {};
  return ComplexNumber();
}

// signed_number: NUMBER | '-' NUMBER
ExprId Parser::SignedNumber() {
  uint32_t start = Mark();
  if (At(TokenKind::Number)) return Number(start);
  if (Eat(TokenKind::Minus) && At(TokenKind::Number)) {
    ExprId operand = Number(pos_);
    if (!operand) return {};
    ExprNode n;
    n.kind = ExprKind::UnaryOp;
    n.pos = SpanFrom(start);
    n.UnaryOp = UnaryOpFields{UnaryOperator::USub, operand};
    return AddExpr(n);
  }
  Reset(start);
  return {};
}

// complex_number: signed_real_number ('+' | '-') imaginary_number
ExprId Parser::ComplexNumber() {
  uint32_t start = Mark();
  ExprId real = SignedNumber();
  if (!real) return {};
  Operator op;
  if (Eat(TokenKind::Plus)) {
    op = Operator::Add;
  } else if (Eat(TokenKind::Minus)) {
    op = Operator::Sub;
  } else {
    Reset(start);
    return {};
  }
  if (!At(TokenKind::Number)) {
    Reset(start);
    return {};
  }
  ExprId imag = Number(pos_);
  if (!imag) return {};
  // The real part must be real and the imaginary part imaginary.
  ExprId real_value = tree_[real].kind == ExprKind::UnaryOp ? tree_[real].UnaryOp.operand : real;
  if (tree_[real_value].Constant.value->type == marshal::Type::Complex) {
    RaiseAtNode("real number required in complex literal", real_value);
    return {};
  }
  if (tree_[imag].Constant.value->type != marshal::Type::Complex) {
    RaiseAtNode("imaginary number required in complex literal", imag);
    return {};
  }
  ExprNode n;
  n.kind = ExprKind::BinOp;
  n.pos = SpanFrom(start);
  n.BinOp = BinOpFields{real, op, imag};
  return AddExpr(n);
}

// pattern_capture_target: !"_" NAME !('.' | '(' | '=')
ExprId Parser::PatternCaptureTarget() {
  uint32_t start = Mark();
  if (!At(TokenKind::Name) || AtSoftKeyword("_")) return {};
  ++pos_;
  TokenKind k = PeekKind();
  if (k == TokenKind::Dot || k == TokenKind::LPar || k == TokenKind::Equal) {
    Reset(start);
    return {};
  }
  return MakeName(start, ExprContext::Store);
}

// capture_pattern: pattern_capture_target -> MatchAs(NULL, name)
PatternId Parser::CapturePattern() {
  uint32_t start = Mark();
  ExprId target = PatternCaptureTarget();
  if (!target) return {};
  PatternNode n = PatternOf(PatternKind::MatchAs, SpanFrom(start));
  n.MatchAs = MatchAsFields{PatternId{}, tree_[target].Name.id};
  return AddPattern(n);
}

// wildcard_pattern: "_"
PatternId Parser::WildcardPattern() {
  uint32_t start = Mark();
  if (!EatSoftKeyword("_")) return {};
  PatternNode n = PatternOf(PatternKind::MatchAs, SpanFrom(start));
  n.MatchAs = MatchAsFields{PatternId{}, NameId{}};
  return AddPattern(n);
}

// value_pattern: attr !('.' | '(' | '=')
PatternId Parser::ValuePattern() {
  uint32_t start = Mark();
  ExprId attr = Attr();
  if (!attr) return {};
  TokenKind k = PeekKind();
  if (k == TokenKind::Dot || k == TokenKind::LPar || k == TokenKind::Equal) {
    Reset(start);
    return {};
  }
  PatternNode n = PatternOf(PatternKind::MatchValue, SpanFrom(start));
  n.MatchValue = MatchValueFields{attr};
  return AddPattern(n);
}

// name_or_attr: attr | NAME, where attr: name_or_attr '.' NAME
ExprId Parser::NameOrAttr() {
  uint32_t start = Mark();
  if (!At(TokenKind::Name)) return {};
  ++pos_;
  ExprId e = MakeName(start, ExprContext::Load);
  while (At(TokenKind::Dot) && PeekNext().kind == TokenKind::Name) {
    ++pos_;
    NameId attr = Identifier(Peek());
    ++pos_;
    ExprNode n;
    n.kind = ExprKind::Attribute;
    n.pos = SpanFrom(start);
    n.Attribute = AttributeFields{e, attr, ExprContext::Load};
    e = AddExpr(n);
  }
  return e;
}

// attr: name_or_attr '.' NAME  (at least one dot)
ExprId Parser::Attr() {
  uint32_t start = Mark();
  ExprId e = NameOrAttr();
  if (!e) return {};
  if (tree_[e].kind != ExprKind::Attribute) {
    Reset(start);
    return {};
  }
  return e;
}

// group_pattern: '(' pattern ')'
PatternId Parser::GroupPattern() {
  uint32_t start = Mark();
  if (!Eat(TokenKind::LPar)) return {};
  PatternId p = Pattern();
  if (p && Eat(TokenKind::RPar)) return p;
  Reset(start);
  return {};
}

// sequence_pattern: '[' maybe_sequence_pattern? ']' | '(' open_sequence_pattern? ')'
PatternId Parser::SequencePattern() {
  uint32_t start = Mark();
  Seq<PatternId> items;
  if (Eat(TokenKind::LSqb)) {
    MaybeSequencePattern(items);
    if (error_ || !Eat(TokenKind::RSqb)) {
      Reset(start);
      return {};
    }
  } else if (Eat(TokenKind::LPar)) {
    OpenSequencePattern(items);
    if (error_ || !Eat(TokenKind::RPar)) {
      Reset(start);
      return {};
    }
  } else {
    return {};
  }
  PatternNode n = PatternOf(PatternKind::MatchSequence, SpanFrom(start));
  n.MatchSequence = MatchSequenceFields{items};
  return AddPattern(n);
}

// maybe_sequence_pattern: ','.maybe_star_pattern+ ','?
bool Parser::MaybeSequencePattern(Seq<PatternId>& out) {
  size_t base = patterns_scratch_.items.size();
  PatternId first = MaybeStarPattern();
  if (!first) return false;
  patterns_scratch_.items.push_back(first);
  while (Eat(TokenKind::Comma)) {
    uint32_t m = Mark();
    PatternId p = MaybeStarPattern();
    if (!p) {
      Reset(m);
      break;
    }
    patterns_scratch_.items.push_back(p);
  }
  if (error_) {
    patterns_scratch_.items.resize(base);
    return false;
  }
  out = FinishList(patterns_scratch_, base);
  return true;
}

// open_sequence_pattern: maybe_star_pattern ',' maybe_sequence_pattern?
bool Parser::OpenSequencePattern(Seq<PatternId>& out) {
  DepthGuard g(*this);
  if (!g.ok) return false;
  uint32_t start = Mark();
  PatternId first = MaybeStarPattern();
  if (!first || !Eat(TokenKind::Comma)) {
    Reset(start);
    return false;
  }
  size_t base = patterns_scratch_.items.size();
  patterns_scratch_.items.push_back(first);
  Seq<PatternId> rest;
  if (MaybeSequencePattern(rest)) {
    for (PatternId p : tree_[rest]) patterns_scratch_.items.push_back(p);
  }
  if (error_) {
    patterns_scratch_.items.resize(base);
    return false;
  }
  out = FinishList(patterns_scratch_, base);
  return true;
}

// maybe_star_pattern: star_pattern | pattern
PatternId Parser::MaybeStarPattern() {
  if (PatternId p = StarPattern()) return p;
  if (error_) return {};
  return Pattern();
}

// star_pattern: '*' pattern_capture_target | '*' wildcard_pattern
PatternId Parser::StarPattern() {
  return Memo<PatternId>(MemoRule::StarPattern, [&]() -> PatternId {
    uint32_t start = Mark();
    if (!Eat(TokenKind::Star)) return {};
    NameId name;
    if (ExprId target = PatternCaptureTarget()) {
      name = tree_[target].Name.id;
    } else if (!EatSoftKeyword("_")) {
      Reset(start);
      return {};
    }
    PatternNode n = PatternOf(PatternKind::MatchStar, SpanFrom(start));
    n.MatchStar = MatchStarFields{name};
    return AddPattern(n);
  });
}

// mapping_pattern: '{' '}' | '{' double_star_pattern ','? '}'
//   | '{' items_pattern ',' double_star_pattern ','? '}' | '{' items_pattern ','? '}'
PatternId Parser::MappingPattern() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  if (!Eat(TokenKind::LBrace)) return {};
  size_t keys_base = exprs_scratch_.items.size();
  size_t values_base = patterns_scratch_.items.size();
  auto fail = [&] {
    exprs_scratch_.items.resize(keys_base);
    patterns_scratch_.items.resize(values_base);
    Reset(start);
    return PatternId{};
  };
  NameId rest;
  bool need_separator = false;
  while (!error_) {
    uint32_t m = Mark();
    if (need_separator && !Eat(TokenKind::Comma)) break;
    if (At(TokenKind::DoubleStar)) {
      ++pos_;
      ExprId target = PatternCaptureTarget();
      if (!target) return fail();
      rest = tree_[target].Name.id;
      Eat(TokenKind::Comma);
      break;
    }
    // key_value_pattern: (literal_expr | attr) ':' pattern
    uint32_t key_start = Mark();
    ExprId key = LiteralExpr();
    if (!key && !error_) {
      Reset(key_start);
      key = Attr();
    }
    if (!key || !Eat(TokenKind::Colon)) {
      Reset(m);
      if (need_separator) Eat(TokenKind::Comma);
      break;
    }
    PatternId value = Pattern();
    if (!value) {
      Reset(m);
      if (need_separator) Eat(TokenKind::Comma);
      break;
    }
    exprs_scratch_.items.push_back(key);
    patterns_scratch_.items.push_back(value);
    need_separator = true;
  }
  if (error_ || !Eat(TokenKind::RBrace)) return fail();
  Seq<ExprId> keys = FinishList(exprs_scratch_, keys_base);
  Seq<PatternId> values = FinishList(patterns_scratch_, values_base);
  PatternNode n = PatternOf(PatternKind::MatchMapping, SpanFrom(start));
  n.MatchMapping = MatchMappingFields{keys, values, rest};
  return AddPattern(n);
}

// class_pattern: name_or_attr '(' [positional_patterns ','] [keyword_patterns] ','? ')'
PatternId Parser::ClassPattern() {
  DepthGuard g(*this);
  if (!g.ok) return {};
  uint32_t start = Mark();
  ExprId cls = NameOrAttr();
  if (!cls || !Eat(TokenKind::LPar)) {
    Reset(start);
    return {};
  }
  size_t pos_base = patterns_scratch_.items.size();
  std::vector<NameId> kwd_attrs;
  std::vector<PatternId> kwd_patterns;
  auto fail = [&] {
    patterns_scratch_.items.resize(pos_base);
    Reset(start);
    return PatternId{};
  };
  bool need_separator = false;
  while (!error_) {
    uint32_t m = Mark();
    if (need_separator && !Eat(TokenKind::Comma)) break;
    if (AtNameFollowedBy(TokenKind::Equal)) {
      NameId attr = Identifier(Peek());
      pos_ += 2;
      PatternId value = Pattern();
      if (!value) return fail();
      kwd_attrs.push_back(attr);
      kwd_patterns.push_back(value);
    } else {
      if (!kwd_attrs.empty()) {
        Reset(m);
        if (need_separator) Eat(TokenKind::Comma);
        if (call_invalid_rules_ && InvalidClassArgumentPattern()) return fail();
        break;
      }
      PatternId p = Pattern();
      if (!p) {
        Reset(m);
        if (need_separator) Eat(TokenKind::Comma);
        break;
      }
      patterns_scratch_.items.push_back(p);
    }
    need_separator = true;
  }
  if (error_ || !Eat(TokenKind::RPar)) return fail();
  Seq<PatternId> patterns = FinishList(patterns_scratch_, pos_base);
  PatternNode n = PatternOf(PatternKind::MatchClass, SpanFrom(start));
  n.MatchClass = MatchClassFields{cls, patterns, tree_.AddList(std::span<const NameId>(kwd_attrs)),
                                  tree_.AddList(std::span<const PatternId>(kwd_patterns))};
  return AddPattern(n);
}

}  // namespace xpyc::parse
