class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def where(p):
    match p:
        case Point():
            pass
        case Point(0, 0):
            return "origin"
        case Point(x=0, y=yy):
            return yy
        case Point(xx, y=0):
            return xx
        case Point(_, _, z=_):
            return None
        case int(i) | float(i):
            return i
        case str() as s:
            return s
        case Point(x=Point(a, b), y=[c, *d]):
            return a, b, c, d
        case Point.origin.attr:
            pass
    return p


class C:
    def m(self, v):
        match v:
            case self.__class__(__private=p):
                return p
            case Point(
                x=1,
                y=2,
            ):
                return 3
