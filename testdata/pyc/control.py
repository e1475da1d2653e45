if a:
    b()
elif c:
    d()
else:
    e()
while x:
    if y:
        break
    if z:
        continue
    x -= 1
else:
    done()
for i in range(10):
    if i % 2:
        continue
    print(i)
else:
    print("end")
for a, (b, c) in items:
    pass
if a and (b or not c):
    pass
while True:
    pass
assert x
assert x, "msg"
assert (x, y)
raise
raise E
raise E from F
if 0:
    unreachable()
if a < b < c:
    pass
