# Where annotations occur: parameters, returns, assignments, nested scopes.
from __future__ import annotations
import typing


def f(a: int, b: 'str' = 'x', *args: tuple, c: float, d: list = [], **kwargs: dict) -> None:
    local: int = 1
    other: typing.List[int]

    def inner(x: x) -> inner:
        pass


def g(p: A, /, q: B, *, r: C) -> D: ...


async def h(x: Awaitable[int]) -> AsyncIterator[str]:
    y: int
    async for z in w:
        v: v
    async with a as b:
        u: u


class C(Base, metaclass=M):
    attr: ClassVar[int]
    value: int = 0
    other.attribute: int
    other[0]: int
    (parenthesised): int

    def method(self: C, x: C.Inner) -> C: pass

    class Inner:
        y: Inner


for i in x:
    a: 1
else:
    b: 2
while x:
    c: 3
else:
    d: 4
if x:
    e: 5
elif y:
    f2: 6
else:
    g2: 7
with x as y:
    h2: 8
try:
    i2: 9
except E as e:
    j2: 10
else:
    k2: 11
finally:
    l2: 12
match x:
    case [1, 2]:
        m2: 13
    case {'k': v}:
        n2: 14
    case _:
        o2: 15


def defaults(a: int = (1, 2), b: x if y else z = 3) -> (1, 2): pass


def multiline(a: (
        int
        | str),
        b: dict[
            str,
            int]) -> (
        None):
    pass


lam = lambda q: q
x: int; y: str; z: lambda: (yield)
