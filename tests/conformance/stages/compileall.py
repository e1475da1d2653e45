"""Stage compileall: the pycs xpyc writes against the pycs CPython writes.

prepare() copies the corpus (keeping mtimes) to a folder, compiles it there
with `python3.10 -m compileall -q` (one process, as by default), moves it aside, and copies the corpus
again to the same folder for xpyc, so co_filename and the header's mtime and
size are the same on both sides. For files the oracle rejects it also records
`python3.10 -m compileall -q FILE`'s output and status. Then, per file, in the
worker pool, `xpyc -q FILE` compiles the file on its own (a crash is pinned on
that file) and:
  status   xpyc's exit status and stdout equal the oracle's for that file
  written  xpyc wrote a pyc exactly when the oracle did
  dump     `xpyc --dump-pyc` of both pycs is the same (files both compiled)
  warnings the warnings xpyc prints on stderr are those the oracle printed
           for that file (files the oracle compiles)
The summary says how many pycs are byte-identical to the oracle's (CPython
itself is not byte-stable between runs; see stage pyc-read).

$XPYC_CONFORMANCE_COMPILEALL_ARGS (split on spaces) is passed to both sides,
e.g. "--invalidation-mode checked-hash" or "-o 2" (one -o level at most;
-b is not supported here)."""

import os
import re
import shutil
import threading

from harness import Result, dump_section_of_difference, first_difference

DESCRIPTION = "xpyc -q FILE writes pycs that dump like python3.10 -m compileall's"

EXTRA_ARGS = os.environ.get("XPYC_CONFORMANCE_COMPILEALL_ARGS", "").split()


def _cache_tag(args):
    level = 0
    for i, arg in enumerate(args[:-1]):
        if arg == "-o":
            level = int(args[i + 1])
    return "cpython-310" + (f".opt-{level}" if level > 0 else "")


CACHE_TAG = _cache_tag(EXTRA_ARGS)


def _pyc_path(source):
    folder, name = os.path.split(source)
    return os.path.join(folder, "__pycache__", f"{name[:-3]}.{CACHE_TAG}.pyc")


def _copy_corpus(ctx, files, dest):
    for path in files:
        target = os.path.join(dest, ctx.rel(path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(path, target)


def _oracle_single(ctx, path):
    return ctx.run([ctx.python, "-m", "compileall", "-q", *EXTRA_ARGS, path])


def prepare(ctx, files):
    scratch = ctx.stage_scratch()
    tree = os.path.join(scratch, "tree")
    oracle = os.path.join(scratch, "oracle")
    _copy_corpus(ctx, files, tree)
    run = ctx.run([ctx.python, "-m", "compileall", "-q", *EXTRA_ARGS, tree],
                  timeout=max(ctx.timeout * 60, 3600))
    if run.timed_out or run.crashed:
        raise RuntimeError("the oracle's compileall failed: " + run.err_text()[-500:])
    warnings = _warnings_by_file(run.err_text())
    rejected = {}
    for path in files:
        source = os.path.join(tree, ctx.rel(path))
        if not os.path.isfile(_pyc_path(source)):
            rejected[ctx.rel(path)] = _oracle_single(ctx, source)
    os.rename(tree, oracle)
    _copy_corpus(ctx, files, tree)
    ctx.state.update(tree=tree, oracle=oracle, rejected=rejected, warnings=warnings,
                     identical=0, both=0, lock=threading.Lock())


_WARNING_LINE = re.compile(r"^(.*\.py):\d+: \w+Warning: ")


def _warnings_by_file(stderr):
    """The warnings compileall printed (a `path:line: Category: message`
    line, then the source line), grouped by source path."""
    groups = {}
    current = None
    for line in stderr.splitlines(keepends=True):
        match = _WARNING_LINE.match(line)
        if match:
            current = match.group(1)
        if current is not None:
            groups[current] = groups.get(current, "") + line
    return groups


def _dump(ctx, pyc, who):
    run = ctx.run([ctx.xpyc, "--dump-pyc", pyc])
    failure = run.failure(f"xpyc --dump-pyc ({who} pyc)")
    return (None, failure) if failure else (run.stdout.decode("utf-8", "surrogateescape"), None)


def _compare_dumps(ctx, ours, theirs):
    with open(ours, "rb") as a, open(theirs, "rb") as b:
        identical = a.read() == b.read()
    with ctx.state["lock"]:
        ctx.state["both"] += 1
        ctx.state["identical"] += identical
    if identical:
        return Result(True)
    expected, failure = _dump(ctx, theirs, "oracle")
    if failure:
        return failure
    actual, failure = _dump(ctx, ours, "xpyc")
    if failure:
        return failure
    if expected == actual:
        return Result(True)
    section = dump_section_of_difference(expected, actual)
    kind = f"dump differs in {section}" if section else "dump differs"
    return Result(False, kind, first_difference(expected, actual))


def _error_kind(run, source):
    """The last line xpyc printed, with the file's path and line numbers taken
    out, so that files failing the same way group together."""
    lines = [l for l in (run.text() + "\n" + run.err_text()).splitlines() if l.strip()]
    last = lines[-1] if lines else f"exit status {run.returncode}, no output"
    last = last.replace(repr(source), "FILE").replace(source, "FILE")
    last = re.sub(r"line \d+", "line N", last)
    return last[:120]


def _compare_status(expected_run, run):
    if run.returncode != expected_run.returncode:
        return Result(False, f"exit status {run.returncode}, expected {expected_run.returncode}",
                      run.text()[-300:] or run.err_text()[-300:])
    if run.stdout != expected_run.stdout:
        return Result(False, "output differs", first_difference(expected_run.text(), run.text()))
    return Result(True)


def check(ctx, path):
    rel = ctx.rel(path)
    source = os.path.join(ctx.state["tree"], rel)
    run = ctx.run([ctx.xpyc, "-q", *EXTRA_ARGS, source])
    failure = run.failure("xpyc") if run.crashed or run.timed_out else None
    if failure:
        return failure
    ours = _pyc_path(source)
    theirs = _pyc_path(os.path.join(ctx.state["oracle"], rel))
    results = {}
    oracle_run = ctx.state["rejected"].get(rel)
    if oracle_run is not None:
        results["status"] = _compare_status(oracle_run, run)
    elif run.returncode != 0 or run.stdout:
        results["status"] = Result(False, "xpyc failed on a file CPython compiles: "
                                          + _error_kind(run, source),
                                   (run.text() + run.err_text()).strip()[-300:])
    else:
        results["status"] = Result(True)
    expected_warnings = ctx.state["warnings"].get(source, "")
    if oracle_run is None:
        results["warnings"] = (Result(True) if run.err_text() == expected_warnings else
                               Result(False, "SyntaxWarning output differs",
                                      first_difference(expected_warnings, run.err_text())))
    has_ours, has_theirs = os.path.isfile(ours), os.path.isfile(theirs)
    if has_ours != has_theirs:
        results["written"] = Result(False, "xpyc wrote no pyc" if has_theirs
                                    else "xpyc wrote a pyc for a file CPython rejects")
    else:
        results["written"] = Result(True)
    results["dump"] = _compare_dumps(ctx, ours, theirs) if has_ours and has_theirs else None
    return results


def summary(ctx):
    return [f"bytes: {ctx.state['identical']} of {ctx.state['both']} pycs byte-identical "
            "to the oracle's"]
