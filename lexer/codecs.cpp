#include "lexer/codecs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "lexer/unicode.h"

namespace xpyc::lex {
namespace {

enum class CodecKind : uint8_t {
  kUtf8, kUtf8Sig, kAscii, kLatin1, kTable,
  kUtf16, kUtf16Le, kUtf16Be, kUtf32, kUtf32Le, kUtf32Be,
  kCjk,        // a stateless multibyte codec of codecs_cjk.inc
  kNotText,    // base64_codec, zlib_codec, rot_13...: not a text encoding
  kUndefined,  // the 'undefined' codec: always fails
  kRawUnicodeEscape,
  kHz,         // HZ: GB2312 between "~{" and "~}"
  kUtf7,
  kUnsupported,
};

struct CodecName {
  std::string_view alias;   // normalised: lower case, punctuation runs as '_'
  std::string_view module;  // the encodings.* module it selects
  CodecKind kind;
  int table;                // index into kCodecTables for kTable
};

#include "lexer/codecs_tables.inc"
#include "lexer/codecs_cjk.inc"

constexpr uint16_t kUndefined = 0xFFFE;

// encodings.normalize_encoding after the registry lower-cased the name: runs
// of characters other than letters, digits and '.' become one '_', leading
// and trailing ones vanish.
std::string NormalizeEncodingName(std::string_view name) {
  std::string out;
  bool punct = false;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '.') {
      if (punct && !out.empty()) out.push_back('_');
      out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

const CodecName* FindByAlias(std::string_view alias) {
  auto it = std::lower_bound(std::begin(kCodecNames), std::end(kCodecNames), alias,
                             [](const CodecName& n, std::string_view a) { return n.alias < a; });
  if (it == std::end(kCodecNames) || it->alias != alias) return nullptr;
  return &*it;
}

const CodecName* LookupCodec(std::string_view encoding) {
  std::string norm = NormalizeEncodingName(encoding);
  if (const CodecName* c = FindByAlias(norm)) return c;
  std::string dotless = norm;
  std::replace(dotless.begin(), dotless.end(), '.', '_');
  return FindByAlias(dotless);
}

std::string SingleByteError(const char* codec, unsigned char byte, std::size_t pos, const char* why) {
  return fmt::format("'{}' codec can't decode byte 0x{:02x} in position {}: {}", codec, byte, pos,
                     why);
}

DecodeResult DecodeWithTable(const uint16_t* table, const char* codec, const char* why,
                             std::string_view bytes) {
  DecodeResult r;
  r.utf8.reserve(bytes.size() + bytes.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80 && table[b] == b) {
      r.utf8.push_back(static_cast<char>(b));
      continue;
    }
    if (table[b] == kUndefined) {
      r.status = DecodeStatus::kDecodeError;
      r.error = SingleByteError(codec, b, i, why);
      r.utf8.clear();
      return r;
    }
    unicode::AppendUtf8(r.utf8, table[b]);
  }
  return r;
}

// UnicodeDecodeError's text for bytes [start, end).
std::string DecodeErrorText(std::string_view codec, std::string_view bytes, std::size_t start,
                            std::size_t end, std::string_view reason) {
  if (end == start + 1) {
    return fmt::format("'{}' codec can't decode byte 0x{:02x} in position {}: {}", codec,
                       static_cast<unsigned char>(bytes[start]), start, reason);
  }
  return fmt::format("'{}' codec can't decode bytes in position {}-{}: {}", codec, start,
                     end - 1, reason);
}

DecodeResult DecodeFailure(std::string error) {
  DecodeResult r;
  r.status = DecodeStatus::kDecodeError;
  r.error = std::move(error);
  return r;
}

// ---------------------------------------------------------------------------
// UTF-16 and UTF-32 (CPython's decoders, strict errors). Without a byte order
// (the plain 'utf-16' / 'utf-32' codecs) a BOM picks it and is dropped;
// otherwise little-endian, as on the machines CPython reports with.

DecodeResult DecodeUtf16(std::string_view bytes, int byte_order) {
  std::size_t q = 0;
  if (byte_order == 0) {
    byte_order = -1;
    if (bytes.size() >= 2) {
      unsigned b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
      if (b0 == 0xFF && b1 == 0xFE) {
        q = 2;
      } else if (b0 == 0xFE && b1 == 0xFF) {
        byte_order = 1;
        q = 2;
      }
    }
  }
  const char* codec = byte_order < 0 ? "utf-16-le" : "utf-16-be";
  auto unit = [&](std::size_t at) -> char32_t {
    unsigned a = static_cast<unsigned char>(bytes[at]), b = static_cast<unsigned char>(bytes[at + 1]);
    return byte_order < 0 ? (b << 8 | a) : (a << 8 | b);
  };
  DecodeResult r;
  r.utf8.reserve(bytes.size() * 3 / 2);
  const std::size_t size = bytes.size();
  while (q < size) {
    if (size - q < 2) return DecodeFailure(DecodeErrorText(codec, bytes, q, size, "truncated data"));
    char32_t ch = unit(q);
    q += 2;
    if (ch < 0xD800 || ch > 0xDFFF) {
      unicode::AppendUtf8(r.utf8, ch);
      continue;
    }
    if (ch >= 0xDC00) {
      return DecodeFailure(DecodeErrorText(codec, bytes, q - 2, q, "illegal encoding"));
    }
    if (size - q < 2) {
      return DecodeFailure(DecodeErrorText(codec, bytes, q - 2, size, "unexpected end of data"));
    }
    char32_t ch2 = unit(q);
    if (ch2 >= 0xDC00 && ch2 <= 0xDFFF) {
      q += 2;
      unicode::AppendUtf8(r.utf8, 0x10000 + ((ch - 0xD800) << 10) + (ch2 - 0xDC00));
      continue;
    }
    return DecodeFailure(DecodeErrorText(codec, bytes, q - 2, q, "illegal UTF-16 surrogate"));
  }
  return r;
}

DecodeResult DecodeUtf32(std::string_view bytes, int byte_order) {
  std::size_t q = 0;
  if (byte_order == 0) {
    byte_order = -1;
    if (bytes.size() >= 4) {
      if (bytes.substr(0, 4) == std::string_view("\xFF\xFE\x00\x00", 4)) {
        q = 4;
      } else if (bytes.substr(0, 4) == std::string_view("\x00\x00\xFE\xFF", 4)) {
        byte_order = 1;
        q = 4;
      }
    }
  }
  const char* codec = byte_order < 0 ? "utf-32-le" : "utf-32-be";
  DecodeResult r;
  r.utf8.reserve(bytes.size());
  const std::size_t size = bytes.size();
  while (q < size) {
    if (size - q < 4) return DecodeFailure(DecodeErrorText(codec, bytes, q, size, "truncated data"));
    uint32_t ch = 0;
    for (int k = 0; k < 4; ++k) {
      uint32_t b = static_cast<unsigned char>(bytes[q + (byte_order < 0 ? 3 - k : k)]);
      ch = ch << 8 | b;
    }
    if (ch >= 0x110000) {
      return DecodeFailure(
          DecodeErrorText(codec, bytes, q, q + 4, "code point not in range(0x110000)"));
    }
    if (ch >= 0xD800 && ch <= 0xDFFF) {
      return DecodeFailure(DecodeErrorText(codec, bytes, q, q + 4, "code point in surrogate code point range(0xd800, 0xe000)"));
    }
    unicode::AppendUtf8(r.utf8, ch);
    q += 4;
  }
  return r;
}

// ---------------------------------------------------------------------------
// raw_unicode_escape: bytes are code points, except \uXXXX and \UXXXXXXXX
// after an odd run of backslashes. The text is then encoded back to UTF-8 by
// CPython, which refuses the surrogates it may hold.

DecodeResult EncodeCodePoints(const std::vector<char32_t>& text);

bool IsHexDigit(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexDigitValue(unsigned char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

DecodeResult DecodeRawUnicodeEscape(std::string_view bytes) {
  std::vector<char32_t> text;
  text.reserve(bytes.size());
  const std::size_t size = bytes.size();
  std::size_t i = 0;
  while (i < size) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c != '\\') {
      text.push_back(c);
      ++i;
      continue;
    }
    std::size_t run_start = i;
    while (i < size && bytes[i] == '\\') {
      text.push_back('\\');
      ++i;
    }
    if ((i - run_start) % 2 == 0 || i >= size || (bytes[i] != 'u' && bytes[i] != 'U')) continue;
    text.pop_back();
    const std::size_t start = i - 1;
    const bool wide = bytes[i] == 'U';
    int count = wide ? 8 : 4;
    ++i;
    uint32_t ch = 0;
    for (; count > 0 && i < size && IsHexDigit(static_cast<unsigned char>(bytes[i])); ++i, --count) {
      ch = (ch << 4) + static_cast<uint32_t>(HexDigitValue(static_cast<unsigned char>(bytes[i])));
    }
    if (count > 0) {
      return DecodeFailure(DecodeErrorText(
          "rawunicodeescape", bytes, start, i,
          wide ? "truncated \\UXXXXXXXX escape" : "truncated \\uXXXX escape"));
    }
    if (ch > 0x10FFFF) {
      return DecodeFailure(
          DecodeErrorText("rawunicodeescape", bytes, start, i, "\\Uxxxxxxxx out of range"));
    }
    text.push_back(ch);
  }
  return EncodeCodePoints(text);
}

// The text of a decoder that may produce lone surrogates, as CPython then
// encodes it to UTF-8 (which refuses them: the error counts characters).
DecodeResult EncodeCodePoints(const std::vector<char32_t>& text) {
  DecodeResult r;
  r.utf8.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    char32_t ch = text[k];
    if (ch >= 0xD800 && ch <= 0xDFFF) {
      std::size_t end = k + 1;
      while (end < text.size() && text[end] >= 0xD800 && text[end] <= 0xDFFF) ++end;
      if (end == k + 1) {
        return DecodeFailure(fmt::format(
            "'utf-8' codec can't encode character '\\u{:04x}' in position {}: surrogates not allowed",
            static_cast<uint32_t>(ch), k));
      }
      return DecodeFailure(fmt::format(
          "'utf-8' codec can't encode characters in position {}-{}: surrogates not allowed", k,
          end - 1));
    }
    unicode::AppendUtf8(r.utf8, ch);
  }
  return r;
}

// ---------------------------------------------------------------------------
// UTF-7 (RFC 2152) as CPython's decoder reads it, strict errors.

int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

DecodeResult DecodeUtf7(std::string_view bytes) {
  std::vector<char32_t> text;
  text.reserve(bytes.size());
  const std::size_t size = bytes.size();
  auto fail = [&](std::size_t start, std::size_t end, const char* reason) {
    return DecodeFailure(DecodeErrorText("utf7", bytes, start, end, reason));
  };
  auto direct = [](unsigned char c) { return c <= 127 && c != '+'; };
  bool in_shift = false;
  char32_t surrogate = 0;
  uint32_t buffer = 0;
  int bits = 0;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < size) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (in_shift) {
      int v = Base64Value(c);
      if (v >= 0) {
        buffer = (buffer << 6) | static_cast<uint32_t>(v);
        bits += 6;
        ++i;
        if (bits >= 16) {
          char32_t out = static_cast<char32_t>(buffer >> (bits - 16));
          bits -= 16;
          buffer &= (1u << bits) - 1;
          if (surrogate != 0) {
            if (out >= 0xDC00 && out <= 0xDFFF) {
              text.push_back(0x10000 + ((surrogate - 0xD800) << 10) + (out - 0xDC00));
              surrogate = 0;
              continue;
            }
            text.push_back(surrogate);
            surrogate = 0;
          }
          if (out >= 0xD800 && out <= 0xDBFF) {
            surrogate = out;
          } else {
            text.push_back(out);
          }
        }
        continue;
      }
      in_shift = false;
      if (bits > 0) {
        if (bits >= 6) return fail(start, i + 1, "partial character in shift sequence");
        if (buffer != 0) return fail(start, i + 1, "non-zero padding bits in shift sequence");
      }
      if (surrogate != 0 && direct(c)) text.push_back(surrogate);
      surrogate = 0;
      if (c == '-') ++i;
      continue;
    }
    if (c == '+') {
      start = i;
      ++i;
      if (i < size && bytes[i] == '-') {
        ++i;
        text.push_back('+');
      } else if (i < size && Base64Value(static_cast<unsigned char>(bytes[i])) < 0) {
        return fail(start, i + 1, "ill-formed sequence");
      } else {
        in_shift = true;
        surrogate = 0;
        bits = 0;
        buffer = 0;
      }
      continue;
    }
    if (direct(c)) {
      text.push_back(c);
      ++i;
      continue;
    }
    return fail(i, i + 1, "unexpected special character");
  }
  if (in_shift && (surrogate != 0 || bits >= 6 || (bits > 0 && buffer != 0))) {
    return fail(start, size, "unterminated shift sequence");
  }
  return EncodeCodePoints(text);
}

