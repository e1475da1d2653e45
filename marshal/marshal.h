#pragma once
// marshal version 4, as CPython 3.10 writes and reads it.
#include <string>
#include <string_view>

#include "marshal/value.h"

namespace xpyc::marshal {

// Appends the marshal form of `root` to `out`. Deterministic: FLAG_REF is set
// only on objects (by identity) written again later in the same stream, and
// set/frozenset items are written in a canonical order.
void Write(Ref root, std::string& out);

// Reads one value from `bytes`. On malformed input returns nullptr and sets
// `error` (never crashes, never reads out of bounds).
Ref Read(std::string_view bytes, Heap& heap, std::string& error);

}  // namespace xpyc::marshal
