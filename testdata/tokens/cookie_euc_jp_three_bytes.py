# coding: euc_jp
x = "丂あ"
