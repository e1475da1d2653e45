// STRING tokens to values: prefixes, the unicode-escape and bytes-escape
// decoders, the 3.10 f-string scanner and adjacent-literal concatenation.
#include "parser/literals.h"

#include "lexer/unicode.h"

#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace xpyc::literals {
namespace {

// 3.10's fstring_find_expr keeps a stack of at most this many open brackets.
constexpr std::size_t kMaxBracketDepth = 200;
constexpr uint32_t kMaxUnicode = 0x10FFFF;

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// What a single-character escape (other than octal, \x, \u, \U, \N) stands
// for; -1 if `c` is not one.
int SimpleEscape(char c) {
  switch (c) {
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case 'b': return '\b';
    case 'f': return '\f';
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'v': return '\v';
    case 'a': return '\a';
    default: return -1;
  }
}

// ---------------------------------------------------------------------------
// Token text: prefix and quotes.

struct StringParts {
  bool bytes = false;
  bool raw = false;
  bool fstring = false;
  std::size_t body_begin = 0;  // offsets into the token text
  std::size_t body_end = 0;
};

StringParts SplitStringToken(std::string_view text) {
  StringParts parts;
  std::size_t i = 0;
  while (i < text.size() && text[i] != '\'' && text[i] != '"') {
    switch (text[i]) {
      case 'b': case 'B': parts.bytes = true; break;
      case 'r': case 'R': parts.raw = true; break;
      case 'f': case 'F': parts.fstring = true; break;
      default: break;  // u / U
    }
    ++i;
  }
  const std::size_t quoted = text.size() - i;
  const char quote = i < text.size() ? text[i] : '"';
  const bool triple = quoted >= 6 && text[i + 1] == quote && text[i + 2] == quote;
  const std::size_t quote_len = triple ? 3 : 1;
  parts.body_begin = std::min(text.size(), i + quote_len);
  parts.body_end = text.size() >= quote_len ? std::max(parts.body_begin, text.size() - quote_len)
                                            : parts.body_begin;
  return parts;
}

// ---------------------------------------------------------------------------
// The unicode-escape decoder, as 3.10's decode_unicode_with_escapes drives it.

struct DecodeResult {
  bool ok = true;
  std::string message;       // set when !ok: the SyntaxError text
  char invalid_escape = 0;   // first invalid escape character, or 0
};

bool HasNonAscii(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ull) != 0) return true;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) & 0x80) return true;
  }
  return false;
}

// Whether `s` ends with an odd run of backslashes: its last one escapes
// nothing.
bool EndsWithLoneBackslash(std::string_view s) {
  std::size_t run = 0;
  while (run < s.size() && s[s.size() - 1 - run] == '\\') ++run;
  return run % 2 == 1;
}

// 3.10 first rewrites the text so the codec sees only ASCII: each non-ASCII
// character becomes \UXXXXXXXX, and a backslash followed by a non-ASCII
// character (or ending the text) becomes \u005c. Error positions the codec
// reports are offsets into this rewritten text.
std::string RewriteForUnicodeEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\\') {
      out.push_back('\\');
      ++i;
      if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0x80)) {
        out += "u005c";
        if (i >= s.size()) break;
      }
    }
    if (static_cast<unsigned char>(s[i]) & 0x80) {
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0x80)) {
        uint32_t cp = 0;
        const unsigned char lead = static_cast<unsigned char>(s[i]);
        std::size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        cp = n == 4 ? lead & 0x07 : n == 3 ? lead & 0x0F : n == 2 ? lead & 0x1F : lead;
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
          cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        i += n;
        out += fmt::format("\\U{:08x}", cp);
      }
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

std::string CodecErrorMessage(std::string_view codec_message, std::size_t start,
                              std::size_t end, unsigned char byte) {
  if (end == start + 1) {
    return fmt::format(
        "(unicode error) 'unicodeescape' codec can't decode byte 0x{:02x} in position {}: {}",
        byte, start, codec_message);
  }
  return fmt::format(
      "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: {}", start,
      end - 1, codec_message);
}

