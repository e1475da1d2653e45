#!/usr/bin/env python3
"""Scenario suite: xpyc versus `python3.10 -m compileall` / `-m py_compile`.

Run it with the oracle interpreter (CPython 3.10.13):

    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tests/scenarios/run_scenarios.py \
        [--xpyc build/xpyc] [-k SUBSTRING] [-v]

For every scenario a fixture tree is built fresh at the same path twice: once
the oracle runs on it, once xpyc does. Compared: exit status, stdout, stderr,
the files left behind (type, mode, symlink targets, hard-link groups) and the
bytes of every pyc (a difference is shown through `xpyc --dump-pyc`). The
oracle runs with argv[0] set to "xpyc", so argparse's program name (and the
usage wrapping that depends on its length) is the same on both sides.
Prints PASS/FAIL per scenario and "N/M scenarios identical".
"""
import argparse
import difflib
import os
import py_compile
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# name, args, options. Options: stdin (bytes), env (dict), cwd (relative to
# the tree), py_compile (run py_compile instead of compileall), no_args
# (compile sys.path from a fake prefix).
SCENARIOS = [
    ("dir", ["pkg"], {}),
    ("dir-dot", ["."], {}),
    ("file", ["top.py"], {}),
    ("files-and-dirs", ["top.py", "pkg", "missing.py", "nodir"], {}),
    ("syntax-error", ["bad.py"], {}),
    ("syntax-error-q", ["-q", "bad.py"], {}),
    ("syntax-error-qq", ["-qq", "bad.py"], {}),
    ("indentation-error", ["ind.py"], {}),
    ("null-byte", ["nullbyte.py"], {}),
    ("warning", ["warn.py"], {}),
    ("quiet", ["-q", "."], {}),
    ("quiet2", ["-qq", "."], {}),
    ("force", ["-f", "uptodate"], {}),
    ("up-to-date", ["uptodate"], {}),
    ("up-to-date-hash-mode", ["--invalidation-mode", "checked-hash", "uptodate"], {}),
    ("recurse-0", ["-r", "0", "deep"], {}),
    ("recurse-1", ["-r", "1", "deep"], {}),
    ("no-recurse", ["-l", "deep"], {}),
    ("r-beats-l", ["-l", "-r", "2", "deep"], {}),
    ("legacy", ["-b", "pkg"], {}),
    ("ddir", ["-d", "/usr/lib/python3.10/site-packages", "pkg"], {}),
    ("ddir-file", ["-d", "/opt/x", "top.py", "bad.py"], {}),
    ("ddir-error", ["-d", "/opt/x", "bad.py", "pkg"], {}),
    ("strip-prepend", ["-s", "pkg", "-p", "/usr/lib", "pkg"], {}),
    ("strip-only", ["-s", "pkg", "pkg/sub"], {}),
    ("prepend-only", ["-p", "/root", "pkg"], {}),
    ("d-and-s", ["-d", "a", "-s", "b", "pkg"], {}),
    ("exclude", ["-x", "sub|bad", "."], {}),
    ("exclude-anchored", ["-x", r"^\./pkg/.*\.py$", "."], {}),
    ("exclude-empty", ["-x", "", "pkg"], {}),
    ("list-file", ["-i", "list.txt"], {}),
    ("list-stdin", ["-i", "-"], {"stdin": b"top.py\npkg/mod.py\n\n  pkg/sub  \n"}),
    ("list-missing", ["-i", "nolist.txt", "pkg"], {}),
    ("list-missing-qq", ["-qq", "-i", "nolist.txt"], {}),
    ("opt-levels", ["-o", "1", "-o", "2", "-o", "1", "pkg"], {}),
    ("opt-minus1-and-0", ["-o", "-1", "-o", "0", "top.py"], {}),
    ("opt-invalid", ["-o", "5", "top.py"], {}),
    ("hardlink", ["-o", "0", "-o", "1", "-o", "2", "--hardlink-dupes", "pkg"], {}),
    ("hardlink-one-level", ["--hardlink-dupes", "pkg"], {}),
    ("hardlink-same-level", ["-o", "1", "-o", "1", "--hardlink-dupes", "pkg"], {}),
    ("hardlink-minus1-0", ["-o", "-1", "-o", "0", "--hardlink-dupes", "top.py"], {}),
    ("checked-hash", ["--invalidation-mode", "checked-hash", "pkg"], {}),
    ("pycache-prefix", ["-f", "uptodate", "trap"], {"env": {"PYTHONPYCACHEPREFIX": "/dev/null/x/"}}),
    ("pythonoptimize", ["pkg"], {"env": {"PYTHONOPTIMIZE": "2"}}),
    ("pythonoptimize-text", ["-o", "-1", "-o", "2", "top.py"], {"env": {"PYTHONOPTIMIZE": "yes"}}),
    ("unchecked-hash", ["--invalidation-mode", "unchecked-hash", "pkg"], {}),
    ("source-date-epoch", ["pkg"], {"env": {"SOURCE_DATE_EPOCH": "1"}}),
    ("source-date-epoch-empty", ["pkg"], {"env": {"SOURCE_DATE_EPOCH": ""}}),
    ("symlinks", ["links"], {}),
    ("symlinks-limit", ["-e", "links", "links"], {}),
    ("symlinks-limit-root", ["-e", ".", "links"], {}),
    ("workers-2", ["-j", "2", "."], {"oracle_sequential": True}),
    ("workers-0", ["-j", "0", "-q", "."], {"oracle_sequential": True}),
    ("workers-negative", ["-j", "-1", "pkg"], {}),
    ("workers-negative-file", ["-j", "-1", "top.py"], {}),
    ("non-utf8-names", ["names"], {}),
    ("unicode-names", ["unicode"], {}),
    ("unreadable-dir", ["locked"], {}),
    ("pycache-target-is-symlink", ["trap"], {}),
    ("pycache-target-is-dir", ["trap2"], {}),
    ("abbrev-options", ["--work", "1", "--inv=timestamp", "pkg"], {}),
    ("combined-short", ["-fqj1", "pkg"], {}),
    ("unknown-option", ["--nope", "pkg"], {}),
    ("positional-after-option", ["pkg", "-f", "top.py"], {}),
    ("help", ["-h"], {}),
    ("bad-int", ["-r", "two", "pkg"], {}),
    ("bad-choice", ["--invalidation-mode", "hash", "pkg"], {}),
    ("no-args", [], {"no_args": True}),
    ("no-args-pythonpath", ["-q"], {"no_args": True, "pythonpath": True}),
    ("symlink-loop", ["loops"], {}),
    ("symlink-loop-limit", ["-e", ".", "loops"], {}),
    ("list-not-utf8", ["-i", "badlist.txt"], {}),
    ("ddir-not-utf8", ["-d", "/opt/caf\udce9", "names"], {}),
    ("strip-repeated-parts", ["-s", "x/pkg", "-p", "/p", "pkg/sub"], {}),
    ("no-args-ignores-options", ["-l", "-r", "5", "-o", "2", "-x", "x", "-j", "2"], {"no_args": True}),
    ("legacy-levels", ["-b", "-o", "1", "-o", "2", "top.py"], {}),
    ("legacy-hardlink", ["-b", "-o", "1", "-o", "2", "--hardlink-dupes", "top.py"], {}),
    ("file-symlink-args", ["-e", "pkg", "links/inside.py", "links/outside.py"], {}),
    ("py_compile", ["top.py", "pkg/mod.py"], {"py_compile": True}),
    ("py_compile-error", ["top.py", "bad.py", "pkg/mod.py"], {"py_compile": True}),
    ("py_compile-quiet", ["-q", "bad.py"], {"py_compile": True}),
    ("py_compile-missing", ["missing.py"], {"py_compile": True}),
    ("py_compile-stdin", ["-"], {"py_compile": True, "stdin": b"top.py\npkg/mod.py\n"}),
    ("py_compile-no-args", [], {"py_compile": True}),
    ("py_compile-indent", ["ind.py"], {"py_compile": True}),
    ("py_compile-warning", ["warn.py", "names/warn\udce9.py"], {"py_compile": True}),
    ("py_compile-non-utf8", ["names/caf\udce9.py", "bad\udce9.py"], {"py_compile": True}),
    # -x: Python's re semantics through RE2 (Unicode classes, escapes, flags).
    ("exclude-non-utf8-dot", ["-x", r"caf.\.py$", "names"], {}),
    ("exclude-word", ["-x", r"\w\.py$", "classes"], {}),
    ("exclude-digit", ["-x", r"\d\.py$", "classes"], {}),
    ("exclude-space", ["-x", r"\s\.py$", "classes"], {}),
    ("exclude-nonspace", ["-x", r"\S\.py$", "classes"], {}),
    ("exclude-class-word", ["-x", r"[^\w/.]\.py$", "classes"], {}),
    ("exclude-class-digit-space", ["-x", r"[\d\s]\.py$", "classes"], {}),
    ("exclude-escapes", ["-x", r"caf\u00e9|\x70lain|\U0001f600|\060", "classes", "unicode"], {}),
    ("exclude-brace-quantifier", ["-x", r"^\./pkg/\w{,3}\.py$", "."], {}),
    ("exclude-flags", ["-x", r"(?i)PKG/MOD|(?u:TOP)|(?s:.)x(?#comment)", "."], {}),
    ("exclude-bad-escape", ["-x", r"\p{L}", "pkg"], {}),
    ("exclude-unbalanced", ["-x", "(mod", "pkg"], {"traceback_class_only": True}),
    ("exclude-lookahead-refused", ["-x", "(?!x)mod", "pkg"], {"xpyc_only": "cannot be used: xpyc matches with RE2"}),
    ("exclude-backreference-refused", ["-x", r"(m)\1", "pkg"], {"xpyc_only": "cannot be used: xpyc matches with RE2"}),
    ("exclude-word-boundary-refused", ["-x", r"\bmod\b", "pkg"], {"xpyc_only": "cannot be used: xpyc matches with RE2"}),
    # Option combinations from build systems.
    ("fedora-style", ["-q", "-f", "-j", "2", "-o", "0", "-o", "1", "--hardlink-dupes", "-s", ".",
                      "-p", "/usr/lib/python3.10", "-x", "bad|ind|nullbyte", "-e", ".", "."],
     {"oracle_sequential": True}),
    ("nix-style", ["-q", "-f", "-j", "0", "--invalidation-mode", "unchecked-hash", "-x", "/bad",
                   "pkg", "top.py"], {"oracle_sequential": True, "env": {"SOURCE_DATE_EPOCH": "315532800"}}),
    ("stdin-list-ddir-epoch", ["-q", "-f", "-d", "/opt/app", "-i", "-"],
     {"stdin": b"top.py\npkg\nbad.py\n", "env": {"SOURCE_DATE_EPOCH": "1"}}),
    ("epoch-uptodate", ["uptodate"], {"env": {"SOURCE_DATE_EPOCH": "1"}}),
    ("epoch-explicit-timestamp", ["--invalidation-mode", "timestamp", "pkg"], {"env": {"SOURCE_DATE_EPOCH": "1"}}),
    ("legacy-recursion", ["-b", "-f", "-q", "-r", "1", "deep"], {}),
    ("l-with-files", ["-l", "-q", "top.py", "pkg"], {}),
    ("hardlink-pythonoptimize", ["-o", "1", "-o", "2", "--hardlink-dupes", "pkg"], {"env": {"PYTHONOPTIMIZE": "1"}}),
    ("limit-strip-prepend", ["-e", "links", "-s", "links", "-p", "/x", "links"], {}),
    ("workers-qq-errors", ["-qq", "-j", "2", "."], {"oracle_sequential": True}),
    ("workers-hardlink-levels", ["-j", "2", "-o", "0", "-o", "1", "-o", "2", "--hardlink-dupes", "pkg"],
     {"oracle_sequential": True}),
    # Inputs as deep as CPython's limits allow, on one worker and on two.
    ("deep-inputs", ["nested"], {}),
    ("deep-inputs-workers", ["-j", "2", "nested"], {"oracle_sequential": True}),
]

