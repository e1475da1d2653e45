#!/usr/bin/env python3
"""Corpus check of the annotation unparser against the oracle (CPython 3.10.13).

    tools/check_unparse.py BUILD_DIR [--stress N] [--seed S] [FILE_OR_DIR ...]

Needs BUILD_DIR/codegen/xpyc_unparse_check (ninja -C BUILD_DIR
codegen/xpyc_unparse_check). Without paths it checks the main corpus: every
.py under the oracle's lib/python3.10 except site-packages. `--stress N`
adds a generated file of N random annotations covering every expression
kind (see stress_source), kept in a temporary folder.

Under `from __future__ import annotations` CPython stores each annotation as
the string its C unparser makes. For the oracle side every annotation of a
file (parameters, returns, annotated assignments; by position) is moved into
a module of its own:

    from __future__ import annotations
    _0: <annotation 0>
    _1: <annotation 1>
    ...

built as an AST, compiled, run, and its __annotations__ read back. Both sides
print one line per annotation, "<line>:<col> <repr of the string>" (or
"ERROR ValueError" where the unparse raises), and the check counts the
annotations whose lines agree. It ends with `unparse: N/M match`.
"""
import ast
import os
import random
import subprocess
import sys
import tempfile


def reexec_under_oracle():
    if sys.version_info[:2] == (3, 10):
        return
    py = os.environ.get('PYTHON310') or subprocess.run(
        ['pyenv', 'which', 'python3.10'], env=dict(os.environ, PYENV_VERSION='3.10.13'),
        capture_output=True, text=True, check=True).stdout.strip()
    os.execv(py, [py] + sys.argv)


# ---------------------------------------------------------------- oracle side

