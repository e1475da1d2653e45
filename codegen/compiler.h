#pragma once
// The compiler front end (CPython 3.10's compile.c up to assemble()): walks
// the optimized AST with the symbol table and emits instructions into one
// Unit per code object. Internal to codegen/; the entry point is compile.h.
//
// Files:
//   compile.cpp        entry, future statements, scopes (units, qualnames,
//                      closures), names, functions, classes, lambdas,
//                      comprehensions, annotations
//   compile_stmt.cpp   statements and the frame-block stack (loops, try,
//                      with) with its unwinding for return/break/continue
//   compile_expr.cpp   expressions, calls, displays, conditional jumps,
//                      f-strings, compile-time warnings
//   compile_match.cpp  match statements and patterns
//
// Errors: the first error goes to `diag` and sets `failed_`; from then on
// every Visit* returns at once, so nothing more is emitted and the result is
// discarded. (CPython returns 0 through every frame instead; a sticky flag
// says the same with less noise.)
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/unit.h"
#include "lexer/diagnostics.h"
#include "parser/ast.h"
#include "codegen/symtable.h"

namespace xpyc::codegen {

// CO_FUTURE_* flags compile() puts into every co_flags.
constexpr int32_t kCoFutureBarryAsBdfl = 0x400000;
constexpr int32_t kCoFutureAnnotations = 0x1000000;

enum class ScopeType : uint8_t { Module, Class, Function, AsyncFunction, Lambda, Comprehension };

enum class FBlockType : uint8_t {
  WhileLoop,
  ForLoop,
  TryExcept,
  FinallyTry,
  FinallyEnd,
  With,
  AsyncWith,
  HandlerCleanup,
  PopValue,
  ExceptionHandler,
  AsyncComprehensionGenerator,
};

// A frame block (CPython's fblockinfo): what return/break/continue must undo.
struct FBlock {
  FBlockType type;
  BlockId block;
  BlockId exit;
  ast::Seq<ast::StmtId> finalbody;  // FinallyTry: the finally body to replay
  NameId handler_name;              // HandlerCleanup: the `as` name, if any
  ast::Pos with_pos;                // With/AsyncWith: the statement's location
};

// CPython's compiler_unit: the Unit being built plus the front end's state.
struct CompilerUnit {
  std::unique_ptr<Unit> unit;
  const symtable::Entry* ste = nullptr;
  ScopeType scope = ScopeType::Module;
  std::string_view name;     // a literal or an interned spelling
  std::string qualname;
  std::string_view private_name;  // class name for mangling; empty outside classes
  uint32_t serial = 0;            // unique per unit, for Compiler::resolved_names_
  std::vector<FBlock> fblocks;
  // The location of the statement or expression being compiled (lineno is
  // the Unit's); columns only matter for errors.
  int32_t col_offset = 0;
  int32_t end_lineno = 0;
  int32_t end_col_offset = 0;
};

// What NameOp resolved a name to in one unit: the oparg and the opcode for
// each ExprContext (Load, Store, Del). Both stay fixed for the unit's life.
struct ResolvedName {
  uint32_t unit_serial = 0;  // the unit it was resolved in; 0 for none
  int32_t oparg = 0;
  Opcode ops[3] = {};
};

// Where a compile-time error or warning points.
struct SourceLocation {
  int32_t lineno = 0, col_offset = 0, end_lineno = 0, end_col_offset = 0;
};

class Compiler {
 public:
  Compiler(ast::Ast& tree, const symtable::SymbolTable& symbols, int32_t future_flags,
           int32_t future_lineno, int optimize, std::string_view filename, Diagnostics& diag);
  ~Compiler();

  // compiler_mod for a Module: the module's code object, or null on error.
  Ref CompileModule();

 private:
  friend class MatchCompiler;

  // ---- compile.cpp: scopes and names -------------------------------------
  void EnterScope(std::string_view name, ScopeType scope, const symtable::Entry* ste,
                  int32_t firstlineno);
  Ref ExitScope(bool add_none);  // assembles the unit and pops it
  void SetQualname();
  int32_t CodeFlags() const;
  void MakeClosure(Ref code, int32_t flags, std::string_view qualname);
  void NameOp(NameId name, ast::ExprContext ctx);
  const ResolvedName& ResolveName(NameId name);
  ResolvedName ResolveNameUncached(NameId name);
  void NameOp(std::string_view name, ast::ExprContext ctx) { NameOp(Intern(name), ctx); }
  void AddOpName(Opcode op, NameId name);  // mangled, into co_names
  void AddOpName(Opcode op, std::string_view name) { AddOpName(op, Intern(name)); }
  std::string Mangle(std::string_view name) const;
  NameId Mangled(NameId name);  // Mangle, as an interned name
  bool ForbiddenName(std::string_view name, ast::ExprContext ctx);

