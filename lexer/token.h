#pragma once
// Tokens are packed 16-byte records in one flat vector. Positions are byte
// offsets into Source::text; line and column come from Source on demand,
// except the start line, which the parser needs for every node.
#include <cstdint>
#include <string_view>

namespace xpyc::lex {

// Token kinds. Punctuation follows CPython's Grammar/Tokens names; keywords are
// classified by the lexer (soft keywords `match`, `case`, `_` stay Name).
#define XPYC_TOKEN_KINDS(X)                                              \
  X(EndMarker, "ENDMARKER") X(Name, "NAME") X(Number, "NUMBER")          \
  X(String, "STRING") X(Newline, "NEWLINE") X(Indent, "INDENT")          \
  X(Dedent, "DEDENT")                                                    \
  X(LPar, "(") X(RPar, ")") X(LSqb, "[") X(RSqb, "]") X(Colon, ":")     \
  X(Comma, ",") X(Semi, ";") X(Plus, "+") X(Minus, "-") X(Star, "*")     \
  X(Slash, "/") X(VBar, "|") X(Amper, "&") X(Less, "<") X(Greater, ">") \
  X(Equal, "=") X(Dot, ".") X(Percent, "%") X(LBrace, "{")               \
  X(RBrace, "}") X(EqEqual, "==") X(NotEqual, "!=")                      \
  X(LessEqual, "<=") X(GreaterEqual, ">=") X(Tilde, "~")                 \
  X(Circumflex, "^") X(LeftShift, "<<") X(RightShift, ">>")              \
  X(DoubleStar, "**") X(PlusEqual, "+=") X(MinEqual, "-=")               \
  X(StarEqual, "*=") X(SlashEqual, "/=") X(PercentEqual, "%=")           \
  X(AmperEqual, "&=") X(VBarEqual, "|=") X(CircumflexEqual, "^=")        \
  X(LeftShiftEqual, "<<=") X(RightShiftEqual, ">>=")                     \
  X(DoubleStarEqual, "**=") X(DoubleSlash, "//")                         \
  X(DoubleSlashEqual, "//=") X(At, "@") X(AtEqual, "@=")                 \
  X(RArrow, "->") X(Ellipsis, "...") X(ColonEqual, ":=")                 \
  X(KwFalse, "False") X(KwNone, "None") X(KwTrue, "True")                \
  X(KwAnd, "and") X(KwAs, "as") X(KwAssert, "assert")                    \
  X(KwAsync, "async") X(KwAwait, "await") X(KwBreak, "break")            \
  X(KwClass, "class") X(KwContinue, "continue") X(KwDef, "def")          \
  X(KwDel, "del") X(KwElif, "elif") X(KwElse, "else")                    \
  X(KwExcept, "except") X(KwFinally, "finally") X(KwFor, "for")          \
  X(KwFrom, "from") X(KwGlobal, "global") X(KwIf, "if")                  \
  X(KwImport, "import") X(KwIn, "in") X(KwIs, "is")                      \
  X(KwLambda, "lambda") X(KwNonlocal, "nonlocal") X(KwNot, "not")        \
  X(KwOr, "or") X(KwPass, "pass") X(KwRaise, "raise")                    \
  X(KwReturn, "return") X(KwTry, "try") X(KwWhile, "while")              \
  X(KwWith, "with") X(KwYield, "yield")                                  \
  /* "<>" is NOTEQUAL only under barry_as_FLUFL; "!" alone and other */  \
  /* unknown characters are errors */                                    \
  X(Error, "ERRORTOKEN")

enum class TokenKind : uint8_t {
#define XPYC_X(name, text) name,
  XPYC_TOKEN_KINDS(XPYC_X)
#undef XPYC_X
};

// CPython's spelling of the kind ("NAME", "(", "if", ...).
std::string_view TokenKindText(TokenKind kind);

// Token::flags bits.
enum TokenFlag : uint8_t {
  kNonAsciiName = 1 << 0,   // Name needing NFKC normalisation
  kFirstOnLine = 1 << 1,    // first token of a logical line
  kNotEqualIsLtGt = 1 << 2, // NotEqual spelled "<>"
  kUnknownCharacter = 1 << 3, // on Error: a character CPython passes to the
                              // parser as an OP no rule accepts ('$', '?', '!')
  kSpansLines = 1 << 4,     // a String whose text holds a '\n'
  kBracketMayHoldFor = 1 << 5,  // on '(', '[', '{': a 'for' or 'async' directly
                                // inside, or the bracket is never closed
};

// Token::col when the column does not fit (the parser computes it then).
inline constexpr uint16_t kColUnknown = 0xFFFF;

// Position conventions (all offsets are bytes into Source::text, which always
// ends with '\n': the decoder appends one when the file lacks it, as CPython's
// string tokenizer does):
//  * Name/Number/String/operators: [offset, offset+length) is the token text;
//    `line` is the line of its first byte (for a String, its first line).
//  * Newline: CPython's (start, end): offset is the '\n', or the '#' of a
//    comment ending the line; length runs up to, not including, the '\n'
//    (so usually 0). col_offset == end_col_offset == ColumnOf(offset) when no
//    comment precedes.
//  * Indent/Dedent: length 0; offset is the first non-blank byte of the line
//    whose indentation produced them (CPython's tokenizer cursor at that
//    moment); at end of file offset == text.size() and line is the last line.
//  * EndMarker: offset == text.size(), length 0, line = the last line.
//  CPython gives Indent/Dedent/EndMarker col_offset -1; when it reports an
//  error on such a token it uses the cursor column, i.e. ColumnOf(offset)
//  (for EndMarker that is the length of the last line including its '\n').
//  * Error: offset is where the failing token began.

struct Token {
  uint32_t offset = 0;  // byte offset into Source::text
  uint32_t length = 0;  // bytes; 0 for Indent/Dedent/EndMarker
  uint32_t line = 0;    // 1-based line of the first byte
  TokenKind kind = TokenKind::EndMarker;
  uint8_t flags = 0;
  uint16_t col = kColUnknown;  // 0-based byte column of `offset`, a cache
};
static_assert(sizeof(Token) == 16);

}  // namespace xpyc::lex
