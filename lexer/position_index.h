#pragma once
// Positions into a caller's array, found by a 32-bit hash of the item: open
// addressing over a power-of-two table kept at most half full. Each slot
// packs the hash (high half) with position + 1 (low half; 0 is empty), so a
// probe asks the caller about equality only when the hashes agree. The
// interner, the constant tables and the symbol tables all index this way.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace xpyc {

class PositionIndex {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  // Where a lookup ended: the item's position (kAbsent if not found) and the
  // slot where it would go, for InsertAt.
  struct Probe {
    uint32_t position = kAbsent;
    size_t slot = 0;
  };

  PositionIndex() = default;
  // Room for `count` items before the first growth.
  explicit PositionIndex(size_t count) { Reset(count); }

  // Empties the index and sizes it for `count` items.
  void Reset(size_t count) {
    size_t size = kMinSlots;
    while (size < 2 * count) size *= 2;
    slots_.assign(size, 0);
    count_ = 0;
  }

  // The item with `hash` that `is_key(position)` accepts.
  template <class IsKey>
  Probe Find(uint32_t hash, IsKey is_key) const {
    if (slots_.empty()) return {};
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return {kAbsent, i};
      if (static_cast<uint32_t>(slot >> 32) != hash) continue;
      const uint32_t position = static_cast<uint32_t>(slot) - 1;
      if (is_key(position)) return {position, i};
    }
  }

  // For keys that are their own hash (a bijection of an id): equal hashes
  // are equal keys.
  Probe FindExact(uint32_t hash) const {
    return Find(hash, [](uint32_t) { return true; });
  }

  // Records `position` for an item that `probe` (a Find of the same hash,
  // with no insertion since) did not find.
  void InsertAt(const Probe& probe, uint32_t hash, uint32_t position) {
    if (slots_.empty()) {
      Insert(hash, position);
      return;
    }
    slots_[probe.slot] = Pack(hash, position);
    if (2 * ++count_ > slots_.size()) Grow();
  }

  // Records `position` for an item not present yet.
  void Insert(uint32_t hash, uint32_t position) {
    if (slots_.empty()) Reset(0);
    Place(Pack(hash, position));
    if (2 * ++count_ > slots_.size()) Grow();
  }

 private:
  static constexpr size_t kMinSlots = 16;

  static uint64_t Pack(uint32_t hash, uint32_t position) {
    return (static_cast<uint64_t>(hash) << 32) | (position + 1);
  }
  void Place(uint64_t packed) {
    const size_t mask = slots_.size() - 1;
    size_t i = (packed >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = packed;
  }
  void Grow() {
    std::vector<uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    for (uint64_t packed : old) {
      if (packed != 0) Place(packed);
    }
  }

  std::vector<uint64_t> slots_;
  size_t count_ = 0;
};

// Positions of ids (NameId indices) in a caller's insertion-ordered array,
// where `id_at(k)` is the id at position k. Most such arrays (a scope's
// symbols, a code object's names) are short: they are scanned in place, and
// the hash index is only built once the array grows past kLinearLimit.
class IdPositions {
 public:
  static constexpr uint32_t kAbsent = PositionIndex::kAbsent;
  static constexpr uint32_t kLinearLimit = 16;

  template <class IdAt>
  uint32_t Find(uint32_t id, size_t count, IdAt id_at) const {
    if (count > kLinearLimit) return index_.FindExact(Key(id)).position;
    for (uint32_t k = 0; k < count; ++k) {
      if (id_at(k) == id) return k;
    }
    return kAbsent;
  }

  // Call after appending the item at `position` (the last one).
  template <class IdAt>
  void Appended(uint32_t position, IdAt id_at) {
    if (position < kLinearLimit) return;
    if (position == kLinearLimit) {
      for (uint32_t k = 0; k <= position; ++k) index_.Insert(Key(id_at(k)), k);
      return;
    }
    index_.Insert(Key(id_at(position)), position);
  }

 private:
  // A bijection on ids that spreads neighbouring ids apart.
  static uint32_t Key(uint32_t id) { return id * 2654435761u; }
  PositionIndex index_;
};

}  // namespace xpyc
