-- COUNT(DISTINCT) per group and window, checked with --expect as a multiset.
-- input: bids=distinct.bids.jsonl
-- expect: out=distinct.expect.jsonl
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT channel, COUNT(DISTINCT bidder) AS bidders, COUNT(*) AS bids, window_end
  FROM bids
  WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY channel;
