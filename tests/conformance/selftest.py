"""Self-test of the harness (run with the oracle: python3.10 selftest.py).

Builds a small corpus and a fake xpyc whose --source-hash is right for some
files, wrong for others and crashes on one, runs run.py on it and checks that
the report counts and groups those outcomes. Prints "selftest: ok" or the
failures, and exits non-zero on failure."""

import os
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

FAKE_XPYC = r'''#!{python}
import importlib.util, os, sys
args = sys.argv[1:]
if args[:1] != ["--source-hash"]:
    sys.exit(2)
for path in args[1:]:
    if "crash" in path:
        os.kill(os.getpid(), 11)
for path in args[1:]:
    with open(path, "rb") as f:
        digest = importlib.util.source_hash(f.read()).hex()
    if "wrong" in path:
        digest = "0" * 16
    print(f"{{digest}}  {{path}}")
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def run_harness(corpus, xpyc, *extra):
    proc = subprocess.run([sys.executable, os.path.join(HERE, "run.py"), "--corpus", corpus,
                           "--xpyc", xpyc, "--stage", "source-hash", "--jobs", "2", *extra],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def main():
    failures = []

    def expect(condition, what, output):
        if not condition:
            failures.append(f"{what}\n--- output:\n{output}")

    with tempfile.TemporaryDirectory() as tmp:
        xpyc = os.path.join(tmp, "fake-xpyc")
        write(xpyc, FAKE_XPYC.format(python=sys.executable))
        os.chmod(xpyc, os.stat(xpyc).st_mode | stat.S_IXUSR)

        good = os.path.join(tmp, "good")
        for name in ("a.py", "pkg/b.py", "pkg/sub/c.py", "site-packages/ignored.py"):
            write(os.path.join(good, name), f"# {name}\n")
        code, out = run_harness(good, xpyc)
        expect(code == 0, "all-matching run exits 0", out)
        expect("stage source-hash: 3/3 match" in out, "site-packages is left out", out)

        mixed = os.path.join(tmp, "mixed")
        for name in ("ok1.py", "ok2.py", "wrong1.py", "wrong2.py"):
            write(os.path.join(mixed, name), f"x = {name!r}\n")
        code, out = run_harness(mixed, xpyc)
        expect(code == 1, "a mismatch makes the exit status 1", out)
        expect("stage source-hash: 2/4 match" in out, "counts 2 of 4", out)
        expect("2 files: hash differs" in out, "groups the wrong hashes", out)
        expect("wrong1.py: expected" in out, "shows an example", out)

        code, out = run_harness(mixed, xpyc, "--limit", "1")
        expect("stage source-hash: 1/1 match" in out, "--limit keeps the first file", out)

        crash = os.path.join(tmp, "crash")
        write(os.path.join(crash, "crash.py"), "pass\n")
        code, out = run_harness(crash, xpyc)
        expect("1 file: xpyc crashed (SIGSEGV)" in out, "reports a crash by signal", out)

        code, out = run_harness(good, os.path.join(tmp, "missing-xpyc"))
        expect(code == 2 and "xpyc binary not found" in out, "a missing binary is a usage error", out)

    if failures:
        print("selftest: FAILED\n" + "\n".join(failures))
        return 1
    print("selftest: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
