café = 1
ﬁle = 2
ℌ = 3
𝐱 = 4
Ω = 5
naïve.attr = 6
def größe(länge, *, breite=1):
    return länge * breite
class Ünïcode: pass
import 模块
x = ﬁle + ℌ