// Decodes ASCII text `s` (already rewritten) with the unicode-escape rules.
DecodeResult DecodeUnicodeEscape(std::string_view s, std::string& out) {
  DecodeResult result;
  std::size_t i = 0;
  auto fail = [&](std::size_t start, std::size_t end, std::string_view message) {
    result.ok = false;
    const unsigned char byte = start < s.size() ? static_cast<unsigned char>(s[start]) : 0;
    result.message = CodecErrorMessage(message, start, end, byte);
    return result;
  };
  while (i < s.size()) {
    if (s[i] != '\\') {
      const std::size_t next = std::min(s.find('\\', i), s.size());
      out.append(s.substr(i, next - i));
      i = next;
      continue;
    }
    const std::size_t start = i++;
    if (i >= s.size()) return fail(start, i, "\\ at end of string");
    const char c = s[i++];
    if (c == '\n') continue;
    if (const int simple = SimpleEscape(c); simple >= 0) {
      out.push_back(static_cast<char>(simple));
      continue;
    }
    if (IsOctalDigit(c)) {
      uint32_t ch = static_cast<uint32_t>(c - '0');
      for (int k = 0; k < 2 && i < s.size() && IsOctalDigit(s[i]); ++k) {
        ch = (ch << 3) + static_cast<uint32_t>(s[i++] - '0');
      }
      lex::unicode::AppendUtf8(out, ch);
      continue;
    }
    if (c == 'x' || c == 'u' || c == 'U') {
      int count = c == 'x' ? 2 : c == 'u' ? 4 : 8;
      const char* message = c == 'x'   ? "truncated \\xXX escape"
                            : c == 'u' ? "truncated \\uXXXX escape"
                                       : "truncated \\UXXXXXXXX escape";
      uint32_t ch = 0;
      for (; count > 0 && i < s.size() && IsHexDigit(s[i]); ++i, --count) {
        ch = (ch << 4) + static_cast<uint32_t>(HexValue(s[i]));
      }
      if (count > 0) return fail(start, i, message);
      if (ch > kMaxUnicode) return fail(start, i, "illegal Unicode character");
      lex::unicode::AppendUtf8(out, ch);
      continue;
    }
    if (c == 'N') {
      const char* malformed = "malformed \\N character escape";
      if (i >= s.size() || s[i] != '{') return fail(start, i, malformed);
      const std::size_t name_begin = ++i;
      while (i < s.size() && s[i] != '}') ++i;
      if (i >= s.size()) return fail(start, i, malformed);
      if (i == name_begin) return fail(start, i, malformed);
      const int32_t cp = LookupUnicodeName(s.substr(name_begin, i - name_begin));
      ++i;
      if (cp < 0) return fail(start, i, "unknown Unicode character name");
      lex::unicode::AppendUtf8(out, static_cast<uint32_t>(cp));
      continue;
    }
    if (result.invalid_escape == 0) result.invalid_escape = c;
    out.push_back('\\');
    out.push_back(c);
  }
  return result;
}

// 3.10's _PyBytes_DecodeEscape.
DecodeResult DecodeBytesEscape(std::string_view s, std::string& out) {
  DecodeResult result;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\\') {
      out.push_back(s[i++]);
      continue;
    }
    const std::size_t start = i++;
    if (i >= s.size()) {
      result.ok = false;
      result.message = "(value error) Trailing \\ in string";
      return result;
    }
    const char c = s[i++];
    if (c == '\n') continue;
    if (const int simple = SimpleEscape(c); simple >= 0) {
      out.push_back(static_cast<char>(simple));
      continue;
    }
    if (IsOctalDigit(c)) {
      unsigned ch = static_cast<unsigned>(c - '0');
      for (int k = 0; k < 2 && i < s.size() && IsOctalDigit(s[i]); ++k) {
        ch = (ch << 3) + static_cast<unsigned>(s[i++] - '0');
      }
      out.push_back(static_cast<char>(ch & 0xFF));
      continue;
    }
    if (c == 'x') {
      if (i + 1 < s.size() && IsHexDigit(s[i]) && IsHexDigit(s[i + 1])) {
        out.push_back(static_cast<char>(HexValue(s[i]) * 16 + HexValue(s[i + 1])));
        i += 2;
        continue;
      }
      result.ok = false;
      result.message = fmt::format("(value error) invalid \\x escape at position {}", start);
      return result;
    }
    if (result.invalid_escape == 0) result.invalid_escape = c;
    out.push_back('\\');
    --i;  // the character after the backslash is read again as itself
  }
  return result;
}


