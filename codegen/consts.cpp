#include "codegen/consts.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace xpyc::codegen {
namespace {

using marshal::Type;
using marshal::Value;

uint64_t FloatBits(double d) { return std::bit_cast<uint64_t>(d); }

std::size_t Mix(std::size_t seed, std::size_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

std::size_t HashText(std::string_view s) { return std::hash<std::string_view>{}(s); }

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

std::size_t ConstantKeyHash(Ref v) {
  if (v == nullptr) return 0;
  std::size_t h = static_cast<std::size_t>(v->type) * 0x100000001b3ULL;
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
      return Mix(h, HashText(v->data));
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

bool IsAllNameChars(std::string_view utf8) {
  for (char c : utf8) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
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

struct KeyHash {
  std::size_t operator()(Ref v) const { return ConstantKeyHash(v); }
};
struct KeyEqual {
  bool operator()(Ref a, Ref b) const { return SameConstantKey(a, b); }
};

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return HashText(s); }
  std::size_t operator()(const std::string& s) const { return HashText(s); }
};

}  // namespace

struct ConstCache::Tables {
  std::unordered_map<Ref, Ref, KeyHash, KeyEqual> merged;
  std::unordered_map<std::string, Ref, TextHash, std::equal_to<>> interned;
};

ConstCache::ConstCache(marshal::Heap& heap) : heap_(heap), tables_(std::make_unique<Tables>()) {}
ConstCache::~ConstCache() = default;

Ref ConstCache::Interned(std::string_view utf8) {
  auto it = tables_->interned.find(utf8);
  if (it != tables_->interned.end()) return it->second;
  Ref s = heap_.Str(utf8, /*interned=*/true);
  tables_->interned.emplace(std::string(utf8), s);
  return s;
}

Ref ConstCache::Merge(Ref v) {
  if (v == nullptr) return v;
  auto found = tables_->merged.find(v);
  if (found != tables_->merged.end()) return found->second;
  Ref canonical = v;
  switch (v->type) {
    case Type::Str:
      if (IsInternedStringConstant(v->data)) canonical = Interned(v->data);
      break;
    case Type::Tuple:
    case Type::FrozenSet: {
      std::vector<Ref> items;
      items.reserve(v->items.size());
      bool changed = false;
      for (Ref item : v->items) {
        items.push_back(Merge(item));
        changed |= items.back() != item;
      }
      if (changed) {
        canonical = v->type == Type::Tuple ? heap_.Tuple(items) : heap_.FrozenSet(items);
      }
      break;
    }
    default:
      break;
  }
  tables_->merged.emplace(canonical, canonical);
  return canonical;
}

Ref ConstCache::NameTuple(const std::vector<std::string>& names) {
  std::vector<Ref> items;
  items.reserve(names.size());
  for (const std::string& n : names) items.push_back(Interned(n));
  return Merge(heap_.Tuple(items));
}

Ref ConstCache::MergedBytes(std::string_view raw) { return Merge(heap_.Bytes(raw)); }

struct ConstTable::Index {
  std::unordered_map<Ref, uint32_t, KeyHash, KeyEqual> positions;
};

ConstTable::ConstTable() : index_(std::make_unique<Index>()) {}
ConstTable::~ConstTable() = default;
ConstTable::ConstTable(ConstTable&&) noexcept = default;
ConstTable& ConstTable::operator=(ConstTable&&) noexcept = default;

uint32_t ConstTable::Add(Ref merged) {
  auto [it, inserted] =
      index_->positions.emplace(merged, static_cast<uint32_t>(items_.size()));
  if (inserted) items_.push_back(merged);
  return it->second;
}

struct NameTable::Index {
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> positions;
};

NameTable::NameTable() : index_(std::make_unique<Index>()) {}
NameTable::~NameTable() = default;
NameTable::NameTable(NameTable&&) noexcept = default;
NameTable& NameTable::operator=(NameTable&&) noexcept = default;

uint32_t NameTable::Add(std::string_view name) {
  auto it = index_->positions.find(name);
  if (it != index_->positions.end()) return it->second;
  const auto pos = static_cast<uint32_t>(items_.size());
  items_.emplace_back(name);
  index_->positions.emplace(std::string(name), pos);
  return pos;
}

int32_t NameTable::Find(std::string_view name) const {
  auto it = index_->positions.find(name);
  return it == index_->positions.end() ? -1 : static_cast<int32_t>(it->second);
}

}  // namespace xpyc::codegen
