#!/usr/bin/env python3
"""CPython's own test_compileall and test_py_compile, run against xpyc.

Run it with the oracle interpreter (CPython 3.10.13), whose lib/python3.10/test
holds the two test modules; nothing of them is copied into this project:

    $(PYENV_VERSION=3.10.13 pyenv which python3.10) \\
        tests/stdlib_cli/run_cpython_cli_tests.py --xpyc build/xpyc [-v] [-k PATTERN]

The tests are imported unchanged and patched at run time:

* Command lines. Every subprocess the tests start through
  test.support.script_helper (assert_python_ok, assert_python_failure,
  spawn_python) or through subprocess.run in test_py_compile is looked at:
  `python [FLAGS] -m compileall ARGS` becomes `xpyc ARGS` and
  `python [FLAGS] -m py_compile ARGS` becomes `xpyc --py-compile ARGS`.
  The interpreter's flags become the environment xpyc reads: -O/-OO set
  PYTHONOPTIMIZE (the larger of the flag count and $PYTHONOPTIMIZE, as CPython
  does), -E and -I drop every PYTHON* variable, -s, -I and -S set
  PYTHONNOUSERSITE, -X/-W/-b/-B/-u/-v/-q are ignored, and PYTHONHOME is set to
  this interpreter's prefix unless the test's environment gives one (so that
  xpyc's no-argument sys.path is the one this interpreter would have).
  Every other subprocess (running a pyc to read its traceback, `python -O -c
  "import module"`) runs the oracle itself: those check the pycs xpyc wrote.
* In-process calls. compileall.compile_dir, compile_file, compile_path and
  py_compile.compile are replaced by functions that run the equivalent xpyc
  command line (compileall.main() makes the same calls with the same
  arguments), pass its output on to sys.stdout/sys.stderr, return what the
  Python function returns, and raise what it raises (an exception xpyc
  reports as "Class: message", ValueError for the argument checks compileall's
  main() turns into usage errors, PyCompileError and OSError for py_compile).
  py_compile.compile(file, cfile, dfile, doraise, optimize, invalidation_mode,
  quiet) runs `xpyc -q -f [-b] [-o N] [--invalidation-mode M] [-d DIR] FILE`,
  which is compileall.compile_file calling py_compile.compile with the same
  arguments; it applies when cfile is None or FILE + "c" (-b), and dfile is
  None or DIR/basename(FILE).
* Tests that cannot apply to a C++ binary (they mock Python internals of
  compileall, or need arguments no xpyc command line expresses) are reported
  "not applicable" with the reason; so are calls whose arguments cannot be
  routed, found at run time.

Prints one line per test, the failures, then a summary per module: passed,
failed, not applicable (each listed with its reason) and skipped by the tests'
own conditions (e.g. running as root). Exit status 0 when nothing failed.
"""
import argparse
import builtins
import compileall
import importlib.util
import io
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import types
import unittest

XPYC = None        # absolute path of the xpyc binary
INVOCATIONS = []   # every xpyc command line run, for the summary

NOT_APPLICABLE_PREFIX = "n/a: "

