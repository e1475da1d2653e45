import math


def area(radius: float) -> float:
    return math.pi * radius ** 2
