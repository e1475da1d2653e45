#include "codegen/opcodes.h"

#include <array>

namespace xpyc::codegen {
namespace {

constexpr std::array<std::string_view, 256> MakeNameTable() {
  std::array<std::string_view, 256> names{};
#define XPYC_OPCODE(name, number, flags) names[number] = #name;
#include "codegen/opcodes.def"
#undef XPYC_OPCODE
  return names;
}

constexpr std::array<std::string_view, 256> kOpcodeNames = MakeNameTable();

}  // namespace

std::string_view OpcodeName(uint8_t op) { return kOpcodeNames[op]; }

}  // namespace xpyc::codegen
