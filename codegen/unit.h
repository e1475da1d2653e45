#pragma once
// The code generator's back end: one `Unit` per code object (module, class
// body, function, lambda, comprehension), built the way CPython 3.10's
// compile.c builds a compiler unit, then turned into a code object by
// `Assemble`.
//
// Per module: one marshal::Heap, one ConstCache (CPython's c_const_cache and
// the interned strings; equal constants, names tuples and co_code bytes come
// out as one Ref across the module) and one co_filename Str. Per code object:
// Unit unit(cache, CodeInfo{name, argcount, posonly, kwonly, flags,
// firstlineno}); for functions, add the docstring (or None) as constant 0
// first, as compiler_function does; emit; then Ref code = Assemble(unit,
// add_none, filename), and add `code` as a constant of the enclosing unit.
//
// How the front end uses it (CPython macro -> Unit call):
//   compiler_new_block          -> BlockId b = unit.NewBlock();
//   compiler_use_next_block(b)  -> unit.UseNextBlock(b);
//   NEXT_BLOCK                  -> unit.NextBlock();
//   SET_LOC / u_lineno = -1     -> unit.set_lineno(n) / unit.set_lineno(kNoLine);
//   ADDOP(op), ADDOP_I(op, n)   -> unit.AddOp(op), unit.AddOp(op, n);
//   ADDOP_NOLINE(op)            -> unit.AddOpNoLine(op);
//   ADDOP_JUMP(op, b)           -> unit.AddJump(op, b);
//   ADDOP_JUMP_NOLINE(op, b)    -> unit.AddJumpNoLine(op, b);
//   ADDOP_LOAD_CONST(v)         -> unit.LoadConst(v);   (v: a Ref from the heap)
//   compiler_add_const(v)       -> unit.AddConst(v);    (returns the index)
//   ADDOP_N / ADDOP_NAME        -> unit.AddOp(op, unit.AddName(mangled_id, interner));
//   varnames, cellvars, freevars tables -> unit.varnames().Add(...), ...
//     (in the order CPython builds them: parameters then locals for
//     varnames; cellvars and freevars sorted); unit.DerefIndex(name) gives
//     the *_DEREF / LOAD_CLOSURE oparg.
// Instructions take the unit's current line number. Jump opargs are filled
// in by the assembler; the front end never emits EXTENDED_ARG.
//
// The first block (the entry) exists from construction. `Assemble` runs
// 3.10's assemble(): the implicit `return None` (with add_none), block
// normalisation, extend_block, the GEN_START prefix for generators and
// coroutines, optimize_cfg (peepholes, constant folding of tuples, dead code
// removal, jump threading), duplicate_exits_without_lineno, line number
// propagation, jump offsets with EXTENDED_ARG, the code and the PEP 626 line
// table, trimming of trailing unused constants (noted while the code is
// written; nothing in between reads them) and the stack depth.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/consts.h"
#include "codegen/name_table.h"
#include "codegen/opcodes.h"
#include "marshal/value.h"

namespace xpyc::codegen {

// co_flags bits.
enum CodeFlag : int32_t {
  kCoOptimized = 0x0001,
  kCoNewLocals = 0x0002,
  kCoVarArgs = 0x0004,
  kCoVarKeywords = 0x0008,
  kCoNested = 0x0010,
  kCoGenerator = 0x0020,
  kCoNoFree = 0x0040,
  kCoCoroutine = 0x0080,
  kCoIterableCoroutine = 0x0100,
  kCoAsyncGenerator = 0x0200,
};

constexpr int32_t kNoLine = -1;

// An index into a unit's blocks; default-constructed is None.
struct BlockId {
  static constexpr uint32_t kNoneValue = 0xFFFFFFFFu;
  uint32_t value = kNoneValue;
  bool is_none() const { return value == kNoneValue; }
  friend bool operator==(BlockId, BlockId) = default;
};

struct Instr {
  Opcode opcode = Opcode::NOP;
  int32_t oparg = 0;
  BlockId target;  // jumps and SETUP_* only
  int32_t lineno = kNoLine;
};

// A basic block. The fields after `instrs` are the assembler's working state
// (CPython's b_next, b_return, b_exit, b_nofallthrough, ...).
struct Block {
  std::vector<Instr> instrs;
  BlockId next;
  bool has_return = false;
  bool exit = false;
  bool nofallthrough = false;
  int32_t predecessors = 0;
  int32_t startdepth = -1;
  int32_t offset = 0;  // in code units
  // The assembler's summary of the instructions' OpcodeKind bits, so that
  // passes can skip blocks without jumps or NOPs: taken when assembly begins,
  // then kept up to date by the assembler (kNopKind stays set while the
  // block may hold a NOP).
  uint8_t kinds = 0;
};

// What the front end decides about the code object (compute_code_flags and
// the symbol table). CO_NOFREE is added by the assembler.
struct CodeInfo {
  std::string name;       // co_name
  int32_t argcount = 0;   // positional-only + positional-or-keyword
  int32_t posonlyargcount = 0;
  int32_t kwonlyargcount = 0;
  int32_t flags = 0;
  int32_t firstlineno = 0;  // 0: taken from the first instruction, else 1
};

class Unit {
 public:
  Unit(ConstCache& cache, CodeInfo info);
  // Hands the blocks' instruction vectors on to the thread's next units.
  ~Unit();
  Unit(Unit&&) = default;

