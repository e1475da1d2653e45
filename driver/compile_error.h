#pragma once
// Turns a Diagnostic (0-based byte columns, as the stages keep them) into the
// exception CPython's compile() raises: SyntaxError.offset / end_offset, the
// source line as SyntaxError.text, exactly as CPython 3.10 fills them in.
//
// Which rule applies depends on who raised the error in CPython:
//  * decoding (no source): lineno 0, offset -1, no end, no text;
//  * the tokenizer itself (unterminated strings, bad characters and number
//    literals, brackets): character offsets, text is the line without "\n";
//  * the parser (everything else before code generation): offset = byte
//    column + 1, turned into characters only when the source had a BOM or a
//    coding declaration; an end column of -1 means CPython's "unknown" end,
//    which it shows as 0 or -1 depending on the message; the text is the
//    line of the file `dfile` on disk when it can be read, else the line the
//    tokenizer holds;
//  * the compiler (symbol table, code generator): byte column + 1, an end
//    column of -1 is None, and the text only comes from the file on disk.
#include <string_view>

#include "driver/compile_source.h"
#include "lexer/diagnostics.h"
#include "lexer/source.h"

namespace xpyc::driver {

enum class ErrorStage : uint8_t { kParser, kCompiler };

// `source` is null when decoding failed (there is no decoded text then).
CompileError ToCompileError(const Diagnostic& d, const lex::Source* source,
                            std::string_view dfile, ErrorStage stage = ErrorStage::kParser);

}  // namespace xpyc::driver
