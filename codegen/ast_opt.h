#pragma once
// The AST optimizer of CPython 3.10 (_PyAST_Optimize), run in place on a
// parsed module before the symbol table and code generation:
//  - unary and binary operators on constants are folded with Python's
//    semantics, within CPython's limits (ints up to 128 bits from *, ** and
//    <<; str/bytes repetition up to 4096 items; tuple repetition up to 256
//    items and 1024 nested items); nothing is folded where CPython would
//    raise; `str % x` and comparisons are never folded;
//  - tuples of constants (Load context) become a constant tuple, and
//    constant subscripts (`"abc"[1]`, `(1, 2)[0]`) are folded;
//  - the iterable of `for` and of comprehensions, and the right side of a
//    final `in` / `not in`: a list becomes a tuple (a constant one when all
//    items are constants), a set of constants becomes a frozenset;
//  - `__debug__` becomes True at optimize level 0, False above;
//  - `not (a is b)` becomes `a is not b` (likewise is not, in, not in);
//  - a folded node keeps its own position; a body whose first statement
//    becomes a string only by folding gets it wrapped in a JoinedStr, so
//    that it does not turn into a docstring.
// Annotations are left alone under `from __future__ import annotations`.
#include "lexer/diagnostics.h"
#include "parser/ast.h"

namespace xpyc::codegen {

struct AstOptOptions {
  // The effective -O level (0, 1 or 2).
  int optimize = 0;
  // `from __future__ import annotations` is in effect (HasFutureAnnotations).
  bool future_annotations = false;
  // CPython counts one level per statement, expression and pattern, starting
  // at 3 x the Python call depth at which compile() runs, and raises
  // RecursionError past 3 x sys.getrecursionlimit(). Measured with the
  // oracle: `python -m compileall DIR` starts at 33 (a FILE argument: 30),
  // with `-j N` workers at 87, compile() from a module's top level at 6.
  // Whatever the limit, the optimizer never nests more than 6000 deep.
  int recursion_start = 33;
  int recursion_limit = 3000;
};

// True when the module's future statements (after an optional docstring)
// import `annotations`; CPython decides this before optimizing.
bool HasFutureAnnotations(const ast::Ast& tree);

// Optimizes `tree` in place. On failure (RecursionError "maximum recursion
// depth exceeded during compilation") records the error in `diag` and
// returns false; the tree is then partly optimized and must not be compiled.
bool OptimizeAst(ast::Ast& tree, const AstOptOptions& options, Diagnostics& diag);

}  // namespace xpyc::codegen
