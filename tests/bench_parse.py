#!/usr/bin/env python3
"""Benchmark (prints figures; not a test): tokenize+parse the whole corpus in
memory with xpyc and with the oracle, in the same run.

    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tests/bench_parse.py \
        [--xpyc build/xpyc] [--repeat 3] [FILE_OR_DIR ...]

xpyc side: `xpyc --dump-ast --bench FILE...` reads every file first, then
decodes, tokenizes and parses them all, and reports its own time and peak
RSS. Both sides are timed in CPU seconds (the machine is shared). Oracle side: compile(src, path, 'exec', flags=ast.PyCF_ONLY_AST) over
the same bytes, already in memory. Use a release build of xpyc.
"""
import argparse
import ast
import os
import resource
import subprocess
import sys
import sysconfig
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance"))
from harness import corpus_files  # noqa: E402


def corpus(paths):
    return corpus_files(*(paths or [sysconfig.get_paths()["stdlib"]]))


def bench_oracle(sources):
    ok = 0
    start = time.process_time()
    for path, src in sources:
        try:
            compile(src, path, "exec", flags=ast.PyCF_ONLY_AST)
            ok += 1
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            pass
    return time.process_time() - start, ok


def bench_xpyc(xpyc, files):
    r = subprocess.run([xpyc, "--dump-ast", "--bench", *files], capture_output=True,
                       text=True)
    if r.returncode != 0:
        sys.exit(f"bench_parse: {xpyc} --dump-ast --bench failed with status "
                 f"{r.returncode}: {r.stderr.strip()[-500:]}")
    fields = r.stdout.split()
    values = dict(zip(fields[0::2], fields[1::2]))
    return float(values["cpu_seconds"]), int(values["ok"]), int(values["maxrss_kb"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xpyc", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build", "driver", "xpyc"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    files = corpus(args.paths)
    sources = []
    total_bytes = 0
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        total_bytes += len(data)
        sources.append((path, data))
    x_best = o_best = None
    for _ in range(args.repeat):
        xt, x_ok, x_rss = bench_xpyc(args.xpyc, files)
        ot, o_ok = bench_oracle(sources)
        x_best = xt if x_best is None else min(x_best, xt)
        o_best = ot if o_best is None else min(o_best, ot)
    o_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mb = total_bytes / 1e6
    print(f"corpus: {len(files)} files, {mb:.1f} MB")
    print(f"xpyc:   {x_best:.3f} s ({mb / x_best:.1f} MB/s), {x_ok} parsed, "
          f"peak RSS {x_rss / 1024:.0f} MB")
    print(f"oracle: {o_best:.3f} s ({mb / o_best:.1f} MB/s), {o_ok} parsed, "
          f"peak RSS {o_rss / 1024:.0f} MB (includes the sources in memory)")
    print(f"speedup: {o_best / x_best:.1f}x (best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
