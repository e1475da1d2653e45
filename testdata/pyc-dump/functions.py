"""Nested code: functions, closures, classes, lambdas, comprehensions."""
import functools

def outer(a, b=2, /, c=3, *args, d, e=5, **kw):
    total = a + b
    def inner(x):
        nonlocal total
        total += x
        return total + c
    return inner

class Point:
    """A class with methods."""
    scale = 2

    def __init__(self, x, y):
        self.x, self.y = x, y

    @property
    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    @functools.lru_cache(maxsize=None)
    def scaled(self):
        return Point(self.x * self.scale, self.y * self.scale)

    def __repr__(self):
        return f"Point({self.x!r}, {self.y:>{self.scale}})"

square = lambda v: v * v
evens = [i for i in range(10) if i % 2 == 0]
table = {k: [v for v in range(k)] for k in range(3)}
unique = {c.upper() for c in 'hello'}
lazy = (n * n for n in range(5))

def gen(n):
    yield from range(n)
    x = yield
    return x

async def fetch(session, urls):
    async with session:
        async for u in urls:
            await session.get(u)
    return [r async for r in session]

try:
    import missing_module
except ImportError as exc:
    missing_module = None
finally:
    pass

while True:
    if unique:
        break
else:
    pass

match evens:
    case [0, *rest]:
        pass
    case {'k': v}:
        pass
    case Point(x=0):
        pass
    case _:
        pass
