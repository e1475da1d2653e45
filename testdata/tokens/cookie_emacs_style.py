#!/usr/bin/env python3
# -*- mode: python; coding: latin1 -*-
x = "þ"
