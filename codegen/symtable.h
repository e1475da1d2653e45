#pragma once
// The symbol table: CPython 3.10's symtable.c behaviour over our AST.
//
// Build() makes one Entry per scope (module, class, function, lambda, and one
// function scope per comprehension or generator expression), in the order
// CPython creates them, records every name's DEF_* facts in CPython's
// insertion order, then resolves each name to LOCAL, GLOBAL_EXPLICIT,
// GLOBAL_IMPLICIT, FREE or CELL the way symtable.c's analysis pass does.
//
// Names are the Ast's NameIds: Build interns the names the source does not
// spell (mangled names such as `_A__x`, `.0`, `__class__`, the scope names)
// into the Ast's interner. Look symbols up by NameId (or by spelling).
//
// With `from __future__ import annotations`, CPython visits annotations in
// throw-away "annotation blocks" that hang off no parent: they are kept in
// `entries` (type Annotation) so their contents stay out of the real scopes,
// but they are nobody's child and are never analysed, as in CPython.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/diagnostics.h"
#include "lexer/interner.h"
#include "lexer/position_index.h"
#include "parser/ast.h"

namespace xpyc::symtable {

// CO_FUTURE_ANNOTATIONS, the only future feature the symbol table reads.
constexpr uint32_t kFutureAnnotations = 0x1000000;

// Def-use facts (Include/internal/pycore_symtable.h values).
enum DefFlag : uint32_t {
  kDefGlobal = 1,
  kDefLocal = 2,
  kDefParam = 4,
  kDefNonlocal = 8,
  kUse = 16,
  kDefFree = 32,
  kDefFreeClass = 64,
  kDefImport = 128,
  kDefAnnot = 256,
  kDefCompIter = 512,
};
constexpr uint32_t kDefBound = kDefLocal | kDefParam | kDefImport;
constexpr int kScopeOffset = 11;  // where CPython stores the scope in the flags

enum class Scope : uint8_t {
  Unresolved = 0,
  Local = 1,
  GlobalExplicit = 2,
  GlobalImplicit = 3,
  Free = 4,
  Cell = 5,
};

enum class BlockType : uint8_t { Function, Class, Module, Annotation };

enum class ComprehensionKind : uint8_t { None, List, Dict, Set, Generator };

struct Symbol {
  NameId name;         // in the Ast's interner
  uint32_t flags = 0;  // DefFlag bits, without the scope
  Scope scope = Scope::Unresolved;
  // CPython's raw value, as the symtable module shows it.
  uint32_t RawFlags() const { return flags | (static_cast<uint32_t>(scope) << kScopeOffset); }
};

// What created an entry: the statement (FunctionDef, AsyncFunctionDef,
// ClassDef), the expression (Lambda, ListComp, SetComp, DictComp,
// GeneratorExp, or an annotation), or the module.
enum class KeyKind : uint8_t { Module, Stmt, Expr };

struct Entry {
  BlockType type = BlockType::Module;
  KeyKind key_kind = KeyKind::Module;
  uint32_t key = 0;  // StmtId/ExprId index
  NameId name;       // "top", "lambda", "listcomp", "genexpr", ... or the def's name
  int32_t lineno = 0;
  int32_t col_offset = 0;
  int32_t end_lineno = 0;
  int32_t end_col_offset = 0;

  std::vector<Symbol> symbols;    // CPython's insertion order
  std::vector<NameId> varnames;   // parameters, in co_varnames order
  std::vector<uint32_t> children; // entry indices, in creation order

  ComprehensionKind comprehension = ComprehensionKind::None;
  bool nested = false;
  bool free = false;        // has free variables
  bool child_free = false;  // a child block has free variables (or globals when nested)
  bool generator = false;
  bool coroutine = false;
  bool varargs = false;
  bool varkeywords = false;
  bool returns_value = false;
  bool needs_class_closure = false;  // class body must create the __class__ cell

  // The position of `name` in `symbols`, or IdPositions::kAbsent.
  uint32_t Find(NameId name) const {
    return by_name.Find(name.index, symbols.size(),
                        [&](uint32_t k) { return symbols[k].name.index; });
  }
  void AddSymbol(const Symbol& symbol) {
    symbols.push_back(symbol);
    by_name.Appended(static_cast<uint32_t>(symbols.size() - 1),
                     [&](uint32_t k) { return symbols[k].name.index; });
  }

  IdPositions by_name;  // positions in `symbols`
};

class SymbolTable {
 public:
  explicit SymbolTable(Interner& names);
  ~SymbolTable();
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;

