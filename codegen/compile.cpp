// The compiler front end's entry point and its scope machinery: future
// statements, compiler units, qualified names, closures, name resolution,
// and the constructs that open a scope (module, def, class, lambda,
// comprehensions). See compiler.h for the map of the other files.
#include "codegen/compile.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "codegen/ast_opt.h"
#include "codegen/compiler.h"
#include "codegen/unparse.h"

namespace xpyc::codegen {

using ast::ExprContext;
using ast::ExprId;
using ast::ExprKind;
using ast::StmtId;
using ast::StmtKind;

namespace {

// _PyAST_GetDocString: the first statement when it is a string expression.
bool HasDocString(const ast::Ast& tree, ast::Seq<StmtId> body) {
  if (body.empty()) return false;
  const ast::StmtNode& first = tree[tree[body][0]];
  if (first.kind != StmtKind::Expr) return false;
  const ast::ExprNode& value = tree[first.Expr.value];
  return value.kind == ExprKind::Constant &&
         value.Constant.value->type == marshal::Type::Str;
}

// find_ann: an annotated assignment anywhere in these statements, not
// looking into nested scopes (nor, in 3.10, into match statements).
bool FindAnnotation(const ast::Ast& tree, ast::Seq<StmtId> stmts) {
  for (StmtId id : tree[stmts]) {
    const ast::StmtNode& s = tree[id];
    bool found = false;
    switch (s.kind) {
      case StmtKind::AnnAssign:
        return true;
      case StmtKind::For:
        found = FindAnnotation(tree, s.For.body) || FindAnnotation(tree, s.For.orelse);
        break;
      case StmtKind::AsyncFor:
        found = FindAnnotation(tree, s.AsyncFor.body) || FindAnnotation(tree, s.AsyncFor.orelse);
        break;
      case StmtKind::While:
        found = FindAnnotation(tree, s.While.body) || FindAnnotation(tree, s.While.orelse);
        break;
      case StmtKind::If:
        found = FindAnnotation(tree, s.If.body) || FindAnnotation(tree, s.If.orelse);
        break;
      case StmtKind::With:
        found = FindAnnotation(tree, s.With.body);
        break;
      case StmtKind::AsyncWith:
        found = FindAnnotation(tree, s.AsyncWith.body);
        break;
      case StmtKind::Try:
        for (ast::ExceptHandlerId h : tree[s.Try.handlers]) {
          if (FindAnnotation(tree, tree[h].ExceptHandler.body)) return true;
        }
        found = FindAnnotation(tree, s.Try.body) || FindAnnotation(tree, s.Try.orelse) ||
                FindAnnotation(tree, s.Try.finalbody);
        break;
      default:
        break;
    }
    if (found) return true;
  }
  return false;
}

}  // namespace

// ---- future statements ------------------------------------------------------

namespace {

// future.c reports its errors with PyErr_SyntaxLocationObject: the offset is
// the byte column + 1 for unknown features, but the bare byte column for a
// late future statement (measured with the oracle).
bool FutureError(const ast::StmtNode& s, std::string message, Diagnostics& diag,
                 bool bare_column = false) {
  return diag.Error(Diagnostic{ErrorClass::SyntaxError, std::move(message), s.pos.lineno,
                               s.pos.col_offset - (bare_column ? 1 : 0), s.pos.lineno, -1,
                               std::nullopt});
}

bool CheckFutureFeatures(const ast::Ast& tree, const ast::StmtNode& s, int32_t& flags,
                         Diagnostics& diag) {
  static constexpr std::string_view kAccepted[] = {
      "nested_scopes",   "generators",       "division",      "absolute_import",
      "with_statement",  "print_function",   "unicode_literals", "generator_stop"};
  for (ast::AliasId alias : tree[s.ImportFrom.names]) {
    const std::string_view feature = tree.Spelling(tree[alias].name);
    if (std::find(std::begin(kAccepted), std::end(kAccepted), feature) != std::end(kAccepted)) {
      continue;
    }
    if (feature == "barry_as_FLUFL") {
      flags |= kCoFutureBarryAsBdfl;
    } else if (feature == "annotations") {
      flags |= kCoFutureAnnotations;
    } else if (feature == "braces") {
      return FutureError(s, "not a chance", diag);
    } else {
      return FutureError(s, fmt::format("future feature {} is not defined", feature), diag);
    }
  }
  return true;
}

}  // namespace

bool ParseFutureFeatures(const ast::Ast& tree, int32_t& flags, int32_t& lineno,
                         Diagnostics& diag) {
  flags = 0;
  lineno = -1;
  const ast::ModNode& mod = tree[tree.root];
  const ast::Seq<StmtId> body = mod.Module.body;
  bool done = false;
  int32_t prev_line = 0;
  for (size_t i = HasDocString(tree, body) ? 1 : 0; i < body.size(); ++i) {
    const ast::StmtNode& s = tree[tree[body][i]];
    if (done && s.pos.lineno > prev_line) return true;
    prev_line = s.pos.lineno;
    const bool is_future = s.kind == StmtKind::ImportFrom && !s.ImportFrom.module.IsNone() &&
                           tree.Spelling(s.ImportFrom.module) == "__future__";
    if (!is_future) {
      done = true;
      continue;
    }
    if (done) {
      return FutureError(s, "from __future__ imports must occur at the beginning of the file",
                         diag, true);
    }
    if (!CheckFutureFeatures(tree, s, flags, diag)) return false;
    lineno = s.pos.lineno;
  }
  return true;
}

// ---- entry --------------------------------------------------------------------

Ref CompileModule(ast::Ast& tree, const ModuleCompileOptions& options, Diagnostics& diag) {
  int32_t future_flags = 0, future_lineno = -1;
  if (!ParseFutureFeatures(tree, future_flags, future_lineno, diag)) return nullptr;

  AstOptOptions opt;
  opt.optimize = options.optimize;
  opt.future_annotations = (future_flags & kCoFutureAnnotations) != 0;
  opt.recursion_start = options.recursion_start;
  if (!OptimizeAst(tree, opt, diag)) return nullptr;

  symtable::BuildOptions st_options;
  st_options.starting_depth = options.recursion_start;
  std::unique_ptr<symtable::SymbolTable> symbols =
      symtable::Build(tree, static_cast<uint32_t>(future_flags), diag, st_options);
  if (!symbols) return nullptr;

  Compiler compiler(tree, *symbols, future_flags, future_lineno, options.optimize,
                    options.filename, diag);
  return compiler.CompileModule();
}

Compiler::Compiler(ast::Ast& tree, const symtable::SymbolTable& symbols, int32_t future_flags,
                   int32_t future_lineno, int optimize, std::string_view filename,
                   Diagnostics& diag)
    : tree_(tree),
      symbols_(symbols),
      future_flags_(future_flags),
      future_lineno_(future_lineno),
      optimize_(optimize),
      filename_(filename),
      diag_(diag),
      cache_(std::make_unique<ConstCache>(tree.heap())) {
  filename_ref_ = cache_->Merge(tree.heap().Str(filename_));
  class_name_ = Intern("__class__");
  debug_name_ = Intern("__debug__");
}

Compiler::~Compiler() = default;

Ref Compiler::CompileModule() {
  EnterScope("<module>", ScopeType::Module, &symbols_.top(), 1);
  CompileBody(tree_[tree_.root].Module.body);
  if (failed_) return nullptr;
  Ref code = ExitScope(true);
  return failed_ ? nullptr : code;
}

// ---- locations, errors, constants ---------------------------------------------

void Compiler::SetLoc(const ast::Pos& pos) {
  code().set_lineno(pos.lineno);
  u().col_offset = pos.col_offset;
  u().end_lineno = pos.end_lineno;
  u().end_col_offset = pos.end_col_offset;
}

SourceLocation Compiler::CurrentLocation() const {
  const CompilerUnit& unit = u();
  return SourceLocation{unit.unit->lineno(), unit.col_offset, unit.end_lineno,
                        unit.end_col_offset};
}

void Compiler::RestoreLocation(const SourceLocation& loc) {
  code().set_lineno(loc.lineno);
  u().col_offset = loc.col_offset;
  u().end_lineno = loc.end_lineno;
  u().end_col_offset = loc.end_col_offset;
}

// compiler_error: a SyntaxError at the current location; CPython reports the
// column as byte offset + 1, which Diagnostic keeps as the byte column.
void Compiler::Error(std::string message) {
  if (failed_) return;
  failed_ = true;
  const SourceLocation loc = CurrentLocation();
  diag_.Error(Diagnostic{ErrorClass::SyntaxError, std::move(message), loc.lineno,
                         loc.col_offset, loc.end_lineno, loc.end_col_offset, std::nullopt});
}

void Compiler::Warn(std::string message) {
  if (failed_) return;
  diag_.Warn(Diagnostic{ErrorClass::SyntaxWarning, std::move(message), code().lineno(), -1, 0,
                        -1, std::nullopt});
}

Ref Compiler::StrConst(std::string_view text) {
  return IsAllNameChars(text) ? cache_->Interned(text) : heap().Str(text);
}

Ref Compiler::NameTupleConst(const std::vector<std::string>& names) {
  std::vector<Ref> items;
  items.reserve(names.size());
  for (const std::string& name : names) items.push_back(cache_->Interned(name));
  return cache_->MergeTuple(items);
}

// ---- scopes ---------------------------------------------------------------------

namespace {

// Cell and free variables go into their tables sorted by spelling.
void SortBySpelling(std::vector<NameId>& ids, const Interner& names) {
  std::sort(ids.begin(), ids.end(),
            [&](NameId a, NameId b) { return names.Spelling(a) < names.Spelling(b); });
}

}  // namespace

void Compiler::EnterScope(std::string_view name, ScopeType scope, const symtable::Entry* ste,
                          int32_t firstlineno) {
  auto unit = std::make_unique<CompilerUnit>();
  unit->ste = ste;
  unit->scope = scope;
  unit->name = name;
  CodeInfo info;
  info.name = name;
  info.firstlineno = firstlineno;
  unit->unit = std::make_unique<Unit>(*cache_, std::move(info));
  Unit& code = *unit->unit;
  for (NameId param : ste->varnames) code.varnames().Add(param, names());
  std::vector<NameId>& cells = cells_scratch_;
  std::vector<NameId>& frees = frees_scratch_;
  cells.clear();
  frees.clear();
  for (const symtable::Symbol& sym : ste->symbols) {
    if (sym.scope == symtable::Scope::Cell) cells.push_back(sym.name);
    if (sym.scope == symtable::Scope::Free || (sym.flags & symtable::kDefFreeClass) != 0) {
      frees.push_back(sym.name);
    }
  }
  SortBySpelling(cells, names());
  SortBySpelling(frees, names());
  if (ste->needs_class_closure) code.cellvars().Add(class_name_, names());
  for (NameId cell : cells) code.cellvars().Add(cell, names());
  for (NameId free : frees) code.freevars().Add(free, names());
  // Line 0 is CPython's "no statement yet" inside a new scope: the line
  // table continues the current line over it, and it still counts as a line
  // for exit blocks.
  code.set_lineno(scope == ScopeType::Module ? kNoLine : 0);
  if (scope == ScopeType::Class) {
    unit->private_name = name;
  } else if (!units_.empty()) {
    unit->private_name = units_.back()->private_name;
  }
  unit->serial = ++units_entered_;
  units_.push_back(std::move(unit));
  if (scope != ScopeType::Module) SetQualname();
}

void Compiler::SetQualname() {
  CompilerUnit& unit = u();
  std::string& qualname = unit.qualname;
  if (units_.size() > 2) {
    const CompilerUnit& parent = *units_[units_.size() - 2];
    bool force_global = false;
    if (unit.scope == ScopeType::Function || unit.scope == ScopeType::AsyncFunction ||
        unit.scope == ScopeType::Class) {
      const NameId mangled =
          symtable::MangledName(tree_.names(), parent.private_name, Intern(unit.name));
      force_global =
          symbols_.GetScope(*parent.ste, mangled) == symtable::Scope::GlobalExplicit;
    }
    if (!force_global) {
      const bool parent_is_function = parent.scope == ScopeType::Function ||
                                      parent.scope == ScopeType::AsyncFunction ||
                                      parent.scope == ScopeType::Lambda;
      qualname = parent.qualname;
      if (parent_is_function) qualname += ".<locals>";
      qualname += '.';
    }
  }
  qualname += unit.name;
}

// compute_code_flags
int32_t Compiler::CodeFlags() const {
  const symtable::Entry& ste = *u().ste;
  int32_t flags = 0;
  if (ste.type == symtable::BlockType::Function) {
    flags |= kCoNewLocals | kCoOptimized;
    if (ste.nested) flags |= kCoNested;
    if (ste.generator && !ste.coroutine) flags |= kCoGenerator;
    if (!ste.generator && ste.coroutine) flags |= kCoCoroutine;
    if (ste.generator && ste.coroutine) flags |= kCoAsyncGenerator;
    if (ste.varargs) flags |= kCoVarArgs;
    if (ste.varkeywords) flags |= kCoVarKeywords;
  }
  return flags | future_flags_;
}

Ref Compiler::ExitScope(bool add_none) {
  Ref result = nullptr;
  if (!failed_) {
    code().info().flags = CodeFlags();
    result = Assemble(code(), add_none, filename_ref_);
  }
  units_.pop_back();
  return result;
}

// compiler_make_closure: pushes the function made from `code`.
void Compiler::MakeClosure(Ref code_object, int32_t flags, std::string_view qualname) {
  const std::span<const Ref> freevars = code_object->code->freevars->items;
  if (!freevars.empty()) {
    for (Ref free : freevars) {
      const std::string_view name = free->data;
      int32_t arg = -1;
      const bool class_cell = u().scope == ScopeType::Class && name == "__class__";
      const NameId id = names().Lookup(name);
      if (class_cell || symbols_.GetScope(*u().ste, id) == symtable::Scope::Cell) {
        arg = code().cellvars().Find(id);
      } else {
        const int32_t index = code().freevars().Find(id);
        if (index >= 0) arg = static_cast<int32_t>(code().cellvars().size()) + index;
      }
      if (arg < 0) {
        failed_ = true;
        diag_.Error(Diagnostic{ErrorClass::SystemError,
                               fmt::format("compiler_make_closure: lookup '{}' failed", name),
                               0, -1, 0, -1, std::nullopt});
        return;
      }
      AddOp(Opcode::LOAD_CLOSURE, arg);
    }
    flags |= 0x08;
    AddOp(Opcode::BUILD_TUPLE, static_cast<int32_t>(freevars.size()));
  }
  LoadConst(code_object);
  LoadConst(StrConst(qualname));
  AddOp(Opcode::MAKE_FUNCTION, flags);
}

// ---- names ------------------------------------------------------------------------

std::string Compiler::Mangle(std::string_view name) const {
  return symtable::Mangle(u().private_name, name);
}

bool Compiler::ForbiddenName(std::string_view name, ExprContext ctx) {
  if (name != "__debug__") return false;
  if (ctx == ExprContext::Store) {
    Error("cannot assign to __debug__");
    return true;
  }
  if (ctx == ExprContext::Del) {
    Error("cannot delete __debug__");
    return true;
  }
  return false;
}

NameId Compiler::Mangled(NameId name) {
  return symtable::MangledName(tree_.names(), u().private_name, name);
}

void Compiler::AddOpName(Opcode op, NameId name) {
  AddOp(op, static_cast<int32_t>(code().AddName(Mangled(name), names())));
}

// compiler_nameop
void Compiler::NameOp(NameId name, ExprContext ctx) {
  if (name == debug_name_ && ForbiddenName(Spelling(name), ctx)) return;
  const ResolvedName& resolved = ResolveName(name);
  AddOp(resolved.ops[static_cast<size_t>(ctx)], resolved.oparg);
}

// A unit names the same few variables over and over: each is resolved once.
const ResolvedName& Compiler::ResolveName(NameId name) {
  if (name.index >= resolved_names_.size()) resolved_names_.resize(names().size());
  ResolvedName& slot = resolved_names_[name.index];
  if (slot.unit_serial != u().serial) slot = ResolveNameUncached(name);
  return slot;
}

ResolvedName Compiler::ResolveNameUncached(NameId name) {
  const NameId mangled = Mangled(name);
  const symtable::Entry& ste = *u().ste;
  const bool in_function = ste.type == symtable::BlockType::Function;
  const symtable::Scope scope = symbols_.GetScope(ste, mangled);
  ResolvedName resolved;
  resolved.unit_serial = u().serial;
  const auto set = [&](Opcode load, Opcode store, Opcode del, uint32_t oparg) {
    resolved.ops[static_cast<size_t>(ExprContext::Load)] = load;
    resolved.ops[static_cast<size_t>(ExprContext::Store)] = store;
    resolved.ops[static_cast<size_t>(ExprContext::Del)] = del;
    resolved.oparg = static_cast<int32_t>(oparg);
  };
  switch (scope) {
    case symtable::Scope::Free:
    case symtable::Scope::Cell: {
      const bool in_class = ste.type == symtable::BlockType::Class;
      // A class's free `__class__` is also its implicit cell: the scope says
      // which table the index comes from.
      const int32_t index = scope == symtable::Scope::Free
                                ? static_cast<int32_t>(code().cellvars().size()) +
                                      code().freevars().Find(mangled)
                                : code().cellvars().Find(mangled);
      set(in_class ? Opcode::LOAD_CLASSDEREF : Opcode::LOAD_DEREF, Opcode::STORE_DEREF,
          Opcode::DELETE_DEREF, static_cast<uint32_t>(index));
      return resolved;
    }
    case symtable::Scope::Local:
      if (!in_function) break;
      set(Opcode::LOAD_FAST, Opcode::STORE_FAST, Opcode::DELETE_FAST,
          code().varnames().Add(mangled, names()));
      return resolved;
    case symtable::Scope::GlobalImplicit:
      if (!in_function) break;
      [[fallthrough]];
    case symtable::Scope::GlobalExplicit:
      set(Opcode::LOAD_GLOBAL, Opcode::STORE_GLOBAL, Opcode::DELETE_GLOBAL,
          code().AddName(mangled, names()));
      return resolved;
    case symtable::Scope::Unresolved:
      break;
  }
  set(Opcode::LOAD_NAME, Opcode::STORE_NAME, Opcode::DELETE_NAME,
      code().AddName(mangled, names()));
  return resolved;
}

// ---- module and class bodies ----------------------------------------------------

// compiler_body: SETUP_ANNOTATIONS, the docstring as __doc__, the statements.
void Compiler::CompileBody(ast::Seq<StmtId> body) {
  if (u().scope == ScopeType::Module && !body.empty()) SetLoc(tree_[tree_[body][0]].pos);
  if (FindAnnotation(tree_, body)) AddOp(Opcode::SETUP_ANNOTATIONS);
  if (body.empty()) return;
  size_t first = 0;
  if (optimize_ < 2 && HasDocString(tree_, body)) {
    first = 1;
    SetLoc(tree_[tree_[body][0]].pos);
    VisitExpr(tree_[tree_[body][0]].Expr.value);
    NameOp("__doc__", ExprContext::Store);
  }
  for (size_t i = first; i < body.size() && !failed_; ++i) VisitStmt(tree_[body][i]);
}

// ---- functions ----------------------------------------------------------------------

bool Compiler::CheckDebugArgs(ast::ArgumentsId args_id) {
  const ast::ArgumentsNode& args = tree_[args_id];
  const auto check = [&](ast::ArgId arg) {
    return arg.IsNone() || !ForbiddenName(Spelling(tree_[arg].arg), ExprContext::Store);
  };
  for (ast::ArgId a : tree_[args.posonlyargs]) if (!check(a)) return false;
  for (ast::ArgId a : tree_[args.args]) if (!check(a)) return false;
  if (!check(args.vararg)) return false;
  for (ast::ArgId a : tree_[args.kwonlyargs]) if (!check(a)) return false;
  return check(args.kwarg);
}

void Compiler::Decorators(ast::Seq<ExprId> decorators) { VisitExprs(decorators); }

int32_t Compiler::DefaultArguments(ast::ArgumentsId args_id) {
  const ast::ArgumentsNode& args = tree_[args_id];
  int32_t flags = 0;
  if (!args.defaults.empty()) {
    VisitExprs(args.defaults);
    AddOp(Opcode::BUILD_TUPLE, static_cast<int32_t>(args.defaults.size()));
    flags |= 0x01;
  }
  if (!args.kwonlyargs.empty() && KwOnlyDefaults(args_id) > 0) flags |= 0x02;
  return failed_ ? -1 : flags;
}

// compiler_visit_kwonlydefaults: a const-key map of the keyword-only defaults.
int Compiler::KwOnlyDefaults(ast::ArgumentsId args_id) {
  const ast::ArgumentsNode& args = tree_[args_id];
  const auto kwonly = tree_[args.kwonlyargs];
  const auto defaults = tree_[args.kw_defaults];
  std::vector<std::string> keys;
  for (size_t i = 0; i < kwonly.size(); ++i) {
    if (i >= defaults.size() || defaults[i].IsNone()) continue;
    keys.push_back(Mangle(Spelling(tree_[kwonly[i]].arg)));
    VisitExpr(defaults[i]);
  }
  if (keys.empty()) return -1;
  LoadConst(NameTupleConst(keys));
  AddOp(Opcode::BUILD_CONST_KEY_MAP, static_cast<int32_t>(keys.size()));
  return 1;
}

void Compiler::VisitAnnotation(ExprId annotation) {
  if (future_annotations()) {
    std::optional<std::string> text = TryUnparseAnnotation(tree_, annotation);
    if (!text) {  // an int too long to convert to a string
      failed_ = true;
      diag_.Error(Diagnostic{ErrorClass::ValueError, kIntMaxStrDigitsMessage, 0, -1, 0, -1,
                             std::nullopt});
      return;
    }
    LoadConst(heap().Str(*text));
  } else {
    VisitExpr(annotation);
  }
}

void Compiler::ArgAnnotation(std::string_view name, ExprId annotation, int& count) {
  if (annotation.IsNone()) return;
  LoadConst(cache_->Interned(Mangle(name)));
  VisitAnnotation(annotation);
  count += 2;
}

// compiler_visit_annotations: (name, value, ...) pairs as one tuple; note
// CPython's order: regular parameters before positional-only ones.
int Compiler::Annotations(ast::ArgumentsId args_id, ExprId returns) {
  const ast::ArgumentsNode& args = tree_[args_id];
  int count = 0;
  const auto each = [&](ast::Seq<ast::ArgId> seq) {
    for (ast::ArgId a : tree_[seq]) ArgAnnotation(Spelling(tree_[a].arg), tree_[a].annotation, count);
  };
  each(args.args);
  each(args.posonlyargs);
  if (!args.vararg.IsNone()) {
    ArgAnnotation(Spelling(tree_[args.vararg].arg), tree_[args.vararg].annotation, count);
  }
  each(args.kwonlyargs);
  if (!args.kwarg.IsNone()) {
    ArgAnnotation(Spelling(tree_[args.kwarg].arg), tree_[args.kwarg].annotation, count);
  }
  ArgAnnotation("return", returns, count);
  if (count == 0) return -1;
  AddOp(Opcode::BUILD_TUPLE, count);
  return 1;
}

// compiler_function
void Compiler::CompileFunction(StmtId id, bool is_async) {
  const ast::StmtNode& s = tree_[id];
  // FunctionDef and AsyncFunctionDef have the same fields.
  struct {
    NameId name;
    ast::ArgumentsId args;
    ast::Seq<StmtId> body;
    ast::Seq<ExprId> decorator_list;
    ExprId returns;
  } def;
  if (is_async) {
    const auto& f = s.AsyncFunctionDef;
    def = {f.name, f.args, f.body, f.decorator_list, f.returns};
  } else {
    const auto& f = s.FunctionDef;
    def = {f.name, f.args, f.body, f.decorator_list, f.returns};
  }
  if (!CheckDebugArgs(def.args)) return;
  Decorators(def.decorator_list);
  int32_t firstlineno = s.pos.lineno;
  if (!def.decorator_list.empty()) firstlineno = tree_[tree_[def.decorator_list][0]].pos.lineno;
  int32_t flags = DefaultArguments(def.args);
  if (flags < 0) return;
  if (Annotations(def.args, def.returns) > 0) flags |= 0x04;
  if (failed_) return;

  EnterScope(Spelling(def.name), is_async ? ScopeType::AsyncFunction : ScopeType::Function,
             symbols_.ForStmt(id), firstlineno);
  const bool docstring = optimize_ < 2 && HasDocString(tree_, def.body);
  if (docstring) {
    code().AddConst(tree_[tree_[tree_[def.body][0]].Expr.value].Constant.value);
  } else {
    code().AddConst(heap().None());
  }
  const ast::ArgumentsNode& args = tree_[def.args];
  code().info().argcount = static_cast<int32_t>(args.posonlyargs.size() + args.args.size());
  code().info().posonlyargcount = static_cast<int32_t>(args.posonlyargs.size());
  code().info().kwonlyargcount = static_cast<int32_t>(args.kwonlyargs.size());
  for (size_t i = docstring ? 1 : 0; i < def.body.size() && !failed_; ++i) {
    VisitStmt(tree_[def.body][i]);
  }
  const std::string qualname = std::move(u().qualname);
  Ref code_object = ExitScope(true);
  if (code_object == nullptr) return;
  MakeClosure(code_object, flags, qualname);
  for (size_t i = 0; i < def.decorator_list.size(); ++i) AddOp(Opcode::CALL_FUNCTION, 1);
  NameOp(def.name, ExprContext::Store);
}

// compiler_class
void Compiler::CompileClass(StmtId id) {
  const ast::StmtNode& s = tree_[id];
  const auto& cls = s.ClassDef;
  Decorators(cls.decorator_list);
  int32_t firstlineno = s.pos.lineno;
  if (!cls.decorator_list.empty()) firstlineno = tree_[tree_[cls.decorator_list][0]].pos.lineno;
  if (failed_) return;

  EnterScope(Spelling(cls.name), ScopeType::Class, symbols_.ForStmt(id), firstlineno);
  NameOp("__name__", ExprContext::Load);
  NameOp("__module__", ExprContext::Store);
  LoadConst(StrConst(u().qualname));
  NameOp("__qualname__", ExprContext::Store);
  CompileBody(cls.body);
  UnsetLoc();
  if (u().ste->needs_class_closure) {
    AddOp(Opcode::LOAD_CLOSURE, code().cellvars().Find(class_name_));
    AddOp(Opcode::DUP_TOP);
    NameOp("__classcell__", ExprContext::Store);
  } else {
    LoadNone();
  }
  AddOp(Opcode::RETURN_VALUE);
  Ref code_object = ExitScope(true);
  if (code_object == nullptr) return;

  AddOp(Opcode::LOAD_BUILD_CLASS);
  MakeClosure(code_object, 0, Spelling(cls.name));
  LoadConst(StrConst(Spelling(cls.name)));
  CallHelper(2, cls.bases, cls.keywords);
  for (size_t i = 0; i < cls.decorator_list.size(); ++i) AddOp(Opcode::CALL_FUNCTION, 1);
  NameOp(cls.name, ExprContext::Store);
}

// compiler_lambda
void Compiler::CompileLambda(ExprId id) {
  const ast::ExprNode& e = tree_[id];
  if (!CheckDebugArgs(e.Lambda.args)) return;
  const int32_t flags = DefaultArguments(e.Lambda.args);
  if (flags < 0) return;
  EnterScope("<lambda>", ScopeType::Lambda, symbols_.ForExpr(id), e.pos.lineno);
  code().AddConst(heap().None());  // so that a lambda never has a docstring
  const ast::ArgumentsNode& args = tree_[e.Lambda.args];
  code().info().argcount = static_cast<int32_t>(args.posonlyargs.size() + args.args.size());
  code().info().posonlyargcount = static_cast<int32_t>(args.posonlyargs.size());
  code().info().kwonlyargcount = static_cast<int32_t>(args.kwonlyargs.size());
  VisitExpr(e.Lambda.body);
  const bool generator = u().ste->generator;
  if (!generator) AddOp(Opcode::RETURN_VALUE);
  const std::string qualname = std::move(u().qualname);
  Ref code_object = ExitScope(!generator);
  if (code_object == nullptr) return;
  MakeClosure(code_object, flags, qualname);
}

// ---- comprehensions -------------------------------------------------------------

// compiler_comprehension: the comprehension's own code object, called with
// the iterator of its outermost `for`.
void Compiler::CompileComprehension(ExprId id) {
  const ast::ExprNode& e = tree_[id];
  ast::Seq<ast::ComprehensionId> generators;
  ExprId elt, val;
  std::string_view name;
  switch (e.kind) {
    case ExprKind::GeneratorExp:
      generators = e.GeneratorExp.generators, elt = e.GeneratorExp.elt, name = "<genexpr>";
      break;
    case ExprKind::ListComp:
      generators = e.ListComp.generators, elt = e.ListComp.elt, name = "<listcomp>";
      break;
    case ExprKind::SetComp:
      generators = e.SetComp.generators, elt = e.SetComp.elt, name = "<setcomp>";
      break;
    case ExprKind::DictComp:
      generators = e.DictComp.generators, elt = e.DictComp.key, val = e.DictComp.value;
      name = "<dictcomp>";
      break;
    default:
      return;
  }
  const bool parent_is_async = u().ste->coroutine;
  const auto gens = tree_[generators];
  const ast::ComprehensionNode& outermost = tree_[gens[0]];

  EnterScope(name, ScopeType::Comprehension, symbols_.ForExpr(id), e.pos.lineno);
  SetLoc(e.pos);
  const bool is_async_generator = u().ste->coroutine;
  if (is_async_generator && e.kind != ExprKind::GeneratorExp && !parent_is_async) {
    Error("asynchronous comprehension outside of an asynchronous function");
    units_.pop_back();
    return;
  }
  switch (e.kind) {
    case ExprKind::ListComp: AddOp(Opcode::BUILD_LIST, 0); break;
    case ExprKind::SetComp: AddOp(Opcode::BUILD_SET, 0); break;
    case ExprKind::DictComp: AddOp(Opcode::BUILD_MAP, 0); break;
    default: break;
  }
  ComprehensionGenerator(gens, 0, 0, elt, val, e.kind);
  if (e.kind != ExprKind::GeneratorExp) AddOp(Opcode::RETURN_VALUE);
  const std::string qualname = std::move(u().qualname);
  Ref code_object = ExitScope(true);
  if (code_object == nullptr) return;

  MakeClosure(code_object, 0, qualname);
  VisitExpr(outermost.iter);
  AddOp(outermost.is_async ? Opcode::GET_AITER : Opcode::GET_ITER);
  AddOp(Opcode::CALL_FUNCTION, 1);
  if (is_async_generator && e.kind != ExprKind::GeneratorExp) {
    AddOp(Opcode::GET_AWAITABLE);
    LoadNone();
    AddOp(Opcode::YIELD_FROM);
  }
}

void Compiler::ComprehensionGenerator(std::span<const ast::ComprehensionId> generators,
                                      size_t index, int depth, ExprId elt, ExprId val,
                                      ExprKind kind) {
  if (failed_) return;
  if (tree_[generators[index]].is_async) {
    AsyncComprehensionGenerator(generators, index, depth, elt, val, kind);
  } else {
    SyncComprehensionGenerator(generators, index, depth, elt, val, kind);
  }
}

void Compiler::ComprehensionElement(ExprId elt, ExprId val, ExprKind kind, int depth) {
  switch (kind) {
    case ExprKind::GeneratorExp:
      VisitExpr(elt);
      AddOp(Opcode::YIELD_VALUE);
      AddOp(Opcode::POP_TOP);
      break;
    case ExprKind::ListComp:
      VisitExpr(elt);
      AddOp(Opcode::LIST_APPEND, depth + 1);
      break;
    case ExprKind::SetComp:
      VisitExpr(elt);
      AddOp(Opcode::SET_ADD, depth + 1);
      break;
    case ExprKind::DictComp:
      VisitExpr(elt);
      VisitExpr(val);
      AddOp(Opcode::MAP_ADD, depth + 1);
      break;
    default:
      break;
  }
}

void Compiler::SyncComprehensionGenerator(std::span<const ast::ComprehensionId> generators,
                                          size_t index, int depth, ExprId elt, ExprId val,
                                          ExprKind kind) {
  BlockId start = NewBlock();
  const BlockId if_cleanup = NewBlock();
  const BlockId anchor = NewBlock();
  const ast::ComprehensionNode& gen = tree_[generators[index]];
  if (index == 0) {
    code().info().argcount = 1;  // the outermost iterator is the argument `.0`
    AddOp(Opcode::LOAD_FAST, 0);
  } else {
    // `for y in [f(x)]`: the one item is bound without a loop.
    const ast::ExprNode& iter = tree_[gen.iter];
    ast::Seq<ExprId> elts;
    if (iter.kind == ExprKind::List) elts = iter.List.elts;
    if (iter.kind == ExprKind::Tuple) elts = iter.Tuple.elts;
    if (elts.size() == 1 && tree_[tree_[elts][0]].kind != ExprKind::Starred) {
      VisitExpr(tree_[elts][0]);
      start = BlockId{};
    } else {
      VisitExpr(gen.iter);
      AddOp(Opcode::GET_ITER);
    }
  }
  if (!start.is_none()) {
    ++depth;
    UseNextBlock(start);
    AddJump(Opcode::FOR_ITER, anchor);
    NextBlock();
  }
  VisitExpr(gen.target);
  for (ExprId cond : tree_[gen.ifs]) {
    JumpIf(cond, if_cleanup, false);
    NextBlock();
  }
  if (index + 1 < generators.size()) {
    ComprehensionGenerator(generators, index + 1, depth, elt, val, kind);
  } else {
    ComprehensionElement(elt, val, kind, depth);
  }
  UseNextBlock(if_cleanup);
  if (!start.is_none()) {
    AddJump(Opcode::JUMP_ABSOLUTE, start);
    UseNextBlock(anchor);
  }
}

void Compiler::AsyncComprehensionGenerator(std::span<const ast::ComprehensionId> generators,
                                           size_t index, int depth, ExprId elt, ExprId val,
                                           ExprKind kind) {
  const BlockId start = NewBlock();
  const BlockId except = NewBlock();
  const BlockId if_cleanup = NewBlock();
  const ast::ComprehensionNode& gen = tree_[generators[index]];
  if (index == 0) {
    code().info().argcount = 1;
    AddOp(Opcode::LOAD_FAST, 0);
  } else {
    VisitExpr(gen.iter);
    AddOp(Opcode::GET_AITER);
  }
  UseNextBlock(start);
  if (!PushFBlock(FBlockType::AsyncComprehensionGenerator, start, BlockId{})) return;
  AddJump(Opcode::SETUP_FINALLY, except);
  AddOp(Opcode::GET_ANEXT);
  LoadNone();
  AddOp(Opcode::YIELD_FROM);
  AddOp(Opcode::POP_BLOCK);
  VisitExpr(gen.target);
  for (ExprId cond : tree_[gen.ifs]) {
    JumpIf(cond, if_cleanup, false);
    NextBlock();
  }
  ++depth;
  if (index + 1 < generators.size()) {
    ComprehensionGenerator(generators, index + 1, depth, elt, val, kind);
  } else {
    ComprehensionElement(elt, val, kind, depth);
  }
  UseNextBlock(if_cleanup);
  AddJump(Opcode::JUMP_ABSOLUTE, start);
  PopFBlock();
  UseNextBlock(except);
  AddOp(Opcode::END_ASYNC_FOR);
}

}  // namespace xpyc::codegen
