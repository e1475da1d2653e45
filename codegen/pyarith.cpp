#include "codegen/pyarith.h"

#include "marshal/bigint.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace xpyc::pyarith {

namespace {

using marshal::Type;

using marshal::IntFromMpz;
using marshal::Mpz;
constexpr int kDigitBits = marshal::kIntDigitBits;

bool IsBool(Ref v) { return v->type == Type::True || v->type == Type::False; }

// An int operand's value; a bool counts as 0 or 1, as in Python.
void LoadInt(Ref v, mpz_ptr out) {
  if (v->type == Type::True) {
    mpz_set_ui(out, 1);
  } else if (v->type != Type::Int) {
    mpz_set_ui(out, 0);
  } else {
    marshal::IntToMpz(v, out);
  }
}

// a / b correctly rounded to a double (round half to even, subnormals
// included), as CPython's int true division and int-to-float conversion.
// Empty when the result overflows a double. `b` must not be zero.
std::optional<double> RatioToDouble(mpz_srcptr a, mpz_srcptr b) {
  bool negative = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
  if (mpz_sgn(a) == 0) return negative ? -0.0 : 0.0;
  Mpz num, den, q, r;
  mpz_abs(num.get(), a);
  mpz_abs(den.get(), b);
  long na = static_cast<long>(mpz_sizeinbase(num.get(), 2));
  long nb = static_cast<long>(mpz_sizeinbase(den.get(), 2));
  if (na - nb > 1025) return std::nullopt;
  if (nb - na > 1100) return negative ? -0.0 : 0.0;
  // Scale so that the quotient has 55 or 56 bits: two beyond a double's 53.
  long s = 55 - (na - nb);
  if (s >= 0) {
    mpz_mul_2exp(num.get(), num.get(), static_cast<mp_bitcnt_t>(s));
  } else {
    mpz_mul_2exp(den.get(), den.get(), static_cast<mp_bitcnt_t>(-s));
  }
  mpz_tdiv_qr(q.get(), r.get(), num.get(), den.get());
  bool sticky = mpz_sgn(r.get()) != 0;
  long length = static_cast<long>(mpz_sizeinbase(q.get(), 2));
  long exponent = length - s;  // value in [2**(exponent-1), 2**exponent)
  if (exponent > 1024) return std::nullopt;
  long precision = std::min(53L, exponent + 1074);  // fewer bits when subnormal
  if (precision < 0) return negative ? -0.0 : 0.0;
  long drop = length - precision;  // at least 2
  Mpz mant, rest, half;
  mpz_fdiv_q_2exp(mant.get(), q.get(), static_cast<mp_bitcnt_t>(drop));
  mpz_fdiv_r_2exp(rest.get(), q.get(), static_cast<mp_bitcnt_t>(drop));
  mpz_set_ui(half.get(), 1);
  mpz_mul_2exp(half.get(), half.get(), static_cast<mp_bitcnt_t>(drop - 1));
  int cmp = mpz_cmp(rest.get(), half.get());
  bool round_up = cmp > 0 || (cmp == 0 && (sticky || mpz_odd_p(mant.get())));
  if (round_up) mpz_add_ui(mant.get(), mant.get(), 1);
  double m = static_cast<double>(mpz_get_ui(mant.get()));
  double result = std::ldexp(m, static_cast<int>(drop - s));
  if (std::isinf(result)) return std::nullopt;
  return negative ? -result : result;
}

std::optional<double> IntToDouble(Ref v) {
  Mpz a, one;
  LoadInt(v, a.get());
  mpz_set_ui(one.get(), 1);
  return RatioToDouble(a.get(), one.get());
}

enum class NumKind { Int, Float, Complex, None };

NumKind NumberKind(Ref v) {
  switch (v->type) {
    case Type::Int:
    case Type::True:
    case Type::False:
      return NumKind::Int;
    case Type::Float:
      return NumKind::Float;
    case Type::Complex:
      return NumKind::Complex;
    default:
      return NumKind::None;
  }
}

// ---------------------------------------------------------------- floats

struct FloatDivMod {
  double floordiv;
  double mod;
};

// CPython's float divmod (wx != 0): fmod, then fix the sign of the
// remainder and round the quotient.
FloatDivMod DivModFloat(double vx, double wx) {
  double mod = std::fmod(vx, wx);
  double div = (vx - mod) / wx;
  if (mod != 0.0) {
    if ((wx < 0) != (mod < 0)) {
      mod += wx;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, wx);
  }
  double floordiv;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, vx / wx);
  }
  return {floordiv, mod};
}

