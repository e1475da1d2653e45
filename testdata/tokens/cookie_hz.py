# coding: hz
~{1d~} = "~{VPND~}~~"  # ~~{
