x = aÿb
