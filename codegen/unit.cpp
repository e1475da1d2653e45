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

uint32_t Unit::AddConst(Ref value) { return consts_.Add(cache_.Merge(value)); }

void Unit::Append(Opcode op, int32_t oparg, BlockId target, int32_t lineno) {
  Block& b = blocks_[current_.value];
  b.instrs.push_back(Instr{op, oparg, target, lineno});
  if (op == Opcode::RETURN_VALUE) b.has_return = true;
}

}  // namespace xpyc::codegen
