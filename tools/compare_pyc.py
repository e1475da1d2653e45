"""Developer check: compiles sources with the oracle and with xpyc and diffs
`xpyc --dump-pyc` of the two pycs.

    python3.10 tools/compare_pyc.py --xpyc build/xpyc FILE.py ...
    python3.10 tools/compare_pyc.py --xpyc build/xpyc -c 'x = 1'

Prints each file's unified diff (first --context lines) and a summary line
`compare: N/M identical dumps`."""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile


def dump(xpyc, pyc):
    run = subprocess.run([xpyc, "--dump-pyc", pyc], capture_output=True)
    return run.stdout.decode("utf-8", "surrogateescape").splitlines()


def compare(xpyc, python, source, workdir, limit, quiet):
    """Both compile a copy at the same path, so co_filename is the same."""
    name = os.path.basename(source)
    tree = os.path.join(workdir, "tree")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    copy = os.path.join(tree, name)
    shutil.copy2(source, copy)
    pyc = os.path.join(tree, "__pycache__", name[:-3] + ".cpython-310.pyc")
    mode = ["--invalidation-mode", "unchecked-hash"]
    subprocess.run([python, "-m", "compileall", "-q", "-f", *mode, copy], capture_output=True)
    if not os.path.exists(pyc):
        print(f"{source}: oracle rejects")
        return None
    theirs_pyc = os.path.join(workdir, "oracle.pyc")
    os.replace(pyc, theirs_pyc)
    run = subprocess.run([xpyc, "-q", "-f", *mode, copy], capture_output=True)
    if not os.path.exists(pyc):
        print(f"{source}: xpyc failed ({run.returncode}): "
              f"{(run.stdout + run.stderr).decode(errors='replace').strip()[:800]}")
        return False
    theirs = dump(xpyc, theirs_pyc)
    ours = dump(xpyc, pyc)
    if theirs == ours:
        return True
    if not quiet:
        print(f"{source}: DIFFERENT")
        diff = list(difflib.unified_diff(theirs, ours, "oracle", "xpyc", lineterm="", n=4))
        print("\n".join(diff[:limit]))
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xpyc", required=True)
    ap.add_argument("-c", dest="code")
    ap.add_argument("--context", type=int, default=60)
    ap.add_argument("-q", action="store_true", help="only list differing files")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        files = [os.path.abspath(f) for f in args.files]
        if args.code is not None:
            path = os.path.join(workdir, "snippet_src.py")
            with open(path, "w") as f:
                f.write(args.code)
            files.append(path)
        same = total = 0
        for source in files:
            result = compare(args.xpyc, sys.executable, source, workdir, args.context, args.q)
            if result is None:
                continue
            total += 1
            same += result
            if not result and args.q:
                print(source)
        print(f"compare: {same}/{total} identical dumps")


if __name__ == "__main__":
    sys.exit(main())
