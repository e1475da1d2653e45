# coding: uhc
각 = "힣"
