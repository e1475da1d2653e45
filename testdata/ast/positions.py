@decorator(
    arg,
)
def function(
    a,
    b,
):
    return (
        a +
        b
    )
x = [
    1,
    2,
]
call(
    a,
    b=1,
)(c)
value = first.second \
    .third
text = """a
b""" + 'c'
items = 1, 2, \
    3
obj.method(x for x in range(3))
if (a and
        b):
    pass
while (
    x
):
    pass
result = {
    'k': [v
          for v in w],
}
try:
    pass
except (A,
        B):
    pass
class K(
    Base,
):
    def m(self): pass
    # comment


def after_blank_lines():
    pass  # trailing comment
	
y = 1;
z = (1,
     )
