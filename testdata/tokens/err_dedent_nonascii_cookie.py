# coding: utf-8
if a:
        b
    d = "éé"
