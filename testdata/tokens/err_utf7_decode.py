# coding: utf-7
x = "+AOkZ-"
