# coding: euc-kr
x = "ㅤㅎㅘㄱ"
