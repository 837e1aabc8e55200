-- Per-event filter and projection; RFC 3339 input with an offset.
-- input: bids=filter_project.bids.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT auction, price * 2 AS double_price, UPPER(channel) AS ch, ts
  FROM bids WHERE price > 10;
