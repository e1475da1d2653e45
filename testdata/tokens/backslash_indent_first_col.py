if a:
    b
    \
  c
