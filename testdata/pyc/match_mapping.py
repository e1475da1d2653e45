import enum


class Color(enum.Enum):
    RED = 1


def f(x):
    match x:
        case {}:
            return 0
        case {"a": 1}:
            return 1
        case {"a": a, "b": [b, *_], **rest}:
            return a, b, rest
        case {**rest}:
            return rest
        case {Color.RED: c, 1: _, -2: d, 1.5: e, 2j: z, b"x": y, None: n, False: t}:
            return c, d, e, z, y, n, t
        case {"k": {"inner": v}}:
            return v
        case {
            "multi": m,
            "line": l,
        }:
            return m, l
        case {"x": _, "y": _, **kw} if kw:
            return kw
