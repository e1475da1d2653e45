// repr() of a str that came from bytes decoded with surrogateescape.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "driver/compileall.h"
#include "driver/fs_util.h"

namespace xpyc::driver {
namespace {

struct CodePointRange {
  char32_t first;
  char32_t last;
};

constexpr CodePointRange kNotPrintable[] = {
#include "driver/unicode_printable.inc"
};

bool IsPrintable(char32_t cp) {
  const auto* it = std::upper_bound(std::begin(kNotPrintable), std::end(kNotPrintable), cp,
                                    [](char32_t value, const CodePointRange& r) { return value < r.first; });
  if (it == std::begin(kNotPrintable)) return true;
  --it;
  return cp > it->last;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string PyRepr(std::string_view path) {
  const std::u32string text = fs::DecodeSurrogateEscape(path);
  const bool has_single = text.find(U'\'') != std::u32string::npos;
  const bool has_double = text.find(U'"') != std::u32string::npos;
  const char32_t quote = has_single && !has_double ? U'"' : U'\'';
  std::string out;
  out.reserve(path.size() + 2);
  out.push_back(static_cast<char>(quote));
  for (char32_t cp : text) {
    if (cp == quote || cp == U'\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<uint32_t>(cp));
    } else if (cp < 0x7F || IsPrintable(cp)) {
      AppendUtf8(cp, out);
    } else if (cp <= 0xFF) {
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<uint32_t>(cp));
    } else if (cp <= 0xFFFF) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<uint32_t>(cp));
    } else {
      fmt::format_to(std::back_inserter(out), "\\U{:08x}", static_cast<uint32_t>(cp));
    }
  }
  out.push_back(static_cast<char>(quote));
  return out;
}

}  // namespace xpyc::driver
