# Every kind of constant a code object can hold.
small = (0, 1, -1, 255, 256, -5, 2**31 - 1, -2**31, 2**31, -2**31 - 1)
big = (2**62, 2**63, -2**63, 2**64 - 1, 10**40, -10**40, 1 << 1000)
floats = (0.0, -0.0, 1.0, 0.1, 1e16, 1e-5, 123.456, 1e999, -1e999, 1e999 - 1e999, 5e-324)
complexes = (1j, 1 + 2j, -0.0 - 1j, 1e999j, -(0j), 2.5 - 1e999j)
texts = ('', 'abc', "it's", 'say "hi"', 'both \' and "', 'tab\there\nnew', '\x00\x7f\x80',
         'caf\u00e9', '\u65e5\u672c', '\U0001F600', '\ud800', '\udc80x', '\u200b\u00ad',
         'a' * 300, '\u00e9' * 300)
blobs = (b'', b'\x00\xff', b"'", b'"\'', b'\\\n\r\t', bytes(range(40)))
nested = (1, (2, (3, (4,))), ((), [], {}), None, True, False, ...)
def membership(x):
    return x in {1, 2, 3}, x in {'a', 'b', 'c'}, x in {1.5, -0.0, 2j}, x not in {b'x', (1, 2)}
big_sum = 10**30 + 10**30
neg = -123456789012345678901234567890
