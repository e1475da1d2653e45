// Symbol table: scopes, flags and resolved scopes of names, and the errors
// the symbol table raises. Expected texts come from CPython 3.10.13's symtable
// module (symtable.symtable(src, '<test>', 'exec')) rendered in the
// DumpSymtable format by tools/check_symtable.py's dump_entry; the
// compiler-facing flags come from the oracle's code objects (co_flags,
// co_cellvars, co_freevars) as noted at each check.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "codegen/symtable.h"
#include "parser/parse.h"

namespace {

using namespace xpyc;
using symtable::Scope;

// The dump, or the error as the dump tool prints it (1-based columns).
std::string DumpOf(const std::string& src) {
  Diagnostics diag;
  auto tree = parse::ParseBytes(src, "<test>", diag);
  if (!tree) return "parse error";
  auto table = symtable::Build(*tree, symtable::ScanFutureFeatures(*tree), diag);
  if (!table) {
    if (!diag.error()) return "no error recorded";
    const Diagnostic& d = *diag.error();
    return fmt::format("error {}: {} line {} col {} end {} endcol {}\n", ErrorClassName(d.cls),
                       d.message, d.lineno, d.col + 1, d.end_lineno, d.end_col + 1);
  }
  return symtable::DumpSymtable(*table);
}

struct Built {
  std::unique_ptr<ast::Ast> tree;
  std::unique_ptr<symtable::SymbolTable> table;
  ast::StmtId Stmt(size_t i) const { return (*tree)[(*tree)[tree->root].Module.body][i]; }
};

Built BuildOf(const std::string& src) {
  Diagnostics diag;
  Built b;
  b.tree = parse::ParseBytes(src, "<test>", diag);
  REQUIRE(b.tree);
  b.table = symtable::Build(*b.tree, symtable::ScanFutureFeatures(*b.tree), diag);
  REQUIRE(b.table);
  return b;
}

const symtable::Entry& ChildNamed(const symtable::SymbolTable& t, const symtable::Entry& e,
                                  std::string_view name) {
  for (uint32_t c : e.children)
    if (t.Spelling(t[c].name) == name) return t[c];
  FAIL("no child " << std::string(name));
  return e;
}

}  // namespace

TEST_SUITE("symtable") {
  TEST_CASE("globals, nonlocals, cells and frees across nested functions") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(x = 1
def f(a, *args, b, **kw):
    global x
    y = 2
    def g():
        nonlocal y
        y = a
        def h():
            return y, x, z
        return h
    return g
)") ==
          R"(block 0 module top 0 nested=0
sym x 3 2
sym f 2 1
varnames
block 1 function f 2 nested=0
sym a 4 5
sym b 4 1
sym args 4 1
sym kw 4 1
sym x 1 2
sym y 2 5
sym g 18 1
varnames a b args kw
block 2 function g 5 nested=1
sym y 10 4
sym a 16 4
sym h 18 1
varnames
block 3 function h 8 nested=1
sym y 16 4
sym x 16 3
sym z 16 3
varnames
)");
  }

  TEST_CASE("class scope names are invisible in methods; super() and __class__ make the class cell") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(class A(B, metaclass=M):
    v = 1
    def f(self):
        return v, super().f()
    def g(self):
        return __class__
    def h(self):
        v = 2
        class C:
            def k(self): return v
        return C
)") ==
          R"(block 0 module top 0 nested=0
sym A 2 1
sym B 16 3
sym M 16 3
varnames
block 1 class A 1 nested=0
sym v 2 1
sym f 2 1
sym g 2 1
sym h 2 1
varnames
block 2 function f 3 nested=0
sym self 4 1
sym v 16 3
sym super 16 3
sym __class__ 16 4
varnames self
block 2 function g 5 nested=0
sym self 4 1
sym __class__ 16 4
varnames self
block 2 function h 7 nested=0
sym self 4 1
sym v 2 5
sym C 18 1
varnames self
block 3 class C 9 nested=1
sym k 2 1
sym v 0 4
varnames
block 4 function k 10 nested=1
sym self 4 1
sym v 16 4
varnames self
)");
  }

  TEST_CASE("comprehensions get their own scopes with the implicit .0 argument") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(def f(xs):
    a = [x * y for x in xs for y in range(x) if x]
    b = {k: v for k, v in xs}
    c = {s for s in xs}
    d = (g for g in xs)
    return a, b, c, d
)") ==
          R"(block 0 module top 0 nested=0
