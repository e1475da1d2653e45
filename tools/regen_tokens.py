#!/usr/bin/env python3
"""Writes the token goldens under testdata/tokens/ from the oracle.

Run with the oracle:  $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/regen_tokens.py

Each case below becomes testdata/tokens/NAME.py (the input bytes) and
NAME.py.expected: what `xpyc --dump-tokens NAME.py` must print (plus the
"exit N" line tests/golden.sh appends), derived from the oracle's compile()
(errors, warnings) and tokenize module (tokens), converted to the C
tokenizer's conventions documented in lexer/token.h and driver/dump_tokens.cpp.
Where the tokenize module itself differs from the C tokenizer (a line that
starts with a backslash continuation), the cases are unit tests instead
(tests/unit/lexer_test.cpp).
"""
import io
import keyword
import os
import sys
import tokenize
import unicodedata
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_tokens  # noqa: E402  (shared rules about CPython's offsets)
OUT_DIR = os.path.join(HERE, '..', 'testdata', 'tokens')

CASES = {
    # --- valid sources -------------------------------------------------
    'basic': b'x = 1\nprint(x, "a")\n',
    'no_final_newline': b'if x:\n  y',
    'empty': b'',
    'only_comment': b'# just a comment',
    'blank_lines': b'\n\n  \n# c\n\nx\n\n\n',
    'crlf': b'if a:\r\n    b = 1\r\n\r\nc\r\n',
    'cr_only': b'a = 1\rb = 2\r',
    'indent_dedent': b'if a:\n    if b:\n        c\n    d\n  # comment\ne\n',
    'indent_tabs': b'if a:\n\tb\n\tif c:\n\t\td\n        e\n',
    'formfeed': b'\x0cx = 1\nif y:\n  \x0c  z\n\x0cw\n',
    'dedent_eof': b'class A:\n    def f(self):\n        return 1\n',
    'brackets_join': b'x = (1,\n     2,\n  # c\n\n     3)\ny = [\n]\nz = {a:\n b}\n',
    'backslash': b'x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\n',
    'operators': (b'a += 1; a -= 1; a *= 2; a /= 2; a //= 2; a %= 2; a **= 2\n'
                  b'a >>= 1; a <<= 1; a &= 1; a |= 1; a ^= 1; a @= b\n'
                  b'c = a < b <= c > d >= e == f != g\nd = ~a ^ b | c & d << 1 >> 2\n'
                  b'def f(x) -> int: ...\nif (n := 10) > 5: pass\nx = a.b @ c // d ** e\n'),
    'numbers': (b'a = 0, 00, 0_0, 123, 1_000_000, 0x1F, 0XdeadBEEF, 0x_ff, 0o17, 0O7_7, 0b101, 0B1_0\n'
                b'b = 1.5, .5, 5., 1e10, 1E-5, 1.5e+3, 1_0.0_1e1_0, 0.0, 00.5, 09.5, 0e0, 09e1\n'
                b'c = 1j, 1.5J, 1e3j, 0j, 09j, .5j\nd = 1 .real, 1.__class__, 1..real\n'
                b'e = 1if x else 2\nf = [0x1for x in y]\ng = 1or 2\nh = 0b1and 1\ni = 1.5is 2\n'
                b'j = 0o7not in x\n'),
    'strings': (b"a = 'x', \"y\", '''z''', \"\"\"w\"\"\", ''\nb = r'\\d', R\"x\", b'y', B'z', u'w', U\"v\"\n"
                b"c = rb'a', Rb'b', bR'c', BR'd', br'e', f'{x}', F'y', fr'z', rF'w', Rf'q', FR'p'\n"
                b"d = 'it\\'s', \"q\\\"q\", 'back\\\\', 'line\\\ncont'\n"
                b"e = '''multi\nline ' \\''' end\n''' + \"\"\"a\n\"\"\"\n"
                b"f = ''''quote''' ; g = '''''' ; h = \"\"\"\"\"\"\n"),
    'string_prefix_names': b'rb = 1; br = 2; f = 3; u = 4; ur = 5; bu = 6; fb = 7; rr = 8\nx = ur\n',
    'keywords': (b'async def f():\n    await x\n    return None or True and False\ndef g(): yield from y\n'
                 b'match = case = _ = 1\nnonlocal_ = global_ = 2\n'
                 b'try:\n    pass\nexcept E as e:\n    raise\nfinally:\n    del a\n'
                 b'with a as b: assert not c is d in e\nwhile 1: break\nfor i in x: continue\n'
                 b'class C: global g; lambda: 0\nif a: pass\nelif b: pass\nelse: pass\nimport a; from . import b\n'),
    'unicode_names': ('café = 1\nπ = 3.14\nﬁle = 2\nℌ = 3\nx\u0301y = 4\n변수 = 5\n_\u00b7 = 6\n'
                      'Ω = Ω\nµ = 7\n').encode('utf-8'),
    'unicode_in_strings': '# ünïcödé comment\ns = "日本語"  # 注释\nt = \'\U0001F600\'\n'.encode('utf-8'),
    'bom': b'\xef\xbb\xbfx = 1\n',
    'bom_utf8_cookie': b'\xef\xbb\xbf# -*- coding: utf-8 -*-\nx = 1\n',
    'latin1_cookie': b'# -*- coding: latin-1 -*-\ns = "\xe9\xe8\xff"\n',
    'latin1_cookie_line2': b'#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nname\xe9 = "\xe0"\n',
    'cp1252_cookie': b'# coding=cp1252\ns = "\x80\x9c\x9d"\n',
    'koi8r_cookie': b'# -*- coding: koi8-r -*-\n\xf0\xd2\xc9\xd7\xc5\xd4 = "\xcd\xc9\xd2"\n',
    'cookie_after_code': b'x = 1\n# coding: latin-1\ny = 2\n',
    'cookie_utf8_variants': b'# coding: UTF_8\nx = "\xc3\xa9"\n',
    'deep_brackets': b'x = ' + b'(' * 199 + b'1' + b')' * 199 + b'\n',
    'ellipsis_dots': b'a = ...\nb = x[..., 1]\nc = a.b.c\nfrom .. import d\nfrom ... import e\nf = ....__class__\n',
    'comment_newline_start': b'x = 1  # trailing\nif y:  # c\n    pass\n',
    'continuation_blank': b'x = [\n\n1,\n\n]\n\ny = 1\n',
    # --- tokenizer errors ----------------------------------------------
    'err_unterminated': b"x = 'abc\ny = 2\n",
    'err_unterminated_prefix': b"x = 1\nyy = rb'abc\n",
    'err_unterminated_triple': b'x = """abc\n\ny = 2\n',
    'err_unterminated_eof': b"x = 'abc",
    'err_invalid_char': 'x = a€b\n'.encode('utf-8'),
    'err_invalid_char_start': 'x = €\n'.encode('utf-8'),
    'err_nonprintable': b'x = \xc2\xa0\n',
    'err_dollar': b'x = $\n',
    'err_question': b'x = a ? b\n',
    'err_backtick': b'x = `a`\n',
    'err_bang': b'x = !a\n',
    'err_decimal': b'x = 1_\n',
    'err_decimal2': b'x = 1__0\n',
    'err_decimal_name': b'x = 1abc\n',
    'err_exponent': b'x = 1e\n',
    'err_exponent_sign': b'x = 1e+\n',
    'err_hex': b'x = 0x\n',
    'err_hex_name': b'x = 0x1g\n',
    'err_octal': b'x = 0o8\n',
    'err_octal2': b'x = 0o\n',
    'err_octal_digit_after': b'x = 0o17\xc3\xa9\n',
    'err_binary': b'x = 0b2\n',
    'err_binary_digit': b'x = 0b102\n',
    'err_leading_zeros': b'x = 0777\n',
    'err_leading_zeros2': b'x = 00_12\n',
    'err_imaginary': b'x = 1jk\n',
    'err_line_continuation': b'x = 1 \\ 2\n',
    'err_continuation_eof': b'x = 1 + \\\n',
    'err_dedent': b'if x:\n    a\n  b\n',
    'err_tab_space': b'if x:\n\ta\n        b\n',
    'err_tab_space_indent': b'if x:\n        a\n\tb\n',
    'err_too_deep': b''.join(b' ' * i + b'if 1:\n' for i in range(101)) + b' ' * 101 + b'pass\n',
    'err_too_many_parens': b'x = ' + b'[' * 201 + b'\n',
    'err_unmatched': b'x = 1)\n',
    'err_mismatch': b'x = (1]\n',
    'err_mismatch_line': b'x = (1,\n2]\n',
    'err_never_closed': b'x = (1,\n2\n',
    'err_never_closed_inner': b'x = [(1,\n{2\n',
    'err_null_byte': b'x = 1\x00\n',
    'err_unknown_encoding': b'# coding: foobar\nx = 1\n',
    'err_bom_latin1': b'\xef\xbb\xbf# coding: latin-1\nx = 1\n',
    'err_ascii_decode': b'# coding: ascii\nx = "\xff"\n',
    'err_cp1252_undefined': b'# coding: cp1252\nx = "\x81"\n',
    'err_utf8_decode_name': b'x = a\xffb\n',
    'err_utf8_truncated_name': b'x = a\xe2\x82\n',
    'err_combining_start': 'x = \u0301a\n'.encode('utf-8'),
    'err_zero_width_space': 'x = a\u200bb\n'.encode('utf-8'),
    'err_number_then_unicode': 'x = 1\u00e9\n'.encode('utf-8'),
    'err_zero_underscore': b'x = 0_\n',
    'err_binary_empty': b'x = 0b\n',
    'err_hex_underscore': b'x = 0x_\n',
    'err_fraction_underscore': b'x = 1.5_\n',
    'err_backslash_eof_no_newline': b'x = 1 \\',
    'err_backslash_comment': b'x = 1 \\ # c\n',
    'err_backslash_in_brackets_eof': b'x = (1 + \\\n',
    'err_string_continued_line': b"x = 'abc\\\ndef\n",
    'err_triple_prefix_multiline': b"a = 1\nb = Rb'''x\ny\nz\n",
    'err_dedent_deeper': b'if a:\n        if b:\n            c\n    d\n',
    'err_dedent_nonascii': 'if a:\n        if b:\n            c\n    d = "\u00e9\u00e9"\n'.encode('utf-8'),
    'err_dedent_nonascii_cookie': '# coding: utf-8\nif a:\n        b\n    d = "\u00e9\u00e9"\n'.encode('utf-8'),
    'err_invalid_char_after_nonascii': 'x = "\u00e9\u00e9" + a\u20acb\n'.encode('utf-8'),
    'err_tab_equal_col': b'if a:\n    \tb\n\tc\n',
    'err_unmatched_brace': b'x = {1: 2}}\n',
    'err_never_closed_brace': b'd = {\n  1: [2,\n',
    'err_exponent_underscore': b'x = 1e5_\n',
    'mixed_tabs_consistent': b'if x:\n \tb\n \tc\nd\n',
    'numbers_edge': b'a = 1.e5, 1e5j, 1_000.5_5, 0.j, 0_0.0, 0e-0_1, 1E+1_0J\nb = 0xAbC_dEf, 0o0_7, 0b0_1\n',
    'cookie_no_space': b'#coding:latin-1\nx = "\xe9"\n',
    'cookie_not_comment_only': b'x = 1 # coding: latin-1\ny = "\xc3\xa9"\n',
    'cookie_utf8_sig': b'\xef\xbb\xbf# coding: utf-8-sig\nx = 1\n',
    'cookie_iso8859_15': b'# coding: iso-8859-15\nx = "\xa4"\n',
    'cookie_cp437': b'# coding: cp437\nx = "\x80\xb0"\n',
    # multibyte codecs (lexer/codecs_cjk.inc); 0x95 0x5C is a shift_jis
    # character whose second byte is a backslash in ASCII
    'cookie_shift_jis': '# -*- coding: shift_jis -*-\n\u540d\u524d = "\u8868\u65e5\u672c"  # \u30b3\u30e1\u30f3\u30c8\n'.encode('shift_jis'),
    'cookie_euc_jp_three_bytes': '# coding: euc_jp\nx = "\u4e02\u3042"\n'.encode('euc_jp'),
    'cookie_gb18030_four_bytes': '# coding: gb18030\n\u00e4 = "\U00020000\u20ac"\n'.encode('gb18030'),
    'cookie_big5hkscs_pair': b'# coding: big5hkscs\nx = "\x88\x62\xa4\x40"\n',
    'cookie_euc_kr_make_up': b'# coding: euc-kr\nx = "\xa4\xd4\xa4\xbe\xa4\xc8\xa4\xa1"\n',
    'cookie_cp949_johab': '# coding: uhc\n\uac01 = "\ud7a3"\n'.encode('cp949'),
    'err_shift_jis_decode': b'# coding: sjis\nx = "\x81"\n',
    'err_gb18030_decode': b'# coding: gb18030\nx = "\x84\x31\xa5\x30"\n',
    'err_euc_kr_make_up': b'# coding: euc_kr\nx = "\xa4\xd4\xa4\xd4\xa4\xd4\xa4\xd4"\n',
    'err_utf16_truncated': b'# coding: utf-16\nx = 1\n',
    'err_utf16_be_character': b'# coding: utf-16-be\nx = 1\n',
    'err_utf32_range': b'# coding: utf-32\nx = 1\n',
    'err_not_text_encoding': b'# coding: base64\nx = 1\n',
    'err_undefined_codec': b'# coding: undefined\nx = 1\n',
    'cookie_hz': '# coding: hz\n\u53d8 = "\u4e2d\u6587~"  # ~{\n'.encode('hz'),
    'err_hz_decode': b'# coding: hz\nx = "~{VP~"\n',
    'cookie_utf7': '# coding: utf-7\n\u00e9 = "\U0001F600+"\n'.encode('utf-7'),
    'err_utf7_decode': b'# coding: utf-7\nx = "+AOkZ-"\n',
    'cookie_raw_unicode_escape': b'# coding: raw-unicode-escape\n\\u00e9 = "\xe9\\U0001F600\\\\u0041"\n',
    'err_raw_unicode_escape_surrogate': b'# coding: raw_unicode_escape\nx = "\\ud800\\udc00"\n',
    'err_raw_unicode_escape_truncated': b'# coding: raw_unicode_escape\nx = "\\u00"\n',
    'cookie_mac_roman': b'# -*- coding: mac-roman -*-\nx = "\x80\xa5"\n',
    'cookie_greek': b'# coding: iso8859_7\n\xe1 = "\xe2"\n',
    'cookie_emacs_style': b'#!/usr/bin/env python3\n# -*- mode: python; coding: latin1 -*-\nx = "\xfe"\n',
    'cookie_line2_after_blank': b'\n# coding: latin-1\nx = "\xe9"\n',
    'crlf_in_triple_string': b'x = """a\r\nb\rc\nd"""\r\n',
    'backslash_indent_first_col': b'if a:\n    b\n    \\\n  c\n',
    'backslash_indent_tab': b'if a:\n    b\n    \\\n\tc\n',
    'backslash_line_start': b'x = 1\n\\\ny = 2\nz = 3\n',
    'err_backslash_indent_dedent': b'if a:\n    b\n  \\\n    c\n',
    'err_backslash_indent_space': b'if a:\n      \\  b\n',
    'err_backslash_indent_eof': b'x = 1\n  \\\n',
    'formfeed_midline': b'x = 1 \x0c+ 2\n',
    'nfkc_names': ('\u2160 = 1\n\ufb01 = 2\n\u00c5 = 3\nA\u030a = 4\n\u1e9b\u0323 = 5\n\uac00\u11a8 = 6\n'
                   '\u1100\u1161 = 7\n\U0001d400 = 8\nx\u2071 = 9\n\u212b = \u2163 + \uff21\n').encode('utf-8'),
    'err_superscript_start': 'x = \u2075x\n'.encode('utf-8'),
}


