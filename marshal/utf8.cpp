#include "marshal/utf8.h"

namespace xpyc::marshal {

namespace {
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

int32_t NextCodePoint(std::string_view s, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(pos);
  if (c < 0x80) {
    ++pos;
    return c;
  }
  size_t need;
  uint32_t cp;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3, cp = c & 0x07, min = 0x10000;
  } else {
    ++pos;
    return -1;
  }
  if (s.size() - pos <= need) {
    ++pos;
    return -1;
  }
  for (size_t i = 1; i <= need; ++i) {
    unsigned char cc = byte(pos + i);
    if (!IsContinuation(cc)) {
      ++pos;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF) {
    ++pos;
    return -1;
  }
  pos += need + 1;
  return static_cast<int32_t>(cp);
}

bool IsValidUtf8Surrogatepass(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    if (NextCodePoint(s, pos) < 0) return false;
  }
  return true;
}

}  // namespace xpyc::marshal
