def loops(items):
    for item in items:
        match item:
            case 0:
                continue
            case 1:
                break
            case [x] if x > 10:
                return x
            case _:
                pass
    while True:
        match items:
            case []:
                break
            case [_, *rest]:
                items = rest
    try:
        match items:
            case x:
                raise ValueError(x)
    finally:
        pass
    with open(items) as fh:
        match fh:
            case str():
                return
            case y if y:
                return y


async def coro(x):
    match await x:
        case [a, b]:
            async for c in a:
                match c:
                    case 1:
                        break
        case {**kw}:
            return kw


def nested(x):
    match x:
        case [a]:
            match a:
                case [b]:
                    def inner():
                        return b
                    return inner
                case _:
                    return lambda: a
        case _ if x:
            pass
        case _:
            pass


def default_only(x):
    match x:
        case _:
            return 1


def capture_only(x):
    match x:
        case y:
            return y


def guarded_default(x):
    match x:
        case 1:
            pass
        case _ if x:
            return 2
    return 3


class K:
    match 1:
        case __x:
            pass
    match [1]:
        case [*__y]:
            pass
        case {**__z}:
            pass


global_var = 0
match global_var:
    case 0:
        pass
    case [a, b] if a == b:
        pass
    case _:
        pass
