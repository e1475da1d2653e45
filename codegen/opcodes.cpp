#include "codegen/opcodes.h"

#include <array>

namespace xpyc::codegen {
namespace {

struct OpcodeInfo {
  std::string_view name;
  uint16_t flags = 0;
};

constexpr std::array<OpcodeInfo, 256> MakeTable() {
  std::array<OpcodeInfo, 256> table{};
#define XPYC_OPCODE(name, number, flags) table[number] = {#name, flags};
#include "codegen/opcodes.def"
#undef XPYC_OPCODE
  return table;
}

constexpr std::array<OpcodeInfo, 256> kOpcodes = MakeTable();

}  // namespace

std::string_view OpcodeName(uint8_t op) { return kOpcodes[op].name; }
uint16_t OpcodeFlags(uint8_t op) { return kOpcodes[op].flags; }

}  // namespace xpyc::codegen
