// DumpSymtable: the text form tools/check_symtable.py compares with the
// oracle's symtable module.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "codegen/symtable.h"

namespace xpyc::symtable {
namespace {

const char* BlockTypeName(BlockType t) {
  switch (t) {
    case BlockType::Function: return "function";
    case BlockType::Class: return "class";
    case BlockType::Module: return "module";
    case BlockType::Annotation: return "annotation";
  }
  return "?";
}

void DumpEntry(const SymbolTable& table, uint32_t index, int depth, std::string& out) {
  const Entry& e = table[index];
  fmt::format_to(std::back_inserter(out), "block {} {} {} {} nested={}\n", depth,
                 BlockTypeName(e.type), table.Spelling(e.name), e.lineno, e.nested ? 1 : 0);
  // Symbols that only carry a child's free variable are added by CPython in
  // set-iteration order, which varies between runs: print them sorted.
  std::vector<const Symbol*> pass_through;
  for (const Symbol& s : e.symbols) {
    if (s.flags == 0) {
      pass_through.push_back(&s);
      continue;
    }
    fmt::format_to(std::back_inserter(out), "sym {} {} {}\n", table.Spelling(s.name), s.flags,
                   static_cast<int>(s.scope));
  }
  std::sort(pass_through.begin(), pass_through.end(), [&](const Symbol* a, const Symbol* b) {
    return table.Spelling(a->name) < table.Spelling(b->name);
  });
  for (const Symbol* s : pass_through) {
    fmt::format_to(std::back_inserter(out), "sym {} {} {}\n", table.Spelling(s->name),
                   s->flags, static_cast<int>(s->scope));
  }
  out += "varnames";
  for (NameId v : e.varnames) {
    out += ' ';
    out += table.Spelling(v);
  }
  out += '\n';
  for (uint32_t child : e.children) DumpEntry(table, child, depth + 1, out);
}

std::string CodeName(const SymbolTable& table, const Entry& e) {
  switch (e.comprehension) {
    case ComprehensionKind::List: return "<listcomp>";
    case ComprehensionKind::Set: return "<setcomp>";
    case ComprehensionKind::Dict: return "<dictcomp>";
    case ComprehensionKind::Generator: return "<genexpr>";
    case ComprehensionKind::None: break;
  }
  if (e.type == BlockType::Module) return "<module>";
  if (e.type == BlockType::Function && e.key_kind == KeyKind::Expr) return "<lambda>";
  return std::string(table.Spelling(e.name));
}

// compile.c's compute_code_flags, scope part only.
uint32_t CodeFlags(const Entry& e) {
  if (e.type != BlockType::Function) return 0;
  uint32_t flags = 0x1 | 0x2;  // CO_OPTIMIZED | CO_NEWLOCALS
  if (e.nested) flags |= 0x10;
  if (e.generator && !e.coroutine) flags |= 0x20;
  if (!e.generator && e.coroutine) flags |= 0x80;
  if (e.generator && e.coroutine) flags |= 0x200;
  if (e.varargs) flags |= 0x4;
  if (e.varkeywords) flags |= 0x8;
  return flags;
}

void DumpCode(const SymbolTable& table, uint32_t index, std::string& out) {
  const Entry& e = table[index];
  std::vector<std::string_view> cells, frees;
  for (const Symbol& s : e.symbols) {
    if (s.scope == Scope::Cell) cells.push_back(table.Spelling(s.name));
    if (s.scope == Scope::Free || (s.flags & kDefFreeClass)) frees.push_back(table.Spelling(s.name));
  }
  std::sort(cells.begin(), cells.end());
  std::sort(frees.begin(), frees.end());
  if (e.needs_class_closure) cells.insert(cells.begin(), "__class__");
  fmt::format_to(std::back_inserter(out), "code {} flags={} cellvars={} freevars={}\n",
                 CodeName(table, e), CodeFlags(e), fmt::join(cells, ","), fmt::join(frees, ","));
  for (uint32_t child : e.children) DumpCode(table, child, out);
}

}  // namespace

std::string DumpCodeFacts(const SymbolTable& table) {
  std::string out;
  if (!table.entries.empty()) DumpCode(table, 0, out);
  return out;
}

std::string DumpSymtable(const SymbolTable& table) {
  std::string out;
  if (!table.entries.empty()) DumpEntry(table, 0, 0, out);
  return out;
}

}  // namespace xpyc::symtable
