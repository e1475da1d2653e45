"""What the benchmarks share: copying the corpus, timing a child process,
and listing the pycs a run wrote."""
import os
import shutil
import subprocess
import tempfile
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance"))
from harness import corpus_files  # noqa: E402,F401  (re-exported for the benchmarks)


def copy_corpus(files, base, dest):
    """Copies `files` (under `base`) to `dest`, keeping relative paths and
    mtimes; whatever was at `dest` is removed first."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    for path in files:
        target = os.path.join(dest, os.path.relpath(path, base))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(path, target)


@dataclass
class ChildRun:
    wall: float       # seconds
    cpu: float        # user + system seconds
    max_rss: int      # KiB
    status: int       # exit status
    stdout: bytes
    stderr: bytes


def run_timed(cmd, capture=True):
    """Runs `cmd` to completion and measures it. With `capture` its output
    is kept (in temporary files, so that the child is reaped by wait4 and its
    own resource usage read)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sinks = (out, err) if capture else (subprocess.DEVNULL, subprocess.DEVNULL)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sinks[0], stderr=sinks[1])
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                        proc.returncode, out.read(), err.read())


def pyc_files(root):
    """{path relative to root: absolute path} of every pyc under root."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".pyc"):
                path = os.path.join(folder, name)
                found[os.path.relpath(path, root)] = path
    return found
