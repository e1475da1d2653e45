#include "lexer/codecs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "lexer/unicode.h"

namespace xpyc::lex {
namespace {

enum class CodecKind : uint8_t { kUtf8, kUtf8Sig, kAscii, kLatin1, kTable, kUnsupported };

struct CodecName {
  std::string_view alias;   // normalised: lower case, punctuation runs as '_'
  std::string_view module;  // the encodings.* module it selects
  CodecKind kind;
  int table;                // index into kCodecTables for kTable
};

#include "lexer/codecs_tables.inc"

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
    case CodecKind::kUnsupported: return {DecodeStatus::kUnsupportedEncoding, {}, {}};
  }
  return {DecodeStatus::kUnsupportedEncoding, {}, {}};
}

}  // namespace xpyc::lex
