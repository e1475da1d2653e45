# Identifiers normalised by NFKC, lone surrogates, strings over several lines.
from __future__ import annotations
x: ﬁ.𝐲
y: f(𝐤=1, **ｋ)
z: lambda 𝐚, *ｂ, 𝐜=1: 𝐚
w: f'\ud800{x}\U0001f600{y!r:{z}\ud801}'
v: 'a\
b'
u: f'''{x
}'''
t: f'{x:{"a"}}'
s: (
  a
  +
  b)
