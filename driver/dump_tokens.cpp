// xpyc --dump-tokens FILE.py [--partial] [--time]
//
// One token per line:  LINE:COL-ENDLINE:ENDCOL KIND 'TEXT'
//   LINE/COL are 1-based lines and 0-based UTF-8 byte columns in the decoded
//   text (CPython's internal coordinates); KIND is CPython's spelling of the
//   kind (NAME, NUMBER, STRING, NEWLINE, INDENT, DEDENT, ENDMARKER, the
//   operator itself such as '(' or '**=', or the keyword such as 'if').
//   Non-ASCII names get a trailing " nfkc='...'" with their normalised form.
//   TEXT escapes '\', '\'', newlines, tabs and other control bytes.
// Tokenizer warnings come after the tokens as
//   WARNING CLASS LINE MESSAGE
// On a tokenizer or decoding error the dump is only the warnings and
//   ERROR CLASS LINE:COL-ENDLINE:ENDCOL MESSAGE
// (Diagnostic coordinates: 0-based byte columns, -1 for none), exit status 1;
// --partial also prints the tokens before the error. When the error is an
// unknown character, "AFTER ERROR ..." gives the first error in the rest. --time prints the
// decoding+tokenizing throughput to stderr.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "driver/commands.h"
#include "driver/file_bytes.h"
#include "lexer/lex.h"

namespace xpyc::driver {
namespace {

void AppendEscaped(fmt::memory_buffer& out, std::string_view s) {
  out.push_back('\'');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\': fmt::format_to(std::back_inserter(out), "\\\\"); break;
      case '\'': fmt::format_to(std::back_inserter(out), "\\'"); break;
      case '\n': fmt::format_to(std::back_inserter(out), "\\n"); break;
      case '\t': fmt::format_to(std::back_inserter(out), "\\t"); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('\'');
}

void AppendToken(fmt::memory_buffer& out, const lex::Source& src, const lex::Token& t) {
  uint32_t end = t.offset + t.length;
  fmt::format_to(std::back_inserter(out), "{}:{}-{}:{} {} ", t.line, src.ColumnOf(t.offset),
                 src.LineOf(end), src.ColumnOf(end), lex::TokenKindText(t.kind));
  std::string_view text = std::string_view(src.text).substr(t.offset, t.length);
  AppendEscaped(out, text);
  if (t.flags & lex::kNonAsciiName) {
    out.append(std::string_view(" nfkc="));
    AppendEscaped(out, lex::NormalizeIdentifier(text));
  }
  out.push_back('\n');
}

void AppendError(fmt::memory_buffer& out, const Diagnostic& d) {
  fmt::format_to(std::back_inserter(out), "ERROR {} {}:{}-{}:{} {}\n", ErrorClassName(d.cls), d.lineno,
                 d.col, d.end_lineno, d.end_col, d.message);
}

void AppendWarning(fmt::memory_buffer& out, const Diagnostic& d) {
  fmt::format_to(std::back_inserter(out), "WARNING {} {} {}\n", ErrorClassName(d.cls), d.lineno, d.message);
}

void WriteOut(const fmt::memory_buffer& out) {
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

int DumpTokensCommand(int argc, char** argv) {
  const char* path = nullptr;
  bool timing = false;
  bool partial = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--time") == 0) {
      timing = true;
    } else if (std::strcmp(argv[i], "--partial") == 0) {
      partial = true;
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr) {
    std::fputs("usage: xpyc --dump-tokens FILE.py [--partial] [--time]\n", stderr);
    return 2;
  }
  std::string bytes;
  std::string io_error;
  if (!ReadWholeFile(path, bytes, io_error)) {
    std::fprintf(stderr, "xpyc: %s: %s\n", path, io_error.c_str());
    return 2;
  }
  fmt::memory_buffer out;
  auto t0 = std::chrono::steady_clock::now();
  lex::Source src;
  Diagnostics diag;
  if (!lex::DecodeSource(bytes, path, src, diag)) {
    AppendError(out, *diag.error());
    WriteOut(out);
    return 1;
  }
  lex::Tokens tokens = lex::Tokenize(src);
  auto t1 = std::chrono::steady_clock::now();
  if (timing) {
    double s = std::chrono::duration<double>(t1 - t0).count();
    std::fprintf(stderr, "decoded+tokenized %zu bytes, %zu tokens in %.3f ms (%.1f MB/s)\n",
                 bytes.size(), tokens.tokens.size(), s * 1e3, bytes.size() / 1e6 / (s > 0 ? s : 1e-9));
  }
  out.reserve(tokens.tokens.size() * 24);
  if (!tokens.error || partial) {
    for (const lex::Token& t : tokens.tokens) {
      if (t.kind == lex::TokenKind::Error) break;
      AppendToken(out, src, t);
    }
  }
  for (const Diagnostic& w : tokens.warnings) AppendWarning(out, w);
  if (tokens.error) AppendError(out, *tokens.error);
  if (tokens.error_after_unknown_character) {
    out.append(std::string_view("AFTER "));
    AppendError(out, tokens.error_after_unknown_character->diag);
  }
  WriteOut(out);
  return tokens.error ? 1 : 0;
}

}  // namespace xpyc::driver
