#pragma once
// The seam between the driver and the compiler front end: one source file's
// bytes in, the marshalled module code object out (or CPython's exception).
//
// The driver owns everything around this call (reading the file, the pyc
// header, the cache path, the atomic write, every message); the front end
// owns everything inside it. CompileSource must be thread-safe: `-j N` calls
// it from N threads at once, on different sources.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xpyc::driver {

// What CPython's compile(source_bytes, dfile, 'exec', dont_inherit=True,
// optimize=...) raised, with the attributes a SyntaxError carries. For
// exceptions that are not SyntaxError or a subclass, only `class_name` and
// `message` are used (str(exc) is `message`).
struct CompileError {
  std::string class_name;  // "SyntaxError", "IndentationError", "TabError",
                           // "ValueError", "RecursionError", "MemoryError", ...
  std::string message;     // SyntaxError.msg, or str(exc) for other classes
  // SyntaxError attributes, as Python sees them (absent = None). `offset` and
  // `end_offset` are 1-based *character* offsets into `text`, as in CPython.
  std::optional<std::string> filename;  // normally `dfile`
  std::optional<int64_t> lineno;
  std::optional<int64_t> offset;
  std::optional<int64_t> end_lineno;
  std::optional<int64_t> end_offset;
  std::optional<std::string> text;  // UTF-8, the source line incl. its "\n"
  bool is_syntax_error_family() const;  // SyntaxError or one of its subclasses
};

// A warning compile() emitted (SyntaxWarning, DeprecationWarning).
struct CompileWarning {
  std::string category;  // "SyntaxWarning", "DeprecationWarning"
  std::string message;
  std::string filename;  // as passed to warnings.warn_explicit (dfile)
  int64_t lineno = 0;
};

struct CompileOutcome {
  enum class Status : uint8_t {
    Ok,           // `code` holds marshal.dumps(code_object)
    Error,        // `error` holds what CPython would have raised
    Unsupported,  // xpyc cannot compile this yet; `detail` says why. This is
                  // not a CPython behaviour and is reported as an xpyc error.
  };
  Status status = Status::Unsupported;
  std::string code;
  CompileError error;
  std::string detail;
  std::vector<CompileWarning> warnings;
};

// Compiles one module. `dfile` is recorded in co_filename and shown in
// errors. It is a Python str, as marshal::Str holds one (UTF-8, lone
// surrogates as 3 bytes): the driver passes os.fsdecode(name), where each
// byte of a file name that is not UTF-8 is U+DC80..U+DCFF, and turns the
// file names of errors and warnings back into bytes for printing. `optimize` is 0, 1 or 2 (the driver resolves -1 to the target
// interpreter's level, 0, and rejects other values itself, as compile() does).
CompileOutcome CompileSource(std::string_view source_bytes, std::string_view dfile,
                             int optimize);

}  // namespace xpyc::driver
