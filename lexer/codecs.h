#pragma once
// Source codecs: turning a file declared in some encoding into UTF-8, for the
// codecs CPython accepts in a PEP 263 declaration. Single-byte codecs use
// tables generated from the oracle (tools/gen_codecs.py); UTF-8 is validated
// with CPython's error words; UTF-16/32 follow CPython's decoders; the
// stateless CJK codecs (shift_jis, cp932, euc_jp, euc_jis_2004, gbk, gb18030,
// big5, big5hkscs, cp949, euc_kr, johab...) use byte tries generated from and
// checked against the oracle (tools/gen_cjk_codecs.py); hz (over the gb2312
// trie), utf_7 and raw_unicode_escape are decoded as CPython does. The
// iso2022_* codecs, unicode_escape, idna and punycode are recognised by name
// but not supported (SystemError "xpyc: source encoding 'X' is not supported").
#include <string>
#include <string_view>

namespace xpyc::lex {

enum class DecodeStatus : uint8_t {
  kOk,
  kUnknownEncoding,      // no codec of that name (CPython: "unknown encoding: X")
  kUnsupportedEncoding,  // a codec CPython has but xpyc does not implement
  kDecodeError,          // the bytes are invalid in that codec; see `error`
  kNotTextEncoding,      // a bytes-to-bytes codec (base64_codec, rot_13...)
  kCodecFailed,          // the codec raised something else; `error` is
                         // "ExceptionClass: message" ('undefined')
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kOk;
  std::string utf8;
  std::string error;  // CPython's UnicodeDecodeError text
};

// Decodes `bytes` from the codec named `encoding` (any spelling CPython's
// codec lookup accepts: "Latin-1", "cp1252", "koi8_r", "utf8"...).
DecodeResult DecodeToUtf8(std::string_view encoding, std::string_view bytes);

// The codec module a name selects ("latin1" -> "latin_1"); empty if none.
std::string_view CanonicalCodecName(std::string_view encoding);

}  // namespace xpyc::lex
