#pragma once
// A source file as CPython 3.10's tokenizer sees it after decoding: the bytes
// turned into UTF-8 (BOM stripped, PEP 263 declaration applied), with universal
// newlines. Every byte offset in tokens and AST positions points into `text`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/diagnostics.h"

namespace xpyc::lex {

struct Source {
  std::string path;                    // the file name compile() is given
  std::string text;                    // decoded UTF-8, "\r\n" and "\r" made "\n";
                                       // always ends with '\n' (one is added)
  std::vector<uint32_t> line_starts;   // byte offset in `text` of each line; [0] == 0
  std::string encoding = "utf-8";      // the declared encoding, normalised
  // A BOM or a coding declaration was present (CPython's tok->encoding is
  // set). Only then does CPython convert the byte offsets of errors its
  // parser raises (generic syntax errors, indentation, EOF, "(unicode error)")
  // into character offsets; without one, SyntaxError.offset counts bytes.
  // Errors the tokenizer raises itself (unterminated string, invalid
  // character, number literals, brackets) always count characters.
  bool declared_encoding = false;

  // 1-based line holding byte `offset` (offset == text.size() is allowed).
  uint32_t LineOf(uint32_t offset) const;
  // 0-based byte column of `offset` within its line.
  uint32_t ColumnOf(uint32_t offset) const;
  // Line `line` (1-based) without its newline; empty past the end.
  std::string_view LineText(uint32_t line) const;
};

// Decodes `bytes` the way compile(bytes, path, 'exec') does in CPython 3.10
// (the path compileall takes): UTF-8 BOM, coding declaration on line 1 or 2,
// universal newlines. On failure records CPython's error in `diag`.
[[nodiscard]] bool DecodeSource(std::string_view bytes, std::string path,
                                Source& out, Diagnostics& diag);

// A Source over text that is already UTF-8 (no BOM or cookie handling), with
// newlines translated and a final '\n' added when missing, as CPython's
// tokenizer does for a string it is handed in UTF-8 (f-string expressions).
Source MakeUtf8Source(std::string_view utf8, std::string path);

}  // namespace xpyc::lex
