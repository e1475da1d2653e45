#pragma once
// Diagnostics carry CPython's exact exception class, words and coordinates.
// Coordinates are kept as CPython's parser keeps them internally: 1-based line
// numbers and 0-based UTF-8 byte columns into the decoded line. The driver
// converts columns to the 1-based character offsets SyntaxError shows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xpyc {

#define XPYC_ERROR_CLASSES(X) \
  X(SyntaxError)              \
  X(IndentationError)         \
  X(TabError)                 \
  X(ValueError)               \
  X(UnicodeDecodeError)       \
  X(OverflowError)            \
  X(MemoryError)              \
  X(RecursionError)           \
  X(SystemError)              \
  X(SyntaxWarning)            \
  X(DeprecationWarning)

enum class ErrorClass : uint8_t {
#define XPYC_X(name) name,
  XPYC_ERROR_CLASSES(XPYC_X)
#undef XPYC_X
};

const char* ErrorClassName(ErrorClass c);

struct Diagnostic {
  ErrorClass cls = ErrorClass::SyntaxError;
  std::string message;
  int32_t lineno = 0;       // 1-based; 0 when CPython reports no line
  int32_t col = -1;         // 0-based byte column; -1 when CPython reports none
  int32_t end_lineno = 0;
  int32_t end_col = -1;
  // Set when CPython's SyntaxError.text is not simply the source line at
  // `lineno` (for example errors raised while compiling an f-string expression).
  std::optional<std::string> text;
  // For parser errors `text` is what CPython shows when it cannot re-read the
  // file; set this when CPython never reads the file for it (errors raised
  // while parsing an f-string expression).
  bool text_overrides_file = false;
};

// Collects the first error (CPython stops at the first) and every warning.
class Diagnostics {
 public:
  // Records `d` unless an error was already recorded. Returns false so that
  // callers can write `return diag.Error(...);` from a bool function.
  bool Error(Diagnostic d);
  void Warn(Diagnostic d);

  bool HasError() const { return error_.has_value(); }
  const std::optional<Diagnostic>& error() const { return error_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  void ClearError() { error_.reset(); }

 private:
  std::optional<Diagnostic> error_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace xpyc
