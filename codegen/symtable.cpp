// The first pass of the symbol table: walk the AST, create the scopes and
// record the raw facts about every name (symtable.c's symtable_visit_*).
// The second pass (name resolution) is in symtable_analyze.cpp.
#include "codegen/symtable.h"

#include <algorithm>

#include <fmt/format.h>

#include "codegen/symtable_internal.h"

namespace xpyc::symtable {

using ast::ExprKind;
using ast::StmtKind;

SymbolTable::SymbolTable(Interner& names) : names_(&names) {}
SymbolTable::~SymbolTable() = default;

namespace {
const Entry* FindKeyed(const SymbolTable& table,
                       const std::vector<std::pair<uint32_t, uint32_t>>& keys, uint32_t key) {
  auto it = std::lower_bound(keys.begin(), keys.end(), std::pair<uint32_t, uint32_t>{key, 0});
  if (it == keys.end() || it->first != key) return nullptr;
  return &table.entries[it->second];
}
}  // namespace

const Entry* SymbolTable::ForStmt(ast::StmtId id) const {
  return FindKeyed(*this, stmt_keys, id.index);
}
const Entry* SymbolTable::ForExpr(ast::ExprId id) const {
  return FindKeyed(*this, expr_keys, id.index);
}

const Symbol* SymbolTable::Lookup(const Entry& entry, std::string_view name) const {
  const NameId id = names_->Lookup(name);
  return id.IsNone() ? nullptr : Lookup(entry, id);
}

Scope SymbolTable::GetScope(const Entry& entry, std::string_view name) const {
  const Symbol* s = Lookup(entry, name);
  return s ? s->scope : Scope::Unresolved;
}

bool DunderNeedsMangling(std::string_view class_name, std::string_view name) {
  // Dunder names and dotted import names stay as they are.
  if (name.size() >= 2 && name[name.size() - 1] == '_' && name[name.size() - 2] == '_')
    return false;
  if (name.find('.') != std::string_view::npos) return false;
  size_t first = class_name.find_first_not_of('_');
  return first != std::string_view::npos;  // a class named only "_"s mangles nothing
}

std::string Mangle(std::string_view class_name, std::string_view name) {
  if (!NeedsMangling(class_name, name)) return std::string(name);
  std::string out = "_";
  out += class_name.substr(class_name.find_first_not_of('_'));
  out += name;
  return out;
}

NameId MangledName(Interner& names, std::string_view class_name, NameId name) {
  if (class_name.empty()) return name;
  const std::string_view spelling = names.Spelling(name);
  if (!NeedsMangling(class_name, spelling)) return name;
  return names.Intern(Mangle(class_name, spelling));
}

uint32_t ScanFutureFeatures(const ast::Ast& tree) {
  const ast::ModNode& mod = tree[tree.root];
  if (mod.kind != ast::ModKind::Module) return 0;
  uint32_t features = 0;
  bool first = true;
  for (ast::StmtId id : tree[mod.Module.body]) {
    const ast::StmtNode& s = tree[id];
    bool docstring = first && s.kind == StmtKind::Expr &&
                     tree[s.Expr.value].kind == ExprKind::Constant;
    first = false;
    if (docstring) continue;
    if (s.kind != StmtKind::ImportFrom || s.ImportFrom.module.IsNone() ||
        tree.Spelling(s.ImportFrom.module) != "__future__")
      break;
    for (ast::AliasId a : tree[s.ImportFrom.names])
      if (tree.Spelling(tree[a].name) == "annotations") features |= kFutureAnnotations;
  }
  return features;
}

namespace {

constexpr const char* kRecursionMessage = "maximum recursion depth exceeded during compilation";

struct Loc {
  int32_t lineno, col, end_lineno, end_col;
};
Loc LocOf(const ast::Pos& p) { return {p.lineno, p.col_offset, p.end_lineno, p.end_col_offset}; }

// Per-entry state that only the first pass needs.
struct EntryWork {
  bool comp_iter_target = false;
  int comp_iter_expr = 0;
};

class Builder {
 public:
  Builder(ast::Ast& tree, uint32_t future, Diagnostics& diag, const BuildOptions& options,
          SymbolTable& table)
      : ast_(tree),
        future_annotations_((future & kFutureAnnotations) != 0),
        diag_(diag),
        table_(table),
        depth_(options.starting_depth),
        limit_(options.recursion_limit) {
    top_name_ = Intern("top");
    lambda_name_ = Intern("lambda");
    genexpr_name_ = Intern("genexpr");
    listcomp_name_ = Intern("listcomp");
    setcomp_name_ = Intern("setcomp");
    dictcomp_name_ = Intern("dictcomp");
    annotation_name_ = Intern("_annotation");
    class_name_ = Intern("__class__");
    implicit_arg_name_ = Intern(".0");
    super_name_ = table_.names().Lookup("super");  // None when the source never says it
  }

