from __future__ import annotations, generator_stop

def annotated(x: int, *, y: list[str] = []) -> dict[str, int]:
    z: float = 1.0
    return {}