// ---------------------------------------------------------------------------
// The stateless multibyte codecs: byte tries (see tools/gen_cjk_codecs.py).

constexpr char32_t kMarkErr = 0x10FF00;   // + n: illegal sequence of n bytes
constexpr char32_t kMarkPair = 0x10FF20;  // two code points follow
constexpr char32_t kMarkChild = 0x10FF30; // a node id follows
constexpr char32_t kMarkGb4 = 0x10FF40;   // gb18030 four-byte form
constexpr char32_t kMarkKsx = 0x10FF50;   // euc_kr make-up sequence

// Entries after unpacking: a code point or a marker (< 0x110000), or a
// child node (kChildBit | id), or a pair of code points (kPairBit | index).
constexpr uint32_t kChildBit = 0x80000000u;
constexpr uint32_t kPairBit = 0x40000000u;

struct CjkTables {
  std::vector<uint32_t> entries;               // kCjkNodeCount * 256
  std::vector<std::pair<char32_t, char32_t>> pairs;
};

const CjkTables& Cjk() {
  static const CjkTables tables = [] {
    CjkTables t;
    std::vector<char32_t> cps;
    std::string_view data(kCjkNodes, sizeof(kCjkNodes) - 1);
    cps.reserve(data.size() / 2);
    for (std::size_t i = 0; i < data.size();) {
      unicode::Decoded d = unicode::DecodeOne(data.substr(i));
      cps.push_back(d.code_point);
      i += d.length > 0 ? d.length : 1;
    }
    t.entries.resize(static_cast<std::size_t>(kCjkNodeCount) * 256);
    std::size_t at = 0;
    auto entry = [&]() -> uint32_t {
      char32_t c = cps[at++];
      if (c == kMarkChild) return kChildBit | cps[at++];
      if (c == kMarkPair) {
        t.pairs.emplace_back(cps[at], cps[at + 1]);
        at += 2;
        return kPairBit | static_cast<uint32_t>(t.pairs.size() - 1);
      }
      return c;
    };
    for (uint32_t node = 0; node < kCjkNodeCount; ++node) {
      uint32_t lo = cps[at], end = cps[at + 1];
      at += 2;
      uint32_t* row = &t.entries[static_cast<std::size_t>(node) * 256];
      uint32_t fallback = entry();
      for (uint32_t b = 0; b < 256; ++b) row[b] = fallback;
      for (uint32_t b = lo; b < end; ++b) row[b] = entry();
    }
    return t;
  }();
  return tables;
}

