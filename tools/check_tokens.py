#!/usr/bin/env python3
"""Compares `xpyc --dump-tokens` with the oracle on a set of files.

Usage (with the oracle interpreter):
  $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/check_tokens.py XPYC [FILE_OR_DIR ...]
Without paths it checks the main corpus (the oracle's lib/python3.10, minus
site-packages). Prints one line per mismatch and "tokens: N/N agree".

What "agree" means for one file:
  * the oracle's compile(bytes) succeeds: xpyc must tokenize without error
    and its tokens must equal the oracle's `tokenize` module's tokens after
    normalising the known differences: COMMENT, NL and ENCODING are dropped;
    OP becomes the operator itself and keyword NAMEs the keyword; columns
    are converted from characters to UTF-8 bytes; NEWLINE is compared by
    where its newline is (xpyc starts it at a trailing comment, as CPython's
    C tokenizer does); INDENT by the end of the indentation; DEDENT and
    ENDMARKER positions at end of file are not compared (tokenize puts them
    on a line past the end, the C tokenizer on the last line).
  * the oracle fails with one of the tokenizer's own messages: xpyc must
    fail with the same class, message and line.
  * the oracle fails with a parser error: xpyc must tokenize without error
    (the tokenizer alone cannot see parser errors).
"""
import io
import keyword
import os
import subprocess
import sys
import sysconfig
import tokenize
import warnings

TOKENIZER_MESSAGES = (
    'unterminated string literal', 'unterminated triple-quoted string literal',
    'invalid character', 'invalid non-printable character', 'invalid decimal literal',
    'invalid hexadecimal literal', 'invalid octal literal', 'invalid binary literal',
    'invalid digit', 'invalid imaginary literal', 'leading zeros in decimal integer',
    'unexpected character after line continuation', 'unindent does not match',
    'inconsistent use of tabs', 'too many levels of indentation', 'too many nested parentheses',
    'unmatched ', 'closing parenthesis', "was never closed", 'unexpected EOF while parsing',
    'unknown encoding', 'encoding problem', "codec can't decode",
    'source code string cannot contain null bytes',
)


def corpus_files():
    lib = sysconfig.get_paths()['stdlib']
    out = []
    for root, dirs, files in os.walk(lib):
        dirs[:] = sorted(d for d in dirs if d != 'site-packages')
        out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith('.py'))
    return out


def unescape(s):
    out = bytearray()
    i = 0
    b = s.encode('utf-8', 'surrogateescape')
    while i < len(b):
        c = b[i]
        if c == 0x5C:
            n = b[i + 1]
            if n == ord('n'):
                out.append(10)
            elif n == ord('t'):
                out.append(9)
            elif n == ord('x'):
                out.append(int(b[i + 2:i + 4], 16))
                i += 2
            else:
                out.append(n)
            i += 2
        else:
            out.append(c)
            i += 1
    return out.decode('utf-8', 'surrogateescape')


def parse_dump(text):
    """xpyc's dump -> (tokens, error); tokens are (kind, text, sl, sc, el, ec)."""
    toks, error = [], None
    for line in text.split('\n'):
        if not line:
            continue
        if line.startswith('ERROR '):
            parts = line.split(' ', 3)
            if parts[1] == 'DeprecationWarning':
                continue
            ln = int(parts[2].split(':')[0])
            error = (parts[1], ln, parts[3])
            continue
        pos, rest = line.split(' ', 1)
        kind, rest = rest.split(' ', 1)
        q = rest.find("'", 1)
        while rest[q - 1] == '\\' and not rest[:q].endswith('\\\\'):
            q = rest.find("'", q + 1)
        # the text ends at the last quote before an optional " nfkc=" suffix
        if " nfkc='" in rest:
            body = rest[:rest.rindex(" nfkc='")]
        else:
            body = rest
        tok_text = unescape(body[1:-1])
        a, b = pos.split('-')
        sl, sc = map(int, a.split(':'))
        el, ec = map(int, b.split(':'))
        toks.append((kind, tok_text, sl, sc, el, ec))
    return toks, error


def merge_split_names(toks):
    """tokenize's regex splits names at XID_Continue characters that \\w does
    not match (such as U+E0100), leaving ERRORTOKENs; the C tokenizer keeps
    one NAME. Glue such adjacent pieces back together."""
    out = []
    for t in toks:
        if (out and t.type in (tokenize.ERRORTOKEN, tokenize.NAME) and out[-1].type == tokenize.NAME
                and out[-1].end == t.start and not t.string.isspace()
                and ('a' + t.string).isidentifier()):
            prev = out.pop()
            t = tokenize.TokenInfo(tokenize.NAME, prev.string + t.string, prev.start, t.end, prev.line)
        out.append(t)
    return out


