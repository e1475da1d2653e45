x = ⁵x
