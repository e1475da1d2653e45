#include "codegen/unit.h"

#include <utility>

namespace xpyc::codegen {

Unit::Unit(ConstCache& cache, CodeInfo info) : cache_(cache), info_(std::move(info)) {
  current_ = NewBlock();
}

BlockId Unit::NewBlock() {
  blocks_.emplace_back();
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
  b.instrs.push_back(Instr{op, oparg, target, lineno});
  if (op == Opcode::RETURN_VALUE) b.has_return = true;
}

}  // namespace xpyc::codegen
