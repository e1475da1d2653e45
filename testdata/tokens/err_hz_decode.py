# coding: hz
x = "~{VP~"
