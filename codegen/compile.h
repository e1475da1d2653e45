#pragma once
// The code generator's entry point: a parsed module in, its code object out,
// as CPython 3.10's compile(source, filename, 'exec') builds it after
// parsing. The passes, in order:
//   1. future statements (CO_FUTURE_* flags, their errors);
//   2. the AST optimizer (ast_opt.h), in place;
//   3. the symbol table (symtable.h);
//   4. code generation into basic blocks, one Unit per code object
//      (compiler_*.cpp: statements, expressions, scopes, patterns);
//   5. assembly of each Unit (unit.h: CFG optimisation, line table).
#include <cstdint>
#include <string_view>
#include <vector>

#include "lexer/diagnostics.h"
#include "marshal/value.h"
#include "parser/ast.h"

namespace xpyc::codegen {

struct ModuleCompileOptions {
  std::string_view filename;  // co_filename, and the file named in errors
  int optimize = 0;           // 0, 1 or 2
  // Where CPython's recursion counters for the optimizer and the symbol
  // table start (see ast_opt.h and symtable.h): 33 under `compileall DIR`.
  int recursion_start = 33;
};

// Compiles `tree` (which the optimizer rewrites in place). Returns the module
// code object, allocated in tree.heap(), or null with the error in `diag`.
// Warnings (SyntaxWarning) are added to `diag` as well.
marshal::Ref CompileModule(ast::Ast& tree, const ModuleCompileOptions& options,
                           Diagnostics& diag);

}  // namespace xpyc::codegen
