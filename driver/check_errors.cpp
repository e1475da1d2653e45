// xpyc --check-errors [--parse-only] FILE...   (hidden, for tools/ scripts)
//   Compiles each FILE the way compile(bytes, FILE, 'exec') does (with
//   --parse-only: as ast.parse does, stopping after the parser) and prints
//   one record per file:
//     FILE<TAB>OK
//     FILE<TAB>CLASS<TAB>MSG<TAB>LINENO<TAB>OFFSET<TAB>END_LINENO<TAB>END_OFFSET<TAB>TEXT<TAB>PRINTED
//   Absent attributes print as "None"; MSG, TEXT and PRINTED (what
//   traceback.format_exception_only shows, as py_compile quotes it) are
//   escaped by EscapeField. tools/errors_diff.py prints the oracle's side in
//   the same form.
// xpyc --check-errors --suite CASES...
//   Runs an error suite (testdata/errors/*.cases, written by
//   tools/regen_errors.py): each line is NAME<TAB>SOURCE<TAB>EXPECTED, with
//   SOURCE escaped and EXPECTED a record as above without FILE. Prints every
//   case whose record differs, then "errors FILE: N/M passed" per file, and
//   exits 1 when any case failed.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_error.h"
#include "driver/compile_source.h"
#include "driver/compileall.h"
#include "driver/file_bytes.h"
#include "lexer/lex.h"
#include "parser/parse.h"

namespace xpyc::driver {
namespace {

// The file name every suite case is compiled under.
constexpr std::string_view kSuiteFileName = "case.py";

// Backslash escapes for '\\', '\t', '\n', '\r'; \xHH for other control bytes,
// DEL and every byte >= 0x80, so that a record is one line of ASCII.
std::string EscapeField(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UnescapeField(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char next = s[++i];
    if (next == 't') {
      out.push_back('\t');
    } else if (next == 'n') {
      out.push_back('\n');
    } else if (next == 'r') {
      out.push_back('\r');
    } else if (next == 'x' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(next);
    }
  }
  return out;
}

std::string OptionalInt(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : std::string("None");
}

// The record of one outcome, without the file name.
std::string Record(const CompileOutcome& outcome) {
  if (outcome.status == CompileOutcome::Status::Ok) return "OK";
  if (outcome.status == CompileOutcome::Status::Unsupported) {
    return "UNSUPPORTED\t" + EscapeField(outcome.detail);
  }
  const CompileError& e = outcome.error;
  std::string printed = e.is_syntax_error_family()
                            ? FormatSyntaxError(e)
                            : e.class_name + ": " + e.message + "\n";
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", e.class_name, EscapeField(e.message),
                     OptionalInt(e.lineno), OptionalInt(e.offset), OptionalInt(e.end_lineno),
                     OptionalInt(e.end_offset), e.text ? EscapeField(*e.text) : "None",
                     EscapeField(printed));
}

// ast.parse(bytes, dfile): decoding, tokens and the parser only.
CompileOutcome ParseOnly(std::string_view bytes, std::string_view dfile) {
  CompileOutcome outcome;
  Diagnostics diag;
  lex::Source source;
  if (!lex::DecodeSource(bytes, std::string(dfile), source, diag)) {
    outcome.status = CompileOutcome::Status::Error;
    outcome.error = ToCompileError(*diag.error(), nullptr, dfile);
    return outcome;
  }
  const lex::Tokens tokens = lex::Tokenize(source);
  if (parse::Parse(source, tokens, diag)) {
    outcome.status = CompileOutcome::Status::Ok;
    return outcome;
  }
  outcome.status = CompileOutcome::Status::Error;
  if (diag.error()) {
    outcome.error = ToCompileError(*diag.error(), &source, dfile);
  } else {
    outcome.error.class_name = "SystemError";
    outcome.error.message = "xpyc: parsing failed without an error";
  }
  return outcome;
}

CompileOutcome Run(std::string_view bytes, std::string_view dfile, bool parse_only) {
  return parse_only ? ParseOnly(bytes, dfile) : CompileSource(bytes, dfile, 0);
}

std::vector<std::string_view> SplitTabs(std::string_view line, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) break;
    parts.push_back(line.substr(0, tab));
    line.remove_prefix(tab + 1);
  }
  parts.push_back(line);
  return parts;
}

// Runs one suite file; returns the number of failed cases.
int RunSuite(const char* path, bool parse_only, int& total) {
  std::string contents, error;
  if (!ReadWholeFile(path, contents, error)) {
    fmt::print(stderr, "xpyc: {}: {}\n", path, error);
    return 1;
  }
  int passed = 0;
  int cases = 0;
  std::string_view rest = contents;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string_view> parts = SplitTabs(line, 3);
    if (parts.size() != 3) continue;
    ++cases;
    const std::string source = UnescapeField(parts[1]);
    const std::string actual = Record(Run(source, kSuiteFileName, parse_only));
    if (actual == parts[2]) {
      ++passed;
      continue;
    }
    fmt::print("FAIL {}\n  source:   {}\n  expected: {}\n  actual:   {}\n", parts[0], parts[1],
               parts[2], actual);
  }
  fmt::print("errors {}: {}/{} passed\n", path, passed, cases);
  total += cases;
  return cases - passed;
}

}  // namespace

int CheckErrorsCommand(int argc, char** argv) {
  bool parse_only = false;
  bool suite = false;
  int first = 0;
  for (; first < argc; ++first) {
    if (std::strcmp(argv[first], "--parse-only") == 0) {
      parse_only = true;
    } else if (std::strcmp(argv[first], "--suite") == 0) {
      suite = true;
    } else {
      break;
    }
  }
  if (suite) {
    int failed = 0;
    int total = 0;
    for (int i = first; i < argc; ++i) failed += RunSuite(argv[i], parse_only, total);
    fmt::print("errors total: {}/{} passed\n", total - failed, total);
    return failed == 0 ? 0 : 1;
  }
  for (int i = first; i < argc; ++i) {
    std::string bytes, error;
    if (!ReadWholeFile(argv[i], bytes, error)) {
      fmt::print("{}\tUNREADABLE\t{}\n", argv[i], EscapeField(error));
      continue;
    }
    const std::string record = Record(Run(bytes, argv[i], parse_only));
    fmt::print("{}\t{}\n", argv[i], record);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace xpyc::driver
