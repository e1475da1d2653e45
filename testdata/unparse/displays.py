# Lists, sets, dicts and comprehensions.
from __future__ import annotations

d1: []
d2: [a]
d3: [a, b]
d4: [a, *b]
d5: [*a, *b]
d6: [(a, b)]
d7: [a if b else c, lambda: d]
d8: {a}
d9: {a, b}
d10: {*a, b}
d11: {}
d12: {a: b}
d13: {a: b, c: d}
d14: {**a}
d15: {**a, 'b': c}
d16: {**(a or b)}
d17: {**a | b}
d18: {a: b if c else d}
d19: {(a, b): (c, d)}
d20: {a: lambda: b}
d21: {**{}}
g1: [x for x in y]
g2: [x for x in y if z]
g3: [x for x in y if a if b]
g4: [x for x in y for z in w]
g5: [x async for x in y]
g6: [x for x in y async for z in w]
g7: {x for x in y}
g8: {k: v for k, v in y}
g9: {k: v for (k, v) in y}
g10: (x for x in y)
g11: [x for x, in y]
g12: [x for [x, y] in z]
g13: [x for x in (a if b else c)]
g14: [x for x in a or b]
g15: [x for x in y if (a if b else c)]
g16: [(x, y) for x in y]
g17: [x for x in (lambda: y)]
g18: [x for x in y if (lambda: z)]
g19: [[x for x in y] for y in z]
g20: [x for x in (*a, b)]
g21: [(yield_) for yield_ in y]
g22: {(x for x in y): z}
g23: [x for x.y in z]
g24: [x for x[0] in z]
g25: [x for *x, y in z]
g26: ((x for x in y) for z in w)
