// DumpSymtable: the text form tools/check_symtable.py compares with the
// oracle's symtable module.
#include <algorithm>

#include <fmt/format.h>

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

}  // namespace

std::string DumpSymtable(const SymbolTable& table) {
  std::string out;
  if (!table.entries.empty()) DumpEntry(table, 0, 0, out);
  return out;
}

}  // namespace xpyc::symtable
