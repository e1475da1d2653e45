a = 1
b = Rb'''x
y
z
