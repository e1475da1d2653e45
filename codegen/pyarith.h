#pragma once
// Python 3.10 operators on constant values (marshal::Ref), as the AST
// optimizer needs them: the result CPython's PyNumber_*/PyObject_GetItem
// would give, or nullptr wherever CPython would raise (TypeError,
// ZeroDivisionError, OverflowError, IndexError, ...). The size limits of the
// optimizer (safe_multiply and friends) are not applied here; see ast_opt.
//
// Operands are the values a Constant node can hold: None, True, False,
// Ellipsis, int, float, complex, str, bytes, tuple and frozenset of those.
#include <cstddef>
#include <optional>

#include "marshal/value.h"
#include "parser/ast.h"

namespace xpyc::pyarith {

using marshal::Heap;
using marshal::Ref;

// PyObject_IsTrue.
bool IsTrue(Ref v);

// `-v`, `+v`, `~v`, `not v`.
Ref UnaryOp(Heap& heap, ast::UnaryOperator op, Ref v);

// `a <op> b`. MatMult always gives nullptr (no constant implements it).
Ref BinaryOp(Heap& heap, ast::Operator op, Ref a, Ref b);

// `container[index]` for an int (or bool) index.
Ref GetItem(Heap& heap, Ref container, Ref index);

// frozenset(items): the first of each group of equal items, in order.
Ref MakeFrozenSet(Heap& heap, std::span<const Ref> items);

// Python's `a == b` between constants (1 == 1.0 == True, -0.0 == 0.0, a NaN
// equals nothing but itself by identity, tuples item by item).
bool ValuesEqual(Ref a, Ref b);

// _PyLong_NumBits of an int (bits of the magnitude; 0 for 0).
std::size_t IntBitLength(Ref v);
// The int as a C long (int64), empty when it does not fit.
std::optional<int64_t> IntAsLong(Ref v);
// len() of a str (code points), bytes, tuple or frozenset.
std::size_t Length(Ref v);
bool IsInt(Ref v);  // int or bool

}  // namespace xpyc::pyarith
