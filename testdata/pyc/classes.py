class Empty:
    pass

class Doc:
    """Docstring."""

class Base(object, metaclass=Meta, extra=1):
    attr = 1

    def method(self):
        return super().method()

    @property
    def prop(self):
        return self.__private

    @staticmethod
    def static():
        return __class__

    class Nested:
        def deep(self):
            return 1

@decorate
class Decorated(*bases, **kw):
    x: int = 1
    y: str
    __mangled = 2

    def __init__(self):
        self.__mangled = 3
        __import__("x")
