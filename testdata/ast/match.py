match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        pass
    case Point(1, 2, z=3):
        pass
    case Point():
        pass
    case [Point(x=0, y=0), *rest]:
        pass
    case {"x": x, "y": y, **rest}:
        pass
    case {}:
        pass
    case {1: _, **kw}:
        pass
    case 1 | 2 | 3:
        pass
    case (1 | 2) as num:
        pass
    case -1:
        pass
    case 1 + 2j:
        pass
    case -1.5 - 2j:
        pass
    case "string" "concat":
        pass
    case b"bytes":
        pass
    case None:
        pass
    case True:
        pass
    case False:
        pass
    case Color.RED:
        pass
    case a.b.c:
        pass
    case _:
        pass
    case x if x > 0:
        pass
    case [*_]:
        pass
    case (a, b, *c):
        pass
    case ():
        pass
    case []:
        pass
    case (a,):
        pass
    case a, b:
        pass
    case *a, b:
        pass
    case [a, [b, c]]:
        pass
    case mod.Class(a, b=c):
        pass
    case {a.b: 1}:
        pass
match x,:
    case _: pass
match *a, b:
    case _: pass
match (x):
    case y: pass
match = 1
case = 2
match[0] = 3
match(x)
_ = match
