if a:
    	b
	c
