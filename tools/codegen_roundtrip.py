"""Dumps the oracle's code objects for the codegen round-trip check.

Every code object compiled by CPython 3.10 from the given files (or from the
oracle's own Lib when none are given) is decoded back into instructions with
jump targets and line numbers, and printed with the co_code, co_linetable and
co_stacksize the oracle produced. `xpyc_codegen_roundtrip` re-assembles the
instructions with the codegen back end and compares.

  python3.10 tools/codegen_roundtrip.py [files...] | build/codegen/xpyc_codegen_roundtrip

Lines:  C <flags> <firstlineno> <nconsts> <nvarnames> <ncellvars> <nfreevars> <name>
        I <opcode> <oparg> <target index or -1> <line or -1>
        X <co_code hex> <co_linetable hex> <co_stacksize>
"""
import dis
import opcode
import os
import sys
import sysconfig
import types

assert sys.version_info[:2] == (3, 10), "needs the CPython 3.10 oracle"

JUMPS = set(opcode.hasjrel) | set(opcode.hasjabs)
EXTENDED_ARG = opcode.opmap["EXTENDED_ARG"]
GEN_START = opcode.opmap["GEN_START"]


def line_of_offsets(co):
    lines = {}
    for start, end, line in co.co_lines():
        for off in range(start, end, 2):
            lines[off] = -1 if line is None else line
    return lines


def decode(co):
    code = co.co_code
    lines = line_of_offsets(co)
    instrs = []  # (start_unit, op, arg, next_unit, line)
    arg = 0
    start = None
    for unit in range(len(code) // 2):
        op, a = code[2 * unit], code[2 * unit + 1]
        if start is None:
            start = unit
        arg = (arg << 8) | a
        if op == EXTENDED_ARG:
            continue
        instrs.append((start, op, arg, unit + 1, lines.get(2 * start, -1)))
        arg = 0
        start = None
    index_of = {s: i for i, (s, *_rest) in enumerate(instrs)}
    out = []
    for start, op, arg, next_unit, line in instrs:
        target = -1
        if op in JUMPS:
            dest = arg if op in opcode.hasjabs else next_unit + arg
            target = index_of[dest]
        out.append((op, arg, target, line))
    return out


def dump(co, write):
    instrs = decode(co)
    write(f"C {co.co_flags} {co.co_firstlineno} {len(co.co_consts)} {len(co.co_varnames)} "
          f"{len(co.co_cellvars)} {len(co.co_freevars)} {co.co_name}\n")
    for op, arg, target, line in instrs:
        write(f"I {op} {arg if target < 0 else 0} {target} {line}\n")
    write(f"X {co.co_code.hex()} {co.co_linetable.hex() or '-'} {co.co_stacksize}\n")
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            dump(c, write)


def corpus():
    lib = sysconfig.get_paths()["stdlib"]
    for root, dirs, files in os.walk(lib):
        dirs[:] = sorted(d for d in dirs if d != "site-packages")
        for f in sorted(files):
            if f.endswith(".py"):
                yield os.path.join(root, f)


def main():
    paths = sys.argv[1:] or list(corpus())
    write = sys.stdout.write
    for path in paths:
        try:
            with open(path, "rb") as f:
                co = compile(f.read(), path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        write(f"F {path}\n")
        dump(co, write)


main()
