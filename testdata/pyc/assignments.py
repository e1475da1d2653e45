"""Assignments of every shape."""
a = 1
a = b = c = 2
x, y = y, x
(p, q), r = (1, 2), 3
first, *rest = range(5)
*init, last = [1, 2, 3]
head, *mid, tail = "abcde"
obj.attr = 5
obj.attr.sub = 6
seq[0] = 7
seq[1:2] = [8]
seq[::2] = [9]
m[1, 2] = 3
a += 1
obj.attr -= 2
seq[i] *= 3
a @= b
a //= 2; a **= 2; a %= 3; a <<= 1; a >>= 1; a &= 1; a |= 2; a ^= 3; a /= 4
del a
del obj.attr, seq[0], seq[1:3]
del (p, q), [r]
x: int = 5
y: "str"
obj.z: float = 1.0
seq[0]: int
(w): int = 3
