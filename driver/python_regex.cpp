// compileall's -x pattern: a Python `re` pattern, matched with RE2.
//
// Python's re and RE2 agree on most syntax; where they differ, the pattern is
// rewritten so that RE2 matches what Python would:
//   * \d \w \s (and \D \W \S) are Unicode classes in Python (str.isdecimal,
//     str.isalnum or '_', str.isspace), ASCII ones in RE2;
//   * \Z is RE2's \z; \uXXXX, \UXXXXXXXX, \xXX and octal escapes are \x{...};
//   * {,n} is {0,n}; (?u) is the default; (?#...) is a comment;
//   * '[' inside a class is a literal in Python ([[:alpha:]] is not a POSIX
//     class there), and \b inside a class is a backspace;
//   * escapes Python rejects ("bad escape \p") are re.error, as in Python.
// The path is searched as the str Python sees (os.fsdecode: an undecodable
// byte is a lone surrogate), which RE2 accepts in UTF-8 form.
// What RE2 cannot express (backreferences, lookaround, conditionals, Unicode
// \b/\B, \W or \S inside a class, \N{...}, the a/L/x flags, repetitions
// above 1000) is refused with a clear reason.
#include <re2/re2.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "driver/compileall.h"
#include "driver/fs_util.h"

namespace xpyc::driver {
namespace {

// str.isspace, as Python's \s matches it.
constexpr std::string_view kSpaceClass =
    "\\t\\n\\x0b\\f\\r \\x1c-\\x1f\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}"
    "\\x{202f}\\x{205f}\\x{3000}";
constexpr std::string_view kWordClass = "\\p{L}\\p{N}_";  // str.isalnum() or '_'

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

class Translator {
 public:
  explicit Translator(std::string_view pattern) : p_(pattern) {}

  PythonRegex Run() {
    while (i_ < p_.size() && result_.failure == PythonRegex::Failure::None) {
      if (in_class_) {
        ClassChar();
      } else {
        Char();
      }
    }
    return result_;
  }

  const std::string& translated() const { return out_; }

 private:
  // Python's position: code points before byte `at`.
  size_t Position(size_t at) const {
    size_t count = 0;
    for (size_t k = 0; k < at && k < p_.size(); ++k) {
      if ((static_cast<uint8_t>(p_[k]) & 0xC0) != 0x80) ++count;
    }
    return count;
  }

  void PythonError(std::string message, size_t at) {
    result_.failure = PythonRegex::Failure::PythonError;
    result_.message = message + " at position " + std::to_string(Position(at));
  }

  void Unsupported(std::string reason) {
    result_.failure = PythonRegex::Failure::Unsupported;
    result_.message = std::move(reason);
  }

  // \x{...} of a code point Python accepts.
  void CodePoint(uint32_t cp, size_t at, std::string_view escape) {
    if (cp > 0x10FFFF) {
      PythonError("bad escape " + std::string(escape), at);
      return;
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "\\x{%x}", static_cast<unsigned>(cp));
    out_ += buffer;
  }

  // \xXX, \uXXXX, \UXXXXXXXX: exactly `digits` hex digits after the letter.
  void HexEscape(size_t digits) {
    const size_t start = i_;
    const size_t first = i_ + 2;
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; ++k) {
      if (first + k >= p_.size() || !IsHex(p_[first + k])) {
        PythonError("incomplete escape " + std::string(p_.substr(start, 2 + k)), start);
        return;
      }
      const char c = p_[first + k];
      cp = cp * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    i_ = first + digits;
    CodePoint(cp, start, p_.substr(start, 2 + digits));
  }

  // An octal escape of up to three digits starting at p_[i_ + 1].
  void OctalEscape(size_t max_digits) {
    const size_t start = i_;
    size_t end = i_ + 1;
    uint32_t value = 0;
    while (end < p_.size() && end - (i_ + 1) < max_digits && IsOctal(p_[end])) {
      value = value * 8 + static_cast<uint32_t>(p_[end] - '0');
      ++end;
    }
    i_ = end;
    if (value > 0377) {
      PythonError("octal escape value " + std::string(p_.substr(start, end - start)) +
                      " outside of range 0-0o377",
                  start);
      return;
    }
    CodePoint(value, start, p_.substr(start, end - start));
  }

