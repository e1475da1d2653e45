// \N{...} name lookup, as CPython 3.10's unicode-escape codec performs it
// through unicodedata's name API (Modules/unicodedata.c _getcode, with named
// sequences refused).
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>

#include "parser/literals.h"
#include "parser/unicode_names_data.h"

namespace xpyc::literals {
namespace {

namespace un = unicode_names;

constexpr std::string_view kHangulPrefix = "HANGUL SYLLABLE ";
constexpr std::string_view kIdeographPrefix = "CJK UNIFIED IDEOGRAPH-";

// Short names of the conjoining jamo (Unicode chapter 3.12), in index order.
constexpr std::array<std::string_view, 19> kLeading = {
    "G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S",
    "SS", "", "J", "JJ", "C", "K", "T", "P", "H"};
constexpr std::array<std::string_view, 21> kVowel = {
    "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE",
    "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"};
constexpr std::array<std::string_view, 28> kTrailing = {
    "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG",
    "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S",
    "SS", "NG", "J", "C", "K", "T", "P", "H"};

// The longest jamo name that `text` starts with (case-sensitive); -1 if none.
// Returns its index and sets `length`.
template <std::size_t N>
int LongestJamo(std::string_view text, const std::array<std::string_view, N>& names,
                std::size_t& length) {
  int found = -1;
  length = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const std::string_view candidate = names[i];
    if (found >= 0 && candidate.size() <= length) continue;
    if (text.substr(0, candidate.size()) == candidate) {
      found = static_cast<int>(i);
      length = candidate.size();
    }
  }
  return found;
}

int32_t LookupHangulSyllable(std::string_view rest) {
  std::size_t len = 0;
  const int l = LongestJamo(rest, kLeading, len);
  rest.remove_prefix(len);
  const int v = LongestJamo(rest, kVowel, len);
  rest.remove_prefix(len);
  const int t = LongestJamo(rest, kTrailing, len);
  rest.remove_prefix(len);
  if (l < 0 || v < 0 || t < 0 || !rest.empty()) return -1;
  return 0xAC00 + (l * 21 + v) * 28 + t;
}

bool IsUnifiedIdeograph(uint32_t cp) {
  for (uint32_t i = 0; i < un::kUnifiedIdeographRangeCount; ++i) {
    if (cp >= un::kUnifiedIdeographs[i].first && cp <= un::kUnifiedIdeographs[i].last) {
      return true;
    }
  }
  return false;
}

// Four or five upper-case hex digits naming a unified ideograph.
int32_t LookupIdeograph(std::string_view hex) {
  if (hex.size() != 4 && hex.size() != 5) return -1;
  uint32_t cp = 0;
  for (char c : hex) {
    cp *= 16;
    if (c >= '0' && c <= '9') {
      cp += static_cast<uint32_t>(c - '0');
    } else if (c >= 'A' && c <= 'F') {
      cp += static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return -1;
    }
  }
  return IsUnifiedIdeograph(cp) ? static_cast<int32_t>(cp) : -1;
}

// A cursor over one block of the front-coded table.
struct EntryReader {
  const unsigned char* pos;
  std::string name;

  uint32_t Next() {
    const std::size_t shared = pos[0];
    const std::size_t suffix = pos[1];
    name.resize(shared);
    name.append(reinterpret_cast<const char*>(pos + 2), suffix);
    pos += 2 + suffix;
    const uint32_t cp = (uint32_t{pos[0]} << 16) | (uint32_t{pos[1]} << 8) | pos[2];
    pos += 3;
    return cp;
  }
};

const unsigned char* BlockStart(uint32_t block) {
  return reinterpret_cast<const unsigned char*>(un::kBlob) + un::kBlockOffsets[block];
}

// The head of each block is stored whole (shared prefix 0).
std::string_view BlockHead(uint32_t block) {
  const unsigned char* p = BlockStart(block);
  return {reinterpret_cast<const char*>(p + 2), p[1]};
}

int32_t LookupTable(std::string_view upper) {
  // Last block whose head is <= upper.
  uint32_t lo = 0;
  uint32_t hi = un::kBlockCount;
  while (hi - lo > 1) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (BlockHead(mid) <= upper) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const uint32_t first_entry = lo * un::kBlockSize;
  const uint32_t count = std::min(un::kBlockSize, un::kEntryCount - first_entry);
  EntryReader reader{BlockStart(lo), {}};
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t cp = reader.Next();
    if (reader.name == upper) return static_cast<int32_t>(cp);
    if (reader.name > upper) break;
  }
  return -1;
}

}  // namespace

int32_t LookupUnicodeName(std::string_view name) {
  if (name.starts_with(kHangulPrefix)) {
    return LookupHangulSyllable(name.substr(kHangulPrefix.size()));
  }
  if (name.starts_with(kIdeographPrefix)) {
    return LookupIdeograph(name.substr(kIdeographPrefix.size()));
  }
  if (name.size() > 255) return -1;
  std::string upper(name);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return LookupTable(upper);
}

}  // namespace xpyc::literals
