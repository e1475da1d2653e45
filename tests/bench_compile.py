#!/usr/bin/env python3
"""Benchmark (prints figures; not a test): compile the whole corpus to pycs
with xpyc and with the oracle's compileall, one worker each, in one run.

    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tests/bench_compile.py \\
        [--xpyc build/xpyc] [--repeat 3] [DIR]

Both sides get a fresh copy of the corpus (every .py under the oracle's
lib/python3.10 without site-packages, by default) and run
`-q -f` over it: `xpyc -q -f COPY` against
`python3.10 -m compileall -q -f -j 1 COPY`. Wall time is the best of
--repeat runs; peak memory is the child's maximum resident set size.
Also checks that two xpyc runs write byte-identical pycs. `--scratch DIR`
puts the corpus copy in DIR (the default is the system's temporary folder;
/dev/shm takes the disk, which both sides pay for alike, out of the timings).
"""
import argparse
import os
import sys
import sysconfig
import tempfile

from bench_common import copy_corpus, corpus_files, pyc_files, run_timed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xpyc", default="build/xpyc")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scratch", default=None,
                    help="folder for the corpus copy (e.g. /dev/shm: no disk in the timings)")
    ap.add_argument("corpus", nargs="?", default=sysconfig.get_paths()["stdlib"])
    args = ap.parse_args()
    xpyc = os.path.abspath(args.xpyc)
    files = corpus_files(args.corpus)
    total_bytes = sum(os.path.getsize(f) for f in files)
    print(f"corpus: {len(files)} files, {total_bytes / 1e6:.1f} MB")
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
        tree = os.path.join(tmp, "tree")
        copy_corpus(files, args.corpus, tree)
        best = {}
        for _ in range(args.repeat):
            for name, cmd in (("oracle", [sys.executable, "-m", "compileall", "-q", "-f", "-j", "1", tree]),
                              ("xpyc", [xpyc, "-q", "-f", tree])):
                run = run_timed(cmd, capture=False)
                if name not in best or run.wall < best[name][0]:
                    best[name] = (run.wall, run.max_rss, run.status, run.cpu)
        first = {rel: open(p, "rb").read() for rel, p in pyc_files(tree).items()}
        run_timed([xpyc, "-q", "-f", tree], capture=False)
        second = pyc_files(tree)
        same = sum(1 for rel, p in second.items() if first.get(rel) == open(p, "rb").read())
    for name in ("oracle", "xpyc"):
        wall, rss, status, cpu = best[name]
        print(f"{name}: {wall:.2f} s wall (best of {args.repeat}; {cpu:.2f} s CPU), "
              f"peak RSS {rss / 1024:.1f} MB, exit {status}")
    ratio = best["xpyc"][0] / best["oracle"][0]
    print(f"xpyc/oracle wall time: {ratio:.3f} (target <= 0.333); speedup {1 / ratio:.1f}x")
    print(f"determinism: {same}/{len(second)} pycs byte-identical across two xpyc runs")


if __name__ == "__main__":
    main()
