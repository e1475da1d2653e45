#pragma once
// Interned identifiers: each distinct spelling gets one NameId for the life of
// the Interner. Spellings are copied into the interner's own storage, so a
// NameId stays valid after the source buffer is gone.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "lexer/position_index.h"

namespace xpyc {

struct NameId {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t index = kNone;
  bool IsNone() const { return index == kNone; }
  friend bool operator==(NameId, NameId) = default;
};

// A quick hash of an identifier's spelling (the interner's own; the name
// and constant tables use it too).
uint32_t HashSpelling(std::string_view spelling);

class Interner {
 public:
  Interner();
  ~Interner();
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  NameId Intern(std::string_view spelling);
  // The id of `spelling` if it was interned, else None.
  NameId Lookup(std::string_view spelling) const;
  std::string_view Spelling(NameId id) const { return spellings_[id.index]; }
  uint32_t size() const { return static_cast<uint32_t>(spellings_.size()); }

 private:
  struct Storage;
  NameId InternLong(std::string_view spelling);
  template <typename SameBytes>
  NameId FindOrInsert(std::string_view spelling, SameBytes same_bytes);
  NameId Insert(std::string_view spelling, uint32_t hash, const PositionIndex::Probe& probe);

  std::vector<std::string_view> spellings_;  // by NameId, into storage_
  PositionIndex by_spelling_;                // NameIds by HashSpelling
  std::unique_ptr<Storage> storage_;
};

}  // namespace xpyc