  // The escapes both contexts share; false when `c` is not one of them.
  bool CommonEscape(char c) {
    switch (c) {
      case 'x': HexEscape(2); return true;
      case 'u': HexEscape(4); return true;
      case 'U': HexEscape(8); return true;
      case 'a': out_ += "\\x07"; break;
      case 'f': out_ += "\\x0c"; break;
      case 'n': out_ += "\\x0a"; break;
      case 'r': out_ += "\\x0d"; break;
      case 't': out_ += "\\x09"; break;
      case 'v': out_ += "\\x0b"; break;
      case 'N': Unsupported("named characters (\\N{...})"); return true;
      default: return false;
    }
    i_ += 2;
    return true;
  }

  void OtherEscape(char c) {
    if (IsAsciiLetter(c) || (c >= '0' && c <= '9')) {
      PythonError(std::string("bad escape \\") + c, i_);
      return;
    }
    if (static_cast<uint8_t>(c) >= 0x80) {
      ++i_;  // \ before a non-ASCII character: the character itself
      return;
    }
    out_ += '\\';
    out_ += c;
    i_ += 2;
  }

  void Char() {
    const char c = p_[i_];
    if (c == '\\') {
      if (i_ + 1 >= p_.size()) {
        PythonError("bad escape (end of pattern)", i_);
        return;
      }
      const char e = p_[i_ + 1];
      switch (e) {
        case 'd': out_ += "\\p{Nd}"; i_ += 2; return;
        case 'D': out_ += "\\P{Nd}"; i_ += 2; return;
        case 'w': out_ += "[" + std::string(kWordClass) + "]"; i_ += 2; return;
        case 'W': out_ += "[^" + std::string(kWordClass) + "]"; i_ += 2; return;
        case 's': out_ += "[" + std::string(kSpaceClass) + "]"; i_ += 2; return;
        case 'S': out_ += "[^" + std::string(kSpaceClass) + "]"; i_ += 2; return;
        case 'Z': out_ += "\\z"; i_ += 2; return;
        case 'A': out_ += "\\A"; i_ += 2; return;
        case 'b':
        case 'B':
          Unsupported("Unicode word boundaries (\\b, \\B)");
          return;
        default: break;
      }
      if (CommonEscape(e)) return;
      if (e == '0') {
        OctalEscape(3);
        return;
      }
      if (e >= '1' && e <= '9') {
        if (i_ + 3 < p_.size() && IsOctal(e) && IsOctal(p_[i_ + 2]) && IsOctal(p_[i_ + 3])) {
          OctalEscape(3);
        } else {
          Unsupported("backreferences (\\1 ...)");
        }
        return;
      }
      OtherEscape(e);
      return;
    }
    if (c == '[') {
      out_ += '[';
      ++i_;
      if (i_ < p_.size() && p_[i_] == '^') {
        out_ += '^';
        ++i_;
      }
      if (i_ < p_.size() && p_[i_] == ']') {  // a leading ']' is a literal
        out_ += "\\]";
        ++i_;
      }
      in_class_ = true;
      return;
    }
    if (c == '(' && i_ + 1 < p_.size() && p_[i_ + 1] == '?') {
      Group();
      return;
    }
    if (c == '{' && i_ + 1 < p_.size() && p_[i_ + 1] == ',') {
      // Python's {,n} is {0,n} (RE2 would take the brace literally).
      size_t k = i_ + 2;
      while (k < p_.size() && p_[k] >= '0' && p_[k] <= '9') ++k;
      if (k < p_.size() && p_[k] == '}' && k > i_ + 2) {
        out_ += "{0,";
        i_ += 2;
        return;
      }
    }
    out_ += c;
    ++i_;
  }