double RemainderFloat(double vx, double wx) {
  double mod = std::fmod(vx, wx);
  if (mod != 0.0) {
    if ((wx < 0) != (mod < 0)) mod += wx;
  } else {
    mod = std::copysign(0.0, wx);
  }
  return mod;
}

bool IsOddInteger(double w) { return std::fmod(std::fabs(w), 2.0) == 1.0; }

struct Complex {
  double real;
  double imag;
};

Ref ComplexPower(Heap& heap, Complex a, Complex b);

// float ** float with CPython's special cases; a negative base with a
// non-integral exponent gives a complex result.
Ref FloatPower(Heap& heap, double iv, double iw) {
  if (iw == 0.0) return heap.Float(1.0);
  if (std::isnan(iv)) return heap.Float(iv);
  if (std::isnan(iw)) return heap.Float(iv == 1.0 ? 1.0 : iw);
  if (std::isinf(iw)) {
    double av = std::fabs(iv);
    if (av == 1.0) return heap.Float(1.0);
    if ((iw > 0.0) == (av > 1.0)) return heap.Float(std::fabs(iw));
    return heap.Float(0.0);
  }
  if (std::isinf(iv)) {
    bool odd = IsOddInteger(iw);
    if (iw > 0.0) return heap.Float(odd ? iv : std::fabs(iv));
    return heap.Float(odd ? std::copysign(0.0, iv) : 0.0);
  }
  if (iv == 0.0) {
    if (iw < 0.0) return nullptr;  // ZeroDivisionError
    return heap.Float(IsOddInteger(iw) ? iv : 0.0);
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw)) return ComplexPower(heap, {iv, 0.0}, {iw, 0.0});
    iv = -iv;
    negate = IsOddInteger(iw);
  }
  if (iv == 1.0) return heap.Float(negate ? -1.0 : 1.0);
  errno = 0;
  double ix = std::pow(iv, iw);
  int err = errno;
  if (negate) ix = -ix;
  if (std::isinf(ix)) {
    if (err == 0) err = ERANGE;
  } else if (err == ERANGE && ix == 0.0) {
    err = 0;
  }
  if (err != 0) return nullptr;
  return heap.Float(ix);
}

Ref FloatBinary(Heap& heap, ast::Operator op, double x, double y) {
  using ast::Operator;
  switch (op) {
    case Operator::Add:
      return heap.Float(x + y);
    case Operator::Sub:
      return heap.Float(x - y);
    case Operator::Mult:
      return heap.Float(x * y);
    case Operator::Div:
      if (y == 0.0) return nullptr;
      return heap.Float(x / y);
    case Operator::FloorDiv:
      if (y == 0.0) return nullptr;
      return heap.Float(DivModFloat(x, y).floordiv);
    case Operator::Mod:
      if (y == 0.0) return nullptr;
      return heap.Float(RemainderFloat(x, y));
    case Operator::Pow:
      return FloatPower(heap, x, y);
    case Operator::MatMult:
    case Operator::LShift:
    case Operator::RShift:
    case Operator::BitOr:
    case Operator::BitXor:
    case Operator::BitAnd:
      return nullptr;
  }
  return nullptr;
}

// --------------------------------------------------------------- complex

Complex Product(Complex a, Complex b) {
  return {a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real};
}

