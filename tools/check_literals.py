#!/usr/bin/env python3
"""Checks parser/literals.* against the oracle (CPython 3.10.13).

Run with the oracle, giving the helper executable built from
parser/literals_check_main.cpp:
    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/check_literals.py \\
        build-NAME/parser/xpyc_literals_check [FILE_OR_DIR ...]

Without paths it walks the main corpus (the oracle's lib/python3.10, without
site-packages). Every NUMBER token and every run of adjacent STRING tokens is
sent to the helper; its value must equal the oracle's AST node at the same
position: the Constant value (int, float and complex by bit pattern, str as
UTF-8 with surrogates, bytes, kind 'u') or the JoinedStr structure (literal
parts, their kinds and positions, conversions, format specs, and each
expression: the text we hand to the parser must parse to the oracle's
expression at the oracle's position). Invalid-escape DeprecationWarnings
(message and line) must match too.

Then a list of erroneous snippets (SNIPPETS) checks error messages and
positions against the oracle's SyntaxError.
"""
import ast
import io
import os
import re
import struct
import subprocess
import sys
import sysconfig
import tempfile
import tokenize
import warnings

# ---------------------------------------------------------------------------
# Corpus walking


def corpus_files(paths):
    if not paths:
        paths = [sysconfig.get_paths()['stdlib']]
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != 'site-packages')
            for name in sorted(filenames):
                if name.endswith('.py'):
                    yield os.path.join(dirpath, name)


def read_source(path):
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        text = raw.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None
    if text.startswith('\ufeff'):
        text = text[1:]
    return text.replace('\r\n', '\n').replace('\r', '\n')


class Positions:
    """(line, char column) -> byte column."""

    def __init__(self, text):
        self.lines = text.split('\n')

    def byte_col(self, line, col):
        if line - 1 >= len(self.lines):
            return col
        return len(self.lines[line - 1][:col].encode('utf-8', 'surrogatepass'))


def literal_runs(text):
    """Yields ('N', [tok]) and ('S', [toks]) with the token after each run."""
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    skip = (tokenize.NL, tokenize.COMMENT)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == tokenize.NUMBER:
            yield 'N', [tok], tok
            i += 1
            continue
        if tok.type != tokenize.STRING:
            i += 1
            continue
        run = [tok]
        j = i + 1
        while j < len(tokens):
            if tokens[j].type in skip:
                j += 1
                continue
            if tokens[j].type == tokenize.STRING:
                run.append(tokens[j])
                j += 1
                continue
            break
        after = tokens[j] if j < len(tokens) else run[-1]
        yield 'S', run, after
        i = j


def token_span(tok, pos):
    (l1, c1), (l2, c2) = tok.start, tok.end
    return l1, pos.byte_col(l1, c1), l2, pos.byte_col(l2, c2)


def error_token_span(tok, pos):
    l1, c1, l2, c2 = token_span(tok, pos)
    if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
        return l1, c1, l1, c1  # CPython's NEWLINE ends where it starts
    return l1, c1, l2, c2


def write_case(out, kind, run, after, pos):
    err = error_token_span(after, pos)
    out += ('%s %d %d %d %d %d\n' % ((kind, len(run)) + err)).encode()
    for tok in run:
        data = tok.string.encode('utf-8', 'surrogatepass')
        out += ('%d %d %d %d %d\n' % (token_span(tok, pos) + (len(data),))).encode()
        out += data + b'\n'


# ---------------------------------------------------------------------------
# Expected values


def bits(x):
    return '%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def hexstr(s):
    return s.encode('utf-8', 'surrogatepass').hex()


def constant_text(value):
    if isinstance(value, bool) or value is None:
        return '?'
    if isinstance(value, int):
        # Lift the oracle's str(int) limit just for printing; compile() must
        # keep the default, since the limit is part of what we check.
        sys.set_int_max_str_digits(0)
        try:
            return 'I%d' % value
        finally:
            sys.set_int_max_str_digits(4300)
    if isinstance(value, float):
        return 'F' + bits(value)
    if isinstance(value, complex):
        return 'C%s,%s' % (bits(value.real), bits(value.imag))
    if isinstance(value, str):
        return 'S' + hexstr(value)
    if isinstance(value, bytes):
        return 'B' + value.hex()
    return '?'


def parse_result(line):
    """Splits a helper line into (value text, kind_u, [(line, message)])."""
    fields = line.split(' ')
    value, kind_u, warns = fields[0], False, []
    for extra in fields[1:]:
        if extra == 'u':
            kind_u = True
        elif extra.startswith('W'):
            lineno, msg = extra[1:].split(':', 1)
            warns.append((int(lineno), bytes.fromhex(msg).decode('utf-8')))
    return value, kind_u, warns


