x = 1
if y:
    z
w