def escape(s):
    out = []
    for ch in s:
        if ch == '\\':
            out.append('\\\\')
        elif ch == "'":
            out.append("\\'")
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append('\\x%02x' % ord(ch))
        else:
            out.append(ch)
    return "'" + ''.join(out) + "'"


def decoded_text(data):
    enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(enc).replace('\r\n', '\n').replace('\r', '\n')
    if text.startswith('\ufeff'):
        text = text[1:]
    if not text.endswith('\n'):
        text += '\n'
    return text


def oracle_error_and_warnings(data):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            compile(data, 'case.py', 'exec', dont_inherit=True)
            err = None
        except (SyntaxError, ValueError) as e:
            err = e
    warns = ['WARNING %s %d %s' % (w.category.__name__, w.lineno, w.message) for w in caught]
    return err, warns


def error_line(err, data):
    if isinstance(err, ValueError) and not isinstance(err, SyntaxError):
        return 'ERROR ValueError 0:-1-0:-1 %s' % err
    try:
        lines = decoded_text(data).split('\n')
    except (SyntaxError, UnicodeError, LookupError):
        # undecodable bytes count one column each, as in CPython's
        # 'replace'-decoded error line
        lines = data.decode('utf-8', 'surrogateescape').split('\n')
    lineno = err.lineno or 0
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ''

    # parser-raised errors count bytes when no encoding is declared
    in_bytes = (not check_tokens.has_declared_encoding(data)
                and any(m in err.msg for m in check_tokens.PARSER_RAISED))

    def bcol(off):
        if off is None or off < 1:
            return -1
        if in_bytes:
            return off - 1
        return len(line[:off - 1].encode('utf-8', 'surrogateescape'))
    end_lineno = err.end_lineno or 0
    return 'ERROR %s %d:%d-%d:%d %s' % (type(err).__name__, lineno, bcol(err.offset) if lineno else -1,
                                        end_lineno, bcol(err.end_offset) if end_lineno else -1, err.msg)


