if x:
 	b
 	c
d
