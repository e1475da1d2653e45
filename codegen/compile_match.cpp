// match statements (CPython 3.10's compiler_match and compiler_pattern_*).
//
// How a case is compiled: the subject is on the stack (copied with DUP_TOP
// for every case but the one that ends the chain); the pattern consumes it,
// leaving on success the captured values underneath whatever the pattern
// still needs, and jumping on failure to a "fail-pop" block that pops what
// the pattern had pushed. Captured values go on the stack deepest-last: the
// first capture ends up on top, so the case stores them in capture order.
//
// PatternContext (CPython's pattern_context):
//   stores            names captured so far, in capture order
//   allow_irrefutable whether a capture or wildcard may stand here
//   fail_pop          fail_pop[i] pops i items, then falls into fail_pop[i-1]
//   on_top            items that must stay above the captures
//
// Rotations: 3.10 emits ROT_N everywhere and lets the peephole optimizer turn
// ROT_N 0/1 into NOP, 2/3/4 into ROT_TWO/THREE/FOUR, and a run of n
// rotations of size n (which is the identity) into NOPs. The assembler has
// no ROT_N pass, so Rotate does the same rewriting while emitting, on the
// current block (the peephole also works block by block, and nothing else
// touches these instructions before it).
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "codegen/compiler.h"

namespace xpyc::codegen {

using ast::ExprKind;
using ast::PatternId;
using ast::PatternKind;
using ast::PatternNode;
using marshal::Ref;
using marshal::Type;

namespace {

constexpr int64_t kIntMax = 0x7FFFFFFF;

// `_` (a MatchAs without pattern or name) and `*_`.
bool IsWildcard(const PatternNode& p) {
  return p.kind == PatternKind::MatchAs && p.MatchAs.pattern.IsNone() && p.MatchAs.name == NameId{};
}
bool IsStarWildcard(const PatternNode& p) {
  return p.kind == PatternKind::MatchStar && p.MatchStar.name == NameId{};
}

// The size of a rotation instruction, or 0 for anything else.
int32_t RotationSize(const Instr& instr) {
  if (instr.opcode == Opcode::ROT_TWO) return 2;
  if (instr.opcode == Opcode::ROT_THREE) return 3;
  if (instr.opcode == Opcode::ROT_FOUR) return 4;
  if (instr.opcode == Opcode::ROT_N) return instr.oparg;
  return 0;
}

// A numeric constant as Python compares it: bools and ints exactly (as
// decimal text), floats and complexes as (real, imag).
struct Number {
  bool ok = false;  // a number at all
  bool is_int = false;
  std::string int_text;
  double real = 0.0;
  double imag = 0.0;
};

Number AsNumber(Ref v) {
  Number n;
  if (v->type == Type::True || v->type == Type::False || v->type == Type::Int) {
    n.ok = n.is_int = true;
    n.int_text = v->type == Type::Int ? marshal::IntToDecimal(v)
                                      : std::string(v->type == Type::True ? "1" : "0");
  } else if (v->type == Type::Float || v->type == Type::Complex) {
    n.ok = true;
    n.real = v->real;
    n.imag = v->type == Type::Complex ? v->imag : 0.0;
  }
  return n;
}

bool NumbersEqual(const Number& a, const Number& b) {
  if (a.is_int && b.is_int) return a.int_text == b.int_text;
  if (a.imag != b.imag) return false;
  if (!a.is_int && !b.is_int) return a.real == b.real;
  // An int against a float: equal only when the float is exactly that int
  // (an integral double prints exactly with %.0f).
  const Number& i = a.is_int ? a : b;
  const double d = a.is_int ? b.real : a.real;
  if (!std::isfinite(d) || std::trunc(d) != d) return false;
  const std::string text = d == 0.0 ? std::string("0") : fmt::format("{:.0f}", d);
  return text == i.int_text;
}

// Python's == between two literal constants (the keys of a mapping pattern).
bool ConstantsEqual(Ref a, Ref b) {
  const Number na = AsNumber(a);
  const Number nb = AsNumber(b);
  if (na.ok && nb.ok) return NumbersEqual(na, nb);
  if (na.ok || nb.ok) return false;
  return marshal::StructurallyEqual(a, b);
}

}  // namespace

// The pattern compiler of one match statement.
class MatchCompiler {
 public:
  explicit MatchCompiler(Compiler& c) : c_(c), tree_(c.tree_) {}

