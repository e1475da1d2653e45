def simple():
    pass

def doc():
    "A docstring."
    return 1

def args(a, b, /, c, d=1, *e, f, g=2, **h):
    return a, b, c, d, e, f, g, h

def annotated(a: int, b: "str" = "x", *c: tuple, d: list, **e: dict) -> bool:
    return True

@decorator
@other.decorator(1)
def decorated():
    return

def closure():
    x = 1
    def inner():
        nonlocal x
        x += 1
        return x
    return inner

def generator():
    yield 1
    yield from other()
    x = yield
    return 2

async def coroutine():
    await thing()
    async for i in aiter():
        pass
    async with ctx() as c:
        pass
    return [i async for i in aiter()]

async def async_generator():
    yield 1

def uses_global():
    global G
    G = 1
    return G

def defaults_kw(*, a=1, b, c=3):
    pass

lam = lambda x, *y, **z: (x, y, z)
