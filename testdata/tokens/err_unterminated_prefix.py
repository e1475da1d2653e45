x = 1
yy = rb'abc
