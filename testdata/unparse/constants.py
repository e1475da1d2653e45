# Constants: reprs with their quote choice, numbers, infinities, Ellipsis.
from __future__ import annotations

s1: 'abc'
s2: "abc"
s3: "it's"
s4: 'say "hi"'
s5: 'both \' and "'
s6: "tab\tnew\nline\rret\\"
s7: '\x00\x07\x1f\x7f\x80\x9f\xa0\xad'
s8: 'é€😀'
s9: '\u200b\u2028\ufeff\U000e0001'
s10: '\ud800'
s11: u'prefixed'
s12: r'raw\d'
s13: '''triple'''
s14: 'implicit' "concatenation"
s15: ''
s16: '{braces}'
s17: R"\n"
y1: b'abc'
y2: b"it's"
y3: b'both \' and "'
y4: b'\x00\xff\t\n\r\\'
y5: b''
y6: rb'raw\d'
y7: b'a' b'b'
n1: 0
n2: 42
n3: 0x1f
n4: 0o17
n5: 0b101
n6: 1_000_000
n7: 123456789012345678901234567890123456789
n8: 0xffffffffffffffffffffffffffffffff
f1: 0.0
f2: 1.0
f3: 1.5
f4: 0.1
f5: 1e16
f6: 1e15
f7: 1e-4
f8: 1e-5
f9: 1e22
f10: 123456789.123456789
f11: 1_0.5e1_0
f12: 1e999
f13: 1e308
f14: 2.2250738585072014e-308
f15: 5e-324
f16: 1e-400
f17: .5
f18: 5.
j1: 0j
j2: 2j
j3: 1.5j
j4: 1e16j
j5: 1e999j
j6: 1e-400j
j7: 1 + 2j
j8: 1e999 - 1e999j
j9: -1e999j
k1: True
k2: False
k3: None
k4: ...
k5: Ellipsis
k6: (...)
k7: [..., ...]
k8: x[...]
k9: -1
k10: --1
k11: +1.5
k12: ~0
u1: u'a' 'b'
u2: 'a' u'b'
u3: f'{u"x"}'
u4: [u'x', U'y']
u5: u'a'.b
