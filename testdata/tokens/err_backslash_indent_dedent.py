if a:
    b
  \
    c