  void Match(const ast::StmtNode& s);

 private:
  struct PatternContext {
    std::vector<NameId> stores;
    bool allow_irrefutable = false;
    std::vector<BlockId> fail_pop;
    size_t on_top = 0;
  };

  bool failed() const { return c_.failed_; }
  void AddOp(Opcode op, int32_t oparg = 0) { c_.AddOp(op, oparg); }
  void LoadInt(int64_t v) { c_.LoadConst(c_.heap().Int(v)); }
  std::string_view Spelling(NameId id) const { return c_.Spelling(id); }
  bool Stored(NameId name) const;

  void MatchCase(ast::MatchCaseId id, bool copy_subject, bool allow_irrefutable);
  void DefaultCase(ast::MatchCaseId id, BlockId end);

  void EnsureFailPop(size_t n);
  void JumpToFailPop(Opcode op);
  void EmitAndResetFailPop();
  void Rotate(int32_t n);
  void StoreName(NameId name);

  void Pattern(PatternId id);
  void Subpattern(PatternId id);
  void Value(const PatternNode& p);
  void Singleton(const PatternNode& p);
  void Sequence(const PatternNode& p);
  bool UnpackHelper(std::span<const PatternId> patterns);
  void SequenceUnpack(std::span<const PatternId> patterns);
  void SequenceSubscr(std::span<const PatternId> patterns, size_t star);
  void Mapping(const PatternNode& p);
  bool MappingKeys(const PatternNode& p);
  void Class(const PatternNode& p);
  bool ValidateKwdAttrs(const PatternNode& p);
  void As(const PatternNode& p);
  void Or(const PatternNode& p);
  bool OrAlternative(PatternId alt, size_t index, size_t count, bool allow_irrefutable,
                     BlockId end, std::vector<NameId>& control);
  void ReorderLike(const std::vector<NameId>& control);

