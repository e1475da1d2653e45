#pragma once
// Literal tokens to values, exactly as CPython 3.10.13's parser does it:
// NUMBER text (Parser/pegen.c parsenumber), STRING text and the escape codecs
// (Parser/string_parser.c, Objects/unicodeobject.c unicode-escape,
// Objects/bytesobject.c escape decoding), adjacent-string concatenation and the
// 3.10 f-string scanner (string_parser.c fstring_*).
//
// These are pure functions over token text with plain result structs; they
// know nothing of the AST. The parser builds Constant / JoinedStr /
// FormattedValue nodes from the results and parses f-string expression texts.
//
// Positions: lines are 1-based, columns are 0-based UTF-8 byte columns, as in
// lexer/diagnostics.h.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "lexer/diagnostics.h"
#include "marshal/value.h"

namespace xpyc::literals {

// Coordinates of one token, as CPython's Token records them.
struct TokenSpan {
  int32_t lineno = 0;
  int32_t col = 0;
  int32_t end_lineno = 0;
  int32_t end_col = 0;
};

// ---------------------------------------------------------------------------
// Numbers

// NUMBER token text -> Int, Float or Complex, as pegen's parsenumber does it:
// underscores removed; 0x/0o/0b and decimal ints of any size; floats correctly
// rounded (overflow gives inf); a trailing j/J gives Complex(0.0, value).
// A decimal int literal of more than 4300 digits is the SyntaxError
// "Exceeds the limit (4300) for integer string conversion: value has N digits;
// use sys.set_int_max_str_digits() to increase the limit - Consider
// hexadecimal for huge integer literals to avoid decimal conversion limits."
// reported at the token's lines with no columns (col = end_col = -1, which
// CPython shows as offset 0). Returns nullptr after recording an error.
// `text` must be a NUMBER token as the 3.10 tokenizer produces it.
marshal::Ref ParseNumber(std::string_view text, const TokenSpan& token,
                         marshal::Heap& heap, Diagnostics& diag);

// ---------------------------------------------------------------------------
// Strings

// One STRING token of a run of adjacent string literals.
struct StringToken {
  std::string_view text;  // the whole token: prefix, quotes, body, quotes
  TokenSpan span;         // the token's own coordinates
};

// One f-string replacement field's expression, as 3.10 hands it to a fresh
// parser (fstring_compile_expr): the text between the braces wrapped in
// parentheses, e.g. "( x + 1 )". 3.10 places the sub-parser's tokens thus
// (its tokenizer glue with starting_lineno / starting_col_offset):
//   lineno     = start_lineno + (1-based line within `text`) - 1
//   col_offset = column within its line, plus start_col when the tokenizer's
//                current line (the token's END line) is the text's first line
// and likewise for end_lineno / end_col_offset. start_col is the holding
// token's column plus the '{' offset when the '{' is on the token's first
// line; when it is on a later line it is the '{' column within that line;
// when only whitespace separates '{' from a newline it is 0 (3.10's
// fstring_find_expr_location).
struct ExpressionText {
  std::string_view text;   // "(" + expression + ")", arena-owned
  int32_t start_lineno = 0;
  int32_t start_col = 0;
  uint32_t token_index = 0;  // index of the STRING token that holds it
};

// Called at the exact moment CPython 3.10 compiles an f-string expression, so
// errors come out in CPython's order (an expression's syntax error wins over a
// later bad conversion character or a later token's bad escape). Return the
// parsed expression (opaque to us; kept in FormattedPart::compiled), or nullptr
// after recording the error in the Diagnostics.
class ExpressionCompiler {
 public:
  virtual void* CompileExpression(const ExpressionText& expr) = 0;

