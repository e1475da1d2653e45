// The tokenizer: CPython 3.10's C tokenizer behaviour (Parser/tokenizer.c as
// driven by compile(bytes, path, 'exec')), run over the whole decoded source
// up front.
#include "lexer/lex.h"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <cstring>

#include "lexer/unicode.h"

namespace xpyc::lex {

std::string_view TokenKindText(TokenKind kind) {
  switch (kind) {
#define XPYC_X(name, text) \
  case TokenKind::name: return text;
    XPYC_TOKEN_KINDS(XPYC_X)
#undef XPYC_X
  }
  return "?";
}

namespace {

constexpr int kEof = -1;
constexpr int kFailed = -2;          // returned by scanners after an error
constexpr std::size_t kMaxIndent = 100;   // CPython's MAXINDENT
constexpr std::size_t kMaxLevel = 200;    // CPython's MAXLEVEL
constexpr int kTabSize = 8;

enum CharBits : uint8_t {
  kDigitBit = 1,
  kHexBit = 2,
  kNameStartBit = 4,   // letters, '_' and every byte >= 0x80
  kNameBit = 8,
  kAsciiNameBit = 16,  // the name characters below 0x80
  kBlankBit = 32,      // ' ', '\t', '\f': skipped between tokens
  kOperatorPrefixBit = 64,  // may begin a two- or three-character operator
  kStringPrefixBit = 128,   // b, r, u, f in either case
};

constexpr std::array<uint8_t, 256> MakeCharBits() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t b = 0;
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (digit) b |= kDigitBit | kHexBit | kNameBit;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) b |= kHexBit;
    if (letter || c == '_' || c >= 0x80) b |= kNameStartBit | kNameBit;
    if (letter || digit || c == '_') b |= kAsciiNameBit;
    if (c == ' ' || c == '\t' || c == '\f') b |= kBlankBit;
    if (std::string_view("!%&*+-/:<=>@^|").find(static_cast<char>(c)) != std::string_view::npos) {
      b |= kOperatorPrefixBit;
    }
    if (std::string_view("bBrRuUfF").find(static_cast<char>(c)) != std::string_view::npos) {
      b |= kStringPrefixBit;
    }
    t[c] = b;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kCharBits = MakeCharBits();

// What the token loop does with the first byte of a token.
enum class ByteClass : uint8_t {
  kName,       // a name or a string prefix
  kNewline,
  kComment,
  kDot,
  kDigit,
  kQuote,
  kBackslash,
  kNul,        // the end of the text, or an unknown character
  kOther,      // an operator, a bracket or an unknown character
};

constexpr std::array<ByteClass, 256> MakeByteClasses() {
  std::array<ByteClass, 256> t{};
  for (int c = 0; c < 256; ++c) {
    ByteClass k = ByteClass::kOther;
    if ((kCharBits[c] & kNameStartBit) != 0) k = ByteClass::kName;
    else if ((kCharBits[c] & kDigitBit) != 0) k = ByteClass::kDigit;
    else if (c == '\n') k = ByteClass::kNewline;
    else if (c == '#') k = ByteClass::kComment;
    else if (c == '.') k = ByteClass::kDot;
    else if (c == '\'' || c == '"') k = ByteClass::kQuote;
    else if (c == '\\') k = ByteClass::kBackslash;
    else if (c == 0) k = ByteClass::kNul;
    t[c] = k;
  }
  return t;
}
constexpr std::array<ByteClass, 256> kByteClasses = MakeByteClasses();

bool Has(int c, uint8_t bit) { return c >= 0 && (kCharBits[c] & bit) != 0; }
bool IsDigit(int c) { return Has(c, kDigitBit); }
bool IsHex(int c) { return Has(c, kHexBit); }
bool IsNameChar(int c) { return Has(c, kNameBit); }
bool IsStringPrefix(int c) { return Has(c, kStringPrefixBit); }

// Nonzero when one of the eight bytes of `word` is `byte` (the classic test
// for a zero byte, applied to word ^ byte repeated).
constexpr uint64_t MatchBits(uint64_t word, unsigned char byte) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  const uint64_t x = word ^ (kOnes * byte);
  return (x - kOnes) & ~x & kHighs;
}

struct Keyword {
  std::string_view text;
  TokenKind kind;
};

constexpr Keyword kKeywords[] = {
    {"False", TokenKind::KwFalse},     {"None", TokenKind::KwNone},
    {"True", TokenKind::KwTrue},       {"and", TokenKind::KwAnd},
    {"as", TokenKind::KwAs},           {"assert", TokenKind::KwAssert},
    {"async", TokenKind::KwAsync},     {"await", TokenKind::KwAwait},
    {"break", TokenKind::KwBreak},     {"class", TokenKind::KwClass},
    {"continue", TokenKind::KwContinue}, {"def", TokenKind::KwDef},
    {"del", TokenKind::KwDel},         {"elif", TokenKind::KwElif},
    {"else", TokenKind::KwElse},       {"except", TokenKind::KwExcept},
    {"finally", TokenKind::KwFinally}, {"for", TokenKind::KwFor},
    {"from", TokenKind::KwFrom},       {"global", TokenKind::KwGlobal},
    {"if", TokenKind::KwIf},           {"import", TokenKind::KwImport},
    {"in", TokenKind::KwIn},           {"is", TokenKind::KwIs},
    {"lambda", TokenKind::KwLambda},   {"nonlocal", TokenKind::KwNonlocal},
    {"not", TokenKind::KwNot},         {"or", TokenKind::KwOr},
    {"pass", TokenKind::KwPass},       {"raise", TokenKind::KwRaise},
    {"return", TokenKind::KwReturn},   {"try", TokenKind::KwTry},
    {"while", TokenKind::KwWhile},     {"with", TokenKind::KwWith},
    {"yield", TokenKind::KwYield},
};

