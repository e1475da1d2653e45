#pragma once
// CPython 3.10's opcodes: numbers, names and argument kinds, from the single
// generated table codegen/opcodes.def.
#include <array>
#include <cstdint>
#include <string_view>

namespace xpyc::codegen {

enum OpcodeFlag : uint16_t {
  kHasArg = 1 << 0,
  kJumpRelative = 1 << 1,
  kJumpAbsolute = 1 << 2,
  kHasConst = 1 << 3,
  kHasName = 1 << 4,
  kHasLocal = 1 << 5,
  kHasFree = 1 << 6,
  kHasCompare = 1 << 7,
};

enum class Opcode : uint8_t {
#define XPYC_OPCODE(name, number, flags) name = number,
#include "codegen/opcodes.def"
#undef XPYC_OPCODE
};

// Empty for numbers that are not 3.10 opcodes.
std::string_view OpcodeName(uint8_t op);
// OpcodeFlag bits per opcode number (in the header: the assembler asks for
// every instruction in several passes and builds its own tables from it).
inline constexpr std::array<uint16_t, 256> kOpcodeFlagTable = [] {
  std::array<uint16_t, 256> flags{};
#define XPYC_OPCODE(name, number, opcode_flags) flags[number] = opcode_flags;
#include "codegen/opcodes.def"
#undef XPYC_OPCODE
  return flags;
}();
constexpr uint16_t OpcodeFlags(uint8_t op) { return kOpcodeFlagTable[op]; }
inline bool IsOpcode(uint8_t op) { return !OpcodeName(op).empty(); }

}  // namespace xpyc::codegen
