if a:
      \  b
