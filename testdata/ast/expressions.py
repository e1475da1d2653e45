a or b or c
a and b and c
a or b and c or d
not a
not not a
a if b else c
lambda: 0
lambda x: x
a + b - c * d / e // f % g @ h ** i
a << b >> c & d ^ e | f
-a; +a; ~a; - - a
a < b > c == d >= e <= f != g is h is not i in j not in k
a.b.c
a[b]
a[b:c]
a[:]
a[::]
a[b:c:d]
a[:, ::2, 1:]
a[b, c]
a[(b, c)]
f()
f(a)
f(a, b=1, *c, **d)
f(*a, *b, c=1, **d, e=2)
f(x for x in y)
f((x for x in y), z)
f(a=1)(b=2)
[]
[1, 2, *a]
[x for x in y]
[x for x in y if x if not x for z in x]
()
(1,)
(1, 2)
1,
1, 2,
(a)
((a))
{}
{1: 2, **a, 3: 4}
{1, 2, *a}
{x for x in y}
{k: v for k, v in items}
(x for x in y)
(x := 1)
[y := 2, y ** 2]
f(z := 3)
{(a := 1): 2}
...
None
True
False
await_ = 1
x = a.b(c)[d].e
print(*args, sep='')
(a
 + b)
(yield)
