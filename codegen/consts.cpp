#include "codegen/consts.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <unordered_set>
#include <vector>

#include "lexer/interner.h"


namespace xpyc::codegen {
namespace {

using marshal::Type;
using marshal::Value;

uint64_t FloatBits(double d) { return std::bit_cast<uint64_t>(d); }

std::size_t Mix(std::size_t seed, std::size_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

// Key hashes stay inside this process: any well-mixed hash will do. The
// interner's identifier hash is cheapest on short texts (most names and
// constants); XXH3 wins on long ones (co_code).
std::size_t HashText(std::string_view s) {
  return s.size() <= 64 ? HashSpelling(s) : XXH3_64bits(s.data(), s.size());
}

// Floats: equal bit patterns, except that a NaN only equals the same object.
bool SameFloatKey(double a, double b) {
  return !std::isnan(a) && !std::isnan(b) && FloatBits(a) == FloatBits(b);
}

bool SameStrTuple(Ref a, Ref b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  if (a->items.size() != b->items.size()) return false;
  for (std::size_t i = 0; i < a->items.size(); ++i) {
    if (a->items[i]->data != b->items[i]->data) return false;
  }
  return true;
}

bool SameBytesValue(Ref a, Ref b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  return a->data == b->data;
}

// code_richcompare of 3.10: the line table takes no part.
bool SameCodeKey(const marshal::CodeFields& a, const marshal::CodeFields& b) {
  return SameBytesValue(a.name, b.name) && a.argcount == b.argcount &&
         a.posonlyargcount == b.posonlyargcount && a.kwonlyargcount == b.kwonlyargcount &&
         a.nlocals == b.nlocals && a.flags == b.flags && a.firstlineno == b.firstlineno &&
         SameBytesValue(a.code, b.code) && SameConstantKey(a.consts, b.consts) &&
         SameStrTuple(a.names, b.names) && SameStrTuple(a.varnames, b.varnames) &&
         SameStrTuple(a.freevars, b.freevars) && SameStrTuple(a.cellvars, b.cellvars);
}

struct ItemKeyHash {
  std::size_t operator()(Ref v) const { return ConstantKeyHash(v); }
};
struct ItemKeyEqual {
  bool operator()(Ref a, Ref b) const { return SameConstantKey(a, b); }
};

// Set equality of the items' keys (items of one frozenset are distinct keys).
bool SameFrozenSetKey(Ref a, Ref b) {
  if (a->items.size() != b->items.size()) return false;
  std::unordered_set<Ref, ItemKeyHash, ItemKeyEqual> items(b->items.begin(), b->items.end());
  for (Ref x : a->items) {
    if (items.find(x) == items.end()) return false;
  }
  return true;
}

}  // namespace

bool SameConstantKey(Ref a, Ref b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  if (a->type != b->type) return false;
  switch (a->type) {
    case Type::Null:
    case Type::None:
    case Type::True:
    case Type::False:
    case Type::Ellipsis:
    case Type::StopIteration:
      return true;
    case Type::Int:
      return a->negative == b->negative && a->digits.size() == b->digits.size() &&
             std::equal(a->digits.begin(), a->digits.end(), b->digits.begin());
    case Type::Float:
      return SameFloatKey(a->real, b->real);
    case Type::Complex:
      return SameFloatKey(a->real, b->real) && SameFloatKey(a->imag, b->imag);
    case Type::Str:
    case Type::Bytes:
      return a->data == b->data;
    case Type::Tuple:
      if (a->items.size() != b->items.size()) return false;
      for (std::size_t i = 0; i < a->items.size(); ++i) {
        if (!SameConstantKey(a->items[i], b->items[i])) return false;
      }
      return true;
    case Type::FrozenSet:
      return SameFrozenSetKey(a, b);
    case Type::Code:
      return SameCodeKey(*a->code, *b->code);
    case Type::List:
    case Type::Dict:
    case Type::Set:
      return false;  // not constants: only identity matches
  }
  return false;
}

namespace {

std::size_t ComputeConstantKeyHash(Ref v);

std::size_t StoreKeyHash(Ref v, std::size_t h) {
  v->key_hash = h == 0 ? 1 : h;  // 0 means "not computed"
  return v->key_hash;
}

[[gnu::noinline]] std::size_t CacheKeyHash(Ref v) {
  return StoreKeyHash(v, ComputeConstantKeyHash(v));
}

std::size_t TypeSeed(Type t) { return static_cast<std::size_t>(t) * 0x100000001b3ULL; }

// The key hash of a Str or Bytes whose text hashes to `text_hash`.
std::size_t TextKeyHash(Type t, std::size_t text_hash) { return Mix(TypeSeed(t), text_hash); }

// ConstantKeyHash of a non-null value; the cached case inline.
std::size_t KeyHash(Ref v) { return v->key_hash != 0 ? v->key_hash : CacheKeyHash(v); }

}  // namespace

std::size_t ConstantKeyHash(Ref v) { return v == nullptr ? 0 : KeyHash(v); }

namespace {
std::size_t ComputeConstantKeyHash(Ref v) {
  std::size_t h = TypeSeed(v->type);
  switch (v->type) {
    case Type::Null:
    case Type::None:
    case Type::True:
    case Type::False:
    case Type::Ellipsis:
    case Type::StopIteration:
      return h;
    case Type::Int:
      h = Mix(h, v->negative);
      for (uint16_t d : v->digits) h = Mix(h, d);
      return h;
    case Type::Float:
      return Mix(h, FloatBits(v->real));
    case Type::Complex:
      return Mix(Mix(h, FloatBits(v->real)), FloatBits(v->imag));
    case Type::Str:
    case Type::Bytes:
      return TextKeyHash(v->type, HashText(v->data));
    case Type::Tuple:
      for (Ref item : v->items) h = Mix(h, ConstantKeyHash(item));
      return h;
    case Type::FrozenSet: {
      std::size_t sum = 0;  // order-independent
      for (Ref item : v->items) sum += ConstantKeyHash(item);
      return Mix(h, sum);
    }
    case Type::Code:
      return Mix(Mix(h, v->code->name ? HashText(v->code->name->data) : 0),
                 v->code->code ? HashText(v->code->code->data) : 0);
    case Type::List:
    case Type::Dict:
    case Type::Set:
      return Mix(h, std::hash<const void*>{}(v));
  }
  return h;
}
}  // namespace

namespace {

constexpr std::array<bool, 256> kNameChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
  }
  return table;
}();

}  // namespace

