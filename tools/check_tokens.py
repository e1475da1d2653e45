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
import re
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
    'unknown encoding', 'encoding problem', "codec can't decode", "codec can't encode",
    'is not a text encoding',
    "codec failed (",
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
        if line.startswith('AFTER ERROR '):
            parts = line[len('AFTER '):].split(' ', 3)
            toks.append(('AFTER', parts[1], int(parts[2].split(':')[0]), parts[3]))
            continue
        if line.startswith('WARNING '):
            continue
        if line.startswith('ERROR '):
            parts = line.split(' ', 3)
            if parts[1] == 'DeprecationWarning':
                continue
            ln = int(parts[2].split(':')[0])
            error = (parts[1], ln, parts[3], parts[2])
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


BACKSLASH_LINE_START = re.compile(rb'(?m)^[ \t\f]*\\\r?$')


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
    text = data.decode(enc).replace('\r\n', '\n').replace('\r', '\n')
    if text.startswith('\ufeff'):
        text = text[1:]
    lines = text.split('\n')

    def bcol(row, col):
        if row - 1 >= len(lines):
            return col
        return len(lines[row - 1][:col].encode('utf-8'))

    out = []
    # tokenize splits lines at b'\n' only: give it CPython's newlines
    flat = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    toks = merge_split_names(list(tokenize.tokenize(io.BytesIO(flat).readline)))
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
        return (type(e).__name__, getattr(e, 'lineno', 0) or 0, msg, oracle_position(e, data))


def oracle_position(e, data):
    """CPython's (lineno, offset, end_lineno, end_offset), or None."""
    if not isinstance(e, SyntaxError) or not e.lineno:
        return None
    return (e.lineno, e.offset, e.end_lineno, e.end_offset)


def source_line_bytes(data, lineno):
    """Line `lineno` of the decoded source as UTF-8 bytes (undecodable bytes
    kept as they are)."""
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(enc)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        text = data.decode('utf-8', 'surrogateescape')
    lines = text.replace('\r\n', '\n').replace('\r', '\n').lstrip('\ufeff').split('\n')
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ''
    return line.encode('utf-8', 'surrogateescape') + b'\n'


# Errors CPython's parser raises (from the tokenizer's done-codes, decode
# errors or generic syntax errors) rather than the tokenizer itself.
PARSER_RAISED = ('unindent does not match', 'inconsistent use of tabs', 'too many levels of indentation',
                 'unexpected character after line continuation', 'unexpected EOF while parsing',
                 'was never closed', '(unicode error)', 'invalid syntax')


def has_declared_encoding(data):
    """A BOM or a coding cookie on line 1 (or 2 after a blank/comment line)."""
    if data.startswith(b'\xef\xbb\xbf'):
        return True
    lines = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n').split(b'\n')[:2]
    for line in lines:
        if tokenize.cookie_re.match(line.decode('latin-1')):
            return True
        if not tokenize.blank_re.match(line):
            return False
    return False


def cpython_offset(line, col, in_bytes=False):
    """The 1-based SyntaxError offset CPython derives from a 0-based byte
    column: it decodes the first col+1 bytes of the ('replace'-decoded)
    line and counts characters, unless it counts bytes (parser-raised errors
    in a source without a declared encoding); -1 stays "none" (shown as 0)."""
    if col < 0:
        return 0
    if in_bytes:
        return col + 1
    replaced = line.decode('utf-8', 'replace').encode('utf-8')
    return len(replaced[:min(col + 1, len(replaced) + 1)].decode('utf-8', 'replace'))


def positions_agree(data, mine, oracle_pos, message=''):
    """mine: 'L:C-EL:EC' in Diagnostic coordinates."""
    in_bytes = not has_declared_encoding(data) and any(m in message for m in PARSER_RAISED)
    if oracle_pos is None:
        return mine == '0:-1-0:-1'
    a, b = mine.split('-', 1) if not mine.startswith('-') else (mine, '')
    ln, col = (int(x) for x in a.split(':', 1))
    eln, ecol = (int(x) for x in b.split(':', 1))
    lineno, offset, end_lineno, end_offset = oracle_pos
    if ln != lineno or cpython_offset(source_line_bytes(data, ln), col, in_bytes) != offset:
        return False
    if end_lineno is None:
        return True
    expected_end = 0 if ecol < 0 else cpython_offset(source_line_bytes(data, eln), ecol, in_bytes)
    return eln == end_lineno and (expected_end == end_offset or (ecol < 0 and end_offset == -1))


