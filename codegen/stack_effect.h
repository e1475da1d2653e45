#pragma once
// Stack effects of CPython 3.10's opcodes, as dis.stack_effect reports them.
#include <cstdint>
#include <optional>

namespace xpyc::codegen {

// How many values `op` with `oparg` pushes (positive) or pops (negative).
// `jump` selects the effect when a jump (or an exception handler entry) is
// taken. Empty for numbers that are not 3.10 opcodes.
std::optional<int> StackEffect(uint8_t op, int oparg, bool jump);

}  // namespace xpyc::codegen
