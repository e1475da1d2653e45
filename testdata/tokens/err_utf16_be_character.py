# coding: utf-16-be
x = 1
