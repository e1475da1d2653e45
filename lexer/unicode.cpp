#include "lexer/unicode.h"

#include <cstring>

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace xpyc::lex::unicode {
namespace {

struct CodeRange {
  char32_t lo, hi;
};
struct CombiningRange {
  char32_t lo, hi;
  uint8_t ccc;
};
struct Decomposition {
  char32_t cp;
  uint32_t offset;  // into kDecompositionPool
  uint32_t length;
};
struct CompositionPair {
  char32_t first, second, composite;
};

#include "lexer/unicode_tables.inc"

template <std::size_t N>
bool InRanges(const CodeRange (&ranges)[N], char32_t c) {
  auto it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                             [](char32_t v, const CodeRange& r) { return v < r.lo; });
  return it != std::begin(ranges) && c <= std::prev(it)->hi;
}

uint8_t CombiningClass(char32_t c) {
  if (c < 0x300) return 0;
  auto it = std::upper_bound(std::begin(kCombiningRanges), std::end(kCombiningRanges), c,
                             [](char32_t v, const CombiningRange& r) { return v < r.lo; });
  if (it == std::begin(kCombiningRanges)) return 0;
  --it;
  return c <= it->hi ? it->ccc : 0;
}

const Decomposition* FindDecomposition(char32_t c) {
  auto it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), c,
                             [](const Decomposition& d, char32_t v) { return d.cp < v; });
  return (it != std::end(kDecompositions) && it->cp == c) ? &*it : nullptr;
}

char32_t FindComposite(char32_t first, char32_t second) {
  auto key = std::make_pair(first, second);
  auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), key,
                             [](const CompositionPair& p, const std::pair<char32_t, char32_t>& k) {
                               return std::make_pair(p.first, p.second) < k;
                             });
  if (it != std::end(kCompositions) && it->first == first && it->second == second) {
    return it->composite;
  }
  return 0;
}

// Hangul syllables decompose and compose by arithmetic (Unicode ch. 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

void DecomposeInto(std::vector<char32_t>& out, char32_t c) {
  if (c >= kSBase && c < kSBase + kSCount) {
    char32_t s = c - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  if (c >= 0x80) {
    if (const Decomposition* d = FindDecomposition(c)) {
      out.insert(out.end(), kDecompositionPool + d->offset, kDecompositionPool + d->offset + d->length);
      return;
    }
  }
  out.push_back(c);
}

// Canonical ordering: within each run of non-starters, a stable sort by class.
void ReorderMarks(std::vector<char32_t>& cps) {
  std::size_t i = 0;
  while (i < cps.size()) {
    if (CombiningClass(cps[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < cps.size() && CombiningClass(cps[j]) != 0) ++j;
    std::stable_sort(cps.begin() + static_cast<std::ptrdiff_t>(i), cps.begin() + static_cast<std::ptrdiff_t>(j),
                     [](char32_t a, char32_t b) { return CombiningClass(a) < CombiningClass(b); });
    i = j;
  }
}

char32_t ComposeHangul(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  return 0;
}

// Canonical composition: each character combines with the last starter
// unless a character of the same or higher class sits between them.
void Compose(std::vector<char32_t>& cps) {
  if (cps.empty()) return;
  std::size_t starter = 0;
  bool have_starter = CombiningClass(cps[0]) == 0;
  std::size_t out = 1;
  int last_class = have_starter ? 0 : 256;
  for (std::size_t i = 1; i < cps.size(); ++i) {
    char32_t c = cps[i];
    int cls = CombiningClass(c);
    bool blocked = out - 1 != starter && (last_class == 0 || last_class >= cls);
    if (have_starter && !blocked) {
      char32_t composite = ComposeHangul(cps[starter], c);
      if (composite == 0) composite = FindComposite(cps[starter], c);
      if (composite != 0) {
        cps[starter] = composite;
        continue;
      }
    }
    if (cls == 0) {
      starter = out;
      have_starter = true;
    }
    last_class = cls;
    cps[out++] = c;
  }
  cps.resize(out);
}

std::string DecodeErrorText(std::size_t pos, std::size_t length, unsigned char first, const char* reason) {
  if (length == 1) {
    return fmt::format("'utf-8' codec can't decode byte 0x{:02x} in position {}: {}", first, pos, reason);
  }
  return fmt::format("'utf-8' codec can't decode bytes in position {}-{}: {}", pos, pos + length - 1, reason);
}

}  // namespace

bool IsIdentifierStart(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return InRanges(kIdStartRanges, c);
}

bool IsIdentifierContinue(char32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return InRanges(kIdContinueRanges, c);
}

bool IsPrintable(char32_t c) { return InRanges(kPrintableRanges, c); }

Decoded DecodeOne(std::string_view bytes) {
  Decoded d;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    d.code_point = b0;
    d.length = 1;
    return d;
  }
  int need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    d.error_length = 1;
    d.reason = "invalid start byte";
    return d;
  }
  char32_t cp = b0 & (0x3F >> need);
  for (int k = 1; k <= need; ++k) {
    if (static_cast<std::size_t>(k) >= bytes.size()) {
      d.error_length = static_cast<uint32_t>(k);
      d.reason = "unexpected end of data";
      return d;
    }
    unsigned char b = byte(static_cast<std::size_t>(k));
    bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) {
      d.error_length = static_cast<uint32_t>(k);
      d.reason = "invalid continuation byte";
      return d;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  d.code_point = cp;
  d.length = static_cast<uint32_t>(need + 1);
  return d;
}

std::string Utf8ErrorMessage(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    // ASCII eight bytes at a time.
    while (i + 8 <= bytes.size()) {
      uint64_t word;
      std::memcpy(&word, bytes.data() + i, 8);
      if ((word & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= bytes.size()) break;
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    Decoded d = DecodeOne(bytes.substr(i));
    if (d.length == 0) {
      return DecodeErrorText(i, d.error_length, static_cast<unsigned char>(bytes[i]), d.reason);
    }
    i += d.length;
  }
  return {};
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string Nfkc(std::string_view utf8) {
  std::vector<char32_t> cps;
  cps.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    Decoded d = DecodeOne(utf8.substr(i));
    if (d.length == 0) {  // not valid UTF-8: keep the byte as U+FFFD, advance
      DecomposeInto(cps, 0xFFFD);
      ++i;
      continue;
    }
    DecomposeInto(cps, d.code_point);
    i += d.length;
  }
  ReorderMarks(cps);
  Compose(cps);
  std::string out;
  out.reserve(utf8.size());
  for (char32_t c : cps) AppendUtf8(out, c);
  return out;
}

}  // namespace xpyc::lex::unicode