FIXED_MTIME = 1700000000.25

# --stub-codegen: the oracle's compile() is replaced by what xpyc's
# CompileSource does while there is no code generator (fail with xpyc's own
# message). Everything else on the oracle side is untouched, so the scenarios
# then check the driver alone: traversal, messages, paths, options, files.
STUB_CODEGEN = (
    "import sys, py_compile, importlib.machinery\n"
    "class _Unsupported(Exception): pass\n"
    "_real_source_to_code = importlib.machinery.SourceFileLoader.source_to_code\n"
    "def _source_to_code(self, data, path, *, _optimize=-1):\n"
    "    if str(path).startswith(sys.prefix + '/'):  # the oracle's own modules\n"
    "        return _real_source_to_code(self, data, path, _optimize=_optimize)\n"
    "    if _optimize not in (-1, 0, 1, 2): raise ValueError('compile(): invalid optimize value')\n"
    "    raise _Unsupported(path)\n"
    "importlib.machinery.SourceFileLoader.source_to_code = _source_to_code\n"
    "_init = py_compile.PyCompileError.__init__\n"
    "def _pyc_error_init(self, exc_type, exc_value, file, msg=''):\n"
    "    if exc_type is _Unsupported:\n"
    "        msg = 'xpyc: cannot compile %r: code generation is not implemented yet' % file\n"
    "    _init(self, exc_type, exc_value, file, msg)\n"
    "py_compile.PyCompileError.__init__ = _pyc_error_init\n"
)