sym f 2 1
varnames
block 1 function f 1 nested=0
sym xs 20 1
sym a 18 1
sym b 18 1
sym c 18 1
sym d 18 1
varnames xs
block 2 function listcomp 2 nested=1
sym .0 4 1
sym x 530 1
sym y 530 1
sym range 16 3
varnames .0
block 2 function dictcomp 3 nested=1
sym .0 4 1
sym k 530 1
sym v 530 1
varnames .0
block 2 function setcomp 4 nested=1
sym .0 4 1
sym s 530 1
varnames .0
block 2 function genexpr 5 nested=1
sym .0 4 1
sym g 530 1
varnames .0
)");
  }

  TEST_CASE("lambdas and defaults are evaluated in the enclosing scope") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(def f(p=q, *, r=s):
    return lambda a, b=p, *c, d, **e: (a, p, t)
)") ==
          R"(block 0 module top 0 nested=0
sym f 2 1
sym q 16 3
sym s 16 3
varnames
block 1 function f 1 nested=0
sym p 20 5
sym r 4 1
varnames p r
block 2 function lambda 2 nested=1
sym a 20 1
sym b 4 1
sym d 4 1
sym c 4 1
sym e 4 1
sym p 16 4
sym t 16 3
varnames a b d c e
)");
  }

  TEST_CASE("walrus in a comprehension binds in the enclosing function") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(def f(xs):
    [last := x for x in xs]
    [[inner := 1 for a in b] for c in xs]
    return last
[m := 1 for n in o]
)") ==
          R"(block 0 module top 0 nested=0
sym f 2 1
sym o 16 3
sym m 1 2
varnames
block 1 function f 1 nested=0
sym xs 20 1
sym last 18 5
sym inner 2 5
varnames xs
block 2 function listcomp 2 nested=1
sym .0 4 1
sym x 530 1
sym last 10 4
varnames .0
block 2 function listcomp 3 nested=1
sym .0 4 1
sym c 514 1
sym b 16 3
sym inner 0 4
varnames .0
block 3 function listcomp 3 nested=1
sym .0 4 1
sym a 514 1
sym inner 10 4
varnames .0
block 1 function listcomp 5 nested=0
sym .0 4 1
sym n 514 1
sym m 3 2
varnames .0
)");
  }

  TEST_CASE("private names are mangled inside classes") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(class _Spam__:
    __a = 1
    __b__ = 2
    def __m(self, __p):
        import __mod.sub
        global __g
        return self.__a, __p, __q
)") ==
          R"(block 0 module top 0 nested=0
sym _Spam__ 2 1
sym _Spam____g 1 2
varnames
block 1 class _Spam__ 1 nested=0
sym _Spam____a 2 1
sym __b__ 2 1
sym _Spam____m 2 1
varnames
block 2 function __m 4 nested=0
sym self 20 1
sym _Spam____p 20 1
sym _Spam____mod 128 1
sym _Spam____g 1 2
sym _Spam____q 16 3
varnames self _Spam____p
)");
  }

  TEST_CASE("annotations are visited in the enclosing scope without the future import") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(def f(a: A, *b: B, c: C = D, **d: E) -> R:
    x: int = 1
    y: str
    (z): float
    self.w: int = 0
)") ==
          R"(block 0 module top 0 nested=0
sym f 2 1
sym D 16 3
sym A 16 3
sym B 16 3
sym E 16 3
sym C 16 3
sym R 16 3
varnames
block 1 function f 1 nested=0
sym a 4 1
sym c 4 1
sym b 4 1
sym d 4 1
sym x 258 1
sym int 16 3
sym y 258 1
sym str 16 3
sym float 16 3
sym self 16 3
varnames a c b d
)");
  }

  TEST_CASE("with from __future__ import annotations, annotation names go nowhere") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(from __future__ import annotations
def f(a: A, *b: B) -> R:
    x: int = 1
    y: (lambda: q)
class K:
    z: T
)") ==
          R"(block 0 module top 0 nested=0
sym annotations 128 1
sym f 2 1
sym K 2 1
varnames
block 1 function f 2 nested=0
sym a 4 1
sym b 4 1
sym x 258 1
sym y 258 1
varnames a b
block 1 class K 5 nested=0
sym z 258 1
varnames
)");
  }

  TEST_CASE("imports bind the first dotted component; try/except binds the handler name") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(import os.path, a.b as c
from m import n, o as p
try:
    pass
except E as err:
    pass
else:
    q
finally:
    r
)") ==
          R"(block 0 module top 0 nested=0
sym os 128 1
sym c 128 1
sym n 128 1
sym p 128 1
sym q 16 3
sym E 16 3
sym err 2 1
sym r 16 3
varnames
)");
  }

  TEST_CASE("match patterns bind their capture names") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(match s:
    case [a, *rest]: pass
    case {'k': v, **kw}: pass
    case P(x, y=yy) as whole: pass
    case (1 | 2) as one if g: pass
)") ==
          R"(block 0 module top 0 nested=0
