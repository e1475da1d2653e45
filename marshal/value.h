#pragma once
// The value model: everything a 3.10 code object can hold. Values are
// immutable records allocated in a Heap (one per file being compiled) and
// referenced by `Ref`, a non-owning pointer that lives as long as its Heap.
//
// Identity matters: the writer emits FLAG_REF/TYPE_REF for a Ref that occurs
// twice, so producers that want CPython's sharing (one object for equal
// constants across a module, interned names) must hand out the same Ref.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "lexer/arena.h"

namespace xpyc::marshal {

enum class Type : uint8_t {
  Null,           // marshal's TYPE_NULL (only inside dicts on the wire)
  None,
  True,
  False,
  Ellipsis,
  StopIteration,
  Int,
  Float,
  Complex,
  Str,
  Bytes,
  Tuple,
  List,
  Dict,
  Set,
  FrozenSet,
  Code,
};

struct Value;
using Ref = const Value*;

// The fields of a CPython 3.10 code object, in marshal order.
struct CodeFields {
  int32_t argcount = 0;
  int32_t posonlyargcount = 0;
  int32_t kwonlyargcount = 0;
  int32_t nlocals = 0;
  int32_t stacksize = 0;
  int32_t flags = 0;
  Ref code = nullptr;       // Bytes
  Ref consts = nullptr;     // Tuple
  Ref names = nullptr;      // Tuple of Str
  Ref varnames = nullptr;   // Tuple of Str
  Ref freevars = nullptr;   // Tuple of Str
  Ref cellvars = nullptr;   // Tuple of Str
  Ref filename = nullptr;   // Str
  Ref name = nullptr;       // Str
  int32_t firstlineno = 0;
  Ref linetable = nullptr;  // Bytes
};

struct Value {
  Type type = Type::None;
  bool interned = false;  // Str: written with the interned type codes
  bool negative = false;  // Int: sign (never set for zero)
  // Scratch state of marshal::Write (how often the object is reached, then
  // its reference index); 0 outside a Write call. Values live in one
  // compilation's Heap, used by one thread.
  mutable uint32_t write_mark = 0;
  // Int: magnitude as 15-bit digits, least significant first; empty for 0.
  std::span<const uint16_t> digits;
  double real = 0.0;  // Float value, or Complex real part
  double imag = 0.0;  // Complex imaginary part
  // Str: UTF-8, with lone surrogates encoded as 3 bytes (surrogatepass),
  // exactly the bytes marshal writes. Bytes: the raw bytes.
  std::string_view data;
  // Tuple, List, Set, FrozenSet: the items. Dict: key, value, key, value, ...
  std::span<const Ref> items;
  const CodeFields* code = nullptr;  // Code
  // A cache for codegen's constant-key hash (consts.h), which keys every
  // constant of a module; 0 until computed. Values live in one compilation's
  // Heap, used by one thread.
  mutable std::size_t key_hash = 0;
};

class Heap {
 public:
  Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  Ref Null() const { return &null_; }
  Ref None() const { return &none_; }
  Ref True() const { return &true_; }
  Ref False() const { return &false_; }
  Ref Bool(bool b) const { return b ? True() : False(); }
  Ref Ellipsis() const { return &ellipsis_; }
  Ref StopIteration() const { return &stop_iteration_; }

  Ref Int(int64_t v);
  // Magnitude in 15-bit digits, least significant first (copied).
  Ref IntFromDigits(bool negative, std::span<const uint16_t> digits);
  // `text` holds digits of `base` (2, 8, 10 or 16), no prefix, no underscores
  // (an optional leading minus sign is accepted; malformed text gives 0).
  Ref IntFromText(std::string_view text, int base);
  Ref Float(double v);
  Ref Complex(double real, double imag);
  Ref Str(std::string_view utf8, bool interned = false);  // copied
  Ref Bytes(std::string_view raw);                       // copied
  Ref Tuple(std::span<const Ref> items);                  // copied
  Ref List(std::span<const Ref> items);
  Ref Dict(std::span<const Ref> keys_and_values);
  Ref Set(std::span<const Ref> items);
  Ref FrozenSet(std::span<const Ref> items);
  Ref Code(const CodeFields& fields);

  Arena& arena() { return arena_; }

 private:
  Arena arena_;
  Value null_, none_, true_, false_, ellipsis_, stop_iteration_;
};

// Int helpers. `AsInt64` is empty when the value does not fit.
std::optional<int64_t> AsInt64(Ref v);
std::string IntToDecimal(Ref v);

// Python's repr() of a value, as CPython 3.10 prints it: ints in decimal,
// floats shortest round-trip ('1e+16', 'inf', 'nan'), complex ('(1+2j)', '2j'),
// str and bytes with Python's quote choice and escapes, tuples and frozensets.
std::string Repr(Ref v);

// The pieces of Repr, for printers that walk values themselves.
std::string FloatRepr(double d);                   // repr(float): '1.0', '1e+16'
std::string ComplexRepr(double real, double imag);  // repr(complex): '(1+2j)'
std::string StrRepr(std::string_view utf8);         // repr(str), surrogatepass input
std::string BytesRepr(std::string_view raw);        // repr(bytes)
// str.isprintable() of one code point, per Unicode 13.0.0 (CPython 3.10).
bool IsPrintable(uint32_t code_point);

// Structural equality: same types and same contents, recursively (floats by
// bit pattern, so 0.0 and -0.0 differ, and a NaN equals itself).
bool StructurallyEqual(Ref a, Ref b);

}  // namespace xpyc::marshal
