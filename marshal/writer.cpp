// marshal version 4 writer. Two passes: the first counts how often each
// object (by identity) is reached, the second writes, flagging only objects
// reached more than once and numbering them in the order CPython's reader
// registers references (pre-order over flagged objects). The per-object
// state lives in Value::write_mark, so neither pass needs a lookup table.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <memory>
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

template <class Word>
Word Load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Whole words at a time (the last one overlapping): strings are the bulk of
// what a pyc holds.
bool IsAscii(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  uint64_t bits = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) bits |= Load<uint64_t>(p + i);
    bits |= Load<uint64_t>(p + n - 8);
  } else if (n >= 4) {
    bits = Load<uint32_t>(p) | Load<uint32_t>(p + n - 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) bits |= static_cast<unsigned char>(p[i]);
  }
  return (bits & 0x8080808080808080ULL) == 0;
}

// The Ref fields of a code object, in marshal order.
std::array<Ref, 9> CodeChildren(const CodeFields& c) {
  return {c.code, c.consts, c.names, c.varnames, c.freevars, c.cellvars, c.filename, c.name,
          c.linetable};
}

// Value::write_mark during a Write: how often the counting pass reached the
// object, then, for shared objects once written, 3 + the reference index.
constexpr uint32_t kUnseen = 0;
constexpr uint32_t kReachedOnce = 1;
constexpr uint32_t kShared = 2;  // reached again: flagged, not written yet
constexpr uint32_t kFirstRefIndex = 3;

// Writes through a cursor into a buffer of its own, grown geometrically
// without zero-filling (as std::string's resize would), and appends what was
// written to the caller's string once, in Finish.
class Output {
 public:
  Output(std::string& out, std::size_t capacity) : out_(out) { Allocate(capacity, 0); }

  // Room for `n` more bytes, to be filled by the caller.
  char* Take(std::size_t n) {
    if (static_cast<std::size_t>(end_ - cursor_) < n) [[unlikely]] Grow(n);
    char* p = cursor_;
    cursor_ += n;
    return p;
  }
  void Append(std::string_view s) {
    if (!s.empty()) std::memcpy(Take(s.size()), s.data(), s.size());
  }
  void Finish() { out_.append(buffer_.get(), Size()); }

 private:
  std::size_t Size() const { return static_cast<std::size_t>(cursor_ - buffer_.get()); }
  std::size_t Capacity() const { return static_cast<std::size_t>(end_ - buffer_.get()); }

  // A buffer of `capacity` bytes holding the first `kept` bytes of the old one.
  void Allocate(std::size_t capacity, std::size_t kept) {
    std::unique_ptr<char[]> grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (kept != 0) std::memcpy(grown.get(), buffer_.get(), kept);
    buffer_ = std::move(grown);
    cursor_ = buffer_.get() + kept;
    end_ = buffer_.get() + capacity;
  }

  [[gnu::noinline]] void Grow(std::size_t n) {
    Allocate(std::max(Capacity() * 2, Size() + n), Size());
  }

  std::string& out_;
  std::unique_ptr<char[]> buffer_;
  char* cursor_ = nullptr;  // the next byte to write, within buffer_
  char* end_ = nullptr;     // buffer_'s end: the room there is
};

constexpr std::size_t kMinCapacity = 4096;
constexpr std::size_t kKeyCapacity = 64;  // set items: mostly short constants

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
  Writer(std::string& out, std::size_t capacity, SetOrder& set_order)
      : out_(out, capacity), set_order_(set_order) {}

  void WriteRoot(Ref root) {
    CountReach(root);
    counted_ = true;
    WriteObject(root);
    out_.Finish();
    for (Ref v : reached_) v->write_mark = kUnseen;
  }

  // Without the counting pass nothing is flagged: the reference-free form.
  void WriteWithoutRefs(Ref v) {
    WriteObject(v);
    out_.Finish();
  }

 private:
  // --- pass 1 ---------------------------------------------------------
  void CountReach(Ref v) {
    if (v == nullptr || IsSingleton(v->type)) return;
    if (v->write_mark != kUnseen) {  // children were counted the first time
      v->write_mark = kShared;
      return;
    }
    v->write_mark = kReachedOnce;
    reached_.push_back(v);
    if (v->type == Type::Code || !v->items.empty()) CountChildren(v);
  }

  [[gnu::noinline]] void CountChildren(Ref v) {
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

  // --- pass 2 ---------------------------------------------------------
  void Byte(uint8_t b) { *out_.Take(1) = static_cast<char>(b); }

  void Int32(int32_t x) {
    auto u = static_cast<uint32_t>(x);
    char* p = out_.Take(4);
    for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(u >> (8 * i));
  }

  void Double(double d) {
    auto u = std::bit_cast<uint64_t>(d);
    char* p = out_.Take(8);
    for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(u >> (8 * i));
  }

  void SizedBytes(std::string_view s) {
    Int32(static_cast<int32_t>(s.size()));
    out_.Append(s);
  }

  // Writes the type byte, with FLAG_REF when `v` is reached again later.
  // Returns false when `v` was already written and a TYPE_REF went out instead.
  bool BeginObject(Ref v, uint8_t type_code) {
    if (WroteRef(v)) return false;
    TypeByte(v, type_code);
    return true;
  }

  // Writes a TYPE_REF when `v` was written before; returns whether it did.
  bool WroteRef(Ref v) {
    if (!counted_ || v->write_mark < kFirstRefIndex) return false;
    Byte(code::kRef);
    Int32(static_cast<int32_t>(v->write_mark - kFirstRefIndex));
    return true;
  }

  // The type byte of an object written now, flagged when it is shared.
  void TypeByte(Ref v, uint8_t type_code) {
    if (counted_ && v->write_mark == kShared) {
      v->write_mark = kFirstRefIndex + next_ref_index_++;
      type_code |= code::kFlagRef;
    }
    Byte(type_code);
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
    if (WroteRef(v)) return;  // before the ASCII scan: most strings are refs
    if (!IsAscii(v->data)) {
      TypeByte(v, v->interned ? code::kInterned : code::kUnicode);
      SizedBytes(v->data);
    } else if (v->data.size() < 256) {
      TypeByte(v, v->interned ? code::kShortAsciiInterned : code::kShortAscii);
      Byte(static_cast<uint8_t>(v->data.size()));
      out_.Append(v->data);
    } else {
      TypeByte(v, v->interned ? code::kAsciiInterned : code::kAscii);
      SizedBytes(v->data);
    }
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

  Output out_;
  SetOrder& set_order_;
  bool counted_ = false;      // pass 1 ran: write_mark says what to flag
  std::vector<Ref> reached_;  // whose write_mark to reset
  uint32_t next_ref_index_ = 0;
};

const std::string& SetOrder::KeyOf(Ref item) {
  auto it = keys_.find(item);
  if (it != keys_.end()) return it->second;
  std::string key;
  Writer(key, kKeyCapacity, *this).WriteWithoutRefs(item);
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

void Write(Ref root, std::string& out, std::size_t size_hint) {
  SetOrder set_order;
  Writer writer(out, std::max(size_hint, kMinCapacity), set_order);
  writer.WriteRoot(root);
}

}  // namespace xpyc::marshal
