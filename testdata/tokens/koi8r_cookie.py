# -*- coding: koi8-r -*-
Привет = "мир"
