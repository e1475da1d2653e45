// NUMBER tokens to values, as CPython 3.10.13's parsenumber does it.
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "parser/literals.h"

namespace xpyc::literals {
namespace {

// CPython 3.10.13's default sys.get_int_max_str_digits().
constexpr std::size_t kMaxDecimalDigits = 4300;

std::string WithoutUnderscores(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '_') out.push_back(c);
  }
  return out;
}

bool IsImaginary(std::string_view text) {
  return !text.empty() && (text.back() == 'j' || text.back() == 'J');
}

// An int literal has no '.', no exponent and no j suffix. Hex digits include
// 'e', so a 0x prefix decides first.
bool IsIntLiteral(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0') {
    const char p = text[1];
    if (p == 'x' || p == 'X' || p == 'o' || p == 'O' || p == 'b' || p == 'B') return true;
  }
  for (char c : text) {
    if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J') return false;
  }
  return true;
}

// Correctly rounded decimal -> double; overflow gives inf, underflow 0.0
// (what PyOS_string_to_double does with no overflow exception).
double ParseDouble(const std::string& digits) {
  double value = 0.0;
  const char* first = digits.data();
  const char* last = first + digits.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range) {
    // strtod (C locale, correctly rounded in glibc) saturates as CPython does.
    errno = 0;
    value = std::strtod(digits.c_str(), nullptr);
  }
  return value;
}

marshal::Ref ParseInt(const std::string& digits, const TokenSpan& token,
                      marshal::Heap& heap, Diagnostics& diag) {
  int base = 10;
  std::string_view body = digits;
  if (body.size() >= 2 && body[0] == '0') {
    switch (body[1]) {
      case 'x': case 'X': base = 16; break;
      case 'o': case 'O': base = 8; break;
      case 'b': case 'B': base = 2; break;
      default: break;
    }
    if (base != 10) body.remove_prefix(2);
  }
  if (base == 10) {
    // "000" is read by strtoul and never reaches the digit limit.
    const bool all_zero = body.find_first_not_of('0') == std::string_view::npos;
    if (all_zero) return heap.Int(0);
    if (body.size() > kMaxDecimalDigits) {
      diag.Error(Diagnostic{
          ErrorClass::SyntaxError,
          fmt::format("Exceeds the limit ({}) for integer string conversion: value has {} "
                      "digits; use sys.set_int_max_str_digits() to increase the limit - "
                      "Consider hexadecimal for huge integer literals to avoid decimal "
                      "conversion limits.",
                      kMaxDecimalDigits, body.size()),
          token.lineno, -1, token.end_lineno, -1, std::nullopt});
      return nullptr;
    }
  }
  // Up to 15 digits of any base fit in an int64_t: no big-int library needed.
  if (!body.empty() && body.size() <= 15) {
    int64_t value = 0;
    bool ok = true;
    for (char c : body) {
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        ok = false;
        break;
      }
      if (d >= base) {
        ok = false;
        break;
      }
      value = value * base + d;
    }
    if (ok) return heap.Int(value);
  }
  return heap.IntFromText(body, base);
}

}  // namespace

marshal::Ref ParseNumber(std::string_view text, const TokenSpan& token,
                         marshal::Heap& heap, Diagnostics& diag) {
  std::string digits = WithoutUnderscores(text);
  if (IsImaginary(digits)) {
    digits.pop_back();
    return heap.Complex(0.0, ParseDouble(digits));
  }
  if (IsIntLiteral(digits)) return ParseInt(digits, token, heap, diag);
  return heap.Float(ParseDouble(digits));
}

}  // namespace xpyc::literals
