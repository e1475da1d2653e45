// marshal version 4 writer. Two passes: the first counts how often each
// object (by identity) is reached, the second writes, flagging only objects
// reached more than once and numbering them in the order CPython's reader
// registers references (pre-order over flagged objects).
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "marshal/marshal.h"
#include "marshal/type_codes.h"

namespace xpyc::marshal {

namespace {

bool IsSingleton(Type t) {
  switch (t) {
    case Type::Null:
    case Type::None:
    case Type::True:
    case Type::False:
    case Type::Ellipsis:
    case Type::StopIteration:
      return true;
    case Type::Int:
    case Type::Float:
    case Type::Complex:
    case Type::Str:
    case Type::Bytes:
    case Type::Tuple:
    case Type::List:
    case Type::Dict:
    case Type::Set:
    case Type::FrozenSet:
    case Type::Code:
      return false;
  }
  return false;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The Ref fields of a code object, in marshal order.
std::array<Ref, 9> CodeChildren(const CodeFields& c) {
  return {c.code, c.consts, c.names, c.varnames, c.freevars, c.cellvars, c.filename, c.name,
          c.linetable};
}

class Writer;

// Per-object counters keyed by identity: open addressing over a power-of-two
// table (a module's pyc has tens of thousands of objects, each looked up
// in both passes).
class IdentityMap {
 public:
  // The counter of `key`, created as 0 when absent.
  uint32_t& operator[](Ref key) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Slot& slot = Probe(key);
    if (slot.key == nullptr) {
      slot.key = key;
      ++count_;
    }
    return slot.value;
  }
  // The counter of `key`, or null when absent.
  const uint32_t* Find(Ref key) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = const_cast<IdentityMap*>(this)->Probe(key);
    return slot.key == nullptr ? nullptr : &slot.value;
  }

 private:
  struct Slot {
    Ref key = nullptr;
    uint32_t value = 0;
  };
  Slot& Probe(Ref key) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = (reinterpret_cast<std::uintptr_t>(key) >> 4) * 0x9E3779B97F4A7C15ULL >> 20;
    for (i &= mask; slots_[i].key != nullptr && slots_[i].key != key; i = (i + 1) & mask) {
    }
    return slots_[i];
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.key != nullptr) Probe(slot.key) = slot;
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

// The canonical order of set items: by each item's marshal bytes written
// without references. The writer's counting pass asks for the keys
// bottom-up (inner sets first), so computing one key never has to compute
// another and the stack stays one frame group per nesting level.
class SetOrder {
 public:
  const std::string& KeyOf(Ref item);
  std::vector<Ref> Sorted(std::span<const Ref> items);

 private:
  std::unordered_map<Ref, std::string> keys_;
};

class Writer {
 public:
  Writer(std::string& out, SetOrder& set_order) : out_(out), set_order_(set_order) {}

  void WriteRoot(Ref root) {
    CountReach(root);
    WriteObject(root);
  }

  // Without the counting pass nothing is flagged: the reference-free form.
  void WriteWithoutRefs(Ref v) { WriteObject(v); }

 private:
  // --- pass 1 ---------------------------------------------------------
  [[gnu::noinline]] void CountReach(Ref v) {
    if (v == nullptr || IsSingleton(v->type)) return;
    if (!FirstReach(v)) return;  // children were counted the first time
    if (v->type == Type::Code) {
      for (Ref f : CodeChildren(*v->code)) CountReach(f);
      return;
    }
    for (Ref item : v->items) CountReach(item);
    if (v->type == Type::Set || v->type == Type::FrozenSet) PrepareSetKeys(v->items);
  }

  [[gnu::noinline]] void PrepareSetKeys(std::span<const Ref> items) {
    for (Ref item : items) set_order_.KeyOf(item);
  }

  [[gnu::noinline]] bool FirstReach(Ref v) { return reach_count_[v]++ == 0; }

  // --- pass 2 ---------------------------------------------------------
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }

  [[gnu::noinline]] void Int32(int32_t x) {
    auto u = static_cast<uint32_t>(x);
    char b[4] = {static_cast<char>(u), static_cast<char>(u >> 8), static_cast<char>(u >> 16),
                 static_cast<char>(u >> 24)};
    out_.append(b, 4);
  }

  [[gnu::noinline]] void Double(double d) {
    auto u = std::bit_cast<uint64_t>(d);
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(u >> (8 * i));
    out_.append(b, 8);
  }

  [[gnu::noinline]] void SizedBytes(std::string_view s) {
    Int32(static_cast<int32_t>(s.size()));
    out_.append(s);
  }

  // Writes the type byte, with FLAG_REF when `v` is reached again later.
  // Returns false when `v` was already written and a TYPE_REF went out instead.
  bool BeginObject(Ref v, uint8_t type_code) {
    const uint32_t* count = reach_count_.Find(v);
    if (count == nullptr || *count < 2) {
      Byte(type_code);
      return true;
    }
    // Indexes are stored + 1 so that 0 means "not written yet".
    uint32_t& index = ref_index_[v];
    if (index != 0) {
      Byte(code::kRef);
      Int32(static_cast<int32_t>(index - 1));
      return false;
    }
    index = static_cast<uint32_t>(next_ref_index_) + 1;
    ++next_ref_index_;
    Byte(type_code | code::kFlagRef);
    return true;
  }

