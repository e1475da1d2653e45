"""Module docstring."""
import os

assert os, "module assert"

if __debug__:
    DEBUG = True
else:
    DEBUG = False

def documented(a):
    """Docstring of a function whose only other constant is a string."""
    assert a > 0, "positive"
    return "value"

async def coro():
    "coroutine docstring"
    assert await thing()

class Documented:
    """Class docstring."""
    attr = "attribute"

    def method(self):
        "method docstring"
        return lambda: "lambda has no docstring"

    class Inner:
        "inner docstring"

x = [y for y in range(3) if __debug__]
while not __debug__:
    pass
