# Precedence and parentheses: each operator inside each other one.
from __future__ import annotations

a1: a or b and c
a2: (a or b) and c
a3: not a and not (b or c)
a4: not not a
a5: not (a and b)
a6: a and (b and c)
a7: (a and b) and c
b1: a + b * c
b2: (a + b) * c
b3: a - (b - c)
b4: (a - b) - c
b5: a ** b ** c
b6: (a ** b) ** c
b7: -a ** -b
b8: (-a) ** b
b9: a ** (-b)
b10: -(a ** b)
b11: a | b ^ c & d << e >> f + g - h * i @ j / k % l // m
b12: ((((a | b) ^ c) & d) << e) * f
b13: a << (b << c)
b14: a @ (b @ c)
b15: a // b % c
b16: ~a + ~(~b)
b17: -(-a)
b18: +-~a
b19: -(a + b)
b20: (not a) + b
b21: a + (not b)
c1: a < b <= c > d >= e == f != g
c2: a is b is not c in d not in e
c3: (a < b) < c
c4: a < (b < c)
c5: not a < b
c6: (not a) < b
c7: a < b and c or d > e
c8: (a or b) < c
c9: a + b < c * d
c10: a | b == c & d
d1: a if b else c
d2: (a if b else c) if d else e
d3: a if (b if c else d) else e
d4: a if b else (c if d else e)
d5: a if b else c if d else e
d6: (lambda: a) if b else c
d7: a if b else lambda: c
d8: a if (lambda: b) else c
d9: (a or b) if (c and d) else (not e)
d10: (a if b else c) + d
d11: -(a if b else c)
e1: a.b.c
e2: (a + b).c
e3: (-a).b
e4: a().b[c](d)
e5: (a if b else c)(d)
e6: (lambda: 1)()
e7: (a, b)[0]
e8: [a][0]
e9: (a or b)[c]
e10: 1 .real
e11: 1.5.real
e12: 1j.imag
e13: 'a'.join
e14: b'a'.decode
e15: True.real
e16: None.x
e17: (1).real
e18: (-1).real
e19: (1 + 2).real
e20: ....x
