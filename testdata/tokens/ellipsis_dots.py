a = ...
b = x[..., 1]
c = a.b.c
from .. import d
from ... import e
f = ....__class__
