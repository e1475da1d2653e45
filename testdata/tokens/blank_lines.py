

  
# c

x


