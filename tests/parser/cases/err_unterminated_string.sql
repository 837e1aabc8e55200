SELECT a
FROM t WHERE s = 'abc