  Compiler& c_;
  ast::Ast& tree_;
  PatternContext pc_;
};

// ---- the statement ---------------------------------------------------------

void MatchCompiler::Match(const ast::StmtNode& s) {
  c_.VisitExpr(s.Match.subject);
  const BlockId end = c_.NewBlock();
  const auto cases = tree_[s.Match.cases];
  const auto& last = tree_[cases.back()];
  const bool has_default = IsWildcard(tree_[last.pattern]) && cases.size() > 1;
  const size_t looped = cases.size() - (has_default ? 1 : 0);
  for (size_t i = 0; i < looped && !failed(); ++i) {
    const ast::MatchCaseNode& m = tree_[cases[i]];
    c_.SetLoc(tree_[m.pattern].pos);
    MatchCase(cases[i], i + 1 != looped, !m.guard.IsNone() || i + 1 == cases.size());
    if (failed()) return;
    c_.AddJump(Opcode::JUMP_FORWARD, end);
    // The cleanup belongs to the pattern's line, not to the body's last one.
    c_.SetLoc(tree_[m.pattern].pos);
    EmitAndResetFailPop();
  }
  if (has_default && !failed()) DefaultCase(cases.back(), end);
  c_.UseNextBlock(end);
}

// One case up to its body (the caller adds the jump to the end).
void MatchCompiler::MatchCase(ast::MatchCaseId id, bool copy_subject, bool allow_irrefutable) {
  const ast::MatchCaseNode& m = tree_[id];
  if (copy_subject) AddOp(Opcode::DUP_TOP);
  pc_.stores.clear();
  pc_.allow_irrefutable = allow_irrefutable;
  pc_.fail_pop.clear();
  pc_.on_top = 0;
  Pattern(m.pattern);
  if (failed()) return;
  // Matched: bind the captures, which are on the stack first-on-top.
  for (NameId name : pc_.stores) c_.NameOp(name, ast::ExprContext::Store);
  if (!m.guard.IsNone()) {
    EnsureFailPop(0);
    c_.JumpIf(m.guard, pc_.fail_pop[0], false);
  }
  if (copy_subject) AddOp(Opcode::POP_TOP);
  c_.VisitStmts(m.body);
}

// A trailing `case _:` needs no copy of the subject and no fail-pop blocks.
// (It always follows other cases, the last of which consumed the subject.)
void MatchCompiler::DefaultCase(ast::MatchCaseId id, BlockId end) {
  const ast::MatchCaseNode& m = tree_[id];
  c_.SetLoc(tree_[m.pattern].pos);
  AddOp(Opcode::NOP);  // keeps the line of `case _:` in the line table
  if (!m.guard.IsNone()) c_.JumpIf(m.guard, end, false);
  c_.VisitStmts(m.body);
}

// ---- fail-pop blocks and captures -----------------------------------------

bool MatchCompiler::Stored(NameId name) const {
  for (NameId stored : pc_.stores) {
    if (Spelling(stored) == Spelling(name)) return true;
  }
  return false;
}

void MatchCompiler::EnsureFailPop(size_t n) {
  while (pc_.fail_pop.size() < n + 1) pc_.fail_pop.push_back(c_.NewBlock());
}

// Jumps (with `op`) to the block popping everything this pattern pushed:
// the items on top and the captures so far.
void MatchCompiler::JumpToFailPop(Opcode op) {
  const size_t pops = pc_.on_top + pc_.stores.size();
  EnsureFailPop(pops);
  c_.AddJump(op, pc_.fail_pop[pops]);
  c_.NextBlock();
}

void MatchCompiler::EmitAndResetFailPop() {
  if (pc_.fail_pop.empty()) {
    c_.NextBlock();
    return;
  }
  for (size_t i = pc_.fail_pop.size() - 1; i > 0; --i) {
    c_.UseNextBlock(pc_.fail_pop[i]);
    AddOp(Opcode::POP_TOP);
  }
  c_.UseNextBlock(pc_.fail_pop[0]);
  pc_.fail_pop.clear();
}

// ROT_N n as the peephole optimizer leaves it (see the file comment).
void MatchCompiler::Rotate(int32_t n) {
  // The peephole changes only the opcode: the oparg stays in co_code.
  switch (n) {
    case 0:
    case 1: AddOp(Opcode::NOP, n); return;
    case 2: AddOp(Opcode::ROT_TWO, n); break;
    case 3: AddOp(Opcode::ROT_THREE, n); break;
    case 4: AddOp(Opcode::ROT_FOUR, n); break;
    default: AddOp(Opcode::ROT_N, n); break;
  }
  std::vector<Instr>& instrs = c_.code().block(c_.code().current_block()).instrs;
  const size_t count = static_cast<size_t>(n);
  if (instrs.size() < count) return;
  const size_t first = instrs.size() - count;
  for (size_t i = first; i < instrs.size(); ++i) {
    if (RotationSize(instrs[i]) != n) return;
  }
  for (size_t i = first; i < instrs.size(); ++i) instrs[i].opcode = Opcode::NOP;
}

// Captures the value on top under the items that must stay on top and the
// earlier captures (a wildcard just pops it).
void MatchCompiler::StoreName(NameId name) {
  if (name == NameId{}) {
    AddOp(Opcode::POP_TOP);
    return;
  }
  if (c_.ForbiddenName(Spelling(name), ast::ExprContext::Store)) return;
  if (Stored(name)) {
    c_.Error(fmt::format("multiple assignments to name {} in pattern",
                         marshal::StrRepr(Spelling(name))));
    return;
  }
  Rotate(static_cast<int32_t>(pc_.on_top + pc_.stores.size() + 1));
  pc_.stores.push_back(name);
}

// ---- patterns ----------------------------------------------------------------

void MatchCompiler::Pattern(PatternId id) {
  if (failed()) return;
  const PatternNode& p = tree_[id];
  c_.SetLoc(p.pos);
  switch (p.kind) {
    case PatternKind::MatchValue: Value(p); return;
    case PatternKind::MatchSingleton: Singleton(p); return;
    case PatternKind::MatchSequence: Sequence(p); return;
    case PatternKind::MatchMapping: Mapping(p); return;
    case PatternKind::MatchClass: Class(p); return;
    case PatternKind::MatchStar: StoreName(p.MatchStar.name); return;
    case PatternKind::MatchAs: As(p); return;
    case PatternKind::MatchOr: Or(p); return;
  }
}

// A pattern inside another one: captures are always allowed there.
void MatchCompiler::Subpattern(PatternId id) {
  const bool allow_irrefutable = pc_.allow_irrefutable;
  pc_.allow_irrefutable = true;
  Pattern(id);
  pc_.allow_irrefutable = allow_irrefutable;
}

void MatchCompiler::Value(const PatternNode& p) {
  const ExprKind kind = tree_[p.MatchValue.value].kind;
  if (kind != ExprKind::Constant && kind != ExprKind::Attribute) {
    c_.Error("patterns may only match literals and attribute lookups");
    return;
  }
  c_.VisitExpr(p.MatchValue.value);
  c_.AddCompare(ast::CmpOperator::Eq);
  JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
}

void MatchCompiler::Singleton(const PatternNode& p) {
  c_.LoadConst(p.MatchSingleton.value);
  c_.AddCompare(ast::CmpOperator::Is);
  JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
}

void MatchCompiler::As(const PatternNode& p) {
  if (p.MatchAs.pattern.IsNone()) {
    if (!pc_.allow_irrefutable) {
      if (p.MatchAs.name != NameId{}) {
        c_.Error(fmt::format("name capture {} makes remaining patterns unreachable",
                             marshal::StrRepr(Spelling(p.MatchAs.name))));
      } else {
        c_.Error("wildcard makes remaining patterns unreachable");
      }
      return;
    }
    StoreName(p.MatchAs.name);
    return;
  }
  // Keep a copy to capture once the inner pattern matched.
  ++pc_.on_top;
  AddOp(Opcode::DUP_TOP);
  Pattern(p.MatchAs.pattern);
  if (failed()) return;
  --pc_.on_top;
  StoreName(p.MatchAs.name);
}

// ---- sequences ---------------------------------------------------------------

void MatchCompiler::Sequence(const PatternNode& p) {
  const auto patterns = tree_[p.MatchSequence.patterns];
  const size_t size = patterns.size();
  size_t star = size;  // none
  bool only_wildcard = true;
  bool star_wildcard = false;
  for (size_t i = 0; i < size; ++i) {
    const PatternNode& sub = tree_[patterns[i]];
    if (sub.kind == PatternKind::MatchStar) {
      if (star != size) {
        c_.Error("multiple starred names in sequence pattern");
        return;
      }
      star_wildcard = IsStarWildcard(sub);
      only_wildcard = only_wildcard && star_wildcard;
      star = i;
      continue;
    }
    only_wildcard = only_wildcard && IsWildcard(sub);
  }
  // The subject stays on top through the type and length checks.
  ++pc_.on_top;
  AddOp(Opcode::MATCH_SEQUENCE);
  JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  if (star == size) {
    AddOp(Opcode::GET_LEN);
    LoadInt(static_cast<int64_t>(size));
    c_.AddCompare(ast::CmpOperator::Eq);
    JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  } else if (size > 1) {
    AddOp(Opcode::GET_LEN);
    LoadInt(static_cast<int64_t>(size - 1));
    c_.AddCompare(ast::CmpOperator::GtE);
    JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  }
  --pc_.on_top;
  if (only_wildcard) {
    AddOp(Opcode::POP_TOP);
  } else if (star_wildcard) {
    SequenceSubscr(patterns, star);
  } else {
    SequenceUnpack(patterns);
  }
}

// UNPACK_SEQUENCE, or UNPACK_EX around the starred sub-pattern.
bool MatchCompiler::UnpackHelper(std::span<const PatternId> patterns) {
  const size_t n = patterns.size();
  for (size_t i = 0; i < n; ++i) {
    if (tree_[patterns[i]].kind != PatternKind::MatchStar) continue;
    if (i >= (1u << 8) || static_cast<int64_t>(n - i - 1) >= (kIntMax >> 8)) {
      c_.Error("too many expressions in star-unpacking sequence pattern");
      return false;
    }
    AddOp(Opcode::UNPACK_EX, static_cast<int32_t>(i + ((n - i - 1) << 8)));
    return true;
  }
  AddOp(Opcode::UNPACK_SEQUENCE, static_cast<int32_t>(n));
  return true;
}

// Unpacks the subject and matches each item, which stays on the stack (under
// the next ones) until its sub-pattern consumes it.
void MatchCompiler::SequenceUnpack(std::span<const PatternId> patterns) {
  if (!UnpackHelper(patterns)) return;
  pc_.on_top += patterns.size();
  for (PatternId sub : patterns) {
    --pc_.on_top;
    Subpattern(sub);
    if (failed()) return;
  }
}

// With a `*_`, indexes the subject instead of unpacking it (from the end,
// through len(), after the star: negative indexes may not be supported).
void MatchCompiler::SequenceSubscr(std::span<const PatternId> patterns, size_t star) {
  ++pc_.on_top;
  const size_t size = patterns.size();
  for (size_t i = 0; i < size; ++i) {
    if (IsWildcard(tree_[patterns[i]]) || i == star) continue;
    AddOp(Opcode::DUP_TOP);
    if (i < star) {
      LoadInt(static_cast<int64_t>(i));
    } else {
      AddOp(Opcode::GET_LEN);
      LoadInt(static_cast<int64_t>(size - i));
      AddOp(Opcode::BINARY_SUBTRACT);
    }
    AddOp(Opcode::BINARY_SUBSCR);
    Subpattern(patterns[i]);
    if (failed()) return;
  }
  --pc_.on_top;
  AddOp(Opcode::POP_TOP);
}

// ---- mappings ------------------------------------------------------------------

void MatchCompiler::Mapping(const PatternNode& p) {
  const auto patterns = tree_[p.MatchMapping.patterns];
  const size_t size = patterns.size();
  const NameId rest = p.MatchMapping.rest;
  ++pc_.on_top;
  AddOp(Opcode::MATCH_MAPPING);
  JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  if (size == 0 && rest == NameId{}) {
    --pc_.on_top;
    AddOp(Opcode::POP_TOP);
    return;
  }
  if (size > 0) {
    AddOp(Opcode::GET_LEN);
    LoadInt(static_cast<int64_t>(size));
    c_.AddCompare(ast::CmpOperator::GtE);
    JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  }
  if (static_cast<int64_t>(size) - 1 > kIntMax) {
    c_.Error("too many sub-patterns in mapping pattern");
    return;
  }
  if (!MappingKeys(p)) return;
  AddOp(Opcode::BUILD_TUPLE, static_cast<int32_t>(size));
  AddOp(Opcode::MATCH_KEYS);
  // A tuple of keys, then a tuple of values, above the subject.
  pc_.on_top += 2;
  JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  for (size_t i = 0; i < size; ++i) {
    if (IsWildcard(tree_[patterns[i]])) continue;
    AddOp(Opcode::DUP_TOP);
    LoadInt(static_cast<int64_t>(i));
    AddOp(Opcode::BINARY_SUBSCR);
    Subpattern(patterns[i]);
    if (failed()) return;
  }
  // Drop the values; the keys go into COPY_DICT_WITHOUT_KEYS or away.
  pc_.on_top -= 2;
  AddOp(Opcode::POP_TOP);
  if (rest != NameId{}) {
    AddOp(Opcode::COPY_DICT_WITHOUT_KEYS);
    StoreName(rest);
    if (failed()) return;
  } else {
    AddOp(Opcode::POP_TOP);
  }
  --pc_.on_top;
  AddOp(Opcode::POP_TOP);
}

// Pushes the keys, checking they are literals (without duplicates) or
// attribute lookups.
bool MatchCompiler::MappingKeys(const PatternNode& p) {
  std::vector<Ref> seen;
  for (ast::ExprId key : tree_[p.MatchMapping.keys]) {
    const ast::ExprNode& e = tree_[key];
    if (e.kind == ExprKind::Constant) {
      const Ref value = e.Constant.value;
      for (Ref other : seen) {
        if (ConstantsEqual(other, value)) {
          c_.Error(fmt::format("mapping pattern checks duplicate key ({})",
                               marshal::Repr(value)));
          return false;
        }
      }
      seen.push_back(value);
    } else if (e.kind != ExprKind::Attribute) {
      c_.Error("mapping pattern keys may only match literals and attribute lookups");
      return false;
    }
    c_.VisitExpr(key);
    if (failed()) return false;
  }
  return true;
}

// ---- classes ---------------------------------------------------------------------

void MatchCompiler::Class(const PatternNode& p) {
  const auto patterns = tree_[p.MatchClass.patterns];
  const auto attrs = tree_[p.MatchClass.kwd_attrs];
  const auto kwd_patterns = tree_[p.MatchClass.kwd_patterns];
  if (!attrs.empty()) {
    if (!ValidateKwdAttrs(p)) return;
    c_.SetLoc(p.pos);
  }
  c_.VisitExpr(p.MatchClass.cls);
  std::vector<std::string> names;
  names.reserve(attrs.size());
  for (NameId attr : attrs) names.emplace_back(Spelling(attr));
  c_.LoadConst(c_.NameTupleConst(names));
  AddOp(Opcode::MATCH_CLASS, static_cast<int32_t>(patterns.size()));
  // On success the subject became a tuple of the attributes: keep it.
  ++pc_.on_top;
  JumpToFailPop(Opcode::POP_JUMP_IF_FALSE);
  const size_t total = patterns.size() + attrs.size();
  for (size_t i = 0; i < total; ++i) {
    const PatternId sub =
        i < patterns.size() ? patterns[i] : kwd_patterns[i - patterns.size()];
    if (IsWildcard(tree_[sub])) continue;
    AddOp(Opcode::DUP_TOP);
    LoadInt(static_cast<int64_t>(i));
    AddOp(Opcode::BINARY_SUBSCR);
    Subpattern(sub);
    if (failed()) return;
  }
  --pc_.on_top;
  AddOp(Opcode::POP_TOP);
}

// Keyword names: no __debug__, no repeats (errors point at the sub-pattern).
bool MatchCompiler::ValidateKwdAttrs(const PatternNode& p) {
  const auto attrs = tree_[p.MatchClass.kwd_attrs];
  const auto kwd_patterns = tree_[p.MatchClass.kwd_patterns];
  for (size_t i = 0; i < attrs.size(); ++i) {
    c_.SetLoc(tree_[kwd_patterns[i]].pos);
    if (c_.ForbiddenName(Spelling(attrs[i]), ast::ExprContext::Store)) return false;
    for (size_t j = i + 1; j < attrs.size(); ++j) {
      if (Spelling(attrs[i]) != Spelling(attrs[j])) continue;
      c_.SetLoc(tree_[kwd_patterns[j]].pos);
      c_.Error(fmt::format("attribute name repeated in class pattern: {}", Spelling(attrs[i])));
      return false;
    }
  }
  return true;
}

// ---- alternatives ------------------------------------------------------------------

// Each alternative matches a copy of the subject in a context of its own;
// all must capture the same names, which are then moved down to where the
// enclosing pattern keeps its captures.
void MatchCompiler::Or(const PatternNode& p) {
  const BlockId end = c_.NewBlock();
  const auto alts = tree_[p.MatchOr.patterns];
  PatternContext old = std::move(pc_);
  std::vector<NameId> control;
  for (size_t i = 0; i < alts.size(); ++i) {
    if (!OrAlternative(alts[i], i, alts.size(), old.allow_irrefutable, end, control)) return;
  }
  pc_ = std::move(old);
  // No alternative matched: drop the subject copy and fail.
  AddOp(Opcode::POP_TOP);
  JumpToFailPop(Opcode::JUMP_FORWARD);
  c_.UseNextBlock(end);
  // Move each capture under the other captures, the subject copy, the items
  // on top and the earlier captures.
  const int32_t nrots =
      static_cast<int32_t>(control.size() + 1 + pc_.on_top + pc_.stores.size());
  for (NameId name : control) {
    Rotate(nrots);
    if (Stored(name)) {
      c_.Error(fmt::format("multiple assignments to name {} in pattern",
                           marshal::StrRepr(Spelling(name))));
      return;
    }
    pc_.stores.push_back(name);
  }
  AddOp(Opcode::POP_TOP);
}

// One alternative; false on error.
bool MatchCompiler::OrAlternative(PatternId alt, size_t index, size_t count,
                                  bool allow_irrefutable, BlockId end,
                                  std::vector<NameId>& control) {
  c_.SetLoc(tree_[alt].pos);
  pc_.stores.clear();
  // Only the last alternative may be irrefutable (if anything may).
  pc_.allow_irrefutable = index + 1 == count && allow_irrefutable;
  pc_.fail_pop.clear();
  pc_.on_top = 0;
  AddOp(Opcode::DUP_TOP);
  Pattern(alt);
  if (failed()) return false;
  if (index == 0) {
    control = pc_.stores;
  } else {
    bool same = pc_.stores.size() == control.size();
    for (size_t k = 0; same && k < control.size(); ++k) {
      same = Stored(control[k]);
    }
    if (!same) {
      c_.Error("alternative patterns bind different names");
      return false;
    }
    ReorderLike(control);
  }
  c_.AddJump(Opcode::JUMP_FORWARD, end);
  c_.NextBlock();
  EmitAndResetFailPop();
  return true;
}

// Rotates this alternative's captures (and its list of names) into the
// order of the first alternative's.
void MatchCompiler::ReorderLike(const std::vector<NameId>& control) {
  std::vector<NameId>& stores = pc_.stores;
  for (size_t icontrol = control.size(); icontrol-- > 0;) {
    size_t istores = 0;
    while (Spelling(stores[istores]) != Spelling(control[icontrol])) ++istores;
    if (icontrol == istores) continue;
    const size_t rotations = istores + 1;
    std::vector<NameId> rotated(stores.begin(), stores.begin() + static_cast<long>(rotations));
    stores.erase(stores.begin(), stores.begin() + static_cast<long>(rotations));
    const size_t at = icontrol - istores;
    stores.insert(stores.begin() + static_cast<long>(at), rotated.begin(), rotated.end());
    for (size_t r = 0; r < rotations; ++r) Rotate(static_cast<int32_t>(icontrol + 1));
  }
}

// ---- entry -------------------------------------------------------------------------

void Compiler::Match(ast::StmtId id) {
  if (failed_) return;
  MatchCompiler(*this).Match(tree_[id]);
}

}  // namespace xpyc::codegen
