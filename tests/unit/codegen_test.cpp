// Codegen back end against the oracle (CPython 3.10.13). Each case builds by
// hand the instruction stream 3.10's compile.c front end emits for the source
// in the comment, assembles it, and compares with what the oracle printed for
// co_code, co_linetable, co_stacksize, co_flags and co_consts.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "codegen/consts.h"
#include "codegen/opcodes.h"
#include "codegen/stack_effect.h"
#include "codegen/unit.h"
#include "marshal/value.h"

namespace xpyc::codegen {
namespace {

using enum Opcode;

constexpr int32_t kFunctionFlags = kCoOptimized | kCoNewLocals;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct Env {
  marshal::Heap heap;
  ConstCache cache{heap};

  // A function unit as compiler_function starts it: co_consts[0] is the
  // docstring, or None.
  Unit Function(const char* name, int firstlineno, std::vector<const char*> varnames,
                int32_t flags = kFunctionFlags) {
    CodeInfo info;
    info.name = name;
    info.flags = flags;
    info.firstlineno = firstlineno;
    Unit u(cache, info);
    u.AddConst(heap.None());
    for (const char* v : varnames) u.varnames().Add(v);
    return u;
  }

  std::string ConstsRepr(const std::vector<Ref>& consts) { return marshal::Repr(heap.Tuple(consts)); }
};

struct Expected {
  std::string code;
  std::string linetable;
  int stacksize;
  int flags;
  const char* consts;
};

void CheckAssembly(Env& env, Unit& u, const Expected& want) {
  const AssembledCode got = AssembleParts(u, /*add_none=*/true);
  CHECK(Hex(got.code) == want.code);
  CHECK(Hex(got.linetable) == want.linetable);
  CHECK(got.stacksize == want.stacksize);
  CHECK(got.flags == want.flags);
  CHECK(env.ConstsRepr(got.consts) == want.consts);
}

TEST_SUITE("codegen") {

TEST_CASE("stack effects match dis.stack_effect for every opcode") {
  struct Case {
    int op, arg, plain, jumped;
  };
  static const Case kCases[] = {
#define XPYC_STACK_CASE(op, arg, plain, jumped) {op, arg, plain, jumped},
#include "codegen/stack_effect_cases.inc"
#undef XPYC_STACK_CASE
  };
  int checked = 0;
  for (const Case& c : kCases) {
    CAPTURE(c.op);
    CAPTURE(c.arg);
    CHECK(StackEffect(static_cast<uint8_t>(c.op), c.arg, false) == c.plain);
    CHECK(StackEffect(static_cast<uint8_t>(c.op), c.arg, true) == c.jumped);
    ++checked;
  }
  CHECK(checked > 1000);
  CHECK_FALSE(StackEffect(0, 0, false).has_value());  // not an opcode
  CHECK_FALSE(StackEffect(7, 0, false).has_value());
}

TEST_CASE("constant keys distinguish what _PyCode_ConstantKey distinguishes") {
  marshal::Heap heap;
  const Ref one = heap.Int(1);
  CHECK(SameConstantKey(one, heap.Int(1)));
  CHECK_FALSE(SameConstantKey(one, heap.Float(1.0)));
  CHECK_FALSE(SameConstantKey(one, heap.True()));
  CHECK_FALSE(SameConstantKey(heap.Int(0), heap.False()));
  CHECK_FALSE(SameConstantKey(heap.Float(0.0), heap.Float(-0.0)));
  CHECK(SameConstantKey(heap.Float(-0.0), heap.Float(-0.0)));
  CHECK_FALSE(SameConstantKey(heap.Complex(0.0, 0.0), heap.Complex(0.0, -0.0)));
  CHECK_FALSE(SameConstantKey(heap.Complex(0.0, 0.0), heap.Complex(-0.0, 0.0)));
  CHECK_FALSE(SameConstantKey(heap.Complex(-0.0, -0.0), heap.Complex(-0.0, 0.0)));
  CHECK(SameConstantKey(heap.Complex(1.5, -0.0), heap.Complex(1.5, -0.0)));
  CHECK_FALSE(SameConstantKey(heap.Str("a"), heap.Bytes("a")));
  CHECK(SameConstantKey(heap.Str("a"), heap.Str("a", true)));
  // A NaN is only ever the same key as itself.
  const Ref nan = heap.Float(std::numeric_limits<double>::quiet_NaN());
  CHECK(SameConstantKey(nan, nan));
  CHECK_FALSE(SameConstantKey(nan, heap.Float(std::numeric_limits<double>::quiet_NaN())));
  // Tuples and frozensets are keyed by their items' keys.
  const Ref t1[] = {one, heap.Float(2.0)};
  const Ref t2[] = {heap.Int(1), heap.Float(2.0)};
  const Ref t3[] = {heap.True(), heap.Float(2.0)};
  CHECK(SameConstantKey(heap.Tuple(t1), heap.Tuple(t2)));
  CHECK_FALSE(SameConstantKey(heap.Tuple(t1), heap.Tuple(t3)));
  CHECK_FALSE(SameConstantKey(heap.Tuple(t1), heap.FrozenSet(t1)));
  const Ref s1[] = {heap.Int(1), heap.Str("x")};
  const Ref s2[] = {heap.Str("x"), heap.Int(1)};
  const Ref s3[] = {heap.Str("x"), heap.True()};
  CHECK(SameConstantKey(heap.FrozenSet(s1), heap.FrozenSet(s2)));
  CHECK(ConstantKeyHash(heap.FrozenSet(s1)) == ConstantKeyHash(heap.FrozenSet(s2)));
  CHECK_FALSE(SameConstantKey(heap.FrozenSet(s1), heap.FrozenSet(s3)));
  CHECK(ConstantKeyHash(heap.Tuple(t1)) == ConstantKeyHash(heap.Tuple(t2)));
}

TEST_CASE("unit constants: index of first insertion, merged across units") {
  Env env;
  Unit a = env.Function("a", 1, {});
  CHECK(a.AddConst(env.heap.Int(1)) == 1);
  CHECK(a.AddConst(env.heap.Float(1.0)) == 2);
  CHECK(a.AddConst(env.heap.True()) == 3);
  CHECK(a.AddConst(env.heap.Int(1)) == 1);
  CHECK(a.AddConst(env.heap.Float(-0.0)) == 4);
  CHECK(a.AddConst(env.heap.Float(0.0)) == 5);
  CHECK(a.AddConst(env.heap.None()) == 0);
  CHECK(env.ConstsRepr(a.consts().items()) == "(None, 1, 1.0, True, -0.0, 0.0)");
  // The module cache makes equal constants one object, tuples item by item.
  const Ref hello = env.cache.Merge(env.heap.Str("hello world"));
  CHECK(env.cache.Merge(env.heap.Str("hello world")) == hello);
  CHECK_FALSE(hello->interned);
  const Ref items[] = {env.heap.Str("hello world"), env.heap.Int(7)};
  const Ref tuple = env.cache.Merge(env.heap.Tuple(items));
  CHECK(tuple->items[0] == hello);
  // Strings made of name characters are interned, like names.
  const Ref name_like = env.cache.Merge(env.heap.Str("spam_1"));
  CHECK(name_like->interned);
  CHECK(name_like == env.cache.Interned("spam_1"));
  CHECK(IsAllNameChars(""));
  CHECK_FALSE(IsAllNameChars("a b"));
  CHECK_FALSE(IsAllNameChars("\xc3\xa9"));
  // Oracle: marshal.dumps(compile("x = '.'", ...)) writes '.' interned, ' '
  // and '-' not (tools/gen_interned_chars.py).
  CHECK(IsInternedStringConstant("."));
  CHECK(IsInternedStringConstant("\n"));
  CHECK(IsInternedStringConstant("*"));
  CHECK_FALSE(IsInternedStringConstant(" "));
  CHECK_FALSE(IsInternedStringConstant("-"));
  CHECK_FALSE(IsInternedStringConstant(".."));
  CHECK_FALSE(IsInternedStringConstant("\xc3\xa9"));
  CHECK(env.cache.Merge(env.heap.Str("."))->interned);
  CHECK_FALSE(env.cache.Merge(env.heap.Str("a b"))->interned);
}

TEST_CASE("deref indexes count cell variables first") {
  Env env;
  Unit u = env.Function("f", 1, {"a"});
  u.cellvars().Add("c1");
  u.cellvars().Add("c2");
  u.freevars().Add("f1");
  CHECK(u.DerefIndex("c2") == 1);
  CHECK(u.DerefIndex("f1") == 2);
  CHECK(u.DerefIndex("a") == -1);
  // With cell or free variables, CO_NOFREE is not set.
  u.set_lineno(1);
  u.AddOp(LOAD_DEREF, u.DerefIndex("f1"));
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  const AssembledCode parts = AssembleParts(u, true);
  CHECK(parts.flags == kFunctionFlags);
  CHECK(Hex(parts.code) == "88025300");
}

TEST_CASE("name tables keep first insertion order") {
  NameTable names;
  CHECK(names.Add("b") == 0);
  CHECK(names.Add("a") == 1);
  CHECK(names.Add("b") == 0);
  CHECK(names.Find("a") == 1);
  CHECK(names.Find("zz") == -1);
  CHECK(names.size() == 2);
}

// def f(a, b):
//     x = a + b
//     return x
TEST_CASE("straight-line code") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "b", "x"});
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(LOAD_FAST, 1);
  u.AddOp(BINARY_ADD);
  u.AddOp(STORE_FAST, 2);
  u.set_lineno(3);
  u.AddOp(LOAD_FAST, 2);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u, {"7c007c0117007d027c025300", "08010401", 2, 0x43, "(None,)"});
}