const CjkCodec* FindCjkCodec(std::string_view module) {
  for (const CjkCodec& c : kCjkCodecs) {
    if (c.module == module) return &c;
  }
  return nullptr;
}

// The gb18030 four-byte form at bytes[i..i+4): a code point, or 0 when none.
char32_t Gb18030FourByte(std::string_view bytes, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + k])); };
  if (b(2) < 0x81 || b(2) > 0xFE || b(3) < 0x30 || b(3) > 0x39) return 0;
  uint32_t index = (((b(0) - 0x81) * 10 + (b(1) - 0x30)) * 126 + (b(2) - 0x81)) * 10 + (b(3) - 0x30);
  auto it = std::upper_bound(std::begin(kGb18030Ranges), std::end(kGb18030Ranges), index,
                             [](uint32_t v, const uint32_t (&r)[3]) { return v < r[0]; });
  if (it == std::begin(kGb18030Ranges)) return 0;
  --it;
  if (index > (*it)[1]) return 0;
  return (*it)[2] + (index - (*it)[0]);
}

// euc_kr's make-up sequence at bytes[i..i+8): the syllable, or 0.
char32_t KsxMakeUp(std::string_view bytes, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[i + k]); };
  if (b(2) != 0xA4 || b(4) != 0xA4 || b(6) != 0xA4) return 0;
  int initial = kKsxJamo[0][b(3)], medial = kKsxJamo[1][b(5)], final_ = kKsxJamo[2][b(7)];
  if (initial < 0 || medial < 0 || final_ < 0) return 0;
  return static_cast<char32_t>(0xAC00 + (initial * 21 + medial) * 28 + final_);
}

