if x is 1:
    pass
y = 1 is not x
z = (1, 2)(3)
w = "abc"[1, 2]
assert (x, "message")
