#include "codegen/unit.h"

#include <algorithm>
#include <utility>

namespace xpyc::codegen {

namespace {

// Room for a typical block's instructions at once, rather than growing
// through 1, 2, 4 and 8 (a unit makes many small blocks).
constexpr std::size_t kInitialBlockCapacity = 16;
// Most units have a handful of blocks.
constexpr std::size_t kInitialBlockCount = 8;

// Instruction vectors of finished units, kept with their capacity: units
// come and go (one per code object) and each makes many small blocks.
thread_local std::vector<std::vector<Instr>> t_spare_instrs;
// Likewise the units' (emptied) block lists.
thread_local std::vector<std::vector<Block>> t_spare_block_lists;
// Only the common small ones are kept, so that what the spares hold stays
// bounded however many files a thread compiles.
constexpr std::size_t kMaxSparedInstrCapacity = 64;
constexpr std::size_t kMaxSpareInstrVectors = 4096;
constexpr std::size_t kMaxSparedBlockCapacity = 256;
constexpr std::size_t kMaxSpareBlockLists = 64;

// Append's slow path, kept out of line so that the fast path stays small.
[[gnu::noinline]] void GrowAndAppend(std::vector<Instr>& instrs, const Instr& instr) {
  instrs.reserve(std::max(kInitialBlockCapacity, 2 * instrs.capacity()));
  instrs.push_back(instr);
}

}  // namespace

Unit::Unit(ConstCache& cache, CodeInfo info) : cache_(cache), info_(std::move(info)) {
  if (t_spare_block_lists.empty()) {
    blocks_.reserve(kInitialBlockCount);
  } else {
    blocks_ = std::move(t_spare_block_lists.back());
    t_spare_block_lists.pop_back();
  }
  current_ = NewBlock();
}

Unit::~Unit() {
  for (Block& b : blocks_) {
    const std::size_t capacity = b.instrs.capacity();
    if (capacity == 0 || capacity > kMaxSparedInstrCapacity) continue;
    if (t_spare_instrs.size() == kMaxSpareInstrVectors) break;
    b.instrs.clear();
    t_spare_instrs.push_back(std::move(b.instrs));
  }
  const std::size_t capacity = blocks_.capacity();  // 0 when moved from
  if (capacity == 0 || capacity > kMaxSparedBlockCapacity) return;
  if (t_spare_block_lists.size() == kMaxSpareBlockLists) return;
  blocks_.clear();
  t_spare_block_lists.push_back(std::move(blocks_));
}

BlockId Unit::NewBlock() {
  Block& b = blocks_.emplace_back();
  if (!t_spare_instrs.empty()) {
    b.instrs = std::move(t_spare_instrs.back());
    t_spare_instrs.pop_back();
  }
  return BlockId{static_cast<uint32_t>(blocks_.size() - 1)};
}

void Unit::UseNextBlock(BlockId block) {
  blocks_[current_.value].next = block;
  current_ = block;
}

BlockId Unit::NextBlock() {
  BlockId b = NewBlock();
  UseNextBlock(b);
  return b;
}

int32_t Unit::DerefIndex(std::string_view name) const {
  const int32_t cell = cellvars_.Find(name);
  if (cell >= 0) return cell;
  const int32_t free = freevars_.Find(name);
  return free < 0 ? -1 : static_cast<int32_t>(cellvars_.size()) + free;
}

uint32_t Unit::AddConst(Ref value) { return consts_.Add(cache_.Merge(value)); }

void Unit::Append(Opcode op, int32_t oparg, BlockId target, int32_t lineno) {
  Block& b = blocks_[current_.value];
  if (op == Opcode::RETURN_VALUE) b.has_return = true;
  const Instr instr{op, oparg, target, lineno};
  if (b.instrs.size() == b.instrs.capacity()) [[unlikely]] {
    GrowAndAppend(b.instrs, instr);
  } else {
    b.instrs.push_back(instr);
  }
}

}  // namespace xpyc::codegen