// CPython's complex quotient (Smith's method); sets `zero_division` for a
// zero divisor.
Complex Quotient(Complex a, Complex b, bool& zero_division) {
  double abs_breal = b.real < 0 ? -b.real : b.real;
  double abs_bimag = b.imag < 0 ? -b.imag : b.imag;
  if (abs_breal >= abs_bimag) {
    if (abs_breal == 0.0) {
      zero_division = true;
      return {0.0, 0.0};
    }
    double ratio = b.imag / b.real;
    double denom = b.real + b.imag * ratio;
    return {(a.real + a.imag * ratio) / denom, (a.imag - a.real * ratio) / denom};
  }
  if (abs_bimag >= abs_breal) {
    double ratio = b.real / b.imag;
    double denom = b.real * ratio + b.imag;
    return {(a.real * ratio + a.imag) / denom, (a.imag * ratio - a.real) / denom};
  }
  return {std::nan(""), std::nan("")};  // a NaN in the divisor
}

// Exponentiation by squaring for a small positive integral exponent.
Complex PowerUnsigned(Complex x, long n) {
  Complex r{1.0, 0.0};
  Complex p = x;
  long mask = 1;
  while (mask > 0 && n >= mask) {
    if (n & mask) r = Product(r, p);
    mask <<= 1;
    p = Product(p, p);
  }
  return r;
}

// The general complex power (polar form); may set `zero_division`.
Complex PowerGeneral(Complex a, Complex b, bool& zero_division) {
  if (b.real == 0.0 && b.imag == 0.0) return {1.0, 0.0};
  if (a.real == 0.0 && a.imag == 0.0) {
    if (b.imag != 0.0 || b.real < 0.0) zero_division = true;
    return {0.0, 0.0};
  }
  double vabs = std::hypot(a.real, a.imag);
  double len = std::pow(vabs, b.real);
  double at = std::atan2(a.imag, a.real);
  double phase = at * b.real;
  if (b.imag != 0.0) {
    len /= std::exp(at * b.imag);
    phase += b.imag * std::log(vabs);
  }
  return {len * std::cos(phase), len * std::sin(phase)};
}

Ref ComplexPower(Heap& heap, Complex a, Complex b) {
  errno = 0;
  bool zero_division = false;
  Complex p;
  bool small_integral = b.imag == 0.0 && std::isfinite(b.real) &&
                        b.real == std::floor(b.real) && std::fabs(b.real) <= 100.0;
  if (small_integral) {
    long n = static_cast<long>(b.real);
    if (n > 0) {
      p = PowerUnsigned(a, n);
    } else {
      p = Quotient({1.0, 0.0}, PowerUnsigned(a, -n), zero_division);
    }
  } else {
    p = PowerGeneral(a, b, zero_division);
  }
  int err = errno;
  if (std::isinf(p.real) || std::isinf(p.imag)) {
    if (err == 0) err = ERANGE;
  } else if (err == ERANGE) {
    err = 0;
  }
  if (zero_division || err != 0) return nullptr;
  return heap.Complex(p.real, p.imag);
}

Ref ComplexBinary(Heap& heap, ast::Operator op, Complex a, Complex b) {
  using ast::Operator;
  switch (op) {
    case Operator::Add:
      return heap.Complex(a.real + b.real, a.imag + b.imag);
    case Operator::Sub:
      return heap.Complex(a.real - b.real, a.imag - b.imag);
    case Operator::Mult: {
      Complex p = Product(a, b);
      return heap.Complex(p.real, p.imag);
    }
    case Operator::Div: {
      bool zero_division = false;
      Complex q = Quotient(a, b, zero_division);
      if (zero_division) return nullptr;
      return heap.Complex(q.real, q.imag);
    }
    case Operator::Pow:
      return ComplexPower(heap, a, b);
    case Operator::FloorDiv:
    case Operator::Mod:
    case Operator::MatMult:
    case Operator::LShift:
    case Operator::RShift:
    case Operator::BitOr:
    case Operator::BitXor:
    case Operator::BitAnd:
      return nullptr;
  }
  return nullptr;
}

// ------------------------------------------------------------------ ints

// Results above this many bits are refused (CPython would spend unbounded
// time and memory; the optimizer's limits keep folds far below it).
constexpr unsigned long kMaxResultBits = 1ul << 24;

