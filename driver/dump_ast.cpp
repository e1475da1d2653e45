// xpyc --dump-ast FILE.py
//   Prints ast.dump(ast.parse(source_bytes, FILE), include_attributes=True)
//   as CPython 3.10 does, then a newline; exit 0. On an error prints
//   "CLASS: MESSAGE (FILE, line N)" to stderr; exit 1.
// xpyc --dump-ast --bench FILE...   (hidden, for tests/bench_parse.py)
//   Reads every file, then decodes, tokenizes and parses all of them in
//   memory; prints "files N ok N seconds S cpu_seconds C maxrss_kb K" to stdout.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "driver/commands.h"
#include "driver/file_bytes.h"
#include "lexer/lex.h"
#include "parser/parse.h"

namespace xpyc::driver {
namespace {

void PrintError(const char* path, const Diagnostic& d) {
  fmt::print(stderr, "{}: {} ({}, line {})\n", ErrorClassName(d.cls), d.message, path,
             d.lineno);
}

int BenchParse(int argc, char** argv) {
  std::vector<std::string> contents;
  std::vector<const char*> paths;
  for (int i = 0; i < argc; ++i) {
    std::string bytes, error;
    if (!ReadWholeFile(argv[i], bytes, error)) continue;
    contents.push_back(std::move(bytes));
    paths.push_back(argv[i]);
  }
  size_t ok = 0;
  std::clock_t cpu_start = std::clock();
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < contents.size(); ++i) {
    Diagnostics diag;
    if (parse::ParseBytes(contents[i], paths[i], diag)) ++ok;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print("files {} ok {} seconds {:.6f} cpu_seconds {:.6f} maxrss_kb {}\n",
             contents.size(), ok, seconds, cpu_seconds, usage.ru_maxrss);
  return 0;
}

}  // namespace

int DumpAstCommand(int argc, char** argv) {
  if (argc >= 1 && std::strcmp(argv[0], "--bench") == 0) return BenchParse(argc - 1, argv + 1);
  if (argc != 1) {
    std::fputs("usage: xpyc --dump-ast FILE.py\n", stderr);
    return 2;
  }
  const char* path = argv[0];
  std::string bytes, error;
  if (!ReadWholeFile(path, bytes, error)) {
    fmt::print(stderr, "xpyc: {}: {}\n", path, error);
    return 2;
  }
  Diagnostics diag;
  auto tree = parse::ParseBytes(bytes, path, diag);
  if (!tree) {
    if (diag.error()) {
      PrintError(path, *diag.error());
    } else {
      fmt::print(stderr, "SyntaxError: invalid syntax ({}, line 0)\n", path);
    }
    return 1;
  }
  std::string out = parse::DumpAst(*tree);
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace xpyc::driver