 protected:
  ~ExpressionCompiler() = default;
};

struct JoinedString;

// FormattedValue: conversion is -1 (none), 's', 'r' or 'a'. With the `=`
// form and neither an explicit conversion nor a format spec, it is 'r' (the
// "expr=" text itself is in the preceding literal part).
struct FormattedPart {
  ExpressionText expr;
  void* compiled = nullptr;  // what ExpressionCompiler returned
  int32_t conversion = -1;
  // The format spec, itself a joined string (3.10 gives it the location of
  // the token holding it: lineno/col to end of that token); nullptr if none.
  const JoinedString* format_spec = nullptr;
};

// One element of JoinedStr.values: either a literal (a Str value, already
// unescaped; adjacent pieces merged as 3.10 merges them; never empty) or a
// formatted value.
//
// Where 3.10 places a literal's Constant node, and its kind: normally at the
// whole run (first token's start .. last token's end) with kind "u" iff the
// run's first token starts with 'u'. But the LAST literal of a format spec
// (the one after its last nested field) is placed at the token holding the
// spec (that token's start .. end), with kind "u" iff that token starts
// with 'u'. `token_index` says which: -1 for the run, else the token index;
// `kind_u` is the resulting kind. FormattedValue nodes are always placed at
// the whole run.
struct JoinedPart {
  marshal::Ref literal = nullptr;        // set for a literal part
  const FormattedPart* value = nullptr;  // set for a formatted part
  int32_t token_index = -1;
  bool kind_u = false;
};

struct JoinedString {
  std::span<const JoinedPart> parts;
};

// The value of one atom made of adjacent STRING tokens.
struct StringsResult {
  enum class Kind : uint8_t { Constant, Joined };
  Kind kind = Kind::Constant;
  // Constant: a Str or Bytes value. The Constant node's kind is "u" iff
  // kind_u (first token's text starts with lowercase 'u'; 'U' does not count).
  marshal::Ref constant = nullptr;
  // Joined (some token had an f prefix): the JoinedStr values (see
  // JoinedPart for each literal's kind and position); the JoinedStr itself
  // spans first-token start .. last-token end.
  JoinedString joined;
  bool kind_u = false;
};

// Reproduces _PyPegen_concatenate_strings (3.10): decodes each token in turn
// (prefixes r/b/u/f in any case and order, single or triple quotes, every
// escape, \N{name} with Unicode 13.0 names and aliases), checks bytes/str
// mixing, scans f-strings (nested format specs, !r/!s/!a, '=', {{ and }}),
// and concatenates. Errors get CPython's exact message; since 3.10 raises
// them at "the last token the parser fetched", they are placed at
// `error_token`, which the caller sets to the token just after the run (the
// one whose lookahead ended STRING+), unless noted otherwise. Decoding errors
// read "(unicode error) 'unicodeescape' codec can't decode bytes in position
// A-B: ..." or "(value error) invalid \x escape at position N", positions as
// CPython computes them. Invalid escapes only warn: DeprecationWarning
// "invalid escape sequence '\d'" at the holding token's line, no column.
// f-string errors: "f-string: empty expression not allowed", "f-string:
// expecting '}'", "f-string: single '}' is not allowed", "f-string: unmatched
// ')'", "f-string: closing parenthesis ')' does not match opening parenthesis
// '['", "f-string: unterminated string", "f-string: too many nested
// parenthesis", "f-string: invalid conversion character: expected 's', 'r',
// or 'a'", "f-string expression part cannot include a backslash",
// "f-string expression part cannot include '#'", "f-string: expressions
// nested too deeply"; also "cannot mix bytes and nonbytes literals" and
// "bytes can only contain ASCII literal characters".
// `compiler` may be nullptr (expressions are then not compiled). Memory for
// parts lives in `heap.arena()`. Returns false after recording an error.
bool ConcatenateStrings(std::span<const StringToken> tokens,
                        const TokenSpan& error_token,
                        ExpressionCompiler* compiler, marshal::Heap& heap,
                        Diagnostics& diag, StringsResult& out);

// ---------------------------------------------------------------------------
// Lower-level pieces, exposed for tests and tools.

// unicodedata's \N{...} lookup as the unicode-escape codec uses it (Unicode
// 13.0.0): names and name aliases, case-insensitive (ASCII only); Hangul
// syllables ("HANGUL SYLLABLE " then upper-case jamo names, case-sensitive);
// CJK unified ideographs ("CJK UNIFIED IDEOGRAPH-" then 4 or 5 upper-case hex
// digits within the 13.0 ranges, case-sensitive). Named sequences are
// rejected. Returns the code point, or -1 if unknown.
int32_t LookupUnicodeName(std::string_view name);

}  // namespace xpyc::literals
