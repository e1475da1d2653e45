#include "lexer/interner.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace xpyc {

namespace {

// A quick hash for identifiers (mostly under 16 bytes): 8 bytes at a time,
// each word mixed in with a multiply and a fold.
inline uint64_t HashSpelling(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n >= 4) {  // two overlapping 4-byte loads
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    h = (h ^ ((static_cast<uint64_t>(a) << 32) | b)) * 0xBF58476D1CE4E5B9ull;
  } else if (n > 0) {
    uint64_t w = (static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
                 (static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
                 static_cast<unsigned char>(p[n - 1]);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
  }
  h ^= h >> 32;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 29;
  return h;
}

// Equality of two spellings of the same size, without a libc call for the
// short ones.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    uint64_t a0, b0, a1, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4) {
    uint32_t a0, b0, a1, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

// Open addressing: each slot packs the spelling's 32-bit hash (high half)
// with id + 1 (low half; 0 is empty); the table is a power of two kept at
// most half full, so a probe compares spellings only when the hashes agree.
// Spellings are copied into chunks that never move.
struct Interner::Impl {
  std::vector<std::unique_ptr<char[]>> chunks;
  char* chunk_cursor = nullptr;
  size_t chunk_left = 0;
  std::vector<std::string_view> spellings;
  std::vector<uint64_t> slots = std::vector<uint64_t>(512, 0);

  std::string_view Store(std::string_view s) {
    if (s.empty()) return std::string_view();
    if (s.size() > chunk_left) {
      size_t size = std::max<size_t>(s.size(), 8192);
      chunks.push_back(std::make_unique_for_overwrite<char[]>(size));
      chunk_cursor = chunks.back().get();
      chunk_left = size;
    }
    std::memcpy(chunk_cursor, s.data(), s.size());
    std::string_view stored(chunk_cursor, s.size());
    chunk_cursor += s.size();
    chunk_left -= s.size();
    return stored;
  }

  void Grow() {
    std::vector<uint64_t> old(slots.size() * 2, 0);
    old.swap(slots);
    const size_t mask = slots.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      size_t i = (slot >> 32) & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = slot;
    }
  }
};

Interner::Interner() : impl_(std::make_unique<Impl>()) {}
Interner::~Interner() = default;

NameId Interner::Intern(std::string_view spelling) {
  Impl& m = *impl_;
  const uint32_t hash = static_cast<uint32_t>(HashSpelling(spelling));
  const size_t mask = m.slots.size() - 1;
  size_t i = hash & mask;
  for (;; i = (i + 1) & mask) {
    const uint64_t slot = m.slots[i];
    if (slot == 0) break;
    if (static_cast<uint32_t>(slot >> 32) != hash) continue;
    const uint32_t id = static_cast<uint32_t>(slot) - 1;
    std::string_view existing = m.spellings[id];
    if (existing.size() == spelling.size() &&
        SameBytes(existing.data(), spelling.data(), spelling.size())) {
      return {id};
    }
  }
  const auto id = static_cast<uint32_t>(m.spellings.size());
  m.spellings.push_back(m.Store(spelling));
  m.slots[i] = (static_cast<uint64_t>(hash) << 32) | (id + 1);
  if (2 * m.spellings.size() > m.slots.size()) m.Grow();
  return {id};
}

std::string_view Interner::Spelling(NameId id) const { return impl_->spellings.at(id.index); }

uint32_t Interner::size() const { return static_cast<uint32_t>(impl_->spellings.size()); }

}  // namespace xpyc
