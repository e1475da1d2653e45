a = [x for x in y]
b = {x for x in y if x}
c = {k: v for k, v in items}
d = (x for x in y)
e = [x * y for x in a for y in b if x if y]
f = [y for x in a for y in [x]]
g = [[i for i in row] for row in matrix]
h = sum(x for x in range(10))

async def f():
    return [x async for x in aiter() if await x]

def closure(n):
    return [lambda: n + i for i in range(3)]