sym s 16 3
sym a 2 1
sym rest 2 1
sym v 2 1
sym kw 2 1
sym P 16 3
sym x 2 1
sym yy 2 1
sym whole 2 1
sym one 2 1
sym g 16 3
varnames
)");
  }

  TEST_CASE("generators, coroutines and async comprehensions") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(def gen():
    yield 1
async def co():
    await x
    return [i async for i in y]
)") ==
          R"(block 0 module top 0 nested=0
sym gen 2 1
sym co 2 1
varnames
block 1 function gen 1 nested=0
varnames
block 1 function co 3 nested=0
sym x 16 3
sym y 16 3
varnames
block 2 function listcomp 5 nested=1
sym .0 4 1
sym i 530 1
varnames .0
)");
  }

  TEST_CASE("a global in a nested function is a global implicit in inner scopes") {
    // Oracle: symtable.symtable(src, '<test>', 'exec'), printed by
    // tools/check_symtable.py's dump_entry.
    CHECK(DumpOf(R"(def f():
    global x
    def g():
        return x
)") ==
          R"(block 0 module top 0 nested=0
sym f 2 1
sym x 1 2
varnames
block 1 function f 1 nested=0
sym x 1 2
sym g 2 1
varnames
block 2 function g 3 nested=1
sym x 16 3
varnames
)");
  }


  TEST_CASE("errors the symbol table raises, with CPython's positions") {
    // Oracle: the SyntaxError symtable.symtable raises (msg, lineno, offset,
    // end_lineno, end_offset).
    CHECK(DumpOf(R"(def f(a, a): pass)") ==
          R"(error SyntaxError: duplicate argument 'a' in function definition line 1 col 10 end 1 endcol 11
)");
    CHECK(DumpOf(R"(def f(a):
    global a)") ==
          R"(error SyntaxError: name 'a' is parameter and global line 2 col 5 end 2 endcol 13
)");
    CHECK(DumpOf(R"(def f(a):
    nonlocal a)") ==
          R"(error SyntaxError: name 'a' is parameter and nonlocal line 2 col 5 end 2 endcol 15
)");
    CHECK(DumpOf(R"(def f():
    x = 1
    global x)") ==
          R"(error SyntaxError: name 'x' is assigned to before global declaration line 3 col 5 end 3 endcol 13
)");
    CHECK(DumpOf(R"(def f():
    x
    global x)") ==
          R"(error SyntaxError: name 'x' is used prior to global declaration line 3 col 5 end 3 endcol 13
)");
    CHECK(DumpOf(R"(def f():
    x = 1
    def g():
        x = 2
        nonlocal x)") ==
          R"(error SyntaxError: name 'x' is assigned to before nonlocal declaration line 5 col 9 end 5 endcol 19
)");
    CHECK(DumpOf(R"(def f():
    x = 1
    def g():
        print(x)
        nonlocal x)") ==
          R"(error SyntaxError: name 'x' is used prior to nonlocal declaration line 5 col 9 end 5 endcol 19
)");
    CHECK(DumpOf(R"(def f():
    x: int
    global x)") ==
          R"(error SyntaxError: annotated name 'x' can't be global line 3 col 5 end 3 endcol 13
)");
    CHECK(DumpOf(R"(def f():
    global x
    x: int = 1)") ==
          R"(error SyntaxError: annotated name 'x' can't be global line 3 col 5 end 3 endcol 15
)");
    CHECK(DumpOf(R"(def f():
    x = 1
    def g():
        nonlocal x
        x: int)") ==
          R"(error SyntaxError: annotated name 'x' can't be nonlocal line 5 col 9 end 5 endcol 15
)");
    CHECK(DumpOf(R"(def f():
    x = 1
    def g():
        nonlocal x
        global x)") ==
          R"(error SyntaxError: name 'x' is nonlocal and global line 4 col 9 end 4 endcol 19
)");
    CHECK(DumpOf(R"(nonlocal x)") ==
          R"(error SyntaxError: nonlocal declaration not allowed at module level line 1 col 1 end 1 endcol 11
)");
    CHECK(DumpOf(R"(def f():
    nonlocal x)") ==
          R"(error SyntaxError: no binding for nonlocal 'x' found line 2 col 5 end 2 endcol 15
)");
    CHECK(DumpOf(R"(class C:
    nonlocal x)") ==
          R"(error SyntaxError: no binding for nonlocal 'x' found line 2 col 5 end 2 endcol 15
)");
    CHECK(DumpOf(R"(def f():
    from os import *)") ==
          R"(error SyntaxError: import * only allowed at module level line 2 col 20 end 2 endcol 21
)");
    CHECK(DumpOf(R"([x for x in (y := [1])])") ==
          R"(error SyntaxError: assignment expression cannot be used in a comprehension iterable expression line 1 col 14 end 1 endcol 22
)");
    CHECK(DumpOf(R"([x for x in range(3) if (x := 1)])") ==
          R"(error SyntaxError: assignment expression cannot rebind comprehension iteration variable 'x' line 1 col 26 end 1 endcol 27
)");
    CHECK(DumpOf(R"([i for i in range(3) for j in (k := [1])])") ==
          R"(error SyntaxError: assignment expression cannot be used in a comprehension iterable expression line 1 col 32 end 1 endcol 40
)");
    CHECK(DumpOf(R"(def f():
    [(j := 0) for i in range(5) for j in range(5)])") ==
          R"(error SyntaxError: assignment expression cannot rebind comprehension iteration variable 'j' line 2 col 7 end 2 endcol 8
)");
    CHECK(DumpOf(R"(class C:
    [(y := 1) for x in z])") ==
          R"(error SyntaxError: assignment expression within a comprehension cannot be used in a class body line 2 col 7 end 2 endcol 8
)");
    CHECK(DumpOf(R"([(yield) for x in y])") ==
          R"(error SyntaxError: 'yield' inside list comprehension line 1 col 3 end 1 endcol 8
)");
    CHECK(DumpOf(R"({(yield) for x in y})") ==
          R"(error SyntaxError: 'yield' inside set comprehension line 1 col 3 end 1 endcol 8
)");
    CHECK(DumpOf(R"({k: (yield) for k in y})") ==
          R"(error SyntaxError: 'yield' inside dict comprehension line 1 col 6 end 1 endcol 11
)");
    CHECK(DumpOf(R"(((yield from z) for x in y))") ==
          R"(error SyntaxError: 'yield' inside generator expression line 1 col 3 end 1 endcol 15
)");
    CHECK(DumpOf(R"(from __future__ import annotations
x: (yield))") ==
          R"(error SyntaxError: 'yield expression' can not be used within an annotation line 2 col 5 end 2 endcol 10
)");
    CHECK(DumpOf(R"(from __future__ import annotations
def f() -> (await g): pass)") ==
          R"(error SyntaxError: 'await expression' can not be used within an annotation line 2 col 13 end 2 endcol 20
)");
    CHECK(DumpOf(R"(from __future__ import annotations
def f(a: (b := 1)): pass)") ==
          R"(error SyntaxError: 'named expression' can not be used within an annotation line 2 col 11 end 2 endcol 17
)");
    CHECK(DumpOf(R"(class C:
    def __m(self, __a, __a): pass)") ==
          R"(error SyntaxError: duplicate argument '__a' in function definition line 2 col 24 end 2 endcol 27
)");
    CHECK(DumpOf(R"([i for i in range(5) if (j := 0) for j in range(5)])") ==
          R"(error SyntaxError: comprehension inner loop cannot rebind assignment expression target 'j' line 1 col 38 end 1 endcol 39
)");
  }

  TEST_CASE("deep nesting gives CPython's RecursionError, not a crash") {
    // Oracle: compile('1+' * 5000 + '1', 'f', 'exec') raises RecursionError:
    // maximum recursion depth exceeded during compilation.
    std::string src;
    for (int i = 0; i < 5000; ++i) src += "1+";
    src += "1\n";
    std::string out = DumpOf(src);
    CHECK(out.rfind("error RecursionError: maximum recursion depth exceeded during compilation",
                    0) == 0);
    // Oracle: `python3.10 -m compileall DIR` compiles 2965 additions and
    // fails with that RecursionError from 2966 (BuildOptions' default).
    auto sum_of = [](int n) {
      std::string s;
      for (int i = 0; i < n; ++i) s += "1+";
      return s + "1\n";
    };
    CHECK(DumpOf(sum_of(2965)).rfind("block 0 module top", 0) == 0);
    CHECK(DumpOf(sum_of(2966)).rfind("error RecursionError", 0) == 0);
  }

  TEST_CASE("compiler-facing flags and lookups") {
    Built b = BuildOf(
        "def f(a, *args, b, **kw):\n"
        "    y = 2\n"
        "    def g():\n"
        "        nonlocal y\n"
        "        return a\n"
        "    return g\n"
        "def gen():\n"
        "    yield 1\n"
        "async def co():\n"
        "    await x\n"
        "    return [i async for i in y]\n"
        "class A:\n"
        "    def m(self):\n"
        "        return super().m()\n"
        "class B:\n"
        "    def m(self): pass\n");
    const auto& t = *b.table;
    // f: co_flags has VARARGS|VARKEYWORDS, co_cellvars == ('a', 'y'),
    // co_varnames starts ('a', 'b', 'args', 'kw').
    const symtable::Entry* f = t.ForStmt(b.Stmt(0));
    REQUIRE(f);
    CHECK(t.Spelling(f->name) == "f");
    CHECK(f->varargs);
    CHECK(f->varkeywords);
    CHECK(f->returns_value);
    CHECK(f->child_free);
    CHECK_FALSE(f->free);
    CHECK_FALSE(f->generator);
    REQUIRE(f->varnames.size() == 4);
    CHECK(t.Spelling(f->varnames[0]) == "a");
    CHECK(t.Spelling(f->varnames[1]) == "b");
    CHECK(t.Spelling(f->varnames[2]) == "args");
    CHECK(t.Spelling(f->varnames[3]) == "kw");
    CHECK(t.GetScope(*f, "a") == Scope::Cell);
    CHECK(t.GetScope(*f, "y") == Scope::Cell);
    CHECK(t.GetScope(*f, "g") == Scope::Local);
    CHECK(t.GetScope(*f, "missing") == Scope::Unresolved);
    // g: co_freevars == ('a', 'y'), co_flags has NESTED.
    const symtable::Entry& g = ChildNamed(t, *f, "g");
    CHECK(g.nested);
    CHECK(g.free);
    CHECK(t.GetScope(g, "a") == Scope::Free);
    CHECK(t.GetScope(g, "y") == Scope::Free);
    REQUIRE(t.Lookup(g, "y"));
    CHECK((t.Lookup(g, "y")->flags & symtable::kDefNonlocal) != 0);
    // gen: co_flags has GENERATOR.
    const symtable::Entry* gen = t.ForStmt(b.Stmt(1));
    REQUIRE(gen);
    CHECK(gen->generator);
    CHECK_FALSE(gen->coroutine);
    // co: co_flags has COROUTINE; its listcomp is a coroutine too (the
    // comprehension's code has CO_COROUTINE).
    const symtable::Entry* co = t.ForStmt(b.Stmt(2));
    REQUIRE(co);
    CHECK(co->coroutine);
    REQUIRE(co->children.size() == 1);
    const symtable::Entry& lc = t[co->children[0]];
    CHECK(lc.comprehension == symtable::ComprehensionKind::List);
    CHECK(lc.coroutine);
    CHECK(lc.nested);
    CHECK(t.Spelling(lc.varnames.at(0)) == ".0");
    // The listcomp is found from its expression (the Return's value).
    const ast::Ast& tree = *b.tree;
    auto co_body = tree[tree[b.Stmt(2)].AsyncFunctionDef.body];
    const ast::StmtNode& ret = tree[co_body[co_body.size() - 1]];
    REQUIRE(ret.kind == ast::StmtKind::Return);
    CHECK(t.ForExpr(ret.Return.value) == &lc);
    CHECK(t.ForStmt(co_body[0]) == nullptr);
    // A: the class body's code has co_cellvars == ('__class__',); B's has none.
    const symtable::Entry* a = t.ForStmt(b.Stmt(3));
    REQUIRE(a);
    CHECK(a->type == symtable::BlockType::Class);
    CHECK(a->needs_class_closure);
    CHECK(t.GetScope(ChildNamed(t, *a, "m"), "__class__") == Scope::Free);
    CHECK_FALSE(t.ForStmt(b.Stmt(4))->needs_class_closure);
    CHECK(t.top().type == symtable::BlockType::Module);
    CHECK(t.GetScope(t.top(), "x") == Scope::Unresolved);
  }

  TEST_CASE("_Py_Mangle rules") {
    // Oracle: class C: names as stored in C.__dict__ / co_names.
    CHECK(symtable::Mangle("Spam", "__a") == "_Spam__a");
    CHECK(symtable::Mangle("_Spam__", "__a") == "_Spam____a");
    CHECK(symtable::Mangle("Spam", "__a__") == "__a__");
    CHECK(symtable::Mangle("Spam", "_a") == "_a");
    CHECK(symtable::Mangle("Spam", "__a.b") == "__a.b");
    CHECK(symtable::Mangle("___", "__a") == "__a");
    CHECK(symtable::Mangle("", "__a") == "__a");
    CHECK(symtable::Mangle("Spam", "__") == "__");
  }
}
