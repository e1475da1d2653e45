#pragma once
// One arena per file being compiled: decoded strings, AST nodes, big-int digits
// and f-string parts live here and die together. Only trivially destructible
// objects may be placed in it; nothing it holds is ever destroyed one by one.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace xpyc {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  // Raw storage, aligned to `align` (a power of two). The fast path is
  // inline: it runs for every constant and string the compiler creates.
  void* Allocate(std::size_t size, std::size_t align) {
    std::byte* p = AlignUp(cursor_, align);
    if (cursor_ == nullptr || p + size > end_) [[unlikely]] {
      return AllocateInNewBlock(size, align);
    }
    cursor_ = p + size;
    bytes_allocated_ += size;
    return p;
  }

  template <typename T, typename... Args>
  T* New(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>);
    return new (Allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  // An uninitialised array of `n` trivially destructible `T`.
  template <typename T>
  std::span<T> NewArray(std::size_t n) {
    static_assert(std::is_trivially_destructible_v<T>);
    if (n == 0) return {};
    return {static_cast<T*>(Allocate(sizeof(T) * n, alignof(T))), n};
  }

  template <typename T>
  std::span<const T> Copy(std::span<const T> items) {
    auto out = NewArray<T>(items.size());
    if (!items.empty()) std::memcpy(out.data(), items.data(), sizeof(T) * items.size());
    return out;
  }

  std::string_view CopyString(std::string_view s);

  std::size_t BytesAllocated() const { return bytes_allocated_; }

 private:
  void* AllocateInNewBlock(std::size_t size, std::size_t align);
  static std::byte* AlignUp(std::byte* p, std::size_t align) {
    auto v = reinterpret_cast<std::uintptr_t>(p);
    return p + (((v + align - 1) & ~(align - 1)) - v);
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* cursor_ = nullptr;
  std::byte* end_ = nullptr;
  std::size_t next_block_size_ = 64 * 1024;
  std::size_t bytes_allocated_ = 0;
};

}  // namespace xpyc