// def f(a):
//     if a:
//         return 1
//     else:
//         return 2
TEST_CASE("if/else with returns") {
  Env env;
  Unit u = env.Function("f", 1, {"a"});
  const BlockId end = u.NewBlock();
  const BlockId next = u.NewBlock();
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 0);
  u.AddJump(POP_JUMP_IF_FALSE, next);
  u.NextBlock();
  u.set_lineno(3);
  u.AddOp(NOP);  // compiler_return marks the constant's line
  u.LoadConst(env.heap.Int(1));
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  u.AddJumpNoLine(JUMP_FORWARD, end);
  u.UseNextBlock(next);
  u.set_lineno(5);
  u.AddOp(NOP);
  u.LoadConst(env.heap.Int(2));
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  u.UseNextBlock(end);
  CheckAssembly(env, u, {"7c0072046401530064025300", "040104010402", 1, 0x43, "(None, 1, 2)"});
}

// compiler_while of 3.10: the test is repeated at the bottom of the loop.
void EmitWhile(Unit& u, int line, const std::function<void()>& test,
               const std::function<void()>& body) {
  const BlockId loop = u.NewBlock();
  const BlockId body_block = u.NewBlock();
  const BlockId anchor = u.NewBlock();
  const BlockId end = u.NewBlock();
  u.UseNextBlock(loop);
  u.set_lineno(line);
  test();
  u.AddJump(POP_JUMP_IF_FALSE, anchor);
  u.NextBlock();
  u.UseNextBlock(body_block);
  body();
  u.set_lineno(line);
  test();
  u.AddJump(POP_JUMP_IF_TRUE, body_block);
  u.NextBlock();
  u.UseNextBlock(anchor);
  u.UseNextBlock(end);
}

