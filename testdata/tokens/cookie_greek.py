# coding: iso8859_7
α = "β"