  bool Run(std::vector<std::vector<Directive>>& directives);

 private:
  // --- names ---
  NameId Intern(std::string_view s) { return table_.names().Intern(s); }
  NameId Mangled(NameId id);
  Entry& Cur() { return table_.entries[cur_]; }
  EntryWork& CurWork() { return work_[cur_]; }

  // --- errors ---
  bool Fail(std::string message, Loc loc) {
    return diag_.Error(Diagnostic{ErrorClass::SyntaxError, std::move(message), loc.lineno,
                                  loc.col, loc.end_lineno, loc.end_col, std::nullopt});
  }
  bool EnterDepth();
  void LeaveDepth() { --depth_; }

  // --- blocks ---
  bool EnterBlock(NameId name, BlockType type, KeyKind key_kind, uint32_t key, Loc loc);
  void ExitBlock();

  // --- definitions ---
  uint32_t LookupFlags(uint32_t entry, NameId mangled) const;
  bool AddDef(NameId mangled, uint32_t flag, Loc loc, NameId shown = {}) {
    return AddDefIn(cur_, mangled, flag, loc, shown);
  }
  // `shown` is the name as written, for messages (CPython shows it unmangled).
  bool AddDefIn(uint32_t entry, NameId mangled, uint32_t flag, Loc loc, NameId shown = {});
  bool FailAddDef(const char* format, NameId shown, Loc loc) {
    return Fail(fmt::format(fmt::runtime(format), ast_.Spelling(shown)), loc);
  }
  bool AddAstDef(NameId ast_name, uint32_t flag, Loc loc) {
    return AddDef(Mangled(ast_name), flag, loc, ast_name);
  }
  void RecordDirective(NameId mangled, Loc loc) {
    (*directives_)[cur_].push_back(Directive{mangled, loc.lineno, loc.col, loc.end_lineno,
                                             loc.end_col});
  }

  // --- visitors ---
  bool VisitStmt(ast::StmtId id);
  bool VisitStmts(ast::Seq<ast::StmtId> seq);
  bool VisitExpr(ast::ExprId id);
  bool VisitExprs(ast::Seq<ast::ExprId> seq);
  bool VisitOptExpr(ast::ExprId id) { return id.IsNone() || VisitExpr(id); }
  bool VisitFunctionDef(ast::StmtId id, bool is_async);
  bool VisitClassDef(ast::StmtId id);
  bool VisitAnnAssign(const ast::StmtNode& s);
  bool VisitGlobalOrNonlocal(const ast::StmtNode& s, bool global);
  bool VisitAlias(ast::AliasId id);
  bool VisitArguments(const ast::ArgumentsNode& a);
  bool VisitParams(ast::Seq<ast::ArgId> args);
  bool VisitAnnotation(ast::ExprId annotation);
  bool VisitArgAnnotations(ast::Seq<ast::ArgId> args);
  bool VisitAnnotations(ast::StmtId id, const ast::ArgumentsNode& a, ast::ExprId returns);
  bool VisitPattern(ast::PatternId id);
  bool VisitName(ast::ExprId id);
  bool VisitLambda(ast::ExprId id);
  bool VisitComprehension(ast::ExprId id, NameId scope_name,
                          ast::Seq<ast::ComprehensionId> generators, ast::ExprId elt,
                          ast::ExprId value);
  bool VisitComprehensionClause(ast::ComprehensionId id);
  bool HandleNamedExpr(ast::ExprId id);
  bool ExtendNamedExprScope(ast::ExprId target);
  bool RaiseIfAnnotationBlock(const char* what, const ast::ExprNode& e);
  bool RaiseIfComprehensionBlock(const ast::ExprNode& e);

  ast::Ast& ast_;
  bool future_annotations_;
  Diagnostics& diag_;
  SymbolTable& table_;
  int depth_;
  int limit_;

  std::vector<EntryWork> work_;
  std::vector<std::vector<Directive>>* directives_ = nullptr;
  std::vector<uint32_t> stack_;
  uint32_t cur_ = 0;
  std::string_view private_;  // current class name, as written