// def f(n):
//     while n:
//         n -= 1
//     return n
TEST_CASE("while loop") {
  Env env;
  Unit u = env.Function("f", 1, {"n"});
  EmitWhile(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        u.set_lineno(3);
        u.AddOp(LOAD_FAST, 0);
        u.LoadConst(env.heap.Int(1));
        u.AddOp(INPLACE_SUBTRACT);
        u.AddOp(STORE_FAST, 0);
      });
  u.set_lineno(4);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u,
                {"7c0072087c00640138007d007c0073027c005300", "0401080104ff0402", 2, 0x43,
                 "(None, 1)"});
}

// def f():
//     while True:
//         g()
// The constant conditions fold into a NOP (kept for line 2) and a
// JUMP_ABSOLUTE; True is no longer used and is trimmed from co_consts.
TEST_CASE("while True loop") {
  Env env;
  Unit u = env.Function("f", 1, {});
  EmitWhile(
      u, 2, [&] { u.LoadConst(env.heap.True()); },
      [&] {
        u.set_lineno(3);
        u.AddOp(LOAD_GLOBAL, static_cast<int32_t>(u.AddName("g")));
        u.AddOp(CALL_FUNCTION, 0);
        u.set_lineno(kNoLine);  // compiler_visit_stmt_expr: artificial POP_TOP
        u.AddOp(POP_TOP);
      });
  CheckAssembly(env, u, {"09007400830001007101", "0201060102ff", 1, 0x43, "(None,)"});
}