DecodeResult DecodeCjk(const CjkCodec& codec, std::string_view bytes) {
  const CjkTables& t = Cjk();
  DecodeResult r;
  r.utf8.reserve(bytes.size() + bytes.size() / 2);
  const std::size_t size = bytes.size();
  auto fail = [&](std::size_t start, std::size_t end, const char* reason) {
    return DecodeFailure(DecodeErrorText(codec.error_name, bytes, start, end, reason));
  };
  std::size_t i = 0;
  while (i < size) {
    uint32_t node = codec.root;
    std::size_t j = i;
    for (;;) {
      if (j >= size) return fail(i, size, "incomplete multibyte sequence");
      uint32_t e = t.entries[static_cast<std::size_t>(node) * 256 +
                             static_cast<unsigned char>(bytes[j])];
      ++j;
      if (e & kChildBit) {
        node = e & ~kChildBit;
        continue;
      }
      if (e & kPairBit) {
        const auto& pair = t.pairs[e & ~kPairBit];
        unicode::AppendUtf8(r.utf8, pair.first);
        unicode::AppendUtf8(r.utf8, pair.second);
        break;
      }
      if (e == kMarkGb4 || e == kMarkKsx) {
        std::size_t need = e == kMarkGb4 ? 4 : 8;
        if (size - i < need) return fail(i, size, "incomplete multibyte sequence");
        char32_t c = e == kMarkGb4 ? Gb18030FourByte(bytes, i) : KsxMakeUp(bytes, i);
        if (c == 0) return fail(i, i + 1, "illegal multibyte sequence");
        unicode::AppendUtf8(r.utf8, c);
        j = i + need;
        break;
      }
      if (e > kMarkErr && e < kMarkErr + 16) return fail(i, i + (e - kMarkErr), "illegal multibyte sequence");
      unicode::AppendUtf8(r.utf8, e);
      break;
    }
    i = j;
  }
  return r;
}

