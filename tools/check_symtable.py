#!/usr/bin/env python3
"""Compare xpyc's symbol tables with CPython 3.10's over the corpus.

Run with the oracle:
    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/check_symtable.py \
        [--exe build-symtable/codegen/xpyc_symtable_dump] [--show N] [FILE_OR_DIR...]

Without paths it checks the main corpus: every .py under the oracle's
lib/python3.10 except site-packages. For each file it prints the oracle's
symtable in the text form of DumpSymtable() (codegen/symtable.h), runs the
dump executable on the same files, and compares. Prints "N/M files
identical" and counts of the first differing record kind.

With --code it instead compiles each file with the oracle and checks that
every code object's scope facts (co_flags scope bits, co_cellvars,
co_freevars) appear among the lines of `xpyc_symtable_dump --code`
(DumpCodeFacts). Files the oracle's compile() rejects are skipped; code the
oracle drops as dead (e.g. under `if 0:`) is not required.

With --test-snippets it checks, instead of whole files, every string
constant and doctest example in the oracle's test suite that parses as a
module (about 3,000 snippets, many of them symbol-table errors).
"""
import argparse
import ast
import collections
import doctest
import hashlib
import tempfile
import textwrap
import os
import subprocess
import symtable
import sys
import sysconfig

TYPES = {0: "function", 1: "class", 2: "module"}
SCOPE_OFFSET = 11
DEF_MASK = (1 << SCOPE_OFFSET) - 1


def dump_entry(ste, depth, out):
    out.append(f"block {depth} {TYPES.get(ste.type, ste.type)} {ste.name} "
               f"{ste.lineno} nested={1 if ste.nested else 0}")
    passthrough = []
    for name, raw in ste.symbols.items():
        flags, scope = raw & DEF_MASK, raw >> SCOPE_OFFSET
        if flags == 0:
            passthrough.append((name, flags, scope))
            continue
        out.append(f"sym {name} {flags} {scope}")
    for name, flags, scope in sorted(passthrough):
        out.append(f"sym {name} {flags} {scope}")
    out.append(" ".join(["varnames"] + list(ste.varnames)))
    for child in ste.children:
        dump_entry(child, depth + 1, out)


def oracle_dump(path):
    with open(path, "rb") as f:
        source = f.read()
    try:
        table = symtable.symtable(source, path, "exec")
    except (SyntaxError, RecursionError, ValueError, MemoryError) as e:
        name = type(e).__name__
        if isinstance(e, SyntaxError):
            return [f"error {name}: {e.msg} line {e.lineno or 0} col {e.offset or 0} "
                    f"end {e.end_lineno or 0} endcol {e.end_offset or 0}"]
        return [f"error {name}: {e}"]
    out = []
    dump_entry(table._table, 0, out)
    return out


CODE_FLAG_MASK = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x80 | 0x200


def oracle_code_facts(path):
    with open(path, "rb") as f:
        source = f.read()
    try:
        code = compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, RecursionError, ValueError, MemoryError):
        return None
    out = []
    todo = [code]
    while todo:
        c = todo.pop()
        out.append(f"code {c.co_name} flags={c.co_flags & CODE_FLAG_MASK} "
                   f"cellvars={','.join(c.co_cellvars)} freevars={','.join(c.co_freevars)}")
        todo.extend(k for k in c.co_consts if hasattr(k, "co_code"))
    return out


def check_code(args, files):
    ours = xpyc_dumps(args.exe, files, extra=["--code"])
    same = skipped = 0
    shown = 0
    for f in files:
        theirs = oracle_code_facts(f)
        if theirs is None:
            skipped += 1
            continue
        mine = collections.Counter(ours.get(f, []))
        missing = collections.Counter(theirs) - mine
        if not missing:
            same += 1
            continue
        if shown < args.show:
            shown += 1
            print(f"MISMATCH {f}: oracle has {list(missing)[:3]}")
            near = [m for m in mine if m.split(" ")[1] == list(missing)[0].split(" ")[1]]
            print(f"  xpyc lines for that name: {near[:3]}")
    print(f"{same}/{len(files) - skipped} files with matching code facts "
          f"({skipped} skipped: the oracle's compile() rejects them)")
    return 0 if same == len(files) - skipped else 1