bool IsAllNameChars(std::string_view utf8) {
  return std::all_of(utf8.begin(), utf8.end(),
                     [](char c) { return kNameChars[static_cast<unsigned char>(c)]; });
}

namespace {

// The code point of a one-character string below U+0100, or -1.
int SingleLatin1Char(std::string_view utf8) {
  if (utf8.size() == 1) return static_cast<unsigned char>(utf8[0]);
  const auto lead = static_cast<unsigned char>(utf8.size() == 2 ? utf8[0] : 0);
  if (lead == 0xC2 || lead == 0xC3) {
    return ((lead & 0x1F) << 6) | (static_cast<unsigned char>(utf8[1]) & 0x3F);
  }
  return -1;
}

bool IsPreInternedChar(int code) {
  switch (code) {
#define XPYC_INTERNED_CHAR(c) case c:
#include "codegen/interned_chars.inc"
#undef XPYC_INTERNED_CHAR
    return true;
  }
  return false;
}

}  // namespace

bool IsInternedStringConstant(std::string_view utf8) {
  return IsAllNameChars(utf8) || IsPreInternedChar(SingleLatin1Char(utf8));
}

namespace {

uint32_t IdentityHash(Ref v) {
  const uint64_t h = (reinterpret_cast<std::uintptr_t>(v) >> 4) * 0x9E3779B97F4A7C15ULL;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

}  // namespace

// The module's merged constants, keyed by CPython's constant key: open
// addressing over a power-of-two table. Each slot keeps its key's hash, so a
// probe reads a Value only when the hashes agree (the table is large and
// cold: every constant, names tuple and bytecode of the module is in it).
class ConstKeySet {
 public:
  // The member with `key`'s key, or null.
  Ref Find(Ref key) const {
    if (slots_.empty()) return nullptr;
    const std::size_t hash = KeyHash(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = Home(hash);; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.key == nullptr) return nullptr;
      if (slot.hash == hash && (slot.key == key || SameConstantKey(slot.key, key))) {
        return slot.key;
      }
    }
  }
  // Adds `key` (no member has its key yet).
  void Insert(Ref key) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Place(Slot{key, KeyHash(key)});
    ++count_;
  }

 private:
  struct Slot {
    Ref key = nullptr;
    std::size_t hash = 0;
  };
  // The key hashes combine their parts cheaply, so neighbouring ints (or
  // tuples of them) have neighbouring hashes; the home slot takes the high
  // bits of a multiplicative scramble, lest they pile up in one run of slots.
  std::size_t Home(std::size_t hash) const { return (hash * 0x9E3779B97F4A7C15ULL) >> shift_; }
  void Place(const Slot& entry) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = Home(entry.hash);
    while (slots_[i].key != nullptr) i = (i + 1) & mask;
    slots_[i] = entry;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 256 : old.size() * 2, Slot{});
    shift_ = 64 - std::countr_zero(slots_.size());
    for (const Slot& slot : old) {
      if (slot.key != nullptr) Place(slot);
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
  int shift_ = 64;  // 64 - log2(slots_.size())
};

