-- Events whose windows all closed (beyond the 2 s delay) are dropped.
-- input: bids=late.bids.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT COUNT(*) AS n, MAX(price) AS hi, window_start, window_end
  FROM bids WINDOW TUMBLING (SIZE 10 SECONDS);
