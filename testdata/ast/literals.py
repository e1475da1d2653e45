0
1
-1
123456789012345678901234567890
0x_ff
0XFF
0o777
0O7_7
0b1010
0B1_0
1_000_000
0.0
1.5
.5
5.
1e10
1E-10
1.5e+3
1_0.0_1e1_0
1e400
1j
1.5J
0j
1e400j
'single'
"double"
'''triple single'''
"""triple
double"""
b'bytes'
B"BYTES"
rb'raw\bytes'
Rb"raw"
br'raw'
r'raw\string'
R"raw"
u'unicode'
U'unicode upper'
'a' 'b' "c"
b'a' b'b'
'\n\t\\\'\"\a\b\f\v\0\x41\101\u00e9\U0001F600\N{BULLET}'
b'\x00\xff\n'
'line\
continued'
'é ñ 中文 😀'
'\ud800' if False else 0
"'"
'"'
'\'"'
