"""Regenerates the match-statement goldens with the CPython 3.10 oracle:

  - testdata/pyc/match_*.py.expected: the oracle's pyc dumps, exactly as
    tools/regen_pyc.py writes them (the golden-pyc stage checks them);
  - testdata/match/errors.cases: the compile-time errors of the snippets in
    testdata/match/errors.txt (separated by lines `====`) plus a few
    generated ones, in the format of testdata/errors/*.cases (see
    tools/errors_common.py); the golden-match-errors test runs
    `xpyc --check-errors --suite` on it.

Run with CPython 3.10:  python3.10 tools/regen_match.py
"""
import sys
from pathlib import Path

assert sys.version_info[:2] == (3, 10), "needs the CPython 3.10 oracle"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import errors_common  # noqa: E402
import regen_pyc  # noqa: E402

MATCH = ROOT / "testdata" / "match"


def generated_snippets():
    """Cases too long to keep by hand: UNPACK_EX limits."""
    names = ", ".join("a%d" % i for i in range(300))
    yield "match x:\n    case [%s, *rest]:\n        pass\n" % names
    yield "match x:\n    case [first, *rest, %s]:\n        pass\n" % names


def snippets():
    text = (MATCH / "errors.txt").read_text()
    for chunk in text.split("\n====\n"):
        yield chunk.strip("\n") + "\n"
    yield from generated_snippets()


def main():
    lines = []
    for i, source in enumerate(snippets(), 1):
        data = source.encode()
        record, _ = errors_common.oracle_record(data, errors_common.SUITE_FILE_NAME)
        lines.append("match:%d\t%s\t%s" % (i, errors_common.escape_bytes(data), record))
    (MATCH / "errors.cases").write_text("\n".join(lines) + "\n")
    sources = sorted((ROOT / "testdata" / "pyc").glob("match_*.py"))
    for src in sources:
        Path(str(src) + ".expected").write_text(regen_pyc.expectation(src))
    print(f"regen_match: {len(lines)} error cases, {len(sources)} pyc expectations written")


if __name__ == "__main__":
    main()
