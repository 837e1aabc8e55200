-- operator precedence: OR < AND < NOT < comparison < || < +- < */% < unary minus
SELECT a AND b OR c FROM t;
SELECT a OR b AND c FROM t;
SELECT NOT a = b FROM t;
SELECT -x * y FROM t;
SELECT 1 + 2 * 3 FROM t;
SELECT a || b = c FROM t;
SELECT NOT a AND b FROM t;
SELECT a - b - c FROM t;
SELECT a / b % c FROM t;
SELECT x BETWEEN 1 AND 2 AND y FROM t;
SELECT a + 1 > b * 2 OR c IS NOT NULL FROM t;
SELECT a NOT IN (1, 2) OR a NOT LIKE 'x%' FROM t;
SELECT - (a + b) FROM t;
SELECT (a OR b) AND c FROM t;
SELECT a || b || c FROM t;
SELECT NOT NOT a FROM t;
SELECT a = 1 IS NULL FROM t