# Test methods (in every class of the module that has them) that cannot apply.
NOT_APPLICABLE = {
    "test_compileall": {
        "test_compile_pool_called":
            "asserts that compile_dir(workers=5) creates a (mocked) "
            "concurrent.futures.ProcessPoolExecutor; xpyc's -j uses threads by design "
            "(issue 7), there is no process pool to observe. Parallel runs are checked by "
            "test_workers and the scenarios workers-2 and workers-0.",
        "test_compile_workers_cpu_count":
            "asserts that workers=0 reaches a (mocked) ProcessPoolExecutor as "
            "max_workers=None; xpyc's -j 0 starts one thread per core instead. test_workers "
            "runs -j 0.",
        "test_compile_one_worker":
            "mocks ProcessPoolExecutor and compileall.compile_file inside the Python module "
            "to see which code path compile_dir takes; xpyc has no Python internals to mock.",
        "test_compile_missing_multiprocessing":
            "simulates a Python without multiprocessing (ProcessPoolExecutor = None) to see "
            "compile_dir fall back to one process; xpyc's workers are threads, always there.",
        "test_workers_available_cores":
            "mocks compileall.compile_dir and calls compileall.main() in-process to see -j0 "
            "arrive as workers=0; that plumbing is C++ inside xpyc (CompileAllCommand -> "
            "CompileDir), covered by tests/unit/driver_test.cpp and the scenario workers-0.",
    },
    "test_py_compile": {
        "test_do_not_overwrite_nonregular_files":
            "py_compile.compile(cfile=os.devnull): no xpyc command line takes an arbitrary "
            "cfile (neither `-m py_compile` nor `-m compileall` has one, only -b's SOURCE + "
            "'c'). The refusal of a non-regular target is covered by the library's unit test "
            "(PyCompileRequest.cfile = /dev/null) and the scenarios pycache-target-is-*.",
    },
}


class NotRoutable(unittest.SkipTest):
    """An in-process call whose arguments no xpyc command line expresses."""

    def __init__(self, what):
        super().__init__(NOT_APPLICABLE_PREFIX + what)


# --- command lines --------------------------------------------------------------

_NO_ARGUMENT_FLAGS = set("bBdEhiIOqsSuvVx")


def _is_this_python(program):
    try:
        return os.path.samefile(program, sys.executable)
    except (OSError, TypeError, ValueError):
        return False


def _target_home():
    if sys.prefix == sys.exec_prefix:
        return sys.prefix
    return sys.prefix + ":" + sys.exec_prefix


def _python_optimize_env(value):
    """CPython's reading of $PYTHONOPTIMIZE: an int, or 1 for other text."""
    if not value:
        return 0
    try:
        return max(int(value), 0)
    except ValueError:
        return 1


def translate(argv, env):
    """`python [FLAGS] -m compileall|py_compile ARGS` as an xpyc command line:
    (argv, env) to run, or None when `argv` is anything else."""
    if isinstance(argv, (str, bytes)) or not argv or not _is_this_python(argv[0]):
        return None
    argv = [os.fsdecode(a) for a in argv]
    ignore_env = no_user_site = False
    optimize = 0
    module = rest = None
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "-m" and i + 1 < len(argv):
            module, rest = argv[i + 1], argv[i + 2:]
            break
        if arg in ("-X", "-W"):
            i += 2
            continue
        if arg.startswith(("-X", "-W")):
            i += 1
            continue
        if len(arg) > 1 and arg[0] == "-" and arg[1] != "-" and set(arg[1:]) <= _NO_ARGUMENT_FLAGS:
            for flag in arg[1:]:
                if flag == "O":
                    optimize += 1
                elif flag == "E":
                    ignore_env = True
                elif flag == "I":
                    ignore_env = no_user_site = True
                elif flag in "sS":
                    no_user_site = True
            i += 1
            continue
        return None  # a script, -c CODE, ...: the oracle runs it
    if module not in ("compileall", "py_compile"):
        return None
    env = dict(os.environ if env is None else env)
    if ignore_env:
        env = {k: v for k, v in env.items() if not k.startswith("PYTHON")}
    level = max(optimize, _python_optimize_env(env.get("PYTHONOPTIMIZE")))
    env.pop("PYTHONOPTIMIZE", None)
    if level:
        env["PYTHONOPTIMIZE"] = str(level)
    if no_user_site:
        env["PYTHONNOUSERSITE"] = "1"
    if "PYTHONHOME" not in env:
        env["PYTHONHOME"] = _target_home()
    command = [XPYC] + (["--py-compile"] if module == "py_compile" else []) + rest
    INVOCATIONS.append(command)
    return command, env


def _popen(args, *a, **kw):
    translated = translate(args, kw.get("env"))
    if translated:
        args, kw["env"] = translated
    return subprocess.Popen(args, *a, **kw)


