#include "codegen/stack_effect.h"

#include <array>
#include <bit>

#include "codegen/opcodes.h"

namespace xpyc::codegen {
namespace {

// FORMAT_VALUE's oparg bits that say a format spec is on the stack.
constexpr int kFormatValueSpecMask = 0x4;

int MakeFunctionEffect(int oparg) {
  // Each of the four low flag bits adds one popped value (defaults,
  // kw-defaults, annotations, closure) to the popped code and qualname.
  return -1 - std::popcount(static_cast<unsigned>(oparg & 0x0F));
}

// The effect of `op` when it does not depend on the oparg; kEffectFromOparg
// when it does, kEffectNotOpcode for numbers that are not opcodes.
constexpr int8_t FixedEffect(Opcode op, bool jump) {
  switch (op) {
    case Opcode::NOP:
    case Opcode::EXTENDED_ARG:
    case Opcode::ROT_TWO:
    case Opcode::ROT_THREE:
    case Opcode::ROT_FOUR:
    case Opcode::ROT_N:
    case Opcode::UNARY_POSITIVE:
    case Opcode::UNARY_NEGATIVE:
    case Opcode::UNARY_NOT:
    case Opcode::UNARY_INVERT:
    case Opcode::GET_ITER:
    case Opcode::GET_YIELD_FROM_ITER:
    case Opcode::GET_AWAITABLE:
    case Opcode::GET_AITER:
    case Opcode::SETUP_ANNOTATIONS:
    case Opcode::YIELD_VALUE:
    case Opcode::POP_BLOCK:
    case Opcode::DELETE_NAME:
    case Opcode::DELETE_GLOBAL:
    case Opcode::DELETE_FAST:
    case Opcode::DELETE_DEREF:
    case Opcode::LOAD_ATTR:
    case Opcode::JUMP_FORWARD:
    case Opcode::JUMP_ABSOLUTE:
    case Opcode::LIST_TO_TUPLE:
    case Opcode::COPY_DICT_WITHOUT_KEYS:
      return 0;

    case Opcode::DUP_TOP:
    case Opcode::LOAD_BUILD_CLASS:
    case Opcode::LOAD_CONST:
    case Opcode::LOAD_NAME:
    case Opcode::LOAD_GLOBAL:
    case Opcode::LOAD_FAST:
    case Opcode::LOAD_CLOSURE:
    case Opcode::LOAD_DEREF:
    case Opcode::LOAD_CLASSDEREF:
    case Opcode::LOAD_METHOD:
    case Opcode::LOAD_ASSERTION_ERROR:
    case Opcode::IMPORT_FROM:
    case Opcode::WITH_EXCEPT_START:
    case Opcode::BEFORE_ASYNC_WITH:
    case Opcode::GET_ANEXT:
    case Opcode::GET_LEN:
    case Opcode::MATCH_MAPPING:
    case Opcode::MATCH_SEQUENCE:
      return 1;
    case Opcode::DUP_TOP_TWO:
    case Opcode::MATCH_KEYS:
      return 2;

    case Opcode::POP_TOP:
    case Opcode::BINARY_POWER:
    case Opcode::BINARY_MULTIPLY:
    case Opcode::BINARY_MATRIX_MULTIPLY:
    case Opcode::BINARY_MODULO:
    case Opcode::BINARY_ADD:
    case Opcode::BINARY_SUBTRACT:
    case Opcode::BINARY_SUBSCR:
    case Opcode::BINARY_FLOOR_DIVIDE:
    case Opcode::BINARY_TRUE_DIVIDE:
    case Opcode::BINARY_LSHIFT:
    case Opcode::BINARY_RSHIFT:
    case Opcode::BINARY_AND:
    case Opcode::BINARY_XOR:
    case Opcode::BINARY_OR:
    case Opcode::INPLACE_FLOOR_DIVIDE:
    case Opcode::INPLACE_TRUE_DIVIDE:
    case Opcode::INPLACE_ADD:
    case Opcode::INPLACE_SUBTRACT:
    case Opcode::INPLACE_MULTIPLY:
    case Opcode::INPLACE_MATRIX_MULTIPLY:
    case Opcode::INPLACE_MODULO:
    case Opcode::INPLACE_POWER:
    case Opcode::INPLACE_LSHIFT:
    case Opcode::INPLACE_RSHIFT:
    case Opcode::INPLACE_AND:
    case Opcode::INPLACE_XOR:
    case Opcode::INPLACE_OR:
    case Opcode::SET_ADD:
    case Opcode::LIST_APPEND:
    case Opcode::PRINT_EXPR:
    case Opcode::RETURN_VALUE:
    case Opcode::IMPORT_STAR:
    case Opcode::YIELD_FROM:
    case Opcode::STORE_NAME:
    case Opcode::DELETE_ATTR:
    case Opcode::STORE_GLOBAL:
    case Opcode::STORE_FAST:
    case Opcode::STORE_DEREF:
    case Opcode::COMPARE_OP:
    case Opcode::IS_OP:
    case Opcode::CONTAINS_OP:
    case Opcode::IMPORT_NAME:
    case Opcode::POP_JUMP_IF_FALSE:
    case Opcode::POP_JUMP_IF_TRUE:
    case Opcode::GEN_START:
    case Opcode::LIST_EXTEND:
    case Opcode::SET_UPDATE:
    case Opcode::DICT_MERGE:
    case Opcode::DICT_UPDATE:
    case Opcode::MATCH_CLASS:
      return -1;
    case Opcode::MAP_ADD:
    case Opcode::STORE_ATTR:
    case Opcode::DELETE_SUBSCR:
    case Opcode::JUMP_IF_NOT_EXC_MATCH:
      return -2;
    case Opcode::STORE_SUBSCR:
    case Opcode::POP_EXCEPT:
    case Opcode::RERAISE:
      return -3;
    case Opcode::END_ASYNC_FOR:
      return -7;

    case Opcode::UNPACK_SEQUENCE:
    case Opcode::UNPACK_EX:
    case Opcode::BUILD_TUPLE:
    case Opcode::BUILD_LIST:
    case Opcode::BUILD_SET:
    case Opcode::BUILD_STRING:
    case Opcode::BUILD_MAP:
    case Opcode::BUILD_CONST_KEY_MAP:
    case Opcode::RAISE_VARARGS:
    case Opcode::CALL_FUNCTION:
    case Opcode::CALL_METHOD:
    case Opcode::CALL_FUNCTION_KW:
    case Opcode::CALL_FUNCTION_EX:
    case Opcode::MAKE_FUNCTION:
    case Opcode::BUILD_SLICE:
    case Opcode::FORMAT_VALUE:
      return internal::kEffectFromOparg;

    // Jumps whose effect depends on the path taken.
    case Opcode::FOR_ITER:
      return jump ? -1 : 1;
    case Opcode::JUMP_IF_TRUE_OR_POP:
    case Opcode::JUMP_IF_FALSE_OR_POP:
      return jump ? 0 : -1;
    // The handler entry of a SETUP_* pushes the six exception values.
    case Opcode::SETUP_FINALLY:
      return jump ? 6 : 0;
    case Opcode::SETUP_WITH:
      return jump ? 6 : 1;
    case Opcode::SETUP_ASYNC_WITH:
      return jump ? 5 : 0;
  }
  return internal::kEffectNotOpcode;
}

constexpr std::array<internal::FixedStackEffects, 256> MakeFixedEffectTable() {
  std::array<internal::FixedStackEffects, 256> table{};
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto op = static_cast<Opcode>(i);
    table[i] = {FixedEffect(op, false), FixedEffect(op, true)};
  }
  return table;
}

}  // namespace

