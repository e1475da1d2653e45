# coding: raw-unicode-escape
\u00e9 = "é\U0001F600\\u0041"
