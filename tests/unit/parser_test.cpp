// Parser stage: AST shape, positions, the dump format, error placement and
// the deep-input guards. Expected dumps were printed by CPython 3.10.13's
// ast.dump(ast.parse(src), include_attributes=True).
#include <doctest/doctest.h>

#include <string>

#include "parser/parse.h"

namespace {

using namespace xpyc;

struct Outcome {
  bool ok = false;
  std::string dump;
  Diagnostic error;
};

Outcome ParseText(const std::string& src) {
  Diagnostics diag;
  Outcome out;
  auto tree = parse::ParseBytes(src, "<test>", diag);
  out.ok = tree != nullptr;
  if (tree) out.dump = parse::DumpAst(*tree);
  if (diag.error()) out.error = *diag.error();
  return out;
}

}  // namespace

TEST_SUITE("parser") {
  TEST_CASE("the node table gives every 3.10 constructor") {
    using namespace xpyc::ast;
    CHECK(static_cast<int>(ExprKind::Slice) == 26);
    CHECK(static_cast<int>(StmtKind::Continue) == 25);
    CHECK(static_cast<int>(PatternKind::MatchOr) == 7);
    ExprNode default_node;
    CHECK(default_node.kind == ExprKind::BoolOp);
    CHECK(ExprId{}.IsNone());
  }

  TEST_CASE("assignment with a binary operation") {
    Outcome r = ParseText("x = 1 + y\n");
    REQUIRE(r.ok);
    CHECK(r.dump ==
          "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, "
          "end_lineno=1, end_col_offset=1)], value=BinOp(left=Constant(value=1, lineno=1, "
          "col_offset=4, end_lineno=1, end_col_offset=5), op=Add(), right=Name(id='y', "
          "ctx=Load(), lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), lineno=1, "
          "col_offset=4, end_lineno=1, end_col_offset=9), lineno=1, col_offset=0, "
          "end_lineno=1, end_col_offset=9)], type_ignores=[])");
  }

  TEST_CASE("a decorated function starts at 'def'; None fields are omitted") {
    Outcome r = ParseText("@d\ndef f(a, /, *, b=1): pass\n");
    REQUIRE(r.ok);
    CHECK(r.dump ==
          "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[arg(arg='a', "
          "lineno=2, col_offset=6, end_lineno=2, end_col_offset=7)], args=[], "
          "kwonlyargs=[arg(arg='b', lineno=2, col_offset=15, end_lineno=2, "
          "end_col_offset=16)], kw_defaults=[Constant(value=1, lineno=2, col_offset=17, "
          "end_lineno=2, end_col_offset=18)], defaults=[]), body=[Pass(lineno=2, "
          "col_offset=21, end_lineno=2, end_col_offset=25)], decorator_list=[Name(id='d', "
          "ctx=Load(), lineno=1, col_offset=1, end_lineno=1, end_col_offset=2)], lineno=2, "
          "col_offset=0, end_lineno=2, end_col_offset=25)], type_ignores=[])");
  }

  TEST_CASE("a generator expression as sole argument and a trailing-comma tuple") {
    Outcome r = ParseText("f(x for x in y)\n1,\n");
    REQUIRE(r.ok);
    CHECK(r.dump ==
          "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=1, "
          "col_offset=0, end_lineno=1, end_col_offset=1), args=[GeneratorExp(elt=Name("
          "id='x', ctx=Load(), lineno=1, col_offset=2, end_lineno=1, end_col_offset=3), "
          "generators=[comprehension(target=Name(id='x', ctx=Store(), lineno=1, "
          "col_offset=8, end_lineno=1, end_col_offset=9), iter=Name(id='y', ctx=Load(), "
          "lineno=1, col_offset=13, end_lineno=1, end_col_offset=14), ifs=[], "
          "is_async=0)], lineno=1, col_offset=1, end_lineno=1, end_col_offset=15)], "
          "keywords=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=15), lineno=1, "
          "col_offset=0, end_lineno=1, end_col_offset=15), Expr(value=Tuple(elts=["
          "Constant(value=1, lineno=2, col_offset=0, end_lineno=2, end_col_offset=1)], "
          "ctx=Load(), lineno=2, col_offset=0, end_lineno=2, end_col_offset=2), lineno=2, "
          "col_offset=0, end_lineno=2, end_col_offset=2)], type_ignores=[])");
  }

  TEST_CASE("match with a class pattern and soft keywords used as names") {
    Outcome r = ParseText("match p:\n case P(1, y=_): pass\nmatch = 1\n");
    REQUIRE(r.ok);
    CHECK(r.dump.find("MatchClass(cls=Name(id='P', ctx=Load(), lineno=2, col_offset=6, "
                      "end_lineno=2, end_col_offset=7), patterns=[MatchValue(value=Constant("
                      "value=1, lineno=2, col_offset=8, end_lineno=2, end_col_offset=9), "
                      "lineno=2, col_offset=8, end_lineno=2, end_col_offset=9)], "
                      "kwd_attrs=['y'], kwd_patterns=[MatchAs(lineno=2, col_offset=13, "
                      "end_lineno=2, end_col_offset=14)]") != std::string::npos);
    CHECK(r.dump.find("Assign(targets=[Name(id='match', ctx=Store()") != std::string::npos);
  }

  TEST_CASE("f-string expressions are placed inside the string") {
    Outcome r = ParseText("f'a{b!r:>{w}}'\n");
    REQUIRE(r.ok);
    CHECK(r.dump.find("FormattedValue(value=Name(id='b', ctx=Load(), lineno=1, col_offset=4, "
                      "end_lineno=1, end_col_offset=5), conversion=114") != std::string::npos);
    CHECK(r.dump.find("Name(id='w', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, "
                      "end_col_offset=11)") != std::string::npos);
  }

  TEST_CASE("generic syntax errors sit at the furthest token of the first pass") {
    Outcome r = ParseText("x = (1 +\n    2) 3\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.cls == ErrorClass::SyntaxError);
    CHECK(r.error.message == "invalid syntax");
    CHECK(r.error.lineno == 2);
    CHECK(r.error.col == 7);
  }

  TEST_CASE("second-pass invalid_* rules give CPython's specific messages") {
    Outcome legacy = ParseText("if x:\n  print 'a', b\n");
    CHECK_FALSE(legacy.ok);
    CHECK(legacy.error.message == "Missing parentheses in call to 'print'. Did you mean print(...)?");
    CHECK(legacy.error.lineno == 2);
    CHECK(legacy.error.col == 2);
    CHECK(legacy.error.end_col == 14);
    Outcome comma = ParseText("f(a, b c)\n");
    CHECK(comma.error.message == "invalid syntax. Perhaps you forgot a comma?");
    CHECK(comma.error.col == 5);
    CHECK(comma.error.end_col == 8);
    Outcome no_comma_outside_brackets = ParseText("a b\n");
    CHECK(no_comma_outside_brackets.error.message == "invalid syntax");
    Outcome ifexp = ParseText("x = (a if b)\n");
    CHECK(ifexp.error.message == "expected 'else' after 'if' expression");
    Outcome call = ParseText("print (1) 2\n");
    CHECK(call.error.message == "invalid syntax");
    CHECK(call.error.col == 10);
  }

  TEST_CASE("a missing block is an IndentationError naming the statement") {
    Outcome r = ParseText("try:\n  pass\nexcept E:\npass\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.cls == ErrorClass::IndentationError);
    CHECK(r.error.message == "expected an indented block after 'except' statement on line 3");
    CHECK(r.error.lineno == 4);
    CHECK(r.error.col == 0);
    Outcome def = ParseText("async def f():\n# c\n\nx\n");
    CHECK(def.error.message == "expected an indented block after function definition on line 1");
    CHECK(def.error.lineno == 4);
  }

  TEST_CASE("a header ending at NEWLINE is \"expected ':'\" in the second pass") {
    for (const char* src : {"if x\n  pass\n", "class A(B)\n  pass\n", "with (a, b)\n  pass\n",
                            "try:\n  pass\nexcept\n  pass\n", "match x:\n  case 1 if y\n    pass\n"}) {
      Outcome r = ParseText(src);
      CHECK_FALSE(r.ok);
      CHECK(r.error.message == "expected ':'");
    }
    Outcome inline_body = ParseText("if x pass\n");
    CHECK(inline_body.error.message == "invalid syntax");
  }

  TEST_CASE("an unexpected indent is an IndentationError") {
    Outcome r = ParseText("x = 1\n    y = 2\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.cls == ErrorClass::IndentationError);
    CHECK(r.error.message == "unexpected indent");
    CHECK(r.error.lineno == 2);
  }

  TEST_CASE("forced tokens raise 'expected' in the first pass") {
    Outcome r = ParseText("def f() pass\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.message == "expected ':'");
    CHECK(r.error.col == 8);
  }

  TEST_CASE("deep unary chains stop with MemoryError instead of overflowing") {
    Outcome r = ParseText(std::string(100000, '-') + "x\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.cls == ErrorClass::MemoryError);
    Outcome ok = ParseText(std::string(4000, '-') + "x\n");
    CHECK(ok.ok);
  }

  TEST_CASE("long left-recursive chains parse and dump without recursion") {
    std::string src = "x = 1";
    for (int i = 0; i < 100000; ++i) src += "+1";
    src += "\n";
    Outcome r = ParseText(src);
    REQUIRE(r.ok);
    CHECK(r.dump.size() > 100000 * 60);
    CHECK(r.dump.substr(r.dump.size() - 16) == "type_ignores=[])");
  }

  TEST_CASE("too many nested parentheses is the tokenizer's error") {
    Outcome r = ParseText(std::string(100000, '(') + std::string(100000, ')') + "\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.message == "too many nested parentheses");
  }

  TEST_CASE("nested parenthesised targets stay fast (memoised)") {
    std::string target = "a";
    for (int i = 0; i < 150; ++i) target = "(" + target + ",)";
    Outcome r = ParseText(target + " = " + target + "\n");
    REQUIRE(r.ok);
    CHECK(r.dump.find("ctx=Store()") != std::string::npos);
  }
}
