#include "lexer/interner.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace xpyc {

namespace {

uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

uint32_t Load32(const char* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// The bytes of a spelling of at most 8 bytes, packed into one word that
// differs for different spellings of the same size.
uint64_t ShortWord(const char* p, size_t n) {
  if (n >= 4) return (static_cast<uint64_t>(Load32(p)) << 32) | Load32(p + n - 4);
  if (n == 0) return 0;
  return (static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
         (static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
         static_cast<unsigned char>(p[n - 1]);
}

// Equality of two spellings of the same size, at most 16 bytes long.
bool SameShortBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) return ((Load64(a) ^ Load64(b)) | (Load64(a + n - 8) ^ Load64(b + n - 8))) == 0;
  return ShortWord(a, n) == ShortWord(b, n);
}

bool SameLongBytes(const char* a, const char* b, size_t n) {
  return std::memcmp(a, b, n) == 0;
}

constexpr size_t kInitialNames = 256;

}  // namespace

// A quick hash for identifiers, mostly of at most 8 bytes: those take one
// multiply; longer ones mix in a word at a time (the last word overlapping).
uint32_t HashSpelling(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = n * 0xFF51AFD7ED558CCDull;
  if (n <= 8) {
    h ^= ShortWord(p, n);
  } else {
    const char* last = p + n - 8;
    for (; p < last; p += 8) {
      h = (h ^ Load64(p)) * kMul;
      h ^= h >> 29;
    }
    h ^= Load64(last);
  }
  h *= kMul;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

// Spellings are copied into chunks that never move.
struct Interner::Storage {
  std::vector<std::unique_ptr<char[]>> chunks;
  char* chunk_cursor = nullptr;
  size_t chunk_left = 0;

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
};

Interner::Interner() : by_spelling_(kInitialNames), storage_(std::make_unique<Storage>()) {
  spellings_.reserve(kInitialNames);
}
Interner::~Interner() = default;

// Spellings of at most 16 bytes, nearly all of them, are compared inline:
// with no call in the probe loop it needs no registers saved.
NameId Interner::Intern(std::string_view spelling) {
  if (spelling.size() > 16) [[unlikely]] return InternLong(spelling);
  return FindOrInsert(spelling, SameShortBytes);
}

[[gnu::noinline]] NameId Interner::InternLong(std::string_view spelling) {
  return FindOrInsert(spelling, SameLongBytes);
}

template <typename SameBytes>
NameId Interner::FindOrInsert(std::string_view spelling, SameBytes same_bytes) {
  const uint32_t hash = HashSpelling(spelling);
  const PositionIndex::Probe probe = by_spelling_.Find(hash, [&](uint32_t id) {
    const std::string_view existing = spellings_[id];
    return existing.size() == spelling.size() &&
           same_bytes(existing.data(), spelling.data(), spelling.size());
  });
  if (probe.position != PositionIndex::kAbsent) return {probe.position};
  return Insert(spelling, hash, probe);
}

NameId Interner::Lookup(std::string_view spelling) const {
  const auto same = [&](uint32_t id) { return spellings_[id] == spelling; };
  const uint32_t position = by_spelling_.Find(HashSpelling(spelling), same).position;
  return position == PositionIndex::kAbsent ? NameId{} : NameId{position};
}

// Kept out of Intern so that the lookup, the common case, stays small.
[[gnu::noinline]] NameId Interner::Insert(std::string_view spelling, uint32_t hash,
                                          const PositionIndex::Probe& probe) {
  const auto id = static_cast<uint32_t>(spellings_.size());
  spellings_.push_back(storage_->Store(spelling));
  by_spelling_.InsertAt(probe, hash, id);
  return {id};
}

}  // namespace xpyc
