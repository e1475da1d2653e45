#!/usr/bin/env python3
"""Differential error check: xpyc against the oracle on mutated sources.

    python3.10 tools/errors_diff.py XPYC [--count N] [--seed S] [--corpus DIR]
                                        [--full] [--keep DIR] [--show K]

Makes N inputs (default 20000): mutants of corpus files (a token deleted,
inserted, duplicated, replaced or swapped; a line deleted, duplicated or swapped;
indentation broken; the file truncated) and random byte strings. Each is
written to a file and compiled by both sides, and the records (outcome,
exception class, msg, lineno, offset, end_lineno, end_offset, text and the
printed form; see tools/errors_common.py) are compared.

By default both sides stop after the parser (ast.parse on the oracle side,
`xpyc --check-errors --parse-only`), so that the parser can be compared
while the compiler proper is incomplete; --full compares whole compiles.
The corpus defaults to the oracle's own standard library. Prints the
agreement and the differences grouped by kind; exits 1 on a crash, a hang or
a sanitizer report (run it with a build-asan xpyc for the latter).
"""
import argparse
import collections
import io
import os
import random
import re
import subprocess
import sys
import sysconfig
import tempfile
import tokenize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import errors_common  # noqa: E402

BATCH = 1000
MAX_FILE = 16000
TOKEN_POOL = ["(", ")", "[", "]", "{", "}", ":", ",", ";", "=", "==", ".", "*", "**",
              "->", "+=", "lambda", "if", "else", "for", "in", "not", "def", "class",
              "return", "yield", "await", "async", "with", "as", "import", "from",
              "del", "global", "match", "case", "_", "'s'", "f'{x}'", "1", "1.5j",
              "0x", "x", "None", "True", "\\", "@", "$", "?", "!", "\t", "\n",
              "    ", "pass", "*x", "**y", ":=", "print", "try", "except", "finally"]


def corpus_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "__pycache__"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                try:
                    if 0 < os.path.getsize(path) <= MAX_FILE:
                        out.append(path)
                except OSError:
                    pass
    return out


def token_spans(source):
    spans = []
    try:
        lines = source.decode("utf-8").splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line.encode("utf-8")))
        for tok in tokenize.tokenize(io.BytesIO(source).readline):
            if tok.type in (tokenize.ENCODING, tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            (sl, sc), (el, ec) = tok.start, tok.end
            if sl - 1 >= len(lines) or el - 1 >= len(lines):
                continue
            start = offsets[sl - 1] + len(lines[sl - 1][:sc].encode("utf-8"))
            end = offsets[el - 1] + len(lines[el - 1][:ec].encode("utf-8"))
            if end > start:
                spans.append((start, end))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, IndentationError):
        pass
    return spans


def mutate(source, rng):
    kind = rng.choice(["tok-del", "tok-ins", "tok-dup", "tok-swap", "tok-rep", "line-del",
                       "line-dup", "line-swap", "indent", "truncate", "tok-del", "tok-ins"])
    if kind.startswith("tok-"):
        spans = token_spans(source)
        if len(spans) < 2:
            kind = "truncate"
        else:
            i = rng.randrange(len(spans) - 1)
            (a, b), (c, d) = spans[i], spans[i + 1]
            if kind == "tok-del":
                return kind, source[:a] + source[b:]
            if kind == "tok-ins":
                tok = rng.choice(TOKEN_POOL).encode()
                return kind, source[:a] + tok + b" " + source[a:]
            if kind == "tok-dup":
                return kind, source[:b] + b" " + source[a:b] + source[b:]
            if kind == "tok-rep":
                return kind, source[:a] + rng.choice(TOKEN_POOL).encode() + source[b:]
            return kind, source[:a] + source[c:d] + source[b:c] + source[a:b] + source[d:]
    lines = source.split(b"\n")
    if kind == "truncate" or len(lines) < 3:
        return "truncate", source[:rng.randrange(len(source) + 1)]
    i = rng.randrange(len(lines) - 1)
    if kind == "line-del":
        del lines[i]
    elif kind == "line-dup":
        lines.insert(i, lines[i])
    elif kind == "line-swap":
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    else:
        stripped = lines[i].lstrip(b" \t")
        indent = lines[i][:len(lines[i]) - len(stripped)]
        lines[i] = rng.choice([b"", b" ", b"\t", indent + b" ", indent[:-1], indent + b"\t",
                               b"        ", indent + indent]) + stripped
    return kind, b"\n".join(lines)


