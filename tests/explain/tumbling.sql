-- Tumbling window with GROUP BY, HAVING on an aggregate that is not selected,
-- aggregate arithmetic, window bounds; event time with a watermark delay.
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT auction, COUNT(*) AS n, SUM(bidder) AS sb, AVG(price) AS avg_price,
         MAX(price) - MIN(price) AS spread, window_start, window_end
  FROM bids
  WHERE price > 0
  WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY auction
  HAVING COUNT(*) >= 2 AND SUM(price) > 100.5;
EXPLAIN QUERY q;
