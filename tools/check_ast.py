#!/usr/bin/env python3
"""Compares `xpyc --dump-ast` with the oracle's ast.dump over a corpus.

Standalone twin of tests/conformance/stages/ast.py. Runs under the oracle:
    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/check_ast.py \
        [--xpyc build/xpyc] [--jobs 2] [--show 5] [FILE_OR_DIR ...]
Default corpus: the oracle's lib/python3.10 without site-packages.
Prints "ast: N/M match" and the mismatches grouped by kind.
"""
import argparse
import ast
import collections
import concurrent.futures
import os
import subprocess
import sys
import sysconfig

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/conformance"))
from harness import corpus_files  # noqa: E402


def corpus(paths):
    return corpus_files(*(paths or [sysconfig.get_paths()["stdlib"]]))


def oracle_dump(path):
    with open(path, "rb") as f:
        src = f.read()
    try:
        tree = ast.parse(src, path)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
        return None, f"{type(e).__name__}: {getattr(e, 'msg', e)}"
    return ast.dump(tree, include_attributes=True) + "\n", None


def first_difference(a, b):
    n = min(len(a), len(b))
    i = next((k for k in range(n) if a[k] != b[k]), n)
    lo = max(0, i - 80)
    return f"at char {i}: expected ...{a[lo:i + 80]!r}... got ...{b[lo:i + 80]!r}..."


def check(xpyc, path):
    expected, error = oracle_dump(path)
    try:
        r = subprocess.run([xpyc, "--dump-ast", path], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return path, "timeout", ""
    if r.returncode < 0:
        return path, f"crash (signal {-r.returncode})", ""
    got = r.stdout.decode("utf-8", "replace")
    if expected is None:
        if r.returncode == 1:
            return path, "ok", ""
        return path, "oracle rejects, xpyc accepts", error
    if r.returncode != 0:
        return path, "xpyc rejects", r.stderr.decode("utf-8", "replace").strip()[:200]
    if got == expected:
        return path, "ok", ""
    return path, "dump differs", first_difference(expected, got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xpyc", default=os.path.join(
        os.path.dirname(__file__), "..", "build", "driver", "xpyc"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    files = corpus(args.paths)
    kinds = collections.defaultdict(list)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for path, kind, detail in pool.map(lambda p: check(args.xpyc, p), files):
            kinds[kind].append((path, detail))
    ok = len(kinds.get("ok", []))
    print(f"ast: {ok}/{len(files)} match")
    for kind, items in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        if kind == "ok":
            continue
        print(f"  {len(items)} files: {kind}")
        for path, detail in items[:args.show]:
            print(f"    {path}: {detail}")
    return 0 if ok == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