def _run(args, *a, **kw):
    translated = translate(args, kw.get("env"))
    if translated:
        args, kw["env"] = translated
    return subprocess.run(args, *a, **kw)


def patched_subprocess():
    """A stand-in for the subprocess module, seen only by the test helpers."""
    module = types.ModuleType("subprocess")
    module.__dict__.update(vars(subprocess))
    module.Popen = _popen
    module.run = _run
    return module


# --- in-process calls -------------------------------------------------------------

class _Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err


def _emit(stream, data):
    if not data:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8", "surrogateescape"))


def _in_process_env():
    """The environment of an xpyc run standing in for this interpreter."""
    env = dict(os.environ)
    env["PYTHONHOME"] = env.get("PYTHONHOME") or _target_home()
    env.pop("PYTHONOPTIMIZE", None)
    if sys.flags.optimize:
        env["PYTHONOPTIMIZE"] = str(sys.flags.optimize)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if sys.pycache_prefix:
        env["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    return env


def _xpyc(args, env=None, cwd=None, show_stdout=True):
    command = [XPYC] + args
    INVOCATIONS.append(command)
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, env=env or _in_process_env(), cwd=cwd,
                          timeout=600)
    if show_stdout:
        _emit(sys.stdout, proc.stdout)
    return _Result(proc.returncode, proc.stdout, proc.stderr)


_UNCAUGHT = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*): (.*)")


def _raise_uncaught(result):
    """xpyc's "Class: message" for an exception compileall lets escape, or the
    usage error of main() for an argument check compile_dir makes itself."""
    lines = result.err.decode("utf-8", "surrogateescape").splitlines()
    if result.rc == 2 and lines and ": error: " in lines[-1]:
        raise ValueError(lines[-1].split(": error: ", 1)[1])
    if result.rc == 1 and lines:
        match = _UNCAUGHT.fullmatch(lines[-1])
        if match:
            name, message = match.groups()
            cls = re.error if name == "re.error" else getattr(builtins, name, None)
            if isinstance(cls, type) and issubclass(cls, Exception):
                _emit(sys.stderr, "\n".join(lines[:-1]).encode("utf-8", "surrogateescape"))
                raise cls(message)
    _emit(sys.stderr, result.err)


def _success(result):
    _raise_uncaught(result)
    if result.rc not in (0, 1):
        raise AssertionError("xpyc exited with %d" % result.rc)
    return result.rc == 0


def _level_args(optimize):
    levels = [optimize] if isinstance(optimize, int) else list(optimize)
    if levels == [-1]:
        return []
    args = []
    for level in levels:
        args += ["-o", str(int(level))]
    return args


def _common_args(ddir, force, rx, quiet, legacy, optimize, invalidation_mode, stripdir,
                 prependdir, limit_sl_dest, hardlink_dupes):
    args = []
    if ddir is not None:
        args += ["-d", os.fspath(ddir)]
    if force:
        args.append("-f")
    if rx is not None:
        if isinstance(rx, str) and rx == "":
            args += ["-x", ""]  # main() keeps the empty str; compile_file then fails on it
        elif isinstance(getattr(rx, "pattern", None), str) and rx.flags == re.UNICODE:
            args += ["-x", rx.pattern]
        else:
            raise NotRoutable("rx=%r has no -x equivalent" % (rx,))
    quiet = int(quiet)
    if quiet:
        args.append("-" + "q" * min(quiet, 2))
    if legacy:
        args.append("-b")
    args += _level_args(optimize)
    if invalidation_mode is not None:
        args += ["--invalidation-mode", invalidation_mode.name.lower().replace("_", "-")]
    if stripdir is not None:
        args += ["-s", os.fspath(stripdir)]
    if prependdir is not None:
        args += ["-p", os.fspath(prependdir)]
    if limit_sl_dest is not None:
        if os.fspath(limit_sl_dest) == "":
            raise NotRoutable("limit_sl_dest='' (main() turns -e '' into None)")
        args += ["-e", os.fspath(limit_sl_dest)]
    if hardlink_dupes:
        args.append("--hardlink-dupes")
    return args


