-- BIGINT / BIGINT truncates toward zero (x / 0 is NULL), ROUND rounds half
-- away from zero, string functions count UTF-8 code points, UPPER maps ASCII.
-- input: s=functions.s.jsonl
CREATE STREAM s (a BIGINT, b BIGINT, x DOUBLE, name VARCHAR) WITH (connector = 'tcp', port = 9002);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT a / b AS q, ROUND(x) AS r, LENGTH(name) AS len, UPPER(name) AS up,
         SUBSTRING(name, 2, 3) AS sub, name || '!' AS bang, name LIKE '_é%' AS m
  FROM s;
