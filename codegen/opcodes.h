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

// What the assembler asks about an opcode, answered by one table lookup (it
// asks for every instruction, several times over).
enum OpcodeKind : uint8_t {
  kJump = 1 << 0,
  kRelativeJump = 1 << 1,
  kUnconditionalJump = 1 << 2,
  kConditionalJump = 1 << 3,
  kScopeExit = 1 << 4,
  // Handler set-ups are jumps for reachability but not for line numbers.
  kHandlerSetup = 1 << 5,
  kNopKind = 1 << 6,
};

constexpr uint8_t KindOf(Opcode op) {
  const uint16_t flags = OpcodeFlags(static_cast<uint8_t>(op));
  uint8_t kind = 0;
  if (flags & (kJumpRelative | kJumpAbsolute)) kind |= kJump;
  if (flags & kJumpRelative) kind |= kRelativeJump;
  switch (op) {
    case Opcode::JUMP_ABSOLUTE:
    case Opcode::JUMP_FORWARD:
      kind |= kUnconditionalJump;
      break;
    case Opcode::POP_JUMP_IF_FALSE:
    case Opcode::POP_JUMP_IF_TRUE:
    case Opcode::JUMP_IF_FALSE_OR_POP:
    case Opcode::JUMP_IF_TRUE_OR_POP:
      kind |= kConditionalJump;
      break;
    case Opcode::RETURN_VALUE:
    case Opcode::RAISE_VARARGS:
    case Opcode::RERAISE:
      kind |= kScopeExit;
      break;
    case Opcode::SETUP_FINALLY:
    case Opcode::SETUP_WITH:
    case Opcode::SETUP_ASYNC_WITH:
      kind |= kHandlerSetup;
      break;
    case Opcode::NOP:
      kind |= kNopKind;
      break;
    default:
      break;
  }
  return kind;
}

inline constexpr std::array<uint8_t, 256> kOpcodeKindTable = [] {
  std::array<uint8_t, 256> kinds{};
  for (std::size_t i = 0; i < kinds.size(); ++i) kinds[i] = KindOf(static_cast<Opcode>(i));
  return kinds;
}();
// OpcodeKind bits of `op`.
constexpr uint8_t OpcodeKinds(Opcode op) { return kOpcodeKindTable[static_cast<uint8_t>(op)]; }
inline bool IsOpcode(uint8_t op) { return !OpcodeName(op).empty(); }

}  // namespace xpyc::codegen
