// CPython 3.10's assemble(): from a unit's basic blocks to co_code,
// co_linetable, co_consts and the stack depth. The passes run in 3.10's
// order; each is named after its CPython counterpart.
#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <utility>

#include "codegen/stack_effect.h"
#include "codegen/unit.h"

namespace xpyc::codegen {
namespace {

using marshal::Type;

// Longest exit block that extend_block copies in place of a jump.
constexpr int kMaxCopySize = 4;

// True when `op` has any of the `kinds` bits.
bool IsAny(Opcode op, uint8_t kinds) { return (OpcodeKinds(op) & kinds) != 0; }
bool IsJump(Opcode op) { return IsAny(op, kJump); }
bool IsRelativeJump(Opcode op) { return IsAny(op, kRelativeJump); }
bool IsUnconditionalJump(Opcode op) { return IsAny(op, kUnconditionalJump); }
bool IsConditionalJump(Opcode op) { return IsAny(op, kConditionalJump); }
bool IsHandlerSetup(Opcode op) { return IsAny(op, kHandlerSetup); }

// The OpcodeKind bits of `instrs`, all or'ed together.
uint8_t KindsOf(const std::vector<Instr>& instrs) {
  uint8_t kinds = 0;
  for (const Instr& instr : instrs) kinds |= OpcodeKinds(instr.opcode);
  return kinds;
}

// False when `b` holds no jump: Block::kinds has kJump for every jump the
// block held when assembly began or was copied in since (the passes only
// turn jumps into other jumps or NOPs).
bool MayHoldJump(const Block& b) { return (b.kinds & kJump) != 0; }

// Turns `instr` of `b` into a NOP, for CleanBasicBlock to remove.
void MakeNop(Block& b, Instr& instr) {
  instr.opcode = Opcode::NOP;
  b.kinds |= kNopKind;
}

// PyObject_IsTrue for constants.
bool IsTruthy(Ref v) {
  switch (v->type) {
    case Type::Null:
    case Type::None:
    case Type::False:
      return false;
    case Type::True:
    case Type::Ellipsis:
    case Type::StopIteration:
    case Type::Code:
      return true;
    case Type::Int:
      return !v->digits.empty();
    case Type::Float:
      return v->real != 0.0 || std::isnan(v->real);
    case Type::Complex:
      return v->real != 0.0 || v->imag != 0.0 || std::isnan(v->real) || std::isnan(v->imag);
    case Type::Str:
    case Type::Bytes:
      return !v->data.empty();
    case Type::Tuple:
    case Type::List:
    case Type::Set:
    case Type::FrozenSet:
      return !v->items.empty();
    case Type::Dict:
      return !v->items.empty();
  }
  return true;
}

// Code units an instruction takes with its EXTENDED_ARG prefixes.
int InstrSize(int32_t oparg) {
  const auto arg = static_cast<uint32_t>(oparg);
  return arg <= 0xFF ? 1 : arg <= 0xFFFF ? 2 : arg <= 0xFFFFFF ? 3 : 4;
}

// A jump and the code units up to its end.
struct JumpSite {
  Instr* instr;
  int32_t position;
};

// The assembler's working lists, kept with their capacity from one code
// object to the next (a module makes one assembler per code object).
struct Scratch {
  std::vector<BlockId> work_stack;  // MarkReachable's and ComputeStackDepth's
  std::vector<JumpSite> jump_sites;  // AssembleJumpOffsets'
};
thread_local Scratch t_scratch;

class Assembler {
 public:
  // Fills `out`, whose strings and vectors may hold a previous code object's
  // parts (their capacity is reused).
  Assembler(Unit& unit, bool add_none, AssembledCode& out)
      : unit_(unit), blocks_(unit.blocks()), add_none_(add_none), out_(out), consts_(out.consts) {}

  void Run();

 private:
  Block& B(BlockId id) { return blocks_[id.value]; }
  BlockId Entry() const { return BlockId{0}; }
  // Blocks in CPython's u_blocks order: newest first.
  template <typename F>
  void ForEachNewestFirst(F&& f) {
    for (std::size_t i = blocks_.size(); i-- > 0;) f(BlockId{static_cast<uint32_t>(i)});
  }
  // The first non-empty block from `b` on (or the last block of the chain,
  // for a malformed unit whose jump lands past the end).
  BlockId SkipEmpty(BlockId b) {
    while (B(b).instrs.empty() && !B(b).next.is_none()) b = B(b).next;
    return b;
  }
  bool IsConstIndex(int32_t i) const {
    return i >= 0 && static_cast<std::size_t>(i) < consts_.size();
  }
  Instr FirstInstr(BlockId b) {
    const auto& instrs = B(b).instrs;
    return instrs.empty() ? Instr{} : instrs[0];
  }
  // Points the jump `inst` past empty blocks; the instruction it lands on.
  Instr ResolveJumpTarget(Instr& inst) {
    inst.target = SkipEmpty(inst.target);
    return FirstInstr(inst.target);
  }

