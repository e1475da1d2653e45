#!/usr/bin/env python3
"""Generates lexer/codecs_cjk.inc from the oracle (CPython 3.10.13): the
decoders of the stateless multibyte (CJK) codecs, as tries of 256-way nodes
probed byte by byte from the oracle's own codecs, then checks the tries
against the oracle over every 1-, 2- and 3-byte sequence (and every
well-formed gb18030 four-byte sequence).

Run with the oracle:  $(PYENV_VERSION=3.10.13 pyenv which python3.10) tools/gen_cjk_codecs.py
Add --check to only verify the committed file's tries (nothing is written).

Model (what lexer/codecs.cpp implements): decoding at a position walks the
trie from the codec's root node with the next bytes; each entry of a node is
  * one or two code points (the bytes walked so far are one character),
  * an error of N bytes ("illegal multibyte sequence"),
  * a child node (more bytes needed; when the input ends there, the error is
    "incomplete multibyte sequence" up to the end of the input), or
  * for gb18030, the four-byte form: with four bytes available, byte 3 in
    0x81..0xFE and byte 4 in 0x30..0x39 select a code point through a range
    table; anything else is a one-byte "illegal multibyte sequence".

Encoding of the generated data: the nodes are one UTF-8 string of code
points. A node is `lo hi` (its entries for bytes lo..hi; other bytes take
the default entry) then the default entry, then hi-lo+1 entries. An entry is
a code point, or a marker from U+10FF00 on:
  U+10FF00+n  error of n bytes, illegal     U+10FF10+n  (unused)
  U+10FF20    two code points follow        U+10FF30    child: node id follows
  U+10FF40    gb18030 four-byte form
  U+10FF50    euc_kr's make-up sequence A4 D4 A4 x A4 y A4 z (eight bytes
              needed; x, y, z select a syllable through kKsxJamo; anything
              else is a one-byte "illegal multibyte sequence")
"""
import bisect
import codecs
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lexer', 'codecs_cjk.inc')

CODECS = ['big5', 'big5hkscs', 'cp932', 'cp949', 'cp950', 'euc_jis_2004', 'euc_jisx0213',
          'euc_jp', 'euc_kr', 'gb18030', 'gb2312', 'gbk', 'johab', 'shift_jis',
          'shift_jis_2004', 'shift_jisx0213']

ERR = 0x10FF00
PAIR = 0x10FF20
CHILD = 0x10FF30
GB4 = 0x10FF40
KSX = 0x10FF50   # euc_kr: the eight-byte KS X 1001 Hangul make-up sequence


def probe(codec, data):
    """('chars', str) | ('err', start, end, reason)"""
    try:
        return ('chars', data.decode(codec))
    except UnicodeDecodeError as e:
        return ('err', e.start, e.end, e.reason)


class Builder:
    def __init__(self):
        self.nodes = []      # tuples of entries (each entry a tuple of ints)
        self.index = {}

    def add(self, entries):
        key = tuple(entries)
        if key not in self.index:
            self.index[key] = len(self.nodes)
            self.nodes.append(key)
        return self.index[key]

    def node(self, codec, prefix):
        entries = []
        for b in range(256):
            data = prefix + bytes([b])
            if codec == 'euc_kr' and data == b'\xa4\xd4':
                entries.append((KSX,))
                continue
            r = probe(codec, data)
            if r[0] == 'chars':
                s = r[1]
                assert 1 <= len(s) <= 2, (codec, data, s)
                for ch in s:
                    assert ord(ch) < ERR
                entries.append(tuple(ord(c) for c in s))
                continue
            _, start, end, reason = r
            assert start == 0, (codec, data, r)
            if reason == 'incomplete multibyte sequence' and end == len(data):
                if codec == 'gb18030' and len(data) == 3:
                    entries.append((GB4,))
                else:
                    assert len(data) < 4, (codec, data)
                    entries.append((CHILD, self.node(codec, data)))
                continue
            assert reason == 'illegal multibyte sequence', (codec, data, r)
            entries.append((ERR + end - start,))
        return self.add(entries)


def gb18030_ranges():
    """(first index, last index, first code point) runs of the four-byte form."""
    runs = []
    for b0 in range(0x81, 0xFF):
        for b1 in range(0x30, 0x3A):
            for b2 in range(0x81, 0xFF):
                row = bytes([b0, b1, b2])
                for b3 in range(0x30, 0x3A):
                    idx = (((b0 - 0x81) * 10 + (b1 - 0x30)) * 126 + (b2 - 0x81)) * 10 + (b3 - 0x30)
                    try:
                        s = (row + bytes([b3])).decode('gb18030')
                    except UnicodeDecodeError as e:
                        assert (e.start, e.end) == (0, 1), (row, b3, e)
                        continue
                    assert len(s) == 1
                    cp = ord(s)
                    if runs and runs[-1][1] == idx - 1 and runs[-1][2] + (idx - runs[-1][0]) == cp:
                        runs[-1][1] = idx
                    else:
                        runs.append([idx, idx, cp])
    return runs