def annotations_of(tree):
    """The annotation nodes of a module, ordered by position."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return found


def unparse_many(annotations):
    """The strings CPython stores for `annotations` under the future import,
    or 'ERROR <exception class>' for one whose compile fails."""
    if not annotations:
        return []
    body = [ast.ImportFrom('__future__', [ast.alias('annotations')], 0)]
    for i, node in enumerate(annotations):
        body.append(ast.AnnAssign(ast.Name(f'_{i}', ast.Store()), node, None, 1))
    module = ast.fix_missing_locations(ast.Module(body, []))
    try:
        namespace = {}
        exec(compile(module, '<unparse>', 'exec', dont_inherit=True), namespace)
    except Exception:
        if len(annotations) == 1:
            return ['ERROR ' + type(sys.exc_info()[1]).__name__]
        return [text for node in annotations for text in unparse_many([node])]
    table = namespace['__annotations__']
    return [table[f'_{i}'] for i in range(len(annotations))]


def oracle_report(source, path):
    """The lines xpyc_unparse_check must print for a file (after its FILE
    line), or None when the oracle does not parse the file."""
    try:
        tree = ast.parse(source, path)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    annotations = annotations_of(tree)
    lines = []
    for node, text in zip(annotations, unparse_many(annotations)):
        shown = text if text.startswith('ERROR ') else repr(text)
        lines.append(f'{node.lineno}:{node.col_offset} {shown}')
    return lines


# ---------------------------------------------------------- stress generator

NAMES = ['a', 'b', 'c', 'x', 'List', 'Dict', 'T', 'Optional', 'é', 'ñame']
CONSTANTS = [
    0, 1, 42, 10**30, 2**64, -1, True, False, None, ...,
    0.0, 0.5, 1.5, 1e16, 1e-7, 1e22, 123456789.125, float('inf'), 2.5e-300,
    0j, 2j, 1.5j, 1e16j, complex(0, float('inf')),
    '', 'abc', "it's", 'say "hi"', '\'"', 'tab\there', 'new\nline', 'back\\slash',
    '{braces}', 'uni\u00e9', '\u20ac', '\U0001f600', '\x00\x7f', '\u200b', 'a{{b}}c',
    b'', b'abc', b"it's", b'\'"', b'\x00\xff', b'{b}',
]
BINOPS = [ast.Add, ast.Sub, ast.Mult, ast.MatMult, ast.Div, ast.Mod, ast.Pow,
          ast.LShift, ast.RShift, ast.BitOr, ast.BitXor, ast.BitAnd, ast.FloorDiv]
UNARYOPS = [ast.Invert, ast.Not, ast.UAdd, ast.USub]
CMPOPS = [ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot,
          ast.In, ast.NotIn]
FORMAT_SPECS = ['', '>10', '{w}', '0{w}.{p}f', 'x', '{{}}', ':']


class ExprGenerator:
    """Random expression trees of every kind, depth-bounded. Yield, await and
    named expressions (refused at the top of an annotation) appear inside
    lambda bodies only."""

    def __init__(self, rng):
        self.rng = rng

    def name(self, ctx=None):
        return ast.Name(self.rng.choice(NAMES), ctx or ast.Load())

    def const(self):
        value = self.rng.choice(CONSTANTS)
        if isinstance(value, str) and self.rng.random() < 0.2:
            return ast.Constant(value, 'u')
        return ast.Constant(value)

    def expr(self, depth, in_lambda=False):
        r = self.rng
        if depth <= 0:
            return self.name() if r.random() < 0.5 else self.const()
        d = depth - 1
        kinds = ['BoolOp', 'BinOp', 'UnaryOp', 'Lambda', 'IfExp', 'Dict', 'Set',
                 'ListComp', 'SetComp', 'DictComp', 'GeneratorExp', 'Compare', 'Call',
                 'JoinedStr', 'Constant', 'Attribute', 'Subscript', 'Name', 'List',
                 'Tuple', 'Starred']
        if in_lambda:
            kinds += ['NamedExpr', 'Await', 'Yield', 'YieldFrom']
        kind = r.choice(kinds)
        e = lambda: self.expr(d, in_lambda)  # noqa: E731
        if kind == 'BoolOp':
            return ast.BoolOp(r.choice([ast.And, ast.Or])(), [e() for _ in range(r.randint(2, 3))])
        if kind == 'BinOp':
            return ast.BinOp(e(), r.choice(BINOPS)(), e())
        if kind == 'UnaryOp':
            return ast.UnaryOp(r.choice(UNARYOPS)(), e())
        if kind == 'Lambda':
            return ast.Lambda(self.arguments(d), self.expr(d, True))
        if kind == 'IfExp':
            return ast.IfExp(e(), e(), e())
        if kind == 'Dict':
            n = r.randint(0, 3)
            keys = [None if r.random() < 0.25 else e() for _ in range(n)]
            return ast.Dict(keys, [e() for _ in range(n)])
        if kind == 'Set':
            return ast.Set([self.maybe_starred(d, in_lambda) for _ in range(r.randint(1, 3))])
        if kind in ('ListComp', 'SetComp', 'GeneratorExp'):
            return getattr(ast, kind)(e(), self.generators(d))
        if kind == 'DictComp':
            return ast.DictComp(e(), e(), self.generators(d))
        if kind == 'Compare':
            n = r.randint(1, 3)
            return ast.Compare(e(), [r.choice(CMPOPS)() for _ in range(n)], [e() for _ in range(n)])
        if kind == 'Call':
            args = [self.maybe_starred(d, in_lambda) for _ in range(r.randint(0, 3))]
            if r.random() < 0.2:
                args = [ast.GeneratorExp(e(), self.generators(d))]
            keywords = [ast.keyword(r.choice([None, 'k', 'key']), e())
                        for _ in range(r.randint(0, 2))]
            return ast.Call(e(), args, keywords)
        if kind == 'JoinedStr':
            return self.joinedstr(d, in_lambda)
        if kind == 'Constant':
            return self.const()
        if kind == 'Attribute':
            return ast.Attribute(e(), r.choice(['real', 'attr', 'y']), ast.Load())
        if kind == 'Subscript':
            return ast.Subscript(e(), self.slice(d, in_lambda), ast.Load())
        if kind == 'Name':
            return self.name()
        if kind == 'List':
            return ast.List([self.maybe_starred(d, in_lambda) for _ in range(r.randint(0, 3))],
                            ast.Load())
        if kind == 'Tuple':
            return ast.Tuple([self.maybe_starred(d, in_lambda) for _ in range(r.randint(0, 3))],
                             ast.Load())
        if kind == 'Starred':
            return ast.Tuple([ast.Starred(e(), ast.Load())], ast.Load())
        if kind == 'NamedExpr':
            return ast.NamedExpr(ast.Name(r.choice(NAMES), ast.Store()), e())
        if kind == 'Await':
            return ast.Await(e())
        if kind == 'Yield':
            return ast.Yield(e() if r.random() < 0.7 else None)
        return ast.YieldFrom(e())

    def maybe_starred(self, depth, in_lambda):
        if self.rng.random() < 0.15:
            return ast.Starred(self.expr(depth, in_lambda), ast.Load())
        return self.expr(depth, in_lambda)

    def slice(self, depth, in_lambda):
        r = self.rng
        one = lambda: self.expr(depth, in_lambda) if r.random() < 0.6 else None  # noqa: E731
        choice = r.random()
        if choice < 0.3:
            return ast.Slice(one(), one(), one())
        if choice < 0.5:
            items = [ast.Slice(one(), one(), one()) if r.random() < 0.5
                     else self.expr(depth, in_lambda) for _ in range(r.randint(1, 3))]
            return ast.Tuple(items, ast.Load())
        return self.expr(depth, in_lambda)

    def generators(self, depth):
        r = self.rng
        out = []
        for _ in range(r.randint(1, 2)):
            target = self.name(ast.Store())
            if r.random() < 0.3:
                target = ast.Tuple([self.name(ast.Store()), self.name(ast.Store())], ast.Store())
            ifs = [self.expr(depth) for _ in range(r.randint(0, 2))]
            out.append(ast.comprehension(target, self.expr(depth), ifs, int(r.random() < 0.2)))
        return out

    def arguments(self, depth):
        r = self.rng
        names = iter(f'p{i}' for i in range(20))
        arg = lambda: ast.arg(next(names))  # noqa: E731
        posonly = [arg() for _ in range(r.choice([0, 0, 1, 2]))]
        args = [arg() for _ in range(r.choice([0, 1, 2]))]
        defaults = [self.expr(depth) for _ in range(r.randint(0, len(posonly) + len(args)))]
        vararg = arg() if r.random() < 0.3 else None
        kwonly = [arg() for _ in range(r.choice([0, 0, 1, 2]))]
        kw_defaults = [self.expr(depth) if r.random() < 0.5 else None for _ in kwonly]
        kwarg = arg() if r.random() < 0.3 else None
        return ast.arguments(posonly, args, vararg, kwonly, kw_defaults, kwarg, defaults)

    def joinedstr(self, depth, in_lambda):
        r = self.rng
        values = []
        for _ in range(r.randint(0, 3)):
            if r.random() < 0.4:
                values.append(ast.Constant(r.choice(['text', 'a{b}', "'", '"', 'x\ny', ' ', 'é'])))
            else:
                spec = None
                if r.random() < 0.4:
                    text = r.choice(FORMAT_SPECS)
                    try:
                        spec = ast.parse(f'f"{{x:{text}}}"', mode='eval').body.values[0].format_spec
                    except SyntaxError:
                        spec = None
                values.append(ast.FormattedValue(self.expr(depth, in_lambda),
                                                 r.choice([-1, -1, 115, 114, 97]), spec))
        return ast.JoinedStr(values)


STATEMENT_FORMS = [
    'x: {0}',
    'x: {0} = 1',
    'def f(a: {0}, /, b: {1} = 1, *c: {2}, d: {3}, **e: {4}) -> {5}: pass',
    'async def g(a: {0}) -> {1}: pass',
    'class C:\n    y: {0}\n    def m(self, z: {1}): pass',
    'def h():\n    local: {0}',
    'obj.attr: {0}',
    'obj[0]: {0}',
]


def annotation_sources(rng, count):
    """`count` sources of random expressions valid as annotations under the
    future import, each checked with the oracle."""
    generator = ExprGenerator(rng)
    out = []
    while len(out) < count:
        tree = generator.expr(rng.randint(1, 5))
        try:
            text = ast.unparse(tree)
            compile('from __future__ import annotations\nx: (' + text + ')\n', 's', 'exec',
                    dont_inherit=True)
        except Exception:
            continue
        if '\n' in text or len(text) > 400:
            continue
        out.append('(' + text + ')')
    return out


def stress_source(seed, count):
    """A module of about `count` random annotations in the statement forms
    above, plus one fixed annotation per expression kind."""
    rng = random.Random(seed)
    fixed = [
        'a and b or not c', 'lambda: (y := 1) if 0 else (z := 2)', 'a + b * c ** -d',
        '-a', 'lambda a, /, b=1, *c, d, e=2, **f: 0', 'a if b else c', '{**a, b: c}',
        '{a, *b}', '[x for x in y if z]', '{x for x in y}', '{k: v for k, v in y}',
        '(x for x in y)', 'lambda: await x', 'lambda: (yield)', 'lambda: (yield x)',
        'lambda: (yield from x)', 'a < b is not c not in d', 'f(a, *b, c=d, **e)',
        'f"{x!r:>{w}} {{y}}"', "'str'", 'x.y', 'x[a:b, c]', '[*a]', 'x', '[a, b]',
        '(a, b)', 'x[::]', '...', '1 .real', '1e999', '1e999j', 'b"\'\\""',
    ]
    exprs = fixed + annotation_sources(rng, count)
    lines = ['# Generated by tools/check_unparse.py (stress_source); do not edit.']
    i = 0
    while i < len(exprs):
        form = rng.choice(STATEMENT_FORMS)
        arity = max(int(c) for c in form if c.isdigit()) + 1
        chunk = exprs[i:i + arity]
        chunk += chunk[-1:] * (arity - len(chunk))
        lines.append(form.format(*chunk))
        i += arity
    return '\n'.join(lines) + '\n'


# ------------------------------------------------------------------ the check

def corpus_files(paths):
    if not paths:
        lib = os.path.join(os.path.dirname(os.path.dirname(sys.executable)), 'lib', 'python3.10')
        paths = [lib]
    files = []
    for p in paths:
        if os.path.isfile(p):
            files.append(p)
            continue
        for root, dirs, names in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d != 'site-packages')
            files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith('.py'))
    return files


def our_reports(tool, files):
    """path -> the lines our tool prints after FILE <path>."""
    out = {}
    for i in range(0, len(files), 100):
        batch = files[i:i + 100]
        text = subprocess.run([tool] + batch, capture_output=True, check=True).stdout
        current = None
        for line in text.decode('utf-8', 'surrogateescape').split('\n'):
            if line.startswith('FILE '):
                current = out.setdefault(line[5:], [])
            elif line and current is not None:
                current.append(line)
    return out


def main():
    sys.setrecursionlimit(100000)
    args = sys.argv[1:]
    if not args or args[0].startswith('-'):
        sys.exit(__doc__)
    build = args.pop(0)
    stress, seed, paths = 0, 1, []
    while args:
        a = args.pop(0)
        if a == '--stress':
            stress = int(args.pop(0))
        elif a == '--seed':
            seed = int(args.pop(0))
        else:
            paths.append(a)
    tool = os.path.join(build, 'codegen', 'xpyc_unparse_check')
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus_files(paths)
        if stress:
            stress_path = os.path.join(tmp, 'stress.py')
            with open(stress_path, 'w', encoding='utf-8') as f:
                f.write(stress_source(seed, stress))
            files.append(stress_path)
        ours = our_reports(tool, files)
        matched = total = files_ok = files_checked = 0
        shown = 0
        for path in files:
            with open(path, 'rb') as f:
                source = f.read()
            expected = oracle_report(source, path)
            if expected is None:
                continue
            files_checked += 1
            got = ours.get(path, ['ERROR missing'])
            got_by_pos = {}
            for line in got:
                pos, _, rest = line.partition(' ')
                got_by_pos[pos] = line
            ok = len(got) == len(expected)
            for line in expected:
                total += 1
                pos = line.partition(' ')[0]
                if got_by_pos.get(pos) == line:
                    matched += 1
                    continue
                ok = False
                if shown < 40:
                    shown += 1
                    print(f'DIFF {path}\n  oracle: {line[:300]}\n  xpyc:   '
                          f'{got_by_pos.get(pos, "(none) " + " | ".join(got[:1]))[:300]}')
            files_ok += ok
        print(f'files: {files_ok}/{files_checked} agree')
        print(f'unparse: {matched}/{total} match')
    return 0 if matched == total else 1


if __name__ == '__main__':
    # Deep annotations recurse in ast.walk and compile.
    import threading
    reexec_under_oracle()
    threading.stack_size(512 * 1024 * 1024)
    status = []
    worker = threading.Thread(target=lambda: status.append(main()))
    worker.start()
    worker.join()
    sys.exit(status[0] if status else 1)
