#pragma once
// The parser stage: tokens -> AST, as CPython 3.10's PEG parser builds it
// (ast.parse(source, path) / compile(..., 'exec')).
//
// Errors follow CPython's two passes: a first parse without the invalid_*
// rules; on failure a second one with them, which may raise a specific
// message; otherwise "invalid syntax" at the furthest token reached, and a
// tokenizer error wins when the parser reached the Error token.
#include <memory>
#include <string>
#include <string_view>

#include "lexer/diagnostics.h"
#include "lexer/lex.h"
#include "lexer/source.h"
#include "parser/ast.h"

namespace xpyc::parse {

struct ParseOptions {
  int feature_version = 10;  // only 3.10 is supported
};

// Parses a whole file (mode 'exec'). Returns null and records the error in
// `diag` on failure.
std::unique_ptr<ast::Ast> Parse(const lex::Source& source, const lex::Tokens& tokens,
                                Diagnostics& diag, const ParseOptions& options = {});

// Decodes, tokenizes and parses `bytes` in one call.
std::unique_ptr<ast::Ast> ParseBytes(std::string_view bytes, std::string path,
                                     Diagnostics& diag);

// ast.dump(tree, include_attributes=True) of the module, as CPython 3.10
// prints it (no trailing newline).
std::string DumpAst(const ast::Ast& tree);

}  // namespace xpyc::parse
