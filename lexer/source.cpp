// Source decoding as compile(bytes, path, 'exec') does it in CPython 3.10:
// newline translation, UTF-8 BOM, PEP 263 declaration on line 1 or 2, then
// conversion from the declared codec to UTF-8. Without a declaration the bytes
// are taken as they are: CPython only notices invalid UTF-8 when it decodes a
// name or a string literal, and so do we (lex.cpp, the parser).
#include "lexer/source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "lexer/codecs.h"

namespace xpyc::lex {

uint32_t Source::LineOf(uint32_t offset) const {
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  return static_cast<uint32_t>(it - line_starts.begin());
}

uint32_t Source::ColumnOf(uint32_t offset) const {
  uint32_t line = LineOf(offset);
  if (line == 0) return offset;
  return offset - line_starts[line - 1];
}

std::string_view Source::LineText(uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  std::string_view rest = std::string_view(text).substr(line_starts[line - 1]);
  return rest.substr(0, rest.find('\n'));
}

namespace {

// "\r\n" and "\r" become "\n"; a final "\n" is added when missing (CPython
// does so for 'exec' input, even for an empty file).
std::string TranslateNewlines(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 1);
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t cr = in.find('\r', i);
    if (cr == std::string_view::npos) {
      out.append(in.substr(i));
      break;
    }
    out.append(in.substr(i, cr - i));
    out.push_back('\n');
    i = cr + 1;
    if (i < in.size() && in[i] == '\n') ++i;
  }
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  return out;
}

void ComputeLineStarts(Source& s) {
  s.line_starts.clear();
  s.line_starts.reserve(s.text.size() / 32 + 2);
  s.line_starts.push_back(0);
  const char* begin = s.text.data();
  const char* end = begin + s.text.size();
  for (const char* p = begin;;) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (p == nullptr || ++p == end) break;
    s.line_starts.push_back(static_cast<uint32_t>(p - begin));
  }
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The tokenizer's own shortcut for the two encodings it knows by heart: only
// the first 12 characters are looked at, '_' counts as '-', case is ignored.
std::string NormalName(std::string_view spec) {
  std::string buf;
  for (std::size_t i = 0; i < spec.size() && i < 12; ++i) {
    buf.push_back(spec[i] == '_' ? '-' : AsciiLower(spec[i]));
  }
  auto starts = [&](std::string_view p) { return buf.compare(0, p.size(), p) == 0; };
  if (buf == "utf-8" || starts("utf-8-")) return "utf-8";
  if (buf == "latin-1" || buf == "iso-8859-1" || buf == "iso-latin-1" || starts("latin-1-") ||
      starts("iso-8859-1-") || starts("iso-latin-1-")) {
    return "iso-8859-1";
  }
  return std::string(spec);
}

// A coding spec: the line is only blanks then a comment containing
// "coding" followed by ':' or '=', blanks and a name of [A-Za-z0-9-_.].
// `size` is how many bytes of `line` CPython examines.
std::optional<std::string> FindCodingSpec(std::string_view line, std::size_t size) {
  if (size < 7) return std::nullopt;
  std::size_t limit = size - 6;
  std::size_t i = 0;
  for (; i < limit; ++i) {
    if (line[i] == '#') break;
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\f') return std::nullopt;
  }
  for (; i < limit; ++i) {
    if (line.compare(i, 6, "coding") != 0) continue;
    std::size_t t = i + 6;
    if (t >= line.size() || (line[t] != ':' && line[t] != '=')) continue;
    do {
      ++t;
    } while (t < line.size() && (line[t] == ' ' || line[t] == '\t'));
    std::size_t begin = t;
    while (t < line.size() && (IsAsciiAlnum(line[t]) || line[t] == '-' || line[t] == '_' ||
                               line[t] == '.')) {
      ++t;
    }
    if (t > begin) return NormalName(line.substr(begin, t - begin));
  }
  return std::nullopt;
}

// Whether a line without a coding spec still lets line 2 carry one: only
// blanks and possibly a comment.
bool IsBlankOrComment(std::string_view line) {
  for (char c : line) {
    if (c == '#' || c == '\n' || c == '\r') return true;
    if (c != ' ' && c != '\t' && c != '\f') return false;
  }
  return true;
}

bool EncodingError(Diagnostics& diag, ErrorClass cls, std::string message) {
  Diagnostic d;
  d.cls = cls;
  d.message = std::move(message);
  return diag.Error(std::move(d));
}

}  // namespace

Source MakeUtf8Source(std::string_view utf8, std::string path) {
  Source s;
  s.path = std::move(path);
  s.text = TranslateNewlines(utf8);
  ComputeLineStarts(s);
  return s;
}

bool DecodeSource(std::string_view bytes, std::string path, Source& out, Diagnostics& diag) {
  out = Source{};
  out.path = std::move(path);
  if (bytes.find('\0') != std::string_view::npos) {
    return EncodingError(diag, ErrorClass::ValueError, "source code string cannot contain null bytes");
  }
  std::string text = TranslateNewlines(bytes);
  bool bom = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0;
  std::string_view body = std::string_view(text).substr(bom ? 3 : 0);

  std::size_t nl1 = body.find('\n');  // always found: text ends with '\n'
  std::optional<std::string> spec = FindCodingSpec(body, nl1);
  if (!spec && IsBlankOrComment(body.substr(0, nl1))) {
    std::size_t nl2 = body.find('\n', nl1 + 1);
    if (nl2 != std::string_view::npos) spec = FindCodingSpec(body.substr(nl1 + 1), nl2 - nl1);
  }

  std::string encoding = spec.value_or("utf-8");
  if (bom && spec && *spec != "utf-8") {
    return EncodingError(diag, ErrorClass::SyntaxError,
                         fmt::format("encoding problem: {} with BOM", *spec));
  }
  if (encoding == "utf-8") {
    out.text = bom ? std::string(body) : std::move(text);
  } else {
    DecodeResult r = DecodeToUtf8(encoding, body);
    switch (r.status) {
      case DecodeStatus::kOk: break;
      case DecodeStatus::kUnknownEncoding:
        return EncodingError(diag, ErrorClass::SyntaxError, fmt::format("unknown encoding: {}", encoding));
      case DecodeStatus::kUnsupportedEncoding:
        return EncodingError(diag, ErrorClass::SystemError,
                             fmt::format("xpyc: source encoding '{}' is not supported", encoding));
      case DecodeStatus::kDecodeError:
        return EncodingError(diag, ErrorClass::SyntaxError, r.error);
      case DecodeStatus::kNotTextEncoding:
        return EncodingError(
            diag, ErrorClass::SyntaxError,
            fmt::format("'{}' is not a text encoding; use codecs.decode() to handle arbitrary codecs",
                        encoding));
      case DecodeStatus::kCodecFailed:
        return EncodingError(diag, ErrorClass::SyntaxError,
                             fmt::format("decoding with '{}' codec failed ({})", encoding, r.error));
    }
    out.text = std::move(r.utf8);
    if (out.text.empty() || out.text.back() != '\n') out.text.push_back('\n');
  }
  out.encoding = std::move(encoding);
  out.declared_encoding = bom || spec.has_value();
  ComputeLineStarts(out);
  return true;
}

}  // namespace xpyc::lex
