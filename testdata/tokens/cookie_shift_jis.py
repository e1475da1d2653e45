# -*- coding: shift_jis -*-
名前 = "表日本"  # コメント
