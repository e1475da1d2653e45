"""Conformance stage `ast`: `xpyc --dump-ast FILE` against the oracle's
ast.dump(ast.parse(bytes, FILE), include_attributes=True).

Sub-checks, per file:
  dump    files the oracle parses: xpyc exits 0 and prints the same dump
  rejects files the oracle rejects: xpyc exits 1
  error   files the oracle rejects: same class, message and line in xpyc's
          "CLASS: MESSAGE (FILE, line N)" on stderr
"""
import ast
import sys

from harness import Result, first_difference

DESCRIPTION = "xpyc --dump-ast equals ast.dump(ast.parse(...), include_attributes=True)"

# ast.dump recurses once per tree level; the corpus has a few deep files.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))


def _oracle(path):
    with open(path, "rb") as f:
        source = f.read()
    try:
        tree = ast.parse(source, path)
    except (SyntaxError, ValueError) as e:
        line = getattr(e, "lineno", None) or 0
        msg = getattr(e, "msg", None) or str(e)
        return None, f"{type(e).__name__}: {msg} ({path}, line {line})"
    except MemoryError:
        return None, f"MemoryError:  ({path}, line 0)"
    try:
        return ast.dump(tree, include_attributes=True) + "\n", None
    except RecursionError:
        return "", "RecursionError"


def check(ctx, path):
    expected, error = _oracle(path)
    if expected == "" and error == "RecursionError":
        return Result.skip("oracle's ast.dump exceeds the recursion limit")
    r = ctx.run([ctx.xpyc, "--dump-ast", path])
    if r.crashed or r.timed_out:
        return r.failure("xpyc")
    if expected is not None:
        if r.returncode != 0:
            return {"dump": Result(False, f"xpyc exited with status {r.returncode}",
                                   r.err_text().strip()[:300])}
        got = r.text()
        if got == expected:
            return {"dump": Result(True)}
        return {"dump": Result(False, "dump differs", first_difference(
            expected.replace("), ", "),\n"), got.replace("), ", "),\n")))}
    rejects = Result(True) if r.returncode == 1 else Result(
        False, "oracle rejects, xpyc accepts" if r.returncode == 0
        else f"xpyc exited with status {r.returncode}", error)
    got_error = r.err_text().strip()
    if got_error == error:
        message = Result(True)
    else:
        message = Result(False, "error differs", f"expected {error!r}, got {got_error!r}")
    return {"rejects": rejects, "error": message}