// compiler_if of 3.10.
void EmitIf(Unit& u, int line, const std::function<void()>& test,
            const std::function<void()>& body, const std::function<void()>* orelse) {
  const BlockId end = u.NewBlock();
  const BlockId next = orelse ? u.NewBlock() : end;
  u.set_lineno(line);
  test();
  u.AddJump(POP_JUMP_IF_FALSE, next);
  u.NextBlock();
  body();
  if (orelse) {
    u.AddJumpNoLine(JUMP_FORWARD, end);
    u.UseNextBlock(next);
    (*orelse)();
  }
  u.UseNextBlock(end);
}

// def f(a, b):
//     if a:
//         if b:
//             x = 1
//         else:
//             x = 2
//     else:
//         x = 3
//     return x
// The inner JUMP_FORWARD lands on the outer one (jump threading), then the
// small exit block `return x` is copied in place of each jump.
TEST_CASE("jump threading and extend_block") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "b", "x"});
  auto store = [&](int line, int value) {
    return [&u, &env, line, value] {
      u.set_lineno(line);
      u.LoadConst(env.heap.Int(value));
      u.AddOp(STORE_FAST, 2);
    };
  };
  const std::function<void()> inner_else = store(6, 2);
  const std::function<void()> outer_else = store(8, 3);
  EmitIf(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] { EmitIf(u, 3, [&] { u.AddOp(LOAD_FAST, 1); }, store(4, 1), &inner_else); },
      &outer_else);
  u.set_lineno(9);
  u.AddOp(LOAD_FAST, 2);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u,
                {"7c00720c7c01720864017d027c02530064027d027c02530064037d027c025300",
                 "040104010401040504fd040304ff0401", 1, 0x43, "(None, 1, 2, 3)"});
}

// def f(xs):
//     for x in xs:
//         if x:
//             g()
// No threading of POP_JUMP_IF_FALSE over the loop's JUMP_ABSOLUTE: their
// lines differ, and the jump keeps no line.
TEST_CASE("for loop: no threading across lines") {
  Env env;
  Unit u = env.Function("f", 1, {"xs", "x"});
  const BlockId start = u.NewBlock();
  const BlockId body = u.NewBlock();
  const BlockId cleanup = u.NewBlock();
  const BlockId end = u.NewBlock();
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(GET_ITER);
  u.UseNextBlock(start);
  u.AddJump(FOR_ITER, cleanup);
  u.UseNextBlock(body);
  u.AddOp(STORE_FAST, 1);
  EmitIf(
      u, 3, [&] { u.AddOp(LOAD_FAST, 1); },
      [&] {
        u.set_lineno(4);
        u.AddOp(LOAD_GLOBAL, static_cast<int32_t>(u.AddName("g")));
        u.AddOp(CALL_FUNCTION, 0);
        u.set_lineno(kNoLine);
        u.AddOp(POP_TOP);
      },
      nullptr);
  u.set_lineno(kNoLine);
  u.AddJump(JUMP_ABSOLUTE, start);
  u.UseNextBlock(cleanup);
  u.UseNextBlock(end);
  CheckAssembly(env, u,
                {"7c0044005d077d017c017209740083000100710264005300", "080104010601028004fe", 2,
                 0x43, "(None,)"});
}

// def g(a):
//     yield a
TEST_CASE("generator gets GEN_START") {
  Env env;
  Unit u = env.Function("g", 1, {"a"}, kFunctionFlags | kCoGenerator);
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(YIELD_VALUE);
  u.set_lineno(kNoLine);
  u.AddOp(POP_TOP);
  CheckAssembly(env, u, {"81007c005600010064005300", "02800a01", 1, 0x63, "(None,)"});
}

// async def g():
//     yield 1
// async def c(x):
//     return 1
TEST_CASE("GEN_START kinds of async generators and coroutines") {
  Env env;
  Unit g = env.Function("g", 1, {}, kFunctionFlags | kCoAsyncGenerator);
  g.set_lineno(2);
  g.LoadConst(env.heap.Int(1));
  g.AddOp(YIELD_VALUE);
  g.set_lineno(kNoLine);
  g.AddOp(POP_TOP);
  CheckAssembly(env, g, {"810264015600010064005300", "02800a01", 1, 0x243, "(None, 1)"});

  Unit c = env.Function("c", 1, {"x"}, kFunctionFlags | kCoCoroutine);
  c.set_lineno(2);
  c.AddOp(NOP);
  c.LoadConst(env.heap.Int(1));
  c.AddOp(RETURN_VALUE);
  c.NextBlock();
  CheckAssembly(env, c, {"810164015300", "02800401", 1, 0xc3, "(None, 1)"});
}