// ---------------------------------------------------------------------------
// A JoinedStr under construction: 3.10's FstringParser state.

class JoinedBuilder {
 public:
  // `run_kind_u`: the run's first token starts with 'u'.
  JoinedBuilder(marshal::Heap& heap, bool run_kind_u) : heap_(heap), run_kind_u_(run_kind_u) {}

  void AddLiteral(std::string_view text) { pending_ += text; }

  // Literals flushed before a field are placed at the whole run.
  void AddFormatted(const FormattedPart* part) {
    FlushLiteral(-1, run_kind_u_);
    parts_.push_back(JoinedPart{nullptr, part, -1, false});
  }

  // The trailing literal goes where the caller says: the run (-1) at top
  // level, the holding token for a format spec.
  JoinedString Finish(int32_t trailing_token_index, bool trailing_kind_u) {
    FlushLiteral(trailing_token_index, trailing_kind_u);
    return JoinedString{heap_.arena().Copy(std::span<const JoinedPart>(parts_))};
  }

  const std::string& pending() const { return pending_; }

 private:
  void FlushLiteral(int32_t token_index, bool kind_u) {
    if (pending_.empty()) return;
    parts_.push_back(JoinedPart{heap_.Str(pending_), nullptr, token_index, kind_u});
    pending_.clear();
  }

  marshal::Heap& heap_;
  bool run_kind_u_;
  std::string pending_;
  std::vector<JoinedPart> parts_;
};

bool StartsWithLowerU(std::string_view text) { return !text.empty() && text[0] == 'u'; }

// ---------------------------------------------------------------------------
// The whole run of tokens: _PyPegen_concatenate_strings.

class Concatenator {
 public:
  Concatenator(const TokenSpan& error_token, ExpressionCompiler* compiler,
               marshal::Heap& heap, Diagnostics& diag)
      : error_token_(error_token), compiler_(compiler), heap_(heap), diag_(diag) {}

  bool Run(std::span<const StringToken> tokens, StringsResult& out);

 private:
  // The token being scanned and its body.
  struct Scan {
    const StringToken* token = nullptr;
    uint32_t index = 0;
    std::string_view text;  // whole token text
    std::size_t pos = 0;    // cursor into text
    std::size_t end = 0;    // end of the body
    bool raw = false;
    // Newlines counted so far, incrementally (fields come in text order), so
    // locating every field of a long f-string stays linear.
    std::size_t counted_to = 0;
    int32_t newlines = 0;
    std::size_t last_newline = std::string_view::npos;
  };

  bool Fail(std::string message) {
    return diag_.Error(Diagnostic{ErrorClass::SyntaxError, std::move(message),
                                  error_token_.lineno, error_token_.col,
                                  error_token_.end_lineno, error_token_.end_col, std::nullopt});
  }

  void WarnInvalidEscape(char c, const StringToken& token) {
    diag_.Warn(Diagnostic{ErrorClass::DeprecationWarning,
                          fmt::format("invalid escape sequence '\\{}'", c), token.span.lineno,
                          -1, 0, -1, std::nullopt});
  }

  bool DecodeStr(std::string_view body, const StringToken& token, std::string& out);
  bool DecodeBytes(std::string_view body, const StringToken& token, std::string& out);
  bool CheckUtf8(std::string_view text);
  bool CheckUtf8Runs(std::string_view text);

