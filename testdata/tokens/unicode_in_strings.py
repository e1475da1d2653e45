# ünïcödé comment
s = "日本語"  # 注释
t = '😀'
