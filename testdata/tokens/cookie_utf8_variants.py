# coding: UTF_8
x = "é"
