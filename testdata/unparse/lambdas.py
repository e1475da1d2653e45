# Lambdas and the expressions only allowed inside them in an annotation.
from __future__ import annotations

l1: lambda: 0
l2: lambda a: a
l3: lambda a, b: a
l4: lambda a=1, b=2: a
l5: lambda a, /: a
l6: lambda a, /, b: a
l7: lambda a=1, /, b=2: a
l8: lambda a, b=1, /, c=2: a
l9: lambda *a: a
l10: lambda **k: k
l11: lambda *, a: a
l12: lambda *, a=1: a
l13: lambda *a, b, c=1, **d: a
l14: lambda a, /, b=1, *c, d, e=2, **f: 0
l15: lambda a, *, b: 0
l16: lambda *, a, b=1, c: 0
l17: lambda a=(1, 2), b=lambda: 0: 0
l18: lambda: lambda: 0
l19: lambda: (a, b)
l20: lambda: a if b else c
l21: lambda a=b if c else d: 0
l22: (lambda: 0)
l23: lambda: (yield)
l24: lambda: (yield x)
l25: lambda: (yield a, b)
l26: lambda: (yield from x)
l27: lambda: (yield (yield))
l28: lambda: f((yield))
l29: lambda: await x
l30: lambda: await (await x)
l31: lambda: (await x).y
l32: lambda: await x.y
l33: lambda: -(await x)
l34: lambda: (await x) ** 2
l35: lambda: 2 ** (await x)
l36: lambda: (await x)()
l37: lambda: await x()
l38: lambda: await (a + b)
l39: lambda: (y := 1)
l40: lambda: [y := 1]
l41: lambda: f(y := 1)
l42: lambda: f(a, y := 1)
l43: lambda: (y := 1, 2)
l44: lambda: a[(y := 1)]
l45: lambda: (y := (z := 1))
l46: lambda: (y := 1) + 2
l47: lambda: {(y := 1): 2}
l48: lambda: {y := 1}
l49: lambda: (y := a or b)
l50: lambda: not (yield)