  void AddImplicitReturn();
  void NormalizeBasicBlock(Block& b, bool any_empty);
  void ExtendBlock(Block& b);
  void InsertGeneratorPrefix();
  void ResolveFirstLineno();

  void OptimizeCfg();
  void OptimizeBasicBlock(BlockId id);
  void FoldConstantCondition(Block& b, std::size_t i);
  void FoldTupleOnConstants(Block& b, std::size_t build_index, int n);
  void SimplifyBuildTuple(Block& b, std::size_t i);
  bool ThreadJumpOrPop(Instr& inst, const Instr& target);
  void CleanBasicBlock(Block& b, int32_t prev_lineno);
  void MarkReachable();
  void EliminateEmptyBasicBlocks();
  bool AnyEmptyBlock() const {
    return std::any_of(blocks_.begin(), blocks_.end(), [](const Block& b) { return b.instrs.empty(); });
  }
  void RemoveRedundantJumps();

  void DuplicateExitsWithoutLineno();
  bool IsExitWithoutLineno(const Block& b) const {
    return b.exit && !b.instrs.empty() && b.instrs[0].lineno < 0;
  }
  void TrimUnusedConsts();
  void PropagateLineNumbers();
  void GuaranteeLinenoForExits();

  void AssembleJumpOffsets();
  void EmitCode();
  void AssembleLineRange();
  void ReserveLinePairs(int pairs);
  void EmitLinePair(int bdelta, int ldelta);
  int ComputeStackDepth();

  Unit& unit_;
  std::vector<Block>& blocks_;
  bool add_none_;
  int32_t firstlineno_ = 0;
  std::vector<BlockId>& work_stack_ = t_scratch.work_stack;  // left empty after each use
  std::vector<JumpSite>& jump_sites_ = t_scratch.jump_sites;
  int32_t code_units_ = 0;            // the size of co_code, from AssembleJumpOffsets