Ref IntPower(Heap& heap, mpz_srcptr x, mpz_srcptr y) {
  if (mpz_sgn(y) < 0) {
    if (mpz_sgn(x) == 0) return nullptr;  // ZeroDivisionError
    Mpz one;
    mpz_set_ui(one.get(), 1);
    auto fx = RatioToDouble(x, one.get());
    auto fy = RatioToDouble(y, one.get());
    if (!fx || !fy) return nullptr;
    return FloatPower(heap, *fx, *fy);
  }
  Mpz r;
  if (mpz_cmpabs_ui(x, 1) <= 0) {
    // 0, 1 and -1 stay small for any exponent.
    if (mpz_sgn(y) == 0) {
      mpz_set_ui(r.get(), 1);
    } else if (mpz_sgn(x) == 0) {
      mpz_set_ui(r.get(), 0);
    } else {
      mpz_set(r.get(), x);
      if (mpz_sgn(x) < 0 && mpz_even_p(y)) mpz_neg(r.get(), r.get());
    }
    return IntFromMpz(heap, r.get());
  }
  if (!mpz_fits_ulong_p(y)) return nullptr;
  unsigned long e = mpz_get_ui(y);
  if (e != 0 && mpz_sizeinbase(x, 2) > kMaxResultBits / e) return nullptr;
  mpz_pow_ui(r.get(), x, e);
  return IntFromMpz(heap, r.get());
}

Ref IntBinary(Heap& heap, ast::Operator op, Ref a, Ref b) {
  using ast::Operator;
  Mpz x, y, r;
  LoadInt(a, x.get());
  LoadInt(b, y.get());
  switch (op) {
    case Operator::Add:
      mpz_add(r.get(), x.get(), y.get());
      break;
    case Operator::Sub:
      mpz_sub(r.get(), x.get(), y.get());
      break;
    case Operator::Mult:
      mpz_mul(r.get(), x.get(), y.get());
      break;
    case Operator::Div: {
      if (mpz_sgn(y.get()) == 0) return nullptr;
      auto d = RatioToDouble(x.get(), y.get());
      if (!d) return nullptr;
      return heap.Float(*d);
    }
    case Operator::FloorDiv:
      if (mpz_sgn(y.get()) == 0) return nullptr;
      mpz_fdiv_q(r.get(), x.get(), y.get());
      break;
    case Operator::Mod:
      if (mpz_sgn(y.get()) == 0) return nullptr;
      mpz_fdiv_r(r.get(), x.get(), y.get());
      break;
    case Operator::Pow:
      return IntPower(heap, x.get(), y.get());
    case Operator::LShift:
      if (mpz_sgn(y.get()) < 0) return nullptr;  // ValueError
      if (mpz_sgn(x.get()) != 0) {
        if (!mpz_fits_ulong_p(y.get()) || mpz_get_ui(y.get()) > kMaxResultBits) return nullptr;
        mpz_mul_2exp(r.get(), x.get(), mpz_get_ui(y.get()));
      }
      break;
    case Operator::RShift:
      if (mpz_sgn(y.get()) < 0) return nullptr;  // ValueError
      if (!mpz_fits_ulong_p(y.get()) ||
          mpz_get_ui(y.get()) >= mpz_sizeinbase(x.get(), 2) + 1) {
        mpz_set_si(r.get(), mpz_sgn(x.get()) < 0 ? -1 : 0);
      } else {
        mpz_fdiv_q_2exp(r.get(), x.get(), mpz_get_ui(y.get()));
      }
      break;
    case Operator::BitOr:
    case Operator::BitXor:
    case Operator::BitAnd: {
      if (op == Operator::BitOr) mpz_ior(r.get(), x.get(), y.get());
      if (op == Operator::BitXor) mpz_xor(r.get(), x.get(), y.get());
      if (op == Operator::BitAnd) mpz_and(r.get(), x.get(), y.get());
      // bool & bool stays a bool.
      if (IsBool(a) && IsBool(b)) return heap.Bool(mpz_sgn(r.get()) != 0);
      break;
    }
    case Operator::MatMult:
      return nullptr;
  }
  return IntFromMpz(heap, r.get());
}

// ------------------------------------------------------------- sequences