  void CompileBody(ast::Seq<ast::StmtId> body);  // compiler_body
  void CompileFunction(ast::StmtId id, bool is_async);
  void CompileClass(ast::StmtId id);
  void CompileLambda(ast::ExprId id);
  void CompileComprehension(ast::ExprId id);
  void ComprehensionGenerator(std::span<const ast::ComprehensionId> generators, size_t index,
                              int depth, ast::ExprId elt, ast::ExprId val, ast::ExprKind kind);
  void SyncComprehensionGenerator(std::span<const ast::ComprehensionId> generators,
                                  size_t index, int depth, ast::ExprId elt, ast::ExprId val,
                                  ast::ExprKind kind);
  void AsyncComprehensionGenerator(std::span<const ast::ComprehensionId> generators,
                                   size_t index, int depth, ast::ExprId elt, ast::ExprId val,
                                   ast::ExprKind kind);
  void ComprehensionElement(ast::ExprId elt, ast::ExprId val, ast::ExprKind kind, int depth);
  bool CheckDebugArgs(ast::ArgumentsId args);
  int32_t DefaultArguments(ast::ArgumentsId args);  // MAKE_FUNCTION flags, -1 on error
  int KwOnlyDefaults(ast::ArgumentsId args);       // 1 when a dict was pushed
  int Annotations(ast::ArgumentsId args, ast::ExprId returns);  // 1 when pushed
  void ArgAnnotation(std::string_view name, ast::ExprId annotation, int& count);
  void VisitAnnotation(ast::ExprId annotation);  // value or unparsed string
  void Decorators(ast::Seq<ast::ExprId> decorators);

  // ---- compile_stmt.cpp --------------------------------------------------
  void VisitStmt(ast::StmtId id);
  void VisitStmts(ast::Seq<ast::StmtId> stmts);
  void ExprStatement(ast::ExprId value);
  void Return(const ast::StmtNode& s);
  void Break();
  void Continue();
  std::optional<FBlock> UnwindToLoop(const char* outside_loop_message);
  void If(const ast::StmtNode& s);
  void While(const ast::StmtNode& s);
  void For(const ast::StmtNode& s);
  void AsyncFor(const ast::StmtNode& s);
  void Try(const ast::StmtNode& s);
  void TryFinally(const ast::StmtNode& s);
  void TryExcept(const ast::StmtNode& s);
  void With(const ast::StmtNode& s, size_t pos);
  void AsyncWith(const ast::StmtNode& s, size_t pos);
  void WithExceptFinish();
  void CallExitWithNones();
  void Assert(const ast::StmtNode& s);
  void Import(const ast::StmtNode& s);
  void ImportAs(std::string_view name, std::string_view asname);
  void ImportFrom(const ast::StmtNode& s);
  void AugAssign(const ast::StmtNode& s);
  void AnnAssign(const ast::StmtNode& s);
  void CheckAnnExpr(ast::ExprId e);
  void CheckAnnSubscript(ast::ExprId e);
  void Raise(const ast::StmtNode& s);
  void Match(ast::StmtId id);  // compile_match.cpp

  bool PushFBlock(FBlockType type, BlockId block, BlockId exit,
                  ast::Seq<ast::StmtId> finalbody = {}, NameId handler_name = {},
                  ast::Pos with_pos = {});
  void PopFBlock();
  void UnwindFBlock(const FBlock& info, bool preserve_tos);
  // Unwinds every frame block (up to the innermost loop when `loop` is
  // given, which then receives it).
  void UnwindFBlockStack(bool preserve_tos, FBlock* loop, bool* found_loop);