ORACLE_WRAPPER = (
    "import sys, os, runpy; sys.argv[0] = {prog!r}; sys.path[0] = os.getcwd(); {fix}"
    "runpy.run_module({module!r}, run_name='__main__', alter_sys=False)"
)


def build_tree(root, outside):
    """The fixture tree every scenario starts from."""
    def write(rel, data):
        path = os.path.join(root, rel) if isinstance(rel, str) else os.path.join(os.fsencode(root), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    write("top.py", b"import os\nX = 1\n\ndef f(a, b=2):\n    return a + b\n")
    write("pkg/__init__.py", b"")
    write("pkg/mod.py", b"'''doc'''\nassert X\ndef g():\n    '''gdoc'''\n    return 1\n")
    write("pkg/data.txt", b"not python\n")
    write("pkg/README", b"readme\n")
    write("pkg/sub/__init__.py", b"from . import deep\n")
    write("pkg/sub/deep.py", b"class C:\n    pass\n")
    write("pkg/__pycache__/ignored.py", b"x = 1\n")
    write("bad.py", b"def f(:\n    pass\n")
    write("ind.py", b"if 1:\n  x = 1\n   y = 2\n")
    write("nullbyte.py", b"x = 1\0\n")
    write("warn.py", b"x = 1\nif x is 1:\n    pass\n")
    write("deep/a.py", b"a = 1\n")
    write("deep/l1/b.py", b"b = 1\n")
    write("deep/l1/l2/c.py", b"c = 1\n")
    write("deep/l1/l2/l3/d.py", b"d = 1\n")
    write("uptodate/fresh.py", b"fresh = 1\n")
    write("uptodate/stale.py", b"stale = 1\n")
    write("list.txt", b"top.py\npkg/sub\r\nmissing.py\n")
    write(b"names/caf\xe9.py", b"latin1 = 1\n")
    write("names/caf\u00e9.py", b"utf8 = 1\n")
    write("names/it's.py", b"quote = 1\n")
    write("names/tab\there.py", b"tab = 1\n")
    for name in ("zw\u200bsp", "nb\u00a0sp", "emoji\U0001f600", "ctl\x01", "dq\"", "both'\"",
                 "comb\u0301", "priv\ue000", "unassigned\u0378"):
        write("unicode/%s.py" % name, b"u = 1\n")
    write("locked/hidden.py", b"h = 1\n")
    write("trap/t.py", b"t = 1\n")
    write("trap2/t.py", b"t = 1\n")
    pin_mtimes(root)
    # Up-to-date pycs made by the oracle, and a stale one (wrong mtime).
    for name in ("fresh", "stale"):
        src = os.path.join(root, "uptodate", name + ".py")
        py_compile.compile(src, doraise=True)
    cfile = os.path.join(root, "uptodate", "__pycache__", "stale.cpython-310.pyc")
    with open(cfile, "r+b") as f:
        f.seek(8)
        f.write(b"\0\0\0\0")
    # Symlinks: inside, outside, to a directory, broken.
    os.makedirs(os.path.join(root, "links"))
    write("links/real.py", b"real = 1\n")
    os.symlink("real.py", os.path.join(root, "links", "inside.py"))
    os.symlink(os.path.join(outside, "ext.py"), os.path.join(root, "links", "outside.py"))
    os.symlink("../pkg", os.path.join(root, "links", "dirlink"))
    os.symlink("nowhere.py", os.path.join(root, "links", "broken.py"))
    # A pyc target that is a symlink, and one that is a directory.
    os.makedirs(os.path.join(root, "trap", "__pycache__"))
    os.symlink("/dev/null", os.path.join(root, "trap", "__pycache__", "t.cpython-310.pyc"))
    os.makedirs(os.path.join(root, "trap2", "__pycache__", "t.cpython-310.pyc"))
    os.makedirs(os.path.join(root, "loops"))
    os.symlink("loop.py", os.path.join(root, "loops", "loop.py"))
    write("loops/ok.py", b"ok = 1\n")
    write("badlist.txt", b"top.py\ncaf\xe9.py\n")
    write(b"names/warn\xe9.py", b"x = 1\nif x is 1:\n    pass\n")
    write(b"bad\xe9.py", b"def f(:\n    pass\n")
    # Names whose last character is in one of Python's Unicode classes.
    for name in ("plain", "x\u0663", "bi\u00b2", "caf\u00e9", "sp\u3000", "vt\x0b", "nb\u00a0", "u_"):
        write("classes/%s.py" % name, b"c = 1\n")
    write("nested/unary.py", b"x = " + b"-" * 100000 + b"1\n")
    write("nested/plus.py", b"x = 1" + b" + 1" * 100000 + b"\n")
    write("nested/calls.py", b"f" + b"()" * 50000 + b"\n")
    write("nested/lists.py", b"x = " + b"[" * 199 + b"]" * 199 + b"\n")
    write("nested/parens.py", b"x = " + b"(" * 250 + b")" * 250 + b"\n")
    write("nested/ifs.py", b"".join(b" " * i + b"if x:\n" for i in range(99)) + b" " * 99 + b"pass\n")
    write("nested/lambdas.py", b"f = " + b"lambda: " * 5000 + b"1\n")
    pin_mtimes(root)  # the files written since the first pin (links/real.py, ...)
    os.chmod(os.path.join(root, "locked"), 0)


def pin_mtimes(root):
    """Sources get one fixed mtime, so both fixture builds are byte-identical."""
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path) and not name.endswith(".pyc"):
                os.utime(path, (FIXED_MTIME, FIXED_MTIME))