def _dest(path):
    path = os.fspath(path)
    return ["--", path] if path.startswith("-") else [path]


def compile_dir(dir, maxlevels=None, ddir=None, force=False, rx=None, quiet=0, legacy=False,
                optimize=-1, workers=1, invalidation_mode=None, *, stripdir=None,
                prependdir=None, limit_sl_dest=None, hardlink_dupes=False):
    if os.path.isfile(dir):
        raise NotRoutable("compile_dir() of a file: xpyc FILE compiles it as a file")
    args = _common_args(ddir, force, rx, quiet, legacy, optimize, invalidation_mode, stripdir,
                        prependdir, limit_sl_dest, hardlink_dupes)
    if maxlevels is not None:
        args += ["-r", str(int(maxlevels))]
    if workers != 1:
        args += ["-j", str(int(workers))]
    return _success(_xpyc(args + _dest(dir)))


def compile_file(fullname, ddir=None, force=False, rx=None, quiet=0, legacy=False, optimize=-1,
                 invalidation_mode=None, *, stripdir=None, prependdir=None, limit_sl_dest=None,
                 hardlink_dupes=False):
    if not os.path.isfile(fullname):
        raise NotRoutable("compile_file() of something that is not a file: xpyc lists it as a "
                          "directory")
    args = _common_args(ddir, force, rx, quiet, legacy, optimize, invalidation_mode, stripdir,
                        prependdir, limit_sl_dest, hardlink_dupes)
    return _success(_xpyc(args + _dest(fullname)))


def compile_path(skip_curdir=1, maxlevels=0, force=False, quiet=0, legacy=False, optimize=-1,
                 invalidation_mode=None):
    """xpyc without arguments walks the sys.path of its target: made to be
    this interpreter's sys.path by PYTHONPATH, with a PYTHONHOME and a current
    directory that are empty."""
    if maxlevels != 0 or optimize != -1:
        raise NotRoutable("compile_path(maxlevels=%r, optimize=%r): main() passes neither"
                          % (maxlevels, optimize))
    path = [os.fspath(p) for p in sys.path]
    if not skip_curdir and any(p in ("", os.curdir) for p in path):
        raise NotRoutable("compile_path(skip_curdir=False) with the current directory on sys.path")
    if any(":" in p for p in path):
        raise NotRoutable("a sys.path entry containing ':' cannot go through PYTHONPATH")
    args = []
    if force:
        args.append("-f")
    if int(quiet):
        args.append("-" + "q" * min(int(quiet), 2))
    if legacy:
        args.append("-b")
    if invalidation_mode is not None:
        args += ["--invalidation-mode", invalidation_mode.name.lower().replace("_", "-")]
    with tempfile.TemporaryDirectory(prefix="xpyc-empty-") as empty:
        env = _in_process_env()
        env["PYTHONPATH"] = ":".join(p for p in path if p not in ("", os.curdir))
        env["PYTHONHOME"] = empty
        env["PYTHONNOUSERSITE"] = "1"
        return _success(_xpyc(args, env=env, cwd=empty))


def _py_compile_error(message, file):
    error = py_compile.PyCompileError.__new__(py_compile.PyCompileError)
    Exception.__init__(error, message)
    error.exc_type_name = "SyntaxError"
    error.exc_value = None
    error.file = file
    error.msg = message
    return error


