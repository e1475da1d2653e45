if a:
    if b:
        c
    d
  # comment
e
