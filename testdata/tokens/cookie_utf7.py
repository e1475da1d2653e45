# coding: utf-7
+AOk = "+2D3eAAAr"