// HZ (RFC 1843), as CPython's decoder reads it: in ASCII mode "~~" is '~',
// "~{" enters GB mode, "~\n" is dropped; in GB mode "~}" leaves it and two
// bytes 0x21..0x7E are a GB2312 character (the gb2312 trie with the high bits
// set). Anything else is a one-byte error; a sequence cut by the end of the
// input is incomplete.
DecodeResult DecodeHz(std::string_view bytes) {
  const CjkCodec* gb2312 = FindCjkCodec("gb2312");
  const CjkTables& t = Cjk();
  DecodeResult r;
  r.utf8.reserve(bytes.size());
  const std::size_t size = bytes.size();
  auto fail = [&](std::size_t start, std::size_t end, const char* reason) {
    return DecodeFailure(DecodeErrorText("hz", bytes, start, end, reason));
  };
  bool gb = false;
  std::size_t i = 0;
  while (i < size) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == '~') {
      if (size - i < 2) return fail(i, size, "incomplete multibyte sequence");
      unsigned char c2 = static_cast<unsigned char>(bytes[i + 1]);
      if (c2 == '~' && !gb) {
        r.utf8.push_back('~');
      } else if (c2 == '{' && !gb) {
        gb = true;
      } else if (c2 == '\n' && !gb) {
        // line continuation
      } else if (c2 == '}' && gb) {
        gb = false;
      } else {
        return fail(i, i + 1, "illegal multibyte sequence");
      }
      i += 2;
      continue;
    }
    if (c & 0x80) return fail(i, i + 1, "illegal multibyte sequence");
    if (!gb) {
      r.utf8.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (size - i < 2) return fail(i, size, "incomplete multibyte sequence");
    unsigned char c2 = static_cast<unsigned char>(bytes[i + 1]);
    uint32_t e = kMarkErr + 1;
    if (c >= 0x21 && c <= 0x7E && c2 >= 0x21 && c2 <= 0x7E) {
      uint32_t lead = t.entries[static_cast<std::size_t>(gb2312->root) * 256 + (c | 0x80)];
      if (lead & kChildBit) e = t.entries[static_cast<std::size_t>(lead & ~kChildBit) * 256 + (c2 | 0x80)];
    }
    if ((e & (kChildBit | kPairBit)) != 0 || e >= kMarkErr) {
      return fail(i, i + 1, "illegal multibyte sequence");
    }
    unicode::AppendUtf8(r.utf8, e);
    i += 2;
  }
  return r;
}