def build_outside(path):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "ext.py"), "wb") as f:
        f.write(b"ext = 1\n")


def build_prefix(prefix):
    lib = os.path.join(prefix, "lib", "python3.10")
    os.makedirs(os.path.join(lib, "site-packages", "sp"), exist_ok=True)
    with open(os.path.join(lib, "stdmod.py"), "wb") as f:
        f.write(b"s = 1\n")
    with open(os.path.join(lib, "site-packages", "spmod.py"), "wb") as f:
        f.write(b"sp = 1\n")


def snapshot(root):
    """Every entry under root: type, mode, link target, hard-link group, pyc bytes."""
    entries = {}
    pycs = {}
    inodes = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in sorted(dirnames) + sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, os.fsencode(root))
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                entries[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                entries[rel] = ("dir", oct(st.st_mode & 0o7777))
            else:
                group = None
                if st.st_nlink > 1:
                    group = inodes.setdefault(st.st_ino, rel)
                entries[rel] = ("file", oct(st.st_mode & 0o7777), st.st_size, group)
                if rel.endswith(b".pyc"):
                    with open(path, "rb") as f:
                        pycs[rel] = f.read()
    # Hard-link groups are named by their first member in walk order.
    return entries, pycs


def unlock(root):
    for dirpath, dirnames, _ in os.walk(root):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            if not os.path.islink(p):
                os.chmod(p, 0o755)
    if os.path.isdir(root):
        os.chmod(root, 0o755)


def reset(work):
    if os.path.exists(work):
        unlock(work)
        shutil.rmtree(work)
    os.makedirs(work)
    build_outside(os.path.join(work, "outside"))
    build_tree(os.path.join(work, "tree"), os.path.join(work, "outside"))
    build_prefix(os.path.join(work, "prefix"))
    pin_mtimes(os.path.join(work, "prefix"))
    pin_mtimes(os.path.join(work, "outside"))


def run(cmd, cwd, env, stdin):
    proc = subprocess.run(cmd, cwd=cwd, env=env, input=stdin or b"",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def base_env(work, options):
    env = dict(os.environ)
    for var in ("SOURCE_DATE_EPOCH", "PYTHONPATH", "PYTHONHOME", "COLUMNS",
                "PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE", "PYTHONOPTIMIZE"):
        env.pop(var, None)
    env["PYTHONNOUSERSITE"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    if options.get("pythonpath"):
        env["PYTHONPATH"] = "rel:" + os.path.join(work, "tree", "pkg") + "::/nonexistent"
    env.update(options.get("env", {}))
    return env


def oracle_command(oracle, args, options, work, stub):
    module = "py_compile" if options.get("py_compile") else "compileall"
    prog = "xpyc --py-compile" if options.get("py_compile") else "xpyc"
    fix = ""
    if options.get("no_args"):
        # Point the oracle's sys.path at the fake prefix xpyc gets as PYTHONHOME.
        fake = os.path.join(work, "prefix")
        fix = ("import compileall, argparse, shutil, textwrap, re, locale, gettext, encodings.idna, "
               "concurrent.futures.process; "
               "sys.path[1:] = [p.replace(sys.prefix, %r) for p in sys.path[1:]"
               " if not p.endswith('site-packages')] + [%r]; " %
               (fake, os.path.join(fake, "lib", "python3.10", "site-packages")))
    code = ORACLE_WRAPPER.format(prog=prog, fix=fix, module=module)
    if module == "py_compile":
        # py_compile.main() of the imported module, so that the stub's patch
        # of py_compile.PyCompileError applies.
        code = ("import sys, os, py_compile; sys.argv[0] = %r; sys.path[0] = os.getcwd(); "
                "py_compile.main()" % prog)
    if stub:
        code = STUB_CODEGEN + code
    if options.get("oracle_sequential"):
        # xpyc's -j prints in the order of one worker; the oracle's order with
        # processes is not deterministic, so its one-worker run is the reference.
        args = [a for i, a in enumerate(args) if a != "-j" and (i == 0 or args[i - 1] != "-j")]
    return [oracle, "-c", code] + args


def xpyc_command(xpyc, args, options):
    return [xpyc] + (["--py-compile"] if options.get("py_compile") else []) + args


def traceback_to_last_line(err):
    """Python prints a traceback for an exception compileall lets escape; xpyc
    prints only its final "Class: message" line (there are no Python frames)."""
    marker = b"Traceback (most recent call last):\n"
    if marker not in err:
        return err
    head, _, tail = err.partition(marker)
    lines = tail.splitlines(keepends=True)
    last = [l for l in lines if not l.startswith(b" ")]
    return head + (last[-1] if last else b"")


def first_difference(label, a, b, limit=6):
    if a == b:
        return []
    la = a.decode("utf-8", "backslashreplace").splitlines()
    lb = b.decode("utf-8", "backslashreplace").splitlines()
    diff = list(difflib.unified_diff(la, lb, "oracle", "xpyc", n=0, lineterm=""))[2:]
    more = " ..." if len(diff) > limit else ""
    return ["  %s differs:" % label] + ["    " + line for line in diff[:limit]] + (["    ..."] if more else [])


def dump(xpyc, data):
    with tempfile.NamedTemporaryFile(suffix=".pyc") as f:
        f.write(data)
        f.flush()
        proc = subprocess.run([xpyc, "--dump-pyc", f.name], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=60)
        return proc.stdout


def exception_class_only(err):
    """b"re.error: missing ), ..." -> b"re.error: ..." (the class, not the wording)."""
    head, sep, _ = err.rstrip(b"\n").rpartition(b"\n")
    last = err.rstrip(b"\n").split(b"\n")[-1]
    return (head + sep if sep else b"") + last.split(b": ", 1)[0] + b": ...\n"


def compare(xpyc, oracle_result, xpyc_result, options=None):
    reasons = []
    (orc, oout, oerr, (oentries, opycs)) = oracle_result
    (xrc, xout, xerr, (xentries, xpycs)) = xpyc_result
    if orc != xrc:
        reasons.append("  exit status: oracle %d, xpyc %d" % (orc, xrc))
    reasons += first_difference("stdout", oout, xout)
    oerr = traceback_to_last_line(oerr)
    if (options or {}).get("traceback_class_only") and b"Traceback" in oracle_result[2]:
        # CPython crashes with a traceback: xpyc's clean message names the
        # same exception in its own words.
        oerr, xerr = exception_class_only(oerr), exception_class_only(xerr)
    reasons += first_difference("stderr", oerr, xerr)
    if oentries != xentries:
        only_o = sorted(set(oentries) - set(xentries))
        only_x = sorted(set(xentries) - set(oentries))
        changed = sorted(k for k in set(oentries) & set(xentries) if oentries[k] != xentries[k])
        reasons.append("  files differ:")
        for k in only_o[:5]:
            reasons.append("    only after oracle: %s" % os.fsdecode(k))
        for k in only_x[:5]:
            reasons.append("    only after xpyc: %s" % os.fsdecode(k))
        for k in changed[:5]:
            reasons.append("    %s: oracle %r, xpyc %r" % (os.fsdecode(k), oentries[k], xentries[k]))
    for rel in sorted(set(opycs) & set(xpycs)):
        if opycs[rel] != xpycs[rel]:
            reasons += first_difference("pyc %s (--dump-pyc)" % os.fsdecode(rel),
                                        dump(xpyc, opycs[rel]), dump(xpyc, xpycs[rel]))
            if len(reasons) > 40:
                break
    return reasons


def run_side(command, work, options, env):
    reset(work)
    tree = os.path.join(work, "tree")
    cwd = os.path.join(tree, options.get("cwd", ""))
    rc, out, err = run(command, cwd, env, options.get("stdin"))
    unlock(tree)
    return rc, out, err, snapshot(tree)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xpyc", default=os.path.join(REPO, "build", "driver", "xpyc"))
    parser.add_argument("-k", dest="select", help="run scenarios whose name contains this")
    parser.add_argument("-v", action="store_true", help="show why scenarios differ")
    parser.add_argument("--stub-codegen", action="store_true",
                        help="replace the oracle's code generation by xpyc's placeholder "
                             "(checks the driver alone while xpyc has no compiler)")
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 10):
        sys.exit("run this with the oracle, CPython 3.10 (PYENV_VERSION=3.10.13 pyenv which python3.10)")
    xpyc = os.path.abspath(args.xpyc)
    if not os.access(xpyc, os.X_OK):
        sys.exit("xpyc not found at %s (use --xpyc PATH)" % xpyc)
    oracle = sys.executable
    scenarios = [s for s in SCENARIOS if not args.select or args.select in s[0]]
    passed = 0
    with tempfile.TemporaryDirectory(prefix="xpyc-scenarios-") as tmp:
        work = os.path.join(tmp, "w")
        for name, argv, options in scenarios:
            env = base_env(work, options)
            if options.get("xpyc_only"):
                # Python accepts it; xpyc refuses it cleanly (usage error, nothing written).
                reset(work)
                unlock(os.path.join(work, "tree"))
                untouched = snapshot(os.path.join(work, "tree"))
                rc, out, err, after = run_side(xpyc_command(xpyc, argv, options), work, options, env)
                expected = options["xpyc_only"].encode()
                reasons = []
                if rc != 2:
                    reasons.append("  exit status %d, expected 2" % rc)
                if out or expected not in err:
                    reasons.append("  expected only a usage error containing %r, got stdout %r stderr %r"
                                   % (expected, out[:200], err[:300]))
                if after != untouched:
                    reasons.append("  files changed")
                print(("FAIL %s: xpyc %s\n" % (name, " ".join(argv)) + "\n".join(reasons)) if reasons
                      else "PASS %s" % name)
                passed += not reasons
                sys.stdout.flush()
                continue
            oracle_result = run_side(oracle_command(oracle, argv, options, work, args.stub_codegen), work, options, env)
            xenv = dict(env)
            if args.stub_codegen:
                xenv["XPYC_DRIVER_TEST_STUB_CODEGEN"] = "1"
            if options.get("no_args"):
                xenv["PYTHONHOME"] = os.path.join(work, "prefix")
            xpyc_result = run_side(xpyc_command(xpyc, argv, options), work, options, xenv)
            reasons = compare(xpyc, oracle_result, xpyc_result, options)
            if reasons:
                print("FAIL %s: xpyc %s" % (name, " ".join(argv)))
                if args.v:
                    print("\n".join(reasons))
                else:
                    print(reasons[0] if len(reasons) == 1 else "\n".join(reasons[:4]))
            else:
                passed += 1
                print("PASS %s" % name)
            sys.stdout.flush()
        if os.path.exists(work):
            unlock(work)
    mode = " (code generation stubbed on both sides)" if args.stub_codegen else ""
    print("%d/%d scenarios identical%s" % (passed, len(scenarios), mode))
    return 0 if passed == len(scenarios) else 1


if __name__ == "__main__":
    sys.exit(main())
