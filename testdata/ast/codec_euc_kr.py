# vim: set fileencoding=euc-kr :
변수 = "한국어"  # 주석