def ksx_jamo():
    """euc_kr make-up sequences: per byte, its (initial, medial, final) index
    or -1, with syllable = U+AC00 + (initial * 21 + medial) * 28 + final."""
    def dec(x, y, z):
        try:
            s = bytes([0xA4, 0xD4, 0xA4, x, 0xA4, y, 0xA4, z]).decode('euc_kr')
        except UnicodeDecodeError as e:
            assert (e.start, e.end) == (0, 1), e
            return None
        assert len(s) == 1
        return ord(s) - 0xAC00
    ini = [-1] * 256
    med = [-1] * 256
    fin = [-1] * 256
    for b in range(256):
        v = dec(b, 0xBF, 0xD4)
        if v is not None:
            ini[b] = v // (21 * 28)
        v = dec(0xA1, b, 0xD4)
        if v is not None:
            med[b] = (v // 28) % 21
        v = dec(0xA1, 0xBF, b)
        if v is not None:
            fin[b] = v % 28
    return ini, med, fin


def error_name(codec):
    for data in (b'\xff', b'\x80', b'\xff\xff', b'\x81\x00'):
        try:
            data.decode(codec)
        except UnicodeDecodeError as e:
            return e.encoding
    raise AssertionError(codec)


# ---------------------------------------------------------------------------
# Serialisation


def encode_nodes(nodes):
    cps = []
    for entries in nodes:
        # The default entry: the most common one; the explicit range covers
        # every byte whose entry differs from it.
        counts = {}
        for e in entries:
            counts[e] = counts.get(e, 0) + 1
        default = max(counts, key=lambda e: (counts[e], -entries.index(e)))
        diff = [i for i, e in enumerate(entries) if e != default]
        lo, hi = (diff[0], diff[-1]) if diff else (0, -1)
        cps.extend([lo, hi + 1])
        cps.extend(entry_cps(default))
        for i in range(lo, hi + 1):
            cps.extend(entry_cps(entries[i]))
    return cps


def entry_cps(e):
    if len(e) == 1:
        return [e[0]]
    if e[0] == CHILD:
        return [CHILD, e[1]]
    assert len(e) == 2
    return [PAIR, e[0], e[1]]


def c_string_lines(cps):
    out = []
    line = ''
    for cp in cps:
        if cp < 0x20 or cp == 0x7F or cp in (0x22, 0x5C, 0x3F):
            piece = '\\%03o' % cp
        elif 0xD800 <= cp <= 0xDFFF:
            raise AssertionError('surrogate in table')
        elif cp >= 0xFFFE and cp <= 0xFFFF or cp >= 0x10000 and (cp & 0xFFFE) == 0xFFFE or cp >= ERR:
            piece = '\\U%08X' % cp
        elif 0x80 <= cp <= 0x9F:
            piece = '\\u%04X' % cp
        else:
            piece = chr(cp)
        line += piece
        if len(line) >= 60:
            out.append(line)
            line = ''
    if line:
        out.append(line)
    return out


# ---------------------------------------------------------------------------
# Verification: the trie decoder in Python, against the oracle.


RANGE_FIRSTS = []
KSX_JAMO = ([], [], [])


def trie_decode_one(codec_root, nodes, ranges, data):
    """Decodes `data` from position 0 with the model: ('chars', str, consumed)
    | ('err', start, end, reason)."""
    node = nodes[codec_root]
    i = 0
    while True:
        if i >= len(data):
            return ('err', 0, len(data), 'incomplete multibyte sequence')
        e = node[data[i]]
        i += 1
        if e[0] == CHILD:
            node = nodes[e[1]]
            continue
        if e[0] == GB4:
            if len(data) < 4:
                return ('err', 0, len(data), 'incomplete multibyte sequence')
            b2, b3 = data[2], data[3]
            if not (0x81 <= b2 <= 0xFE and 0x30 <= b3 <= 0x39):
                return ('err', 0, 1, 'illegal multibyte sequence')
            idx = (((data[0] - 0x81) * 10 + (data[1] - 0x30)) * 126 + (b2 - 0x81)) * 10 + (b3 - 0x30)
            k = bisect.bisect_right(RANGE_FIRSTS, idx) - 1
            if k >= 0 and ranges[k][0] <= idx <= ranges[k][1]:
                return ('chars', chr(ranges[k][2] + idx - ranges[k][0]), 4)
            return ('err', 0, 1, 'illegal multibyte sequence')
        if e[0] == KSX:
            if len(data) < 8:
                return ('err', 0, len(data), 'incomplete multibyte sequence')
            ini, med, fin = KSX_JAMO
            x, y, z = data[3], data[5], data[7]
            if (data[2] != 0xA4 or data[4] != 0xA4 or data[6] != 0xA4 or ini[x] < 0 or
                    med[y] < 0 or fin[z] < 0):
                return ('err', 0, 1, 'illegal multibyte sequence')
            return ('chars', chr(0xAC00 + (ini[x] * 21 + med[y]) * 28 + fin[z]), 8)
        if ERR < e[0] < ERR + 16:
            return ('err', 0, e[0] - ERR, 'illegal multibyte sequence')
        return ('chars', ''.join(chr(c) for c in e), i)


def trie_decode(codec_root, nodes, ranges, data):
    out = []
    i = 0
    while i < len(data):
        r = trie_decode_one(codec_root, nodes, ranges, data[i:])
        if r[0] == 'err':
            return ('err', i + r[1], i + r[2], r[3])
        out.append(r[1])
        i += r[2]
    return ('chars', ''.join(out))


def verify(roots, nodes, ranges):
    total_bad = 0
    for codec in CODECS:
        root = roots[codec]
        seqs = [bytes([a]) for a in range(256)]
        seqs += [bytes([a, b]) for a in range(256) for b in range(256)]
        leads3 = [bytes([a, b]) for a in range(256) for b in range(256)
                  if nodes[root][a][0] == CHILD and nodes[nodes[root][a][1]][b][0] in (CHILD, GB4)]
        seqs += [p + bytes([c]) for p in leads3 for c in range(256)]
        if codec == 'euc_kr':
            seqs += [bytes([0xA4, 0xD4, 0xA4, x, 0xA4, y, 0xA4, z]) for x in range(0xA1, 0xFF)
                     for y in range(0xA1, 0xFF) for z in range(0xA1, 0xFF)]
            seqs += [bytes([0xA4, 0xD4, a, b, 0xA4, 0xBF, 0xA4, 0xD4]) for a in range(256)
                     for b in range(256)]
            seqs += [bytes([0xA4, 0xD4, 0xA4, 0xA1, a, 0xBF, b, 0xD4]) for a in range(256)
                     for b in range(256)]
            seqs += [bytes([0xA4, 0xD4, 0xA4, 0xA1, 0xA4, a, 0xA4, b]) for a in range(256)
                     for b in range(256)]
            seqs += [bytes([0xA4, 0xD4]) + bytes([0xA4] * k) for k in range(6)]
        if codec == 'gb18030':
            seqs += [bytes([a, b, c, d]) for a in range(0x81, 0xFF) for b in range(0x30, 0x3A)
                     for c in range(0x81, 0xFF) for d in range(0x30, 0x3A)]
            seqs += [bytes([a, 0x31, c, d]) for a in (0x81, 0x84, 0x90, 0xE3, 0xFE)
                     for c in range(256) for d in range(256)]
        bad = 0
        for s in seqs:
            want = probe(codec, s)
            got = trie_decode(root, nodes, ranges, s)
            if want != got:
                if bad < 5:
                    print('  mismatch', codec, s.hex(), want, got)
                bad += 1
        print('%-16s %8d sequences checked, %d mismatches' % (codec, len(seqs), bad))
        total_bad += bad
    return total_bad


def main():
    b = Builder()
    roots = {c: b.node(c, b'') for c in CODECS}
    ranges = gb18030_ranges()
    RANGE_FIRSTS.extend(r[0] for r in ranges)
    jamo = ksx_jamo()
    for k in range(3):
        KSX_JAMO[k].extend(jamo[k])
    names = {c: error_name(c) for c in CODECS}
    print('%d distinct nodes, %d gb18030 ranges' % (len(b.nodes), len(ranges)))
    bad = verify(roots, b.nodes, ranges)
    if bad:
        sys.exit('model does not match the oracle')
    if '--check' in sys.argv:
        return
    cps = encode_nodes(b.nodes)
    lines = ['// Generated by tools/gen_cjk_codecs.py from CPython %s; do not edit.'
             % sys.version.split()[0],
             '// The stateless multibyte codecs as byte tries (format: see the generator).',
             '']
    lines.append('constexpr uint32_t kCjkNodeCount = %d;' % len(b.nodes))
    lines.append('constexpr char kCjkNodes[] =')
    for l in c_string_lines(cps):
        lines.append('    "%s"' % l)
    lines.append('    ;')
    lines.append('')
    lines.append('struct CjkCodec {')
    lines.append('  std::string_view module;')
    lines.append('  const char* error_name;  // UnicodeDecodeError.encoding')
    lines.append('  uint32_t root;')
    lines.append('};')
    lines.append('constexpr CjkCodec kCjkCodecs[] = {')
    for c in CODECS:
        lines.append('  {"%s", "%s", %d},' % (c, names[c], roots[c]))
    lines.append('};')
    lines.append('')
    lines.append('// gb18030 four-byte form: index runs (first, last, first code point).')
    lines.append('constexpr uint32_t kGb18030Ranges[][3] = {')
    for first, last, cp in ranges:
        lines.append('  {%d, %d, 0x%X},' % (first, last, cp))
    lines.append('};')
    lines.append('')
    lines.append('// euc_kr make-up sequences: initial, medial and final index by byte (-1: none).')
    lines.append('constexpr int8_t kKsxJamo[3][256] = {')
    for table in jamo:
        lines.append('  {')
        for i in range(0, 256, 16):
            lines.append('    ' + ', '.join('%d' % v for v in table[i:i + 16]) + ',')
        lines.append('  },')
    lines.append('};')
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    print('wrote %s (%d bytes)' % (OUT, os.path.getsize(OUT)))


if __name__ == '__main__':
    main()
