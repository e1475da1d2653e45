a += 1; a -= 1; a *= 2; a /= 2; a //= 2; a %= 2; a **= 2
a >>= 1; a <<= 1; a &= 1; a |= 1; a ^= 1; a @= b
c = a < b <= c > d >= e == f != g
d = ~a ^ b | c & d << 1 >> 2
def f(x) -> int: ...
if (n := 10) > 5: pass
x = a.b @ c // d ** e
