#!/usr/bin/env python3
"""End-to-end check of xpyc's source codecs against the oracle: writes random
source files declaring the multibyte codecs (valid text, invalid and
truncated sequences, in strings, comments and names) into a folder, then runs
the conformance `ast` and `tokens` stages over it.

    $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/check_codecs.py \
        [--xpyc build/xpyc] [--per-codec 40] [--seed 1] [--keep DIR]

The tries themselves are checked exhaustively by tools/gen_cjk_codecs.py.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CJK = ['big5', 'big5hkscs', 'cp932', 'cp949', 'cp950', 'euc_jis_2004', 'euc_jisx0213',
       'euc_jp', 'euc_kr', 'gb18030', 'gb2312', 'gbk', 'johab', 'shift_jis',
       'shift_jis_2004', 'shift_jisx0213']
# Spellings that select these codecs through encodings.aliases.
ALIASES = ['sjis', 'ms932', 'eucjp', 'GB18030', 'big5-hkscs', 'uhc', 'ksc5601', 'EUC-KR',
           'cp936', 'csbig5', 'shift-jis', 'x-mac-japanese']
OTHER = ['utf-16', 'utf_16_le', 'utf-16-be', 'utf-32', 'utf_32_le', 'UTF-32BE', 'charmap',
         'base64', 'zlib', 'rot13', 'hex', 'undefined', 'raw_unicode_escape', 'hz', 'utf-7']


def sample_chars(codec, rng, count):
    """Valid encoded characters of `codec` (bytes), found by sampling."""
    found = []
    tries = 0
    while len(found) < count and tries < count * 200:
        tries += 1
        n = rng.choice((2, 2, 2, 4) if codec == 'gb18030' else (2,))
        if codec == 'gb18030' and n == 4:
            data = bytes([rng.randrange(0x81, 0xFF), rng.randrange(0x30, 0x3A),
                          rng.randrange(0x81, 0xFF), rng.randrange(0x30, 0x3A)])
        else:
            data = bytes([rng.randrange(0x80, 0x100), rng.randrange(0x21, 0x100)])
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if len(text) == 1 and text.isprintable():
            found.append(data)
    return found


def random_source(codec, rng, chars):
    cookie = rng.choice(['# -*- coding: %s -*-\n', '# vim: set fileencoding=%s :\n',
                         '#!/usr/bin/env python\n# coding=%s\n'])
    out = bytearray((cookie % codec).encode('ascii'))
    for _ in range(rng.randrange(1, 6)):
        kind = rng.randrange(6)
        text = b''.join(rng.choice(chars) for _ in range(rng.randrange(0, 6))) if chars else b''
        if kind == 0:
            out += b'x = "' + text + b'"\n'
        elif kind == 1:
            out += b'# ' + text + b'\n'
        elif kind == 2:
            out += b'name_' + text + b' = 1\n'
        elif kind == 3:
            out += b'y = ' + text + b'\n'
        elif kind == 4:
            out += b'def f():\n    return "' + text + b'"\n'
        else:
            out += b'z = [1, 2]\n'
    if rng.random() < 0.35:
        # A broken or truncated sequence somewhere.
        junk = bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 3)))
        at = rng.randrange(len(cookie % codec), len(out) + 1)
        out[at:at] = junk
    if rng.random() < 0.1:
        out += bytes([rng.randrange(0x80, 0x100)])  # a lead byte at the very end
    return bytes(out).replace(b'\0', b'0')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--xpyc', default='build/xpyc')
    ap.add_argument('--per-codec', type=int, default=40)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--keep', help='write the files here (kept) instead of a temporary folder')
    args = ap.parse_args()
    rng = random.Random(args.seed)
    folder = args.keep or tempfile.mkdtemp(prefix='xpyc-codecs-')
    os.makedirs(folder, exist_ok=True)
    count = 0
    for number, codec in enumerate(CJK + ALIASES + OTHER):
        base = codec.lower().replace('-', '_')
        chars = sample_chars(base, rng, 64) if base in CJK else [
            bytes([rng.randrange(0x20, 0x7F), rng.randrange(0x20, 0x100)]) for _ in range(16)]
        if base == 'utf_7':
            chars = [b'+AOk-', b'+-', b'+2D3eAA-', b'+AOkZ-', b'+2D0-', b'\x80', b'+AOkA']
        if base == 'hz':
            chars = [b'~{VPND~}', b'~~', b'~\n', b'~{!!~}', b'~{V', b'~}', b'\xb0\xa1']
        if base == 'raw_unicode_escape':
            chars = [b'\\u00e9', b'\\U0001F600', b'\\\\u0041', b'\\ud800', b'\\u12', b'\xe9', b'ab']
        if base not in CJK and codec in ALIASES:
            import codecs
            chars = sample_chars(codecs.lookup(codec).name.replace('-', '_'), rng, 64)
        for i in range(args.per_codec):
            path = os.path.join(folder, '%02d_%s_%03d.py' % (number, base.replace('.', '_'), i))
            with open(path, 'wb') as f:
                f.write(random_source(codec, rng, chars))
            count += 1
    print('check_codecs: %d files in %s' % (count, folder))
    status = 0
    for stage in ('ast', 'tokens'):
        r = subprocess.run([os.path.join(ROOT, 'tests', 'conformance', 'run.sh'), '--xpyc',
                            args.xpyc, '--stage', stage, '--corpus', folder], cwd=ROOT)
        status = status or r.returncode
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(status)


if __name__ == '__main__':
    main()