def same_error(mine, oracle):
    return mine[0] == oracle[0] and mine[2] == oracle[2]


def parser_path_explains(error, after, oracle):
    """Cases where CPython's parser, not its tokenizer, picks the error
    (see ErrorOrigin in lexer/lex.h); the tokens carry what it needs."""
    cls, line, msg = oracle[:3]
    # the parser failed first: on a string literal it could not decode, or
    # on an INDENT/DEDENT token before the tokenizer error on that line
    if msg.startswith('(unicode error)') and error[1] > line:
        return True
    if cls == 'IndentationError' and error[1] == line and (
            msg in ('unexpected indent', 'unexpected unindent') or msg.startswith('expected an indented block')):
        return True
    # a generic syntax error followed by a rest-of-file scan that hits a
    # name with bad UTF-8: the bare UnicodeDecodeError escapes
    if cls == 'UnicodeDecodeError':
        for e in (error, after):
            if e and e[2] == '(unicode error) ' + msg:
                return True
    # an unclosed bracket is only noticed at the end of the file, after
    # whatever specific error the parser found
    if error[2].endswith('was never closed') and not any(m in msg for m in TOKENIZER_MESSAGES):
        return True
    # the generic error is on the unclosed bracket's own line: it stands
    if msg == 'invalid syntax' and error[2].endswith('was never closed') and error[1] >= line:
        return True
    # an unknown character: the parser fails there, the scan finds `after`
    if error[2] == 'invalid syntax' and after is not None:
        if (after[0], after[2]) == (cls, msg):
            return True
        if after[2].endswith('was never closed') and msg == 'invalid syntax':
            return True
    return False


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
    after = [t for t in toks if t[0] == 'AFTER']
    toks = [t for t in toks if t[0] != 'AFTER']
    if error is not None and expected_error is not None and not same_error(error, expected_error):
        if parser_path_explains(error, after[0][1:] if after else None, expected_error):
            return True, 'parser-decides', ''
    # "(unicode error)" comes from the tokenizer for a name and from the
    # parser for a string literal; only the former must show here.
    unicode_error = expected_error is not None and expected_error[2].startswith('(unicode error)')
    if unicode_error and error is None:
        return True, 'parser-error', ''
    # errors inside f-string expressions come from the parser's own re-tokenizing
    if expected_error is not None and expected_error[2].startswith('f-string') and error is None:
        return True, 'parser-error', ''
    if expected_error is not None and (unicode_error or any(m in expected_error[2] for m in TOKENIZER_MESSAGES)):
        if error is None:
            return False, 'missed-error', 'oracle: %r' % (expected_error,)
        if error[0] != expected_error[0] or error[2] != expected_error[2]:
            return False, 'wrong-error', 'oracle %r, xpyc %r' % (expected_error, error)
        if not positions_agree(data, error[3], expected_error[3], error[2]):
            return False, 'wrong-error-position', 'oracle %r, xpyc %r' % (expected_error, error)
        return True, 'error-agrees', ''
    if error is not None and expected_error is not None:
        # The oracle's parser stopped at an error the tokenizer cannot see:
        # fine when xpyc's tokenizer error lies beyond it (the parser gets
        # there first), or is an unknown character ('$'), which CPython hands
        # to the parser as a token no rule accepts.
        if error[1] > expected_error[1]:
            return True, 'parser-error-first', ''
        if error[2] == 'invalid syntax' and expected_error[0] == 'SyntaxError':
            return True, 'parser-error-unknown-char', ''
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
    if BACKSLASH_LINE_START.search(data.replace(b'\r\n', b'\n').replace(b'\r', b'\n')):
        # tokenize does not follow the C tokenizer's rule for a line that
        # starts with a backslash continuation (indentation measured across
        # it, no NEWLINE when the joined line is blank): compare the rest
        layout = ('NEWLINE', 'INDENT', 'DEDENT', 'ENDMARKER')
        if [t for t in mine if t[0] not in layout] == [t for t in oracle if t[0] not in layout]:
            return True, 'tokens-agree-but-layout', ''
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