  void Group() {
    const std::string_view rest = p_.substr(i_ + 2);
    if (rest.starts_with("=") || rest.starts_with("!") || rest.starts_with("<=") ||
        rest.starts_with("<!")) {
      Unsupported("lookahead or lookbehind ((?=...), (?!...), (?<=...), (?<!...))");
      return;
    }
    if (rest.starts_with("P=")) {
      Unsupported("backreferences ((?P=name))");
      return;
    }
    if (rest.starts_with("(")) {
      Unsupported("conditional groups ((?(id)yes|no))");
      return;
    }
    if (rest.starts_with("#")) {
      const size_t close = p_.find(')', i_);
      if (close == std::string_view::npos) {
        PythonError("missing ), unterminated comment", i_);
        return;
      }
      i_ = close + 1;
      return;
    }
    // Inline flags: (?FLAGS) or (?FLAGS:...) or (?FLAGS-FLAGS:...).
    size_t k = 0;
    std::string flags;
    while (k < rest.size() && std::string_view("aiLmsux-").find(rest[k]) != std::string_view::npos) {
      const char f = rest[k++];
      if (f == 'a' || f == 'L' || f == 'x') {
        Unsupported("ASCII, locale or verbose flags ((?a), (?L), (?x))");
        return;
      }
      if (f != 'u') flags += f;
    }
    if (k > 0 && k < rest.size() && (rest[k] == ')' || rest[k] == ':')) {
      if (flags.empty() || flags == "-") {
        if (rest[k] == ':') out_ += "(?:";
      } else {
        out_ += "(?" + flags + rest[k];
      }
      i_ += 2 + k + 1;
      return;
    }
    out_ += "(?";
    i_ += 2;
  }

  void ClassChar() {
    const char c = p_[i_];
    if (c == ']') {
      out_ += ']';
      ++i_;
      in_class_ = false;
      return;
    }
    if (c == '[') {  // a literal in Python; RE2 would see [:alpha:] classes
      out_ += "\\[";
      ++i_;
      return;
    }
    if (c != '\\') {
      out_ += c;
      ++i_;
      return;
    }
    if (i_ + 1 >= p_.size()) {
      PythonError("bad escape (end of pattern)", i_);
      return;
    }
    const char e = p_[i_ + 1];
    switch (e) {
      case 'd': out_ += "\\p{Nd}"; i_ += 2; return;
      case 'D': out_ += "\\P{Nd}"; i_ += 2; return;
      case 'w': out_ += kWordClass; i_ += 2; return;
      case 's': out_ += kSpaceClass; i_ += 2; return;
      case 'W':
      case 'S':
        Unsupported("complemented Unicode classes inside [...] (\\W, \\S)");
        return;
      case 'b': out_ += "\\x08"; i_ += 2; return;
      default: break;
    }
    if (CommonEscape(e)) return;
    if (IsOctal(e)) {
      OctalEscape(3);
      return;
    }
    OtherEscape(e);
  }

  std::string_view p_;
  size_t i_ = 0;
  bool in_class_ = false;
  std::string out_;
  PythonRegex result_;
};

}  // namespace

PythonRegex CompilePythonRegex(std::string_view pattern) {
  const std::string str = fs::FsDecodeToStr(pattern);
  Translator translator(str);
  PythonRegex result = translator.Run();
  if (result.failure != PythonRegex::Failure::None) return result;
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<RE2>(translator.translated(), options);
  if (!regex->ok()) {
    if (regex->error_code() == RE2::ErrorRepeatSize) {
      result.failure = PythonRegex::Failure::Unsupported;
      result.message = "repetition counts above 1000";
    } else {
      // Not valid in Python either (unbalanced parentheses, nothing to repeat...).
      result.failure = PythonRegex::Failure::PythonError;
      result.message = regex->error();
    }
    return result;
  }
  result.regex = std::move(regex);
  return result;
}

bool SearchPath(const re2::RE2& regex, std::string_view path) {
  return RE2::PartialMatch(fs::FsDecodeToStr(path), regex);
}

}  // namespace xpyc::driver
