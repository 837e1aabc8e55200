-- Out-of-order events within the 2 s watermark delay still count.
-- input: bids=out_of_order.bids.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT COUNT(*) AS n, window_start, window_end
  FROM bids WINDOW TUMBLING (SIZE 10 SECONDS);
