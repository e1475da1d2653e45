#pragma once
// The annotation unparser: under `from __future__ import annotations` CPython
// 3.10 stores every annotation as a string, the expression written back as
// source by its C unparser (not ast.unparse, which differs). It sees the tree
// as the parser built it: the AST optimizer leaves annotations alone under
// that future.
//
// What it writes: minimal parentheses by precedence, reprs of constants
// (floats and complexes with an infinity spelled `1e309`), `...` for the
// Ellipsis, f-strings rebuilt as one body and repr()'d, and a few quirks
// kept on purpose (`lambda*a: 0`, `1 .real`, `await x ** 2`).
#include <optional>
#include <string>

#include "parser/ast.h"

namespace xpyc::codegen {

// The string CPython 3.10 stores for an annotation under `from __future__ import annotations`.
std::string UnparseAnnotation(const ast::Ast& tree, ast::ExprId expr);

// The same, but empty where CPython fails instead: an int constant with more
// than 4300 decimal digits makes its repr raise ValueError ("Exceeds the
// limit (4300) for integer string conversion; ..."), and compile() with it.
std::optional<std::string> TryUnparseAnnotation(const ast::Ast& tree, ast::ExprId expr);

// The message of that ValueError.
inline constexpr const char* kIntMaxStrDigitsMessage =
    "Exceeds the limit (4300) for integer string conversion; "
    "use sys.set_int_max_str_digits() to increase the limit";

}  // namespace xpyc::codegen
