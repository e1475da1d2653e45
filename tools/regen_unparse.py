#!/usr/bin/env python3
"""Regenerates the golden expectations of testdata/unparse with the oracle.

For every testdata/unparse/NAME.py writes NAME.py.expected: what
`xpyc_unparse_check NAME.py` must print, run from inside the folder (the
line "FILE NAME.py", then one line per annotation with the string CPython
3.10 stores for it under `from __future__ import annotations`, see
tools/check_unparse.py), followed by the line "exit 0" that tests/golden.sh
appends. Also (re)writes the generated case stress.py.

Run with the oracle:
    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/regen_unparse.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "testdata", "unparse")
sys.path.insert(0, HERE)

import check_unparse  # noqa: E402

STRESS_SEED = 310
STRESS_COUNT = 300


def main():
    if sys.version_info[:2] != (3, 10):
        sys.exit("regen_unparse.py must run under the CPython 3.10 oracle")
    with open(os.path.join(CASES, "stress.py"), "w", encoding="utf-8") as f:
        f.write(check_unparse.stress_source(STRESS_SEED, STRESS_COUNT))
    count = 0
    for name in sorted(os.listdir(CASES)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(CASES, name)
        with open(path, "rb") as f:
            source = f.read()
        lines = check_unparse.oracle_report(source, name)
        if lines is None:
            sys.exit(f"regen_unparse: {name} does not parse")
        for line in lines:
            # The only failure a case may show is the unparse's own.
            if " ERROR " in line and not line.endswith(" ERROR ValueError"):
                sys.exit(f"regen_unparse: {name}: {line}")
        with open(path + ".expected", "w", encoding="utf-8") as f:
            f.write(f"FILE {name}\n")
            f.write("".join(line + "\n" for line in lines))
            f.write("exit 0\n")
        count += 1
    print(f"regen_unparse: {count} expectations written to {os.path.normpath(CASES)}")


if __name__ == "__main__":
    main()