  const Entry& top() const { return entries[0]; }
  const Entry& operator[](uint32_t index) const { return entries[index]; }
  // The scope a FunctionDef/AsyncFunctionDef/ClassDef creates; null if none.
  const Entry* ForStmt(ast::StmtId id) const;
  // The scope a Lambda/ListComp/SetComp/DictComp/GeneratorExp creates.
  const Entry* ForExpr(ast::ExprId id) const;

  // The symbol `name` (already mangled) in `entry`, or null.
  const Symbol* Lookup(const Entry& entry, NameId name) const {
    const uint32_t position = entry.Find(name);
    return position == IdPositions::kAbsent ? nullptr : &entry.symbols[position];
  }
  const Symbol* Lookup(const Entry& entry, std::string_view name) const;
  // _PyST_GetScope: Unresolved when the name is not in the entry.
  Scope GetScope(const Entry& entry, NameId name) const {
    const Symbol* s = Lookup(entry, name);
    return s ? s->scope : Scope::Unresolved;
  }
  Scope GetScope(const Entry& entry, std::string_view name) const;

  std::string_view Spelling(NameId id) const { return names_->Spelling(id); }
  Interner& names() { return *names_; }

  std::vector<Entry> entries;  // entries[0] is the module
  std::vector<std::pair<uint32_t, uint32_t>> stmt_keys;  // (StmtId, entry), sorted
  std::vector<std::pair<uint32_t, uint32_t>> expr_keys;  // (ExprId, entry), sorted

 private:
  Interner* names_;  // the Ast's
};

struct BuildOptions {
  // CPython counts every statement, expression and pattern visit against
  // recursion_limit (1000 * 3), starting from 3 * the Python stack depth of
  // the compile() call. Measured with the oracle (`1+1+...+1`, n additions,
  // is n + 2 visits): `python3.10 -m compileall DIR` fails from n = 2966, so
  // it starts at 33; `-m compileall FILE` fails from n = 2969 (30).
  int recursion_limit = 3000;
  int starting_depth = 33;
};

// PySymtable_Build: null on error, with the error recorded in `diag`.
// Error columns are 0-based UTF-8 byte columns like every Diagnostic, but
// note: CPython 3.10 reports a symbol-table SyntaxError's offset as that
// byte column + 1, *without* the byte-to-character conversion it applies to
// parser errors (measured: `'ééé'; x = 1; global x` gives offset 22, not 19).
// The table refers to the Ast's interner, so it must not outlive `tree`.
std::unique_ptr<SymbolTable> Build(ast::Ast& tree, uint32_t future_features,
                                   Diagnostics& diag, const BuildOptions& options = {});

// _Py_Mangle: `name` as it is stored inside class `class_name` (empty when
// not inside a class).
std::string Mangle(std::string_view class_name, std::string_view name);
// The rest of NeedsMangling's test, for a name that starts with "__".
bool DunderNeedsMangling(std::string_view class_name, std::string_view name);
// Inline: nearly every name is rejected by its first two bytes.
inline bool NeedsMangling(std::string_view class_name, std::string_view name) {
  return !class_name.empty() && name.size() >= 2 && name[0] == '_' && name[1] == '_' &&
         DunderNeedsMangling(class_name, name);
}
// Mangle over interned names: `name` itself when it needs no mangling.
NameId MangledName(Interner& names, std::string_view class_name, NameId name);

// A minimal scan of the leading `from __future__ import ...` statements for
// `annotations` (for the dump tool and tests; the compiler front end owns
// the real future-statement checks).
uint32_t ScanFutureFeatures(const ast::Ast& tree);

// Text dump, one record per line, pre-order over the scopes reachable from
// the module (what the symtable module shows):
//   block <depth> <function|class|module> <name> <lineno> nested=<0|1>
//   sym <name> <def flags> <scope>      (insertion order; symbols that only
//                                       pass a child's free variable through
//                                       come last, sorted by name, because
//                                       CPython adds them in set order)
//   varnames <a> <b> ...
std::string DumpSymtable(const SymbolTable& table);

// What the compiler will derive from each reachable scope, one line each,
// for checking against the oracle's code objects:
//   code <co_name> flags=<co_flags scope bits> cellvars=<a,b> freevars=<c,d>
// (co_flags as compute_code_flags sets them from the entry; cell and free
// variables sorted, with the class closure's __class__ first.)
std::string DumpCodeFacts(const SymbolTable& table);

}  // namespace xpyc::symtable
