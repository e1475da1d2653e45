# coding: big5hkscs
x = "Ê̄一"