// def f(a, b):
//     a, b = b, a
//     return a
TEST_CASE("BUILD_TUPLE 2 + UNPACK_SEQUENCE 2 becomes ROT_TWO") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "b"});
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 1);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(BUILD_TUPLE, 2);
  u.AddOp(UNPACK_SEQUENCE, 2);
  u.AddOp(STORE_FAST, 0);
  u.AddOp(STORE_FAST, 1);
  u.set_lineno(3);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u, {"7c017c0002027d007d017c005300", "0a010401", 2, 0x43, "(None,)"});
}

// def f():
//     return 1
//     x = 2
TEST_CASE("unreachable code after return is dropped, its constants trimmed") {
  Env env;
  Unit u = env.Function("f", 1, {"x"});
  u.set_lineno(2);
  u.AddOp(NOP);
  u.LoadConst(env.heap.Int(1));
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  u.set_lineno(3);
  u.LoadConst(env.heap.Int(2));
  u.AddOp(STORE_FAST, 0);
  CheckAssembly(env, u, {"64015300", "0401", 1, 0x43, "(None, 1)"});
}

// def f(a):
//     if a:
//         x = 1
// The implicit `return None` has no line and two predecessors: the jump
// gets its own copy, with the jump's line.
TEST_CASE("exit blocks without line numbers are duplicated") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "x"});
  EmitIf(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        u.set_lineno(3);
        u.LoadConst(env.heap.Int(1));
        u.AddOp(STORE_FAST, 1);
      },
      nullptr);
  CheckAssembly(env, u,
                {"7c00720664017d016400530064005300", "0401080104ff", 1, 0x43, "(None, 1)"});
}

// def f(a, b):
//     if a:
//         if b:
//             x = 1
// Three ways into the implicit return: the fall-through keeps the block, and
// each jump gets a copy, inserted after it in 3.10's (newest block first)
// order, so the outer jump's copy comes before the inner one's.
TEST_CASE("copies of an exit block come in CPython's order") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "b", "x"});
  EmitIf(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        EmitIf(
            u, 3, [&] { u.AddOp(LOAD_FAST, 1); },
            [&] {
              u.set_lineno(4);
              u.LoadConst(env.heap.Int(1));
              u.AddOp(STORE_FAST, 2);
            },
            nullptr);
      },
      nullptr);
  CheckAssembly(env, u,
                {"7c0072087c01720a64017d02640053006400530064005300", "04010401080104fe0401", 1,
                 0x43, "(None, 1)"});
}

// def f(a):
//     pass
//     if a:
//         pass
//     return a
TEST_CASE("NOPs that carry a line of their own stay") {
  Env env;
  Unit u = env.Function("f", 1, {"a"});
  u.set_lineno(2);
  u.AddOp(NOP);
  EmitIf(
      u, 3, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        u.set_lineno(4);
        u.AddOp(NOP);
      },
      nullptr);
  u.set_lineno(5);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u, {"09007c00720409007c005300", "0201040102010401", 1, 0x43, "(None,)"});
}

// def f(a):
//     return (a +
//        a)
TEST_CASE("negative line delta") {
  Env env;
  Unit u = env.Function("f", 1, {"a"});
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 0);
  u.set_lineno(3);
  u.AddOp(LOAD_FAST, 0);
  u.set_lineno(2);
  u.AddOp(BINARY_ADD);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u, {"7c007c0017005300", "0201020104ff", 2, 0x43, "(None,)"});
}

// def f(a):
//     if a:
//         a = a + 1      (70 lines of this)
//     return a
TEST_CASE("EXTENDED_ARG for a far jump") {
  Env env;
  Unit u = env.Function("f", 1, {"a"});
  EmitIf(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        for (int i = 0; i < 70; ++i) {
          u.set_lineno(3 + i);
          u.AddOp(LOAD_FAST, 0);
          u.LoadConst(env.heap.Int(1));
          u.AddOp(BINARY_ADD);
          u.AddOp(STORE_FAST, 0);
        }
      },
      nullptr);
  u.set_lineno(73);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u,
                {"7c009001721b" + Repeat("7c00640117007d00", 70) + "7c005300",
                 "0601" + Repeat("0801", 70) + "0401", 2, 0x43, "(None, 1)"});
}