  // ---- compile_expr.cpp --------------------------------------------------
  void VisitExpr(ast::ExprId id);
  void VisitExprs(ast::Seq<ast::ExprId> exprs);
  void VisitExpr1(ast::ExprId id);
  void JumpIf(ast::ExprId id, BlockId next, bool cond);
  void BoolOp(const ast::ExprNode& e);
  void IfExp(const ast::ExprNode& e);
  void Compare(const ast::ExprNode& e);
  void AddCompare(ast::CmpOperator op);
  void ChainedCompare(const ast::ExprNode& e, BlockId cleanup, Opcode fail_jump);
  bool CheckCompare(const ast::ExprNode& e);
  void Call(const ast::ExprNode& e);
  bool MaybeOptimizeMethodCall(const ast::ExprNode& e);
  void CallHelper(int pushed, ast::Seq<ast::ExprId> args, ast::Seq<ast::KeywordId> keywords);
  bool ValidateKeywords(ast::Seq<ast::KeywordId> keywords);
  void SubKwargs(std::span<const ast::KeywordId> keywords);
  void StarUnpackHelper(ast::Seq<ast::ExprId> elts, int pushed, Opcode build, Opcode add,
                        Opcode extend, bool tuple);
  void UnpackHelper(ast::Seq<ast::ExprId> elts);
  void AssignmentHelper(ast::Seq<ast::ExprId> elts);
  void Dict(const ast::ExprNode& e);
  void SubDict(const ast::ExprNode& e, size_t begin, size_t end);
  void Subscript(ast::ExprId id);
  void Slice(const ast::ExprNode& e);
  void Attribute(const ast::ExprNode& e);
  void JoinedStr(const ast::ExprNode& e);
  void FormattedValue(const ast::ExprNode& e);
  bool CheckCaller(ast::ExprId func);
  bool CheckSubscripter(ast::ExprId value);
  bool CheckIndex(ast::ExprId value, ast::ExprId index);

  // ---- shared helpers (compile.cpp) --------------------------------------
  CompilerUnit& u() { return *units_.back(); }
  const CompilerUnit& u() const { return *units_.back(); }
  Unit& code() { return *units_.back()->unit; }
  std::string_view Spelling(NameId id) const { return tree_.Spelling(id); }
  // Names are keyed by the Ast's NameIds, from the parser to the name tables.
  NameId Intern(std::string_view spelling) { return tree_.names().Intern(spelling); }
  const Interner& names() const { return tree_.names(); }
  marshal::Heap& heap() { return tree_.heap(); }
  ConstCache& cache() { return *cache_; }
  Ref StrConst(std::string_view text);  // a str constant (interned when name-like)
  Ref NameTupleConst(const std::vector<std::string>& names);
  void LoadConst(Ref value) { code().LoadConst(value); }
  void LoadNone() { code().LoadConst(heap().None()); }
  void AddOp(Opcode op, int32_t oparg = 0) { code().AddOp(op, oparg); }
  void AddJump(Opcode op, BlockId target) { code().AddJump(op, target); }
  BlockId NewBlock() { return code().NewBlock(); }
  void UseNextBlock(BlockId b) { code().UseNextBlock(b); }
  void NextBlock() { code().NextBlock(); }
  void SetLoc(const ast::Pos& pos);
  void UnsetLoc() { code().set_lineno(kNoLine); }
  SourceLocation CurrentLocation() const;
  void RestoreLocation(const SourceLocation& loc);
  void Error(std::string message);
  void Warn(std::string message);  // SyntaxWarning at the current line
  bool failed() const { return failed_; }
  bool future_annotations() const { return (future_flags_ & kCoFutureAnnotations) != 0; }

  ast::Ast& tree_;
  const symtable::SymbolTable& symbols_;
  int32_t future_flags_;
  int32_t future_lineno_;
  int optimize_;
  std::string filename_;
  Diagnostics& diag_;
  std::unique_ptr<ConstCache> cache_;
  Ref filename_ref_ = nullptr;
  std::vector<std::unique_ptr<CompilerUnit>> units_;
  std::vector<NameId> cells_scratch_, frees_scratch_;  // EnterScope's
  // NameOp's results by NameId; an entry counts only for the unit whose
  // serial it carries, so nested units need no invalidation.
  std::vector<ResolvedName> resolved_names_;
  uint32_t units_entered_ = 0;
  NameId class_name_;   // __class__
  NameId debug_name_;   // __debug__
  bool failed_ = false;
};

// _PyFuture_FromAST: the CO_FUTURE_* flags of the module's leading future
// statements and the line of the last one; false with the error in `diag`.
bool ParseFutureFeatures(const ast::Ast& tree, int32_t& flags, int32_t& lineno,
                         Diagnostics& diag);

}  // namespace xpyc::codegen
