# coding: gb18030
变量 = ["中文", "€", "😀", "äö"]
class 类: 属性 = b"bytes"
