-- A --expect mismatch exits 1 and prints the missing and unexpected rows.
-- input: bids=out_of_order.bids.jsonl
-- expect: out=expect_mismatch.expect.jsonl
-- exit: 1
-- stderr: 1 missing, 1 unexpected
-- stderr: missing:    {"n":5
-- stderr: unexpected: {"n":4
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT COUNT(*) AS n, window_start, window_end
  FROM bids WINDOW TUMBLING (SIZE 10 SECONDS);