namespace internal {

constinit const std::array<FixedStackEffects, 256> kFixedStackEffects = MakeFixedEffectTable();

int OpargStackEffect(uint8_t op, int oparg) {
  switch (static_cast<Opcode>(op)) {
    case Opcode::UNPACK_SEQUENCE:
      return oparg - 1;
    case Opcode::UNPACK_EX:
      return (oparg & 0xFF) + (oparg >> 8);
    case Opcode::BUILD_TUPLE:
    case Opcode::BUILD_LIST:
    case Opcode::BUILD_SET:
    case Opcode::BUILD_STRING:
      return 1 - oparg;
    case Opcode::BUILD_MAP:
      return 1 - 2 * oparg;
    case Opcode::BUILD_CONST_KEY_MAP:
    case Opcode::RAISE_VARARGS:
    case Opcode::CALL_FUNCTION:
      return -oparg;
    case Opcode::CALL_METHOD:
    case Opcode::CALL_FUNCTION_KW:
      return -oparg - 1;
    case Opcode::CALL_FUNCTION_EX:
      return (oparg & 0x01) != 0 ? -2 : -1;
    case Opcode::MAKE_FUNCTION:
      return MakeFunctionEffect(oparg);
    case Opcode::BUILD_SLICE:
      return oparg == 3 ? -2 : -1;
    case Opcode::FORMAT_VALUE:
      return (oparg & kFormatValueSpecMask) != 0 ? -1 : 0;
    default:
      return 0;
  }
}

}  // namespace internal

}  // namespace xpyc::codegen
