rb = 1; br = 2; f = 3; u = 4; ur = 5; bu = 6; fb = 7; rr = 8
x = ur
