#!/usr/bin/env python3
"""Differential fuzzing of the tokenizer against the oracle.

Usage (with the oracle):
  $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/fuzz_tokens.py XPYC [COUNT] [SEED]
Mutates pieces of corpus files with tokenizer-relevant fragments (quotes,
brackets, backslashes, odd numbers, bad UTF-8, tabs...), writes them to a
temporary directory and runs tools/check_tokens.py's comparison on each:
errors must agree in class, message and CPython's offsets, tokens must agree
with tokenize. Prints the mismatches and "fuzz: N/N agree".
"""
import os
import random
import sys
import sysconfig
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_tokens  # noqa: E402

SEED_FILES = ['test/test_tokenize.py', 'test/test_grammar.py', 'test/test_fstring.py',
              'test/test_unicode_identifiers.py', 'test/test_string_literals.py', 'textwrap.py',
              'test/test_syntax.py']
FRAGMENTS = [b"'", b'"', b"'''", b'\\', b'\n', b'\r', b'\t', b' ', b'(', b')', b'[', b']', b'{', b'}',
             b'0x', b'0o', b'0b', b'_', b'e', b'j', b'.', b'#', '\u00e9'.encode(), b'\xff', b'\xe2\x82',
             b'\f', b'if x:\n', b'    ', b'1', b"f'", b'rb"', b'<>', b'!', b'$', b'1if', b'0777',
             b'\xc2\xa0', '\u20ac'.encode(), b'  ', b'\n  ', b'\n\t']


def mutate(rng, seed):
    s = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randint(0, len(s))
        r = rng.random()
        if r < 0.6:
            s[pos:pos] = rng.choice(FRAGMENTS)
        elif r < 0.85:
            del s[pos:pos + rng.randint(1, 6)]
        else:
            s[pos:pos] = bytes([rng.randint(1, 255)])
    return bytes(s)


def main(argv):
    xpyc = argv[1]
    count = int(argv[2]) if len(argv) > 2 else 500
    rng = random.Random(int(argv[3]) if len(argv) > 3 else 7)
    lib = sysconfig.get_paths()['stdlib']
    seeds = []
    for rel in SEED_FILES:
        with open(os.path.join(lib, rel), 'rb') as f:
            seeds.append(f.read()[:1500])
    good = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            path = os.path.join(tmp, 'c%05d.py' % i)
            with open(path, 'wb') as f:
                f.write(mutate(rng, rng.choice(seeds)))
            ok, kind, detail = check_tokens.check_file(xpyc, path)
            if ok:
                good += 1
            else:
                print('MISMATCH case %d: %s: %s' % (i, kind, detail))
    print('fuzz: %d/%d agree' % (good, count))
    return 0 if good == count else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
