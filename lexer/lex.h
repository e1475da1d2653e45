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

// How CPython's tokenizer signals an error. It matters when the parser has
// already failed with a generic "invalid syntax": CPython then tokenizes the
// rest of the file (_PyPegen_tokenize_full_source_to_check_for_errors), where
//  * any error met while a bracket is open, with the generic error's line
//    after that bracket's line, becomes "'(' was never closed" at the bracket;
//  * otherwise kException errors replace the generic error, kDecodeError ones
//    replace it with a bare UnicodeDecodeError (no position) whose message is
//    Diagnostic::message without its "(unicode error) " prefix, and
//    kDoneCode ones leave the generic error standing.
enum class ErrorOrigin : uint8_t {
  kException,        // raised on the spot (syntaxerror() in tokenizer.c)
  kDecodeError,      // a name that is not valid UTF-8
  kDoneCode,         // EOF, indentation, TabError, line continuation: raised
                     // by the parser from the tokenizer's state
  kNotAnError,       // an unknown character: CPython's tokenizer returns an
                     // OP token that no rule accepts (Token flag kUnknownCharacter)
};

// A tokenizer error with the innermost bracket open at that moment.
struct TokenizerError {
  Diagnostic diag;
  ErrorOrigin origin = ErrorOrigin::kException;
  char open_bracket = 0;              // 0 when no bracket is open
  uint32_t open_bracket_line = 0;
  uint32_t open_bracket_col = 0;      // 0-based byte column
};

struct Tokens {
  std::vector<Token> tokens;          // ends with EndMarker or with Error
  std::optional<Diagnostic> error;    // set exactly when tokens.back() is Error
  // DeprecationWarnings the tokenizer emits ("invalid decimal literal" for a
  // number glued to a keyword such as `1if`), in source order.
  std::vector<Diagnostic> warnings;
  // How `error` arises, and the innermost bracket still open then (CPython
  // consults it to prefer "'(' was never closed"); open_bracket 0 when none.
  ErrorOrigin error_origin = ErrorOrigin::kException;
  char open_bracket = 0;
  uint32_t open_bracket_line = 0;
  uint32_t open_bracket_col = 0;     // 0-based byte column
  // When the tokens stop at an unknown character (error_origin kNotAnError),
  // CPython's tokenizer would have gone on: the first error it would meet in
  // the rest of the file, if any (unknown characters there are skipped).
  std::optional<TokenizerError> error_after_unknown_character;
};

// "<>" and "!=" both come out as NotEqual ("<>" with kNotEqualIsLtGt), as in
// CPython; the parser decides which is allowed (barry_as_FLUFL).
Tokens Tokenize(const Source& source);

// PEP 3131: NFKC normalisation of a non-ASCII identifier (Unicode 13.0.0).
std::string NormalizeIdentifier(std::string_view utf8);

}  // namespace xpyc::lex
