#include "lexer/interner.h"

#include <xxhash.h>

#include <deque>
#include <string>
#include <vector>

namespace xpyc {

// Open addressing over ids: `slots` holds id + 1 (0 is empty), its size a
// power of two kept at most half full; each id's hash is stored so that a
// probe compares spellings only when the hashes agree.
struct Interner::Impl {
  std::deque<std::string> storage;  // stable addresses for `spellings`
  std::vector<std::string_view> spellings;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> slots = std::vector<uint32_t>(1024, 0);

  size_t Probe(std::string_view s, uint64_t hash) const {
    const size_t mask = slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const uint32_t slot = slots[i];
      if (slot == 0) return i;
      if (hashes[slot - 1] == hash && spellings[slot - 1] == s) return i;
    }
  }

  void Grow() {
    std::vector<uint32_t> old(slots.size() * 2, 0);
    old.swap(slots);
    const size_t mask = slots.size() - 1;
    for (uint32_t slot : old) {
      if (slot == 0) continue;
      size_t i = hashes[slot - 1] & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = slot;
    }
  }
};

Interner::Interner() : impl_(std::make_unique<Impl>()) {}
Interner::~Interner() = default;

NameId Interner::Intern(std::string_view spelling) {
  Impl& m = *impl_;
  const uint64_t hash = XXH3_64bits(spelling.data(), spelling.size());
  size_t at = m.Probe(spelling, hash);
  if (m.slots[at] != 0) return {m.slots[at] - 1};
  const auto id = static_cast<uint32_t>(m.spellings.size());
  m.spellings.push_back(m.storage.emplace_back(spelling));
  m.hashes.push_back(hash);
  m.slots[at] = id + 1;
  if (2 * m.spellings.size() > m.slots.size()) m.Grow();
  return {id};
}

std::string_view Interner::Spelling(NameId id) const { return impl_->spellings.at(id.index); }

uint32_t Interner::size() const { return static_cast<uint32_t>(impl_->spellings.size()); }

}  // namespace xpyc