size_t CodePointCount(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

Ref Concat(Heap& heap, Ref a, Ref b) {
  if (a->type != b->type) return nullptr;
  switch (a->type) {
    case Type::Str:
    case Type::Bytes: {
      std::string joined(a->data);
      joined += b->data;
      return a->type == Type::Str ? heap.Str(joined) : heap.Bytes(joined);
    }
    case Type::Tuple: {
      std::vector<Ref> items(a->items.begin(), a->items.end());
      items.insert(items.end(), b->items.begin(), b->items.end());
      return heap.Tuple(items);
    }
    default:
      return nullptr;
  }
}

// seq * count (count is an int or bool).
Ref Repeat(Heap& heap, Ref seq, Ref count) {
  if (seq->type != Type::Str && seq->type != Type::Bytes && seq->type != Type::Tuple) {
    return nullptr;
  }
  auto n = IntAsLong(count);
  if (!n) return nullptr;  // OverflowError: cannot fit into an index-sized int
  int64_t times = *n < 0 ? 0 : *n;
  size_t unit = seq->type == Type::Tuple ? seq->items.size() : seq->data.size();
  if (unit != 0 && static_cast<uint64_t>(times) > (uint64_t{1} << 28) / unit) {
    return nullptr;  // far beyond any limit the optimizer lets through
  }
  if (unit == 0) times = 0;
  if (seq->type == Type::Tuple) {
    std::vector<Ref> items;
    items.reserve(unit * static_cast<size_t>(times));
    for (int64_t i = 0; i < times; ++i) items.insert(items.end(), seq->items.begin(), seq->items.end());
    return heap.Tuple(items);
  }
  std::string out;
  out.reserve(unit * static_cast<size_t>(times));
  for (int64_t i = 0; i < times; ++i) out += seq->data;
  return seq->type == Type::Str ? heap.Str(out) : heap.Bytes(out);
}

// Byte offset and length of the code point number `index` of a UTF-8 str.
std::string_view CodePointAt(std::string_view utf8, size_t index) {
  size_t seen = 0;
  for (size_t i = 0; i < utf8.size();) {
    size_t len = 1;
    while (i + len < utf8.size() && (static_cast<unsigned char>(utf8[i + len]) & 0xC0) == 0x80) {
      ++len;
    }
    if (seen == index) return utf8.substr(i, len);
    ++seen;
    i += len;
  }
  return {};
}

// ------------------------------------------------------------- equality

struct NumberView {
  bool is_int = false;
  Ref int_value = nullptr;
  double real = 0.0;
  double imag = 0.0;
};

NumberView ViewNumber(Ref v) {
  NumberView n;
  switch (NumberKind(v)) {
    case NumKind::Int:
      n.is_int = true;
      n.int_value = v;
      break;
    case NumKind::Float:
      n.real = v->real;
      break;
    case NumKind::Complex:
      n.real = v->real;
      n.imag = v->imag;
      break;
    case NumKind::None:
      break;
  }
  return n;
}

// An int equals a float only when the float is integral with that value.
bool IntEqualsDouble(Ref i, double d) {
  if (!std::isfinite(d) || d != std::floor(d)) return false;
  Mpz x, y;
  LoadInt(i, x.get());
  mpz_set_d(y.get(), d);
  return mpz_cmp(x.get(), y.get()) == 0;
}

bool NumbersEqual(Ref a, Ref b) {
  NumberView x = ViewNumber(a), y = ViewNumber(b);
  if (x.is_int && y.is_int) {
    Mpz p, q;
    LoadInt(a, p.get());
    LoadInt(b, q.get());
    return mpz_cmp(p.get(), q.get()) == 0;
  }
  if (x.is_int) return y.imag == 0.0 && IntEqualsDouble(a, y.real);
  if (y.is_int) return x.imag == 0.0 && IntEqualsDouble(b, x.real);
  return x.real == y.real && x.imag == y.imag;
}

constexpr uint64_t kHashModulus = (uint64_t{1} << 61) - 1;

size_t MixHash(size_t h, size_t v) { return h * 1000003u ^ v; }

// A hash consistent with ValuesEqual (equal numbers of any type hash alike).
size_t ValueHash(Ref v) {
  switch (v->type) {
    case Type::Int:
    case Type::True:
    case Type::False: {
      Mpz x;
      LoadInt(v, x.get());
      size_t h = mpz_fdiv_ui(x.get(), kHashModulus);
      return h;
    }
    case Type::Float:
    case Type::Complex: {
      if (v->type == Type::Complex && v->imag != 0.0) {
        return MixHash(std::hash<double>{}(v->real + 0.0), std::hash<double>{}(v->imag));
      }
      double d = v->real;
      if (std::isnan(d)) return std::hash<const void*>{}(v);
      if (std::isfinite(d) && d == std::floor(d)) {
        Mpz x;
        mpz_set_d(x.get(), d);
        return mpz_fdiv_ui(x.get(), kHashModulus);
      }
      return std::hash<double>{}(d);
    }
    case Type::Str:
    case Type::Bytes:
      return MixHash(static_cast<size_t>(v->type), std::hash<std::string_view>{}(v->data));
    case Type::Tuple: {
      size_t h = 0x345678;
      for (Ref item : v->items) h = MixHash(h, ValueHash(item));
      return h;
    }
    case Type::FrozenSet: {
      size_t h = v->items.size();
      for (Ref item : v->items) h ^= ValueHash(item) * 0x9E3779B97F4A7C15ull;
      return h;
    }
    default:
      return static_cast<size_t>(v->type) * 0x9E3779B97F4A7C15ull;
  }
}

}  // namespace

