// Statements, and the frame-block stack that return, break and continue
// unwind (CPython 3.10's compiler_visit_stmt and its helpers).
#include <optional>
#include <string>
#include <vector>

#include "codegen/compiler.h"

namespace xpyc::codegen {

using ast::ExprContext;
using ast::ExprId;
using ast::ExprKind;
using ast::StmtId;
using ast::StmtKind;

namespace {
constexpr size_t kMaxBlocks = 20;  // CO_MAXBLOCKS

Opcode InplaceOpcode(ast::Operator op) {
  switch (op) {
    case ast::Operator::Add: return Opcode::INPLACE_ADD;
    case ast::Operator::Sub: return Opcode::INPLACE_SUBTRACT;
    case ast::Operator::Mult: return Opcode::INPLACE_MULTIPLY;
    case ast::Operator::MatMult: return Opcode::INPLACE_MATRIX_MULTIPLY;
    case ast::Operator::Div: return Opcode::INPLACE_TRUE_DIVIDE;
    case ast::Operator::Mod: return Opcode::INPLACE_MODULO;
    case ast::Operator::Pow: return Opcode::INPLACE_POWER;
    case ast::Operator::LShift: return Opcode::INPLACE_LSHIFT;
    case ast::Operator::RShift: return Opcode::INPLACE_RSHIFT;
    case ast::Operator::BitOr: return Opcode::INPLACE_OR;
    case ast::Operator::BitXor: return Opcode::INPLACE_XOR;
    case ast::Operator::BitAnd: return Opcode::INPLACE_AND;
    case ast::Operator::FloorDiv: return Opcode::INPLACE_FLOOR_DIVIDE;
  }
  return Opcode::NOP;
}
}  // namespace

void Compiler::VisitStmts(ast::Seq<StmtId> stmts) {
  for (StmtId id : tree_[stmts]) {
    if (failed_) return;
    VisitStmt(id);
  }
}

void Compiler::VisitStmt(StmtId id) {
  if (failed_) return;
  const ast::StmtNode& s = tree_[id];
  SetLoc(s.pos);
  switch (s.kind) {
    case StmtKind::FunctionDef: CompileFunction(id, false); return;
    case StmtKind::AsyncFunctionDef: CompileFunction(id, true); return;
    case StmtKind::ClassDef: CompileClass(id); return;
    case StmtKind::Return: Return(s); return;
    case StmtKind::Delete: VisitExprs(s.Delete.targets); return;
    case StmtKind::Assign: {
      const auto targets = tree_[s.Assign.targets];
      VisitExpr(s.Assign.value);
      for (size_t i = 0; i < targets.size(); ++i) {
        if (i + 1 < targets.size()) AddOp(Opcode::DUP_TOP);
        VisitExpr(targets[i]);
      }
      return;
    }
    case StmtKind::AugAssign: AugAssign(s); return;
    case StmtKind::AnnAssign: AnnAssign(s); return;
    case StmtKind::For: For(s); return;
    case StmtKind::AsyncFor: AsyncFor(s); return;
    case StmtKind::While: While(s); return;
    case StmtKind::If: If(s); return;
    case StmtKind::With: With(s, 0); return;
    case StmtKind::AsyncWith: AsyncWith(s, 0); return;
    case StmtKind::Match: Match(id); return;
    case StmtKind::Raise: Raise(s); return;
    case StmtKind::Try: Try(s); return;
    case StmtKind::Assert: Assert(s); return;
    case StmtKind::Import: Import(s); return;
    case StmtKind::ImportFrom: ImportFrom(s); return;
    case StmtKind::Global:
    case StmtKind::Nonlocal: return;
    case StmtKind::Expr: ExprStatement(s.Expr.value); return;
    case StmtKind::Pass: AddOp(Opcode::NOP); return;
    case StmtKind::Break: Break(); return;
    case StmtKind::Continue: Continue(); return;
  }
}

// compiler_visit_stmt_expr: a constant statement is only a NOP carrying its
// line; otherwise the value is computed and dropped by an artificial POP_TOP.
void Compiler::ExprStatement(ExprId value) {
  if (tree_[value].kind == ExprKind::Constant) {
    AddOp(Opcode::NOP);
    return;
  }
  VisitExpr(value);
  UnsetLoc();
  AddOp(Opcode::POP_TOP);
}

void Compiler::Raise(const ast::StmtNode& s) {
  int n = 0;
  if (!s.Raise.exc.IsNone()) {
    VisitExpr(s.Raise.exc);
    ++n;
    if (!s.Raise.cause.IsNone()) {
      VisitExpr(s.Raise.cause);
      ++n;
    }
  }
  AddOp(Opcode::RAISE_VARARGS, n);
  NextBlock();
}

// ---- frame blocks ---------------------------------------------------------------

bool Compiler::PushFBlock(FBlockType type, BlockId block, BlockId exit,
                          ast::Seq<StmtId> finalbody, NameId handler_name,
                          ast::Pos with_pos) {
  if (u().fblocks.size() >= kMaxBlocks) {
    Error("too many statically nested blocks");
    return false;
  }
  u().fblocks.push_back(FBlock{type, block, exit, finalbody, handler_name, with_pos});
  return true;
}

void Compiler::PopFBlock() {
  if (!u().fblocks.empty()) u().fblocks.pop_back();
}

void Compiler::CallExitWithNones() {
  LoadNone();
  AddOp(Opcode::DUP_TOP);
  AddOp(Opcode::DUP_TOP);
  AddOp(Opcode::CALL_FUNCTION, 3);
}

// compiler_unwind_fblock: the code that leaves one frame block early.
void Compiler::UnwindFBlock(const FBlock& info, bool preserve_tos) {
  switch (info.type) {
    case FBlockType::WhileLoop:
    case FBlockType::ExceptionHandler:
    case FBlockType::AsyncComprehensionGenerator:
      return;
    case FBlockType::ForLoop:
      if (preserve_tos) AddOp(Opcode::ROT_TWO);
      AddOp(Opcode::POP_TOP);
      return;
    case FBlockType::TryExcept:
      AddOp(Opcode::POP_BLOCK);
      return;
    case FBlockType::FinallyTry:
      AddOp(Opcode::POP_BLOCK);
      if (preserve_tos && !PushFBlock(FBlockType::PopValue, BlockId{}, BlockId{})) return;
      VisitStmts(info.finalbody);
      if (preserve_tos) PopFBlock();
      // The unwinding instruction should appear to run after the finally body.
      UnsetLoc();
      return;
    case FBlockType::FinallyEnd:
      if (preserve_tos) AddOp(Opcode::ROT_FOUR);
      AddOp(Opcode::POP_TOP);
      AddOp(Opcode::POP_TOP);
      AddOp(Opcode::POP_TOP);
      if (preserve_tos) AddOp(Opcode::ROT_FOUR);
      AddOp(Opcode::POP_EXCEPT);
      return;
    case FBlockType::With:
    case FBlockType::AsyncWith:
      SetLoc(info.with_pos);
      AddOp(Opcode::POP_BLOCK);
      if (preserve_tos) AddOp(Opcode::ROT_TWO);
      CallExitWithNones();
      if (info.type == FBlockType::AsyncWith) {
        AddOp(Opcode::GET_AWAITABLE);
        LoadNone();
        AddOp(Opcode::YIELD_FROM);
      }
      AddOp(Opcode::POP_TOP);
      UnsetLoc();
      return;
    case FBlockType::HandlerCleanup:
      if (!info.handler_name.IsNone()) AddOp(Opcode::POP_BLOCK);
      if (preserve_tos) AddOp(Opcode::ROT_FOUR);
      AddOp(Opcode::POP_EXCEPT);
      if (!info.handler_name.IsNone()) {
        LoadNone();
        NameOp(info.handler_name, ExprContext::Store);
        NameOp(info.handler_name, ExprContext::Del);
      }
      return;
    case FBlockType::PopValue:
      if (preserve_tos) AddOp(Opcode::ROT_TWO);
      AddOp(Opcode::POP_TOP);
      return;
  }
}

// compiler_unwind_fblock_stack: innermost first; the blocks are restored
// afterwards since the code after the jump is still inside them.
void Compiler::UnwindFBlockStack(bool preserve_tos, FBlock* loop, bool* found_loop) {
  std::vector<FBlock>& stack = u().fblocks;
  if (stack.empty() || failed_) return;
  const FBlock top = stack.back();
  if (loop != nullptr && (top.type == FBlockType::WhileLoop || top.type == FBlockType::ForLoop)) {
    *loop = top;
    *found_loop = true;
    return;
  }
  stack.pop_back();
  UnwindFBlock(top, preserve_tos);
  UnwindFBlockStack(preserve_tos, loop, found_loop);
  u().fblocks.push_back(top);
}

// ---- return, break, continue -------------------------------------------------------

void Compiler::Return(const ast::StmtNode& s) {
  const ExprId value = s.Return.value;
  const bool preserve_tos = !value.IsNone() && tree_[value].kind != ExprKind::Constant;
  if (u().ste->type != symtable::BlockType::Function) return Error("'return' outside function");
  if (!value.IsNone() && u().ste->coroutine && u().ste->generator) {
    return Error("'return' with value in async generator");
  }
  if (preserve_tos) {
    VisitExpr(value);
  } else if (!value.IsNone()) {
    SetLoc(tree_[value].pos);  // a NOP carries the returned constant's line
    AddOp(Opcode::NOP);
  }
  if (value.IsNone() || tree_[value].pos.lineno != s.pos.lineno) {
    SetLoc(s.pos);
    AddOp(Opcode::NOP);
  }
  UnwindFBlockStack(preserve_tos, nullptr, nullptr);
  if (value.IsNone()) {
    LoadNone();
  } else if (!preserve_tos) {
    LoadConst(tree_[value].Constant.value);
  }
  AddOp(Opcode::RETURN_VALUE);
  NextBlock();
}

// break/continue: a NOP for the statement's line, then the frame blocks up
// to the innermost loop are unwound. Outside a loop the error takes the
// statement's line but the columns the unwinding left behind (3.10 restores
// only the line number). Returns the loop, or nothing after an error.
std::optional<FBlock> Compiler::UnwindToLoop(const char* outside_loop_message) {
  const int32_t lineno = code().lineno();
  AddOp(Opcode::NOP);
  FBlock loop{};
  bool found = false;
  UnwindFBlockStack(false, &loop, &found);
  if (failed_) return std::nullopt;
  if (!found) {
    code().set_lineno(lineno);
    Error(outside_loop_message);
    return std::nullopt;
  }
  return loop;
}

void Compiler::Break() {
  const std::optional<FBlock> loop = UnwindToLoop("'break' outside loop");
  if (!loop) return;
  UnwindFBlock(*loop, false);
  AddJump(Opcode::JUMP_FORWARD, loop->exit);
  NextBlock();
}

void Compiler::Continue() {
  const std::optional<FBlock> loop = UnwindToLoop("'continue' not properly in loop");
  if (!loop) return;
  AddJump(Opcode::JUMP_ABSOLUTE, loop->block);
  NextBlock();
}

// ---- if, while, for -------------------------------------------------------------------

void Compiler::If(const ast::StmtNode& s) {
  const BlockId end = NewBlock();
  const BlockId next = s.If.orelse.empty() ? end : NewBlock();
  JumpIf(s.If.test, next, false);
  VisitStmts(s.If.body);
  if (!s.If.orelse.empty()) {
    code().AddJumpNoLine(Opcode::JUMP_FORWARD, end);
    UseNextBlock(next);
    VisitStmts(s.If.orelse);
  }
  UseNextBlock(end);
}

// compiler_while: the test is compiled twice, at the top and at the bottom.
void Compiler::While(const ast::StmtNode& s) {
  const BlockId loop = NewBlock();
  const BlockId body = NewBlock();
  const BlockId anchor = NewBlock();
  const BlockId end = NewBlock();
  UseNextBlock(loop);
  if (!PushFBlock(FBlockType::WhileLoop, loop, end)) return;
  JumpIf(s.While.test, anchor, false);
  UseNextBlock(body);
  VisitStmts(s.While.body);
  SetLoc(s.pos);
  JumpIf(s.While.test, body, true);
  PopFBlock();
  UseNextBlock(anchor);
  VisitStmts(s.While.orelse);
  UseNextBlock(end);
}

void Compiler::For(const ast::StmtNode& s) {
  const BlockId start = NewBlock();
  const BlockId body = NewBlock();
  const BlockId cleanup = NewBlock();
  const BlockId end = NewBlock();
  if (!PushFBlock(FBlockType::ForLoop, start, end)) return;
  VisitExpr(s.For.iter);
  AddOp(Opcode::GET_ITER);
  UseNextBlock(start);
  AddJump(Opcode::FOR_ITER, cleanup);
  UseNextBlock(body);
  VisitExpr(s.For.target);
  VisitStmts(s.For.body);
  UnsetLoc();  // the jump back is artificial
  AddJump(Opcode::JUMP_ABSOLUTE, start);
  UseNextBlock(cleanup);
  PopFBlock();
  VisitStmts(s.For.orelse);
  UseNextBlock(end);
}

void Compiler::AsyncFor(const ast::StmtNode& s) {
  if (u().scope != ScopeType::AsyncFunction) return Error("'async for' outside async function");
  const BlockId start = NewBlock();
  const BlockId except = NewBlock();
  const BlockId end = NewBlock();
  VisitExpr(s.AsyncFor.iter);
  AddOp(Opcode::GET_AITER);
  UseNextBlock(start);
  if (!PushFBlock(FBlockType::ForLoop, start, end)) return;
  AddJump(Opcode::SETUP_FINALLY, except);  // guards the __anext__ call
  AddOp(Opcode::GET_ANEXT);
  LoadNone();
  AddOp(Opcode::YIELD_FROM);
  AddOp(Opcode::POP_BLOCK);
  VisitExpr(s.AsyncFor.target);
  VisitStmts(s.AsyncFor.body);
  UnsetLoc();  // the jump back is artificial
  AddJump(Opcode::JUMP_ABSOLUTE, start);
  PopFBlock();
  UseNextBlock(except);
  SetLoc(tree_[s.AsyncFor.iter].pos);  // END_ASYNC_FOR belongs to the `for`
  AddOp(Opcode::END_ASYNC_FOR);
  VisitStmts(s.AsyncFor.orelse);
  UseNextBlock(end);
}

// ---- try ------------------------------------------------------------------------------------

void Compiler::Try(const ast::StmtNode& s) {
  if (!s.Try.finalbody.empty()) {
    TryFinally(s);
  } else {
    TryExcept(s);
  }
}

void Compiler::TryFinally(const ast::StmtNode& s) {
  const BlockId body = NewBlock();
  const BlockId end = NewBlock();
  const BlockId exit = NewBlock();
  AddJump(Opcode::SETUP_FINALLY, end);
  UseNextBlock(body);
  if (!PushFBlock(FBlockType::FinallyTry, body, end, s.Try.finalbody)) return;
  if (!s.Try.handlers.empty()) {
    TryExcept(s);
  } else {
    VisitStmts(s.Try.body);
  }
  code().AddOpNoLine(Opcode::POP_BLOCK);
  PopFBlock();
  VisitStmts(s.Try.finalbody);
  code().AddJumpNoLine(Opcode::JUMP_FORWARD, exit);
  UseNextBlock(end);
  if (!PushFBlock(FBlockType::FinallyEnd, end, BlockId{})) return;
  VisitStmts(s.Try.finalbody);
  PopFBlock();
  AddOp(Opcode::RERAISE, 0);
  UseNextBlock(exit);
}

void Compiler::TryExcept(const ast::StmtNode& s) {
  const BlockId body = NewBlock();
  BlockId except = NewBlock();
  const BlockId orelse = NewBlock();
  const BlockId end = NewBlock();
  AddJump(Opcode::SETUP_FINALLY, except);
  UseNextBlock(body);
  if (!PushFBlock(FBlockType::TryExcept, body, BlockId{})) return;
  VisitStmts(s.Try.body);
  PopFBlock();
  code().AddOpNoLine(Opcode::POP_BLOCK);
  code().AddJumpNoLine(Opcode::JUMP_FORWARD, orelse);
  const auto handlers = tree_[s.Try.handlers];
  UseNextBlock(except);
  UnsetLoc();
  if (!PushFBlock(FBlockType::ExceptionHandler, BlockId{}, BlockId{})) return;
  for (size_t i = 0; i < handlers.size() && !failed_; ++i) {
    const ast::ExceptHandlerNode& handler = tree_[handlers[i]];
    const auto& h = handler.ExceptHandler;
    SetLoc(handler.pos);
    if (h.type.IsNone() && i + 1 < handlers.size()) {
      return Error("default 'except:' must be last");
    }
    except = NewBlock();
    if (!h.type.IsNone()) {
      AddOp(Opcode::DUP_TOP);
      VisitExpr(h.type);
      AddJump(Opcode::JUMP_IF_NOT_EXC_MATCH, except);
      NextBlock();
    }
    AddOp(Opcode::POP_TOP);
    if (!h.name.IsNone()) {
      const BlockId cleanup_end = NewBlock();
      const BlockId cleanup_body = NewBlock();
      NameOp(h.name, ExprContext::Store);
      AddOp(Opcode::POP_TOP);
      // try: body  finally: name = None; del name
      AddJump(Opcode::SETUP_FINALLY, cleanup_end);
      UseNextBlock(cleanup_body);
      if (!PushFBlock(FBlockType::HandlerCleanup, cleanup_body, BlockId{}, {}, h.name)) return;
      VisitStmts(h.body);
      PopFBlock();
      UnsetLoc();
      AddOp(Opcode::POP_BLOCK);
      AddOp(Opcode::POP_EXCEPT);
      LoadNone();
      NameOp(h.name, ExprContext::Store);
      NameOp(h.name, ExprContext::Del);
      AddJump(Opcode::JUMP_FORWARD, end);
      UseNextBlock(cleanup_end);
      UnsetLoc();
      LoadNone();
      NameOp(h.name, ExprContext::Store);
      NameOp(h.name, ExprContext::Del);
      AddOp(Opcode::RERAISE, 1);
    } else {
      const BlockId cleanup_body = NewBlock();
      AddOp(Opcode::POP_TOP);
      AddOp(Opcode::POP_TOP);
      UseNextBlock(cleanup_body);
      if (!PushFBlock(FBlockType::HandlerCleanup, cleanup_body, BlockId{})) return;
      VisitStmts(h.body);
      PopFBlock();
      UnsetLoc();
      AddOp(Opcode::POP_EXCEPT);
      AddJump(Opcode::JUMP_FORWARD, end);
    }
    UseNextBlock(except);
  }
  PopFBlock();
  UnsetLoc();
  AddOp(Opcode::RERAISE, 0);
  UseNextBlock(orelse);
  VisitStmts(s.Try.orelse);
  UseNextBlock(end);
}

// ---- with ------------------------------------------------------------------------------------

void Compiler::WithExceptFinish() {
  const BlockId exit = NewBlock();
  AddJump(Opcode::POP_JUMP_IF_TRUE, exit);
  NextBlock();
  AddOp(Opcode::RERAISE, 1);
  UseNextBlock(exit);
  AddOp(Opcode::POP_TOP);
  AddOp(Opcode::POP_TOP);
  AddOp(Opcode::POP_TOP);
  AddOp(Opcode::POP_EXCEPT);
  AddOp(Opcode::POP_TOP);
}

void Compiler::With(const ast::StmtNode& s, size_t pos) {
  const BlockId block = NewBlock();
  const BlockId final = NewBlock();
  const BlockId exit = NewBlock();
  const ast::WithItemNode& item = tree_[tree_[s.With.items][pos]];
  VisitExpr(item.context_expr);
  AddJump(Opcode::SETUP_WITH, final);
  UseNextBlock(block);
  if (!PushFBlock(FBlockType::With, block, final, {}, {}, s.pos)) return;
  if (!item.optional_vars.IsNone()) {
    VisitExpr(item.optional_vars);
  } else {
    AddOp(Opcode::POP_TOP);  // the result of __enter__()
  }
  if (pos + 1 == s.With.items.size()) {
    VisitStmts(s.With.body);
  } else {
    With(s, pos + 1);
  }
  UnsetLoc();  // the code that follows is artificial
  AddOp(Opcode::POP_BLOCK);
  PopFBlock();
  SetLoc(s.pos);  // __exit__(None, None, None) on the `with` line
  CallExitWithNones();
  AddOp(Opcode::POP_TOP);
  AddJump(Opcode::JUMP_FORWARD, exit);
  UseNextBlock(final);
  AddOp(Opcode::WITH_EXCEPT_START);
  WithExceptFinish();
  UseNextBlock(exit);
}

void Compiler::AsyncWith(const ast::StmtNode& s, size_t pos) {
  if (u().scope != ScopeType::AsyncFunction) {
    return Error("'async with' outside async function");
  }
  const BlockId block = NewBlock();
  const BlockId final = NewBlock();
  const BlockId exit = NewBlock();
  const ast::WithItemNode& item = tree_[tree_[s.AsyncWith.items][pos]];
  VisitExpr(item.context_expr);
  AddOp(Opcode::BEFORE_ASYNC_WITH);
  AddOp(Opcode::GET_AWAITABLE);
  LoadNone();
  AddOp(Opcode::YIELD_FROM);
  AddJump(Opcode::SETUP_ASYNC_WITH, final);
  UseNextBlock(block);
  if (!PushFBlock(FBlockType::AsyncWith, block, final, {}, {}, s.pos)) return;
  if (!item.optional_vars.IsNone()) {
    VisitExpr(item.optional_vars);
  } else {
    AddOp(Opcode::POP_TOP);
  }
  if (pos + 1 == s.AsyncWith.items.size()) {
    VisitStmts(s.AsyncWith.body);
  } else {
    AsyncWith(s, pos + 1);
  }
  PopFBlock();
  AddOp(Opcode::POP_BLOCK);
  SetLoc(s.pos);
  CallExitWithNones();
  AddOp(Opcode::GET_AWAITABLE);
  LoadNone();
  AddOp(Opcode::YIELD_FROM);
  AddOp(Opcode::POP_TOP);
  AddJump(Opcode::JUMP_FORWARD, exit);
  UseNextBlock(final);
  AddOp(Opcode::WITH_EXCEPT_START);
  AddOp(Opcode::GET_AWAITABLE);
  LoadNone();
  AddOp(Opcode::YIELD_FROM);
  WithExceptFinish();
  UseNextBlock(exit);
}

// ---- assert, imports ------------------------------------------------------------------------

void Compiler::Assert(const ast::StmtNode& s) {
  if (optimize_ > 0) return;
  const ast::ExprNode& test = tree_[s.Assert.test];
  if (test.kind == ExprKind::Tuple && !test.Tuple.elts.empty()) {
    Warn("assertion is always true, perhaps remove parentheses?");
  }
  const BlockId end = NewBlock();
  JumpIf(s.Assert.test, end, true);
  AddOp(Opcode::LOAD_ASSERTION_ERROR);
  if (!s.Assert.msg.IsNone()) {
    VisitExpr(s.Assert.msg);
    AddOp(Opcode::CALL_FUNCTION, 1);
  }
  AddOp(Opcode::RAISE_VARARGS, 1);
  UseNextBlock(end);
}

void Compiler::Import(const ast::StmtNode& s) {
  for (ast::AliasId alias_id : tree_[s.Import.names]) {
    const ast::AliasNode& alias = tree_[alias_id];
    const std::string_view name = Spelling(alias.name);
    LoadConst(heap().Int(0));
    LoadNone();
    AddOpName(Opcode::IMPORT_NAME, alias.name);
    if (!alias.asname.IsNone()) {
      ImportAs(name, Spelling(alias.asname));
    } else {
      NameOp(name.substr(0, name.find('.')), ExprContext::Store);
    }
  }
}

// compiler_import_as: `import a.b.c as d` binds d to the innermost module.
void Compiler::ImportAs(std::string_view name, std::string_view asname) {
  size_t dot = name.find('.');
  if (dot != std::string_view::npos) {
    while (true) {
      const size_t pos = dot + 1;
      dot = name.find('.', pos);
      const std::string_view attr =
          name.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
      AddOp(Opcode::IMPORT_FROM, static_cast<int32_t>(code().AddName(Intern(attr), names())));
      if (dot == std::string_view::npos) break;
      AddOp(Opcode::ROT_TWO);
      AddOp(Opcode::POP_TOP);
    }
    NameOp(asname, ExprContext::Store);
    AddOp(Opcode::POP_TOP);
    return;
  }
  NameOp(asname, ExprContext::Store);
}

void Compiler::ImportFrom(const ast::StmtNode& s) {
  const auto& from = s.ImportFrom;
  LoadConst(heap().Int(from.level));
  std::vector<std::string> names;
  for (ast::AliasId alias : tree_[from.names]) names.emplace_back(Spelling(tree_[alias].name));
  const std::string_view module = from.module.IsNone() ? "" : Spelling(from.module);
  if (s.pos.lineno > future_lineno_ && module == "__future__") {
    return Error("from __future__ imports must occur at the beginning of the file");
  }
  LoadConst(NameTupleConst(names));
  AddOpName(Opcode::IMPORT_NAME, module);
  for (size_t i = 0; i < names.size(); ++i) {
    if (i == 0 && names[0][0] == '*') {
      AddOp(Opcode::IMPORT_STAR);
      return;
    }
    const ast::AliasNode& alias = tree_[tree_[from.names][i]];
    AddOpName(Opcode::IMPORT_FROM, alias.name);
    NameOp(alias.asname.IsNone() ? alias.name : alias.asname, ExprContext::Store);
  }
  AddOp(Opcode::POP_TOP);  // the module
}

// ---- augmented and annotated assignment ------------------------------------------------------

void Compiler::AugAssign(const ast::StmtNode& s) {
  const ExprId target_id = s.AugAssign.target;
  const ast::ExprNode& target = tree_[target_id];
  const SourceLocation saved = CurrentLocation();
  SetLoc(target.pos);
  switch (target.kind) {
    case ExprKind::Attribute: {
      VisitExpr(target.Attribute.value);
      AddOp(Opcode::DUP_TOP);
      const int32_t lineno = code().lineno();
      code().set_lineno(target.pos.end_lineno);
      AddOpName(Opcode::LOAD_ATTR, target.Attribute.attr);
      code().set_lineno(lineno);
      break;
    }
    case ExprKind::Subscript:
      VisitExpr(target.Subscript.value);
      VisitExpr(target.Subscript.slice);
      AddOp(Opcode::DUP_TOP_TWO);
      AddOp(Opcode::BINARY_SUBSCR);
      break;
    case ExprKind::Name:
      NameOp(target.Name.id, ExprContext::Load);
      break;
    default:
      return Error("invalid node type for augmented assignment");
  }
  RestoreLocation(saved);
  VisitExpr(s.AugAssign.value);
  AddOp(InplaceOpcode(s.AugAssign.op));
  SetLoc(target.pos);
  switch (target.kind) {
    case ExprKind::Attribute:
      code().set_lineno(target.pos.end_lineno);
      AddOp(Opcode::ROT_TWO);
      AddOpName(Opcode::STORE_ATTR, target.Attribute.attr);
      break;
    case ExprKind::Subscript:
      AddOp(Opcode::ROT_THREE);
      AddOp(Opcode::STORE_SUBSCR);
      break;
    case ExprKind::Name:
      NameOp(target.Name.id, ExprContext::Store);
      break;
    default:
      break;
  }
}

void Compiler::CheckAnnExpr(ExprId e) {
  VisitExpr(e);
  AddOp(Opcode::POP_TOP);
}

// check_ann_subscr: everything in the subscript of a bare annotated target
// is still evaluated.
void Compiler::CheckAnnSubscript(ExprId id) {
  const ast::ExprNode& e = tree_[id];
  switch (e.kind) {
    case ExprKind::Slice:
      if (!e.Slice.lower.IsNone()) CheckAnnExpr(e.Slice.lower);
      if (!e.Slice.upper.IsNone()) CheckAnnExpr(e.Slice.upper);
      if (!e.Slice.step.IsNone()) CheckAnnExpr(e.Slice.step);
      return;
    case ExprKind::Tuple:
      for (ExprId elt : tree_[e.Tuple.elts]) CheckAnnSubscript(elt);
      return;
    default:
      CheckAnnExpr(id);
  }
}

void Compiler::AnnAssign(const ast::StmtNode& s) {
  const auto& ann = s.AnnAssign;
  const ast::ExprNode& target = tree_[ann.target];
  if (!ann.value.IsNone()) {
    VisitExpr(ann.value);
    VisitExpr(ann.target);
  }
  switch (target.kind) {
    case ExprKind::Name:
      if (ForbiddenName(Spelling(target.Name.id), ExprContext::Store)) return;
      if (ann.simple && (u().scope == ScopeType::Module || u().scope == ScopeType::Class)) {
        VisitAnnotation(ann.annotation);
        AddOpName(Opcode::LOAD_NAME, "__annotations__");
        LoadConst(StrConst(Mangle(Spelling(target.Name.id))));
        AddOp(Opcode::STORE_SUBSCR);
      }
      break;
    case ExprKind::Attribute:
      if (ForbiddenName(Spelling(target.Attribute.attr), ExprContext::Store)) return;
      if (ann.value.IsNone()) CheckAnnExpr(target.Attribute.value);
      break;
    case ExprKind::Subscript:
      if (ann.value.IsNone()) {
        CheckAnnExpr(target.Subscript.value);
        CheckAnnSubscript(target.Subscript.slice);
      }
      break;
    default:
      return Error("invalid node type for annotated assignment");
  }
  // check_annotation: a complex target's annotation is evaluated (and
  // dropped) in modules and classes, unless annotations are postponed.
  if (!ann.simple && !future_annotations() &&
      (u().scope == ScopeType::Module || u().scope == ScopeType::Class)) {
    CheckAnnExpr(ann.annotation);
  }
}

}  // namespace xpyc::codegen
