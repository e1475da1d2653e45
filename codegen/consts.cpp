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


namespace xpyc::codegen {
namespace {

using marshal::Type;
using marshal::Value;

uint64_t FloatBits(double d) { return std::bit_cast<uint64_t>(d); }

std::size_t Mix(std::size_t seed, std::size_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

std::size_t HashText(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

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

// Constants keyed by CPython's constant key, with a value per entry: open
// addressing over a power-of-two table (every code object's constants,
// names tuples and bytecode go through one of these).
template <class V>
class ConstKeyMap {
 public:
  // The value stored for a constant with `key`'s key, or null.
  V* Find(Ref key) {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = KeyHash(key) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.key == nullptr) return nullptr;
      if (slot.key == key ||
          (slot.key->key_hash == key->key_hash && SameConstantKey(slot.key, key))) {
        return &slot.value;
      }
    }
  }
  // Adds `key` (not present yet) with `value`.
  void Insert(Ref key, V value) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Place(key, value);
    ++count_;
  }

 private:
  struct Slot {
    Ref key = nullptr;
    V value{};
  };
  void Place(Ref key, V value) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = KeyHash(key) & mask;
    while (slots_[i].key != nullptr) i = (i + 1) & mask;
    slots_[i] = Slot{key, value};
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.key != nullptr) Place(slot.key, slot.value);
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

struct ConstCache::Tables {
  ConstKeyMap<Ref> merged;
  std::vector<Ref> interned;        // the interned Strs, by first request
  PositionIndex interned_index;     // by text hash, into `interned`
  Ref empty_tuple = nullptr;        // merged, once asked for
  std::vector<Ref> name_refs;       // NameTuple's scratch
};

ConstCache::ConstCache(marshal::Heap& heap) : heap_(heap), tables_(std::make_unique<Tables>()) {}
ConstCache::~ConstCache() = default;

Ref ConstCache::Interned(std::string_view utf8) {
  std::vector<Ref>& refs = tables_->interned;
  const std::size_t text_hash = HashText(utf8);
  const auto short_hash = static_cast<uint32_t>(text_hash);
  const PositionIndex::Probe probe = tables_->interned_index.Find(
      short_hash, [&](uint32_t pos) { return refs[pos]->data == utf8; });
  if (probe.position != PositionIndex::kAbsent) return refs[probe.position];
  Ref str = heap_.Str(utf8, /*interned=*/true);
  StoreKeyHash(str, TextKeyHash(Type::Str, text_hash));  // the text is hashed already
  tables_->interned_index.InsertAt(probe, short_hash, static_cast<uint32_t>(refs.size()));
  refs.push_back(str);
  return str;
}

Ref ConstCache::Merge(Ref v) {
  if (v == nullptr) return v;
  if (Ref* found = tables_->merged.Find(v)) return *found;
  return Register(v);
}

Ref ConstCache::Register(Ref v) {
  Ref canonical = v;
  switch (v->type) {
    case Type::Str:
      if (IsInternedStringConstant(v->data)) canonical = Interned(v->data);
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
  tables_->merged.Insert(canonical, canonical);
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
Ref ConstCache::MergeUnallocated(const Value& probe, Allocate allocate) {
  if (Ref* found = tables_->merged.Find(&probe)) return *found;
  Ref v = allocate();
  v->key_hash = probe.key_hash;  // computed by Find
  return Register(v);
}

Ref ConstCache::MergeTuple(std::span<const Ref> items) {
  Value probe;
  probe.type = Type::Tuple;
  probe.items = items;
  return MergeUnallocated(probe, [&] { return heap_.Tuple(items); });
}

Ref ConstCache::NameTuple(const std::vector<std::string>& names) {
  if (names.empty()) {  // most freevars and cellvars
    if (tables_->empty_tuple == nullptr) tables_->empty_tuple = MergeTuple({});
    return tables_->empty_tuple;
  }
  std::vector<Ref>& items = tables_->name_refs;
  items.clear();
  for (const std::string& n : names) items.push_back(Interned(n));
  return MergeTuple(items);
}

Ref ConstCache::MergedBytes(std::string_view raw) {
  Value probe;
  probe.type = Type::Bytes;
  probe.data = raw;
  return MergeUnallocated(probe, [&] { return heap_.Bytes(raw); });
}

uint32_t ConstTable::Add(Ref merged) {
  // The cache hands out one Ref per constant key, so identity finds a key.
  const uint32_t hash = IdentityHash(merged);
  const PositionIndex::Probe probe =
      positions_.Find(hash, [&](uint32_t pos) { return items_[pos] == merged; });
  if (probe.position != PositionIndex::kAbsent) return probe.position;
  const auto pos = static_cast<uint32_t>(items_.size());
  positions_.InsertAt(probe, hash, pos);
  items_.push_back(merged);
  return pos;
}

}  // namespace xpyc::codegen
