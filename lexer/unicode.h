#pragma once
// Unicode 13.0.0 properties the tokenizer needs (generated tables, see
// tools/gen_unicode_tables.py) and a strict UTF-8 decoder that reports
// failures in the words CPython's 'utf-8' codec uses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace xpyc::lex::unicode {

// str.isidentifier() on a one-character string: XID_Start or '_'.
bool IsIdentifierStart(char32_t c);
// ("a" + c).isidentifier(): XID_Continue.
bool IsIdentifierContinue(char32_t c);
// str.isprintable() on a one-character string.
bool IsPrintable(char32_t c);

// Result of decoding one code point from UTF-8.
struct Decoded {
  char32_t code_point = 0;
  uint32_t length = 0;        // bytes consumed; 0 on error
  uint32_t error_length = 0;  // on error: bytes CPython blames (>= 1)
  const char* reason = nullptr;  // on error: "invalid start byte", ...
};

// Decodes the code point at the start of `bytes` (which is not empty).
Decoded DecodeOne(std::string_view bytes);

// CPython's UnicodeDecodeError text for the first invalid sequence in
// `bytes`, e.g. "'utf-8' codec can't decode byte 0xff in position 0: invalid
// start byte"; empty when `bytes` is valid UTF-8.
std::string Utf8ErrorMessage(std::string_view bytes);

// Appends the UTF-8 encoding of `c`.
void AppendUtf8(std::string& out, char32_t c);

// NFKC normalisation of valid UTF-8 text.
std::string Nfkc(std::string_view utf8);

}  // namespace xpyc::lex::unicode
