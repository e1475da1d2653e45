"""Stage source-hash: `xpyc --source-hash` against importlib.util.source_hash."""

import concurrent.futures

from harness import Result, run_batched

DESCRIPTION = "xpyc --source-hash equals importlib.util.source_hash for every file"

ORACLE_SCRIPT = r"""
import importlib.util, sys
for line in sys.stdin.buffer.read().decode('utf-8', 'surrogateescape').split('\0'):
    if line:
        with open(line, 'rb') as f:
            print(importlib.util.source_hash(f.read()).hex())
"""

CHUNK = 200


def _oracle_hashes(ctx, files):
    run = ctx.run([ctx.python, "-c", ORACLE_SCRIPT],
                  input="\0".join(files).encode("utf-8", "surrogateescape"),
                  timeout=ctx.timeout * 10)
    if run.returncode != 0:
        raise RuntimeError("oracle failed: " + run.err_text()[-500:])
    return dict(zip(files, run.text().split()))


def _xpyc_chunk(ctx, chunk):
    (paths, run), = run_batched(ctx, [ctx.xpyc, "--source-hash"], chunk, chunk=len(chunk))
    found = {}
    for line in run.stdout.decode("utf-8", "surrogateescape").splitlines():
        digest, sep, path = line.partition("  ")
        if sep:
            found[path] = digest
    return paths, run, found


def prepare(ctx, files):
    ctx.state["expected"] = _oracle_hashes(ctx, files)
    actual = {}
    failures = {}
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=ctx.jobs) as pool:
        for paths, run, found in pool.map(lambda c: _xpyc_chunk(ctx, c), chunks):
            actual.update(found)
            failure = run.failure("xpyc")
            for path in paths:
                if path not in found and failure is not None:
                    failures[path] = failure
    ctx.state["actual"] = actual
    ctx.state["failures"] = failures


def check(ctx, path):
    expected = ctx.state["expected"].get(path)
    if expected is None:
        return Result(False, "oracle gave no hash")
    actual = ctx.state["actual"].get(path)
    if actual is None:
        return ctx.state["failures"].get(path) or Result(False, "xpyc printed no hash for the file")
    if actual != expected:
        return Result(False, "hash differs", f"expected {expected}, got {actual}")
    return Result(True)
