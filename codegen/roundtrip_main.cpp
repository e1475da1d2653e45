// Re-assembles the oracle's decoded code objects (see tools/codegen_roundtrip.py)
// with the codegen back end and compares co_code, co_linetable and
// co_stacksize. Prints the first mismatches and a summary line.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "codegen/unit.h"

namespace xpyc::codegen {
namespace {

struct DecodedInstr {
  int op, arg, target, line;
};

struct DecodedCode {
  std::string file, name;
  int flags = 0, firstlineno = 0, nconsts = 0, nvarnames = 0, ncellvars = 0, nfreevars = 0;
  std::vector<DecodedInstr> instrs;
  std::string code_hex, linetable_hex;
  int stacksize = 0;
};

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool EndsBlock(Opcode op) {
  const uint16_t flags = OpcodeFlags(static_cast<uint8_t>(op));
  return (flags & (kJumpRelative | kJumpAbsolute)) != 0 || op == Opcode::RETURN_VALUE ||
         op == Opcode::RAISE_VARARGS || op == Opcode::RERAISE;
}

// Rebuilds blocks: one starts at every jump target and after every jump or
// scope exit. The generator prefix is left to the assembler.
AssembledCode Reassemble(const DecodedCode& d, marshal::Heap& heap, ConstCache& cache) {
  CodeInfo info;
  info.name = d.name;
  info.flags = d.flags;
  info.firstlineno = d.firstlineno;
  Unit u(cache, info);
  for (int i = 0; i < d.nconsts; ++i) u.AddConst(heap.Int(1000000 + i));
  for (int i = 0; i < d.nvarnames; ++i) u.varnames().Add(fmt::format("v{}", i));
  for (int i = 0; i < d.ncellvars; ++i) u.cellvars().Add(fmt::format("c{}", i));
  for (int i = 0; i < d.nfreevars; ++i) u.freevars().Add(fmt::format("f{}", i));

  std::size_t first = 0;
  if (!d.instrs.empty() && d.instrs[0].op == static_cast<int>(Opcode::GEN_START)) first = 1;
  std::vector<bool> starts(d.instrs.size() + 1, false);
  for (const DecodedInstr& in : d.instrs) {
    if (in.target >= 0) starts[static_cast<std::size_t>(in.target)] = true;
  }
  std::vector<BlockId> block_at(d.instrs.size() + 1);
  for (std::size_t i = first; i < d.instrs.size(); ++i) {
    if (starts[i] && i != first) block_at[i] = u.NewBlock();
  }
  if (first < d.instrs.size() && starts[first]) {
    block_at[first] = u.NextBlock();  // a loop back to the very start
  }
  for (std::size_t i = first; i < d.instrs.size(); ++i) {
    const DecodedInstr& in = d.instrs[i];
    if (i != first && starts[i]) u.UseNextBlock(block_at[i]);
    const auto op = static_cast<Opcode>(in.op);
    BlockId target;
    if (in.target >= 0) target = block_at[static_cast<std::size_t>(in.target)];
    u.AddOpAt(op, in.arg, target, in.line);
    if (EndsBlock(op) && (i + 1 == d.instrs.size() || !starts[i + 1])) u.NextBlock();
  }
  return AssembleParts(u, /*add_none=*/true);
}

bool ReadLine(std::FILE* in, std::string& line) {
  line.clear();
  int c;
  while ((c = std::fgetc(in)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  return c != EOF || !line.empty();
}

}  // namespace
}  // namespace xpyc::codegen

int main(int argc, char** argv) {
  using namespace xpyc::codegen;
  int max_report = argc > 1 ? std::atoi(argv[1]) : 10;
  std::string line, file;
  DecodedCode d;
  long total = 0, same = 0, code_diff = 0, table_diff = 0, stack_diff = 0;
  while (ReadLine(stdin, line)) {
    if (line.empty()) continue;
    if (line[0] == 'F') {
      file = line.substr(2);
    } else if (line[0] == 'C') {
      d = DecodedCode{};
      d.file = file;
      int used = 0;
      std::sscanf(line.c_str(), "C %d %d %d %d %d %d %n", &d.flags, &d.firstlineno, &d.nconsts,
                  &d.nvarnames, &d.ncellvars, &d.nfreevars, &used);
      d.name = line.substr(static_cast<std::size_t>(used));
    } else if (line[0] == 'I') {
      DecodedInstr in{};
      std::sscanf(line.c_str(), "I %d %d %d %d", &in.op, &in.arg, &in.target, &in.line);
      d.instrs.push_back(in);
    } else if (line[0] == 'X') {
      std::string rest = line.substr(2);
      const auto sp1 = rest.find(' ');
      const auto sp2 = rest.find(' ', sp1 + 1);
      d.code_hex = rest.substr(0, sp1);
      d.linetable_hex = rest.substr(sp1 + 1, sp2 - sp1 - 1);
      if (d.linetable_hex == "-") d.linetable_hex.clear();
      d.stacksize = std::atoi(rest.c_str() + sp2 + 1);
      xpyc::marshal::Heap heap;
      ConstCache cache(heap);
      const AssembledCode got = Reassemble(d, heap, cache);
      ++total;
      const bool code_ok = Hex(got.code) == d.code_hex;
      const bool table_ok = Hex(got.linetable) == d.linetable_hex;
      const bool stack_ok = got.stacksize == d.stacksize;
      code_diff += !code_ok;
      table_diff += !table_ok;
      stack_diff += !stack_ok;
      if (code_ok && table_ok && stack_ok) {
        ++same;
      } else if (max_report-- > 0) {
        fmt::print("MISMATCH {} {} (line {})\n", d.file, d.name, d.firstlineno);
        if (!code_ok) fmt::print("  code  want {}\n        got  {}\n", d.code_hex, Hex(got.code));
        if (!table_ok) {
          fmt::print("  ltab  want {}\n        got  {}\n", d.linetable_hex, Hex(got.linetable));
        }
        if (!stack_ok) fmt::print("  stack want {} got {}\n", d.stacksize, got.stacksize);
      }
    }
  }
  fmt::print("{} code objects: {} identical, {} co_code differ, {} co_linetable differ, "
             "{} co_stacksize differ\n",
             total, same, code_diff, table_diff, stack_diff);
  return same == total ? 0 : 1;
}