  AssembledCode& out_;
  std::vector<Ref>& consts_;  // out_.consts
  // Line table state (a_lineno, a_prevlineno, a_lineno_start of 3.10).
  int32_t line_ = 0;
  int32_t prev_line_ = 0;
  int32_t line_start_ = 0;
  int32_t offset_ = 0;  // code units emitted before the current instruction
  std::size_t line_size_ = 0;  // bytes of out_.linetable written (it has spare room)
  // The highest LOAD_CONST oparg emitted, for TrimUnusedConsts.
  int32_t max_const_index_ = 0;
};

void Assembler::AddImplicitReturn() {
  if (B(unit_.current_block()).has_return) return;
  unit_.set_lineno(kNoLine);
  if (add_none_) unit_.LoadConst(unit_.cache().heap().None());
  unit_.AddOp(Opcode::RETURN_VALUE);
}

// Marks exits and no-fallthrough blocks; jumps skip empty target blocks
// (`any_empty`: the unit has some).
void Assembler::NormalizeBasicBlock(Block& b, bool any_empty) {
  if (b.kinds & kScopeExit) {
    b.exit = true;
    b.nofallthrough = true;
  }
  if (b.kinds & kUnconditionalJump) b.nofallthrough = true;
  if (!any_empty || !MayHoldJump(b)) return;
  for (Instr& instr : b.instrs) {
    if (IsAny(instr.opcode, kUnconditionalJump | kConditionalJump) || instr.opcode == Opcode::FOR_ITER) {
      instr.target = SkipEmpty(instr.target);
    }
  }
}

// A block ending in an unconditional jump to a small exit block gets a copy
// of that block instead of the jump.
void Assembler::ExtendBlock(Block& b) {
  if (b.instrs.empty()) return;
  Instr& last = b.instrs.back();
  if (!IsUnconditionalJump(last.opcode)) return;
  const BlockId target = last.target;
  if (!B(target).exit || B(target).instrs.size() > static_cast<std::size_t>(kMaxCopySize)) return;
  MakeNop(b, last);
  b.kinds |= B(target).kinds;
  if (&B(target) == &b) {
    const std::vector<Instr> copy = b.instrs;
    b.instrs.insert(b.instrs.end(), copy.begin(), copy.end());
  } else {
    const auto& copied = B(target).instrs;
    b.instrs.insert(b.instrs.end(), copied.begin(), copied.end());
  }
  b.exit = true;
}

void Assembler::InsertGeneratorPrefix() {
  const int32_t flags = unit_.info().flags;
  int kind;
  if (flags & kCoCoroutine) {
    kind = 1;
  } else if (flags & kCoAsyncGenerator) {
    kind = 2;
  } else if (flags & kCoGenerator) {
    kind = 0;
  } else {
    return;
  }
  auto& instrs = B(Entry()).instrs;
  instrs.insert(instrs.begin(), Instr{Opcode::GEN_START, kind, BlockId{}, kNoLine});
}

void Assembler::ResolveFirstLineno() {
  firstlineno_ = unit_.info().firstlineno;
  if (firstlineno_ != 0) return;
  const auto& entry = B(Entry()).instrs;
  firstlineno_ = !entry.empty() && entry[0].lineno != 0 ? entry[0].lineno : 1;
}

// --- optimize_cfg ---------------------------------------------------------

void Assembler::FoldConstantCondition(Block& b, std::size_t i) {
  Instr& load = b.instrs[i];
  Instr& jump = b.instrs[i + 1];
  if (!IsConditionalJump(jump.opcode) || !IsConstIndex(load.oparg)) return;
  const bool is_true = IsTruthy(consts_[load.oparg]);
  const bool pops = jump.opcode == Opcode::POP_JUMP_IF_FALSE || jump.opcode == Opcode::POP_JUMP_IF_TRUE;
  const bool jumps_on_true =
      jump.opcode == Opcode::POP_JUMP_IF_TRUE || jump.opcode == Opcode::JUMP_IF_TRUE_OR_POP;
  if (is_true == jumps_on_true) {
    // Always taken: the *_OR_POP forms keep the value for the target.
    if (pops) MakeNop(b, load);
    jump.opcode = Opcode::JUMP_ABSOLUTE;
    b.nofallthrough = true;
  } else {
    MakeNop(b, load);
    MakeNop(b, jump);
  }
}

// LOAD_CONST x n; BUILD_TUPLE n  ->  NOP x n; LOAD_CONST (tuple)
void Assembler::FoldTupleOnConstants(Block& b, std::size_t build_index, int n) {
  const std::size_t first = build_index - static_cast<std::size_t>(n);
  std::vector<Ref> items;
  items.reserve(static_cast<std::size_t>(n));
  for (std::size_t k = first; k < build_index; ++k) {
    if (b.instrs[k].opcode != Opcode::LOAD_CONST || !IsConstIndex(b.instrs[k].oparg)) return;
    items.push_back(consts_[b.instrs[k].oparg]);
  }
  const Ref tuple = unit_.cache().MergeTuple(items);
  // Until TrimUnusedConsts, consts_ mirrors the unit's table, whose index
  // finds the tuple (merged constants are unique objects).
  const auto index = static_cast<int32_t>(unit_.AddConst(tuple));
  if (static_cast<std::size_t>(index) == consts_.size()) consts_.push_back(tuple);
  for (std::size_t k = first; k < build_index; ++k) MakeNop(b, b.instrs[k]);
  b.instrs[build_index].opcode = Opcode::LOAD_CONST;
  b.instrs[build_index].oparg = index;
}

// BUILD_TUPLE n; UNPACK_SEQUENCE n for n <= 3 becomes rotations; otherwise a
// tuple of constants is folded.
void Assembler::SimplifyBuildTuple(Block& b, std::size_t i) {
  Instr& build = b.instrs[i];
  const int n = build.oparg;
  if (i + 1 < b.instrs.size() && b.instrs[i + 1].opcode == Opcode::UNPACK_SEQUENCE &&
      b.instrs[i + 1].oparg == n) {
    Instr& unpack = b.instrs[i + 1];
    if (n == 1) {
      MakeNop(b, build);
      MakeNop(b, unpack);
    } else if (n == 2) {
      build.opcode = Opcode::ROT_TWO;
      MakeNop(b, unpack);
    } else if (n == 3) {
      build.opcode = Opcode::ROT_THREE;
      unpack.opcode = Opcode::ROT_TWO;
    }
    return;
  }
  if (n >= 0 && i >= static_cast<std::size_t>(n)) FoldTupleOnConstants(b, i, n);
}

// Jump threading (3.10's jump_thread): `inst` jumps straight to where the jump
// at its target goes, as `opcode`, when both are on the same line.
bool JumpThread(Instr& inst, const Instr& target, Opcode opcode) {
  if (inst.lineno != target.lineno || inst.target == target.target) return false;
  inst.target = target.target;
  inst.opcode = opcode;
  return true;
}

// x: JUMP_IF_FALSE_OR_POP y   y: JUMP_IF_FALSE_OR_POP z  -> x jumps to z
// x: JUMP_IF_FALSE_OR_POP y   y: JUMP_IF_TRUE_OR_POP z   -> x: POP_JUMP_IF_FALSE y+1
// (and the mirror images). True when `inst` changed.
bool Assembler::ThreadJumpOrPop(Instr& inst, const Instr& target) {
  const bool on_true = inst.opcode == Opcode::JUMP_IF_TRUE_OR_POP;
  const Opcode same_pop = on_true ? Opcode::POP_JUMP_IF_TRUE : Opcode::POP_JUMP_IF_FALSE;
  const Opcode opposite_pop = on_true ? Opcode::POP_JUMP_IF_FALSE : Opcode::POP_JUMP_IF_TRUE;
  const Opcode opposite = on_true ? Opcode::JUMP_IF_FALSE_OR_POP : Opcode::JUMP_IF_TRUE_OR_POP;
  if (target.opcode == same_pop) return JumpThread(inst, target, same_pop);
  if (IsUnconditionalJump(target.opcode) || target.opcode == inst.opcode) {
    return JumpThread(inst, target, inst.opcode);
  }
  if (target.opcode == opposite || target.opcode == opposite_pop) {
    // The value is known to fail the target's test: skip past it.
    if (inst.lineno != target.lineno) return false;
    inst.opcode = same_pop;
    inst.target = B(inst.target).next;
    return true;
  }
  return false;
}

void Assembler::OptimizeBasicBlock(BlockId id) {
  Block& b = B(id);  // no blocks are added here
  for (std::size_t i = 0; i < b.instrs.size(); ++i) {
    Instr& inst = b.instrs[i];
    bool again = false;  // CPython's `i--`: look at this instruction again
    switch (const Opcode op = inst.opcode) {
      case Opcode::LOAD_CONST:
        if (i + 1 < b.instrs.size()) FoldConstantCondition(b, i);
        break;
      case Opcode::BUILD_TUPLE:
        SimplifyBuildTuple(b, i);
        break;
      case Opcode::JUMP_IF_FALSE_OR_POP:
      case Opcode::JUMP_IF_TRUE_OR_POP:
        again = ThreadJumpOrPop(inst, ResolveJumpTarget(inst));
        break;
      case Opcode::POP_JUMP_IF_FALSE:
      case Opcode::POP_JUMP_IF_TRUE:
      case Opcode::JUMP_ABSOLUTE:
      case Opcode::JUMP_FORWARD: {
        const Instr target = ResolveJumpTarget(inst);
        if (IsUnconditionalJump(target.opcode)) {
          again = JumpThread(inst, target, IsUnconditionalJump(op) ? Opcode::JUMP_ABSOLUTE : op);
        }
        break;
      }
      case Opcode::FOR_ITER: {
        const Instr target = ResolveJumpTarget(inst);
        if (target.opcode == Opcode::JUMP_FORWARD) again = JumpThread(inst, target, op);
        break;
      }
      default:
        if (IsJump(op)) ResolveJumpTarget(inst);
        break;
    }
    if (again) --i;
  }
}

// Removes NOPs that carry no line number of their own.
void Assembler::CleanBasicBlock(Block& b, int32_t prev_lineno) {
  if (!(b.kinds & kNopKind)) return;  // the common case: nothing to remove
  auto& instrs = b.instrs;
  const auto first_nop = std::find_if(instrs.begin(), instrs.end(),
                                      [](const Instr& instr) { return instr.opcode == Opcode::NOP; });
  b.kinds &= static_cast<uint8_t>(~kNopKind);
  if (first_nop == instrs.end()) return;
  std::size_t dest = static_cast<std::size_t>(first_nop - instrs.begin());
  if (dest > 0) prev_lineno = instrs[dest - 1].lineno;
  for (std::size_t src = dest; src < instrs.size(); ++src) {
    const int32_t lineno = instrs[src].lineno;
    if (instrs[src].opcode == Opcode::NOP) {
      if (lineno < 0 || prev_lineno == lineno) continue;
      if (src + 1 < instrs.size()) {
        const int32_t next_lineno = instrs[src + 1].lineno;
        if (next_lineno < 0 || next_lineno == lineno) {
          instrs[src + 1].lineno = lineno;
          continue;
        }
      } else {
        BlockId next = b.next;
        while (!next.is_none() && B(next).instrs.empty()) next = B(next).next;
        if (!next.is_none() && lineno == B(next).instrs[0].lineno) continue;
      }
    }
    if (instrs[src].opcode == Opcode::NOP) b.kinds |= kNopKind;  // kept for its line
    if (dest != src) instrs[dest] = instrs[src];
    ++dest;
    prev_lineno = lineno;
  }
  instrs.resize(dest);
}

void Assembler::MarkReachable() {
  std::vector<BlockId>& stack = work_stack_;
  B(Entry()).predecessors = 1;
  stack.push_back(Entry());
  auto visit = [&](BlockId target) {
    if (B(target).predecessors == 0) stack.push_back(target);
    B(target).predecessors++;
  };
  while (!stack.empty()) {
    const BlockId id = stack.back();
    stack.pop_back();
    if (!B(id).next.is_none() && !B(id).nofallthrough) visit(B(id).next);
    if (!MayHoldJump(B(id))) continue;
    for (const Instr& instr : B(id).instrs) {
      if (IsJump(instr.opcode)) visit(instr.target);
    }
  }
}

void Assembler::EliminateEmptyBasicBlocks() {
  if (!AnyEmptyBlock()) return;  // the common case: no link or jump changes
  for (BlockId b = Entry(); !b.is_none(); b = B(b).next) {
    BlockId next = B(b).next;
    if (next.is_none()) continue;
    while (B(next).instrs.empty() && !B(next).next.is_none()) next = B(next).next;
    B(b).next = next;
  }
  for (BlockId b = Entry(); !b.is_none(); b = B(b).next) {
    if (!MayHoldJump(B(b))) continue;
    for (Instr& instr : B(b).instrs) {
      if (IsJump(instr.opcode)) instr.target = SkipEmpty(instr.target);
    }
  }
}

// A jump to the very next block is dropped (it may leave a NOP for its line).
void Assembler::RemoveRedundantJumps() {
  bool maybe_empty_blocks = false;
  for (BlockId id = Entry(); !id.is_none(); id = B(id).next) {
    Block& b = B(id);
    if (b.instrs.empty()) continue;
    Instr& last = b.instrs.back();
    if (IsUnconditionalJump(last.opcode) && last.target == b.next) {
      b.nofallthrough = false;
      MakeNop(b, last);
      CleanBasicBlock(b, kNoLine);
      maybe_empty_blocks = true;
    }
  }
  if (maybe_empty_blocks) EliminateEmptyBasicBlocks();
}

void Assembler::OptimizeCfg() {
  for (BlockId b = Entry(); !b.is_none(); b = B(b).next) {
    OptimizeBasicBlock(b);
    CleanBasicBlock(B(b), kNoLine);
  }
  ForEachNewestFirst([&](BlockId b) { ExtendBlock(B(b)); });
  MarkReachable();
  for (BlockId b = Entry(); !b.is_none(); b = B(b).next) {
    if (B(b).predecessors == 0) {
      B(b).instrs.clear();
      B(b).nofallthrough = false;
    }
  }
  const Block* pred = nullptr;
  for (BlockId b = Entry(); !b.is_none(); b = B(b).next) {
    int32_t prev_lineno = kNoLine;
    if (pred != nullptr && !pred->instrs.empty()) prev_lineno = pred->instrs.back().lineno;
    CleanBasicBlock(B(b), prev_lineno);
    pred = B(b).nofallthrough ? nullptr : &B(b);
  }
  EliminateEmptyBasicBlocks();
  RemoveRedundantJumps();
}

// --- line numbers -----------------------------------------------------------

// PEP 626: every exit gets a line number. Exit blocks without one that are
// jumped to from several places are copied, one copy per jump.
void Assembler::DuplicateExitsWithoutLineno() {
  const std::size_t original_count = blocks_.size();
  for (std::size_t i = original_count; i-- > 0;) {
    const BlockId id{static_cast<uint32_t>(i)};
    if (B(id).instrs.empty()) continue;
    const Instr& last = B(id).instrs.back();
    if (!IsJump(last.opcode) || IsHandlerSetup(last.opcode)) continue;
    const BlockId target = last.target;
    if (!IsExitWithoutLineno(B(target)) || B(target).predecessors <= 1) continue;
    Block copy;
    copy.instrs = B(target).instrs;
    copy.exit = B(target).exit;
    copy.kinds = B(target).kinds;
    copy.nofallthrough = true;
    copy.instrs[0].lineno = B(id).instrs.back().lineno;
    copy.predecessors = 1;
    copy.next = B(target).next;
    blocks_.push_back(std::move(copy));  // invalidates references
    const BlockId copy_id{static_cast<uint32_t>(blocks_.size() - 1)};
    B(id).instrs.back().target = copy_id;
    B(target).predecessors--;
    B(target).next = copy_id;
  }
  ForEachNewestFirst([&](BlockId b) {
    while (!B(b).next.is_none() && B(B(b).next).instrs.empty()) B(b).next = B(B(b).next).next;
  });
  // The remaining exits without a line number are reached only by falling
  // through, from a single predecessor.
  ForEachNewestFirst([&](BlockId b) {
    const Block& block = B(b);
    if (block.nofallthrough || block.next.is_none() || block.instrs.empty()) return;
    Block& next = B(block.next);
    if (IsExitWithoutLineno(next)) next.instrs[0].lineno = block.instrs.back().lineno;
  });
}

// The first constant (a docstring, or None) stays; trailing unused ones go.
// (CPython does this before emitting the code; EmitCode finds the highest
// index in use as it goes, which comes to the same.)
void Assembler::TrimUnusedConsts() {
  if (static_cast<std::size_t>(max_const_index_) + 1 < consts_.size()) {
    consts_.resize(max_const_index_ + 1);
  }
}

void Assembler::PropagateLineNumbers() {
  for (BlockId id = Entry(); !id.is_none(); id = B(id).next) {
    Block& b = B(id);
    if (b.instrs.empty()) continue;
    int32_t prev_lineno = kNoLine;
    for (Instr& instr : b.instrs) {
      if (instr.lineno < 0) {
        instr.lineno = prev_lineno;
      } else {
        prev_lineno = instr.lineno;
      }
    }
    if (!b.nofallthrough && !b.next.is_none() && B(b.next).predecessors == 1 &&
        !B(b.next).instrs.empty()) {
      Instr& first = B(b.next).instrs[0];
      if (first.lineno < 0) first.lineno = prev_lineno;
    }
    const Instr& last = b.instrs.back();
    if (IsJump(last.opcode) && !IsHandlerSetup(last.opcode)) {
      Block& target = B(last.target);
      if (target.predecessors == 1 && !target.instrs.empty() && target.instrs[0].lineno < 0) {
        target.instrs[0].lineno = prev_lineno;
      }
    }
  }
}

void Assembler::GuaranteeLinenoForExits() {
  int32_t lineno = firstlineno_;
  for (BlockId id = Entry(); !id.is_none(); id = B(id).next) {
    Block& b = B(id);
    if (b.instrs.empty()) continue;
    const Instr& last = b.instrs.back();
    if (last.lineno < 0) {
      if (last.opcode == Opcode::RETURN_VALUE) {
        for (Instr& instr : b.instrs) instr.lineno = lineno;
      }
    } else {
      lineno = last.lineno;
    }
  }
}

// --- assembly ---------------------------------------------------------------

// Jump opargs are in code units; sizes change with EXTENDED_ARG prefixes, so
// offsets are recomputed until they settle.
void Assembler::AssembleJumpOffsets() {
  std::vector<JumpSite>& jumps = jump_sites_;
  bool recompile = true;
  while (recompile) {
    jumps.clear();
    int32_t total = 0;
    for (BlockId id = Entry(); !id.is_none(); id = B(id).next) {
      B(id).offset = total;
      for (Instr& instr : B(id).instrs) {
        total += InstrSize(instr.oparg);
        if (IsJump(instr.opcode)) jumps.push_back(JumpSite{&instr, total});
      }
    }
    code_units_ = total;
    recompile = false;
    for (const auto [instr, position] : jumps) {
      const int size = InstrSize(instr->oparg);
      const int32_t target_offset = B(instr->target).offset;
      // 3.10.13 writes every forward unconditional jump as JUMP_FORWARD
      // and every backward one as JUMP_ABSOLUTE, whatever was threaded.
      if (IsUnconditionalJump(instr->opcode)) {
        instr->opcode = target_offset >= position ? Opcode::JUMP_FORWARD : Opcode::JUMP_ABSOLUTE;
      }
      instr->oparg = target_offset;
      if (IsRelativeJump(instr->opcode)) instr->oparg -= position;
      if (InstrSize(instr->oparg) != size) recompile = true;
    }
  }
}

// Makes room for `pairs` more line table entries past line_size_.
void Assembler::ReserveLinePairs(int pairs) {
  const std::size_t needed = line_size_ + 2 * static_cast<std::size_t>(pairs);
  if (needed > out_.linetable.size()) {
    out_.linetable.resize(std::max(needed, 2 * out_.linetable.size()));
  }
}

void Assembler::EmitLinePair(int bdelta, int ldelta) {
  char* const pair = out_.linetable.data() + line_size_;
  pair[0] = static_cast<char>(static_cast<uint8_t>(bdelta));
  pair[1] = static_cast<char>(static_cast<int8_t>(ldelta));
  line_size_ += 2;
}

// Closes the current run of code units that share one line.
void Assembler::AssembleLineRange() {
  int bdelta = (offset_ - line_start_) * 2;
  if (bdelta == 0) return;
  int ldelta = line_ < 0 ? -128 : line_ - prev_line_;
  ReserveLinePairs(bdelta / 254 + 1 + (line_ < 0 ? 0 : std::abs(ldelta) / 127));
  if (line_ >= 0) {
    prev_line_ = line_;
    for (; ldelta > 127; ldelta -= 127) EmitLinePair(0, 127);
    for (; ldelta < -127; ldelta += 127) EmitLinePair(0, -127);
  }
  for (; bdelta > 254; bdelta -= 254) {
    EmitLinePair(254, ldelta);
    ldelta = line_ < 0 ? -128 : 0;
  }
  EmitLinePair(bdelta, ldelta);
}

// Writes the EXTENDED_ARG prefixes of an instruction with `arg` at `unit`;
// returns the end.
char* WriteExtendedArgs(char* unit, uint32_t arg) {
  for (int shift = 8 * (InstrSize(static_cast<int32_t>(arg)) - 1); shift > 0; shift -= 8) {
    *unit++ = static_cast<char>(static_cast<uint8_t>(Opcode::EXTENDED_ARG));
    *unit++ = static_cast<char>((arg >> shift) & 0xFF);
  }
  return unit;
}

// Writes `instr` with its EXTENDED_ARG prefixes at `unit`; returns the end.
char* WriteInstr(char* unit, const Instr& instr) {
  const auto arg = static_cast<uint32_t>(instr.oparg);
  if (arg > 0xFF) unit = WriteExtendedArgs(unit, arg);
  unit[0] = static_cast<char>(static_cast<uint8_t>(instr.opcode));
  unit[1] = static_cast<char>(arg & 0xFF);
  return unit + 2;
}

void Assembler::EmitCode() {
  line_ = prev_line_ = firstlineno_;
  line_start_ = 0;
  out_.code.resize(2 * static_cast<std::size_t>(code_units_));
  line_size_ = 0;
  out_.linetable.resize(static_cast<std::size_t>(code_units_));  // a guess, ample as a rule
  char* const code = out_.code.data();
  char* unit = code;
  for (BlockId id = Entry(); !id.is_none(); id = B(id).next) {
    for (const Instr& instr : B(id).instrs) {
      if (instr.lineno != 0 && instr.lineno != line_) {
        offset_ = static_cast<int32_t>((unit - code) / 2);
        AssembleLineRange();
        line_ = instr.lineno;
        line_start_ = offset_;
      }
      unit = WriteInstr(unit, instr);
      if (instr.opcode == Opcode::LOAD_CONST) max_const_index_ = std::max(max_const_index_, instr.oparg);
    }
  }
  offset_ = code_units_;
  AssembleLineRange();
  out_.linetable.resize(line_size_);
}

int Assembler::ComputeStackDepth() {
  for (Block& b : blocks_) b.startdepth = -1;
  std::vector<BlockId>& stack = work_stack_;
  auto push = [&](BlockId b, int depth) {
    if (B(b).startdepth < depth) {
      B(b).startdepth = depth;
      stack.push_back(b);
    }
  };
  const int32_t flags = unit_.info().flags;
  const bool suspends = (flags & (kCoGenerator | kCoCoroutine | kCoAsyncGenerator)) != 0;
  int maxdepth = 0;
  push(Entry(), suspends ? 1 : 0);
  while (!stack.empty()) {
    const BlockId id = stack.back();
    stack.pop_back();
    int depth = B(id).startdepth;
    BlockId next = B(id).next;
    for (const Instr& instr : B(id).instrs) {
      const auto op = static_cast<uint8_t>(instr.opcode);
      const int new_depth = depth + StackEffect(op, instr.oparg, false).value_or(0);
      maxdepth = std::max(maxdepth, new_depth);
      if (IsJump(instr.opcode)) {
        const int target_depth = depth + StackEffect(op, instr.oparg, true).value_or(0);
        maxdepth = std::max(maxdepth, target_depth);
        push(instr.target, target_depth);
      }
      depth = new_depth;
      if (IsAny(instr.opcode, kUnconditionalJump | kScopeExit)) {
        next = BlockId{};
        break;
      }
    }
    if (!next.is_none()) push(next, depth);
  }
  return maxdepth;
}

void Assembler::Run() {
  AddImplicitReturn();
  for (Block& b : blocks_) b.kinds = KindsOf(b.instrs);
  const bool any_empty = AnyEmptyBlock();
  for (Block& b : blocks_) NormalizeBasicBlock(b, any_empty);
  ForEachNewestFirst([&](BlockId b) { ExtendBlock(B(b)); });
  InsertGeneratorPrefix();
  ResolveFirstLineno();
  const std::vector<Ref>& consts = unit_.consts().items();
  consts_.assign(consts.begin(), consts.end());
  OptimizeCfg();
  DuplicateExitsWithoutLineno();
  PropagateLineNumbers();
  GuaranteeLinenoForExits();
  AssembleJumpOffsets();
  EmitCode();
  TrimUnusedConsts();

  out_.stacksize = ComputeStackDepth();
  out_.firstlineno = firstlineno_;
  out_.nlocals = static_cast<int32_t>(unit_.varnames().size());
  out_.flags = unit_.info().flags;
  if (unit_.cellvars().size() == 0 && unit_.freevars().size() == 0) {
    out_.flags |= kCoNoFree;
  } else {
    out_.flags &= ~kCoNoFree;
  }
}

}  // namespace

AssembledCode AssembleParts(Unit& unit, bool add_none) {
  AssembledCode parts;
  Assembler(unit, add_none, parts).Run();
  return parts;
}

Ref MakeCodeObject(Unit& unit, const AssembledCode& parts, Ref filename) {
  ConstCache& cache = unit.cache();
  marshal::CodeFields fields;
  const CodeInfo& info = unit.info();
  fields.argcount = info.argcount;
  fields.posonlyargcount = info.posonlyargcount;
  fields.kwonlyargcount = info.kwonlyargcount;
  fields.nlocals = parts.nlocals;
  fields.stacksize = parts.stacksize;
  fields.flags = parts.flags;
  fields.code = cache.MergedBytes(parts.code);
  fields.consts = cache.MergeTuple(parts.consts);
  fields.names = cache.NameTuple(unit.names().items());
  fields.varnames = cache.NameTuple(unit.varnames().items());
  fields.freevars = cache.NameTuple(unit.freevars().items());
  fields.cellvars = cache.NameTuple(unit.cellvars().items());
  fields.filename = filename;
  fields.name = cache.Interned(info.name);
  fields.firstlineno = parts.firstlineno;
  fields.linetable = cache.MergedBytes(parts.linetable);
  return cache.heap().Code(fields);
}

Ref Assemble(Unit& unit, bool add_none, Ref filename) {
  // The parts only live until MakeCodeObject has merged them into the heap,
  // so their buffers serve the thread's next code objects too.
  thread_local AssembledCode parts;
  Assembler(unit, add_none, parts).Run();
  const Ref code = MakeCodeObject(unit, parts, filename);
  parts.consts.clear();  // Refs into this file's heap
  return code;
}

}  // namespace xpyc::codegen
