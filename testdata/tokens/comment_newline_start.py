x = 1  # trailing
if y:  # c
    pass
