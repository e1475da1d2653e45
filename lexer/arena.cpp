#include "lexer/arena.h"

#include <algorithm>
#include <cstdint>

namespace xpyc {

void* Arena::AllocateInNewBlock(std::size_t size, std::size_t align) {
  // Blocks double up to 16 MiB so that huge files need few blocks.
  std::size_t block = std::max(next_block_size_, size + align);
  blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(block));
  cursor_ = blocks_.back().get();
  end_ = cursor_ + block;
  next_block_size_ = std::min<std::size_t>(next_block_size_ * 2, 16u << 20);
  std::byte* p = AlignUp(cursor_, align);
  cursor_ = p + size;
  bytes_allocated_ += size;
  return p;
}

std::string_view Arena::CopyString(std::string_view s) {
  if (s.empty()) return {};
  auto* p = static_cast<char*>(Allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

}  // namespace xpyc