// An interned Str. `merged`: its text is an interned string constant, so the
// Str is also the module's merged Ref for its key (Interned registers it).
struct ConstCache::InternedStr {
  Ref str = nullptr;
  bool merged = false;
};

struct ConstCache::Tables {
  ConstKeySet merged;
  std::vector<InternedStr> interned;  // by first request
  PositionIndex interned_index;       // by text hash, into `interned`
  Ref empty_tuple = nullptr;          // merged, once asked for
  std::vector<Ref> name_refs;         // NameTuple's scratch
};

ConstCache::ConstCache(marshal::Heap& heap) : heap_(heap), tables_(std::make_unique<Tables>()) {}
ConstCache::~ConstCache() = default;

Ref ConstCache::Interned(std::string_view utf8) { return Intern(utf8).str; }

ConstCache::InternedStr ConstCache::Intern(std::string_view utf8) {
  const std::vector<InternedStr>& strs = tables_->interned;
  const std::size_t text_hash = HashText(utf8);
  const PositionIndex::Probe probe = tables_->interned_index.Find(
      static_cast<uint32_t>(text_hash), [&](uint32_t pos) { return strs[pos].str->data == utf8; });
  if (probe.position != PositionIndex::kAbsent) return strs[probe.position];
  return AddInterned(utf8, text_hash, probe);
}

// Kept out of Intern so that the lookup, the common case, stays small.
[[gnu::noinline]] ConstCache::InternedStr ConstCache::AddInterned(
    std::string_view utf8, std::size_t text_hash, const PositionIndex::Probe& probe) {
  std::vector<InternedStr>& strs = tables_->interned;
  const InternedStr added{heap_.Str(utf8, /*interned=*/true), IsInternedStringConstant(utf8)};
  StoreKeyHash(added.str, TextKeyHash(Type::Str, text_hash));  // the text is hashed already
  tables_->interned_index.InsertAt(probe, static_cast<uint32_t>(text_hash),
                                   static_cast<uint32_t>(strs.size()));
  strs.push_back(added);
  // No Str with this text is merged yet: Register asks Intern for these texts.
  if (added.merged) tables_->merged.Insert(added.str);
  return added;
}

Ref ConstCache::Merge(Ref v) {
  if (v == nullptr) return v;
  if (Ref found = tables_->merged.Find(v)) return found;
  return Register(v);
}

