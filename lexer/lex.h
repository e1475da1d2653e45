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
};

Tokens Tokenize(const Source& source);

// PEP 3131: NFKC normalisation of a non-ASCII identifier (Unicode 13.0.0).
std::string NormalizeIdentifier(std::string_view utf8);

}  // namespace xpyc::lex
