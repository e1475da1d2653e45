"""Regenerates testdata/pyc-dump/: each NAME.py there is compiled by the
oracle into NAME.pyc, a few malformed pycs are derived from them, and every
NAME.pyc.expected is what tools/pydump.py prints for it (stdout and stderr
together, run from inside testdata/pyc-dump) followed by "exit STATUS",
which is what tests/golden.sh compares `xpyc --dump-pyc` against.

Run with CPython 3.10:  python3.10 tools/regen_pyc_dump.py
"""
import os
import py_compile
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

assert sys.version_info[:2] == (3, 10), "needs the CPython 3.10 oracle"

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "testdata" / "pyc-dump"
PYDUMP = ROOT / "tools" / "pydump.py"
FIXED_MTIME = 1700000000  # so timestamp headers do not depend on checkouts

Mode = py_compile.PycInvalidationMode
# Header kinds per source; anything not listed gets a timestamp header.
MODES = {
    "constants": Mode.CHECKED_HASH,
    "functions": Mode.UNCHECKED_HASH,
}


def compile_source(src: Path) -> Path:
    out = CASES / (src.stem + ".pyc")
    mode = MODES.get(src.stem, Mode.TIMESTAMP)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / src.name
        shutil.copyfile(src, copy)
        os.utime(copy, (FIXED_MTIME, FIXED_MTIME))
        py_compile.compile(str(copy), cfile=str(out), dfile=src.name, doraise=True,
                           invalidation_mode=mode)
    return out


def write_malformed(good: bytes) -> list:
    """Broken pycs derived from a good one; each fails in a different way."""
    header = good[:16]
    cases = {
        # Cut inside a string's bytes.
        "truncated.pyc": good[:len(good) // 2],
        # Cut right after the header's end: no object at all.
        "no_object.pyc": header,
        "short_header.pyc": good[:10],
        # 3.9's magic number.
        "bad_magic.pyc": struct.pack("<H", 3425) + b"\r\n" + good[4:],
        # A tuple whose item refers to a reference that was never made.
        "bad_ref.pyc": header + b"\xa9\x01r\x05\x00\x00\x00",
        "unknown_type.pyc": header + b")\x01Q",
        # A long whose top digit is zero.
        "unnormalized_long.pyc": header + b"l\x02\x00\x00\x00\x01\x00\x00\x00",
        # Valid marshal data whose root is not a code object.
        "not_code.pyc": header + b")\x03i\x07\x00\x00\x00N\xbe\x02\x00\x00\x00z\x01bz\x01a",
    }
    paths = []
    for name, data in cases.items():
        path = CASES / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def write_expected(pyc: Path) -> None:
    proc = subprocess.run([sys.executable, str(PYDUMP), pyc.name], cwd=CASES,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pyc.with_name(pyc.name + ".expected").write_bytes(
        proc.stdout + b"exit %d\n" % proc.returncode)


def main() -> None:
    # Set iteration order (hence frozenset constants' bytes) depends on the
    # string hash seed: fix it so regenerating gives the same pyc bytes.
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    pycs = [compile_source(src) for src in sorted(CASES.glob("*.py"))]
    pycs += write_malformed((CASES / "constants.pyc").read_bytes())
    for pyc in pycs:
        write_expected(pyc)
        print("wrote", pyc.relative_to(ROOT))


if __name__ == "__main__":
    main()