// ---------------------------------------------------------------- public

bool IsInt(Ref v) { return NumberKind(v) == NumKind::Int; }

std::size_t IntBitLength(Ref v) {
  if (v->type == Type::True) return 1;
  if (v->type != Type::Int || v->digits.empty()) return 0;
  size_t top = v->digits.back();
  size_t bits = 0;
  while (top != 0) {
    ++bits;
    top >>= 1;
  }
  return (v->digits.size() - 1) * kDigitBits + bits;
}

std::optional<int64_t> IntAsLong(Ref v) {
  if (!IsInt(v)) return std::nullopt;
  if (IsBool(v)) return v->type == Type::True ? 1 : 0;
  return marshal::AsInt64(v);
}

std::size_t Length(Ref v) {
  switch (v->type) {
    case Type::Str:
      return CodePointCount(v->data);
    case Type::Bytes:
      return v->data.size();
    case Type::Tuple:
    case Type::FrozenSet:
      return v->items.size();
    default:
      return 0;
  }
}

bool IsTrue(Ref v) {
  switch (v->type) {
    case Type::None:
    case Type::False:
    case Type::Null:
      return false;
    case Type::Int:
      return !v->digits.empty();
    case Type::Float:
      return v->real != 0.0;
    case Type::Complex:
      return v->real != 0.0 || v->imag != 0.0;
    case Type::Str:
    case Type::Bytes:
      return !v->data.empty();
    case Type::Tuple:
    case Type::List:
    case Type::Dict:
    case Type::Set:
    case Type::FrozenSet:
      return !v->items.empty();
    case Type::True:
    case Type::Ellipsis:
    case Type::StopIteration:
    case Type::Code:
      return true;
  }
  return true;
}

Ref UnaryOp(Heap& heap, ast::UnaryOperator op, Ref v) {
  using ast::UnaryOperator;
  if (op == UnaryOperator::Not) return heap.Bool(!IsTrue(v));
  switch (NumberKind(v)) {
    case NumKind::Int: {
      Mpz x;
      LoadInt(v, x.get());
      if (op == UnaryOperator::USub) mpz_neg(x.get(), x.get());
      if (op == UnaryOperator::Invert) mpz_com(x.get(), x.get());
      return IntFromMpz(heap, x.get());
    }
    case NumKind::Float:
      if (op == UnaryOperator::Invert) return nullptr;
      return heap.Float(op == UnaryOperator::USub ? -v->real : v->real);
    case NumKind::Complex:
      if (op == UnaryOperator::Invert) return nullptr;
      if (op == UnaryOperator::USub) return heap.Complex(-v->real, -v->imag);
      return heap.Complex(v->real, v->imag);
    case NumKind::None:
      return nullptr;
  }
  return nullptr;
}

