def f0(): pass
def f1(a): pass
def f2(a, b=1): pass
def f3(a, /): pass
def f4(a, /, b): pass
def f5(a=1, /, b=2): pass
def f6(a, b=2, /, c=3, *d, e, f=6, **g): pass
def f7(*, a): pass
def f8(*, a=1, b): pass
def f9(*args): pass
def f10(**kwargs): pass
def f11(*args, **kwargs): pass
def f12(a: int, b: "str" = "x", *c: tuple, d: list = [], **e: dict) -> None: pass
def f13(a, b,): pass
def f14(
    a,
    b=1,
    *,
    c,
): pass
lambda: 0
lambda a: 0
lambda a, b=1: 0
lambda a, /, b: 0
lambda a=1, /: 0
lambda *a: 0
lambda *, a: 0
lambda *, a=1, b: 0
lambda **k: 0
lambda a, b=2, /, c=3, *d, e, f=6, **g: 0
lambda a,: 0
