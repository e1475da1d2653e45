"""Stage pyc-read: xpyc reads the pycs CPython writes.

prepare() copies the corpus twice (keeping mtimes, and at the same path so the
embedded co_filename is equal) and compiles one copy with
`python3.10 -m compileall -q -j 1` and the other with `-j 0`. Then, per file:
  reads          xpyc --dump-pyc reads the -j 1 pyc (exit 0)
  equals-pydump  its output equals tools/pydump.py's (skipped while
                 tools/pydump.py does not exist)
  j1-vs-j0       the -j 1 and -j 0 pycs dump identically (the summary also
                 says how many pairs differ in bytes)
  roundtrip      xpyc --roundtrip-pyc IN OUT, then --dump-pyc OUT, gives the
                 same dump as IN
Files the oracle could not compile (no pyc) are skipped."""

import concurrent.futures
import itertools
import os
import shutil
import threading

from harness import Result, dump_section_of_difference, first_difference

DESCRIPTION = "xpyc --dump-pyc / --roundtrip-pyc on pycs written by compileall -j 1 and -j 0"

CACHE_TAG = "cpython-310"
PYDUMP_CHUNK = 100


def _copy_corpus(ctx, files, dest):
    for path in files:
        target = os.path.join(dest, ctx.rel(path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(path, target)


def _pyc_path(source):
    folder, name = os.path.split(source)
    base = name[:-3] if name.endswith(".py") else name
    return os.path.join(folder, "__pycache__", f"{base}.{CACHE_TAG}.pyc")


def _compileall(ctx, root, workers):
    run = ctx.run([ctx.python, "-m", "compileall", "-q", "-j", str(workers), root],
                  timeout=max(ctx.timeout * 60, 3600))
    if run.timed_out or run.crashed:
        raise RuntimeError(f"compileall -j {workers} failed: {run.err_text()[-500:]}")


def prepare(ctx, files):
    scratch = ctx.stage_scratch()
    ctx.state["j1"] = os.path.join(scratch, "j1")
    ctx.state["j0"] = os.path.join(scratch, "j0")
    ctx.state["out"] = os.path.join(scratch, "roundtrip")
    os.makedirs(ctx.state["out"])
    # Both copies are compiled at the same path (then moved aside), so the
    # co_filename they embed is the same and a byte difference means something.
    tree = os.path.join(scratch, "tree")
    for key, workers in (("j1", 1), ("j0", 0)):
        _copy_corpus(ctx, files, tree)
        _compileall(ctx, tree, workers)
        os.rename(tree, ctx.state[key])
    pydump = os.path.join(ctx.repo, "tools", "pydump.py")
    ctx.state["pydump"] = pydump if os.path.isfile(pydump) else None
    if ctx.state["pydump"] is None:
        ctx.note("equals-pydump: not compared (tools/pydump.py does not exist yet)")
    else:
        _run_pydump_batches(ctx, files, pydump)
    ctx.state["byte_different"] = 0
    ctx.state["roundtrip_identical"] = 0
    ctx.state["lock"] = threading.Lock()
    ctx.state["counter"] = itertools.count()


def _count(ctx, key):
    with ctx.state["lock"]:
        ctx.state[key] += 1


def _dump(ctx, pyc):
    """(text, None) or (None, failure Result)."""
    run = ctx.run([ctx.xpyc, "--dump-pyc", pyc])
    failure = run.failure("xpyc --dump-pyc")
    if failure is not None:
        return None, failure
    return run.stdout.decode("utf-8", "surrogateescape"), None


def _compare(expected, actual, what):
    if expected == actual:
        return Result(True)
    section = dump_section_of_difference(expected, actual)
    kind = f"{what} differs in {section}" if section else f"{what} differs"
    return Result(False, kind, first_difference(expected, actual))


def _run_pydump_batches(ctx, files, pydump):
    """Dumps every -j 1 pyc with tools/pydump.py, a chunk per oracle process."""
    pycs = [p for p in (_pyc_path(os.path.join(ctx.state["j1"], ctx.rel(f))) for f in files)
            if os.path.isfile(p)]
    helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_pydump_batch.py")
    chunks = [pycs[i:i + PYDUMP_CHUNK] for i in range(0, len(pycs), PYDUMP_CHUNK)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=ctx.jobs) as pool:
        runs = pool.map(lambda c: ctx.run([ctx.python, helper, pydump] + c,
                                          timeout=ctx.timeout * 20), chunks)
        for run in runs:
            failure = run.failure("tools/pydump.py batch")
            if failure is not None:
                ctx.note(f"{failure.kind}: {failure.detail}")


def _check_pydump(ctx, pyc, dump):
    if ctx.state["pydump"] is None:
        return None
    if os.path.isfile(pyc + ".pydump-error"):
        with open(pyc + ".pydump-error", encoding="utf-8") as f:
            return Result(False, "tools/pydump.py could not dump", f.read().strip())
    if not os.path.isfile(pyc + ".pydump"):
        return Result(False, "tools/pydump.py wrote no dump")
    if dump is None:
        return Result(False, "xpyc could not dump")
    with open(pyc + ".pydump", "rb") as f:
        expected = f.read().decode("utf-8", "surrogateescape")
    return _compare(expected, dump, "dump")


def _check_j1_vs_j0(ctx, pyc1, pyc0, dump1):
    with open(pyc1, "rb") as a, open(pyc0, "rb") as b:
        if a.read() != b.read():
            _count(ctx, "byte_different")
    if dump1 is None:
        return Result(False, "xpyc could not dump the -j 1 pyc")
    dump0, failure = _dump(ctx, pyc0)
    if failure is not None:
        return failure
    return _compare(dump1, dump0, "-j 0 dump")


def _check_roundtrip(ctx, pyc, dump):
    out = os.path.join(ctx.state["out"], f"{next(ctx.state['counter'])}.pyc")
    try:
        run = ctx.run([ctx.xpyc, "--roundtrip-pyc", pyc, out])
        failure = run.failure("xpyc --roundtrip-pyc")
        if failure is not None:
            return failure
        if not os.path.isfile(out):
            return Result(False, "roundtrip wrote no file")
        with open(pyc, "rb") as a, open(out, "rb") as b:
            if a.read() == b.read():
                _count(ctx, "roundtrip_identical")
        again, failure = _dump(ctx, out)
        if failure is not None:
            return failure
        if dump is None:
            return Result(False, "xpyc could not dump the input pyc")
        return _compare(dump, again, "roundtrip dump")
    finally:
        if os.path.exists(out):
            os.unlink(out)


def check(ctx, path):
    rel = ctx.rel(path)
    pyc1 = _pyc_path(os.path.join(ctx.state["j1"], rel))
    pyc0 = _pyc_path(os.path.join(ctx.state["j0"], rel))
    if not os.path.isfile(pyc1):
        return Result.skip("the oracle wrote no pyc (compile error)")
    dump, failure = _dump(ctx, pyc1)
    results = {"reads": failure or Result(True)}
    results["equals-pydump"] = _check_pydump(ctx, pyc1, dump)
    if os.path.isfile(pyc0):
        results["j1-vs-j0"] = _check_j1_vs_j0(ctx, pyc1, pyc0, dump)
    else:
        results["j1-vs-j0"] = Result(False, "-j 0 wrote no pyc where -j 1 did")
    results["roundtrip"] = _check_roundtrip(ctx, pyc1, dump)
    return results


def summary(ctx):
    return [f"j1-vs-j0: {ctx.state['byte_different']} pair(s) differ in bytes",
            f"roundtrip: {ctx.state['roundtrip_identical']} output(s) byte-identical to the input"]
