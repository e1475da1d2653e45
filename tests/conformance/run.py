#!/usr/bin/env python3
"""Conformance harness: compares xpyc with CPython 3.10.13 over a corpus.
See README.md. Usage: run.py [--corpus DIR] [--stage NAME ...] [--limit N]
[--jobs N] [--xpyc PATH] [--show N] [--timeout SEC] [--json OUT] [--list]"""

import argparse
import collections
import concurrent.futures
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STAGES_DIR = os.path.join(HERE, "stages")
sys.path.insert(0, HERE)

from harness import Context, Result, corpus_files  # noqa: E402

ORACLE_VERSION = "3.10.13"


def find_oracle():
    """$PYTHON310, else pyenv's 3.10.13, else this interpreter if it is 3.10."""
    candidate = os.environ.get("PYTHON310")
    if candidate and os.access(candidate, os.X_OK):
        return os.path.abspath(candidate)
    pyenv = shutil.which("pyenv")
    if pyenv:
        env = dict(os.environ, PYENV_VERSION=ORACLE_VERSION)
        try:
            out = subprocess.run([pyenv, "which", "python3.10"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 timeout=30).stdout.decode().strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and os.access(out, os.X_OK):
            return out
    if sys.version_info[:2] == (3, 10):
        return sys.executable
    return None


def default_corpus(python):
    out = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    return out


def discover_stages():
    stages = {}
    for name in sorted(os.listdir(STAGES_DIR)):
        if name.endswith(".py") and not name.startswith("_"):
            stages[name[:-3]] = os.path.join(STAGES_DIR, name)
    return stages


def load_stage(name, path):
    module_name = "xpyc_conformance_stage_" + "".join(c if c.isalnum() else "_" for c in name)
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def normalize(outcome):
    """check() returns a Result or a dict of sub-check name -> Result|None."""
    if isinstance(outcome, Result):
        return None, outcome
    if isinstance(outcome, dict):
        return {k: v for k, v in outcome.items() if v is not None}, None
    return None, Result(False, "harness error: check returned " + type(outcome).__name__)


def run_check(module, ctx, path):
    try:
        return module.check(ctx, path)
    except Exception as exc:  # a stage bug must not stop the run
        tb = traceback.format_exc().strip().splitlines()
        return Result(False, f"harness error: {type(exc).__name__}", "\n".join(tb[-3:]))


class StageReport:
    def __init__(self, name):
        self.name = name
        self.total = 0
        self.matched = 0
        self.skipped = 0
        self.sub_counts = collections.OrderedDict()   # sub -> [ok, total]
        self.groups = collections.defaultdict(list)   # kind -> [(rel, detail)]
        self.records = []

    def add(self, rel, outcome):
        subs, single = normalize(outcome)
        if single is not None:
            if single.skipped:
                self.skipped += 1
                self.records.append({"file": rel, "skipped": True, "detail": single.detail})
                return
            items = [(None, single)]
        else:
            if subs and all(r.skipped for r in subs.values()):
                self.skipped += 1
                self.records.append({"file": rel, "skipped": True})
                return
            items = [(k, r) for k, r in subs.items() if not r.skipped]
        self.total += 1
        all_ok = True
        for sub, result in items:
            if sub is not None:
                counts = self.sub_counts.setdefault(sub, [0, 0])
                counts[1] += 1
                counts[0] += bool(result.ok)
            if not result.ok:
                all_ok = False
                kind = result.kind or "mismatch"
                if sub is not None:
                    kind = f"{sub}: {kind}"
                self.groups[kind].append((rel, result.detail))
        self.matched += all_ok
        self.records.append({"file": rel, "ok": all_ok,
                             "results": {str(k): {"ok": r.ok, "kind": r.kind, "detail": r.detail}
                                         for k, r in items}})

    def print(self, show, notes, extra):
        line = f"stage {self.name}: {self.matched}/{self.total} match"
        if self.skipped:
            line += f" ({self.skipped} skipped)"
        print(line)
        for sub, (ok, total) in self.sub_counts.items():
            print(f"  {sub}: {ok}/{total}")
        for text in list(notes) + list(extra):
            print(f"  {text}")
        for kind, entries in sorted(self.groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            noun = "file" if len(entries) == 1 else "files"
            print(f"  {len(entries)} {noun}: {kind}")
            for rel, detail in entries[:show]:
                first, *rest = (detail or "").splitlines() or [""]
                print(f"    {rel}: {first}")
                for more in rest[:4]:
                    print(f"      {more}")
        sys.stdout.flush()


def run_stage(name, module, base, files, args):
    ctx = Context(stage=name, files=files, **base)
    report = StageReport(name)
    if hasattr(module, "available"):
        ok, reason = module.available(ctx)
        if not ok:
            print(f"stage {name}: SKIPPED ({reason})")
            return None, True
    started = time.monotonic()
    if hasattr(module, "prepare"):
        try:
            module.prepare(ctx, files)
        except Exception as exc:
            print(f"stage {name}: FAILED in prepare: {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stdout)
            report.groups[f"harness error in prepare: {type(exc).__name__}"].append(("*", str(exc)))
            return report, False
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = pool.map(lambda p: run_check(module, ctx, p), files)
        for path, outcome in zip(files, outcomes):
            report.add(ctx.rel(path), outcome)
    extra = module.summary(ctx) if hasattr(module, "summary") else []
    report.print(args.show, ctx.notes, extra)
    print(f"  ({time.monotonic() - started:.1f}s)")
    return report, report.matched == report.total and not report.groups


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Compare xpyc with CPython 3.10.13.")
    parser.add_argument("--corpus", help="folder of .py files (default: the oracle's stdlib)")
    parser.add_argument("--stage", action="append", default=[], help="stage to run (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--xpyc", default="build/xpyc", help="relative to the repo root")
    parser.add_argument("--show", type=int, default=3, help="examples per mismatch kind")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per subprocess")
    parser.add_argument("--json", help="write every result to this file")
    parser.add_argument("--keep-scratch", action="store_true")
    parser.add_argument("--list", action="store_true", help="list the stages and exit")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    stages = discover_stages()
    if args.list:
        for name, path in stages.items():
            print(f"{name}: {getattr(load_stage(name, path), 'DESCRIPTION', '')}")
        return 0
    oracle = find_oracle()
    if oracle is None:
        print("conformance: SKIPPED (no CPython 3.10 oracle found)")
        return 0
    if sys.version_info[:2] != (3, 10):
        os.execv(oracle, [oracle, os.path.abspath(__file__)] + argv)

    wanted = args.stage or list(stages)
    unknown = [s for s in wanted if s not in stages]
    if unknown:
        print(f"conformance: unknown stage(s) {', '.join(unknown)}; known: {', '.join(stages)}")
        return 2
    xpyc = args.xpyc if os.path.isabs(args.xpyc) else os.path.join(REPO, args.xpyc)
    if not os.access(xpyc, os.X_OK):
        print(f"conformance: xpyc binary not found at {xpyc} (build it, or pass --xpyc)")
        return 2
    corpus = os.path.abspath(args.corpus or default_corpus(oracle))
    files = corpus_files(corpus)
    if args.limit > 0:
        files = files[:args.limit]
    args.jobs = max(1, args.jobs)
    print(f"conformance: {len(files)} files from {corpus}; oracle {oracle}; xpyc {xpyc}; "
          f"{args.jobs} jobs")
    sys.stdout.flush()

    scratch = tempfile.mkdtemp(prefix="xpyc-conformance-")
    base = dict(xpyc=xpyc, python=oracle, corpus=corpus, scratch=scratch,
                jobs=args.jobs, repo=REPO, timeout=args.timeout)
    all_ok = True
    reports = []
    try:
        for name in wanted:
            module = load_stage(name, stages[name])
            report, ok = run_stage(name, module, base, files, args)
            if report is not None:
                reports.append(report)
            all_ok = all_ok and ok
    finally:
        if args.keep_scratch:
            print(f"conformance: scratch kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if reports:
        print("summary: " + ", ".join(
            f"{r.name} {r.matched}/{r.total}" + (f" ({r.skipped} skipped)" if r.skipped else "")
            for r in reports))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({r.name: {"matched": r.matched, "total": r.total, "skipped": r.skipped,
                                "subchecks": r.sub_counts, "files": r.records}
                       for r in reports}, out, indent=1)
    return 0 if all_ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