def merge_split_names(toks):
    """tokenize's regex splits a name at an XID_Continue character that \\w
    does not match (a combining mark such as U+0301), leaving an ERRORTOKEN;
    the C tokenizer keeps one NAME. Glue such adjacent pieces together."""
    out = []
    for t in toks:
        if (out and t.type in (tokenize.ERRORTOKEN, tokenize.NAME) and out[-1].type == tokenize.NAME
                and out[-1].end == t.start and not t.string.isspace()
                and ('a' + t.string).isidentifier()):
            prev = out.pop()
            t = tokenize.TokenInfo(tokenize.NAME, prev.string + t.string, prev.start, t.end, prev.line)
        out.append(t)
    return out


def token_lines(data):
    text = decoded_text(data)
    lines = text.split('\n')[:-1]
    last_line = len(lines)
    eof_col = len(lines[-1].encode('utf-8')) + 1

    def bcol(row, col):
        if row - 1 >= len(lines):
            return col
        return len(lines[row - 1][:col].encode('utf-8'))

    out = []
    # tokenize reads lines split at b'\n' only: give it CPython's newlines
    flat = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    toks = merge_split_names(list(tokenize.tokenize(io.BytesIO(flat).readline)))
    prev = None
    for t in toks:
        typ = t.type
        (sl, sc), (el, ec) = t.start, t.end
        if typ in (tokenize.ENCODING, tokenize.NL):
            prev = t
            continue
        if typ == tokenize.COMMENT:
            prev = t
            continue
        if typ == tokenize.NEWLINE:
            row, col = sl, bcol(sl, sc)
            if prev is not None and prev.type == tokenize.COMMENT and prev.start[0] == sl:
                start = bcol(sl, prev.start[1])
                body = prev.string
            else:
                start, body = col, ''
            if row > last_line:  # implicit newline after a last line without one
                row, start, col = last_line, len(lines[-1].encode('utf-8')), len(lines[-1].encode('utf-8'))
            out.append('%d:%d-%d:%d NEWLINE %s' % (row, start, row, col, escape(body)))
        elif typ == tokenize.INDENT:
            c = bcol(el, ec)
            out.append("%d:%d-%d:%d INDENT ''" % (el, c, el, c))
        elif typ in (tokenize.DEDENT, tokenize.ENDMARKER):
            name = tokenize.tok_name[typ]
            if sl > last_line or typ == tokenize.ENDMARKER:
                out.append("%d:%d-%d:%d %s ''" % (last_line, eof_col, last_line, eof_col, name))
            else:
                c = bcol(sl, sc)
                out.append("%d:%d-%d:%d %s ''" % (sl, c, sl, c, name))
        else:
            if typ == tokenize.OP:
                kind = '!=' if t.string == '<>' else t.string
            elif typ == tokenize.NAME:
                kind = t.string if keyword.iskeyword(t.string) else 'NAME'
            else:
                kind = tokenize.tok_name[typ]
            line = '%d:%d-%d:%d %s %s' % (sl, bcol(sl, sc), el, bcol(el, ec), kind, escape(t.string))
            if typ == tokenize.NAME and not t.string.isascii():
                line += ' nfkc=' + escape(unicodedata.normalize('NFKC', t.string))
            out.append(line)
        prev = t
    return out


def expected_for(data):
    err, warns = oracle_error_and_warnings(data)
    if err is not None:
        return '\n'.join(warns + [error_line(err, data), 'exit 1']) + '\n'
    return '\n'.join(token_lines(data) + warns + ['exit 0']) + '\n'


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, data in sorted(CASES.items()):
        path = os.path.join(OUT_DIR, name + '.py')
        with open(path, 'wb') as f:
            f.write(data)
        with open(path + '.expected', 'w', encoding='utf-8', newline='\n') as f:
            f.write(expected_for(data))
    print('wrote %d cases to %s' % (len(CASES), os.path.normpath(OUT_DIR)))


if __name__ == '__main__':
    sys.exit(main())