Ref ConstCache::Register(Ref v) {
  Ref canonical = v;
  switch (v->type) {
    case Type::Str:
      if (IsInternedStringConstant(v->data)) return Interned(v->data);  // merged by Intern
      break;
    case Type::Tuple:
    case Type::FrozenSet:
      canonical = WithMergedItems(v);
      break;
    default:
      break;
  }
  // `canonical` has v's key (merging items keeps their keys), so v's hash.
  canonical->key_hash = v->key_hash;
  tables_->merged.Insert(canonical);
  return canonical;
}

Ref ConstCache::WithMergedItems(Ref v) {
  const std::span<const Ref> items = v->items;
  std::size_t i = 0;
  Ref merged = nullptr;
  for (; i < items.size(); ++i) {
    merged = Merge(items[i]);
    if (merged != items[i]) break;
  }
  if (i == items.size()) return v;  // the usual case: nothing to copy
  std::vector<Ref> copy(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(i));
  copy.reserve(items.size());
  copy.push_back(merged);
  for (++i; i < items.size(); ++i) copy.push_back(Merge(items[i]));
  return v->type == Type::Tuple ? heap_.Tuple(copy) : heap_.FrozenSet(copy);
}

template <class Allocate>
Ref ConstCache::MergeUnallocated(const Value& probe, bool items_merged, Allocate allocate) {
  if (Ref found = tables_->merged.Find(&probe)) return found;
  Ref v = allocate();
  v->key_hash = probe.key_hash;  // computed by Find
  if (!items_merged) return Register(v);
  tables_->merged.Insert(v);
  return v;
}

Ref ConstCache::MergeTuple(std::span<const Ref> items) {
  return MergeTupleOf(items, /*items_merged=*/false);
}

Ref ConstCache::MergeTupleOf(std::span<const Ref> items, bool items_merged) {
  Value probe;
  probe.type = Type::Tuple;
  probe.items = items;
  return MergeUnallocated(probe, items_merged, [&] { return heap_.Tuple(items); });
}

Ref ConstCache::NameTuple(const std::vector<std::string>& names) {
  if (names.empty()) {  // most freevars and cellvars
    if (tables_->empty_tuple == nullptr) tables_->empty_tuple = MergeTuple({});
    return tables_->empty_tuple;
  }
  std::vector<Ref>& items = tables_->name_refs;
  items.clear();
  bool all_merged = true;
  for (const std::string& n : names) {
    const InternedStr name = Intern(n);
    items.push_back(name.str);
    all_merged = all_merged && name.merged;
  }
  return MergeTupleOf(items, all_merged);
}

Ref ConstCache::MergedBytes(std::string_view raw) {
  Value probe;
  probe.type = Type::Bytes;
  probe.data = raw;
  return MergeUnallocated(probe, /*items_merged=*/true, [&] { return heap_.Bytes(raw); });
}

// Most units have a few constants: those are found by a scan, and the index
// is built only for units that outgrow it.
uint32_t ConstTable::Add(Ref merged) {
  // The cache hands out one Ref per constant key, so identity finds a key.
  const auto size = static_cast<uint32_t>(items_.size());
  if (size > kScannedItems) return AddIndexed(merged);
  for (uint32_t i = 0; i < size; ++i) {
    if (items_[i] == merged) return i;
  }
  if (size == kScannedItems) {
    IndexItems();
    return AddIndexed(merged);
  }
  items_.push_back(merged);
  return size;
}

[[gnu::noinline]] uint32_t ConstTable::AddIndexed(Ref merged) {
  const uint32_t hash = IdentityHash(merged);
  const PositionIndex::Probe probe =
      positions_.Find(hash, [&](uint32_t pos) { return items_[pos] == merged; });
  if (probe.position != PositionIndex::kAbsent) return probe.position;
  const auto pos = static_cast<uint32_t>(items_.size());
  positions_.InsertAt(probe, hash, pos);
  items_.push_back(merged);
  return pos;
}

void ConstTable::IndexItems() {
  positions_.Reset(items_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    positions_.Insert(IdentityHash(items_[i]), static_cast<uint32_t>(i));
  }
}

}  // namespace xpyc::codegen