  NameId top_name_, lambda_name_, genexpr_name_, listcomp_name_, setcomp_name_,
      dictcomp_name_, annotation_name_, class_name_, implicit_arg_name_, super_name_;
};

NameId Builder::Mangled(NameId id) { return MangledName(table_.names(), private_, id); }

bool Builder::EnterDepth() {
  if (++depth_ > limit_) {
    return diag_.Error(Diagnostic{ErrorClass::RecursionError, kRecursionMessage, 0, -1, 0, -1,
                                  std::nullopt});
  }
  return true;
}

bool Builder::EnterBlock(NameId name, BlockType type, KeyKind key_kind, uint32_t key, Loc loc) {
  auto index = static_cast<uint32_t>(table_.entries.size());
  Entry& e = table_.entries.emplace_back();
  e.symbols.reserve(8);
  e.type = type;
  e.key_kind = key_kind;
  e.key = key;
  e.name = name;
  e.lineno = loc.lineno;
  e.col_offset = loc.col;
  e.end_lineno = loc.end_lineno;
  e.end_col_offset = loc.end_col;
  EntryWork& w = work_.emplace_back();
  directives_->emplace_back();
  bool has_prev = !stack_.empty();
  if (has_prev) {
    const Entry& prev = table_.entries[cur_];
    e.nested = prev.nested || prev.type == BlockType::Function;
    w.comp_iter_expr = work_[cur_].comp_iter_expr;
  }
  uint32_t prev = cur_;
  stack_.push_back(index);
  cur_ = index;
  if (type == BlockType::Annotation) return true;  // nobody's child
  if (has_prev) table_.entries[prev].children.push_back(index);
  return true;
}

void Builder::ExitBlock() {
  stack_.pop_back();
  cur_ = stack_.empty() ? 0 : stack_.back();
}

uint32_t Builder::LookupFlags(uint32_t entry, NameId mangled) const {
  const Entry& e = table_.entries[entry];
  const uint32_t pos = e.Find(mangled);
  return pos == IdPositions::kAbsent ? 0 : e.symbols[pos].flags;
}

bool Builder::AddDefIn(uint32_t entry, NameId mangled, uint32_t flag, Loc loc, NameId shown) {
  if (shown.IsNone()) shown = mangled;
  Entry& e = table_.entries[entry];
  const uint32_t pos = e.Find(mangled);
  const bool inserted = pos == IdPositions::kAbsent;
  uint32_t val = flag;
  if (!inserted) {
    uint32_t old = e.symbols[pos].flags;
    if ((flag & kDefParam) && (old & kDefParam))
      return FailAddDef("duplicate argument '{}' in function definition", shown, loc);
    val = old | flag;
  }
  if (work_[entry].comp_iter_target) {
    if (val & (kDefGlobal | kDefNonlocal)) {
      return FailAddDef(
          "comprehension inner loop cannot rebind assignment expression target '{}'", shown,
          loc);
    }
    val |= kDefCompIter;
  }
  if (inserted) {
    e.AddSymbol(Symbol{mangled, val, Scope::Unresolved});
  } else {
    e.symbols[pos].flags = val;
  }
  if (flag & kDefParam) {
    e.varnames.push_back(mangled);
  } else if ((flag & kDefGlobal) && entry != 0) {
    // A global declaration also marks the name in the module's table.
    Entry& module = table_.entries[0];
    const uint32_t gpos = module.Find(mangled);
    if (gpos == IdPositions::kAbsent) {
      module.AddSymbol(Symbol{mangled, flag, Scope::Unresolved});
    } else {
      module.symbols[gpos].flags |= flag;
    }
  }
  return true;
}

bool Builder::Run(std::vector<std::vector<Directive>>& directives) {
  directives_ = &directives;
  const ast::ModNode& mod = ast_[ast_.root];
  EnterBlock(top_name_, BlockType::Module, KeyKind::Module, 0, Loc{0, 0, 0, 0});
  bool ok = true;
  switch (mod.kind) {
    case ast::ModKind::Module: ok = VisitStmts(mod.Module.body); break;
    case ast::ModKind::Interactive: ok = VisitStmts(mod.Interactive.body); break;
    case ast::ModKind::Expression: ok = VisitExpr(mod.Expression.body); break;
    case ast::ModKind::FunctionType: break;
  }
  ExitBlock();
  return ok;
}

bool Builder::VisitStmts(ast::Seq<ast::StmtId> seq) {
  for (ast::StmtId id : ast_[seq])
    if (!VisitStmt(id)) return false;
  return true;
}

bool Builder::VisitExprs(ast::Seq<ast::ExprId> seq) {
  for (ast::ExprId id : ast_[seq])
    if (!VisitOptExpr(id)) return false;  // dict keys and kw_defaults hold Nones
  return true;
}

bool Builder::VisitStmt(ast::StmtId id) {
  if (!EnterDepth()) return false;
  const ast::StmtNode& s = ast_[id];
  bool ok = true;
  switch (s.kind) {
    case StmtKind::FunctionDef: ok = VisitFunctionDef(id, false); break;
    case StmtKind::AsyncFunctionDef: ok = VisitFunctionDef(id, true); break;
    case StmtKind::ClassDef: ok = VisitClassDef(id); break;
    case StmtKind::Return:
      if (!s.Return.value.IsNone()) {
        ok = VisitExpr(s.Return.value);
        Cur().returns_value = true;
      }
      break;
    case StmtKind::Delete: ok = VisitExprs(s.Delete.targets); break;
    case StmtKind::Assign: ok = VisitExprs(s.Assign.targets) && VisitExpr(s.Assign.value); break;
    case StmtKind::AnnAssign: ok = VisitAnnAssign(s); break;
    case StmtKind::AugAssign:
      ok = VisitExpr(s.AugAssign.target) && VisitExpr(s.AugAssign.value);
      break;
    case StmtKind::For:
      ok = VisitExpr(s.For.target) && VisitExpr(s.For.iter) && VisitStmts(s.For.body) &&
           VisitStmts(s.For.orelse);
      break;
    case StmtKind::AsyncFor:
      ok = VisitExpr(s.AsyncFor.target) && VisitExpr(s.AsyncFor.iter) &&
           VisitStmts(s.AsyncFor.body) && VisitStmts(s.AsyncFor.orelse);
      break;
    case StmtKind::While:
      ok = VisitExpr(s.While.test) && VisitStmts(s.While.body) && VisitStmts(s.While.orelse);
      break;
    case StmtKind::If:
      ok = VisitExpr(s.If.test) && VisitStmts(s.If.body) && VisitStmts(s.If.orelse);
      break;
    case StmtKind::With:
    case StmtKind::AsyncWith: {
      auto items = s.kind == StmtKind::With ? s.With.items : s.AsyncWith.items;
      for (ast::WithItemId w : ast_[items]) {
        if (!VisitExpr(ast_[w].context_expr) || !VisitOptExpr(ast_[w].optional_vars)) {
          ok = false;
          break;
        }
      }
      if (ok) ok = VisitStmts(s.kind == StmtKind::With ? s.With.body : s.AsyncWith.body);
      break;
    }
    case StmtKind::Match:
      ok = VisitExpr(s.Match.subject);
      for (ast::MatchCaseId c : ast_[s.Match.cases]) {
        if (!ok) break;
        const ast::MatchCaseNode& mc = ast_[c];
        ok = VisitPattern(mc.pattern) && VisitOptExpr(mc.guard) && VisitStmts(mc.body);
      }
      break;
    case StmtKind::Raise: ok = VisitOptExpr(s.Raise.exc) && VisitOptExpr(s.Raise.cause); break;
    case StmtKind::Try:
      ok = VisitStmts(s.Try.body) && VisitStmts(s.Try.orelse);
      for (ast::ExceptHandlerId h : ast_[s.Try.handlers]) {
        if (!ok) break;
        const ast::ExceptHandlerNode& eh = ast_[h];
        ok = VisitOptExpr(eh.ExceptHandler.type);
        if (ok && !eh.ExceptHandler.name.IsNone())
          ok = AddAstDef(eh.ExceptHandler.name, kDefLocal, LocOf(eh.pos));
        if (ok) ok = VisitStmts(eh.ExceptHandler.body);
      }
      if (ok) ok = VisitStmts(s.Try.finalbody);
      break;
    case StmtKind::Assert: ok = VisitExpr(s.Assert.test) && VisitOptExpr(s.Assert.msg); break;
    case StmtKind::Import:
      for (ast::AliasId a : ast_[s.Import.names])
        if (!(ok = VisitAlias(a))) break;
      break;
    case StmtKind::ImportFrom:
      for (ast::AliasId a : ast_[s.ImportFrom.names])
        if (!(ok = VisitAlias(a))) break;
      break;
    case StmtKind::Global: ok = VisitGlobalOrNonlocal(s, true); break;
    case StmtKind::Nonlocal: ok = VisitGlobalOrNonlocal(s, false); break;
    case StmtKind::Expr: ok = VisitExpr(s.Expr.value); break;
    case StmtKind::Pass:
    case StmtKind::Break:
    case StmtKind::Continue: break;
  }
  LeaveDepth();
  return ok;
}

bool Builder::VisitFunctionDef(ast::StmtId id, bool is_async) {
  const ast::StmtNode& s = ast_[id];
  NameId name = is_async ? s.AsyncFunctionDef.name : s.FunctionDef.name;
  const ast::ArgumentsNode& args = ast_[is_async ? s.AsyncFunctionDef.args : s.FunctionDef.args];
  ast::ExprId returns = is_async ? s.AsyncFunctionDef.returns : s.FunctionDef.returns;
  auto decorators = is_async ? s.AsyncFunctionDef.decorator_list : s.FunctionDef.decorator_list;
  auto body = is_async ? s.AsyncFunctionDef.body : s.FunctionDef.body;
  Loc loc = LocOf(s.pos);
  if (!AddAstDef(name, kDefLocal, loc)) return false;
  if (!VisitExprs(args.defaults) || !VisitExprs(args.kw_defaults)) return false;
  if (!VisitAnnotations(id, args, returns)) return false;
  if (!VisitExprs(decorators)) return false;
  EnterBlock(name, BlockType::Function, KeyKind::Stmt, id.index, loc);
  if (is_async) Cur().coroutine = true;
  bool ok = VisitArguments(args) && VisitStmts(body);
  ExitBlock();
  return ok;
}

bool Builder::VisitClassDef(ast::StmtId id) {
  const ast::StmtNode& s = ast_[id];
  const ast::ClassDefFields& c = s.ClassDef;
  Loc loc = LocOf(s.pos);
  if (!AddAstDef(c.name, kDefLocal, loc)) return false;
  if (!VisitExprs(c.bases)) return false;
  for (ast::KeywordId k : ast_[c.keywords])
    if (!VisitExpr(ast_[k].value)) return false;
  if (!VisitExprs(c.decorator_list)) return false;
  EnterBlock(c.name, BlockType::Class, KeyKind::Stmt, id.index, loc);
  std::string_view saved = private_;
  private_ = ast_.Spelling(c.name);
  bool ok = VisitStmts(c.body);
  private_ = saved;
  ExitBlock();
  return ok;
}

bool Builder::VisitAnnAssign(const ast::StmtNode& s) {
  const ast::AnnAssignFields& a = s.AnnAssign;
  const ast::ExprNode& target = ast_[a.target];
  if (target.kind == ExprKind::Name) {
    NameId name = Mangled(target.Name.id);
    uint32_t cur = LookupFlags(cur_, name);
    if ((cur & (kDefGlobal | kDefNonlocal)) && cur_ != 0 && a.simple) {
      return Fail(fmt::format("annotated name '{}' can't be {}", ast_.Spelling(target.Name.id),
                              (cur & kDefGlobal) ? "global" : "nonlocal"),
                  LocOf(s.pos));
    }
    if (a.simple && !AddDef(name, kDefAnnot | kDefLocal, LocOf(target.pos))) return false;
    if (!a.value.IsNone() && !AddDef(name, kDefLocal, LocOf(target.pos))) return false;
  } else if (!VisitExpr(a.target)) {
    return false;
  }
  if (!VisitAnnotation(a.annotation)) return false;
  return VisitOptExpr(a.value);
}

bool Builder::VisitGlobalOrNonlocal(const ast::StmtNode& s, bool global) {
  auto names = global ? s.Global.names : s.Nonlocal.names;
  const char* kind = global ? "global" : "nonlocal";
  for (NameId ast_name : ast_[names]) {
    NameId name = Mangled(ast_name);
    uint32_t cur = LookupFlags(cur_, name);
    if (cur & (kDefParam | kDefLocal | kUse | kDefAnnot)) {
      std::string_view spelled = ast_.Spelling(ast_name);
      std::string msg;
      if (cur & kDefParam) {
        msg = fmt::format("name '{}' is parameter and {}", spelled, kind);
      } else if (cur & kUse) {
        msg = fmt::format("name '{}' is used prior to {} declaration", spelled, kind);
      } else if (cur & kDefAnnot) {
        msg = fmt::format("annotated name '{}' can't be {}", spelled, kind);
      } else {
        msg = fmt::format("name '{}' is assigned to before {} declaration", spelled, kind);
      }
      return Fail(std::move(msg), LocOf(s.pos));
    }
    if (!AddDef(name, global ? kDefGlobal : kDefNonlocal, LocOf(s.pos))) return false;
    RecordDirective(name, LocOf(s.pos));
  }
  return true;
}

bool Builder::VisitAlias(ast::AliasId id) {
  const ast::AliasNode& a = ast_[id];
  NameId bound = a.asname.IsNone() ? a.name : a.asname;
  std::string_view spelling = ast_.Spelling(bound);
  if (spelling == "*") {
    if (Cur().type != BlockType::Module)
      return Fail("import * only allowed at module level", LocOf(a.pos));
    return true;
  }
  size_t dot = spelling.find('.');
  if (dot == std::string_view::npos) return AddAstDef(bound, kDefImport, LocOf(a.pos));
  std::string_view head = spelling.substr(0, dot);
  return AddDef(Intern(Mangle(private_, head)), kDefImport, LocOf(a.pos));
}

bool Builder::VisitParams(ast::Seq<ast::ArgId> args) {
  for (ast::ArgId a : ast_[args])
    if (!AddAstDef(ast_[a].arg, kDefParam, LocOf(ast_[a].pos))) return false;
  return true;
}

bool Builder::VisitArguments(const ast::ArgumentsNode& a) {
  if (!VisitParams(a.posonlyargs) || !VisitParams(a.args) || !VisitParams(a.kwonlyargs))
    return false;
  if (!a.vararg.IsNone()) {
    if (!AddAstDef(ast_[a.vararg].arg, kDefParam, LocOf(ast_[a.vararg].pos))) return false;
    Cur().varargs = true;
  }
  if (!a.kwarg.IsNone()) {
    if (!AddAstDef(ast_[a.kwarg].arg, kDefParam, LocOf(ast_[a.kwarg].pos))) return false;
    Cur().varkeywords = true;
  }
  return true;
}

bool Builder::VisitAnnotation(ast::ExprId annotation) {
  if (future_annotations_) {
    const ast::ExprNode& e = ast_[annotation];
    EnterBlock(annotation_name_, BlockType::Annotation, KeyKind::Expr, annotation.index,
               LocOf(e.pos));
  }
  bool ok = VisitExpr(annotation);
  if (future_annotations_) ExitBlock();
  return ok;
}

bool Builder::VisitArgAnnotations(ast::Seq<ast::ArgId> args) {
  for (ast::ArgId a : ast_[args])
    if (!VisitOptExpr(ast_[a].annotation)) return false;
  return true;
}

bool Builder::VisitAnnotations(ast::StmtId id, const ast::ArgumentsNode& a, ast::ExprId returns) {
  if (future_annotations_) {
    EnterBlock(annotation_name_, BlockType::Annotation, KeyKind::Stmt, id.index,
               LocOf(ast_[id].pos));
  }
  bool ok = VisitArgAnnotations(a.posonlyargs) && VisitArgAnnotations(a.args) &&
            (a.vararg.IsNone() || VisitOptExpr(ast_[a.vararg].annotation)) &&
            (a.kwarg.IsNone() || VisitOptExpr(ast_[a.kwarg].annotation)) &&
            VisitArgAnnotations(a.kwonlyargs);
  if (future_annotations_) ExitBlock();
  if (!ok) return false;
  return returns.IsNone() || VisitAnnotation(returns);
}

bool Builder::VisitPattern(ast::PatternId id) {
  if (!EnterDepth()) return false;
  const ast::PatternNode& p = ast_[id];
  bool ok = true;
  auto visit_all = [&](ast::Seq<ast::PatternId> seq) {
    for (ast::PatternId q : ast_[seq])
      if (!VisitPattern(q)) return false;
    return true;
  };
  switch (p.kind) {
    case ast::PatternKind::MatchValue: ok = VisitExpr(p.MatchValue.value); break;
    case ast::PatternKind::MatchSingleton: break;
    case ast::PatternKind::MatchSequence: ok = visit_all(p.MatchSequence.patterns); break;
    case ast::PatternKind::MatchStar:
      if (!p.MatchStar.name.IsNone()) ok = AddAstDef(p.MatchStar.name, kDefLocal, LocOf(p.pos));
      break;
    case ast::PatternKind::MatchMapping:
      ok = VisitExprs(p.MatchMapping.keys) && visit_all(p.MatchMapping.patterns);
      if (ok && !p.MatchMapping.rest.IsNone())
        ok = AddAstDef(p.MatchMapping.rest, kDefLocal, LocOf(p.pos));
      break;
    case ast::PatternKind::MatchClass:
      ok = VisitExpr(p.MatchClass.cls) && visit_all(p.MatchClass.patterns) &&
           visit_all(p.MatchClass.kwd_patterns);
      break;
    case ast::PatternKind::MatchAs:
      if (!p.MatchAs.pattern.IsNone()) ok = VisitPattern(p.MatchAs.pattern);
      if (ok && !p.MatchAs.name.IsNone()) ok = AddAstDef(p.MatchAs.name, kDefLocal, LocOf(p.pos));
      break;
    case ast::PatternKind::MatchOr: ok = visit_all(p.MatchOr.patterns); break;
  }
  LeaveDepth();
  return ok;
}

bool Builder::RaiseIfAnnotationBlock(const char* what, const ast::ExprNode& e) {
  if (Cur().type != BlockType::Annotation) return true;
  return Fail(fmt::format("'{}' can not be used within an annotation", what), LocOf(e.pos));
}

bool Builder::RaiseIfComprehensionBlock(const ast::ExprNode& e) {
  const char* msg = "'yield' inside generator expression";
  switch (Cur().comprehension) {
    case ComprehensionKind::List: msg = "'yield' inside list comprehension"; break;
    case ComprehensionKind::Set: msg = "'yield' inside set comprehension"; break;
    case ComprehensionKind::Dict: msg = "'yield' inside dict comprehension"; break;
    case ComprehensionKind::Generator:
    case ComprehensionKind::None: break;
  }
  return Fail(msg, LocOf(e.pos));
}

bool Builder::VisitName(ast::ExprId id) {
  const ast::ExprNode& e = ast_[id];
  bool load = e.Name.ctx == ast::ExprContext::Load;
  if (!AddAstDef(e.Name.id, load ? kUse : kDefLocal, LocOf(e.pos))) return false;
  // super() needs the __class__ cell.
  if (load && e.Name.id == super_name_ && Cur().type == BlockType::Function)
    return AddDef(class_name_, kUse, LocOf(e.pos));
  return true;
}

bool Builder::VisitLambda(ast::ExprId id) {
  const ast::ExprNode& e = ast_[id];
  const ast::ArgumentsNode& args = ast_[e.Lambda.args];
  if (!VisitExprs(args.defaults) || !VisitExprs(args.kw_defaults)) return false;
  EnterBlock(lambda_name_, BlockType::Function, KeyKind::Expr, id.index, LocOf(e.pos));
  bool ok = VisitArguments(args) && VisitExpr(e.Lambda.body);
  ExitBlock();
  return ok;
}

bool Builder::VisitComprehensionClause(ast::ComprehensionId id) {
  const ast::ComprehensionNode& c = ast_[id];
  CurWork().comp_iter_target = true;
  bool ok = VisitExpr(c.target);
  CurWork().comp_iter_target = false;
  if (!ok) return false;
  CurWork().comp_iter_expr++;
  ok = VisitExpr(c.iter);
  CurWork().comp_iter_expr--;
  if (!ok || !VisitExprs(c.ifs)) return false;
  if (c.is_async) Cur().coroutine = true;
  return true;
}

bool Builder::VisitComprehension(ast::ExprId id, NameId scope_name,
                                 ast::Seq<ast::ComprehensionId> generators, ast::ExprId elt,
                                 ast::ExprId value) {
  const ast::ExprNode& e = ast_[id];
  auto gens = ast_[generators];
  if (gens.empty()) return true;  // the parser never builds this
  const ast::ComprehensionNode& outermost = ast_[gens[0]];
  // The outermost iterable is evaluated in the enclosing scope.
  CurWork().comp_iter_expr++;
  bool ok = VisitExpr(outermost.iter);
  CurWork().comp_iter_expr--;
  if (!ok) return false;
  EnterBlock(scope_name, BlockType::Function, KeyKind::Expr, id.index, LocOf(e.pos));
  switch (e.kind) {
    case ExprKind::ListComp: Cur().comprehension = ComprehensionKind::List; break;
    case ExprKind::SetComp: Cur().comprehension = ComprehensionKind::Set; break;
    case ExprKind::DictComp: Cur().comprehension = ComprehensionKind::Dict; break;
    default: Cur().comprehension = ComprehensionKind::Generator; break;
  }
  if (outermost.is_async) Cur().coroutine = true;
  // The outermost iterator arrives as the implicit argument ".0".
  ok = AddDef(implicit_arg_name_, kDefParam, LocOf(e.pos));
  if (ok) {
    CurWork().comp_iter_target = true;
    ok = VisitExpr(outermost.target);
    CurWork().comp_iter_target = false;
  }
  if (ok) ok = VisitExprs(outermost.ifs);
  for (size_t i = 1; ok && i < gens.size(); ++i) ok = VisitComprehensionClause(gens[i]);
  if (ok) ok = VisitOptExpr(value);
  if (ok) ok = VisitExpr(elt);
  if (ok && e.kind == ExprKind::GeneratorExp) Cur().generator = true;
  ExitBlock();
  return ok;
}

bool Builder::ExtendNamedExprScope(ast::ExprId target_id) {
  const ast::ExprNode& target = ast_[target_id];
  NameId name = target.Name.id;  // CPython looks the target up unmangled
  Loc loc = LocOf(target.pos);
  for (size_t i = stack_.size(); i-- > 0;) {
    uint32_t index = stack_[i];
    const Entry& ste = table_.entries[index];
    if (ste.comprehension != ComprehensionKind::None) {
      if (LookupFlags(index, name) & kDefCompIter) {
        return Fail(fmt::format("assignment expression cannot rebind comprehension iteration "
                                "variable '{}'",
                                ast_.Spelling(target.Name.id)),
                    loc);
      }
      continue;
    }
    switch (ste.type) {
      case BlockType::Function: {
        uint32_t flag = (LookupFlags(index, name) & kDefGlobal) ? kDefGlobal : kDefNonlocal;
        if (!AddDef(name, flag, loc)) return false;
        RecordDirective(name, loc);
        return AddDefIn(index, name, kDefLocal, loc);
      }
      case BlockType::Module:
        if (!AddDef(name, kDefGlobal, loc)) return false;
        RecordDirective(name, loc);
        return AddDefIn(index, name, kDefGlobal, loc);
      case BlockType::Class:
        return Fail("assignment expression within a comprehension cannot be used in a class "
                    "body",
                    loc);
      case BlockType::Annotation: break;
    }
  }
  return true;
}

bool Builder::HandleNamedExpr(ast::ExprId id) {
  const ast::ExprNode& e = ast_[id];
  if (CurWork().comp_iter_expr > 0) {
    return Fail("assignment expression cannot be used in a comprehension iterable expression",
                LocOf(e.pos));
  }
  if (Cur().comprehension != ComprehensionKind::None &&
      !ExtendNamedExprScope(e.NamedExpr.target))
    return false;
  return VisitExpr(e.NamedExpr.value) && VisitExpr(e.NamedExpr.target);
}

bool Builder::VisitExpr(ast::ExprId id) {
  if (!EnterDepth()) return false;
  const ast::ExprNode& e = ast_[id];
  bool ok = true;
  switch (e.kind) {
    case ExprKind::NamedExpr:
      ok = RaiseIfAnnotationBlock("named expression", e) && HandleNamedExpr(id);
      break;
    case ExprKind::BoolOp: ok = VisitExprs(e.BoolOp.values); break;
    case ExprKind::BinOp: ok = VisitExpr(e.BinOp.left) && VisitExpr(e.BinOp.right); break;
    case ExprKind::UnaryOp: ok = VisitExpr(e.UnaryOp.operand); break;
    case ExprKind::Lambda: ok = VisitLambda(id); break;
    case ExprKind::IfExp:
      ok = VisitExpr(e.IfExp.test) && VisitExpr(e.IfExp.body) && VisitExpr(e.IfExp.orelse);
      break;
    case ExprKind::Dict: ok = VisitExprs(e.Dict.keys) && VisitExprs(e.Dict.values); break;
    case ExprKind::Set: ok = VisitExprs(e.Set.elts); break;
    case ExprKind::ListComp:
      ok = VisitComprehension(id, listcomp_name_, e.ListComp.generators, e.ListComp.elt, {});
      break;
    case ExprKind::SetComp:
      ok = VisitComprehension(id, setcomp_name_, e.SetComp.generators, e.SetComp.elt, {});
      break;
    case ExprKind::DictComp:
      ok = VisitComprehension(id, dictcomp_name_, e.DictComp.generators, e.DictComp.key,
                              e.DictComp.value);
      break;
    case ExprKind::GeneratorExp:
      ok = VisitComprehension(id, genexpr_name_, e.GeneratorExp.generators, e.GeneratorExp.elt,
                              {});
      break;
    case ExprKind::Yield:
      ok = RaiseIfAnnotationBlock("yield expression", e) && VisitOptExpr(e.Yield.value);
      if (ok) {
        Cur().generator = true;
        if (Cur().comprehension != ComprehensionKind::None) ok = RaiseIfComprehensionBlock(e);
      }
      break;
    case ExprKind::YieldFrom:
      ok = RaiseIfAnnotationBlock("yield expression", e) && VisitExpr(e.YieldFrom.value);
      if (ok) {
        Cur().generator = true;
        if (Cur().comprehension != ComprehensionKind::None) ok = RaiseIfComprehensionBlock(e);
      }
      break;
    case ExprKind::Await:
      ok = RaiseIfAnnotationBlock("await expression", e) && VisitExpr(e.Await.value);
      if (ok) Cur().coroutine = true;
      break;
    case ExprKind::Compare:
      ok = VisitExpr(e.Compare.left) && VisitExprs(e.Compare.comparators);
      break;
    case ExprKind::Call:
      ok = VisitExpr(e.Call.func) && VisitExprs(e.Call.args);
      for (ast::KeywordId k : ast_[e.Call.keywords]) {
        if (!ok) break;
        ok = VisitExpr(ast_[k].value);
      }
      break;
    case ExprKind::FormattedValue:
      ok = VisitExpr(e.FormattedValue.value) && VisitOptExpr(e.FormattedValue.format_spec);
      break;
    case ExprKind::JoinedStr: ok = VisitExprs(e.JoinedStr.values); break;
    case ExprKind::Constant: break;
    case ExprKind::Attribute: ok = VisitExpr(e.Attribute.value); break;
    case ExprKind::Subscript:
      ok = VisitExpr(e.Subscript.value) && VisitExpr(e.Subscript.slice);
      break;
    case ExprKind::Starred: ok = VisitExpr(e.Starred.value); break;
    case ExprKind::Slice:
      ok = VisitOptExpr(e.Slice.lower) && VisitOptExpr(e.Slice.upper) &&
           VisitOptExpr(e.Slice.step);
      break;
    case ExprKind::Name: ok = VisitName(id); break;
    case ExprKind::List: ok = VisitExprs(e.List.elts); break;
    case ExprKind::Tuple: ok = VisitExprs(e.Tuple.elts); break;
  }
  LeaveDepth();
  return ok;
}

}  // namespace

std::unique_ptr<SymbolTable> Build(ast::Ast& tree, uint32_t future_features,
                                   Diagnostics& diag, const BuildOptions& options) {
  auto table = std::make_unique<SymbolTable>(tree.names());
  std::vector<std::vector<Directive>> directives;
  {
    Builder builder(tree, future_features, diag, options, *table);
    if (!builder.Run(directives)) return nullptr;
  }
  if (!Analyze(*table, directives, diag)) return nullptr;
  for (uint32_t i = 0; i < table->entries.size(); ++i) {
    Entry& e = table->entries[i];
    if (e.type == BlockType::Annotation) continue;
    if (e.key_kind == KeyKind::Stmt) table->stmt_keys.emplace_back(e.key, i);
    if (e.key_kind == KeyKind::Expr) table->expr_keys.emplace_back(e.key, i);
  }
  std::sort(table->stmt_keys.begin(), table->stmt_keys.end());
  std::sort(table->expr_keys.begin(), table->expr_keys.end());
  return table;
}

}  // namespace xpyc::symtable
