// Python 3.10's repr() for every value kind the marshal model holds.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iterator>

#include <fmt/format.h>

#include "marshal/utf8.h"
#include "marshal/value.h"

namespace xpyc::marshal {

namespace {

struct CodePointRange {
  uint32_t first;
  uint32_t last;  // exclusive
};

constexpr CodePointRange kPrintable[] = {
#include "marshal/printable_table.inc"
};

// The shortest round-trip decimal digits of a finite, nonzero-or-zero double
// and the position of the decimal point relative to them: value = 0.DIGITS
// * 10^decpt (the convention of David Gay's dtoa, which CPython uses).
struct ShortestDigits {
  std::string digits;
  int decpt = 0;
};

ShortestDigits ToShortestDigits(double magnitude) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
  size_t e = text.find('e');
  ShortestDigits out;
  for (char c : text.substr(0, e)) {
    if (c != '.') out.digits.push_back(c);
  }
  int exponent = 0;
  std::string_view exp_text = text.substr(e + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  // to_chars never emits trailing zeros in the mantissa except for "0".
  out.decpt = exponent + 1;
  return out;
}

// CPython's PyOS_double_to_string(d, 'r', 0, flags): `add_dot_0` is
// Py_DTSF_ADD_DOT_0 (float repr), `always_sign` is Py_DTSF_SIGN.
std::string FormatRepr(double d, bool add_dot_0, bool always_sign) {
  std::string out;
  if (std::isnan(d)) {
    if (always_sign) out.push_back('+');
    out += "nan";
    return out;
  }
  if (std::signbit(d)) {
    out.push_back('-');
  } else if (always_sign) {
    out.push_back('+');
  }
  if (std::isinf(d)) {
    out += "inf";
    return out;
  }
  ShortestDigits sd = ToShortestDigits(std::fabs(d));
  const std::string& digits = sd.digits;
  int n = static_cast<int>(digits.size());
  int decpt = sd.decpt;
  if (decpt <= -4 || decpt > 16) {
    out.push_back(digits[0]);
    if (n > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    fmt::format_to(std::back_inserter(out), "e{:+03d}", decpt - 1);
    return out;
  }
  if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out += digits;
  } else if (decpt >= n) {
    out += digits;
    out.append(static_cast<size_t>(decpt - n), '0');
    if (add_dot_0) out += ".0";
  } else {
    out.append(digits, 0, static_cast<size_t>(decpt));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(decpt));
  }
  return out;
}

void AppendHexEscape(std::string& out, char kind, uint32_t value, int width) {
  out.push_back('\\');
  out.push_back(kind);
  fmt::format_to(std::back_inserter(out), "{:0{}x}", value, width);
}

char ChooseQuote(std::string_view data) {
  bool single = data.find('\'') != std::string_view::npos;
  bool dbl = data.find('"') != std::string_view::npos;
  return single && !dbl ? '"' : '\'';
}

// The escapes repr(str) and repr(bytes) share for ASCII. Returns false when
// `c` is not one of them.
bool AppendAsciiEscape(std::string& out, uint32_t c, char quote) {
  if (c == static_cast<uint32_t>(quote) || c == '\\') {
    out.push_back('\\');
    out.push_back(static_cast<char>(c));
  } else if (c == '\t') {
    out += "\\t";
  } else if (c == '\n') {
    out += "\\n";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c < 0x20 || c == 0x7F) {
    AppendHexEscape(out, 'x', c, 2);
  } else if (c < 0x7F) {
    out.push_back(static_cast<char>(c));
  } else {
    return false;
  }
  return true;
}

void AppendItems(std::string& out, std::span<const Ref> items, std::string_view sep) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += Repr(items[i]);
  }
}

std::string DictRepr(std::span<const Ref> kv) {
  std::string out = "{";
  for (size_t i = 0; i + 1 < kv.size(); i += 2) {
    if (i) out += ", ";
    out += Repr(kv[i]);
    out += ": ";
    out += Repr(kv[i + 1]);
  }
  out += "}";
  return out;
}

