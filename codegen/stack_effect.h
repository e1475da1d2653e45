#pragma once
// Stack effects of CPython 3.10's opcodes, as dis.stack_effect reports them.
#include <array>
#include <cstdint>
#include <optional>

namespace xpyc::codegen {

namespace internal {

// Per opcode number: the effect without and with the jump taken, or one of
// the two markers below (a table, so that the assembler's stack depth pass
// costs a lookup per instruction).
struct FixedStackEffects {
  int8_t plain = 0;
  int8_t jumped = 0;
};
constexpr int8_t kEffectNotOpcode = -128;
constexpr int8_t kEffectFromOparg = 127;
extern const std::array<FixedStackEffects, 256> kFixedStackEffects;

// The effect of an opcode marked kEffectFromOparg.
int OpargStackEffect(uint8_t op, int oparg);

}  // namespace internal

// How many values `op` with `oparg` pushes (positive) or pops (negative).
// `jump` selects the effect when a jump (or an exception handler entry) is
// taken. Empty for numbers that are not 3.10 opcodes.
inline std::optional<int> StackEffect(uint8_t op, int oparg, bool jump) {
  const internal::FixedStackEffects& fixed = internal::kFixedStackEffects[op];
  const int8_t effect = jump ? fixed.jumped : fixed.plain;
  if (effect == internal::kEffectFromOparg) return internal::OpargStackEffect(op, oparg);
  if (effect == internal::kEffectNotOpcode) return std::nullopt;
  return effect;
}

}  // namespace xpyc::codegen
