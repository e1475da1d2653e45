# coding: sjis
x = "�"
