"""Regenerates testdata/pyc/: every NAME.py there is compiled by the oracle
the way tests/golden.sh has xpyc compile it, from inside a scratch folder:

    python3.10 -m compileall -q --invalidation-mode unchecked-hash [-o N] NAME.py

and NAME.py.expected is what tools/pydump.py prints for the pyc written,
followed by "exit 0". Names starting with `opt1_` / `opt2_` are compiled with
`-o 1` / `-o 2` (their pycs are `.opt-1.pyc` / `.opt-2.pyc`). For a source the
oracle rejects, the expectation is compileall's output and "exit 1".

Run with CPython 3.10:  python3.10 tools/regen_pyc.py
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

assert sys.version_info[:2] == (3, 10), "needs the CPython 3.10 oracle"

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "testdata" / "pyc"
PYDUMP = ROOT / "tools" / "pydump.py"


def level_of(name):
    for level in (1, 2):
        if name.startswith(f"opt{level}_"):
            return level
    return 0


def expectation(src: Path) -> str:
    level = level_of(src.name)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(src, Path(tmp) / src.name)
        args = [sys.executable, "-m", "compileall", "-q", "--invalidation-mode",
                "unchecked-hash"] + (["-o", str(level)] if level else []) + [src.name]
        run = subprocess.run(args, cwd=tmp, capture_output=True, text=True)
        if run.returncode != 0:
            return run.stdout + run.stderr + f"exit {run.returncode}\n"
        tag = "cpython-310" + (f".opt-{level}" if level else "")
        pyc = Path(tmp) / "__pycache__" / f"{src.stem}.{tag}.pyc"
        dump = subprocess.run([sys.executable, str(PYDUMP), str(pyc)], capture_output=True,
                              text=True, check=True)
        return dump.stdout.replace(str(pyc), pyc.name) + "exit 0\n"


def main():
    sources = sorted(CASES.glob("*.py"))
    for src in sources:
        Path(str(src) + ".expected").write_text(expectation(src))
    print(f"regen_pyc: {len(sources)} expectations written")


if __name__ == "__main__":
    main()
