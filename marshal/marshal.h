#pragma once
// marshal version 4, as CPython 3.10 writes and reads it.
#include <string>
#include <string_view>

#include "marshal/value.h"

namespace xpyc::marshal {

// Appends the marshal form of `root` to `out`. Deterministic: FLAG_REF is set
// only on objects (by identity) written again later in the same stream, and
// set/frozenset items are written in a canonical order. `size_hint`: the
// expected size; a generous guess costs nothing (the buffer is not
// zero-filled) and spares regrowing it.
void Write(Ref root, std::string& out, std::size_t size_hint = 0);

// Reads one value from `bytes`. On malformed input returns nullptr and sets
// `error` (never crashes, never reads out of bounds).
Ref Read(std::string_view bytes, Heap& heap, std::string& error);

}  // namespace xpyc::marshal
