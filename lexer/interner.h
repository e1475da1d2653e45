#pragma once
// Interned identifiers: each distinct spelling gets one NameId for the life of
// the Interner. Spellings are copied into the interner's own storage, so a
// NameId stays valid after the source buffer is gone.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace xpyc {

struct NameId {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t index = kNone;
  bool IsNone() const { return index == kNone; }
  friend bool operator==(NameId, NameId) = default;
};

// A quick hash of an identifier's spelling (the interner's own; symbol
// tables use it too).
uint32_t HashSpelling(std::string_view spelling);

class Interner {
 public:
  Interner();
  ~Interner();
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  NameId Intern(std::string_view spelling);
  std::string_view Spelling(NameId id) const { return spellings_[id.index]; }
  uint32_t size() const { return static_cast<uint32_t>(spellings_.size()); }

 private:
  struct Storage;
  NameId InternLong(std::string_view spelling);
  template <typename SameBytes>
  NameId Find(std::string_view spelling, SameBytes same_bytes);
  NameId Insert(std::string_view spelling, uint32_t hash, size_t slot);
  void Grow();

  std::vector<std::string_view> spellings_;  // by NameId, into storage_
  // Open addressing: each slot packs the spelling's 32-bit hash (high half)
  // with id + 1 (low half; 0 is empty); a power of two kept at most half
  // full, so a probe compares spellings only when the hashes agree.
  std::vector<uint64_t> slots_;
  std::unique_ptr<Storage> storage_;
};

}  // namespace xpyc
