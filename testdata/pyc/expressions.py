x = a + b - c * d / e // f % g ** h @ i
y = a << b >> c & d | e ^ f
z = -a, +b, ~c, not d
w = a < b <= c == d != e > f >= g
v = a is b, a is not b, a in b, a not in b
u = a and b or c and not d
t = a if b else c
s = (yield_ := 5)
r = [1, 2, *a, 3]
q = (1, 2, 3)
p = (a, b, *c)
o = {1, 2, *a}
n = {1: 2, **d, 3: 4}
m = {"a": 1, "b": 2, "c": 3}
l = {a: 1, b: 2}
k = a[1], a[1:2], a[::3], a[1:2, 3], a[...]
j = f"{a} {b!r} {c:>{w}} {d!a:x} {e=}"
i = lambda: 0
h = lambda a, b=1, *c, d, e=2, **f: a
g = 1 if x else 2 if y else 3
ff = [1, 2, 3, 4]
ee = {1, 2, 3}
dd = (a.b.c, a[b][c])
cc = b"bytes" + b"more"
bb = 1 + 2 * 3 - 4
aa = "a" "b" f"c{d}"
