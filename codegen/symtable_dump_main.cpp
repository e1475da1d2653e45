// xpyc_symtable_dump [--code] FILE...
//   For each file prints "== FILE", then DumpSymtable() of it, or one line
//   "error CLASS: MESSAGE line L col C end E endcol D" (1-based columns).
//   With --code, prints DumpCodeFacts() instead.
//   Used by tools/check_symtable.py; not built by default.
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "codegen/symtable.h"
#include "parser/parse.h"

namespace {

bool ReadFile(const char* path, std::string& out) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return true;
}

void PrintError(const xpyc::Diagnostic& d) {
  fmt::print("error {}: {} line {} col {} end {} endcol {}\n", xpyc::ErrorClassName(d.cls),
             d.message, d.lineno, d.col + 1, d.end_lineno, d.end_col + 1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace xpyc;
  bool code_facts = argc > 1 && std::string_view(argv[1]) == "--code";
  for (int i = code_facts ? 2 : 1; i < argc; ++i) {
    fmt::print("== {}\n", argv[i]);
    std::string bytes;
    if (!ReadFile(argv[i], bytes)) {
      fmt::print("error OSError: cannot read\n");
      continue;
    }
    Diagnostics diag;
    auto tree = parse::ParseBytes(bytes, argv[i], diag);
    if (!tree) {
      if (diag.error()) {
        PrintError(*diag.error());
      } else {
        fmt::print("error SyntaxError: invalid syntax\n");
      }
      continue;
    }
    auto table = symtable::Build(*tree, symtable::ScanFutureFeatures(*tree), diag);
    if (!table) {
      if (diag.error()) PrintError(*diag.error());
      else fmt::print("error SystemError: no error recorded\n");
      continue;
    }
    std::string text =
        code_facts ? symtable::DumpCodeFacts(*table) : symtable::DumpSymtable(*table);
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  return 0;
}
