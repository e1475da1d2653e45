// The pipeline behind one compile(source_bytes, dfile, 'exec'): decode,
// tokenize, parse, then the code generator (codegen/compile.h), then marshal.
#include "driver/compile_source.h"

#include "codegen/compile.h"
#include "driver/compile_error.h"
#include "lexer/lex.h"
#include "marshal/marshal.h"
#include "parser/parse.h"

namespace xpyc::driver {

bool CompileError::is_syntax_error_family() const {
  return class_name == "SyntaxError" || class_name == "IndentationError" ||
         class_name == "TabError";
}

namespace {

CompileOutcome Failure(const Diagnostics& diag, const lex::Source* source,
                       std::string_view dfile, ErrorStage stage = ErrorStage::kParser) {
  CompileOutcome outcome;
  outcome.status = CompileOutcome::Status::Error;
  if (diag.error()) {
    outcome.error = ToCompileError(*diag.error(), source, dfile, stage);
  } else {
    outcome.error.class_name = "SystemError";
    outcome.error.message = "xpyc: compilation failed without an error";
  }
  return outcome;
}

void CollectWarnings(const Diagnostics& diag, std::string_view dfile,
                     CompileOutcome& outcome) {
  for (const Diagnostic& w : diag.warnings()) {
    outcome.warnings.push_back(
        CompileWarning{ErrorClassName(w.cls), w.message, std::string(dfile), w.lineno});
  }
}

}  // namespace

CompileOutcome CompileSource(std::string_view source_bytes, std::string_view dfile,
                             int optimize) {
  Diagnostics diag;
  lex::Source source;
  if (!lex::DecodeSource(source_bytes, std::string(dfile), source, diag)) {
    return Failure(diag, nullptr, dfile);
  }
  const lex::Tokens tokens = lex::Tokenize(source);
  std::unique_ptr<ast::Ast> tree = parse::Parse(source, tokens, diag);
  if (!tree) return Failure(diag, &source, dfile);

  codegen::ModuleCompileOptions options;
  options.filename = dfile;
  options.optimize = optimize;
  const marshal::Ref code = codegen::CompileModule(*tree, options, diag);
  if (code == nullptr) {
    CompileOutcome outcome = Failure(diag, &source, dfile, ErrorStage::kCompiler);
    CollectWarnings(diag, dfile, outcome);
    return outcome;
  }
  CompileOutcome outcome;
  outcome.status = CompileOutcome::Status::Ok;
  // A pyc is rarely more than twice its source (and small files have
  // fixed-size code objects).
  marshal::Write(code, outcome.code, 2 * source_bytes.size() + 512);
  CollectWarnings(diag, dfile, outcome);
  return outcome;
}

}  // namespace xpyc::driver
