-- Tumbling 10 s window: COUNT/SUM/AVG/MIN/MAX, GROUP BY, HAVING.
-- input: bids=tumbling_agg.bids.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT auction, COUNT(*) AS n, SUM(bidder) AS sb, SUM(price) AS total, AVG(price) AS avg_price,
         MIN(price) AS lo, MAX(price) AS hi, window_start, window_end
  FROM bids
  WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY auction HAVING COUNT(*) >= 2;
