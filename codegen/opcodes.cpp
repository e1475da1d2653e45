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

constexpr std::array<uint16_t, 256> MakeFlagTable() {
  std::array<uint16_t, 256> flags{};
  for (std::size_t i = 0; i < flags.size(); ++i) flags[i] = kOpcodes[i].flags;
  return flags;
}

}  // namespace

constinit const std::array<uint16_t, 256> kOpcodeFlagTable = MakeFlagTable();

std::string_view OpcodeName(uint8_t op) { return kOpcodes[op].name; }

}  // namespace xpyc::codegen
