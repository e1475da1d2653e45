"""Shared definitions of the conformance harness: Result, Run and the context
stage modules receive. See README.md for the stage interface."""

import os
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """The outcome of one check on one file. `kind` groups mismatches in the
    report (keep it free of per-file data); `detail` is the per-file story."""
    ok: bool
    kind: str = ""
    detail: str = ""
    skipped: bool = False

    @staticmethod
    def skip(reason=""):
        return Result(True, "skipped", reason, skipped=True)


@dataclass
class Run:
    args: list
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool = False

    @property
    def crashed(self):
        return not self.timed_out and self.returncode < 0

    @property
    def signal_name(self):
        if self.returncode >= 0:
            return ""
        try:
            return signal.Signals(-self.returncode).name
        except ValueError:
            return f"signal {-self.returncode}"

    def text(self):
        return self.stdout.decode("utf-8", "replace")

    def err_text(self):
        return self.stderr.decode("utf-8", "replace")

    def failure(self, who="xpyc"):
        """A Result for a run that crashed, timed out or exited non-zero;
        None when the run exited 0."""
        if self.timed_out:
            return Result(False, f"{who} timed out", " ".join(map(str, self.args)))
        if self.crashed:
            return Result(False, f"{who} crashed ({self.signal_name})",
                          last_lines(self.err_text()))
        if self.returncode != 0:
            return Result(False, f"{who} exited with status {self.returncode}",
                          last_lines(self.err_text()))
        return None


def corpus_files(*paths):
    """Every .py file under each path (a file path is taken as it is), any
    folder named site-packages left out, sorted: the corpus the harness and
    the tools/ checks compare over."""
    files = []
    for path in paths:
        if os.path.isfile(path):
            files.append(path)
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d != "site-packages")
            files.extend(os.path.join(dirpath, n) for n in filenames if n.endswith(".py"))
    return sorted(files)


def last_lines(text, count=3, width=300):
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(line[:width] for line in lines[-count:])


def first_difference(expected, actual, context_width=200):
    """Describes where two texts first differ, by line."""
    exp_lines = expected.splitlines()
    act_lines = actual.splitlines()
    for number, (e, a) in enumerate(zip(exp_lines, act_lines), 1):
        if e != a:
            return (f"line {number}: expected {e[:context_width]!r}, "
                    f"got {a[:context_width]!r}")
    if len(exp_lines) != len(act_lines):
        shorter = min(len(exp_lines), len(act_lines))
        if len(exp_lines) > shorter:
            return f"line {shorter + 1}: expected {exp_lines[shorter][:context_width]!r}, got end of output"
        return f"line {shorter + 1}: expected end of output, got {act_lines[shorter][:context_width]!r}"
    return "texts differ only in line endings"


def dump_section_of_difference(expected, actual):
    """For two `xpyc --dump-pyc` texts: the field the first difference is in,
    i.e. the first word of the nearest line at or above it indented by at most
    two spaces ("linetable", "consts", "mtime"); None if there is none."""
    exp_lines = expected.splitlines()
    act_lines = actual.splitlines()
    index = next((i for i, (e, a) in enumerate(zip(exp_lines, act_lines)) if e != a),
                 min(len(exp_lines), len(act_lines)))
    lines = exp_lines if index < len(exp_lines) else act_lines
    for line in reversed(lines[:index + 1]):
        stripped = line.lstrip(" ")
        word = stripped.split(" ", 1)[0]
        if word.isidentifier() and len(line) - len(stripped) <= 2:
            return word
    return None


def run_command(args, input=None, cwd=None, timeout=60):
    try:
        proc = subprocess.run([str(a) for a in args], input=input, cwd=cwd,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        return Run(list(args), -1, exc.stdout or b"", exc.stderr or b"", timed_out=True)
    return Run(list(args), proc.returncode, proc.stdout, proc.stderr)


def run_batched(ctx, argv_prefix, paths, chunk=200, timeout=None):
    """Runs `argv_prefix + chunk_of_paths` for consecutive chunks; yields
    (chunk_paths, Run)."""
    paths = list(paths)
    for start in range(0, len(paths), chunk):
        part = paths[start:start + chunk]
        yield part, ctx.run(list(argv_prefix) + part,
                            timeout=timeout or ctx.timeout * 4)


class Context:
    """What a stage sees. One Context per stage (its `state` and notes are
    private to the stage); the other attributes are shared by all stages."""

    def __init__(self, *, xpyc, python, corpus, scratch, jobs, repo, timeout, files, stage):
        self.xpyc = xpyc
        self.python = python
        self.corpus = corpus
        self.scratch = scratch
        self.jobs = jobs
        self.repo = repo
        self.timeout = timeout
        self.files = files
        self.stage = stage
        self.state = {}
        self.notes = []
        self._lock = threading.Lock()

    def stage_scratch(self):
        safe = self.stage.replace("/", "_")
        return tempfile.mkdtemp(prefix=safe + "-", dir=self.scratch)

    def rel(self, path):
        return os.path.relpath(path, self.corpus)

    def run(self, args, input=None, cwd=None, timeout=None):
        return run_command(args, input=input, cwd=cwd, timeout=timeout or self.timeout)

    def note(self, text):
        with self._lock:
            self.notes.append(text)
