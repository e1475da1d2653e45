def f(x):
    match x:
        case 0 | 1 | 2:
            return "small"
        case (a, b) | [b, a, _] | {"a": a, "b": b}:
            return a, b
        case [a, (1 | 2) as c] if False:
            pass
        case (1 as a) | (2 as a):
            return a
        case [x, y] | [y, x, *_] | [*_, y, x]:
            return x, y
        case [p, q, r] | [q, r, p, _] | [r, p, q, _, _]:
            return p, q, r
        case {"a": [a, b, c, d]} | {"b": [d, c, b, a]}:
            return a
        case ([a, b, c, d, e] | [e, d, c, b, a]):
            return a
        case (5 as z) | z:
            return z


def g(x):
    match x:
        case (1 | 2) as y if y:
            pass
        case [1 | 2 as y, (3 | 4) as w]:
            pass
        case 7 | _:
            pass
