if a:
    b
    \
	c
