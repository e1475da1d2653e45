# Calls, keywords, slices and tuples in subscripts, starred items.
from __future__ import annotations

c1: f()
c2: f(a)
c3: f(a, b)
c4: f(*a)
c5: f(**k)
c6: f(a, *b, c=d, **e)
c7: f(a=1, *b)
c8: f(x for x in y)
c9: f((x for x in y), 1)
c10: f(a)(x for x in y)
c11: f(k=(x for x in y))
c12: f(a if b else c, lambda: d)
c13: f(*(a or b))
c14: f(*a or b)
c15: f(**a or b)
c16: f(*a, *b, **c, **d)
c17: f.g(a)[b]
c18: f(a, (b, c))
c19: f(())
c20: f(**{'a': 1})
s1: a[b]
s2: a[b, c]
s3: a[(b, c)]
s4: a[b,]
s5: a[()]
s6: a[(b,)]
s7: a[b:c]
s8: a[b:c:d]
s9: a[:]
s10: a[::]
s11: a[::d]
s12: a[:c]
s13: a[b:]
s14: a[b::]
s15: a[1:2, ::3, 4]
s16: a[b:c, ...]
s17: a[lambda: 1]
s18: a[a if b else c]
s19: a[(*b,)]
s20: a[(c, *b)]
s21: a[[*b]]
s22: a[b][c:d][e, f]
s23: a[b or c:d and e:not f]
s24: a[lambda: 1:lambda: 2]
s25: a[b:c, d:e]
s26: dict[str, list[int]]
s27: Callable[[int, str], None]
s28: Callable[..., T]
s29: tuple[int, ...]
s30: 'Forward'[0]
t1: (a, b)
t2: (a,)
t3: ()
t4: (a, *b)
t5: ((a, b), c)
t6: (*a, *b)
t7: (a if b else c, d)
t8: (lambda: 1, 2)
t9: ((),)
