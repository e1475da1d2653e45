#!/usr/bin/env python3
"""Corpus check of the AST optimizer against the oracle (CPython 3.10.13).

    tools/check_ast_opt.py BUILD_DIR [FILE_OR_DIR ...]
    tools/check_ast_opt.py --cases tests/unit/ast_opt_test.cpp

The second form prints the kCases table of the unit test again, each
expectation recomputed with the oracle (paste it over the old one).

Needs BUILD_DIR/codegen/xpyc_ast_opt_dump (ninja -C BUILD_DIR
codegen/xpyc_ast_opt_dump). Without paths it checks the main corpus: every
.py under the oracle's lib/python3.10 except site-packages.

CPython 3.10 offers no way to see its optimized AST, so the check compares
constants. For each file the oracle compiles with optimize=0:
  O = keys of every constant in the code objects, recursively (items of
      tuples and frozensets too; code objects themselves left out);
  A = keys of the constants of the unoptimized tree (ast.parse), plus the
      import levels (the compiler loads them as constants);
  X = keys of the constants reachable in our optimized tree, items included.
A key is type:repr, frozenset items sorted.
  check 1 (no wrong fold): every key of X not in A must be in O;
  check 2 (no missed fold): every int, float, complex, bytes and bool key of
      O not in A must be in X, and so must every str key that does not look
      like a name made by the compiler (identifiers, qualnames, '<...>').
Folds whose result the compiler then drops (dead code, constant expression
statements, `if __debug__:`) show up under check 1; they are listed
separately as `dropped` when the folded value occurs nowhere in O.
"""
import ast
import os
import re
import subprocess
import sys


def reexec_under_oracle():
    if sys.version_info[:2] == (3, 10):
        return
    py = os.environ.get('PYTHON310') or subprocess.run(
        ['pyenv', 'which', 'python3.10'], env=dict(os.environ, PYENV_VERSION='3.10.13'),
        capture_output=True, text=True, check=True).stdout.strip()
    os.execv(py, [py] + sys.argv)


def key(v):
    if isinstance(v, tuple):
        return 'tuple:(' + ','.join(key(x) for x in v) + ')'
    if isinstance(v, frozenset):
        return 'frozenset:(' + ','.join(sorted(key(x) for x in v)) + ')'
    return type(v).__name__ + ':' + repr(v)


def add_with_items(v, out):
    out.add(key(v))
    if isinstance(v, (tuple, frozenset)):
        for x in v:
            add_with_items(x, out)


def oracle_consts(code, out):
    for c in code.co_consts:
        if hasattr(c, 'co_consts'):
            oracle_consts(c, out)
        else:
            add_with_items(c, out)


def tree_consts(tree, out, skip_statements=False):
    # A constant expression statement emits no code (docstrings aside): the
    # compiler drops it.
    statement_values = set()
    if skip_statements:
        statement_values = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in statement_values:
            add_with_items(node.value, out)
        elif isinstance(node, ast.ImportFrom):
            out.add(key(node.level or 0))
        elif isinstance(node, ast.Import):
            out.add(key(0))


EVAL_NAMES = {name: getattr(ast, name) for name in dir(ast)
              if isinstance(getattr(ast, name), type) and issubclass(getattr(ast, name), ast.AST)}
EVAL_NAMES.pop('Ellipsis', None)
EVAL_NAMES.update(inf=float('inf'), nan=float('nan'), INF=float('inf'), NAN=float('nan'),
                  infj=complex(0, float('inf')), nanj=complex(0, float('nan')))


FLOAT_TEXT = r'-?(?:\d+(?:\.\d*)?(?:e[+-]\d+)?|inf|nan)'
COMPLEX_REPR = re.compile(r'(?<![\w.])\((' + FLOAT_TEXT + r')([+-](?:\d+(?:\.\d*)?(?:e[+-]\d+)?|inf|nan))j\)'
                          r'|(?<![\w.])(' + FLOAT_TEXT + r')j(?![\w.])')


def float_expr(text):
    """A quote-free expression for the float `text` that keeps its sign."""
    value = float(text)
    body = {'inf': 'INF', 'nan': 'NAN'}.get(repr(abs(value)), repr(abs(value)))
    return ('-' if text.startswith('-') else '') + '(' + body + ')'


def spell_complex(m):
    if m.group(3) is not None:
        return f'complex(0.0, {float_expr(m.group(3))})'
    return f'complex({float_expr(m.group(1))}, {float_expr(m.group(2))})'