def py_compile_compile(file, cfile=None, dfile=None, doraise=False, optimize=-1,
                       invalidation_mode=None, quiet=0):
    file = os.fspath(file)
    if not os.path.basename(file).endswith(".py") or len(os.path.basename(file)) < 3:
        raise NotRoutable("py_compile.compile() of a name not ending in .py "
                          "(compileall skips those)")
    if not os.path.isfile(file):
        raise NotRoutable("py_compile.compile() of a missing source (xpyc FILE would list it "
                          "as a directory)")
    args = ["-q", "-f"]
    if cfile is not None:
        if os.fspath(cfile) != file + "c":
            raise NotRoutable("py_compile.compile(cfile=%r): only SOURCE + 'c' (-b) has an xpyc "
                              "command line" % (cfile,))
        args.append("-b")
    if dfile is not None:
        ddir, name = os.path.split(os.fspath(dfile))
        if name != os.path.basename(file):
            raise NotRoutable("py_compile.compile(dfile=%r) with another base name" % (dfile,))
        args += ["-d", ddir]
    if optimize != -1:
        args += ["-o", str(int(optimize))]
    if invalidation_mode is not None:
        args += ["--invalidation-mode", invalidation_mode.name.lower().replace("_", "-")]
    result = _xpyc(args + _dest(file), show_stdout=False)
    _raise_uncaught(result)
    if result.rc == 0:
        if cfile is not None:
            return os.fspath(cfile)
        return importlib.util.cache_from_source(
            file, optimization=optimize if optimize >= 1 else "")
    out = result.out.decode("utf-8", "surrogateescape")
    first, _, message = out.partition("\n")
    if result.rc != 1 or not first.startswith("*** Error compiling"):
        raise AssertionError("unexpected xpyc result %d: %r" % (result.rc, out))
    message = message[:-1] if message.endswith("\n") else message
    match = re.fullmatch(r"([A-Za-z]+): (.*)", message, re.S)
    cls = getattr(builtins, match.group(1), None) if match else None
    if isinstance(cls, type) and issubclass(cls, OSError):
        raise cls(match.group(2))  # py_compile raises these whatever doraise says
    if quiet < 2:
        if doraise:
            raise _py_compile_error(message, file)
        sys.stderr.write(message + "\n")
    return None


def install_routes():
    compileall.compile_dir = compile_dir
    compileall.compile_file = compile_file
    compileall.compile_path = compile_path
    py_compile.compile = py_compile_compile


# --- running and reporting --------------------------------------------------------

class Recorder(unittest.TextTestResult):
    """Keeps one outcome per test method (a failing subtest fails the method)."""

    ORDER = {"pass": 0, "skip": 1, "n/a": 2, "fail": 3}

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.outcomes = {}   # test id -> (status, detail)
        self.invocations = {}

    def _key(self, test):
        return getattr(test, "test_case", test).id()

    def _set(self, test, status, detail=""):
        key = self._key(test)
        old = self.outcomes.get(key)
        if old is None or self.ORDER[status] > self.ORDER[old[0]]:
            self.outcomes[key] = (status, detail)

    def startTest(self, test):
        self._invocations_before = len(INVOCATIONS)
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.invocations[self._key(test)] = len(INVOCATIONS) - self._invocations_before

    def addSuccess(self, test):
        super().addSuccess(test)
        self._set(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, "fail", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, "fail", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if reason.startswith(NOT_APPLICABLE_PREFIX):
            self._set(test, "n/a", reason[len(NOT_APPLICABLE_PREFIX):])
        else:
            self._set(test, "skip", reason)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            self._set(test, "pass")
        else:
            self._set(test, "fail", "%s\n%s" % (subtest, self._exc_info_to_string(err, test)))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, "pass")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, "fail", "unexpected success")


def mark_not_applicable(module, names):
    for value in vars(module).values():
        if not (isinstance(value, type) and issubclass(value, unittest.TestCase)):
            continue
        for name, reason in names.items():
            if hasattr(value, name):
                def skipper(self, reason=reason):
                    raise unittest.SkipTest(NOT_APPLICABLE_PREFIX + reason)
                skipper.__name__ = name
                setattr(value, name, skipper)


def load(modules, pattern):
    loader = unittest.TestLoader()
    if pattern:
        loader.testNamePatterns = ["*%s*" % pattern]
    suite = unittest.TestSuite()
    for module in modules:
        suite.addTests(loader.loadTestsFromModule(module))
    return suite


