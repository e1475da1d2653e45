import os
import os.path
import a.b.c as d
import x as y, z
from . import sibling
from .. import parent as p
from .mod import name
from pkg.mod import a, b as c
from m import *
from __future__ import annotations