  bool ScanFString(Scan& scan, int depth, JoinedBuilder& builder);
  int ScanLiteral(Scan& scan, int depth, JoinedBuilder& builder);
  bool ScanReplacementField(Scan& scan, int depth, JoinedBuilder& builder);
  bool FindExpressionEnd(Scan& scan);
  ExpressionText MakeExpressionText(Scan& scan, std::size_t brace,
                                    std::size_t expr_end) const;

  const TokenSpan& error_token_;
  ExpressionCompiler* compiler_;
  marshal::Heap& heap_;
  Diagnostics& diag_;
  bool run_kind_u_ = false;
};

// CPython hands text it does not unescape (raw, or with no backslash) to its
// utf-8 codec whole, and otherwise decodes each run of non-ASCII bytes on its
// own, so an error's byte position counts from the start of that run.
bool Concatenator::CheckUtf8(std::string_view text) {
  if (!HasNonAscii(text)) return true;
  std::string error = lex::unicode::Utf8ErrorMessage(text);
  return error.empty() || Fail("(unicode error) " + error);
}

bool Concatenator::CheckUtf8Runs(std::string_view text) {
  auto high = [](char c) { return (static_cast<unsigned char>(c) & 0x80) != 0; };
  for (std::size_t i = 0; i < text.size();) {
    if (!high(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && high(text[end])) ++end;
    if (!CheckUtf8(text.substr(i, end - i))) return false;
    i = end;
  }
  return true;
}

bool Concatenator::DecodeStr(std::string_view body, const StringToken& token,
                             std::string& out) {
  if (!CheckUtf8Runs(body)) return false;
  // ASCII text without a lone backslash at its end is its own rewrite.
  const DecodeResult r = HasNonAscii(body) || EndsWithLoneBackslash(body)
                             ? DecodeUnicodeEscape(RewriteForUnicodeEscape(body), out)
                             : DecodeUnicodeEscape(body, out);
  if (!r.ok) return Fail(r.message);
  if (r.invalid_escape != 0) WarnInvalidEscape(r.invalid_escape, token);
  return true;
}

bool Concatenator::DecodeBytes(std::string_view body, const StringToken& token,
                               std::string& out) {
  const DecodeResult r = DecodeBytesEscape(body, out);
  if (!r.ok) return Fail(r.message);
  if (r.invalid_escape != 0) WarnInvalidEscape(r.invalid_escape, token);
  return true;
}

// fstring_find_literal: reads literal text up to a '{' that starts a field,
// a '}' ending a format spec, or the end. Returns -1 on error, 1 when it
// stopped after a doubled brace (call again), 0 otherwise.
int Concatenator::ScanLiteral(Scan& scan, int depth, JoinedBuilder& builder) {
  const std::size_t literal_begin = scan.pos;
  std::size_t s = scan.pos;
  int result = 0;
  std::size_t literal_end = 0;
  bool stopped = false;
  while (s < scan.end) {
    char ch = scan.text[s++];
    if (!scan.raw && ch == '\\' && s < scan.end) {
      ch = scan.text[s++];
      if (ch == 'N') {
        if (s < scan.end && scan.text[s++] == '{') {
          while (s < scan.end && scan.text[s++] != '}') {
          }
          continue;
        }
        break;  // a malformed \N: the decoder reports it
      }
      if (ch == '{') WarnInvalidEscape(ch, *scan.token);
    }
    if (ch == '{' || ch == '}') {
      if (depth == 0) {
        if (s < scan.end && scan.text[s] == ch) {
          literal_end = s;  // keeps one brace
          scan.pos = s + 1;
          result = 1;
          stopped = true;
          break;
        }
        if (ch == '}') {
          scan.pos = s - 1;
          Fail("f-string: single '}' is not allowed");
          return -1;
        }
      }
      --s;
      break;
    }
  }
  if (!stopped) {
    scan.pos = s;
    literal_end = s;
  }
  if (literal_end == literal_begin) return result;
  const std::string_view literal = scan.text.substr(literal_begin, literal_end - literal_begin);
  if (scan.raw) {
    if (!CheckUtf8(literal)) return -1;
    builder.AddLiteral(literal);
    return result;
  }
  std::string decoded;
  if (!DecodeStr(literal, *scan.token, decoded)) return -1;
  builder.AddLiteral(decoded);
  return result;
}

// Moves scan.pos from just after '{' to the character that ends the
// expression ('!', ':', '}', '=' at bracket depth 0) or to the end.
bool Concatenator::FindExpressionEnd(Scan& scan) {
  char quote = 0;
  int string_type = 0;  // 1: single-quoted, 3: triple-quoted
  std::vector<char> brackets;
  for (; scan.pos < scan.end; ++scan.pos) {
    const char ch = scan.text[scan.pos];
    if (ch == '\\') return Fail("f-string expression part cannot include a backslash");
    if (quote != 0) {
      if (ch != quote) continue;
      if (string_type == 3) {
        if (scan.pos + 2 < scan.end && scan.text[scan.pos + 1] == ch &&
            scan.text[scan.pos + 2] == ch) {
          scan.pos += 2;
          quote = 0;
          string_type = 0;
        }
      } else {
        quote = 0;
        string_type = 0;
      }
      continue;
    }
    if (ch == '\'' || ch == '"') {
      if (scan.pos + 2 < scan.end && scan.text[scan.pos + 1] == ch &&
          scan.text[scan.pos + 2] == ch) {
        string_type = 3;
        scan.pos += 2;
      } else {
        string_type = 1;
      }
      quote = ch;
    } else if (ch == '[' || ch == '{' || ch == '(') {
      if (brackets.size() >= kMaxBracketDepth) {
        return Fail("f-string: too many nested parenthesis");
      }
      brackets.push_back(ch);
    } else if (ch == '#') {
      return Fail("f-string expression part cannot include '#'");
    } else if (brackets.empty() &&
               (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
      if (scan.pos + 1 < scan.end && scan.text[scan.pos + 1] == '=' &&
          (ch == '!' || ch == '=' || ch == '<' || ch == '>')) {
        ++scan.pos;  // "!=", "==", "<=", ">="
        continue;
      }
      if (ch == '>' || ch == '<') continue;  // never ends an expression
      break;
    } else if (ch == ']' || ch == '}' || ch == ')') {
      if (brackets.empty()) return Fail(fmt::format("f-string: unmatched '{}'", ch));
      const char opening = brackets.back();
      brackets.pop_back();
      const bool matches = (opening == '(' && ch == ')') || (opening == '[' && ch == ']') ||
                           (opening == '{' && ch == '}');
      if (!matches) {
        return Fail(fmt::format(
            "f-string: closing parenthesis '{}' does not match opening parenthesis '{}'", ch,
            opening));
      }
    }
  }
  if (quote != 0) return Fail("f-string: unterminated string");
  if (!brackets.empty()) {
    return Fail(fmt::format("f-string: unmatched '{}'", brackets.back()));
  }
  return true;
}

// fstring_find_expr_location + the start of fstring_compile_expr.
ExpressionText Concatenator::MakeExpressionText(Scan& scan, std::size_t brace,
                                                std::size_t expr_end) const {
  const std::string_view parent = scan.text;
  // Whitespace, then a newline (or the '}'), right after the brace: 3.10
  // then adds no column shift at all.
  bool newline_after_brace = true;
  for (std::size_t k = brace + 1; k < parent.size() && parent[k] != '}' && parent[k] != '\n';
       ++k) {
    const char c = parent[k];
    if (c != ' ' && c != '\t' && c != '\f') {
      newline_after_brace = false;
      break;
    }
  }
  for (; scan.counted_to < brace; ++scan.counted_to) {
    if (parent[scan.counted_to] == '\n') {
      ++scan.newlines;
      scan.last_newline = scan.counted_to;
    }
  }
  const int32_t lines = scan.newlines;
  int32_t cols = 0;
  if (!newline_after_brace) {
    // Bytes from the start of the brace's line (or of the token) to the brace.
    cols = static_cast<int32_t>(scan.last_newline == std::string_view::npos
                                    ? brace
                                    : brace - scan.last_newline - 1);
  }
  const std::string_view expr = parent.substr(brace + 1, expr_end - brace - 1);
  std::string wrapped;
  wrapped.reserve(expr.size() + 2);
  wrapped.push_back('(');
  wrapped.append(expr);
  wrapped.push_back(')');
  ExpressionText out;
  out.text = heap_.arena().CopyString(wrapped);
  out.start_lineno = scan.token->span.lineno + lines;
  out.start_col = lines != 0 ? cols : scan.token->span.col + cols;
  out.token_index = scan.index;
  return out;
}

// fstring_find_expr: scan.pos is on '{'.
bool Concatenator::ScanReplacementField(Scan& scan, int depth, JoinedBuilder& builder) {
  auto expecting_brace = [&] { return Fail("f-string: expecting '}'"); };
  if (depth >= 2) return Fail("f-string: expressions nested too deeply");
  const std::size_t brace = scan.pos;
  ++scan.pos;
  const std::size_t expr_begin = scan.pos;
  if (!FindExpressionEnd(scan)) return false;
  const std::size_t expr_end = scan.pos;
  if (scan.pos >= scan.end) return expecting_brace();

  // fstring_compile_expr: an all-whitespace expression is an error.
  bool blank = true;
  for (std::size_t k = expr_begin; k < expr_end; ++k) {
    const char c = scan.text[k];
    if (!(c == ' ' || c == '\t' || c == '\n' || c == '\f')) {
      blank = false;
      break;
    }
  }
  if (blank) return Fail("f-string: empty expression not allowed");

  auto* part = heap_.arena().New<FormattedPart>();
  part->expr = MakeExpressionText(scan, brace, expr_end);
  if (compiler_ != nullptr) {
    part->compiled = compiler_->CompileExpression(part->expr);
    if (part->compiled == nullptr) {
      if (!diag_.HasError()) Fail("f-string: invalid expression");
      return false;
    }
  }

  bool self_documenting = false;
  if (scan.text[scan.pos] == '=') {
    ++scan.pos;
    while (scan.pos < scan.text.size() && IsAsciiSpace(scan.text[scan.pos])) ++scan.pos;
    builder.AddLiteral(scan.text.substr(expr_begin, scan.pos - expr_begin));
    self_documenting = true;
  }

  if (scan.pos < scan.end && scan.text[scan.pos] == '!') {
    ++scan.pos;
    if (scan.pos >= scan.end) return expecting_brace();
    const char conversion = scan.text[scan.pos++];
    if (conversion != 's' && conversion != 'r' && conversion != 'a') {
      return Fail("f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
    part->conversion = conversion;
  }

  if (scan.pos >= scan.end) return expecting_brace();
  if (scan.text[scan.pos] == ':') {
    ++scan.pos;
    if (scan.pos >= scan.end) return expecting_brace();
    JoinedBuilder spec(heap_, run_kind_u_);
    if (!ScanFString(scan, depth + 1, spec)) return false;
    part->format_spec = heap_.arena().New<JoinedString>(
        spec.Finish(static_cast<int32_t>(scan.index), StartsWithLowerU(scan.text)));
  }

  if (scan.pos >= scan.end || scan.text[scan.pos] != '}') return expecting_brace();
  ++scan.pos;

  if (self_documenting && part->format_spec == nullptr && part->conversion == -1) {
    part->conversion = 'r';
  }
  builder.AddFormatted(part);
  return true;
}

// _PyPegen_FstringParser_ConcatFstring over one token body (depth 0) or one
// format spec (depth 1 and 2).
bool Concatenator::ScanFString(Scan& scan, int depth, JoinedBuilder& builder) {
  while (true) {
    const int literal = ScanLiteral(scan, depth, builder);
    if (literal < 0) return false;
    if (literal == 1) continue;
    if (scan.pos >= scan.end || scan.text[scan.pos] == '}') break;
    if (!ScanReplacementField(scan, depth, builder)) return false;
  }
  if (depth == 0 && scan.pos + 1 < scan.end) return Fail("f-string: unexpected end of string");
  if (depth != 0 && (scan.pos >= scan.end || scan.text[scan.pos] != '}')) {
    return Fail("f-string: expecting '}'");
  }
  return true;
}

bool Concatenator::Run(std::span<const StringToken> tokens, StringsResult& out) {
  run_kind_u_ = !tokens.empty() && StartsWithLowerU(tokens[0].text);
  if (tokens.size() == 1) {
    // The common case: one plain str literal with nothing to unescape.
    const StringParts parts = SplitStringToken(tokens[0].text);
    const std::string_view body =
        tokens[0].text.substr(parts.body_begin, parts.body_end - parts.body_begin);
    if (!parts.bytes && !parts.fstring &&
        (parts.raw || body.find('\\') == std::string_view::npos)) {
      if (!CheckUtf8(body)) return false;
      out = StringsResult{};
      out.kind_u = run_kind_u_;
      out.kind = StringsResult::Kind::Constant;
      out.constant = heap_.Str(body);
      return true;
    }
  }
  JoinedBuilder joined(heap_, run_kind_u_);
  std::string bytes_value;
  bool bytes_mode = false;
  bool fmode = false;
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    const StringToken& token = tokens[i];
    const StringParts parts = SplitStringToken(token.text);
    const std::string_view body =
        token.text.substr(parts.body_begin, parts.body_end - parts.body_begin);
    std::string value;
    if (parts.bytes) {
      // parsestr checks the rest of the token (body and closing quotes).
      if (HasNonAscii(token.text.substr(parts.body_begin))) {
        return Fail("bytes can only contain ASCII literal characters");
      }
      if (parts.raw) {
        value.assign(body);
      } else if (!DecodeBytes(body, token, value)) {
        return false;
      }
    } else if (!parts.fstring) {
      // Text without a backslash has nothing to unescape: CPython decodes it
      // as UTF-8 directly, exactly as it does raw text.
      if (parts.raw || body.find('\\') == std::string_view::npos) {
        if (!CheckUtf8(body)) return false;
        value.assign(body);
      } else if (!DecodeStr(body, token, value)) {
        return false;
      }
    }
    if (i != 0 && bytes_mode != parts.bytes) {
      return Fail("cannot mix bytes and nonbytes literals");
    }
    bytes_mode = parts.bytes;
    if (parts.fstring) {
      fmode = true;
      Scan scan{&token, i, token.text, parts.body_begin, parts.body_end, parts.raw};
      if (!ScanFString(scan, 0, joined)) return false;
    } else if (bytes_mode) {
      bytes_value += value;
    } else {
      joined.AddLiteral(value);
    }
  }
  out = StringsResult{};
  out.kind_u = run_kind_u_;
  if (bytes_mode) {
    out.kind = StringsResult::Kind::Constant;
    out.constant = heap_.Bytes(bytes_value);
    return true;
  }
  if (!fmode) {
    out.kind = StringsResult::Kind::Constant;
    out.constant = heap_.Str(joined.pending());
    return true;
  }
  out.kind = StringsResult::Kind::Joined;
  out.joined = joined.Finish(-1, run_kind_u_);
  return true;
}

}  // namespace

bool ConcatenateStrings(std::span<const StringToken> tokens, const TokenSpan& error_token,
                        ExpressionCompiler* compiler, marshal::Heap& heap, Diagnostics& diag,
                        StringsResult& out) {
  Concatenator concatenator(error_token, compiler, heap, diag);
  return concatenator.Run(tokens, out);
}

}  // namespace xpyc::literals
