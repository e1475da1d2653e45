#pragma once
// Interned identifiers: each distinct spelling gets one NameId for the life of
// the Interner. Spellings are copied into the interner's own storage, so a
// NameId stays valid after the source buffer is gone.
#include <cstdint>
#include <memory>
#include <string_view>

namespace xpyc {

struct NameId {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t index = kNone;
  bool IsNone() const { return index == kNone; }
  friend bool operator==(NameId, NameId) = default;
};

class Interner {
 public:
  Interner();
  ~Interner();
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  NameId Intern(std::string_view spelling);
  std::string_view Spelling(NameId id) const;
  uint32_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xpyc