def respell_complex_outside_strings(dump):
    """COMPLEX_REPR.sub(spell_complex, ...) on the parts of an ast.dump that
    are not inside quoted str/bytes reprs."""
    out, start, i, n = [], 0, 0, len(dump)
    while i < n:
        c = dump[i]
        if c in '\'"':
            out.append(COMPLEX_REPR.sub(spell_complex, dump[start:i]))
            j = i + 1
            while j < n and dump[j] != c:
                j += 2 if dump[j] == '\\' else 1
            out.append(dump[i:j + 1])
            start = i = j + 1
        else:
            i += 1
    out.append(COMPLEX_REPR.sub(spell_complex, dump[start:]))
    return ''.join(out)


def compiler_made_name(s):
    if s == '*':  # from m import *
        return True
    parts = s.replace('<', '').replace('>', '').split('.')
    return all(p.isidentifier() for p in parts)


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


def our_dumps(tool, files):
    out = {}
    for i in range(0, len(files), 50):
        batch = files[i:i + 50]
        text = subprocess.run([tool] + batch, capture_output=True, check=True).stdout
        lines = text.decode('utf-8', 'surrogateescape').split('\n')
        for j in range(0, len(lines) - 1, 2):
            out[lines[j][5:]] = lines[j + 1]
    return out


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def regenerate_cases(test_path):
    import dis
    import warnings
    warnings.simplefilter('ignore')
    with open(test_path, encoding='utf-8') as f:
        text = f.read()
    table = text[text.index('kCases[] = {'):]
    table = table[:table.index('\n};')]
    for m in re.finditer(r'^ *\{"((?:[^"\\]|\\.)*)", ', table, re.M):
        expr = re.sub(r'\\(.)', r'\1', m.group(1))
        code = compile('x = ' + expr, 'f', 'exec')
        ins = list(dis.get_instructions(code))
        if not (ins[0].opname == 'LOAD_CONST' and ins[1].opname == 'STORE_NAME'):
            print(f'      {{{c_string(expr)}, nullptr}},  // not folded')
            continue
        r = repr(ins[0].argval)
        if len(r) > 120:
            r = 'len:' + str(len(ins[0].argval))
        print(f'      {{{c_string(expr)}, {c_string(r)}}},')


def main():
    reexec_under_oracle()
    if sys.argv[1] == '--cases':
        regenerate_cases(sys.argv[2])
        return
    sys.setrecursionlimit(100000)
    build = sys.argv[1]
    tool = os.path.join(build, 'codegen', 'xpyc_ast_opt_dump')
    files = corpus_files(sys.argv[2:])
    dumps = our_dumps(tool, files)
    stats = dict(files=len(files), oracle_rejects=0, our_errors=0, unreadable_dump=0,
                 checked=0, files_ok=0, folded_keys=0)
    wrong, dropped, missed = [], [], []
    for path in files:
        with open(path, 'rb') as f:
            src = f.read()
        try:
            code = compile(src, path, 'exec', dont_inherit=True, optimize=0)
            source_tree = ast.parse(src, path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            stats['oracle_rejects'] += 1
            continue
        dump = dumps.get(path, 'ERROR missing')
        if dump.startswith('ERROR'):
            stats['our_errors'] += 1
            print(f'ERROR {path}: {dump}')
            continue
        try:
            # eval() of a complex repr loses the sign of zero parts.
            dump = respell_complex_outside_strings(dump)
            ours = eval(dump, dict(EVAL_NAMES))
        except Exception:
            stats['unreadable_dump'] += 1
            continue
        stats['checked'] += 1
        O, A, X = set(), set(), set()
        oracle_consts(code, O)
        tree_consts(source_tree, A)
        tree_consts(ours, X, skip_statements=True)
        ok = True
        for k in sorted(X - A):
            stats['folded_keys'] += 1
            if k in O:
                continue
            ok = False
            (dropped if k.startswith('bool:') else wrong).append((path, k))
        for k in sorted(O - A - X):
            kind = k.split(':', 1)[0]
            if kind in ('int', 'float', 'complex', 'bytes', 'bool'):
                missed.append((path, k))
                ok = False
            elif kind == 'str' and not compiler_made_name(ast.literal_eval(k[4:])):
                if 'annotations' not in (src[:4000].decode('latin-1')):
                    missed.append((path, k))
                    ok = False
        stats['files_ok'] += ok
    for path, k in wrong:
        print(f'NOT IN ORACLE {path}: {k[:200]}')
    for path, k in missed:
        print(f'MISSED {path}: {k[:200]}')
    for path, k in dropped:
        print(f'DROPPED BOOL {path}: {k}')
    print(' '.join(f'{k} {v}' for k, v in stats.items()),
          f'not_in_oracle {len(wrong)} dropped_bools {len(dropped)} missed {len(missed)}')


if __name__ == '__main__':
    main()
