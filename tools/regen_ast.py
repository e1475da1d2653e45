#!/usr/bin/env python3
"""Regenerates the golden expectations of testdata/ast with the oracle.

For every testdata/ast/NAME.py writes NAME.py.expected: what
`xpyc --dump-ast NAME.py` must print (ast.dump(ast.parse(bytes, path),
include_attributes=True) and a newline), followed by the line "exit 0" that
tests/golden.sh appends. Also (re)writes the generated case deep.py.

Run with the oracle:
    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/regen_ast.py
"""
import ast
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "testdata", "ast")


def deep_source():
    """Deep but legal nesting: the parser and the dump must not overflow."""
    lines = [
        "parens = " + "(" * 150 + "1" + ")" * 150,
        "lists = " + "[" * 150 + "]" * 150,
        "chain = 1" + " + 1" * 3000,
        "compare = 0" + " < 0" * 1000,
        "unary = " + "-" * 1000 + "1",
        "nots = " + "not " * 1000 + "x",
        "attrs = a" + ".b" * 2000,
        "calls = f" + "()" * 2000,
        "subscripts = a" + "[0]" * 1000,
        "bools = a" + " or a" * 2000,
        "power = 2" + " ** 2" * 500,
        "targets = " * 500 + "0",
        "ifexp = " + "a if b else " * 300 + "c",
        "lambdas = " + "lambda: " * 200 + "0",
    ]
    lines += [" " * depth + "if x:" for depth in range(90)]
    lines.append(" " * 90 + "pass")
    return "\n".join(lines) + "\n"


def main():
    if sys.version_info[:2] != (3, 10):
        sys.exit("regen_ast.py must run under the CPython 3.10 oracle")
    with open(os.path.join(CASES, "deep.py"), "w") as f:
        f.write(deep_source())
    count = 0
    for name in sorted(os.listdir(CASES)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(CASES, name)
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, path)  # a golden case must be valid
        with open(path + ".expected", "w", encoding="utf-8") as f:
            f.write(ast.dump(tree, include_attributes=True) + "\n")
            f.write("exit 0\n")
        count += 1
    print(f"regen_ast: {count} expectations written to {os.path.normpath(CASES)}")


if __name__ == "__main__":
    # ast.dump recurses once per level of the deep case.
    import threading
    sys.setrecursionlimit(200000)
    threading.stack_size(512 * 1024 * 1024)
    worker = threading.Thread(target=main)
    worker.start()
    worker.join()
