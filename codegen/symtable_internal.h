#pragma once
// Shared between the two passes of the symbol table (not a public header).
#include <cstdint>
#include <vector>

#include "codegen/symtable.h"

namespace xpyc::symtable {

// Where a name was declared global or nonlocal (or bound by a walrus in a
// comprehension), for the errors the analysis raises about it.
struct Directive {
  NameId name;
  int32_t lineno, col, end_lineno, end_col;
};

// The second pass (symtable_analyze): resolves every symbol's scope, marks
// cells and free variables. `directives[i]` belongs to entries[i].
bool Analyze(SymbolTable& table, const std::vector<std::vector<Directive>>& directives,
             Diagnostics& diag);

}  // namespace xpyc::symtable
