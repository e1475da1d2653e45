def f(x):
    match x:
        case []:
            return 0
        case [a]:
            return a
        case [a, b, *rest]:
            return a, b, rest
        case (a, *_, b, c):
            return a + b + c
        case [*_, last]:
            return last
        case [_, _, _]:
            return 3
        case [1, [2, 3], (4, *inner)]:
            return inner
        case [
            first,
            *middle,
            last,
        ]:
            return first, middle, last
        case [*head, 0]:
            return head
    return None


def g(x):
    match x:
        case [_, *_]:
            pass
        case [*_, _]:
            pass
        case [*_]:
            pass
    match x:
        case [a, _, c, *_, d, _, e]:
            print(a, c, d, e)
        case [*_, a, _]:
            print(a)
        case [a, b, c, d, e, f, g]:
            print(a, b, c, d, e, f, g)
        case [a, b, c, d, e, *f]:
            print(a, b, c, d, e, f)