def parse_joined(text, i=0):
    """Parses J(...) from the helper into a list of parts; returns (parts, i)."""
    assert text.startswith('J(', i), text[i:i + 20]
    i += 2
    parts = []
    while text[i] != ')':
        if text[i] == 'L':
            end = text.index(';', i)
            tok, kind_u, data = text[i + 1:end].split(',')
            parts.append(('L', int(tok), kind_u == '1', bytes.fromhex(data).decode(
                'utf-8', 'surrogatepass')))
            i = end + 1
        else:
            assert text[i] == 'V'
            fields = []
            j = i + 1
            for _ in range(5):
                k = text.index(',', j)
                fields.append(text[j:k])
                j = k + 1
            if text[j] == '-':
                spec, j = None, j + 1
            else:
                spec, j = parse_joined(text, j)
            assert text[j] == ';'
            conv, sl, sc, tok, expr = fields
            parts.append(('V', int(conv), int(sl), int(sc), int(tok),
                          bytes.fromhex(expr).decode('utf-8'), spec))
            i = j + 1
    return parts, i + 1


def node_pos(node):
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def expression_problem(part, want, spans):
    """Compares one of our formatted parts with the oracle's FormattedValue."""
    _, conv, start_line, start_col, tok, text, spec = part
    if conv != want.conversion:
        return 'conversion %r != %r' % (conv, want.conversion)
    try:
        got = ast.parse(text, mode='eval').body
    except SyntaxError as e:
        return 'expression text %r does not parse: %s' % (text, e)
    if ast.dump(got) != ast.dump(want.value):
        return 'expression %r != %s' % (text, ast.dump(want.value))
    l1, c1, l2, c2 = node_pos(got)
    # A token's columns are shifted when the token ENDS on the text's line 1.
    first_token_end_line = l1
    text_pos = Positions(text)
    for t in tokenize.generate_tokens(io.StringIO(text).readline):
        if (t.start[0], text_pos.byte_col(*t.start)) == (l1, c1):
            first_token_end_line = t.end[0]
            break
    placed = (start_line + l1 - 1, c1 + (start_col if first_token_end_line == 1 else 0),
              start_line + l2 - 1, c2 + (start_col if l2 == 1 else 0))
    if placed != node_pos(want.value):
        return 'expression %r placed at %r, oracle %r' % (text, placed, node_pos(want.value))
    if (spec is None) != (want.format_spec is None):
        return 'format spec presence differs'
    if spec is not None:
        return joined_problem(spec, want.format_spec, spans)
    return None


def joined_problem(parts, want, spans):
    """spans: (run span, [token spans])."""
    run_span, token_spans = spans
    if len(parts) != len(want.values):
        return '%d parts != %d' % (len(parts), len(want.values))
    for part, w in zip(parts, want.values):
        if part[0] == 'L':
            if not isinstance(w, ast.Constant) or w.value != part[3]:
                return 'literal %r != %s' % (part[3], ast.dump(w))
            if (w.kind == 'u') != part[2]:
                return 'literal kind differs for %r' % part[3]
            where = run_span if part[1] < 0 else token_spans[part[1]]
            if node_pos(w) != where:
                return 'literal %r placed at %r, oracle %r' % (part[3], where, node_pos(w))
        else:
            if not isinstance(w, ast.FormattedValue):
                return 'formatted part where oracle has %s' % ast.dump(w)
            problem = expression_problem(part, w, spans)
            if problem:
                return problem
    return None


def oracle_nodes(text):
    """(line, byte col) -> outermost Constant/JoinedStr node there."""
    nodes = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Constant, ast.JoinedStr)):
            nodes.setdefault((node.lineno, node.col_offset), node)
    return nodes


