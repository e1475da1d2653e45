#pragma once
// A small command-line parser that behaves like Python 3.10's argparse for the
// features compileall and py_compile use: the same classification of option
// strings (abbreviations, "-qq", "-j4", "--workers=4", "--"), the same error
// words, and the same usage and help layout at any terminal width.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xpyc::driver::cli {

enum class ActionKind : uint8_t { Help, StoreTrue, StoreConst, Count, Store, Append };
enum class Nargs : uint8_t { One, Zero, ZeroOrMore, OneOrMore };
enum class ValueType : uint8_t { String, Int };

struct ArgSpec {
  std::vector<std::string> option_strings;  // empty for a positional
  std::string dest;
  ActionKind kind = ActionKind::Store;
  ValueType type = ValueType::String;
  std::string metavar;               // empty: argparse's default metavar
  std::vector<std::string> choices;  // empty: any value
  std::string help;
  int64_t const_value = 0;           // StoreConst
  bool positional_plus = false;      // positional with nargs='+' (else '*')
};

// What parsing produced for one destination.
struct Value {
  bool seen = false;                  // given on the command line
  std::optional<std::string> text;    // Store of a string
  std::optional<int64_t> number;      // Store of an int, StoreConst
  std::vector<int64_t> numbers;       // Append of ints
  std::vector<std::string> strings;   // positionals
  int64_t count = 0;                  // Count
  bool flag = false;                  // StoreTrue
};

struct ParseResult {
  enum class Status : uint8_t { Ok, Help, Error };
  Status status = Status::Ok;
  std::string output;  // Help: the help text (stdout); Error: usage + message (stderr)
  std::vector<Value> values;  // indexed like the parser's specs

  int ExitStatus() const;  // 0 for Ok and Help, 2 for Error
};

class Parser {
 public:
  Parser(std::string prog, std::string description);

  // Returns the index of the new argument (to look its Value up later).
  size_t Add(ArgSpec spec);

  ParseResult Parse(const std::vector<std::string>& args) const;

  // The terminal width argparse would use: $COLUMNS, else the terminal's,
  // else 80; minus 2.
  static int DefaultWidth();

  std::string FormatUsage(int width) const;  // "usage: ...\n"
  std::string FormatHelp(int width) const;
  // "usage...\nPROG: error: MESSAGE\n", what parser.error() writes to stderr.
  std::string FormatError(std::string_view message, int width) const;
  const std::string& prog() const { return prog_; }

 private:
  std::string UsageBody(int width, size_t prefix_length) const;
  std::string ActionUsage(const ArgSpec& spec) const;
  std::string Invocation(const ArgSpec& spec) const;
  std::string Metavar(const ArgSpec& spec) const;

  std::string prog_;
  std::string description_;
  std::vector<ArgSpec> specs_;
};

// Python's int(text) for base 10 as argparse's type=int uses it (surrounding
// whitespace, sign, single underscores between digits). Saturates at the
// int64 range. nullopt when Python would raise ValueError.
std::optional<int64_t> ParsePythonInt(std::string_view text);

// textwrap.wrap(text, width) with argparse's whitespace normalisation.
std::vector<std::string> WrapText(std::string_view text, int width);

}  // namespace xpyc::driver::cli
