# coding: gb18030
ä = "𠀀€"
