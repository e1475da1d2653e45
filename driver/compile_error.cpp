#include "driver/compile_error.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "driver/fs_util.h"
#include "lexer/codecs.h"
#include "lexer/unicode.h"

namespace xpyc::driver {
namespace {

// Messages CPython's tokenizer raises itself (syntaxerror() in tokenizer.c):
// their offsets count characters whatever the encoding, and their text is
// the line without its newline.
constexpr std::array<std::string_view, 14> kTokenizerMessagePrefixes = {
    "unterminated string literal",
    "unterminated triple-quoted string literal",
    "invalid character",
    "invalid non-printable character",
    "invalid decimal literal",
    "invalid hexadecimal literal",
    "invalid octal literal",
    "invalid binary literal",
    "invalid imaginary literal",
    "invalid digit",
    "leading zeros in decimal integer literals",
    "unmatched '",
    "closing parenthesis",
    "too many nested parentheses",
};

bool IsTokenizerMessage(std::string_view message) {
  for (std::string_view prefix : kTokenizerMessagePrefixes) {
    if (message.starts_with(prefix)) return true;
  }
  return false;
}

// Parser-stage end offsets: end_col -2 stands for CPython's -1 (an error
// raised from the last token, whose end is unknown) and end_col -1 for 0
// (RAISE_ERROR_KNOWN_LOCATION with an unknown end), except for the errors the
// lexer reports from the tokenizer's state, which always say -1: of those,
// the ones CPython raises from the last token show -1.
int64_t UnknownEndOffset(const Diagnostic& d) {
  if (d.end_col == -2) return -1;
  std::string_view m = d.message;
  if (m == "unexpected EOF while parsing" ||
      m == "unindent does not match any outer indentation level" ||
      m.starts_with("(unicode error) 'utf-8' codec")) {
    return -1;
  }
  return 0;
}

// The characters "replace" decoding makes of `bytes`: one per code point and
// one per invalid sequence; with `out`, the decoded text too.
int64_t ReplaceDecode(std::string_view bytes, std::string* out) {
  int64_t chars = 0;
  size_t i = 0;
  while (i < bytes.size()) {
    const lex::unicode::Decoded d = lex::unicode::DecodeOne(bytes.substr(i));
    ++chars;
    if (d.length == 0) {
      if (out != nullptr) lex::unicode::AppendUtf8(*out, U'\uFFFD');
      i += std::max<uint32_t>(d.error_length, 1);
    } else {
      if (out != nullptr) out->append(bytes.substr(i, d.length));
      i += d.length;
    }
  }
  return chars;
}

std::string ReplaceInvalidUtf8(std::string_view bytes) {
  if (lex::unicode::Utf8ErrorMessage(bytes).empty()) return std::string(bytes);
  std::string out;
  ReplaceDecode(bytes, &out);
  return out;
}

// Characters in the first `bytes` bytes of `line`, decoded with "replace".
int64_t CharsIn(std::string_view line, int64_t bytes) {
  const auto n = static_cast<size_t>(std::clamp<int64_t>(bytes, 0, static_cast<int64_t>(line.size())));
  return ReplaceDecode(line.substr(0, n), nullptr);
}

// _PyPegen_byte_offset_to_character_offset: the characters in the first
// `offset` bytes of the line, where offset may reach one past its end.
int64_t ByteOffsetToCharOffset(std::string_view line, int64_t offset) {
  const auto len = static_cast<int64_t>(line.size());
  if (offset > len + 1) offset = len + 1;
  return CharsIn(line, offset) + (offset > len ? 1 : 0);
}

// err_programtext: line `lineno` of the file as CPython re-reads it (universal
// newlines, in 999-byte pieces of which only the last one is kept).
std::optional<std::string> ProgramLine(std::string_view path, int64_t lineno) {
  std::string contents;
  if (lineno <= 0 || path.empty() || fs::ReadFile(std::string(path), contents)) {
    return std::nullopt;
  }
  size_t pos = 0;
  for (int64_t line = 1; pos < contents.size(); ++line) {
    size_t end = contents.find_first_of("\r\n", pos);
    std::string text;
    size_t next;
    if (end == std::string::npos) {
      text = contents.substr(pos);
      next = contents.size();
    } else {
      text = contents.substr(pos, end - pos) + "\n";
      next = end + 1;
      if (contents[end] == '\r' && next < contents.size() && contents[next] == '\n') ++next;
    }
    if (line == lineno) {
      constexpr size_t kPiece = 999;
      size_t start = 0;
      while (text.size() - start > kPiece) start += kPiece;
      if (start > 0 && text.size() - start == 0) return std::nullopt;
      return text.substr(start);
    }
    pos = next;
  }
  return std::nullopt;
}

// The file's line decoded as CPython decodes it: with the declared encoding
// and "replace", or as strict UTF-8 without one (failing on bad bytes).
std::optional<std::string> DecodedProgramLine(std::string_view path, int64_t lineno,
                                              const lex::Source* source) {
  std::optional<std::string> raw = ProgramLine(path, lineno);
  if (!raw) return std::nullopt;
  if (source == nullptr || !source->declared_encoding || source->encoding == "utf-8") {
    if (!lex::unicode::Utf8ErrorMessage(*raw).empty()) {
      if (source == nullptr || !source->declared_encoding) return std::nullopt;
      return raw;  // "replace" would keep the character count
    }
    return raw;
  }
  lex::DecodeResult decoded = lex::DecodeToUtf8(source->encoding, *raw);
  if (decoded.status != lex::DecodeStatus::kOk) return std::nullopt;
  return decoded.utf8;
}

std::string TokenizerLine(const lex::Source& source, int64_t lineno) {
  if (lineno <= 0 || lineno > static_cast<int64_t>(source.line_starts.size())) return "\n";
  return std::string(source.LineText(static_cast<uint32_t>(lineno))) + "\n";
}

void FillTokenizerError(const Diagnostic& d, const lex::Source* source, CompileError& error) {
  std::string line;
  if (d.text) {
    line = *d.text;
  } else if (source != nullptr) {
    line = TokenizerLine(*source, d.lineno);
    line.pop_back();
  }
  error.text = ReplaceInvalidUtf8(line);
  error.offset = d.col >= 0 ? CharsIn(line, d.col) + 1 : 0;
  error.end_lineno = d.end_lineno > 0 ? d.end_lineno : d.lineno;
  error.end_offset = d.end_col >= 0 ? CharsIn(line, d.end_col) + 1 : *error.offset;
}

void FillParserError(const Diagnostic& d, const lex::Source* source, std::string_view dfile,
                     CompileError& error) {
  std::optional<std::string> line;
  if (!d.text || !d.text_overrides_file) line = DecodedProgramLine(dfile, d.lineno, source);
  if (!line && d.text) line = *d.text;
  if (!line && source != nullptr) line = TokenizerLine(*source, d.lineno);
  if (line) error.text = ReplaceInvalidUtf8(*line);
  int64_t offset = d.col + 1;
  int64_t end_offset = d.end_col >= 0 ? d.end_col + 1 : UnknownEndOffset(d);
  if (source != nullptr && source->declared_encoding && line) {
    offset = ByteOffsetToCharOffset(*line, offset);
    if (end_offset > 0) end_offset = ByteOffsetToCharOffset(*line, end_offset);
  }
  error.offset = offset;
  error.end_lineno = d.end_lineno > 0 ? d.end_lineno : d.lineno;
  error.end_offset = end_offset;
}

void FillCompilerError(const Diagnostic& d, const lex::Source* source, std::string_view dfile,
                       CompileError& error) {
  (void)source;
  std::optional<std::string> line = ProgramLine(dfile, d.lineno);
  if (line && lex::unicode::Utf8ErrorMessage(*line).empty()) error.text = *line;
  if (d.col >= 0) error.offset = d.col + 1;
  if (d.end_lineno > 0) error.end_lineno = d.end_lineno;
  if (d.end_col >= 0) error.end_offset = d.end_col + 1;
}

}  // namespace

CompileError ToCompileError(const Diagnostic& d, const lex::Source* source,
                            std::string_view dfile, ErrorStage stage) {
  CompileError error;
  error.class_name = ErrorClassName(d.cls);
  error.message = d.message;
  const bool syntax_family = d.cls == ErrorClass::SyntaxError ||
                             d.cls == ErrorClass::IndentationError ||
                             d.cls == ErrorClass::TabError;
  if (!syntax_family) return error;
  error.filename = std::string(dfile);
  error.lineno = d.lineno;
  if (source == nullptr && d.lineno <= 0) {
    // A decoding error: PyErr_SyntaxLocation-style, no position.
    error.offset = -1;
    return error;
  }
  if (stage == ErrorStage::kCompiler) {
    FillCompilerError(d, source, dfile, error);
  } else if (IsTokenizerMessage(d.message)) {
    FillTokenizerError(d, source, error);
  } else {
    FillParserError(d, source, dfile, error);
  }
  return error;
}

}  // namespace xpyc::driver