// def f(a):
//     while a:
//         <200 blank lines>
//         a = [a, a, ..., a]     (130 items: BUILD_LIST 0 + LIST_APPEND 1 each)
//     return a
// Line deltas beyond +-127 and a 524-byte run on one line.
TEST_CASE("large line and byte deltas") {
  Env env;
  Unit u = env.Function("f", 1, {"a"});
  EmitWhile(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        u.set_lineno(203);
        u.AddOp(BUILD_LIST, 0);
        for (int i = 0; i < 130; ++i) {
          u.AddOp(LOAD_FAST, 0);
          u.AddOp(LIST_APPEND, 1);
        }
        u.AddOp(STORE_FAST, 0);
      });
  u.set_lineno(204);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u,
                {"7c009001720b6700" + Repeat("7c009101", 130) + "7d007c0073037c005300",
                 "0601007ffe4afe001000008104b6007f044b", 2, 0x43, "(None,)"});
}

// def f(a=1, b=2): pass
// The defaults' LOAD_CONST 1; LOAD_CONST 2; BUILD_TUPLE 2 fold into a new
// constant (1, 2), appended to the module's co_consts.
TEST_CASE("tuple folding and the code object") {
  Env env;
  const Ref filename = env.heap.Str("t.py");
  CodeInfo module_info;
  module_info.name = "<module>";
  module_info.firstlineno = 1;
  Unit module(env.cache, module_info);
  module.set_lineno(1);
  module.LoadConst(env.heap.Int(1));
  module.LoadConst(env.heap.Int(2));
  module.AddOp(BUILD_TUPLE, 2);

  Unit f = env.Function("f", 1, {"a", "b"});
  f.info().argcount = 2;
  f.set_lineno(1);
  f.AddOp(NOP);  // pass
  const AssembledCode f_parts = AssembleParts(f, true);
  CHECK(Hex(f_parts.code) == "64005300");
  CHECK(Hex(f_parts.linetable) == "0400");
  CHECK(f_parts.stacksize == 1);
  CHECK(f_parts.flags == 0x43);
  const Ref f_code = MakeCodeObject(f, f_parts, filename);
  REQUIRE(f_code->type == marshal::Type::Code);
  CHECK(f_code->code->nlocals == 2);
  CHECK(f_code->code->argcount == 2);
  CHECK(marshal::Repr(f_code->code->varnames) == "('a', 'b')");
  CHECK(f_code->code->name->interned);

  module.LoadConst(f_code);
  module.LoadConst(env.heap.Str("f"));
  module.AddOp(MAKE_FUNCTION, 1);
  module.AddOp(STORE_NAME, static_cast<int32_t>(module.AddName("f")));
  const AssembledCode m = AssembleParts(module, true);
  CHECK(Hex(m.code) == "64056402640384015a0064045300");
  CHECK(Hex(m.linetable) == "0e00");
  CHECK(m.stacksize == 3);
  CHECK(m.flags == 0x40);
  REQUIRE(m.consts.size() == 6);
  CHECK(m.consts[2] == f_code);
  CHECK(marshal::Repr(m.consts[5]) == "(1, 2)");
  CHECK(m.consts[0] == m.consts[5]->items[0]);  // merged with the module's 1
  CHECK(m.consts[3]->interned);
  const Ref module_code = MakeCodeObject(module, m, filename);
  // co_name 'f' of the function, the name 'f' in co_names and the constant
  // 'f' are one interned object.
  CHECK(module_code->code->names->items[0] == f_code->code->name);
  CHECK(module_code->code->consts->items[3] == f_code->code->name);
}

// t = (lambda: 1, lambda:
//      1)
// 3.10 compares code objects without their line table, so the two lambdas
// become one constant of the module.
TEST_CASE("equal code objects are one constant") {
  Env env;
  const Ref filename = env.heap.Str("t.py");
  auto lambda = [&](int body_line) {
    Unit u = env.Function("<lambda>", 1, {});
    u.set_lineno(body_line);
    u.LoadConst(env.heap.Int(1));
    u.AddOp(RETURN_VALUE);
    u.NextBlock();
    return Assemble(u, true, filename);
  };
  const Ref first = lambda(1);
  const Ref second = lambda(2);
  CHECK(Hex(first->code->linetable->data) != Hex(second->code->linetable->data));
  CodeInfo info;
  info.name = "<module>";
  Unit module(env.cache, info);
  CHECK(module.AddConst(first) == 0);
  CHECK(module.AddConst(second) == 0);
  // Identical co_code of different functions is one bytes object.
  CHECK(first->code->code == second->code->code);
}

