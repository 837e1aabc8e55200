-- NULLs in aggregates (skipped; SUM/AVG/MIN/MAX of no values is NULL, COUNT 0),
-- COUNT(DISTINCT), and events whose event time is NULL or missing (dropped).
-- input: bids=nulls.bids.jsonl
-- expect: out=nulls.expect.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT auction, COUNT(*) AS n, COUNT(bidder) AS nb, COUNT(DISTINCT bidder) AS db,
         SUM(price) AS total, AVG(price) AS avg_price, MIN(price) AS lo, MAX(price) AS hi
  FROM bids
  WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY auction;
