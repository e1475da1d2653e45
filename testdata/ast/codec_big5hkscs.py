# coding: big5-hkscs
x = "Ê̄一香港"
