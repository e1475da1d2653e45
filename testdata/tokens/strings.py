a = 'x', "y", '''z''', """w""", ''
b = r'\d', R"x", b'y', B'z', u'w', U"v"
c = rb'a', Rb'b', bR'c', BR'd', br'e', f'{x}', F'y', fr'z', rF'w', Rf'q', FR'p'
d = 'it\'s', "q\"q", 'back\\', 'line\
cont'
e = '''multi
line ' \''' end
''' + """a
"""
f = ''''quote''' ; g = '''''' ; h = """"""