DecodeResult DecodeUtf8(std::string_view bytes) {
  DecodeResult r;
  std::string err = unicode::Utf8ErrorMessage(bytes);
  if (!err.empty()) {
    r.status = DecodeStatus::kDecodeError;
    r.error = std::move(err);
    return r;
  }
  r.utf8.assign(bytes);
  return r;
}

constexpr uint16_t MakeAsciiEntry(int b) { return b < 0x80 ? static_cast<uint16_t>(b) : kUndefined; }
constexpr uint16_t MakeLatin1Entry(int b) { return static_cast<uint16_t>(b); }

template <uint16_t (*Entry)(int)>
struct FixedTable {
  uint16_t t[256];
  constexpr FixedTable() : t{} {
    for (int b = 0; b < 256; ++b) t[b] = Entry(b);
  }
};

constexpr FixedTable<MakeAsciiEntry> kAsciiTable{};
constexpr FixedTable<MakeLatin1Entry> kLatin1Table{};

}  // namespace

std::string_view CanonicalCodecName(std::string_view encoding) {
  const CodecName* c = LookupCodec(encoding);
  return c ? c->module : std::string_view{};
}

DecodeResult DecodeToUtf8(std::string_view encoding, std::string_view bytes) {
  const CodecName* c = LookupCodec(encoding);
  if (c == nullptr) return {DecodeStatus::kUnknownEncoding, {}, {}};
  switch (c->kind) {
    case CodecKind::kUtf8: return DecodeUtf8(bytes);
    case CodecKind::kUtf8Sig:
      if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
      return DecodeUtf8(bytes);
    case CodecKind::kAscii:
      return DecodeWithTable(kAsciiTable.t, "ascii", "ordinal not in range(128)", bytes);
    case CodecKind::kLatin1:
      return DecodeWithTable(kLatin1Table.t, "latin-1", "", bytes);
    case CodecKind::kTable:
      return DecodeWithTable(kCodecTables[c->table], "charmap", "character maps to <undefined>",
                             bytes);
    case CodecKind::kUtf16: return DecodeUtf16(bytes, 0);
    case CodecKind::kUtf16Le: return DecodeUtf16(bytes, -1);
    case CodecKind::kUtf16Be: return DecodeUtf16(bytes, 1);
    case CodecKind::kUtf32: return DecodeUtf32(bytes, 0);
    case CodecKind::kUtf32Le: return DecodeUtf32(bytes, -1);
    case CodecKind::kUtf32Be: return DecodeUtf32(bytes, 1);
    case CodecKind::kCjk:
      if (const CjkCodec* cjk = FindCjkCodec(c->module)) return DecodeCjk(*cjk, bytes);
      return {DecodeStatus::kUnsupportedEncoding, {}, {}};
    case CodecKind::kRawUnicodeEscape: return DecodeRawUnicodeEscape(bytes);
    case CodecKind::kHz: return DecodeHz(bytes);
    case CodecKind::kUtf7: return DecodeUtf7(bytes);
    case CodecKind::kNotText:
      return {DecodeStatus::kNotTextEncoding, {}, {}};
    case CodecKind::kUndefined:
      return {DecodeStatus::kCodecFailed, {}, "UnicodeError: undefined encoding"};
    case CodecKind::kUnsupported: return {DecodeStatus::kUnsupportedEncoding, {}, {}};
  }
  return {DecodeStatus::kUnsupportedEncoding, {}, {}};
}

}  // namespace xpyc::lex