// def f():
//     try:
//         g()
//     except:
//         pass
// compiler_try_except of 3.10; the handler entry pushes six values.
TEST_CASE("try/except: handler depth and artificial instructions") {
  Env env;
  Unit u = env.Function("f", 1, {});
  const BlockId body = u.NewBlock();
  BlockId except = u.NewBlock();
  const BlockId orelse = u.NewBlock();
  const BlockId end = u.NewBlock();
  u.set_lineno(2);
  u.AddJump(SETUP_FINALLY, except);
  u.UseNextBlock(body);
  u.set_lineno(3);
  u.AddOp(LOAD_GLOBAL, static_cast<int32_t>(u.AddName("g")));
  u.AddOp(CALL_FUNCTION, 0);
  u.set_lineno(kNoLine);
  u.AddOp(POP_TOP);
  u.AddOpNoLine(POP_BLOCK);
  u.AddJumpNoLine(JUMP_FORWARD, orelse);
  u.UseNextBlock(except);
  u.set_lineno(4);
  except = u.NewBlock();
  u.AddOp(POP_TOP);
  const BlockId cleanup_body = u.NewBlock();
  u.AddOp(POP_TOP);
  u.AddOp(POP_TOP);
  u.UseNextBlock(cleanup_body);
  u.set_lineno(5);
  u.AddOp(NOP);  // pass
  u.set_lineno(kNoLine);
  u.AddOp(POP_EXCEPT);
  u.AddJump(JUMP_FORWARD, end);
  u.UseNextBlock(except);
  u.set_lineno(kNoLine);
  u.AddOp(RERAISE, 0);
  u.UseNextBlock(orelse);
  u.UseNextBlock(end);
  CheckAssembly(env, u,
                {"7a06740083000100570064005300010001000100590064005300", "02010c0106010601", 6,
                 0x43, "(None,)"});
}

// compiler_boolop of 3.10.
void EmitBoolOp(Unit& u, Opcode jump, const std::vector<std::function<void()>>& values) {
  const BlockId end = u.NewBlock();
  for (std::size_t i = 0; i + 1 < values.size(); ++i) {
    values[i]();
    u.AddJump(jump, end);
    u.UseNextBlock(u.NewBlock());
  }
  values.back()();
  u.UseNextBlock(end);
}

// def f(a, b, c):
//     return a and b or c
// JUMP_IF_FALSE_OR_POP onto JUMP_IF_TRUE_OR_POP becomes POP_JUMP_IF_FALSE
// past it.
TEST_CASE("conditional jump threading in boolean operators") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "b", "c"});
  u.set_lineno(2);
  EmitBoolOp(u, JUMP_IF_TRUE_OR_POP,
             {[&] {
                EmitBoolOp(u, JUMP_IF_FALSE_OR_POP,
                           {[&] { u.AddOp(LOAD_FAST, 0); }, [&] { u.AddOp(LOAD_FAST, 1); }});
              },
              [&] { u.AddOp(LOAD_FAST, 2); }});
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u, {"7c0072047c0170057c025300", "0c01", 1, 0x43, "(None,)"});
}

// def f(a):
//     x = a if True else 2
//     return x
// The constant test folds away with the dead branch, and True and 2 are
// trimmed from co_consts.
TEST_CASE("constant condition in a conditional expression") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "x"});
  u.set_lineno(2);
  const BlockId end = u.NewBlock();
  const BlockId next = u.NewBlock();
  u.LoadConst(env.heap.True());
  u.AddJump(POP_JUMP_IF_FALSE, next);
  u.NextBlock();
  u.AddOp(LOAD_FAST, 0);
  u.AddJumpNoLine(JUMP_FORWARD, end);
  u.UseNextBlock(next);
  u.LoadConst(env.heap.Int(2));
  u.UseNextBlock(end);
  u.AddOp(STORE_FAST, 1);
  u.set_lineno(3);
  u.AddOp(LOAD_FAST, 1);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u, {"7c007d017c015300", "04010401", 1, 0x43, "(None,)"});
}

