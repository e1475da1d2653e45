#include "marshal/value.h"

#include "marshal/bigint.h"

#include <bit>
#include <cstring>
#include <vector>

namespace xpyc::marshal {

namespace {

constexpr int kDigitBits = kIntDigitBits;
constexpr uint16_t kDigitMask = (1u << kDigitBits) - 1;

Value MakeSingleton(Type t) {
  Value v;
  v.type = t;
  return v;
}

}  // namespace

Heap::Heap()
    : null_(MakeSingleton(Type::Null)),
      none_(MakeSingleton(Type::None)),
      true_(MakeSingleton(Type::True)),
      false_(MakeSingleton(Type::False)),
      ellipsis_(MakeSingleton(Type::Ellipsis)),
      stop_iteration_(MakeSingleton(Type::StopIteration)) {}

Ref Heap::Int(int64_t v) {
  uint16_t buf[5];
  size_t n = 0;
  // Magnitude as unsigned so INT64_MIN works.
  uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  while (mag != 0) {
    buf[n++] = static_cast<uint16_t>(mag & kDigitMask);
    mag >>= kDigitBits;
  }
  return IntFromDigits(v < 0, std::span<const uint16_t>(buf, n));
}

Ref Heap::IntFromDigits(bool negative, std::span<const uint16_t> digits) {
  while (!digits.empty() && digits.back() == 0) digits = digits.first(digits.size() - 1);
  Value* v = arena_.New<Value>();
  v->type = Type::Int;
  v->negative = negative && !digits.empty();
  v->digits = arena_.Copy(digits);
  return v;
}

Ref Heap::IntFromText(std::string_view text, int base) {
  std::string nul_terminated(text);
  Mpz z;
  if (nul_terminated.empty() || mpz_set_str(z.get(), nul_terminated.c_str(), base) != 0) {
    mpz_set_ui(z.get(), 0);
  }
  return IntFromMpz(*this, z.get());
}

Ref Heap::Float(double d) {
  Value* v = arena_.New<Value>();
  v->type = Type::Float;
  v->real = d;
  return v;
}

Ref Heap::Complex(double real, double imag) {
  Value* v = arena_.New<Value>();
  v->type = Type::Complex;
  v->real = real;
  v->imag = imag;
  return v;
}

Ref Heap::Str(std::string_view utf8, bool interned) {
  Value* v = arena_.New<Value>();
  v->type = Type::Str;
  v->interned = interned;
  v->data = arena_.CopyString(utf8);
  return v;
}

Ref Heap::Bytes(std::string_view raw) {
  Value* v = arena_.New<Value>();
  v->type = Type::Bytes;
  v->data = arena_.CopyString(raw);
  return v;
}

namespace {
Ref MakeContainer(Arena& arena, Type t, std::span<const Ref> items) {
  Value* v = arena.New<Value>();
  v->type = t;
  v->items = arena.Copy(items);
  return v;
}
}  // namespace

Ref Heap::Tuple(std::span<const Ref> items) { return MakeContainer(arena_, Type::Tuple, items); }
Ref Heap::List(std::span<const Ref> items) { return MakeContainer(arena_, Type::List, items); }
Ref Heap::Dict(std::span<const Ref> kv) { return MakeContainer(arena_, Type::Dict, kv); }
Ref Heap::Set(std::span<const Ref> items) { return MakeContainer(arena_, Type::Set, items); }
Ref Heap::FrozenSet(std::span<const Ref> items) {
  return MakeContainer(arena_, Type::FrozenSet, items);
}

Ref Heap::Code(const CodeFields& fields) {
  Value* v = arena_.New<Value>();
  v->type = Type::Code;
  v->code = arena_.New<CodeFields>(fields);
  return v;
}

std::optional<int64_t> AsInt64(Ref v) {
  if (v == nullptr || v->type != Type::Int) return std::nullopt;
  // 64 bits of magnitude need at most 5 digits; INT64_MIN's magnitude is 2^63.
  if (v->digits.size() > 5) return std::nullopt;
  unsigned __int128 mag = 0;
  for (size_t i = v->digits.size(); i-- > 0;) mag = (mag << kDigitBits) | v->digits[i];
  constexpr unsigned __int128 kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (!v->negative) {
    if (mag > kMaxPositive) return std::nullopt;
    return static_cast<int64_t>(mag);
  }
  if (mag > kMaxPositive + 1) return std::nullopt;
  return static_cast<int64_t>(0 - static_cast<uint64_t>(mag));
}

void IntToMpz(Ref v, mpz_ptr out) {
  if (v->digits.empty()) {
    mpz_set_ui(out, 0);
    return;
  }
  // Order -1: least significant word first; nails leave 15 bits per word.
  mpz_import(out, v->digits.size(), -1, sizeof(uint16_t), 0, 16 - kDigitBits,
             v->digits.data());
  if (v->negative) mpz_neg(out, out);
}

Ref IntFromMpz(Heap& heap, mpz_srcptr z) {
  if (mpz_sgn(z) == 0) return heap.IntFromDigits(false, {});
  std::vector<uint16_t> digits((mpz_sizeinbase(z, 2) + kDigitBits - 1) / kDigitBits);
  size_t written = 0;
  mpz_export(digits.data(), &written, -1, sizeof(uint16_t), 0, 16 - kDigitBits, z);  // |z|
  digits.resize(written);
  return heap.IntFromDigits(mpz_sgn(z) < 0, digits);
}

std::string IntToDecimal(Ref v) {
  if (v == nullptr || v->type != Type::Int) return {};
  if (auto small = AsInt64(v)) return std::to_string(*small);
  Mpz z;
  IntToMpz(v, z.get());
  std::string out(mpz_sizeinbase(z.get(), 10) + 2, '\0');
  mpz_get_str(out.data(), 10, z.get());
  out.resize(std::strlen(out.c_str()));
  return out;
}

namespace {

bool SameDouble(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

bool SameItems(std::span<const Ref> a, std::span<const Ref> b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!StructurallyEqual(a[i], b[i])) return false;
  }
  return true;
}

bool SameCode(const CodeFields& a, const CodeFields& b) {
  return a.argcount == b.argcount && a.posonlyargcount == b.posonlyargcount &&
         a.kwonlyargcount == b.kwonlyargcount && a.nlocals == b.nlocals &&
         a.stacksize == b.stacksize && a.flags == b.flags &&
         a.firstlineno == b.firstlineno && StructurallyEqual(a.code, b.code) &&
         StructurallyEqual(a.consts, b.consts) && StructurallyEqual(a.names, b.names) &&
         StructurallyEqual(a.varnames, b.varnames) &&
         StructurallyEqual(a.freevars, b.freevars) &&
         StructurallyEqual(a.cellvars, b.cellvars) &&
         StructurallyEqual(a.filename, b.filename) && StructurallyEqual(a.name, b.name) &&
         StructurallyEqual(a.linetable, b.linetable);
}

}  // namespace

bool StructurallyEqual(Ref a, Ref b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr || a->type != b->type) return false;
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
      return SameDouble(a->real, b->real);
    case Type::Complex:
      return SameDouble(a->real, b->real) && SameDouble(a->imag, b->imag);
    case Type::Str:
    case Type::Bytes:
      return a->data == b->data;
    case Type::Tuple:
    case Type::List:
    case Type::Dict:
    case Type::Set:
    case Type::FrozenSet:
      return SameItems(a->items, b->items);
    case Type::Code:
      return SameCode(*a->code, *b->code);
  }
  return false;
}

}  // namespace xpyc::marshal
