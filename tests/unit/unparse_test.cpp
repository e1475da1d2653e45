// The annotation unparser (codegen/unparse.h), CPython 3.10's C unparser.
// Every expectation was produced by the oracle, CPython 3.10.13: the string
// it stores for `x: EXPR` under `from __future__ import annotations`. The
// golden stage testdata/unparse and tools/check_unparse.py cover much more.
#include <doctest/doctest.h>

#include <string>

#include "codegen/unparse.h"
#include "parser/parse.h"

namespace {

using namespace xpyc;
using namespace xpyc::ast;

// The annotation of the last statement of `src`, an annotated assignment.
struct Annotated {
  std::unique_ptr<Ast> tree;
  ExprId annotation;
};

Annotated ParseAnnotation(const std::string& src) {
  Annotated out;
  Diagnostics diag;
  out.tree = parse::ParseBytes(src, "<test>", diag);
  REQUIRE(out.tree != nullptr);
  const Ast& t = *out.tree;
  auto body = t[t[t.root].Module.body];
  const StmtNode& s = t[body[body.size() - 1]];
  REQUIRE(s.kind == StmtKind::AnnAssign);
  out.annotation = s.AnnAssign.annotation;
  return out;
}

std::string Unparse(const std::string& expr) {
  Annotated a = ParseAnnotation("from __future__ import annotations\nx: " + expr + "\n");
  return codegen::UnparseAnnotation(*a.tree, a.annotation);
}

struct Case {
  const char* expr;
  const char* expected;
};

}  // namespace

TEST_CASE("unparse: annotations as CPython 3.10 writes them") {
  static const Case kCases[] = {
    {"a or b and not c", "a or b and not c"},
    {"(a or b) and c", "(a or b) and c"},
    {"a ** b ** c", "a ** b ** c"},
    {"(a ** b) ** c", "(a ** b) ** c"},
    {"-a ** -b", "-a ** (-b)"},
    {"a - (b - c)", "a - (b - c)"},
    {"a < b < c", "a < b < c"},
    {"not (a < b)", "not a < b"},
    {"(a if b else c) if d else e", "(a if b else c) if d else e"},
    {"1 .real", "1 .real"},
    {"1.5.real", "1.5.real"},
    {"1e999", "1e309"},
    {"1e999j", "1e309j"},
    {"-1e999", "-1e309"},
    {"1e16", "1e+16"},
    {"1e-7", "1e-07"},
    {"3.0j", "3j"},
    {"0x10", "16"},
    {"'it\\'s'", "\"it's\""},
    {"'say \"hi\"'", "'say \"hi\"'"},
    {"b'\\x00\\'\"'", "b'\\x00\\'\"'"},
    {"u'abc'", "u'abc'"},
    {"...", "..."},
    {"a[1:2, ::3, 4]", "a[1:2, ::3, 4]"},
    {"a[()]", "a[()]"},
    {"a[(1,)]", "a[1,]"},
    {"a[(*b,)]", "a[(*b,)]"},
    {"a[::]", "a[:]"},
    {"(a, *b)", "(a, *b)"},
    {"{**a, 'b': c}", "{**a, 'b': c}"},
    {"{*a, b}", "{*a, b}"},
    {"f(*a, **b, c=d)", "f(*a, **b, c=d)"},
    {"f(x for x in y)", "f(x for x in y)"},
    {"f((x for x in y), 1)", "f((x for x in y), 1)"},
    {"[x async for x in y if a if b for z in w]", "[x async for x in y if a if b for z in w]"},
    {"{k: v for k, v in x}", "{k: v for k, v in x}"},
    {"lambda: 0", "lambda: 0"},
    {"lambda *a: 0", "lambda*a: 0"},
    {"lambda **k: 0", "lambda**k: 0"},
    {"lambda *, a: 0", "lambda*, a: 0"},
    {"lambda a, /, b=1, *c, d, e=2, **f: 0", "lambda a, /, b=1, *c, d, e=2, **f: 0"},
    {"lambda: (y := 1)", "lambda: (y := 1)"},
    {"lambda: a[(y := 1)]", "lambda: a[y := 1]"},
    {"lambda: (yield)", "lambda: (yield)"},
    {"lambda: (yield 1, 2)", "lambda: (yield (1, 2))"},
    {"lambda: (yield from x)", "lambda: (yield from x)"},
    {"lambda: (await x) ** 2", "lambda: await x ** 2"},
    {"lambda: await (await x)", "lambda: await (await x)"},
    {"f\"{x!r:>{w}} {{ }} {'a'} {y=}\"", "f\"{x!r:>{w}} {{ }} {'a'} y={y!r}\""},
    {"f\"{ {1: 2} }\"", "f'{ {1: 2}}'"},
    {"f\"{'a' if b else 'c'}\"", "f\"{('a' if b else 'c')}\""},
    {"f'{x}' 'b' f'{c}'", "f'{x}b{c}'"},
    {"f\"{f'{x}'}\"", "f\"{f'{x}'}\""},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.expr);
    CHECK(Unparse(c.expr) == c.expected);
  }
}

TEST_CASE("unparse: an int repr over 4300 digits fails as in CPython") {
  // 16**3571 - 1 has 4300 decimal digits, 16**3572 - 1 has 4302.
  std::string ok = "0x" + std::string(3571, 'f');
  std::string too_long = "0x" + std::string(3572, 'f');
  Annotated a = ParseAnnotation("x: " + ok + "\n");
  auto text = codegen::TryUnparseAnnotation(*a.tree, a.annotation);
  REQUIRE(text.has_value());
  CHECK(text->size() == 4300);
  Annotated b = ParseAnnotation("x: " + too_long + "\n");
  CHECK_FALSE(codegen::TryUnparseAnnotation(*b.tree, b.annotation).has_value());
  CHECK(codegen::UnparseAnnotation(*b.tree, b.annotation).size() == 4302);
}
