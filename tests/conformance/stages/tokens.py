"""Stage `tokens`: `xpyc --dump-tokens` against the oracle, file by file.

The comparison itself lives in tools/check_tokens.py (also usable on its own):
the oracle's compile() decides whether the file has a tokenizer error (then
xpyc must report the same class, message and line), and otherwise the
oracle's tokenize module, normalised to the C tokenizer's conventions, gives
the tokens xpyc must produce.
"""
import importlib.util
import os

from harness import Result

DESCRIPTION = "xpyc --dump-tokens vs the oracle (compile() errors, tokenize tokens; see tools/check_tokens.py)"


def _checker(ctx):
    mod = ctx.state.get("checker")
    if mod is None:
        path = os.path.join(ctx.repo, "tools", "check_tokens.py")
        spec = importlib.util.spec_from_file_location("_xpyc_check_tokens", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        ctx.state["checker"] = mod
    return mod


def prepare(ctx, files):
    _checker(ctx)  # load once, before the worker threads start


def check(ctx, path):
    run = ctx.run([ctx.xpyc, "--dump-tokens", path])
    if run.crashed or run.timed_out or run.returncode not in (0, 1):
        return run.failure("xpyc")
    with open(path, "rb") as f:
        data = f.read()
    ok, kind, detail = _checker(ctx).compare(data, path, run.stdout)
    return Result(ok, "" if ok else kind, detail)
