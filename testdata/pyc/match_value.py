import math

NONE = None


def f(x):
    match x:
        case None:
            return "none"
        case True:
            return "true"
        case False:
            return "false"
        case 0:
            return 0
        case -1:
            return -1
        case 1.5:
            return 1.5
        case 1 + 2j:
            return "complex"
        case -1 - 2j:
            return "complex2"
        case "s" "t":
            return "st"
        case b"bytes":
            return b"bytes"
        case math.pi:
            return "pi"
        case math.inf as m:
            return m
        case a.b.c.d:
            pass
        case other:
            return other


def g(x):
    match x:
        case 1:
            pass
    y = 2
    match x:
        case 1:
            y = 3
        case 2:
            y = 4
    return y
