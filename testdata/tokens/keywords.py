async def f():
    await x
    return None or True and False
def g(): yield from y
match = case = _ = 1
nonlocal_ = global_ = 2
try:
    pass
except E as e:
    raise
finally:
    del a
with a as b: assert not c is d in e
while 1: break
for i in x: continue
class C: global g; lambda: 0
if a: pass
elif b: pass
else: pass
import a; from . import b
