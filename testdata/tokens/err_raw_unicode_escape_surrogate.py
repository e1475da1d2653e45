# coding: raw_unicode_escape
x = "\ud800\udc00"
