"""Module docstring kept at -O."""
assert x, "gone"
if __debug__:
    print("debug")

def f():
    "function docstring"
    assert y
    return __debug__