FUTURE_MESSAGES = ("future feature", "from __future__ imports must", "not a chance")


def earlier_stage(path, oracle_lines):
    """Which stage before the symbol table rejects the file, or None."""
    with open(path, "rb") as f:
        source = f.read()
    try:
        compile(source, path, "exec", 0x400, dont_inherit=True)  # PyCF_ONLY_AST
    except Exception:
        return "parser"
    if oracle_lines and any(m in oracle_lines[0] for m in FUTURE_MESSAGES):
        return "future"
    return None


def write_test_snippets(directory):
    """Writes the test suite's parseable code strings as files; returns their paths."""
    test_dir = os.path.join(sysconfig.get_paths()["stdlib"], "test")
    parser = doctest.DocTestParser()
    seen = set()
    paths = []

    def emit(src):
        if not src.strip():
            return
        key = hashlib.md5(src.encode("utf-8", "surrogatepass")).hexdigest()
        if key in seen:
            return
        seen.add(key)
        try:
            ast.parse(src)
        except Exception:
            return
        path = os.path.join(directory, f"s{len(paths):05d}.py")
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(src)
        except UnicodeEncodeError:
            return
        paths.append(path)

    for name in sorted(os.listdir(test_dir)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        try:
            with open(os.path.join(test_dir, name), encoding="utf-8") as f:
                tree = ast.parse(f.read())
        except Exception:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                emit(node.value)
                emit(textwrap.dedent(node.value))
                try:
                    for example in parser.get_examples(node.value):
                        emit(example.source)
                except Exception:
                    pass
    return paths


def corpus_files(paths):
    if not paths:
        paths = [sysconfig.get_paths()["stdlib"]]
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d != "site-packages")
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
        else:
            files.append(p)
    return files


def xpyc_dumps(exe, files, batch=100, extra=()):
    result = {}
    for i in range(0, len(files), batch):
        chunk = files[i:i + batch]
        proc = subprocess.run([exe] + list(extra) + chunk, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        current = None
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("== "):
                current = line[3:]
                result[current] = []
            elif current is not None:
                result[current].append(line)
        if proc.returncode != 0:
            # A crash: blame the first file without complete output.
            for f in chunk:
                result.setdefault(f, [f"crash: exit {proc.returncode}"])
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", default="build-symtable/codegen/xpyc_symtable_dump")
    ap.add_argument("--show", type=int, default=5, help="mismatches to show in detail")
    ap.add_argument("--code", action="store_true",
                    help="check code-object facts instead of the symtable dump")
    ap.add_argument("--test-snippets", action="store_true",
                    help="check the test suite's code strings instead of files")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    sys.setrecursionlimit(10000)
    if args.test_snippets:
        with tempfile.TemporaryDirectory() as tmp:
            files = write_test_snippets(tmp)
            return check_code(args, files) if args.code else check_files(args, files)
    files = corpus_files(args.paths)
    if args.code:
        return check_code(args, files)
    return check_files(args, files)


def check_files(args, files):
    ours = xpyc_dumps(args.exe, files)
    same = 0
    kinds = collections.Counter()
    shown = 0
    for f in files:
        theirs = oracle_dump(f)
        mine = ours.get(f, ["missing output"])
        if theirs == mine:
            same += 1
            continue
        i = 0
        while i < min(len(theirs), len(mine)) and theirs[i] == mine[i]:
            i += 1
        a = theirs[i] if i < len(theirs) else "<end>"
        b = mine[i] if i < len(mine) else "<end>"
        kind = (a.split(" ", 1)[0] if a != "<end>" else "<end>") + "/" + \
            (b.split(" ", 1)[0] if b != "<end>" else "<end>")
        stage = earlier_stage(f, theirs)
        if stage:
            kind += f" (the oracle fails in the {stage} stage, before the symbol table)"
        kinds[kind] += 1
        if shown < args.show:
            shown += 1
            print(f"MISMATCH {f} at record {i}:\n  oracle: {a}\n  xpyc:   {b}")
    print(f"{same}/{len(files)} files identical")
    for kind, n in kinds.most_common():
        print(f"  first difference {kind}: {n}")
    return 0 if same == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
