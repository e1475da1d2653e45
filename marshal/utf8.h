#pragma once
// Internal: decoding the UTF-8 (surrogatepass) bytes a Str holds.
#include <cstdint>
#include <string>
#include <string_view>

namespace xpyc::marshal {

// Decodes one code point at `pos` and advances `pos`. Lone surrogates
// (ED A0..BF xx) are accepted as code points. Returns -1 on a malformed
// sequence (then `pos` advances by one byte).
int32_t NextCodePoint(std::string_view s, size_t& pos);

// True when `s` is well-formed UTF-8 with surrogates allowed, i.e. what
// CPython's utf-8 "surrogatepass" decoder accepts.
bool IsValidUtf8Surrogatepass(std::string_view s);

}  // namespace xpyc::marshal
