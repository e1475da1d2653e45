"""Module docstring dropped at -OO."""

def f():
    "function docstring"
    return 1

class C:
    "class docstring"
    def m(self):
        """method docstring"""
        return 2
