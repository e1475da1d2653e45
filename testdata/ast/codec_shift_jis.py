# -*- coding: shift_jis -*-
# 表 ends in 0x5C, an ASCII backslash
名前 = "表示できます"
def 関数(引数="ソース"):
    return f"{引数}表"
