# coding: gb18030
x = "�1�0"
