#!/usr/bin/env python3
"""Regenerates the error suite testdata/errors/*.cases from CPython's own tests.

Run it with the oracle (CPython 3.10.13):

    python3.10 tools/regen_errors.py [TEST_DIR] [OUT_DIR]

(tools/regen_goldens.sh runs it with the other regen_*.py scripts.) TEST_DIR
defaults to the running interpreter's lib/python3.10/test, OUT_DIR to
testdata/errors. From each test module listed in MODULES it takes every str
and bytes constant (docstrings excepted: they are prose) and every doctest
example (">>> " lines with their "... " continuations), plus the dedented form
of each; compiles each one as bytes, as compileall does (compile(source,
'case.py', 'exec'), in an empty folder so that no case.py can be read back);
and keeps those that raise. A case whose error ast.parse also raises goes to
parse-MODULE.cases, one raised only by the compiler proper (symbol table,
code generator) to compile-MODULE.cases.

Each line of a .cases file is NAME<TAB>SOURCE<TAB>EXPECTED (SOURCE escaped,
EXPECTED the record `xpyc --check-errors` prints; see tools/errors_common.py).
`xpyc --check-errors --suite testdata/errors/*.cases` runs them.
"""
import ast
import os
import re
import sys
import sysconfig
import tempfile
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import errors_common  # noqa: E402

MODULES = [
    "test_syntax", "test_exceptions", "test_grammar", "test_fstring",
    "test_string_literals", "test_unicode_identifiers", "test_eof",
    "test_positional_only_arg", "test_named_expressions", "test_generators",
    "test_future", "test_future3", "test_future4", "test_future5",
    "test_global", "test_keywordonlyarg", "test_unpack_ex", "test_utf8source",
    "test_source_encoding", "test_patma", "test_compile", "test_ast",
    "test_coroutines", "test_genexps", "test_listcomps", "test_setcomps",
    "test_dictcomps", "test_decorators", "test_with", "test_raise",
    "test_scope", "test_flufl", "test_traceback", "test_tokenize",
    "test_unparse", "test_lib2to3", "test_baseexception", "test_class",
    "test_bytes", "test_unicode", "test_int", "test_float", "test_complex",
    "test_print", "test_opcodes", "test_type_comments", "test_cmd_line_script",
    "test_code_module", "test_codeop", "test_symtable", "test_funcattrs",
    "test_string", "test_syntax",
]
MAX_SOURCE = 4000
DOCTEST_START = re.compile(r"^\s*>>> ?(.*)$")
DOCTEST_MORE = re.compile(r"^\s*\.\.\.(?: (.*))?$")


def doctest_sources(text):
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = DOCTEST_START.match(lines[i])
        if not m:
            i += 1
            continue
        body = [m.group(1)]
        i += 1
        while i < len(lines):
            more = DOCTEST_MORE.match(lines[i])
            if not more:
                break
            body.append(more.group(1) or "")
            i += 1
        yield "\n".join(body) + "\n"


def module_candidates(path):
    with open(path, "rb") as f:
        tree = ast.parse(f.read(), path)
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant):
            continue
        value = node.value
        if id(node) in docstrings:
            # Prose: only its doctest examples are cases.
            if isinstance(value, str):
                yield from doctest_sources(value)
            continue
        if isinstance(value, bytes):
            yield value
        elif isinstance(value, str):
            yield value
            if ">>>" in value:
                yield from doctest_sources(value)
            dedented = textwrap.dedent(value)
            if dedented != value:
                yield dedented


def as_bytes(candidate):
    if isinstance(candidate, bytes):
        return candidate
    try:
        return candidate.encode("utf-8")
    except UnicodeEncodeError:
        return None


def harvest(test_dir, out_dir):
    seen = set()
    totals = {"parse": 0, "compile": 0}
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        if name.endswith(".cases"):
            os.remove(os.path.join(out_dir, name))
    for module in dict.fromkeys(MODULES):
        path = os.path.join(test_dir, module + ".py")
        if not os.path.exists(path):
            path = os.path.join(test_dir, module, "__init__.py")
        if not os.path.exists(path):
            continue
        rows = {"parse": [], "compile": []}
        for index, candidate in enumerate(module_candidates(path)):
            source = as_bytes(candidate)
            if source is None or len(source) > MAX_SOURCE or source in seen:
                continue
            seen.add(source)
            record, exc = errors_common.oracle_record(source, errors_common.SUITE_FILE_NAME)
            if exc is None or isinstance(exc, (MemoryError, RecursionError)):
                continue
            parsed, _ = errors_common.oracle_record(
                source, errors_common.SUITE_FILE_NAME, parse_only=True)
            stage = "parse" if parsed != "OK" else "compile"
            rows[stage].append("%s:%d\t%s\t%s" % (
                module, len(rows[stage]) + 1, errors_common.escape_bytes(source), record))
        for stage, lines in rows.items():
            if not lines:
                continue
            totals[stage] += len(lines)
            with open(os.path.join(out_dir, "%s-%s.cases" % (stage, module)), "w",
                      encoding="ascii", newline="\n") as f:
                f.write("\n".join(lines) + "\n")
    print("harvested %d parser cases, %d compiler cases" % (totals["parse"], totals["compile"]))


def main():
    default_dir = os.path.join(sysconfig.get_paths()["stdlib"], "test")
    test_dir = sys.argv[1] if len(sys.argv) > 1 else default_dir
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "testdata", "errors")
    test_dir, out_dir = os.path.abspath(test_dir), os.path.abspath(out_dir)
    with tempfile.TemporaryDirectory() as empty:
        os.chdir(empty)
        harvest(test_dir, out_dir)


if __name__ == "__main__":
    main()
