#pragma once
// The lexer stage: decode a source file, then turn it into a flat token
// vector. Tokenizing runs ahead of parsing over the whole file; a tokenizer
// error ends the vector with an Error token, and the parser reports the stored
// diagnostic only when it actually reaches that token, as CPython's pull
// tokenizer would.
#include <optional>
#include <string>
#include <vector>

#include "lexer/diagnostics.h"
#include "lexer/source.h"
#include "lexer/token.h"

namespace xpyc::lex {

struct Tokens {
  std::vector<Token> tokens;          // ends with EndMarker or with Error
  std::optional<Diagnostic> error;    // set exactly when tokens.back() is Error
  // DeprecationWarnings the tokenizer emits ("invalid decimal literal" for a
  // number glued to a keyword such as `1if`), in source order.
  std::vector<Diagnostic> warnings;
  // The innermost bracket still open when the tokenizer stopped with an error
  // (CPython consults it to prefer "'(' was never closed"); 0 when none.
  char open_bracket = 0;
  uint32_t open_bracket_line = 0;
  uint32_t open_bracket_col = 0;     // 0-based byte column
};

// "<>" and "!=" both come out as NotEqual ("<>" with kNotEqualIsLtGt), as in
// CPython; the parser decides which is allowed (barry_as_FLUFL).
Tokens Tokenize(const Source& source);

// PEP 3131: NFKC normalisation of a non-ASCII identifier (Unicode 13.0.0).
std::string NormalizeIdentifier(std::string_view utf8);

}  // namespace xpyc::lex
