#include "driver/compile_source.h"

namespace xpyc::driver {

bool CompileError::is_syntax_error_family() const {
  return class_name == "SyntaxError" || class_name == "IndentationError" ||
         class_name == "TabError";
}

// Placeholder until the compiler front end (AST -> code objects) exists: the
// driver, the pyc writer and the CLI are complete around it.
CompileOutcome CompileSource(std::string_view /*source_bytes*/, std::string_view /*dfile*/,
                             int /*optimize*/) {
  CompileOutcome outcome;
  outcome.status = CompileOutcome::Status::Unsupported;
  outcome.detail = "code generation is not implemented yet";
  return outcome;
}

}  // namespace xpyc::driver