def oracle_warnings(text, path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        compile(text, path, 'exec', ast.PyCF_ONLY_AST)
    return sorted((w.lineno, str(w.message)) for w in caught
                  if issubclass(w.category, DeprecationWarning))


# ---------------------------------------------------------------------------
# Driving the helper


def run_helper(helper, cases):
    with tempfile.NamedTemporaryFile(suffix='.cases', delete=False) as f:
        f.write(cases)
        name = f.name
    try:
        out = subprocess.run([helper, name], check=True, stdout=subprocess.PIPE).stdout
    finally:
        os.unlink(name)
    return out.decode('utf-8').split('\n')[:-1]


def check_corpus(helper, paths):
    cases = bytearray()
    expected = []  # (path, kind, node, spans)
    file_warnings = {}
    files = 0
    for path in corpus_files(paths):
        text = read_source(path)
        if text is None:
            continue
        try:
            nodes = oracle_nodes(text)
            runs = list(literal_runs(text))
            file_warnings[path] = oracle_warnings(text, path)
        except (SyntaxError, tokenize.TokenError, IndentationError, ValueError):
            continue
        files += 1
        pos = Positions(text)
        for kind, run, after in runs:
            l1, c1, _, _ = token_span(run[0], pos)
            node = nodes.get((l1, c1))
            first, last = token_span(run[0], pos), token_span(run[-1], pos)
            spans = ((first[0], first[1], last[2], last[3]),
                     [token_span(t, pos) for t in run])
            write_case(cases, kind, run, after, pos)
            expected.append((path, kind, node, spans, run))
    results = run_helper(helper, bytes(cases))
    assert len(results) == len(expected), (len(results), len(expected))

    counts = {'N': [0, 0], 'S': [0, 0], 'J': [0, 0]}
    our_warnings = {}
    failures = []
    for (path, kind, node, spans, run), line in zip(expected, results):
        value, kind_u, warns = parse_result(line)
        our_warnings.setdefault(path, []).extend(warns)
        bucket = 'J' if isinstance(node, ast.JoinedStr) else kind
        counts[bucket][1] += 1
        if node is None:
            problem = 'no oracle node at this position'
        elif isinstance(node, ast.JoinedStr):
            if not value.startswith('J('):
                problem = 'got %s, oracle JoinedStr' % value[:80]
            else:
                problem = joined_problem(parse_joined(value)[0], node, spans)
        else:
            want = constant_text(node.value)
            problem = None
            if value != want:
                problem = 'got %s, oracle %s' % (value[:80], want[:80])
            elif kind == 'S' and kind_u != (node.kind == 'u'):
                problem = 'kind u differs'
        if problem:
            failures.append('%s:%d: %s: %s' % (path, run[0].start[0],
                                              ' '.join(t.string for t in run)[:60], problem))
        else:
            counts[bucket][0] += 1
    warn_ok = warn_total = 0
    for path, want in file_warnings.items():
        got = sorted(our_warnings.get(path, []))
        warn_total += 1
        if got == want:
            warn_ok += 1
        else:
            failures.append('%s: warnings %r != oracle %r' % (path, got[:3], want[:3]))
    for f in failures[:40]:
        print('FAIL', f)
    print('files: %d' % files)
    print('numbers: %d/%d' % tuple(counts['N']))
    print('string constants: %d/%d' % tuple(counts['S']))
    print('f-strings (JoinedStr): %d/%d' % tuple(counts['J']))
    print('files with identical invalid-escape warnings: %d/%d' % (warn_ok, warn_total))
    return not failures


# ---------------------------------------------------------------------------
# Errors

SNIPPETS = [
    r'x = "\x1"', r'x = "\x1" + 1', r'x = "\xZZ"', r'x = "\u12"', r'x = "\U0011FFFF"',
    r'x = "\U1234567"', r'x = "\N"', r'x = "\N{"', r'x = "\N{}"', r'x = "\Nx"',
    r'x = "\N{NOT A NAME}"', r'x = "é\N{DASH}"', r'x = "é\x"', r'x = "\é\x"',
    r'x = b"\x1"', r'x = b"ab\xg0"', 'x = b"é"', 'x = rb"é"', r'x = ("a"' '\n' r' b"x")',
    'x = b"a" "b"', 'x = "a" b"b"', 'x = f"{}"', 'x = f"{ }"', 'x = f"{x"', 'x = f"}"',
    'x = f"{x!z}"', 'x = f"{x!}"', 'x = f"{x!"', 'x = f"{(}"', 'x = f"{a:{b:{c}}}"',
    r'x = f"{\n}"', 'x = f"{#}"', 'x = f"{x)}"', 'x = f"{x:"', 'x = f"{x=!z}"',
    'x = f"{[}"', 'x = f"{x!r=}"', 'x = f"{x:{y!z}}"', 'x = f"{\'a}"', 'x = f"a}b"',
    'x = f"{{}"', 'x = f"{x}}"', r'x = f"\N{BAD NAME}{x}"', r'x = f"{x}\N{BAD}"',
    'x = f"{x:{}}"', 'x = f"{!r}"', 'x = f"{=}"', 'x = f"{x} {y" + 1',
    'x = 1' + '1' * 4300, 'x = 1' + '_1' * 4300, 'x = 0x' + 'f' * 5000 + ' + 1' + '1' * 4300,
    r'x = f"\N"', r'x = f"\N{x"', r'x = rf"\N{x}"', 'x = f"{x<"', 'x = f"{!"', 'x = f"{="',
    'x = f"{x!="', 'x = f"{\'}\'}"', 'x = f\'{"a" "b"}\'', 'x = f"{x:{\'a\'}}"',
    "x = f'''{\"\"\"a\"\"\"}'''", 'x = f"{x = !r:>10}"', 'x = f"{x=:}"', 'x = f"{ x = }"',
    r'x = f"\N{LATIN SMALL LETTER A}{x}"', r'x = f"{x:\N{EM DASH}}"', 'x = f"{x:{{}}}"',
    r'x = b"\777\x4g"', r'x = b"\777"', 'x = b"\\\n"', r'x = u"\N{EM DASH}"', r'x = U"a"',
    r'x = "\ud800" "\udc00"', r'x = "\U0001F600\N{LINE FEED}\N{latin small letter a}"',
    r'x = "\N{HANGUL SYLLABLE GAGG}\N{CJK UNIFIED IDEOGRAPH-2A6DD}"',
    r'x = "\N{CJK UNIFIED IDEOGRAPH-2A6DE}"', r'x = "\N{HANGUL SYLLABLE GAX}"',
    r'x = "\N{LATIN CAPITAL LETTER A WITH MACRON AND GRAVE}"', r'x = "\d\{\8"',
    r'x = f"\d{x}\d{y:\d}"', r'x = f"\{x}"', r'x = b"\d" b"\q"', r'x = "\é\x41"',
    'x = 1_000.000_1e1_0', 'x = 0o17 + 0B101 + 0xdead_BEEF', 'x = 1e400', 'x = 1e-400',
    'x = 4.9e-324', 'x = 2.4703282292062328e-324', 'x = 2.4703282292062327e-324',
    'x = 1.7976931348623158e308', 'x = 1.7976931348623159e308', 'x = 0j', 'x = 1E5J',
    'x = 00', 'x = 0_0', 'x = .5', 'x = 5.', 'x = 1' + '0' * 4299, 'x = 1' + '0' * 4300 + 'j',
    'x = 0b' + '1' * 20000, 'x = 9' * 1 + '9' * 30, 'x = 0' * 1 + '0' * 5000,
    'x = 1' + '0' * 4300 + '.5', 'x = 123456789012345678901234567890e-10',
    'x = (f"""a{b}\n  c{d}\n{e:{f}} {g!r:{h}x{i}}""")', 'x = (f"""\n{\n b}  {c}""")',
    'x = f"\u00e9{a}\u00fc{b}" f"{c}"', 'x = (u"" f"{a:b{c}d}"\n     f"{e:x}")',
    'x = f"{a}" "\\d" f"{b:\\d{c}}"', 'x = (f"{a}"\n f\'\'\'\n {b}\'\'\')',
]


def oracle_error(src):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            compile(src, '<s>', 'exec')
    except SyntaxError as e:
        return e
    return None


def error_problem(src, err, first_error):
    """None if our first error equals the oracle's SyntaxError, else why not."""
    if first_error is None:
        return '%r: oracle says %r, we accept' % (src[:60], err.msg)
    cls, l1, c1, l2, c2, msg = first_error[1:].split('|')
    msg = bytes.fromhex(msg).decode('utf-8')
    lines = src.split('\n')

    def to_offset(line, col):
        text = lines[line - 1] if 1 <= line <= len(lines) else ''
        col = int(col)
        return 0 if col < 0 else len(text.encode()[:col].decode('utf-8', 'replace')) + 1

    got = (cls, msg, int(l1), to_offset(int(l1), c1), int(l2), to_offset(int(l2), c2))
    want = (type(err).__name__, err.msg, err.lineno, err.offset, err.end_lineno, err.end_offset)
    if got == want:
        return None
    return '%r:\n    ours   %r\n    oracle %r' % (src[:60], got, want)


# Messages this module produces; other f-string errors come from parsing the
# expressions, which is the parser's job (the helper passes no compiler).
OUR_MESSAGES = re.compile(
    r"\((unicode|value) error\) |bytes can only contain|cannot mix bytes|"
    r"f-string: (empty expression|expecting|single|unmatched|invalid conversion|"
    r"expressions nested|closing parenthesis|unterminated string|too many nested|"
    r"unexpected end)|f-string expression part|Exceeds the limit")

SNIPPET_SOURCES = ['test/test_fstring.py', 'test/test_string_literals.py',
                   'test/test_unicode.py', 'test/test_ucn.py', 'test/test_grammar.py',
                   'test/test_bytes.py', 'test/test_exceptions.py', 'test/test_syntax.py',
                   'test/test_tokenize.py', 'test/test_ast.py', 'test/test_compile.py',
                   'test/test_int.py', 'test/test_float.py', 'test/test_complex.py',
                   'test/test_codecs.py', 'test/test_unparse.py', 'test/test_eof.py']


def snippet_candidates():
    """String constants of some test files that are themselves literal runs."""
    lib = sysconfig.get_paths()['stdlib']
    seen = set()
    for rel in SNIPPET_SOURCES:
        text = read_source(os.path.join(lib, rel))
        if text is None:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
                value = node.value
                if isinstance(value, bytes):
                    try:
                        value = value.decode('utf-8')
                    except UnicodeDecodeError:
                        continue
                if value in seen or '\x00' in value or len(value) > 2000:
                    continue
                seen.add(value)
                src = 'x = (' + value.replace('\r', '') + ')'
                try:
                    toks = list(tokenize.generate_tokens(io.StringIO(src + '\n').readline))
                except (tokenize.TokenError, IndentationError, SyntaxError):
                    continue
                kinds = [t.type for t in toks if t.type not in (tokenize.NL, tokenize.COMMENT)]
                body = kinds[3:-3]
                if (kinds[:3] == [tokenize.NAME, tokenize.OP, tokenize.OP] and body
                        and all(k in (tokenize.STRING, tokenize.NUMBER) for k in body)
                        and (len(body) == 1 or all(k == tokenize.STRING for k in body))):
                    yield src


def run_problem(src, kind, run, our_line):
    """Compares our value for one run of `src` with the oracle's node."""
    pos = Positions(src)
    l1, c1, _, _ = token_span(run[0], pos)
    node = oracle_nodes(src).get((l1, c1))
    first, last = token_span(run[0], pos), token_span(run[-1], pos)
    spans = ((first[0], first[1], last[2], last[3]), [token_span(t, pos) for t in run])
    value, kind_u, _ = parse_result(our_line)
    if node is None:
        return 'no oracle node'
    if isinstance(node, ast.JoinedStr):
        if not value.startswith('J('):
            return 'got %s, oracle JoinedStr' % value[:60]
        return joined_problem(parse_joined(value)[0], node, spans)
    want = constant_text(node.value)
    if value != want:
        return 'got %s, oracle %s' % (value[:60], want[:60])
    if kind == 'S' and kind_u != (node.kind == 'u'):
        return 'kind u differs'
    return None


def check_sources(helper, sources, label):
    """Each source is a short module: values and errors of its literal runs."""
    cases = bytearray()
    plan = []
    for src in sources:
        pos = Positions(src)
        runs = list(literal_runs(src + '\n'))
        for kind, run, after in runs:
            write_case(cases, kind, run, after, pos)
        plan.append((src, runs))
    results = run_helper(helper, bytes(cases))
    i = 0
    stats = {'ok': 0, 'total': 0, 'errors_ok': 0, 'errors': 0, 'parser_side': 0}
    failures = []
    for src, runs in plan:
        ours = results[i:i + len(runs)]
        i += len(runs)
        err = oracle_error(src)
        # CPython stops at the first error: compare it with our first.
        first_error = next((r for r in ours if r.startswith('E')), None)
        if err is not None and not OUR_MESSAGES.match(err.msg):
            stats['parser_side'] += 1  # an expression's own syntax error
            continue
        if err is not None:
            stats['errors'] += 1
            problem = error_problem(src, err, first_error)
            if problem is None:
                stats['errors_ok'] += 1
            else:
                failures.append(problem)
            continue
        stats['total'] += 1
        if first_error is not None:
            failures.append('%r: oracle accepts, we say %s' % (src[:60], first_error[:100]))
            continue
        problems = [run_problem(src, kind, run, line)
                    for (kind, run, _), line in zip(runs, ours)]
        problems = [p for p in problems if p]
        if problems:
            failures.append('%r: %s' % (src[:60], problems[0]))
        else:
            stats['ok'] += 1
    for f in failures[:40]:
        print('FAIL', f)
    print('%s: values %d/%d, errors %d/%d (%d left to the expression parser)'
          % (label, stats['ok'], stats['total'], stats['errors_ok'], stats['errors'],
             stats['parser_side']))
    return not failures


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    helper, paths = sys.argv[1], sys.argv[2:]
    good = check_corpus(helper, paths)
    good = check_sources(helper, SNIPPETS, 'hand-written snippets') and good
    good = check_sources(helper, list(snippet_candidates()), 'test-suite snippets') and good
    sys.exit(0 if good else 1)


if __name__ == '__main__':
    main()