  [[gnu::noinline]] void WriteObject(Ref v) {
    if (v == nullptr) {
      Byte(code::kNull);
      return;
    }
    switch (v->type) {
      case Type::Null:
        Byte(code::kNull);
        return;
      case Type::None:
        Byte(code::kNone);
        return;
      case Type::True:
        Byte(code::kTrue);
        return;
      case Type::False:
        Byte(code::kFalse);
        return;
      case Type::Ellipsis:
        Byte(code::kEllipsis);
        return;
      case Type::StopIteration:
        Byte(code::kStopIteration);
        return;
      case Type::Int:
        WriteInt(v);
        return;
      case Type::Float:
        if (BeginObject(v, code::kBinaryFloat)) Double(v->real);
        return;
      case Type::Complex:
        if (BeginObject(v, code::kBinaryComplex)) {
          Double(v->real);
          Double(v->imag);
        }
        return;
      case Type::Str:
        WriteStr(v);
        return;
      case Type::Bytes:
        if (BeginObject(v, code::kString)) SizedBytes(v->data);
        return;
      case Type::Tuple:
        WriteTuple(v);
        return;
      case Type::List:
        if (BeginObject(v, code::kList)) WriteCountedItems(v->items);
        return;
      case Type::Dict:
        WriteDict(v);
        return;
      case Type::Set:
        if (BeginObject(v, code::kSet)) WriteSetItems(v->items);
        return;
      case Type::FrozenSet:
        if (BeginObject(v, code::kFrozenSet)) WriteSetItems(v->items);
        return;
      case Type::Code:
        WriteCode(v);
        return;
    }
  }

  [[gnu::noinline]] void WriteInt(Ref v) {
    if (auto small = AsInt64(v); small && *small >= INT32_MIN && *small <= INT32_MAX) {
      if (BeginObject(v, code::kInt)) Int32(static_cast<int32_t>(*small));
      return;
    }
    if (!BeginObject(v, code::kLong)) return;
    auto n = static_cast<int32_t>(v->digits.size());
    Int32(v->negative ? -n : n);
    for (uint16_t d : v->digits) {
      Byte(static_cast<uint8_t>(d));
      Byte(static_cast<uint8_t>(d >> 8));
    }
  }

  [[gnu::noinline]] void WriteStr(Ref v) {
    if (IsAscii(v->data)) {
      if (v->data.size() < 256) {
        if (!BeginObject(v, v->interned ? code::kShortAsciiInterned : code::kShortAscii)) return;
        Byte(static_cast<uint8_t>(v->data.size()));
        out_.append(v->data);
      } else {
        if (BeginObject(v, v->interned ? code::kAsciiInterned : code::kAscii)) SizedBytes(v->data);
      }
      return;
    }
    if (BeginObject(v, v->interned ? code::kInterned : code::kUnicode)) SizedBytes(v->data);
  }

  void WriteTuple(Ref v) {
    if (v->items.size() < 256) {
      if (!BeginObject(v, code::kSmallTuple)) return;
      Byte(static_cast<uint8_t>(v->items.size()));
      for (Ref item : v->items) WriteObject(item);
      return;
    }
    if (BeginObject(v, code::kTuple)) WriteCountedItems(v->items);
  }

  void WriteCountedItems(std::span<const Ref> items) {
    Int32(static_cast<int32_t>(items.size()));
    for (Ref item : items) WriteObject(item);
  }

  void WriteDict(Ref v) {
    if (!BeginObject(v, code::kDict)) return;
    for (size_t i = 0; i + 1 < v->items.size(); i += 2) {
      WriteObject(v->items[i]);
      WriteObject(v->items[i + 1]);
    }
    Byte(code::kNull);
  }

  // Set items in a canonical order, so the output does not depend on how
  // the producer ordered them.
  [[gnu::noinline]] void WriteSetItems(std::span<const Ref> items) {
    Int32(static_cast<int32_t>(items.size()));
    for (Ref item : set_order_.Sorted(items)) WriteObject(item);
  }

  void WriteCode(Ref v) {
    if (!BeginObject(v, code::kCode)) return;
    const CodeFields& c = *v->code;
    Int32(c.argcount);
    Int32(c.posonlyargcount);
    Int32(c.kwonlyargcount);
    Int32(c.nlocals);
    Int32(c.stacksize);
    Int32(c.flags);
    WriteObject(c.code);
    WriteObject(c.consts);
    WriteObject(c.names);
    WriteObject(c.varnames);
    WriteObject(c.freevars);
    WriteObject(c.cellvars);
    WriteObject(c.filename);
    WriteObject(c.name);
    Int32(c.firstlineno);
    WriteObject(c.linetable);
  }

  std::string& out_;
  SetOrder& set_order_;
  IdentityMap reach_count_;
  IdentityMap ref_index_;
  int32_t next_ref_index_ = 0;
};

const std::string& SetOrder::KeyOf(Ref item) {
  auto it = keys_.find(item);
  if (it != keys_.end()) return it->second;
  std::string key;
  Writer(key, *this).WriteWithoutRefs(item);
  return keys_.emplace(item, std::move(key)).first->second;
}

std::vector<Ref> SetOrder::Sorted(std::span<const Ref> items) {
  std::vector<Ref> sorted(items.begin(), items.end());
  for (Ref item : sorted) KeyOf(item);  // fill the memo before sorting
  std::stable_sort(sorted.begin(), sorted.end(),
                   [this](Ref a, Ref b) { return keys_.find(a)->second < keys_.find(b)->second; });
  return sorted;
}

}  // namespace

void Write(Ref root, std::string& out) {
  SetOrder set_order;
  Writer writer(out, set_order);
  writer.WriteRoot(root);
}

}  // namespace xpyc::marshal