def main():
    global XPYC
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xpyc", required=True, help="the xpyc binary to test")
    parser.add_argument("-k", dest="pattern", help="only tests whose name contains this")
    parser.add_argument("-v", action="store_true", help="show every failure in full")
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 10):
        sys.exit("run this with the oracle, CPython 3.10 (PYENV_VERSION=3.10.13 pyenv which "
                 "python3.10)")
    XPYC = os.path.abspath(args.xpyc)
    if not os.access(XPYC, os.X_OK):
        sys.exit("xpyc not found at %s" % XPYC)

    # The tests write next to the current directory (test_py_compile) and
    # xpyc without arguments compiles it: work in an empty one.
    work = tempfile.mkdtemp(prefix="xpyc-stdlib-cli-")
    os.chdir(work)
    # The tests expect a clean environment (the oracle run for test_import
    # must write its pyc, for one).
    for var in ("PYTHONPYCACHEPREFIX", "PYTHONOPTIMIZE", "PYTHONDONTWRITEBYTECODE",
                "SOURCE_DATE_EPOCH"):
        os.environ.pop(var, None)

    from test.support import script_helper
    import test.test_py_compile as test_py_compile
    import test.test_compileall as test_compileall

    script_helper.subprocess = patched_subprocess()
    test_py_compile.subprocess = patched_subprocess()
    install_routes()
    modules = [test_compileall, test_py_compile]
    for module in modules:
        mark_not_applicable(module, NOT_APPLICABLE.get(module.__name__.rsplit(".", 1)[1], {}))

    suite = load(modules, args.pattern)
    stream = io.StringIO()
    runner = unittest.TextTestRunner(stream=stream, resultclass=Recorder, buffer=True,
                                     verbosity=0)
    result = runner.run(suite)
    os.chdir("/")
    shutil.rmtree(work, ignore_errors=True)

    status_word = {"pass": "PASS", "fail": "FAIL", "n/a": "N/A ", "skip": "SKIP"}
    for key in sorted(result.outcomes):
        status, detail = result.outcomes[key]
        line = "%s %s" % (status_word[status], key.replace("test.", "", 1))
        if status == "pass":
            line += "  (%d xpyc runs)" % result.invocations.get(key, 0)
        print(line)

    failures = [(k, d) for k, (s, d) in sorted(result.outcomes.items()) if s == "fail"]
    if failures:
        print("\nFailures:")
        for key, detail in failures:
            print("=" * 70)
            print(key.replace("test.", "", 1))
            lines = detail.rstrip().splitlines()
            if not args.v and len(lines) > 14:
                lines = lines[:4] + ["    ..."] + lines[-9:]
            print("\n".join(lines))

    print()
    totals = {"pass": 0, "fail": 0, "n/a": 0, "skip": 0}
    for module in modules:
        short = module.__name__.rsplit(".", 1)[1]
        counts = {"pass": 0, "fail": 0, "n/a": 0, "skip": 0}
        for key, (status, _) in result.outcomes.items():
            if key.startswith(module.__name__ + "."):
                counts[status] += 1
                totals[status] += 1
        print("%s: %d passed, %d failed, %d not applicable, %d skipped by the test itself"
              % (short, counts["pass"], counts["fail"], counts["n/a"], counts["skip"]))
    for label, status in (("Not applicable", "n/a"), ("Skipped by the test's own condition", "skip")):
        listed = [(k, d) for k, (s, d) in sorted(result.outcomes.items()) if s == status]
        if listed:
            print("\n%s:" % label)
            for key, reason in listed:
                print("  %s: %s" % (key.replace("test.", "", 1), reason))
    print("\ntotal: %d passed, %d failed, %d not applicable, %d skipped by the test itself "
          "(%d xpyc runs)" % (totals["pass"], totals["fail"], totals["n/a"], totals["skip"],
                              len(INVOCATIONS)))
    return 1 if totals["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
