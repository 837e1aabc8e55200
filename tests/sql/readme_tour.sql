-- The README tour (examples/demo/bids.sql over examples/demo/events.jsonl).
-- input: bids=../../examples/demo/events.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK hot WITH (connector = 'websocket');
CREATE QUERY hot_items AS
  INSERT INTO hot
  SELECT auction, COUNT(*) AS bids, MAX(price) AS top, window_start, window_end
  FROM bids WHERE price > 10
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)
  GROUP BY auction HAVING COUNT(*) >= 3;
