// The second pass of the symbol table (symtable.c's analyze_block and
// friends): decide each name's scope from the facts the first pass recorded.
//
// CPython hands every child block fresh copies of the "bound" and "global"
// name sets. Here the sets are one pair of flag arrays indexed by name, and
// a block's changes are logged and undone when its children are done, so
// the pass stays linear in the number of symbols.
#include <fmt/format.h>

#include "codegen/symtable_internal.h"

namespace xpyc::symtable {
namespace {

class Analyzer {
 public:
  Analyzer(SymbolTable& table, const std::vector<std::vector<Directive>>& directives,
           Diagnostics& diag)
      : table_(table), directives_(directives), diag_(diag) {
    size_t n = table.names().size();
    bound_.assign(n, 0);
    global_.assign(n, 0);
    seen_.assign(n, 0);
    class_name_ = table.names().Intern("__class__");
  }

  bool Run() {
    std::vector<uint32_t> free;
    return AnalyzeBlock(0, /*bound_null=*/true, free);
  }

 private:
  bool ErrorAtDirective(uint32_t entry, NameId name, std::string message) {
    Diagnostic d{ErrorClass::SyntaxError, std::move(message), 0, -1, 0, -1, std::nullopt};
    for (const Directive& dir : directives_[entry]) {
      if (dir.name == name) {
        d.lineno = dir.lineno;
        d.col = dir.col;
        d.end_lineno = dir.end_lineno;
        d.end_col = dir.end_col;
        break;
      }
    }
    return diag_.Error(std::move(d));
  }

  void SetView(uint32_t name, bool bound, bool global) {
    log_.push_back(Undo{name, bound_[name], global_[name]});
    bound_[name] = bound;
    global_[name] = global;
  }
  void UndoTo(size_t mark) {
    while (log_.size() > mark) {
      const Undo& u = log_.back();
      bound_[u.name] = u.bound;
      global_[u.name] = u.global;
      log_.pop_back();
    }
  }

  bool AnalyzeName(uint32_t index, Symbol& sym, bool bound_null, std::vector<uint32_t>& free);
  bool AnalyzeBlock(uint32_t index, bool bound_null, std::vector<uint32_t>& free_out);

  struct Undo {
    uint32_t name;
    uint8_t bound, global;
  };

  SymbolTable& table_;
  const std::vector<std::vector<Directive>>& directives_;
  Diagnostics& diag_;
  NameId class_name_;
  std::vector<uint8_t> bound_, global_;  // the view of the block being analysed
  std::vector<Undo> log_;
  std::vector<uint32_t> seen_;  // dedupe stamps
  uint32_t stamp_ = 0;
};

bool Analyzer::AnalyzeName(uint32_t index, Symbol& sym, bool bound_null,
                           std::vector<uint32_t>& free) {
  Entry& ste = table_.entries[index];
  uint32_t n = sym.name.index;
  std::string_view spelled = table_.Spelling(sym.name);
  if (sym.flags & kDefGlobal) {
    if (sym.flags & kDefNonlocal) {
      return ErrorAtDirective(index, sym.name,
                              fmt::format("name '{}' is nonlocal and global", spelled));
    }
    sym.scope = Scope::GlobalExplicit;
    return true;
  }
  if (sym.flags & kDefNonlocal) {
    if (bound_null) {
      return ErrorAtDirective(index, sym.name,
                              "nonlocal declaration not allowed at module level");
    }
    if (!bound_[n]) {
      return ErrorAtDirective(index, sym.name,
                              fmt::format("no binding for nonlocal '{}' found", spelled));
    }
    sym.scope = Scope::Free;
    ste.free = true;
    free.push_back(n);
    return true;
  }
  if (sym.flags & kDefBound) {
    sym.scope = Scope::Local;
    return true;
  }
  if (!bound_null && bound_[n]) {
    sym.scope = Scope::Free;
    ste.free = true;
    free.push_back(n);
    return true;
  }
  if (global_[n]) {
    sym.scope = Scope::GlobalImplicit;
    return true;
  }
  if (ste.nested) ste.free = true;
  sym.scope = Scope::GlobalImplicit;
  return true;
}

bool Analyzer::AnalyzeBlock(uint32_t index, bool bound_null, std::vector<uint32_t>& free_out) {
  BlockType type = table_.entries[index].type;
  for (Symbol& sym : table_.entries[index].symbols)
    if (!AnalyzeName(index, sym, bound_null, free_out)) return false;

  // The view the children see. Class bodies are invisible to nested scopes,
  // except for the implicit __class__ cell.
  size_t mark = log_.size();
  if (type == BlockType::Class) {
    SetView(class_name_.index, true, global_[class_name_.index]);
  } else {
    for (const Symbol& sym : table_.entries[index].symbols) {
      uint32_t n = sym.name.index;
      if (sym.scope == Scope::GlobalExplicit) {
        SetView(n, bound_null ? bound_[n] : false, true);
      } else if (sym.scope == Scope::Local) {
        SetView(n, type == BlockType::Function ? true : bound_[n], false);
      }
    }
  }
  std::vector<uint32_t> child_free;
  bool child_has_free = false;
  for (size_t i = 0; i < table_.entries[index].children.size(); ++i) {
    uint32_t child = table_.entries[index].children[i];
    std::vector<uint32_t> f;
    if (!AnalyzeBlock(child, false, f)) return false;
    child_free.insert(child_free.end(), f.begin(), f.end());
    const Entry& c = table_.entries[child];
    if (c.free || c.child_free) child_has_free = true;
  }
  UndoTo(mark);

  Entry& ste = table_.entries[index];
  if (child_has_free) ste.child_free = true;
  // Dedupe the children's free names.
  uint32_t stamp = ++stamp_;
  size_t kept = 0;
  for (uint32_t n : child_free) {
    if (seen_[n] == stamp) continue;
    seen_[n] = stamp;
    child_free[kept++] = n;
  }
  child_free.resize(kept);
  auto find = [&](uint32_t n) -> Symbol* {
    const uint32_t position = ste.Find(NameId{n});
    return position == IdPositions::kAbsent ? nullptr : &ste.symbols[position];
  };

  // A local that a child uses freely becomes a cell; a class's __class__
  // becomes the class closure.
  kept = 0;
  for (uint32_t n : child_free) {
    Symbol* sym = find(n);
    if (type == BlockType::Function && sym && sym->scope == Scope::Local) {
      sym->scope = Scope::Cell;
      continue;
    }
    if (type == BlockType::Class && n == class_name_.index) {
      ste.needs_class_closure = true;
      continue;
    }
    child_free[kept++] = n;
  }
  child_free.resize(kept);

  // Names only free in children pass through this block (update_symbols).
  for (uint32_t n : child_free) {
    if (Symbol* sym = find(n)) {
      if (type == BlockType::Class && (sym->flags & (kDefBound | kDefGlobal)))
        sym->flags |= kDefFreeClass;
      continue;
    }
    if (!bound_null && !bound_[n]) continue;  // a global
    ste.AddSymbol(Symbol{NameId{n}, 0, Scope::Free});
  }
  free_out.insert(free_out.end(), child_free.begin(), child_free.end());
  return true;
}

}  // namespace

bool Analyze(SymbolTable& table, const std::vector<std::vector<Directive>>& directives,
             Diagnostics& diag) {
  return Analyzer(table, directives, diag).Run();
}

}  // namespace xpyc::symtable
