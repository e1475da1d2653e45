try:
    a()
except ValueError:
    b()
except (TypeError, KeyError) as e:
    c(e)
except:
    d()
else:
    f()
finally:
    g()

try:
    x()
finally:
    y()

def f():
    for i in x:
        try:
            if i:
                return i
            if not i:
                break
            continue
        finally:
            cleanup()
    with open(p) as fh:
        return fh.read()

def g():
    try:
        pass
    except Exception as e:
        return e

def h():
    while True:
        try:
            raise
        except E:
            break
        finally:
            return 1
