#pragma once
// Constants of code units.
//
// CPython keys constants with _PyCode_ConstantKey: 1, 1.0, True, 0.0, -0.0,
// 0j and -0j are all different keys; tuples and frozensets are keyed by their
// items' keys; a NaN only matches itself (the same Ref); code objects compare
// by their fields (not their line table). `ConstCache` is the module-wide
// cache (CPython's c_const_cache): every constant, tuple of names, co_code and
// line table goes through it so that equal values are one Ref across all code
// objects of a module. It also owns the interned strings: names, and string
// constants made only of [A-Za-z0-9_], are one interned Str per text.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/position_index.h"
#include "marshal/value.h"

namespace xpyc::codegen {

using marshal::Ref;

bool SameConstantKey(Ref a, Ref b);
std::size_t ConstantKeyHash(Ref v);

// True when CPython's code constructor interns a string constant with this
// text (ASCII letters, digits and underscores only; the empty string too).
bool IsAllNameChars(std::string_view utf8);
// True when a string constant with this text is written as interned: all
// name characters, or one of the single-character strings (shared singletons
// in CPython) that a compileall process has already interned.
bool IsInternedStringConstant(std::string_view utf8);

class ConstCache {
 public:
  explicit ConstCache(marshal::Heap& heap);
  ~ConstCache();
  ConstCache(const ConstCache&) = delete;
  ConstCache& operator=(const ConstCache&) = delete;

  marshal::Heap& heap() { return heap_; }

  // merge_consts_recursive: the module's one Ref for a constant equal (by
  // key) to `v`, registering `v` (with its items merged) the first time.
  Ref Merge(Ref v);
  // The one interned Str with this text.
  Ref Interned(std::string_view utf8);
  // A tuple of interned names, merged.
  Ref NameTuple(const std::vector<std::string>& names);
  // Bytes (co_code, co_linetable), merged.
  Ref MergedBytes(std::string_view raw);
  // Merge(heap().Tuple(items)), without allocating when the tuple is known.
  Ref MergeTuple(std::span<const Ref> items);

 private:
  struct Tables;
  struct InternedStr;
  // The interned Str with this text, and whether it is merged.
  InternedStr Intern(std::string_view utf8);
  InternedStr AddInterned(std::string_view utf8, std::size_t text_hash,
                          const PositionIndex::Probe& probe);
  // Merge of a value whose key is not in the cache yet.
  Ref Register(Ref v);
  // `v`, or a copy of it when merging its items gives other Refs.
  Ref WithMergedItems(Ref v);
  // Merge of a value not on the heap yet: `probe` is looked up, and
  // `allocate` copies it to the heap only when its key is new.
  // `items_merged`: it has no items that merging could replace.
  template <class Allocate>
  Ref MergeUnallocated(const marshal::Value& probe, bool items_merged, Allocate allocate);
  Ref MergeTupleOf(std::span<const Ref> items, bool items_merged);
  marshal::Heap& heap_;
  std::unique_ptr<Tables> tables_;
};

// A unit's co_consts: index of first insertion by constant key. Items are
// already merged through the module's ConstCache.
class ConstTable {
 public:
  uint32_t Add(Ref merged);
  const std::vector<Ref>& items() const { return items_; }

 private:
  static constexpr uint32_t kScannedItems = 16;
  // Indexes the items, once there are more than a scan should look through.
  void IndexItems();
  // Add once the items are indexed.
  uint32_t AddIndexed(Ref merged);
  std::vector<Ref> items_;
  PositionIndex positions_;  // by identity hash, past kScannedItems items
};

}  // namespace xpyc::codegen
