from __future__ import annotations

x: List[int] = []
y: dict[str, "int"]

def f(a: int, *b: str, c: A | B = None, **d: Callable[[int], str]) -> Tuple[int, ...]:
    e: int = 1
    return e

class C:
    attr: ClassVar[int] = 1
    other: lambda: x