Ref BinaryOp(Heap& heap, ast::Operator op, Ref a, Ref b) {
  NumKind ka = NumberKind(a), kb = NumberKind(b);
  if (ka != NumKind::None && kb != NumKind::None) {
    if (ka == NumKind::Int && kb == NumKind::Int) return IntBinary(heap, op, a, b);
    if (ka == NumKind::Complex || kb == NumKind::Complex) {
      Complex x{a->real, ka == NumKind::Complex ? a->imag : 0.0};
      Complex y{b->real, kb == NumKind::Complex ? b->imag : 0.0};
      if (ka == NumKind::Int) {
        auto d = IntToDouble(a);
        if (!d) return nullptr;
        x = {*d, 0.0};
      }
      if (kb == NumKind::Int) {
        auto d = IntToDouble(b);
        if (!d) return nullptr;
        y = {*d, 0.0};
      }
      return ComplexBinary(heap, op, x, y);
    }
    double x = a->real, y = b->real;
    if (ka == NumKind::Int) {
      auto d = IntToDouble(a);
      if (!d) return nullptr;
      x = *d;
    }
    if (kb == NumKind::Int) {
      auto d = IntToDouble(b);
      if (!d) return nullptr;
      y = *d;
    }
    return FloatBinary(heap, op, x, y);
  }
  if (op == ast::Operator::Add) return Concat(heap, a, b);
  if (op == ast::Operator::Mult) {
    if (kb == NumKind::Int) return Repeat(heap, a, b);
    if (ka == NumKind::Int) return Repeat(heap, b, a);
  }
  return nullptr;
}

Ref GetItem(Heap& heap, Ref container, Ref index) {
  if (container->type != Type::Str && container->type != Type::Bytes &&
      container->type != Type::Tuple) {
    return nullptr;
  }
  auto i = IntAsLong(index);
  if (!i) return nullptr;  // TypeError or IndexError
  int64_t n = static_cast<int64_t>(Length(container));
  int64_t at = *i < 0 ? *i + n : *i;
  if (at < 0 || at >= n) return nullptr;  // IndexError
  size_t k = static_cast<size_t>(at);
  switch (container->type) {
    case Type::Str:
      return heap.Str(CodePointAt(container->data, k));
    case Type::Bytes:
      return heap.Int(static_cast<unsigned char>(container->data[k]));
    default:
      return container->items[k];
  }
}

bool ValuesEqual(Ref a, Ref b) {
  if (a == b) return true;
  if (NumberKind(a) != NumKind::None && NumberKind(b) != NumKind::None) {
    return NumbersEqual(a, b);
  }
  if (a->type != b->type) return false;
  switch (a->type) {
    case Type::Str:
    case Type::Bytes:
      return a->data == b->data;
    case Type::Tuple:
      if (a->items.size() != b->items.size()) return false;
      for (size_t i = 0; i < a->items.size(); ++i) {
        if (!ValuesEqual(a->items[i], b->items[i])) return false;
      }
      return true;
    case Type::FrozenSet:
      if (a->items.size() != b->items.size()) return false;
      for (Ref x : a->items) {
        bool found = false;
        for (Ref y : b->items) {
          if (ValuesEqual(x, y)) {
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    case Type::None:
    case Type::Ellipsis:
    case Type::StopIteration:
    case Type::Null:
      return true;
    default:
      return false;
  }
}

Ref MakeFrozenSet(Heap& heap, std::span<const Ref> items) {
  std::unordered_multimap<size_t, size_t> seen;  // hash -> index in `kept`
  std::vector<Ref> kept;
  for (Ref item : items) {
    size_t h = ValueHash(item);
    bool duplicate = false;
    auto [begin, end] = seen.equal_range(h);
    for (auto it = begin; it != end; ++it) {
      if (ValuesEqual(kept[it->second], item)) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    seen.emplace(h, kept.size());
    kept.push_back(item);
  }
  return heap.FrozenSet(kept);
}

}  // namespace xpyc::pyarith
