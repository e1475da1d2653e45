# -*- coding: mac-roman -*-
x = "Ä•"