std::string TupleRepr(std::span<const Ref> items) {
  std::string out = "(";
  AppendItems(out, items, ", ");
  if (items.size() == 1) out += ",";
  out += ")";
  return out;
}

std::string SetRepr(std::span<const Ref> items, bool frozen) {
  if (items.empty()) return frozen ? "frozenset()" : "set()";
  std::string out = frozen ? "frozenset({" : "{";
  AppendItems(out, items, ", ");
  out += frozen ? "})" : "}";
  return out;
}

std::string CodeRepr(const CodeFields& code) {
  auto text = [](Ref v) { return v && v->type == Type::Str ? std::string(v->data) : "?"; };
  return fmt::format("<code object {}, file \"{}\", line {}>", text(code.name),
                     text(code.filename), code.firstlineno);
}

}  // namespace

bool IsPrintable(uint32_t cp) {
  auto it = std::upper_bound(std::begin(kPrintable), std::end(kPrintable), cp,
                             [](uint32_t c, const CodePointRange& r) { return c < r.first; });
  if (it == std::begin(kPrintable)) return false;
  --it;
  return cp < it->last;
}

std::string FloatRepr(double d) { return FormatRepr(d, true, false); }

std::string ComplexRepr(double real, double imag) {
  if (real == 0.0 && !std::signbit(real)) return FormatRepr(imag, false, false) + "j";
  return "(" + FormatRepr(real, false, false) + FormatRepr(imag, false, true) + "j)";
}

std::string StrRepr(std::string_view utf8) {
  char quote = ChooseQuote(utf8);
  std::string out;
  out.reserve(utf8.size() + 2);
  out.push_back(quote);
  size_t pos = 0;
  while (pos < utf8.size()) {
    size_t start = pos;
    int32_t cp = NextCodePoint(utf8, pos);
    if (cp < 0) {  // not produced by our reader or heap users; keep it visible
      AppendHexEscape(out, 'x', static_cast<unsigned char>(utf8[start]), 2);
      continue;
    }
    auto c = static_cast<uint32_t>(cp);
    if (AppendAsciiEscape(out, c, quote)) continue;
    if (IsPrintable(c)) {
      out.append(utf8.substr(start, pos - start));
    } else if (c <= 0xFF) {
      AppendHexEscape(out, 'x', c, 2);
    } else if (c <= 0xFFFF) {
      AppendHexEscape(out, 'u', c, 4);
    } else {
      AppendHexEscape(out, 'U', c, 8);
    }
  }
  out.push_back(quote);
  return out;
}

std::string BytesRepr(std::string_view raw) {
  char quote = ChooseQuote(raw);
  std::string out = "b";
  out.reserve(raw.size() + 3);
  out.push_back(quote);
  for (char ch : raw) {
    auto c = static_cast<unsigned char>(ch);
    if (!AppendAsciiEscape(out, c, quote)) AppendHexEscape(out, 'x', c, 2);
  }
  out.push_back(quote);
  return out;
}

std::string Repr(Ref v) {
  if (v == nullptr) return "<NULL>";
  switch (v->type) {
    case Type::Null:
      return "<NULL>";
    case Type::None:
      return "None";
    case Type::True:
      return "True";
    case Type::False:
      return "False";
    case Type::Ellipsis:
      return "Ellipsis";
    case Type::StopIteration:
      return "<class 'StopIteration'>";
    case Type::Int:
      return IntToDecimal(v);
    case Type::Float:
      return FloatRepr(v->real);
    case Type::Complex:
      return ComplexRepr(v->real, v->imag);
    case Type::Str:
      return StrRepr(v->data);
    case Type::Bytes:
      return BytesRepr(v->data);
    case Type::Tuple:
      return TupleRepr(v->items);
    case Type::List: {
      std::string out = "[";
      AppendItems(out, v->items, ", ");
      return out + "]";
    }
    case Type::Dict:
      return DictRepr(v->items);
    case Type::Set:
      return SetRepr(v->items, false);
    case Type::FrozenSet:
      return SetRepr(v->items, true);
    case Type::Code:
      return CodeRepr(*v->code);
  }
  return "<?>";
}

}  // namespace xpyc::marshal
