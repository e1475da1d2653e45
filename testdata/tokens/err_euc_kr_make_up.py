# coding: euc_kr
x = "ㅤㅤㅤㅤ"