def oracle_tokens(data):
    """tokenize's view, normalised as described in the module docstring."""
    enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(enc)
    if text.startswith('\ufeff'):
        text = text[1:]
    lines = text.split('\n')

    def bcol(row, col):
        if row - 1 >= len(lines):
            return col
        return len(lines[row - 1][:col].encode('utf-8'))

    out = []
    toks = merge_split_names(list(tokenize.tokenize(io.BytesIO(data).readline)))
    last_row = len(text.rstrip('\n').split('\n')) if text else 0
    for t in toks:
        typ = t.type
        if typ in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING):
            continue
        (sl, sc), (el, ec) = t.start, t.end
        if typ == tokenize.OP:
            kind = '!=' if t.string == '<>' else t.string
            out.append((kind, t.string, sl, bcol(sl, sc), el, bcol(el, ec)))
        elif typ == tokenize.NAME:
            kind = t.string if keyword.iskeyword(t.string) else 'NAME'
            out.append((kind, t.string, sl, bcol(sl, sc), el, bcol(el, ec)))
        elif typ in (tokenize.NUMBER, tokenize.STRING):
            out.append((tokenize.tok_name[typ], t.string, sl, bcol(sl, sc), el, bcol(el, ec)))
        elif typ == tokenize.NEWLINE:
            out.append(('NEWLINE', None, sl, bcol(sl, sc), None, None))
        elif typ == tokenize.INDENT:
            out.append(('INDENT', None, el, bcol(el, ec), None, None))
        elif typ == tokenize.DEDENT:
            at_eof = sl > last_row
            out.append(('DEDENT', None, None if at_eof else sl, None if at_eof else bcol(sl, sc), None, None))
        elif typ == tokenize.ENDMARKER:
            out.append(('ENDMARKER', None, None, None, None, None))
        else:
            out.append((tokenize.tok_name[typ], t.string, sl, bcol(sl, sc), el, bcol(el, ec)))
    return out


def normalise_xpyc(toks, oracle):
    out = []
    for i, (kind, text, sl, sc, el, ec) in enumerate(toks):
        if kind == 'NEWLINE':
            out.append(('NEWLINE', None, el, ec, None, None))
        elif kind == 'INDENT':
            out.append(('INDENT', None, sl, sc, None, None))
        elif kind == 'DEDENT':
            o = oracle[i] if i < len(oracle) else None
            if o is not None and o[0] == 'DEDENT' and o[2] is None:
                out.append(('DEDENT', None, None, None, None, None))
            else:
                out.append(('DEDENT', None, sl, sc, None, None))
        elif kind == 'ENDMARKER':
            out.append(('ENDMARKER', None, None, None, None, None))
        else:
            out.append((kind, text, sl, sc, el, ec))
    return out


def oracle_compile(data, path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            compile(data, path, 'exec', dont_inherit=True)
        return None
    except (SyntaxError, ValueError) as e:
        msg = e.msg if isinstance(e, SyntaxError) else str(e)
        return (type(e).__name__, getattr(e, 'lineno', 0) or 0, msg)


def check_file(xpyc, path):
    """Returns (ok, kind, detail)."""
    with open(path, 'rb') as f:
        data = f.read()
    proc = subprocess.run([xpyc, '--dump-tokens', path], capture_output=True)
    if proc.returncode not in (0, 1):
        return False, 'xpyc crashed or failed', 'exit %d: %s' % (
            proc.returncode, proc.stderr.decode(errors='replace')[:200])
    return compare(data, path, proc.stdout)


def compare(data, path, dump):
    """Compares xpyc's dump (bytes) of the file `path` holding `data` with the
    oracle; returns (ok, kind, detail)."""
    toks, error = parse_dump(dump.decode('utf-8', 'surrogateescape'))
    expected_error = oracle_compile(data, path)
    # "(unicode error)" comes from the tokenizer for a name and from the
    # parser for a string literal; only the former must show here.
    unicode_error = expected_error is not None and expected_error[2].startswith('(unicode error)')
    if unicode_error and error is None:
        return True, 'parser-error', ''
    if expected_error is not None and (unicode_error or any(m in expected_error[2] for m in TOKENIZER_MESSAGES)):
        if error is None:
            return False, 'missed-error', 'oracle: %r' % (expected_error,)
        if error[0] != expected_error[0] or error[2] != expected_error[2]:
            return False, 'wrong-error', 'oracle %r, xpyc %r' % (expected_error, error)
        return True, 'error-agrees', ''
    if error is not None:
        return False, 'spurious-error', 'xpyc %r, oracle %r' % (error, expected_error)
    if expected_error is not None:
        return True, 'parser-error', ''
    try:
        oracle = oracle_tokens(data)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError) as e:
        return True, 'tokenize-module-failed', str(e)
    mine = normalise_xpyc(toks, oracle)
    if mine == oracle:
        return True, 'tokens-agree', ''
    for i, (a, b) in enumerate(zip(mine, oracle)):
        if a != b:
            return False, 'token-mismatch', 'token %d: xpyc %r, oracle %r' % (i, a, b)
    return False, 'token-count', 'xpyc %d tokens, oracle %d' % (len(mine), len(oracle))


def main(argv):
    xpyc = argv[1]
    paths = argv[2:]
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, fs in os.walk(p):
                dirs.sort()
                files.extend(os.path.join(root, f) for f in sorted(fs) if f.endswith('.py'))
        else:
            files.append(p)
    if not paths:
        files = corpus_files()
    good = 0
    kinds = {}
    for path in files:
        ok, kind, detail = check_file(xpyc, path)
        kinds[kind] = kinds.get(kind, 0) + 1
        if ok:
            good += 1
        else:
            print('MISMATCH %s: %s: %s' % (path, kind, detail))
    print('by kind: ' + ', '.join('%s %d' % kv for kv in sorted(kinds.items())))
    print('tokens: %d/%d agree' % (good, len(files)))
    return 0 if good == len(files) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