  BlockId NewBlock();
  void UseNextBlock(BlockId block);
  BlockId NextBlock();
  BlockId current_block() const { return current_; }

  void set_lineno(int32_t lineno) { lineno_ = lineno; }
  int32_t lineno() const { return lineno_; }

  void AddOp(Opcode op, int32_t oparg = 0) { Append(op, oparg, BlockId{}, lineno_); }
  void AddOpNoLine(Opcode op, int32_t oparg = 0) { Append(op, oparg, BlockId{}, kNoLine); }
  void AddJump(Opcode op, BlockId target) { Append(op, 0, target, lineno_); }
  void AddJumpNoLine(Opcode op, BlockId target) { Append(op, 0, target, kNoLine); }
  // Adds with an explicit line number (kNoLine allowed).
  void AddOpAt(Opcode op, int32_t oparg, BlockId target, int32_t lineno) {
    Append(op, oparg, target, lineno);
  }

  uint32_t AddConst(Ref value);
  void LoadConst(Ref value) { AddOp(Opcode::LOAD_CONST, static_cast<int32_t>(AddConst(value))); }
  uint32_t AddName(std::string_view name) { return names_.Add(name); }
  uint32_t AddName(NameId id, const Interner& names) { return names_.Add(id, names); }

  // LOAD_DEREF/LOAD_CLOSURE/STORE_DEREF oparg of `name` (compiler_lookup_arg's
  // numbering: cell variables first, then free variables), or -1.
  int32_t DerefIndex(std::string_view name) const;

  NameTable& names() { return names_; }
  NameTable& varnames() { return varnames_; }
  NameTable& cellvars() { return cellvars_; }
  NameTable& freevars() { return freevars_; }
  const ConstTable& consts() const { return consts_; }
  CodeInfo& info() { return info_; }
  ConstCache& cache() { return cache_; }

  // The assembler's view.
  std::vector<Block>& blocks() { return blocks_; }
  Block& block(BlockId id) { return blocks_[id.value]; }

 private:
  void Append(Opcode op, int32_t oparg, BlockId target, int32_t lineno);

  ConstCache& cache_;
  CodeInfo info_;
  std::vector<Block> blocks_;
  BlockId current_;
  int32_t lineno_ = kNoLine;
  ConstTable consts_;
  NameTable names_, varnames_, cellvars_, freevars_;
};

// The pieces of an assembled code object, before they become marshal values.
struct AssembledCode {
  std::string code;       // co_code
  std::string linetable;  // co_linetable
  std::vector<Ref> consts;
  int32_t stacksize = 0;
  int32_t flags = 0;
  int32_t firstlineno = 0;
  int32_t nlocals = 0;
};

// Runs 3.10's assemble() over `unit` (which it consumes: blocks are rewritten).
// `add_none`: the implicit return at the end returns None (false for
// `eval`-mode expressions and interactive statements, as in CPython).
AssembledCode AssembleParts(Unit& unit, bool add_none);

// Builds the code object, merging tuples and bytes through the module cache.
// `filename` is the module's one co_filename Str.
Ref MakeCodeObject(Unit& unit, const AssembledCode& parts, Ref filename);

// AssembleParts then MakeCodeObject.
Ref Assemble(Unit& unit, bool add_none, Ref filename);

}  // namespace xpyc::codegen
