# coding: raw_unicode_escape
x = "\u00"
