-- Per-event query: WHERE with AND/LIKE/LIKE ESCAPE/IN, computed columns, CASE, CAST,
-- a scalar function, aliases and default output names; a stream without a
-- WATERMARK (arrival time).
CREATE STREAM clicks (user_id BIGINT, url VARCHAR, ms BIGINT, price DOUBLE)
  WITH (connector = 'tcp', port = 9001, format = 'json');
CREATE SINK out WITH (connector = 'stdout');
CREATE QUERY slow AS INSERT INTO out
  SELECT user_id, upper(url) AS u, ms / 1000 AS secs, price * 1.2,
         CASE WHEN ms > 500 THEN 'slow' ELSE 'ok' END AS speed, CAST(ms AS DOUBLE) AS msd
  FROM clicks
  WHERE ms >= 100 AND url LIKE '%/checkout%' AND url NOT LIKE '%!_test%' ESCAPE '!'
    AND user_id NOT IN (1, 2);
EXPLAIN slow;
