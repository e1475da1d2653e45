// Developer check (not built by default), fed by tools/check_ast_opt.py:
//   xpyc_ast_opt_dump FILE...
// For each file prints "FILE <path>" and then, on one line, the ast.dump
// (include_attributes=True) of the module after OptimizeAst at optimize
// level 0 with the file's future annotations honoured; or
// "ERROR <class>: <message>" when it does not parse or optimize.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "codegen/ast_opt.h"
#include "parser/parse.h"

namespace {

std::string ReadFile(const char* path, bool& ok) {
  std::string bytes;
  FILE* f = std::fopen(path, "rb");
  ok = f != nullptr;
  if (!f) return bytes;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  std::fclose(f);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace xpyc;
  for (int i = 1; i < argc; ++i) {
    std::string out = fmt::format("FILE {}\n", argv[i]);
    bool ok = false;
    std::string bytes = ReadFile(argv[i], ok);
    Diagnostics diag;
    auto tree = ok ? parse::ParseBytes(bytes, argv[i], diag) : nullptr;
    codegen::AstOptOptions options;
    if (tree) options.future_annotations = codegen::HasFutureAnnotations(*tree);
    if (!tree || !codegen::OptimizeAst(*tree, options, diag)) {
      const auto& error = diag.error();
      out += fmt::format("ERROR {}: {}\n", error ? ErrorClassName(error->cls) : "IOError",
                         error ? error->message : "unreadable");
    } else {
      out += parse::DumpAst(*tree);
      out += '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}