// Keywords are 2..8 bytes long; a perfect hash of the first byte, the last
// byte and the length picks the one keyword a name may be.
constexpr unsigned KeywordHash(std::string_view name) {
  return (static_cast<unsigned char>(name[0]) +
          static_cast<unsigned char>(name[name.size() - 1]) * 11u +
          static_cast<unsigned>(name.size())) & 127u;
}

constexpr std::array<int8_t, 128> MakeKeywordSlots() {
  std::array<int8_t, 128> slots{};
  for (auto& s : slots) s = -1;
  for (std::size_t i = 0; i < std::size(kKeywords); ++i) {
    unsigned h = KeywordHash(kKeywords[i].text);
    if (slots[h] != -1) throw "keyword hash collision";
    slots[h] = static_cast<int8_t>(i);
  }
  return slots;
}
constexpr std::array<int8_t, 128> kKeywordSlots = MakeKeywordSlots();

uint32_t Load32(const char* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// Equality of two texts of the same size n, 2 <= n <= 8, without a call.
bool SameShortText(const char* a, const char* b, std::size_t n) {
  if (n >= 4) return Load32(a) == Load32(b) && Load32(a + n - 4) == Load32(b + n - 4);
  return a[0] == b[0] && a[1] == b[1] && a[n - 1] == b[n - 1];
}

TokenKind ClassifyName(std::string_view name) {
  if (name.size() < 2 || name.size() > 8) return TokenKind::Name;
  int slot = kKeywordSlots[KeywordHash(name)];
  if (slot < 0) return TokenKind::Name;
  const Keyword& k = kKeywords[slot];
  if (k.text.size() != name.size() || !SameShortText(k.text.data(), name.data(), name.size())) {
    return TokenKind::Name;
  }
  return k.kind;
}

constexpr TokenKind OneCharKind(int c) {
  switch (c) {
    case '%': return TokenKind::Percent;
    case '&': return TokenKind::Amper;
    case '(': return TokenKind::LPar;
    case ')': return TokenKind::RPar;
    case '*': return TokenKind::Star;
    case '+': return TokenKind::Plus;
    case ',': return TokenKind::Comma;
    case '-': return TokenKind::Minus;
    case '.': return TokenKind::Dot;
    case '/': return TokenKind::Slash;
    case ':': return TokenKind::Colon;
    case ';': return TokenKind::Semi;
    case '<': return TokenKind::Less;
    case '=': return TokenKind::Equal;
    case '>': return TokenKind::Greater;
    case '@': return TokenKind::At;
    case '[': return TokenKind::LSqb;
    case ']': return TokenKind::RSqb;
    case '^': return TokenKind::Circumflex;
    case '{': return TokenKind::LBrace;
    case '|': return TokenKind::VBar;
    case '}': return TokenKind::RBrace;
    case '~': return TokenKind::Tilde;
    default: return TokenKind::Error;
  }
}

constexpr std::array<TokenKind, 256> MakeOneCharKinds() {
  std::array<TokenKind, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = OneCharKind(c);
  return t;
}
constexpr std::array<TokenKind, 256> kOneCharKinds = MakeOneCharKinds();

TokenKind TwoCharKind(int c1, int c2) {
  if (c2 == '=') {
    switch (c1) {
      case '!': return TokenKind::NotEqual;
      case '%': return TokenKind::PercentEqual;
      case '&': return TokenKind::AmperEqual;
      case '*': return TokenKind::StarEqual;
      case '+': return TokenKind::PlusEqual;
      case '-': return TokenKind::MinEqual;
      case '/': return TokenKind::SlashEqual;
      case ':': return TokenKind::ColonEqual;
      case '<': return TokenKind::LessEqual;
      case '=': return TokenKind::EqEqual;
      case '>': return TokenKind::GreaterEqual;
      case '@': return TokenKind::AtEqual;
      case '^': return TokenKind::CircumflexEqual;
      case '|': return TokenKind::VBarEqual;
      default: return TokenKind::Error;
    }
  }
  if (c1 == '*' && c2 == '*') return TokenKind::DoubleStar;
  if (c1 == '/' && c2 == '/') return TokenKind::DoubleSlash;
  if (c1 == '<' && c2 == '<') return TokenKind::LeftShift;
  if (c1 == '>' && c2 == '>') return TokenKind::RightShift;
  if (c1 == '<' && c2 == '>') return TokenKind::NotEqual;
  if (c1 == '-' && c2 == '>') return TokenKind::RArrow;
  return TokenKind::Error;
}

// "**=", "//=", "<<=", ">>=": a two-character operator followed by '='.
TokenKind ThreeCharKind(TokenKind two, int c3) {
  if (c3 != '=') return TokenKind::Error;
  if (two == TokenKind::DoubleStar) return TokenKind::DoubleStarEqual;
  if (two == TokenKind::DoubleSlash) return TokenKind::DoubleSlashEqual;
  if (two == TokenKind::LeftShift) return TokenKind::LeftShiftEqual;
  if (two == TokenKind::RightShift) return TokenKind::RightShiftEqual;
  return TokenKind::Error;
}

struct OpenBracket {
  char c;
  uint32_t line;
  uint32_t col;
  uint32_t token;  // index of the bracket's token
};

// Whether the tokenizer should be asked for another token.
enum class Step : uint8_t { kMore, kDone };

class Lexer {
 public:
  explicit Lexer(const Source& src) : src_(src), text_(src.text) {
    next_line_start_ = src_.line_starts.size() > 1 ? src_.line_starts[1] : UINT32_MAX;
    indents_.reserve(kMaxIndent);
    alt_indents_.reserve(kMaxIndent);
    indents_.push_back(0);
    alt_indents_.push_back(0);
  }

  Tokens Run() {
    out_.tokens.reserve(text_.size() / 3 + 16);
    while (NextToken() == Step::kMore) {
    }
    MarkFirstOnLine();
    if (scanning_rest_) out_.tokens.resize(tokens_before_rest_);
    return std::move(out_);
  }

 private:
  // ---- Reading characters ----------------------------------------------

  int Next() {
    if (pos_ >= text_.size()) return kEof;
    if (pos_ == next_line_start_) EnterNextLine();
    return static_cast<unsigned char>(text_[pos_++]);
  }

  void Backup(int c) {
    if (c != kEof) --pos_;
  }

  // The line number advances when the first byte of a line is read, as
  // CPython's line-at-a-time reader does.
  void EnterNextLine() {
    ++line_;
    line_start_ = pos_;
    next_line_start_ = line_ < src_.line_starts.size() ? src_.line_starts[line_] : UINT32_MAX;
  }

  // Consumes the bytes [pos_, q) at once, entering every line that starts
  // among them as Next() would have.
  void AdvanceTo(uint32_t q) {
    while (next_line_start_ < q) {
      ++line_;
      line_start_ = next_line_start_;
      next_line_start_ = line_ < src_.line_starts.size() ? src_.line_starts[line_] : UINT32_MAX;
    }
    pos_ = q;
  }

  // The text as bytes; data()[size()] is std::string's '\0', which no
  // scanning loop accepts, so those loops need no bounds check.
  const unsigned char* Bytes() const {
    return reinterpret_cast<const unsigned char*>(text_.data());
  }

  // The offset of the first byte at or after `p` that is a, b or c (the
  // text's size when none is), eight bytes at a time.
  uint32_t FindAnyOf(uint32_t p, unsigned char a, unsigned char b, unsigned char c) const {
    const unsigned char* data = Bytes();
    const auto n = static_cast<uint32_t>(text_.size());
    for (; p + 8 <= n; p += 8) {
      uint64_t word;
      std::memcpy(&word, data + p, 8);
      const uint64_t match = MatchBits(word, a) | MatchBits(word, b) | MatchBits(word, c);
      if (match != 0) {
        // The lowest bit MatchBits sets is exact (only bits above it may
        // be false), so it marks the first byte that is a, b or c.
        if constexpr (std::endian::native == std::endian::little) {
          return p + static_cast<uint32_t>(std::countr_zero(match)) / 8;
        }
        break;
      }
    }
    while (p < n && data[p] != a && data[p] != b && data[p] != c) ++p;
    return p;
  }

  // ---- Producing tokens ------------------------------------------------

  // Indent and Dedent, which do not count as the first token of a line.
  void EmitIndentChange(TokenKind kind) { Emit(kind, pos_, pos_, line_); }

  // All the Indent/Dedent tokens ReadIndentation queued: they come before
  // anything else on the line.
  void EmitPendingIndentChanges() {
    if (pending_ == 0) return;
    for (; pending_ > 0; --pending_) EmitIndentChange(TokenKind::Indent);
    for (; pending_ < 0; ++pending_) EmitIndentChange(TokenKind::Dedent);
    first_on_line_index_ = out_.tokens.size();
  }

  // kFirstOnLine goes to the first token after a Newline (or at the start)
  // other than Indent/Dedent; it is set once that line is over rather than
  // tested per token.
  void MarkFirstOnLine() {
    if (first_on_line_index_ < out_.tokens.size()) {
      out_.tokens[first_on_line_index_].flags |= kFirstOnLine;
    }
  }

  // Tokens after an unknown character are produced but dropped at the end
  // (Run), which keeps this hot path free of that check.
  [[gnu::always_inline]] void Emit(TokenKind kind, uint32_t begin, uint32_t end, uint32_t line,
                                   uint8_t flags = 0) {
    Token t;
    t.offset = begin;
    t.length = end - begin;
    t.line = line;
    t.kind = kind;
    t.flags = flags;
    uint32_t start = line == line_ ? line_start_ : src_.line_starts[line - 1];
    uint32_t col = begin - start;
    t.col = col < kColUnknown ? static_cast<uint16_t>(col) : kColUnknown;
    out_.tokens.push_back(t);
  }

  [[gnu::noinline, gnu::cold]] Step Fail(Diagnostic d,
                                         ErrorOrigin origin = ErrorOrigin::kException) {
    TokenizerError e;
    e.diag = std::move(d);
    e.origin = origin;
    if (!brackets_.empty()) {
      e.open_bracket = brackets_.back().c;
      e.open_bracket_line = brackets_.back().line;
      e.open_bracket_col = brackets_.back().col;
    }
    if (scanning_rest_) {
      out_.error_after_unknown_character = std::move(e);
      return Step::kDone;
    }
    for (const OpenBracket& b : brackets_) MarkBracketMayHoldFor(b);  // never closed
    Emit(TokenKind::Error, tok_start_, std::max(pos_, tok_start_), tok_line_);
    out_.error = std::move(e.diag);
    out_.error_origin = e.origin;
    out_.open_bracket = e.open_bracket;
    out_.open_bracket_line = e.open_bracket_line;
    out_.open_bracket_col = e.open_bracket_col;
    return Step::kDone;
  }

  void MarkBracketMayHoldFor(const OpenBracket& b) {
    if (!scanning_rest_ && b.token < out_.tokens.size()) {
      out_.tokens[b.token].flags |= kBracketMayHoldFor;
    }
  }

  std::string_view LineUpToNewline(uint32_t line_start) const {
    std::string_view rest = text_.substr(std::min<std::size_t>(line_start, text_.size()));
    return rest.substr(0, rest.find('\n'));
  }

  // CPython's syntaxerror(): the error points at the character just before
  // the cursor; SyntaxError.text is the line without its newline.
  Diagnostic CursorError(std::string message, uint32_t line, uint32_t line_start) const {
    Diagnostic d;
    d.cls = ErrorClass::SyntaxError;
    d.message = std::move(message);
    d.lineno = static_cast<int32_t>(line);
    uint32_t p = pos_;
    if (p > line_start) {
      --p;
      while (p > line_start && (static_cast<unsigned char>(text_[p]) & 0xC0) == 0x80) --p;
      d.col = static_cast<int32_t>(p - line_start);
    }
    d.end_lineno = d.lineno;
    d.end_col = d.col;
    d.text = std::string(LineUpToNewline(line_start));
    return d;
  }

  [[gnu::noinline, gnu::cold]] Step FailAtCursor(std::string message) {
    return Fail(CursorError(std::move(message), line_, line_start_));
  }

  // Errors CPython's parser raises from the tokenizer's done-code, at a
  // known column with no end.
  // Out of line, with the message as a literal: the hot indentation and
  // continuation code then builds no strings.
  [[gnu::noinline, gnu::cold]] Step FailWithCode(ErrorClass cls, const char* message,
                                                  int32_t col) {
    Diagnostic d;
    d.cls = cls;
    d.message = message;
    d.lineno = static_cast<int32_t>(line_);
    d.col = col;
    d.end_lineno = d.lineno;
    d.end_col = -1;
    return Fail(std::move(d), ErrorOrigin::kDoneCode);
  }

  int32_t NewlineColumn() const {
    return static_cast<int32_t>(LineUpToNewline(line_start_).size());
  }

  [[gnu::noinline, gnu::cold]] Step FailUnexpectedEof() {
    if (!brackets_.empty()) {
      const OpenBracket& b = brackets_.back();
      Diagnostic d;
      d.message = fmt::format("'{}' was never closed", b.c);
      d.lineno = static_cast<int32_t>(b.line);
      d.col = static_cast<int32_t>(b.col);
      d.end_lineno = d.lineno;
      d.end_col = -1;
      return Fail(std::move(d), ErrorOrigin::kDoneCode);
    }
    return FailWithCode(ErrorClass::SyntaxError, "unexpected EOF while parsing", NewlineColumn());
  }

  // ---- Indentation -----------------------------------------------------

  // Measures the indentation of a new line and queues INDENT/DEDENT tokens.
  // Returns false after recording an error.
  bool ReadIndentation() {
    int col = 0;
    int alt_col = 0;
    // Indentation cannot be split with backslashes: the column of the first
    // backslash-newline decides (when it is not 0), as in CPython 3.10.
    int continuation_col = 0;
    int c;
    {
      // Leading spaces at once (entering the line as Next() would).
      if (pos_ == next_line_start_) EnterNextLine();  // line starts are < size
      const char* data = text_.data();
      uint32_t p = pos_;
      const uint32_t n = static_cast<uint32_t>(text_.size());
      constexpr uint64_t kEightSpaces = 0x2020202020202020ull;
      while (p + 8 <= n) {
        uint64_t word;
        std::memcpy(&word, data + p, 8);
        if (word != kEightSpaces) break;
        p += 8;
      }
      while (data[p] == ' ') ++p;  // std::string's '\0' ends the text
      col = alt_col = static_cast<int>(p - pos_);
      pos_ = p;
    }
    for (;;) {
      c = Next();
      if (c == ' ') {
        ++col;
        ++alt_col;
      } else if (c == '\t') {
        col = (col / kTabSize + 1) * kTabSize;
        ++alt_col;
      } else if (c == '\f') {
        col = alt_col = 0;
      } else if (c == '\\') {
        if (continuation_col == 0) continuation_col = col;
        if (!SkipLineContinuation()) return false;
      } else {
        break;
      }
    }
    Backup(c);
    if (c == '#' || c == '\n') {
      blank_line_ = true;
      return true;
    }
    if (!brackets_.empty()) return true;
    if (continuation_col != 0) col = alt_col = continuation_col;
    tok_start_ = pos_;
    tok_line_ = line_;
    if (col == indents_.back()) {
      if (alt_col != alt_indents_.back()) return TabError();
    } else if (col > indents_.back()) {
      if (indents_.size() >= kMaxIndent) {
        FailWithCode(ErrorClass::IndentationError, "too many levels of indentation", 0);
        return false;
      }
      if (alt_col <= alt_indents_.back()) return TabError();
      ++pending_;
      indents_.push_back(col);
      alt_indents_.push_back(alt_col);
    } else {
      while (indents_.size() > 1 && col < indents_.back()) {
        --pending_;
        indents_.pop_back();
        alt_indents_.pop_back();
      }
      if (col != indents_.back()) {
        FailWithCode(ErrorClass::IndentationError,
                     "unindent does not match any outer indentation level", NewlineColumn());
        return false;
      }
      if (alt_col != alt_indents_.back()) return TabError();
    }
    return true;
  }

  // After a backslash: the newline it escapes, and a check that the file
  // goes on. Returns false after recording an error.
  bool SkipLineContinuation() {
    tok_start_ = pos_ - 1;
    tok_line_ = line_;
    int c = Next();
    if (c != '\n') {
      int32_t col = static_cast<int32_t>(pos_ - line_start_) - 1;
      FailWithCode(ErrorClass::SyntaxError, "unexpected character after line continuation character", col);
      return false;
    }
    c = Next();
    if (c == kEof) {
      FailUnexpectedEof();
      return false;
    }
    Backup(c);
    return true;
  }

  [[gnu::noinline, gnu::cold]] bool TabError() {
    FailWithCode(ErrorClass::TabError, "inconsistent use of tabs and spaces in indentation", 0);
    return false;
  }

  // ---- The token loop --------------------------------------------------

  [[gnu::always_inline]] Step NextToken() {
    if (at_bol_) {
      at_bol_ = false;
      blank_line_ = false;
      if (!ReadIndentation()) return Step::kDone;
      EmitPendingIndentChanges();
    }
    for (;;) {  // once more after each backslash continuation
      int c;  // a byte: the text's end is the '\0' after it
      {
        // The cursor is never on a line not yet entered here: only a '\n'
        // ends a line, and the token loop reads it itself (setting at_bol_,
        // whose ReadIndentation enters the line), while Next() enters the
        // lines inside tokens and after a backslash continuation. Blanks
        // never hold a line start.
        // No bounds check: std::string's '\0' follows the text.
        const unsigned char* data = Bytes();
        uint32_t p = pos_;
        while ((kCharBits[data[p]] & kBlankBit) != 0) ++p;
        c = data[p];
        tok_start_ = p;
        pos_ = p + 1;
      }
      tok_line_ = line_;
      switch (kByteClasses[c]) {
        case ByteClass::kName: return ScanNameOrString(c);
        case ByteClass::kNewline: return EndLine();
        case ByteClass::kComment: return SkipComment();
        case ByteClass::kDot: return ScanDot();
        case ByteClass::kDigit: return ScanNumber(c);
        case ByteClass::kQuote: return ScanString(c);
        case ByteClass::kBackslash:
          if (!SkipLineContinuation()) return Step::kDone;
          continue;
        case ByteClass::kNul:
          if (tok_start_ >= text_.size()) {
            pos_ = tok_start_;
            return EndFile();
          }
          return ScanOperator(c);
        case ByteClass::kOther: return ScanOperator(c);
      }
    }
  }

  // A comment runs to the '\n' ending its line (the text ends with one).
  Step SkipComment() {
    const void* nl = std::memchr(text_.data() + pos_, '\n', text_.size() - pos_);
    if (nl == nullptr) {
      pos_ = static_cast<uint32_t>(text_.size());
      return EndFile();
    }
    pos_ = static_cast<uint32_t>(static_cast<const char*>(nl) - text_.data()) + 1;
    return EndLine();
  }

  // The '\n' before pos_ ends the line (tok_start_ is it or a comment).
  Step EndLine() {
    at_bol_ = true;
    if (blank_line_ || !brackets_.empty()) return Step::kMore;
    Emit(TokenKind::Newline, tok_start_, pos_ - 1, line_);
    MarkFirstOnLine();
    first_on_line_index_ = out_.tokens.size();
    return Step::kMore;
  }

  Step EndFile() {
    if (!brackets_.empty()) return FailUnexpectedEof();
    Emit(TokenKind::EndMarker, pos_, pos_, line_);
    return Step::kDone;
  }

  // ---- Names and string prefixes ---------------------------------------

  Step ScanNameOrString(int c) {
    bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
    while (IsStringPrefix(c)) {
      if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B')) {
        saw_b = true;
      } else if (!(saw_b || saw_u || saw_r || saw_f) && (c == 'u' || c == 'U')) {
        saw_u = true;
      } else if (!(saw_r || saw_u) && (c == 'r' || c == 'R')) {
        saw_r = true;
      } else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F')) {
        saw_f = true;
      } else {
        break;
      }
      c = Next();
      if (c == '"' || c == '\'') return ScanString(c);
    }
    bool non_ascii = false;
    if (IsNameChar(c)) {
      // The rest of the name: it cannot reach the next line ('\n' ends it).
      // No bounds check: the text ends with '\n' (a '\0' follows it).
      non_ascii = c >= 0x80;
      const unsigned char* p = Bytes() + pos_;
      while ((kCharBits[*p] & kAsciiNameBit) != 0) ++p;
      if ((kCharBits[*p] & kNameBit) != 0) {  // a byte >= 0x80
        non_ascii = true;
        while ((kCharBits[*p] & kNameBit) != 0) ++p;
      }
      pos_ = static_cast<uint32_t>(p - Bytes());
    } else {
      Backup(c);
    }
    if (non_ascii) return FinishNonAsciiName();
    std::string_view name = text_.substr(tok_start_, pos_ - tok_start_);
    TokenKind kind = ClassifyName(name);
    if ((kind == TokenKind::KwFor || kind == TokenKind::KwAsync) && !brackets_.empty()) {
      MarkBracketMayHoldFor(brackets_.back());
    }
    Emit(kind, tok_start_, pos_, tok_line_);
    return Step::kMore;
  }

  // PEP 3131: the name must decode as UTF-8 and be XID_Start XID_Continue*.
  Step FinishNonAsciiName() {
    std::string_view name = text_.substr(tok_start_, pos_ - tok_start_);
    std::string decode_error = unicode::Utf8ErrorMessage(name);
    if (!decode_error.empty()) {
      Diagnostic d;
      d.message = "(unicode error) " + decode_error;
      d.lineno = static_cast<int32_t>(tok_line_);
      // CPython points at the tokenizer's cursor: the end of the name.
      d.col = static_cast<int32_t>(pos_ - line_start_) - 1;
      d.end_lineno = d.lineno;
      d.end_col = -1;
      return Fail(std::move(d), ErrorOrigin::kDecodeError);
    }
    std::size_t i = 0;
    bool first = true;
    while (i < name.size()) {
      unicode::Decoded ch = unicode::DecodeOne(name.substr(i));
      bool ok = first ? unicode::IsIdentifierStart(ch.code_point)
                      : unicode::IsIdentifierContinue(ch.code_point);
      if (!ok) {
        pos_ = tok_start_ + static_cast<uint32_t>(i + ch.length);
        if (unicode::IsPrintable(ch.code_point)) {
          std::string glyph;
          unicode::AppendUtf8(glyph, ch.code_point);
          return FailAtCursor(fmt::format("invalid character '{}' (U+{:04X})", glyph,
                                          static_cast<uint32_t>(ch.code_point)));
        }
        return FailAtCursor(fmt::format("invalid non-printable character U+{:04X}",
                                        static_cast<uint32_t>(ch.code_point)));
      }
      first = false;
      i += ch.length;
    }
    Emit(TokenKind::Name, tok_start_, pos_, tok_line_, kNonAsciiName);
    return Step::kMore;
  }

  // ---- Strings ---------------------------------------------------------

  Step ScanString(int quote) {
    uint32_t first_line = tok_line_;
    uint32_t first_line_start = line_start_;
    int quote_size = 1;
    int end_quote_size = 0;
    int c = Next();
    if (c == quote) {
      c = Next();
      if (c == quote) {
        quote_size = 3;
      } else {
        end_quote_size = 1;  // the empty string
      }
    }
    if (c != quote) Backup(c);
    while (end_quote_size != quote_size) {
      if (end_quote_size == 0) {
        // Skip the bytes that cannot end the string or need attention: only
        // the quote, a backslash and (in a one-line string) '\n' do.
        const auto q = static_cast<unsigned char>(quote);
        uint32_t p = FindAnyOf(pos_, q, '\\', quote_size == 3 ? q : '\n');
        if (p != pos_) AdvanceTo(p);
      }
      c = Next();
      if (c == kEof || (quote_size == 1 && c == '\n')) {
        uint32_t detected_at = line_;
        pos_ = tok_start_ + 1;
        const char* what = quote_size == 3 ? "unterminated triple-quoted string literal"
                                           : "unterminated string literal";
        return Fail(CursorError(fmt::format("{} (detected at line {})", what, detected_at),
                                first_line, first_line_start));
      }
      if (c == quote) {
        ++end_quote_size;
      } else {
        end_quote_size = 0;
        if (c == '\\') Next();
      }
    }
    Emit(TokenKind::String, tok_start_, pos_, first_line,
         first_line != line_ ? kSpansLines : 0);
    return Step::kMore;
  }

  // ---- Numbers ---------------------------------------------------------

  Step ScanDot() {
    int c = Next();
    if (IsDigit(c)) return ScanFraction(c);
    if (c == '.') {
      int c3 = Next();
      if (c3 == '.') {
        Emit(TokenKind::Ellipsis, tok_start_, pos_, tok_line_);
        return Step::kMore;
      }
      Backup(c3);
    }
    Backup(c);
    Emit(TokenKind::Dot, tok_start_, pos_, tok_line_);
    return Step::kMore;
  }

  Step EmitNumber(int lookahead) {
    Backup(lookahead);
    Emit(TokenKind::Number, tok_start_, pos_, tok_line_);
    return Step::kMore;
  }

  // Digits and single underscores after a digit; returns the first other
  // character, or kFailed after an error.
  int DecimalTail() {
    int c;
    for (;;) {
      do {
        c = Next();
      } while (IsDigit(c));
      if (c != '_') return c;
      c = Next();
      if (!IsDigit(c)) {
        Backup(c);
        FailAtCursor("invalid decimal literal");
        return kFailed;
      }
    }
  }

  // Reads `test` ahead without consuming it; true when it is there and is
  // not followed by a name character.
  bool Lookahead(std::string_view test) {
    uint32_t saved = pos_;
    bool found = true;
    for (char want : test) {
      if (Next() != static_cast<unsigned char>(want)) {
        found = false;
        break;
      }
    }
    if (found) found = !IsNameChar(Next());
    pos_ = saved;
    return found;
  }

  // 3.10 rule for what may follow a number: a keyword that can legally come
  // next (`1if x else y`) only warns; any other name character is an error.
  bool VerifyEndOfNumber(int c, const char* kind) {
    bool keyword_follows = false;
    switch (c) {
      case 'a': keyword_follows = Lookahead("nd"); break;
      case 'e': keyword_follows = Lookahead("lse"); break;
      case 'f': keyword_follows = Lookahead("or"); break;
      case 'o': keyword_follows = Lookahead("r"); break;
      case 'n': keyword_follows = Lookahead("ot"); break;
      case 'i': {
        int c2 = Next();
        keyword_follows = c2 == 'f' || c2 == 'n' || c2 == 's';
        Backup(c2);
        break;
      }
      default: break;
    }
    if (keyword_follows) {
      Backup(c);
      Diagnostic w = CursorError(fmt::format("invalid {} literal", kind), line_, line_start_);
      w.cls = ErrorClass::DeprecationWarning;
      out_.warnings.push_back(std::move(w));
      Next();
      return true;
    }
    if (IsNameChar(c)) {
      Backup(c);
      FailAtCursor(fmt::format("invalid {} literal", kind));
      return false;
    }
    return true;
  }

  Step ScanNumber(int c) {
    if (c != '0') {
      c = DecimalTail();
      if (c == kFailed) return Step::kDone;
      return ScanAfterIntegerPart(c);
    }
    c = Next();
    if (c == 'x' || c == 'X') return ScanRadix(16, "hexadecimal");
    if (c == 'o' || c == 'O') return ScanRadix(8, "octal");
    if (c == 'b' || c == 'B') return ScanRadix(2, "binary");
    return ScanLeadingZero(c);
  }

  // After "0x"/"0o"/"0b": groups of digits separated by single underscores.
  Step ScanRadix(int radix, const char* kind) {
    auto in_radix = [radix](int ch) {
      if (radix == 16) return IsHex(ch);
      return ch >= '0' && ch < '0' + radix;
    };
    int c = Next();
    do {
      if (c == '_') c = Next();
      if (!in_radix(c)) {
        if (radix != 16 && IsDigit(c)) {
          return FailAtCursor(fmt::format("invalid digit '{}' in {} literal", char(c), kind));
        }
        Backup(c);
        return FailAtCursor(fmt::format("invalid {} literal", kind));
      }
      do {
        c = Next();
      } while (in_radix(c));
    } while (c == '_');
    if (radix != 16 && IsDigit(c)) {
      return FailAtCursor(fmt::format("invalid digit '{}' in {} literal", char(c), kind));
    }
    if (!VerifyEndOfNumber(c, kind)) return Step::kDone;
    return EmitNumber(c);
  }

  // "0" then c: zeros, or a float/imaginary such as 0123.5 or 09j.
  Step ScanLeadingZero(int c) {
    for (;;) {
      if (c == '_') {
        c = Next();
        if (!IsDigit(c)) {
          Backup(c);
          return FailAtCursor("invalid decimal literal");
        }
      }
      if (c != '0') break;
      c = Next();
    }
    uint32_t zeros_end = pos_;
    bool nonzero = false;
    if (IsDigit(c)) {
      nonzero = true;
      c = DecimalTail();
      if (c == kFailed) return Step::kDone;
    }
    if (c == '.') return ScanFraction(Next());
    if (c == 'e' || c == 'E') return ScanExponent(c);
    if (c == 'j' || c == 'J') return ScanImaginary();
    if (nonzero) {
      Backup(c);
      Diagnostic d = CursorError(
          "leading zeros in decimal integer literals are not permitted; "
          "use an 0o prefix for octal integers",
          line_, line_start_);
      d.col = static_cast<int32_t>(tok_start_ - line_start_);
      d.end_col = static_cast<int32_t>(zeros_end - line_start_) - 1;
      return Fail(std::move(d));
    }
    if (!VerifyEndOfNumber(c, "decimal")) return Step::kDone;
    return EmitNumber(c);
  }

  Step ScanAfterIntegerPart(int c) {
    if (c == '.') return ScanFraction(Next());
    if (c == 'e' || c == 'E') return ScanExponent(c);
    if (c == 'j' || c == 'J') return ScanImaginary();
    if (!VerifyEndOfNumber(c, "decimal")) return Step::kDone;
    return EmitNumber(c);
  }

  // c is the character after the decimal point.
  Step ScanFraction(int c) {
    if (IsDigit(c)) {
      c = DecimalTail();
      if (c == kFailed) return Step::kDone;
    }
    if (c == 'e' || c == 'E') return ScanExponent(c);
    if (c == 'j' || c == 'J') return ScanImaginary();
    if (!VerifyEndOfNumber(c, "decimal")) return Step::kDone;
    return EmitNumber(c);
  }

  Step ScanExponent(int e) {
    int c = Next();
    if (c == '+' || c == '-') {
      c = Next();
      if (!IsDigit(c)) {
        Backup(c);
        return FailAtCursor("invalid decimal literal");
      }
    } else if (!IsDigit(c)) {
      // "1else": the 'e' is not an exponent; the number ends before it.
      Backup(c);
      if (!VerifyEndOfNumber(e, "decimal")) return Step::kDone;
      return EmitNumber(e);
    }
    c = DecimalTail();
    if (c == kFailed) return Step::kDone;
    if (c == 'j' || c == 'J') return ScanImaginary();
    if (!VerifyEndOfNumber(c, "decimal")) return Step::kDone;
    return EmitNumber(c);
  }

  Step ScanImaginary() {
    int c = Next();
    if (!VerifyEndOfNumber(c, "imaginary")) return Step::kDone;
    return EmitNumber(c);
  }

  // ---- Operators and brackets ------------------------------------------

  // The byte at `at` without consuming it (kEof past the end). Only used
  // where `at` cannot start a line (the byte before it is not '\n').
  int ByteAt(uint32_t at) const {
    return at < text_.size() ? static_cast<unsigned char>(text_[at]) : kEof;
  }

  [[gnu::always_inline]] Step ScanOperator(int c) {
    if ((kCharBits[c] & kOperatorPrefixBit) != 0) {
      int c2 = ByteAt(pos_);
      TokenKind two = TwoCharKind(c, c2);
      if (two != TokenKind::Error) return ScanLongOperator(c, c2, two);
    }
    TokenKind kind = kOneCharKinds[c];
    switch (kind) {
      case TokenKind::LPar:
      case TokenKind::LSqb:
      case TokenKind::LBrace:
        if (brackets_.size() >= kMaxLevel) [[unlikely]] return FailTooManyBrackets();
        brackets_.push_back({static_cast<char>(c), line_, tok_start_ - line_start_,
                             static_cast<uint32_t>(out_.tokens.size())});
        break;
      case TokenKind::RPar:
      case TokenKind::RSqb:
      case TokenKind::RBrace: {
        if (brackets_.empty()) [[unlikely]] return FailUnmatched(c);
        OpenBracket open = brackets_.back();
        brackets_.pop_back();
        bool match = (open.c == '(' && c == ')') || (open.c == '[' && c == ']') ||
                     (open.c == '{' && c == '}');
        if (!match) [[unlikely]] return FailMismatched(c, open);
        break;
      }
      case TokenKind::Error: return FailUnknownCharacter();
      default: break;
    }
    Emit(kind, tok_start_, pos_, tok_line_);
    return Step::kMore;
  }

  // c c2 form `two`; a third character may extend it ("**=", "<<=", ...).
  Step ScanLongOperator(int c, int c2, TokenKind two) {
    ++pos_;
    TokenKind three = ThreeCharKind(two, ByteAt(pos_));
    if (three == TokenKind::Error) {
      three = two;
    } else {
      ++pos_;
    }
    uint8_t flags = (c == '<' && c2 == '>') ? kNotEqualIsLtGt : 0;
    Emit(three, tok_start_, pos_, tok_line_, flags);
    return Step::kMore;
  }

  [[gnu::noinline, gnu::cold]] Step FailTooManyBrackets() {
    return FailAtCursor("too many nested parentheses");
  }

  [[gnu::noinline, gnu::cold]] Step FailUnmatched(int c) {
    return FailAtCursor(fmt::format("unmatched '{}'", char(c)));
  }

  [[gnu::noinline, gnu::cold]] Step FailMismatched(int c, OpenBracket open) {
    if (open.line != line_) {
      return FailAtCursor(fmt::format(
          "closing parenthesis '{}' does not match opening parenthesis '{}' on line {}",
          char(c), open.c, open.line));
    }
    return FailAtCursor(fmt::format(
        "closing parenthesis '{}' does not match opening parenthesis '{}'", char(c), open.c));
  }

  // CPython hands an unknown ASCII character ('$', '?', '!', a control
  // character) to the parser as an OP token that no rule accepts.
  [[gnu::noinline, gnu::cold]] Step FailUnknownCharacter() {
    if (scanning_rest_) return Step::kMore;
    Diagnostic d;
    d.message = "invalid syntax";
    d.lineno = static_cast<int32_t>(line_);
    d.col = static_cast<int32_t>(tok_start_ - line_start_);
    d.end_lineno = d.lineno;
    d.end_col = d.col + 1;
    Fail(std::move(d), ErrorOrigin::kNotAnError);
    out_.tokens.back().flags |= kUnknownCharacter;
    scanning_rest_ = true;  // look for the error CPython would meet later
    tokens_before_rest_ = out_.tokens.size();
    return Step::kMore;
  }

  const Source& src_;
  std::string_view text_;
  uint32_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t line_start_ = 0;
  uint32_t next_line_start_ = UINT32_MAX;
  uint32_t tok_start_ = 0;
  uint32_t tok_line_ = 1;
  std::vector<int> indents_;
  std::vector<int> alt_indents_;
  std::vector<OpenBracket> brackets_;
  int pending_ = 0;
  bool at_bol_ = true;
  bool blank_line_ = false;
  bool scanning_rest_ = false;  // past an unknown character: no more tokens
  std::size_t tokens_before_rest_ = 0;  // the tokens kept once scanning_rest_
  std::size_t first_on_line_index_ = 0;  // where the current line's tokens begin
  Tokens out_;
};

}  // namespace

Tokens Tokenize(const Source& source) {
  if (source.text.size() >= UINT32_MAX) {
    Tokens t;
    Diagnostic d;
    d.cls = ErrorClass::OverflowError;
    d.message = "source too long";
    t.error = std::move(d);
    t.tokens.push_back(Token{0, 0, 1, TokenKind::Error, 0, 0});
    return t;
  }
  return Lexer(source).Run();
}

std::string NormalizeIdentifier(std::string_view utf8) { return unicode::Nfkc(utf8); }

}  // namespace xpyc::lex
