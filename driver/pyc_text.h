#pragma once
// The text form of a CPython 3.10 pyc that `xpyc --dump-pyc` prints (and
// tools/pydump.py reproduces from the oracle's marshal.loads). Two pycs have
// equal texts exactly when they are equivalent: equal headers and equal
// marshal trees once references are resolved, ignoring FLAG_REF, interned
// bits and set order.
#include <string>
#include <string_view>

namespace xpyc::driver {

// Appends the dump of a whole pyc file to `out`. Returns false and sets
// `error` when the file is malformed (then `out` may hold a partial dump).
bool DumpPycText(std::string_view file_bytes, std::string& out, std::string& error);

}  // namespace xpyc::driver
