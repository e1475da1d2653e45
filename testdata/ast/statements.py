"""Module docstring."""
import os
import os.path, sys as system
import a.b.c as d
from . import x
from .. import (y, z as zz,)
from ...pkg.mod import *
from .... import w
from __future__ import annotations
from a import b
global g1, g2
def outer():
    x = 1
    def inner():
        nonlocal x
        x += 1
    return inner
pass; pass;
del a, (b, c), [d], e.f, g[0]
assert cond
assert cond, "message"
raise
raise Exc
raise Exc("m") from None
return_value = None
if a:
    pass
elif b:
    pass
elif c:
    x = 1
else:
    y = 2
while True:
    break
else:
    continue_ = 1
for i in range(3):
    continue
for (a, b), *c in d:
    pass
else:
    pass
with a:
    pass
with a as b, c as (d, e):
    pass
with (a as b, c as d,):
    pass
with (a, b):
    pass
with (yield):
    pass
try:
    pass
except ValueError:
    pass
except (TypeError, KeyError) as exc:
    pass
except:
    pass
else:
    pass
finally:
    pass
try:
    pass
finally:
    pass
class Empty: pass
class Derived(Base, metaclass=Meta, **kw):
    attr: int
    other: str = "x"
    (paren): int = 1
    obj.attr: float
    obj[0]: bytes = b""
    def method(self): ...
@decorator
@decorator.attr(1)
@(lambda f: f)
@d[0].e
class Decorated:
    pass
async def coroutine():
    async with a as b:
        pass
    async for i in aiter():
        pass
    await something
    result = [i async for i in aiter() if await i]
@decorator
async def decorated_coroutine(): pass
x = y = z = 1
x, y = y, x
x: int
x += 1; x -= 1; x *= 1; x @= 1; x /= 1; x %= 1; x &= 1; x |= 1; x ^= 1
x <<= 1; x >>= 1; x **= 1; x //= 1
x = yield
x = yield from y
def gen():
    yield
    yield 1
    yield 1, 2
    x = yield from gen()
    await_ = (yield)