// def f(a):
//     x = a
//     if True:
//         x = 1
//     if 0:
//         x = 2
//     return x
// `if 0` leaves a NOP for its line: the folded jump lands on the next block
// and is dropped; 0 and 2 are trimmed, True stays (it precedes 1).
TEST_CASE("constant if statements") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "x"});
  u.set_lineno(2);
  u.AddOp(LOAD_FAST, 0);
  u.AddOp(STORE_FAST, 1);
  auto assign = [&](int line, int value) {
    u.set_lineno(line);
    u.LoadConst(env.heap.Int(value));
    u.AddOp(STORE_FAST, 1);
  };
  EmitIf(u, 3, [&] { u.LoadConst(env.heap.True()); }, [&] { assign(4, 1); }, nullptr);
  EmitIf(u, 5, [&] { u.LoadConst(env.heap.Int(0)); }, [&] { assign(6, 2); }, nullptr);
  u.set_lineno(7);
  u.AddOp(LOAD_FAST, 1);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u,
                {"7c007d01090064027d0109007c015300", "04010201040102010402", 1, 0x43,
                 "(None, True, 1)"});
}

// def f(a, b):
//     if a:
//         with b:
//             x = 1
//     else:
//         x = 2
//     g(x)
//     g(x)
//     return x
// The with's JUMP_FORWARD (line 3) lands on the if's JUMP_FORWARD (no line):
// 3.10 threads jumps only within one line, so both stay; the second keeps
// no line (-128 in the table) as it has two predecessors.
TEST_CASE("with statement: no jump threading across lines") {
  Env env;
  Unit u = env.Function("f", 1, {"a", "b", "x"});
  const std::function<void()> orelse = [&] {
    u.set_lineno(6);
    u.LoadConst(env.heap.Int(2));
    u.AddOp(STORE_FAST, 2);
  };
  EmitIf(
      u, 2, [&] { u.AddOp(LOAD_FAST, 0); },
      [&] {
        const BlockId block = u.NewBlock();
        const BlockId final_block = u.NewBlock();
        const BlockId exit = u.NewBlock();
        u.set_lineno(3);
        u.AddOp(LOAD_FAST, 1);
        u.AddJump(SETUP_WITH, final_block);
        u.UseNextBlock(block);
        u.AddOp(POP_TOP);
        u.set_lineno(4);
        u.LoadConst(env.heap.Int(1));
        u.AddOp(STORE_FAST, 2);
        u.set_lineno(kNoLine);
        u.AddOp(POP_BLOCK);
        u.set_lineno(3);
        u.LoadConst(env.heap.None());
        u.AddOp(DUP_TOP);
        u.AddOp(DUP_TOP);
        u.AddOp(CALL_FUNCTION, 3);
        u.AddOp(POP_TOP);
        u.AddJump(JUMP_FORWARD, exit);
        u.UseNextBlock(final_block);
        u.AddOp(WITH_EXCEPT_START);
        const BlockId handled = u.NewBlock();
        u.AddJump(POP_JUMP_IF_TRUE, handled);
        u.NextBlock();
        u.AddOp(RERAISE, 1);
        u.UseNextBlock(handled);
        for (int k = 0; k < 3; ++k) u.AddOp(POP_TOP);
        u.AddOp(POP_EXCEPT);
        u.AddOp(POP_TOP);
        u.UseNextBlock(exit);
      },
      &orelse);
  for (int line : {7, 8}) {
    u.set_lineno(line);
    u.AddOp(LOAD_GLOBAL, static_cast<int32_t>(u.AddName("g")));
    u.AddOp(LOAD_FAST, 2);
    u.AddOp(CALL_FUNCTION, 1);
    u.set_lineno(kNoLine);
    u.AddOp(POP_TOP);
  }
  u.set_lineno(9);
  u.AddOp(LOAD_FAST, 2);
  u.AddOp(RETURN_VALUE);
  u.NextBlock();
  CheckAssembly(env, u,
                {"7c0072177c018f0a010064017d025700640004000400830301006e0831007311770101000100"
                 "0100590001006e0264027d0274007c028301010074007c02830101007c025300",
                 "0401060106011cff02800403080108010401", 8, 0x43, "(None, 1, 2)"});
}

}  // TEST_SUITE

}  // namespace
}  // namespace xpyc::codegen
