#!/usr/bin/env python3
"""Benchmark (prints figures; not a timed test): `xpyc -q -f -j 1 CORPUS`
against `xpyc -q -f -j 0 CORPUS`.

    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tests/bench_workers.py \\
        [--xpyc build/xpyc] [--repeat 1] [--jobs 0] [FILE_OR_DIR ...]

The corpus is every .py under the oracle's lib/python3.10 minus site-packages
(tests/conformance/harness.py's lister), or the given files and folders. Each
run gets a fresh copy of it at the same path (sources keep their mtimes), so
the pycs of the two runs must be byte-identical: co_filename and the
timestamp headers are the same. Prints the wall time of each run (the best of
--repeat), the ratio (issue 7 asks for at least 1.7 on a 2-core machine),
and whether the pycs, stdout, stderr and exit status are identical.
Exit status 0 when everything is identical, 1 otherwise (never for speed).
Use a release build; the machine should be otherwise idle (the load average
is printed, and the CPU seconds of each run, which a busy machine disturbs
less than wall times). Every run creates some 1,700 files: on ext4, after
many such runs, the kernel's inode allocator (find_inode_bit,
recently_deleted) can take a second of system time that does not run in
parallel; `--scratch /dev/shm` (tmpfs) measures the compiler without it.
"""
import argparse
import hashlib
import os
import shutil
import sys
import sysconfig
import tempfile

from bench_common import copy_corpus, corpus_files, pyc_files, run_timed

HERE = os.path.dirname(os.path.abspath(__file__))


def pyc_digests(root):
    """{relative path: sha256} of every pyc under root."""
    digests = {}
    for rel, path in pyc_files(root).items():
        with open(path, "rb") as f:
            digests[rel] = hashlib.sha256(f.read()).hexdigest()
    return digests


def run_once(xpyc, jobs, files, base, corpus_dir):
    copy_corpus(files, base, corpus_dir)
    os.sync()  # the copy's writeback is setup, not part of the run
    run = run_timed([xpyc, "-q", "-f", "-j", str(jobs), corpus_dir])
    return run.wall, run.status, run.stdout, run.stderr, pyc_digests(corpus_dir), run.cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xpyc", default=os.path.join(HERE, "..", "build", "xpyc"))
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best time counts")
    ap.add_argument("--jobs", type=int, default=0, help="the parallel run's -j (default 0)")
    ap.add_argument("--scratch", help="where the corpus copies go (default: a temp dir)")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    xpyc = os.path.abspath(args.xpyc)
    if not os.access(xpyc, os.X_OK):
        sys.exit("bench_workers: xpyc not found at %s (use --xpyc)" % xpyc)
    paths = args.paths or [sysconfig.get_paths()["stdlib"]]
    files = corpus_files(*paths)
    if not files:
        sys.exit("bench_workers: no .py files in %s" % " ".join(paths))
    base = os.path.commonpath([os.path.dirname(os.path.abspath(f)) for f in files])
    size = sum(os.path.getsize(f) for f in files)

    load = os.getloadavg()[0]  # the figures mean little on a busy machine
    scratch = tempfile.mkdtemp(prefix="xpyc-bench-workers-", dir=args.scratch)
    corpus_dir = os.path.join(scratch, "corpus")
    try:
        results = {}
        for _ in range(max(1, args.repeat)):
            for jobs in (1, args.jobs):  # alternating, so that drift hits both
                run = run_once(xpyc, jobs, files, base, corpus_dir)
                if jobs not in results or run[0] < results[jobs][0]:
                    results[jobs] = run
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    t1, rc1, out1, err1, pycs1, cpu1 = results[1]
    tn, rcn, outn, errn, pycsn, cpun = results[args.jobs]
    print("corpus: %d files, %.1f MB, under %s" % (len(files), size / 1e6, base))
    print("cores: %d, load average before: %.2f" % (os.cpu_count() or 0, load))
    print("-j 1: %.2f s wall, %.2f s CPU, exit %d, %d pycs" % (t1, cpu1, rc1, len(pycs1)))
    print("-j %d: %.2f s wall, %.2f s CPU, exit %d, %d pycs" % (args.jobs, tn, cpun, rcn, len(pycsn)))
    print("ratio: %.2fx (target >= 1.7x on 2 cores)" % (t1 / tn if tn > 0 else float("inf")))
    differing = sorted(k for k in set(pycs1) | set(pycsn) if pycs1.get(k) != pycsn.get(k))
    checks = [
        ("pycs", not differing, "%d differ, e.g. %s" % (len(differing), differing[:3])),
        ("stdout", out1 == outn, "%d vs %d bytes" % (len(out1), len(outn))),
        ("stderr", err1 == errn, "%d vs %d bytes" % (len(err1), len(errn))),
        ("exit status", rc1 == rcn, "%d vs %d" % (rc1, rcn)),
    ]
    for name, same, detail in checks:
        print("%s: %s" % (name, "identical" if same else "DIFFERENT (%s)" % detail))
    return 0 if all(same for _, same, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