def random_bytes(rng):
    n = rng.randrange(1, 60)
    if rng.random() < 0.5:
        alphabet = b"()[]{}:;,.=+-*/'\"\\#@ \t\n\r\x0cabcxyz019_jJeE"
        return bytes(rng.choice(alphabet) for _ in range(n))
    return bytes(rng.randrange(256) for _ in range(n))


def xpyc_records(xpyc, paths, full):
    cmd = [xpyc, "--check-errors"] + ([] if full else ["--parse-only"]) + paths
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=600)
    except subprocess.TimeoutExpired:
        return None, "hang"
    records = {}
    for line in proc.stdout.decode("utf-8", "replace").split("\n"):
        if "\t" in line:
            path, record = line.split("\t", 1)
            records[path] = record
    if proc.returncode != 0:
        return records, "exit status %d: %s" % (proc.returncode, proc.stderr[-500:])
    if b"runtime error:" in proc.stderr or b"Sanitizer" in proc.stderr:
        return records, "sanitizer report: %s" % proc.stderr[-1500:]
    return records, None


def category(expected, actual):
    e = expected.split("\t")
    a = actual.split("\t")
    norm = lambda s: re.sub(r"\d+", "N", s)[:80]  # noqa: E731
    if e[:2] != a[:2]:
        return "message: %s %s  <->  xpyc %s %s" % (e[0], norm(e[1]) if len(e) > 1 else "",
                                                  a[0], norm(a[1]) if len(a) > 1 else "")
    if e[2:6] != a[2:6]:
        return "position: %s %s" % (e[0], norm(e[1]))
    if e[6:7] != a[6:7]:
        return "text: %s %s" % (e[0], norm(e[1]))
    return "printed: %s %s" % (e[0], norm(e[1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("xpyc")
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--keep", help="copy the differing inputs into this folder")
    ap.add_argument("--show", type=int, default=40, help="difference kinds to list")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    files = corpus_files(args.corpus)
    agree = 0
    total = 0
    problems = []
    kinds = collections.Counter()
    examples = {}
    with tempfile.TemporaryDirectory() as tmp:
        done = 0
        while done < args.count:
            batch = []
            for j in range(min(BATCH, args.count - done)):
                if rng.random() < 0.1:
                    how, data = "random", random_bytes(rng)
                else:
                    with open(rng.choice(files), "rb") as f:
                        how, data = mutate(f.read(), rng)
                path = os.path.join(tmp, "m%06d.py" % (done + j))
                with open(path, "wb") as f:
                    f.write(data)
                batch.append((path, how, data))
            done += len(batch)
            records, problem = xpyc_records(args.xpyc, [p for p, _, _ in batch], args.full)
            if problem:
                problems.append(problem)
            for path, how, data in batch:
                expected, _ = errors_common.oracle_record(data, path, parse_only=not args.full)
                actual = (records or {}).get(path, "MISSING")
                total += 1
                if expected == actual:
                    agree += 1
                    continue
                kind = category(expected, actual)
                kinds[kind] += 1
                examples.setdefault(kind, (how, data[:300], expected[:300], actual[:300]))
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    with open(os.path.join(args.keep, os.path.basename(path)), "wb") as f:
                        f.write(data)
    print("differential (%s): %d/%d agree (%.3f%%)" % (
        "full compile" if args.full else "parse only", agree, total, 100.0 * agree / max(total, 1)))
    for kind, n in kinds.most_common(args.show):
        how, data, expected, actual = examples[kind]
        print("%6d  %s" % (n, kind))
        print("        e.g. (%s) %r" % (how, data[:120]))
        print("        oracle: %s" % expected[:200])
        print("        xpyc:   %s" % actual[:200])
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
